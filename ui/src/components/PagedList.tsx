"use client";

/** A list page's body over the API's cursor pages (schedules, sensors, deployments,
 * flows): Previous/Next through useCursors, a loading line, the API's message when the
 * first load fails (and above the list when a refetch does), the empty state on an
 * empty first page, and the pager. One place for that logic; the caller gives the
 * query hook, the table and the empty state. */

import type { UseQueryResult } from "@tanstack/react-query";
import type { ReactNode } from "react";

import { CursorPager } from "@/components/CursorPager";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf } from "@/lib/apiCall";
import { useCursors } from "@/lib/useCursors";

type Page<T> = { items: T[]; next_cursor?: string | null };

type Props<T> = {
  /** the query of one page, e.g. useSchedules */
  usePage: (cursor: string | null) => UseQueryResult<Page<T>>;
  /** what is listed, lower case ("schedules"): the loading line and the pager's name */
  noun: string;
  /** the section's accessible name ("Schedules") */
  label: string;
  empty: ReactNode;
  /** the pager even when everything fits on one page */
  alwaysPager?: boolean;
  children: (items: T[]) => ReactNode;
};

export function PagedList<T>({ usePage, noun, label, empty, alwaysPager = false, children }: Props<T>) {
  const pages = useCursors();
  const query = usePage(pages.cursor);

  if (query.isPending) return <p className="text-slate-600">Loading {noun}…</p>;
  if (query.isError && !query.data) return <ErrorNote message={messageOf(query.error)} />;
  const { items } = query.data;
  const nextCursor = query.data.next_cursor ?? null;

  return (
    <section aria-label={label}>
      {query.isError && <ErrorNote message={messageOf(query.error)} />}
      {items.length === 0 && pages.page === 0 ? empty : children(items)}
      {(alwaysPager || pages.page > 0 || nextCursor !== null) && (
        <CursorPager
          label={`Pages of ${noun}`}
          page={pages.page}
          hasNext={nextCursor !== null}
          onPrevious={pages.previous}
          onNext={() => pages.next(nextCursor)}
        />
      )}
    </section>
  );
}
