/** A flow's tags as "key=value" chips; a dash when it has none. */

export function TagList({ tags }: { tags: Record<string, string> }) {
  const entries = Object.entries(tags).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <span className="text-slate-600">—</span>;
  return (
    <ul aria-label="Tags" className="flex flex-wrap gap-1">
      {entries.map(([key, value]) => (
        <li key={key} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">
          {key}={value}
        </li>
      ))}
    </ul>
  );
}
