"use client";

/** A deployment's last 20 runs, live: the success rate, a sparkline of durations and
 * the runs themselves, each linking to its run page. */

import Link from "next/link";
import { useEffect, useState } from "react";

import type { RunView } from "@/api/client";
import { ErrorNote } from "@/components/ErrorNote";
import { StatusBadge } from "@/components/StatusBadge";
import { messageOf } from "@/lib/apiCall";
import { runHref } from "@/lib/deployments/format";
import { RECENT_RUNS, useDeploymentRuns } from "@/lib/deployments/queries";
import { durationsOf, successRate } from "@/lib/deployments/runStats";
import { formatTime, runDuration } from "@/lib/format";

import { Sparkline } from "./Sparkline";

export function RecentRuns({ name }: { name: string }) {
  const query = useDeploymentRuns(name);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [query.dataUpdatedAt]);

  return (
    <section aria-labelledby="recent-runs" className="mt-8">
      <h2 id="recent-runs" className="mb-2 text-lg font-semibold">Recent runs</h2>
      {query.isPending ? (
        <p className="text-slate-600">Loading runs…</p>
      ) : query.isError && !query.data ? (
        <ErrorNote message={messageOf(query.error)} />
      ) : query.data.items.length === 0 ? (
        <p className="text-slate-700">
          No runs yet. Trigger one here or with <code className="rounded bg-slate-100 px-1">dagy run {name}</code>.
        </p>
      ) : (
        <RunsSummary runs={query.data.items} now={now} />
      )}
    </section>
  );
}

function RunsSummary({ runs, now }: { runs: RunView[]; now: number }) {
  const rate = successRate(runs);
  return (
    <>
      <div className="mb-3 flex flex-wrap items-center gap-4">
        <p className="text-sm text-slate-700" data-testid="success-rate">
          {rate.percent === null
            ? "No finished runs yet."
            : `Success rate: ${rate.percent}% (${rate.succeeded} of ${rate.finished} finished runs in the last ${Math.min(runs.length, RECENT_RUNS)})`}
        </p>
        <Sparkline durations={durationsOf(runs)} />
      </div>
      <RunRows runs={runs} now={now} />
    </>
  );
}

function RunRows({ runs, now }: { runs: RunView[]; now: number }) {
  return (
    <table className="w-full border-collapse text-left text-sm">
      <thead className="border-b border-slate-300 text-slate-600">
        <tr>
          <th scope="col" className="py-2 pr-4">Run</th>
          <th scope="col" className="py-2 pr-4">Status</th>
          <th scope="col" className="py-2 pr-4">Version</th>
          <th scope="col" className="py-2 pr-4">Created</th>
          <th scope="col" className="py-2 pr-4">Duration</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.run_id} className="border-b border-slate-200">
            <td className="py-2 pr-4">
              <Link href={runHref(run.run_id)} className="font-mono text-xs text-blue-800 underline hover:text-blue-900">
                {run.run_slug ?? run.run_id}
              </Link>
            </td>
            <td className="py-2 pr-4"><StatusBadge status={run.status} /></td>
            <td className="py-2 pr-4 font-mono text-xs">{run.flow_version}</td>
            <td className="py-2 pr-4">{formatTime(run.created_at)}</td>
            <td className="py-2 pr-4">{runDuration(run, now)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
