/** Enabled or disabled, in words and colour (colour is never the only signal). */

export function EnabledBadge({ enabled }: { enabled: boolean }) {
  return enabled ? (
    <span className="rounded bg-green-100 px-2 py-0.5 text-xs font-semibold text-green-800">enabled</span>
  ) : (
    <span className="rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-800">disabled</span>
  );
}
