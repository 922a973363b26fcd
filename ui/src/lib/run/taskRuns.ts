/** A run's task runs arranged for the detail page: the tasks to pick from (flow-spec
 * order, then any task the spec does not name), one task's runs in map-index order,
 * labels like "enrich[3]" and durations that count up while a task runs. */

import type { components } from "@/api/schema";
import { formatDuration } from "@/lib/format";

export type TaskRun = components["schemas"]["TaskRunView"];

export type TaskChoice = { id: string; name: string; mapped: boolean };

type SpecLike = { tasks: { id: string; name: string; mapped?: boolean }[] } | null | undefined;

/** The tasks of the run: the spec's in its order, then task ids only the task runs name. */
export function taskChoices(spec: SpecLike, taskRuns: readonly TaskRun[]): TaskChoice[] {
  const choices: TaskChoice[] = (spec?.tasks ?? []).map((t) => ({ id: t.id, name: t.name, mapped: !!t.mapped }));
  const known = new Set(choices.map((c) => c.id));
  for (const tr of taskRuns) {
    if (known.has(tr.task_id)) continue;
    known.add(tr.task_id);
    choices.push({ id: tr.task_id, name: tr.task_name, mapped: tr.map_index !== null });
  }
  return choices;
}

/** One task's runs: the unmapped record first, then items by map index, then attempt. */
export function taskRunsOf(taskRuns: readonly TaskRun[], taskId: string): TaskRun[] {
  return taskRuns.filter((tr) => tr.task_id === taskId).sort(byItem);
}

/** The previous choices when the new ones list the same tasks (the usual case on each
 * poll), so the selects built from them are not rebuilt. */
export function keepChoices(before: TaskChoice[] | null, next: TaskChoice[]): TaskChoice[] {
  if (!before || before.length !== next.length) return next;
  for (let i = 0; i < next.length; i += 1) {
    const a = before[i]!;
    const b = next[i]!;
    if (a.id !== b.id || a.name !== b.name || a.mapped !== b.mapped) return next;
  }
  return before;
}

/** Map index, then attempt: the order a task's runs are listed in. */
function byItem(a: TaskRun, b: TaskRun): number {
  return (a.map_index ?? -1) - (b.map_index ?? -1) || a.attempt - b.attempt;
}

/** The task runs of one fetch grouped once, so the picker, the panel, the task list and
 * the logs look a task (or a task run) up instead of scanning every task run each time
 * (a 1,000-task run: 1,000 options times 1,000 task runs per render otherwise). */
export type TaskRunIndex = {
  /** task id -> its runs in taskRunsOf's order */
  byTask: ReadonlyMap<string, readonly TaskRun[]>;
  byId: ReadonlyMap<string, TaskRun>;
  /** task id -> statusCountsText of its runs; a task without runs is absent */
  statusText: ReadonlyMap<string, string>;
};

export const NO_TASK_RUNS: readonly TaskRun[] = Object.freeze([]);

export function indexTaskRuns(taskRuns: readonly TaskRun[]): TaskRunIndex {
  const byTask = new Map<string, TaskRun[]>();
  const byId = new Map<string, TaskRun>();
  for (const tr of taskRuns) {
    byId.set(tr.task_run_id, tr);
    const list = byTask.get(tr.task_id);
    if (list) list.push(tr);
    else byTask.set(tr.task_id, [tr]);
  }
  const statusText = new Map<string, string>();
  for (const [taskId, list] of byTask) {
    list.sort(byItem);
    statusText.set(taskId, statusCountsText(list));
  }
  return { byTask, byId, statusText };
}

/** One task's runs from the index (the same array each time for one fetch). */
export function runsOfTask(index: TaskRunIndex, taskId: string): readonly TaskRun[] {
  return index.byTask.get(taskId) ?? NO_TASK_RUNS;
}

/** statusCountsText of one task's runs from the index. */
export function taskStatusText(index: TaskRunIndex, taskId: string): string {
  return index.statusText.get(taskId) ?? statusCountsText(NO_TASK_RUNS);
}

/** "extract" or "enrich[3]". */
export function taskRunLabel(tr: Pick<TaskRun, "task_name" | "map_index">): string {
  return tr.map_index === null || tr.map_index === undefined ? tr.task_name : `${tr.task_name}[${tr.map_index}]`;
}

/** Started to completed; a running task counts up to `now`; not started: a dash. */
export function taskRunDuration(tr: Pick<TaskRun, "started_at" | "completed_at">, now: number): string {
  if (!tr.started_at) return "—";
  const start = Date.parse(tr.started_at);
  const end = tr.completed_at ? Date.parse(tr.completed_at) : now;
  return Number.isNaN(start) || Number.isNaN(end) ? "—" : formatDuration(Math.max(0, end - start));
}

/** "3 SUCCEEDED, 1 RUNNING" over one task's runs (each record is its latest attempt). */
export function statusCountsText(runs: readonly Pick<TaskRun, "status">[]): string {
  const counts = new Map<string, number>();
  for (const tr of runs) counts.set(tr.status, (counts.get(tr.status) ?? 0) + 1);
  if (counts.size === 0) return "not started";
  if (runs.length === 1) return runs[0]!.status;
  return [...counts].map(([status, n]) => `${n} ${status}`).join(", ");
}
