"use client";

/** The registered flows with their pager, states for loading, errors and no flows yet. */

import { useState } from "react";

import { messageOf } from "@/lib/apiCall";
import { useFlows } from "@/lib/useFlows";

import { CursorPager } from "../CursorPager";
import { Command, EmptyState } from "../EmptyState";
import { ErrorNote } from "../ErrorNote";

import { FlowsTable } from "./FlowsTable";

export function FlowsView() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length - 1;
  const query = useFlows(cursors[page] ?? null);

  if (query.isPending) return <p className="text-slate-700">Loading flows…</p>;
  if (query.isError && !query.data) return <ErrorNote message={messageOf(query.error)} />;
  const { items, next_cursor } = query.data;

  return (
    <section aria-label="Flows">
      {query.isError && <ErrorNote message={messageOf(query.error)} />}
      {items.length === 0 && page === 0 ? (
        <EmptyState>
          No flows yet. Register one by deploying it, e.g.{" "}
          <Command>dagy deploy flows.py:etl --name etl-daily</Command>; its versions and task graph then show here.
        </EmptyState>
      ) : (
        <FlowsTable flows={items} />
      )}
      {(page > 0 || next_cursor !== null) && (
        <CursorPager
          label="Pages of flows"
          page={page}
          hasNext={next_cursor !== null}
          onPrevious={() => setCursors((seen) => seen.slice(0, -1))}
          onNext={() => next_cursor && setCursors((seen) => [...seen, next_cursor])}
        />
      )}
    </section>
  );
}
