/** Previous/next over the API's cursors: the caller keeps the cursors of the pages
 * seen so far (the API only hands out the next one). `label` names what is paged
 * ("Pages of runs") for screen readers, since a page may hold several pagers. */

export function CursorPager(props: {
  page: number;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  label?: string;
}) {
  const button = "rounded border border-slate-300 px-3 py-1 text-sm disabled:opacity-40";
  return (
    <nav aria-label={props.label ?? "Pages"} className="mt-4 flex items-center gap-3">
      <button type="button" className={button} disabled={props.page === 0} onClick={props.onPrevious}>
        Previous
      </button>
      <span className="text-sm text-slate-600">Page {props.page + 1}</span>
      <button type="button" className={button} disabled={!props.hasNext} onClick={props.onNext}>
        Next
      </button>
    </nav>
  );
}
