import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-md p-8">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="mt-2 text-slate-600">
        There is no page here. <Link className="text-blue-700 underline" href="/runs/">Go to the runs</Link>.
      </p>
    </main>
  );
}
