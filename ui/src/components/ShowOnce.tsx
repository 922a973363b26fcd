/** A value the API shows exactly once (a new API key, a webhook URL): displayed with a
 * warning that it cannot be seen again, selectable for copying. */

export function ShowOnce({ label, value }: { label: string; value: string }) {
  return (
    <div role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
      <p className="font-medium text-amber-900">{label}: copy it now, it is not shown again.</p>
      <code className="mt-2 block select-all break-all rounded bg-white px-2 py-1 text-slate-900">{value}</code>
    </div>
  );
}
