"use client";

/** One flow version: the flow's versions to pick from, this version's code hash,
 * registration time and parameters, and its static DAG; selecting a task in the graph
 * shows its options (function, retries, timeout, tier, executor). */

import Link from "next/link";
import { useMemo, useState } from "react";

import { messageOf } from "@/lib/apiCall";
import { formatTime } from "@/lib/format";
import { flowSpecOf, useFlow, useFlowVersion, type FlowDetail } from "@/lib/useFlows";

import { DagGraph } from "../dag/DagGraph";
import { Command, EmptyState } from "../EmptyState";
import { ErrorNote } from "../ErrorNote";

import { FlowParameters } from "./FlowParameters";
import { FlowVersions } from "./FlowVersions";
import { TagList } from "./TagList";
import { TaskSpecDetails } from "./TaskSpecDetails";

export function FlowDetailView({ name, version }: { name: string; version: string | null }) {
  const flow = useFlow(name);
  if (!name)
    return (
      <EmptyState>
        No flow named. Pick one on the <Link className="text-blue-800 underline" href="/flows/">Flows</Link> page.
      </EmptyState>
    );
  if (flow.isPending) return <p className="text-slate-700">Loading {name}…</p>;
  if (flow.isError) return <ErrorNote message={messageOf(flow.error)} />;
  const shown = version || flow.data.latest_version;
  return (
    <div className="flex flex-col gap-6">
      <FlowVersions flow={flow.data} shown={shown} />
      <VersionView key={shown} flow={flow.data} version={shown} />
    </div>
  );
}

function VersionView({ flow, version }: { flow: FlowDetail; version: string }) {
  const query = useFlowVersion(flow.flow_name, version);
  const spec = useMemo(() => (query.data ? flowSpecOf(query.data) : null), [query.data]);
  const [selected, setSelected] = useState<string | null>(null);

  if (query.isPending) return <p className="text-slate-700">Loading version {version}…</p>;
  if (query.isError || !spec) return <ErrorNote message={messageOf(query.error) ?? "This version has no FlowSpec."} />;
  const view = query.data;
  const task = spec.tasks.find((t) => t.id === selected) ?? null;

  return (
    <section aria-labelledby="version-title" className="flex flex-col gap-4">
      <h2 id="version-title" className="text-lg font-semibold">
        Version <span className="font-mono">{view.flow_version}</span>
      </h2>
      {spec.description && <p className="text-slate-700">{spec.description}</p>}
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="text-slate-600">Namespace</dt>
        <dd>{view.namespace}</dd>
        <dt className="text-slate-600">Status</dt>
        <dd>{view.status}</dd>
        <dt className="text-slate-600">Code hash</dt>
        <dd className="break-all font-mono text-xs leading-5">{view.code_hash}</dd>
        <dt className="text-slate-600">Registered</dt>
        <dd>{formatTime(view.created_at)}</dd>
        <dt className="text-slate-600">Artifact</dt>
        <dd className="break-all font-mono text-xs leading-5">{view.artifact_uri}</dd>
        <dt className="text-slate-600">Default executor</dt>
        <dd>{view.default_executor ?? "the deployment's"}</dd>
        <dt className="text-slate-600">Tags</dt>
        <dd><TagList tags={view.tags} /></dd>
      </dl>
      <FlowParameters parameters={spec.parameters} />
      <div className="flex flex-col gap-4 lg:flex-row">
        <div className="min-w-0 flex-1">
          <h3 className="mb-2 font-semibold">Tasks</h3>
          <DagGraph spec={spec} selectedTaskId={selected} onSelectTask={setSelected} height={520} />
        </div>
        <div className="lg:w-80">
          {task ? (
            <TaskSpecDetails task={task} defaultExecutor={view.default_executor} onClose={() => setSelected(null)} />
          ) : (
            <p className="rounded border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-700">
              Select a task in the graph to see its function, retries, timeout, tier and executor. To run this
              version, deploy it (<Command>dagy deploy</Command>) and trigger the deployment.
            </p>
          )}
        </div>
      </div>
    </section>
  );
}
