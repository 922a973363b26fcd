/** One page of deployments: name (to its detail page), flow, version, environment,
 * status, schedule, tags, last update. */

import Link from "next/link";

import { formatTime } from "@/lib/format";
import { deploymentHref, formatTags } from "@/lib/deployments/format";
import type { DeploymentView } from "@/lib/deployments/queries";

import { DeploymentStatusBadge } from "./DeploymentStatusBadge";

export function DeploymentsTable({ deployments }: { deployments: DeploymentView[] }) {
  const th = "py-2 pr-4";
  return (
    <table className="w-full border-collapse text-left text-sm">
      <thead className="border-b border-slate-300 text-slate-600">
        <tr>
          <th scope="col" className={th}>Name</th>
          <th scope="col" className={th}>Flow</th>
          <th scope="col" className={th}>Version</th>
          <th scope="col" className={th}>Environment</th>
          <th scope="col" className={th}>Status</th>
          <th scope="col" className={th}>Schedule</th>
          <th scope="col" className={th}>Tags</th>
          <th scope="col" className={th}>Updated</th>
        </tr>
      </thead>
      <tbody>
        {deployments.map((d) => (
          <tr key={d.deployment_name} className="border-b border-slate-200" data-deployment={d.deployment_name}>
            <td className="py-2 pr-4">
              <Link href={deploymentHref(d.deployment_name)} className="font-medium text-blue-800 underline hover:text-blue-900">
                {d.deployment_name}
              </Link>
            </td>
            <td className="py-2 pr-4">{d.flow_name}</td>
            <td className="py-2 pr-4 font-mono text-xs">{d.flow_version}</td>
            <td className="py-2 pr-4">{d.environment}</td>
            <td className="py-2 pr-4"><DeploymentStatusBadge status={d.status} /></td>
            <td className="py-2 pr-4 font-mono text-xs">{d.schedule ?? "—"}</td>
            <td className="py-2 pr-4 text-xs">{formatTags(d.tags)}</td>
            <td className="py-2 pr-4">{formatTime(d.updated_at)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
