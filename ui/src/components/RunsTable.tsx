/** The runs of one page: run (a link to its detail page), status, deployment, flow
 * version, tier / executor, started, duration, trigger source. */

import Link from "next/link";

import type { RunView } from "@/api/client";
import { formatTime, runDuration } from "@/lib/format";

import { DeploymentCell, TierExecutorCell, TriggerCell } from "./runs/RunCells";
import { StatusBadge } from "./StatusBadge";
import { runHref } from "@/lib/links";

export function RunsTable({ runs, now }: { runs: RunView[]; now: number }) {
  return (
    <table className="w-full border-collapse text-left text-sm">
      <thead className="border-b border-slate-300 text-slate-600">
        <tr>
          <th scope="col" className="py-2 pr-4">Run</th>
          <th scope="col" className="py-2 pr-4">Status</th>
          <th scope="col" className="py-2 pr-4">Deployment</th>
          <th scope="col" className="py-2 pr-4">Flow version</th>
          <th scope="col" className="py-2 pr-4">Tier / executor</th>
          <th scope="col" className="py-2 pr-4">Started</th>
          <th scope="col" className="py-2 pr-4">Duration</th>
          <th scope="col" className="py-2 pr-4">Trigger</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => (
          <tr key={run.run_id} className="border-b border-slate-200" data-run-id={run.run_id}>
            <td className="py-2 pr-4">
              <Link
                href={runHref(run.run_id)}
                title={run.run_id}
                className="font-mono text-xs text-blue-800 underline hover:text-blue-900"
              >
                {run.run_slug ?? run.run_id.slice(0, 12)}
              </Link>
            </td>
            <td className="py-2 pr-4"><StatusBadge status={run.status} /></td>
            <DeploymentCell run={run} />
            <td className="py-2 pr-4 font-mono text-xs">{run.flow_name} {run.flow_version}</td>
            <TierExecutorCell run={run} />
            <td className="py-2 pr-4">{formatTime(run.started_at)}</td>
            <td className="py-2 pr-4">{runDuration(run, now)}</td>
            <TriggerCell run={run} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
