/** The shared CursorPager for a settings list, named after what it pages, and left out
 * when the list fits on one page (most settings lists do). */

import { CursorPager } from "@/components/CursorPager";

export function Pager({
  label,
  ...pager
}: {
  label: string;
  page: number;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
}) {
  if (pager.page === 0 && !pager.hasNext) return null;
  return <CursorPager label={`Pages of ${label}`} {...pager} />;
}
