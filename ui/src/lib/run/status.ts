/** What the run detail page needs to know about run and task-run statuses: when to
 * stop polling, which actions a status allows, and how a task status looks (colour
 * classes always shown next to the status's words, never alone). */

import type { RunStatus } from "@/api/client";

/** The run detail page polls this often while the run is not finished. */
export const RUN_POLL_MS = 2000;

const FINISHED: ReadonlySet<string> = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

/** SUCCEEDED, FAILED or CANCELLED: nothing changes any more (until a retry). */
export function isRunFinished(status: RunStatus | string | null | undefined): boolean {
  return status != null && FINISHED.has(status);
}

/** POST /runs/{id}/cancel applies to a run that has not finished. */
export function canCancel(status: RunStatus | string): boolean {
  return status === "QUEUED" || status === "RUNNING";
}

/** POST /runs/{id}/retry (no body) applies to a FAILED or CANCELLED run. */
export function canRetryFailed(status: RunStatus | string): boolean {
  return status === "FAILED" || status === "CANCELLED";
}

export type TaskStatusLook = { text: string; bar: string; badge: string };

/** Task-run statuses (TaskRunStatus): a bar colour for the timeline, a badge for tables. */
export const TASK_STATUS_LOOKS: Record<string, TaskStatusLook> = {
  PENDING: { text: "PENDING", bar: "bg-slate-400", badge: "bg-slate-100 text-slate-800" },
  RUNNING: { text: "RUNNING", bar: "bg-blue-600", badge: "bg-blue-100 text-blue-800" },
  SUCCEEDED: { text: "SUCCEEDED", bar: "bg-green-600", badge: "bg-green-100 text-green-800" },
  FAILED: { text: "FAILED", bar: "bg-red-600", badge: "bg-red-100 text-red-800" },
  SKIPPED: { text: "SKIPPED", bar: "bg-amber-500", badge: "bg-amber-100 text-amber-900" },
};

/** The look of a task status; one this UI does not know still shows its own name. */
export function taskStatusLook(status: string): TaskStatusLook {
  return TASK_STATUS_LOOKS[status] ?? { text: status, bar: "bg-slate-500", badge: "bg-slate-100 text-slate-800" };
}
