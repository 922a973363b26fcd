/** The shared CursorPager for a settings list, named after what it pages, driven by the
 * list's useCursors and the page's next cursor, and left out when the list fits on one
 * page (most settings lists do). */

import { CursorPager } from "@/components/CursorPager";
import type { useCursors } from "@/lib/useCursors";

export function Pager({
  label,
  pages,
  nextCursor,
}: {
  label: string;
  pages: ReturnType<typeof useCursors>;
  nextCursor: string | null | undefined;
}) {
  const hasNext = nextCursor != null;
  if (pages.page === 0 && !hasNext) return null;
  return (
    <CursorPager
      label={`Pages of ${label}`}
      page={pages.page}
      hasNext={hasNext}
      onPrevious={pages.previous}
      onNext={() => pages.next(nextCursor ?? null)}
    />
  );
}
