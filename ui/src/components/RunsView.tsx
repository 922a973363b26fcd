"use client";

/** The runs page's body: filters kept in the URL (?status=&deployment=&since=&until=,
 * so a filtered view can be shared and survives a reload), the runs table polled live,
 * its pager, and states for loading, errors, no runs yet and no matching runs.
 *
 * The cursors of the pages seen belong to one set of filters: changing a filter starts
 * again at the first page, while a poll keeps the page (and the cursor) as it is. */

import { useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useMemo, useState } from "react";

import { messageOf } from "@/lib/apiCall";
import { hasFilters, NO_FILTERS, parseRunsFilters, runsFiltersQuery, type RunsFilters } from "@/lib/runs/filters";
import { useRuns } from "@/lib/useRuns";

import { CursorPager } from "./CursorPager";
import { Command, EmptyState } from "./EmptyState";
import { ErrorNote } from "./ErrorNote";
import { RunsTable } from "./RunsTable";
import { RunsFilterBar } from "./runs/RunsFilterBar";

export function RunsView() {
  return (
    <Suspense fallback={<p className="text-slate-600">Loading runs…</p>}>
      <FilteredRuns />
    </Suspense>
  );
}

function FilteredRuns() {
  const router = useRouter();
  const searchParams = useSearchParams();
  const filterQuery = searchParams.toString();
  const filters = useMemo(() => parseRunsFilters(new URLSearchParams(filterQuery)), [filterQuery]);
  const filterKey = runsFiltersQuery(filters);

  const [paging, setPaging] = useState<{ key: string; cursors: (string | null)[] }>({
    key: filterKey,
    cursors: [null],
  });
  const cursors = paging.key === filterKey ? paging.cursors : [null];
  // clearing from outside the filter bar (the empty state) also resets its own state
  const [clears, setClears] = useState(0);
  const page = cursors.length - 1;

  function setFilters(next: RunsFilters) {
    const query = runsFiltersQuery(next);
    setPaging({ key: query, cursors: [null] });
    router.replace(query ? `/runs/?${query}` : "/runs/", { scroll: false });
  }

  return (
    <section aria-label="Runs">
      <RunsFilterBar key={clears} filters={filters} onChange={setFilters} />
      <RunsPage
        filters={filters}
        cursor={cursors[page] ?? null}
        page={page}
        onPrevious={() => setPaging({ key: filterKey, cursors: cursors.slice(0, -1) })}
        onNext={(next) => setPaging({ key: filterKey, cursors: [...cursors, next] })}
        onClear={() => {
          setClears((count) => count + 1);
          setFilters(NO_FILTERS);
        }}
      />
    </section>
  );
}

function RunsPage({
  filters,
  cursor,
  page,
  onPrevious,
  onNext,
  onClear,
}: {
  filters: RunsFilters;
  cursor: string | null;
  page: number;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
  onClear: () => void;
}) {
  const query = useRuns(filters, cursor);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [query.dataUpdatedAt]);

  if (query.isPending) return <p className="text-slate-600">Loading runs…</p>;
  if (query.isError && !query.data) return <ErrorNote message={messageOf(query.error)} />;
  const { items, next_cursor } = query.data;
  const filtered = hasFilters(filters);

  return (
    <>
      {query.isError && <ErrorNote message={messageOf(query.error)} />}
      {items.length === 0 && page === 0 ? (
        filtered ? (
          <EmptyState>
            <p>No runs match these filters.</p>
            <button type="button" className="mt-2 text-sm text-blue-800 underline" onClick={onClear}>
              Show all runs
            </button>
          </EmptyState>
        ) : (
          <EmptyState>
            No runs yet. Deploy a flow with <Command>dagy deploy flows.py:etl --name etl-daily</Command>, then
            trigger it with <Command>dagy run etl-daily</Command>.
          </EmptyState>
        )
      ) : (
        // the previous filters' rows, dimmed, until the new ones arrive
        <div className={`overflow-x-auto ${query.isPlaceholderData ? "opacity-60" : ""}`} aria-busy={query.isPlaceholderData}>
          <RunsTable runs={items} now={now} />
        </div>
      )}
      <CursorPager
        label="Pages of runs"
        page={page}
        hasNext={next_cursor !== null}
        onPrevious={onPrevious}
        onNext={() => next_cursor && onNext(next_cursor)}
      />
    </>
  );
}
