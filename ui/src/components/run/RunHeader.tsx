/** The run's facts at the top of its page: status, flow and version, deployment,
 * where it runs, what triggered it, parameters, times, error and result, and any field
 * a newer API adds (routing, a cost estimate) when present. */

import Link from "next/link";
import type { ReactNode } from "react";

import type { RunView } from "@/api/client";
import { formatTime, runDuration } from "@/lib/format";
import { extraRunFields, isBlockValue, valueText } from "@/lib/run/extras";
import { triggerSource } from "@/lib/runs/columns";

import { StatusBadge } from "../StatusBadge";
import { deploymentHref } from "@/lib/links";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-0.5 break-words text-sm text-slate-900">{children}</dd>
    </div>
  );
}

function Value({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <>—</>;
  return isBlockValue(value) ? (
    <pre tabIndex={0} className="max-h-48 overflow-auto rounded bg-slate-100 p-2 text-xs text-slate-900">{valueText(value)}</pre>
  ) : (
    <span className="font-mono text-xs">{valueText(value)}</span>
  );
}

export function RunHeader({ run, now, actions }: { run: RunView; now: number; actions?: ReactNode }) {
  const where = [run.runtime_tier, run.executor].filter(Boolean).join(" / ") || "—";
  const hasParameters = Object.keys(run.parameters ?? {}).length > 0;
  return (
    <section aria-labelledby="run-heading" className="rounded border border-slate-200 bg-white p-4">
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <StatusBadge status={run.status} />
        <h2 id="run-heading" className="text-lg font-semibold">
          {run.run_slug ?? run.run_id}
        </h2>
        <span className="font-mono text-xs text-slate-600">{run.run_id}</span>
        {actions && <div className="ml-auto flex flex-wrap gap-2">{actions}</div>}
      </div>
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 md:grid-cols-4">
        <Fact label="Flow">
          <span className="font-mono text-xs">{run.flow_name} {run.flow_version}</span>
        </Fact>
        <Fact label="Deployment">
          {run.deployment_name ? (
            <Link
              href={deploymentHref(run.deployment_name)}
              className="text-blue-800 underline hover:text-blue-900"
            >
              {run.deployment_name}
            </Link>
          ) : (
            "—"
          )}
        </Fact>
        <Fact label="Tier / executor">{where}</Fact>
        <Fact label="Trigger">{triggerSource(run)}</Fact>
        <Fact label="Created">{formatTime(run.created_at)}</Fact>
        <Fact label="Started">{formatTime(run.started_at)}</Fact>
        <Fact label="Completed">{formatTime(run.completed_at)}</Fact>
        <Fact label="Duration">{runDuration(run, now)}</Fact>
        {run.external_id && <Fact label="External id"><span className="font-mono text-xs">{run.external_id}</span></Fact>}
        {extraRunFields(run as unknown as Record<string, unknown>).map((field) => (
          <Fact key={field.key} label={field.label}>
            <Value value={field.value} />
          </Fact>
        ))}
      </dl>
      <dl className="mt-3 grid gap-3 md:grid-cols-2">
        <Fact label="Parameters">{hasParameters ? <Value value={run.parameters} /> : "none"}</Fact>
        {run.status === "SUCCEEDED" && (
          <Fact label="Result">
            <Value value={run.result} />
          </Fact>
        )}
      </dl>
      {run.error_message && (
        <div className="mt-3 rounded bg-red-50 p-3">
          <p className="text-xs font-medium uppercase tracking-wide text-red-800">Error</p>
          <pre className="mt-1 whitespace-pre-wrap break-words text-sm text-red-900">{run.error_message}</pre>
        </div>
      )}
    </section>
  );
}
