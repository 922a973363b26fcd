/** The runs table's cells for deployment (a link to its detail page), tier / executor
 * and trigger source: kept apart from RunsTable so its other columns change on their own. */

import Link from "next/link";

import type { RunView } from "@/api/client";
import { DASH, deploymentHref, tierExecutor, triggerSource } from "@/lib/runs/columns";

const CELL = "py-2 pr-4";

export function DeploymentCell({ run }: { run: RunView }) {
  return (
    <td className={CELL}>
      {run.deployment_name ? (
        <Link href={deploymentHref(run.deployment_name)} className="text-blue-800 underline-offset-2 hover:underline">
          {run.deployment_name}
        </Link>
      ) : (
        DASH
      )}
    </td>
  );
}

export function TierExecutorCell({ run }: { run: RunView }) {
  return <td className={`${CELL} text-xs`}>{tierExecutor(run)}</td>;
}

export function TriggerCell({ run }: { run: RunView }) {
  return <td className={CELL}>{triggerSource(run)}</td>;
}
