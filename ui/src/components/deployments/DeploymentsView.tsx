"use client";

/** The deployments list with its pager, and what to do when there is none yet. */

import { useState } from "react";

import { CursorPager } from "@/components/CursorPager";
import { Command, EmptyState } from "@/components/EmptyState";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf } from "@/lib/apiCall";
import { useDeployments } from "@/lib/deployments/queries";

import { DeploymentsTable } from "./DeploymentsTable";

export function DeploymentsView() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length - 1;
  const query = useDeployments(cursors[page] ?? null);

  if (query.isPending) return <p className="text-slate-600">Loading deployments…</p>;
  if (query.isError && !query.data) return <ErrorNote message={messageOf(query.error)} />;
  const { items, next_cursor } = query.data;

  return (
    <section aria-label="Deployments">
      {query.isError && <ErrorNote message={messageOf(query.error)} />}
      {items.length === 0 && page === 0 ? (
        <EmptyState>
          <p>No deployments yet. Deploy a flow from its file with</p>
          <p className="mt-2">
            <Command>dagy deploy flows.py:etl --deployment etl-daily</Command>
          </p>
          <p className="mt-2 text-sm">
            (<Command>--env</Command> picks the environment; the default is development.)
          </p>
        </EmptyState>
      ) : (
        <DeploymentsTable deployments={items} />
      )}
      {(page > 0 || next_cursor !== null) && (
        <CursorPager
          label="Pages of deployments"
          page={page}
          hasNext={next_cursor !== null}
          onPrevious={() => setCursors((seen) => seen.slice(0, -1))}
          onNext={() => next_cursor && setCursors((seen) => [...seen, next_cursor])}
        />
      )}
    </section>
  );
}
