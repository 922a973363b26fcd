/** Previous/next over a settings list's cursor pages, labelled with what it pages
 * (the shared CursorPager is labelled for runs). Hidden when there is one page only. */

export function Pager({
  label,
  page,
  hasNext,
  onPrevious,
  onNext,
}: {
  label: string;
  page: number;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}) {
  if (page === 0 && !hasNext) return null;
  const button = "rounded border border-slate-300 bg-white px-3 py-1 text-sm text-slate-800 disabled:text-slate-400";
  return (
    <nav aria-label={`Pages of ${label}`} className="mt-4 flex items-center gap-3">
      <button type="button" className={button} disabled={page === 0} onClick={onPrevious}>
        Previous
      </button>
      <span className="text-sm text-slate-600">Page {page + 1}</span>
      <button type="button" className={button} disabled={!hasNext} onClick={onNext}>
        Next
      </button>
    </nav>
  );
}
