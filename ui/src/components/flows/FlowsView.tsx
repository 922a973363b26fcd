"use client";

/** The registered flows with their pager, states for loading, errors and no flows yet. */

import { Command, EmptyState } from "@/components/EmptyState";
import { PagedList } from "@/components/PagedList";
import { useFlows } from "@/lib/useFlows";

import { FlowsTable } from "./FlowsTable";

export function FlowsView() {
  return (
    <PagedList
      usePage={useFlows}
      noun="flows"
      label="Flows"
      empty={
        <EmptyState>
          No flows yet. Register one by deploying it, e.g.{" "}
          <Command>dagy deploy flows.py:etl --name etl-daily</Command>; its versions and task graph then show here.
        </EmptyState>
      }
    >
      {(items) => <FlowsTable flows={items} />}
    </PagedList>
  );
}
