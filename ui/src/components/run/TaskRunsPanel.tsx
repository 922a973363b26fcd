"use client";

/** The selected task's task runs: one row per run (a mapped task: one per item) with
 * map index, status, attempts, start, duration and output reference; an error's
 * message and, folded, its traceback. A finished run can be run again from this task. */

import { useQueryClient } from "@tanstack/react-query";

import type { RunView } from "@/api/client";
import { formatTime } from "@/lib/format";
import { isRunFinished } from "@/lib/run/status";
import { runsOfTask, taskRunDuration, taskRunLabel, type TaskRun, type TaskRunIndex } from "@/lib/run/taskRuns";
import { retryRun, runKey } from "@/lib/run/useRunDetail";
import { can, useMe } from "@/lib/useMe";

import { ConfirmButton } from "../ConfirmButton";
import { TaskStatusBadge } from "./TaskStatusBadge";

function TaskRunRows({ tr, now }: { tr: TaskRun; now: number }) {
  const failed = tr.error_message || tr.error_traceback;
  return (
    <>
      <tr className={failed ? "" : "border-b border-slate-200"} data-task-run-id={tr.task_run_id}>
        <td className="py-2 pr-4 font-mono text-xs">{taskRunLabel(tr)}</td>
        <td className="py-2 pr-4">{tr.map_index ?? "—"}</td>
        <td className="py-2 pr-4"><TaskStatusBadge status={tr.status} /></td>
        <td className="py-2 pr-4">{tr.attempt}</td>
        <td className="py-2 pr-4">{formatTime(tr.started_at)}</td>
        <td className="py-2 pr-4">{taskRunDuration(tr, now)}</td>
        <td className="py-2 pr-4">{tr.executor ?? "—"}</td>
        <td className="break-all py-2 pr-4 font-mono text-xs">{tr.output_ref ?? "—"}</td>
      </tr>
      {failed && (
        <tr className="border-b border-slate-200">
          <td colSpan={8} className="pb-3 pr-4">
            {tr.error_message && (
              <pre className="whitespace-pre-wrap rounded bg-red-50 p-2 text-xs text-red-900 [overflow-wrap:anywhere]">
                {tr.error_message}
              </pre>
            )}
            {tr.error_traceback && (
              <details className="mt-1">
                <summary className="cursor-pointer text-sm font-medium text-slate-800">
                  Traceback of {taskRunLabel(tr)}
                </summary>
                <pre tabIndex={0} className="mt-1 max-h-80 overflow-auto whitespace-pre-wrap rounded bg-slate-900 p-3 text-xs text-slate-100 [overflow-wrap:anywhere]">
                  {tr.error_traceback}
                </pre>
              </details>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

export function TaskRunsPanel({
  run,
  taskId,
  taskName,
  index,
  now,
}: {
  run: RunView;
  taskId: string;
  taskName: string;
  index: TaskRunIndex;
  now: number;
}) {
  const me = useMe();
  const client = useQueryClient();
  const runs = runsOfTask(index, taskId);
  return (
    <section aria-labelledby="task-runs-heading" className="rounded border border-slate-200 bg-white p-4">
      <div className="mb-2 flex flex-wrap items-center gap-3">
        <h3 id="task-runs-heading" className="font-semibold">
          Task {taskName}
        </h3>
        {isRunFinished(run.status) && can(me.data, "runs:manage") && (
          <div className="ml-auto">
            <ConfirmButton
              label={`Run again from ${taskName}`}
              title={`Run again from ${taskName}?`}
              confirmLabel="Run again"
              tone="primary"
              onConfirm={async () => {
                await retryRun(run.run_id, [taskId]);
                await client.invalidateQueries({ queryKey: runKey(run.run_id) });
              }}
            >
              The run is queued again: {taskName} and every task downstream of it run again; the
              tasks upstream keep their results.
            </ConfirmButton>
          </div>
        )}
      </div>
      {runs.length === 0 ? (
        <p className="text-sm text-slate-700">This task has not started in this run.</p>
      ) : (
        <div className="overflow-x-auto focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500" tabIndex={0} role="region" aria-label={`Task runs of ${taskName}, scrollable`}>
          <table className="w-full border-collapse text-left text-sm">
            <caption className="sr-only">Task runs of {taskName}</caption>
            <thead className="border-b border-slate-300 text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-4">Task run</th>
                <th scope="col" className="py-2 pr-4">Map index</th>
                <th scope="col" className="py-2 pr-4">Status</th>
                <th scope="col" className="py-2 pr-4">Attempts</th>
                <th scope="col" className="py-2 pr-4">Started</th>
                <th scope="col" className="py-2 pr-4">Duration</th>
                <th scope="col" className="py-2 pr-4">Executor</th>
                <th scope="col" className="py-2 pr-4">Output</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((tr) => (
                <TaskRunRows key={tr.task_run_id} tr={tr} now={now} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
