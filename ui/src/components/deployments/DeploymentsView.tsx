"use client";

/** The deployments list with its pager, and what to do when there is none yet. */

import { Command, EmptyState } from "@/components/EmptyState";
import { PagedList } from "@/components/PagedList";
import { useDeployments } from "@/lib/deployments/queries";

import { DeploymentsTable } from "./DeploymentsTable";

export function DeploymentsView() {
  return (
    <PagedList
      usePage={useDeployments}
      noun="deployments"
      label="Deployments"
      empty={
        <EmptyState>
          <p>No deployments yet. Deploy a flow from its file with</p>
          <p className="mt-2">
            <Command>dagy deploy flows.py:etl --deployment etl-daily</Command>
          </p>
          <p className="mt-2 text-sm">
            (<Command>--env</Command> picks the environment; the default is development.)
          </p>
        </EmptyState>
      }
    >
      {(items) => <DeploymentsTable deployments={items} />}
    </PagedList>
  );
}
