/** What the run detail page shows for an id the API does not know (404) or no id. */

import Link from "next/link";

import { Command, EmptyState } from "../EmptyState";

export function RunNotFound({ runId }: { runId: string }) {
  return (
    <EmptyState>
      <h2 className="text-lg font-semibold">{runId ? "No such run" : "No run given"}</h2>
      <p className="mt-2">
        {runId ? (
          <>There is no run <code className="rounded bg-slate-100 px-1 text-slate-900">{runId}</code> in this org.</>
        ) : (
          <>This page shows one run: open it from the runs list.</>
        )}{" "}
        <Command>dagy runs list</Command> lists the runs from a terminal.
      </p>
      <p className="mt-3">
        <Link href="/runs/" className="font-medium text-blue-800 underline hover:text-blue-900">
          Back to runs
        </Link>
      </p>
    </EmptyState>
  );
}
