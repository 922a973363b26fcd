"use client";

/** The runs table with its pager, states for loading, errors and no runs yet. */

import { useEffect, useState } from "react";

import { useRuns } from "@/lib/useRuns";

import { CursorPager } from "./CursorPager";
import { ErrorNote } from "./ErrorNote";
import { RunsTable } from "./RunsTable";

export function RunsView() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length - 1;
  const query = useRuns(cursors[page] ?? null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [query.dataUpdatedAt]);

  if (query.isPending) return <p className="text-slate-500">Loading runs…</p>;
  if (query.isError && !query.data) return <ErrorNote message={query.error.message} />;
  const { items, next_cursor } = query.data;

  return (
    <section aria-label="Runs">
      {query.isError && <ErrorNote message={query.error.message} />}
      {items.length === 0 && page === 0 ? (
        <p className="text-slate-600">
          No runs yet. Deploy a flow with <code className="rounded bg-slate-100 px-1">dagy deploy</code>, then
          trigger it with <code className="rounded bg-slate-100 px-1">dagy run</code>.
        </p>
      ) : (
        <RunsTable runs={items} now={now} />
      )}
      <CursorPager
        page={page}
        hasNext={next_cursor !== null}
        onPrevious={() => setCursors((seen) => seen.slice(0, -1))}
        onNext={() => next_cursor && setCursors((seen) => [...seen, next_cursor])}
      />
    </section>
  );
}
