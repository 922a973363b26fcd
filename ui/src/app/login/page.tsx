"use client";

/** The sign-in page: email and password, or an API key. */

import { useRouter } from "next/navigation";

import { ApiKeySignIn } from "@/components/ApiKeySignIn";
import { PasswordSignIn } from "@/components/PasswordSignIn";

export default function LoginPage() {
  const router = useRouter();
  const done = () => router.replace("/runs/");
  return (
    <main className="mx-auto flex max-w-sm flex-col gap-8 p-8">
      <h1 className="text-2xl font-semibold">Sign in to Dagy</h1>
      <PasswordSignIn onSignedIn={done} />
      <div className="border-t border-slate-200 pt-6">
        <h2 className="mb-4 text-sm font-semibold text-slate-600">Or use an API key</h2>
        <ApiKeySignIn onSignedIn={done} />
      </div>
    </main>
  );
}
