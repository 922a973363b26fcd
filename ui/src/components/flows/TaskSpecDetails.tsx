/** The static options of the task selected in a flow's graph: its function, inputs'
 * upstream tasks, retries, timeout, runtime tier, executor, memory, tags. */

import type { FlowSpecTask } from "@/lib/dag/types";

type Row = [label: string, value: string];

function retriesText(task: FlowSpecTask): string {
  const retries = task.retries ?? 0;
  if (retries === 0) return "none";
  const delay = task.retry_delay_seconds;
  const wait = Array.isArray(delay) ? `${delay.join(", ")} s` : delay ? `${delay} s` : "no delay";
  return `${retries} (wait ${wait})`;
}

export function taskSpecRows(task: FlowSpecTask, defaultExecutor: string | null): Row[] {
  return [
    ["Task id", task.id],
    ["Function", task.function || "—"],
    ["Mapped", task.mapped ? "yes: one run per item of its first input" : "no"],
    ["Upstream", task.upstream.length ? task.upstream.join(", ") : "none"],
    ["Retries", retriesText(task)],
    ["Timeout", task.timeout_seconds ? `${task.timeout_seconds} s` : "none"],
    ["Runtime tier", task.runtime_tier ?? "the flow's default"],
    ["Executor", task.executor ?? (defaultExecutor ? `${defaultExecutor} (the flow's default)` : "the deployment's default")],
    ["Memory", task.memory_mb ? `${task.memory_mb} MB` : "default"],
    ["Tags", task.tags?.length ? task.tags.join(", ") : "none"],
  ];
}

export function TaskSpecDetails({
  task,
  defaultExecutor,
  onClose,
}: {
  task: FlowSpecTask;
  defaultExecutor: string | null;
  onClose: () => void;
}) {
  return (
    <section aria-labelledby="task-spec-title" className="rounded border border-slate-300 bg-white p-4" data-testid="task-details">
      <div className="mb-2 flex items-center gap-2">
        <h3 id="task-spec-title" className="font-semibold">Task {task.name}</h3>
        <button
          type="button"
          onClick={onClose}
          className="ml-auto rounded border border-slate-300 px-2 py-0.5 text-sm text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500"
        >
          Close
        </button>
      </div>
      {task.description && <p className="mb-2 text-sm text-slate-700">{task.description}</p>}
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        {taskSpecRows(task, defaultExecutor).map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-600">{label}</dt>
            <dd className="break-all font-mono text-xs leading-5">{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
