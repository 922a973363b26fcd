"use client";

/** One deployment: what it runs (flow version with its code hash, environment, where
 * it was promoted from, default tier and executor, schedule, parameters and the
 * flow's parameter schema), its recent runs, and the actions the caller's role allows
 * (Pause/Resume with deployments:operate, Trigger run with runs:trigger). */

import Link from "next/link";
import { useState } from "react";

import { Button } from "@/components/Button";
import { ErrorNote } from "@/components/ErrorNote";
import { FactItem } from "@/components/FactList";
import { PageShell } from "@/components/PageShell";
import { messageOf } from "@/lib/apiCall";
import { deploymentHref, flowVersionHref, formatTags } from "@/lib/deployments/format";
import { specOf, useDeployment, useFlowVersion } from "@/lib/deployments/queries";
import { formatTime } from "@/lib/format";
import { can, useMe } from "@/lib/useMe";

import { DeploymentStatusBadge } from "./DeploymentStatusBadge";
import { ParametersTable } from "./ParametersTable";
import { PauseResume } from "./PauseResume";
import { RecentRuns } from "./RecentRuns";
import { TriggerRunForm } from "./TriggerRunForm";

export function DeploymentDetail({ name }: { name: string }) {
  const me = useMe().data;
  const deployment = useDeployment(name);
  const d = deployment.data;
  const version = useFlowVersion(d?.flow_name, d?.flow_version);
  const parameters = specOf(version.data)?.parameters ?? [];
  const [triggering, setTriggering] = useState(false);

  const actions = d && (
    <>
      {can(me, "deployments:operate") && <PauseResume deployment={d} />}
      {can(me, "runs:trigger") && version.data && (
        <Button
          tone="primary"
          aria-expanded={triggering}
          aria-controls="trigger-form"
          onClick={() => setTriggering((open) => !open)}
        >
          {triggering ? "Hide trigger form" : "Trigger run…"}
        </Button>
      )}
    </>
  );

  return (
    <PageShell title={name ? `Deployment ${name}` : "Deployment"} actions={actions}>
      {!name ? (
        <p className="text-slate-700">
          No deployment named. Pick one on the <Link href="/deployments/" className="text-blue-800 underline">Deployments</Link> page.
        </p>
      ) : deployment.isPending ? (
        <p className="text-slate-600">Loading the deployment…</p>
      ) : deployment.isError ? (
        <ErrorNote message={messageOf(deployment.error)} />
      ) : (
        d && (
          <>
            {triggering && version.data && (
              <div id="trigger-form">
                <TriggerRunForm deployment={d} parameters={parameters} onCancel={() => setTriggering(false)} />
              </div>
            )}
            <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
              <FactItem term="Status"><DeploymentStatusBadge status={d.status} /></FactItem>
              <FactItem term="Flow version">
                <Link href={flowVersionHref(d.flow_name, d.flow_version)} className="text-blue-800 underline hover:text-blue-900">
                  {d.flow_name} {d.flow_version}
                </Link>
              </FactItem>
              <FactItem term="Code hash">
                {version.isError ? (
                  <span className="text-red-800">{messageOf(version.error)}</span>
                ) : (
                  <code className="break-all text-xs">{version.data?.code_hash ?? "…"}</code>
                )}
              </FactItem>
              <FactItem term="Environment">{d.environment}</FactItem>
              <FactItem term="Promoted from">
                {d.promoted_from ? (
                  <Link href={deploymentHref(d.promoted_from)} className="text-blue-800 underline hover:text-blue-900">
                    {d.promoted_from}
                  </Link>
                ) : (
                  "— (deployed directly)"
                )}
              </FactItem>
              <FactItem term="Default tier">{d.default_runtime_tier ?? "— (the environment's, then the flow's)"}</FactItem>
              <FactItem term="Default executor">{d.default_executor ?? "— (the environment's, then the flow's)"}</FactItem>
              <FactItem term="Schedule">{d.schedule ? <span className="font-mono">{d.schedule}</span> : "None"}</FactItem>
              <FactItem term="Tags">{formatTags(d.tags)}</FactItem>
              <FactItem term="Default parameters">
                <code className="break-all text-xs">{JSON.stringify(d.parameters)}</code>
              </FactItem>
              <FactItem term="Created">{formatTime(d.created_at)}</FactItem>
              <FactItem term="Updated">{formatTime(d.updated_at)}</FactItem>
            </dl>
            <section aria-labelledby="parameters-title" className="mt-8">
              <h2 id="parameters-title" className="mb-2 text-lg font-semibold">Parameters</h2>
              {version.isPending ? (
                <p className="text-slate-600">Loading the flow&apos;s parameters…</p>
              ) : version.isError ? (
                <ErrorNote message={messageOf(version.error)} />
              ) : (
                <ParametersTable parameters={parameters} deploymentParameters={d.parameters} />
              )}
            </section>
            <RecentRuns name={name} />
          </>
        )
      )}
    </PageShell>
  );
}
