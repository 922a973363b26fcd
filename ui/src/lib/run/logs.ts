/** A run's log lines on the detail page: following the API's tail cursor (an empty
 * page answers next_cursor null, so the last cursor seen is kept and sent again), the
 * task a line belongs to (from its task_run_id), and the task and level filters. */

import type { components } from "@/api/schema";

import type { TaskRun } from "./taskRuns";

export type LogLine = components["schemas"]["LogLineView"];
export type LogState = { lines: LogLine[]; cursor: string | null };

export const EMPTY_LOGS: LogState = { lines: [], cursor: null };

/** The state after one more page: its lines appended; its cursor, or the last one when
 * the page was empty ("nothing more yet"). */
export function appendLogPage(state: LogState, page: { items: LogLine[]; next_cursor: string | null }): LogState {
  if (page.items.length === 0) return state;
  return { lines: [...state.lines, ...page.items], cursor: page.next_cursor ?? state.cursor };
}

export type LineTask = { taskId: string; label: string };

/** The task of a line: from the run's task runs, else read from the id
 * ("<run_id>.enrich[3]" -> task enrich, label "enrich[3]"); null for a run-level line. */
export function lineTask(
  line: Pick<LogLine, "task_run_id">,
  runId: string,
  byTaskRunId: ReadonlyMap<string, Pick<TaskRun, "task_id" | "task_name" | "map_index">>,
): LineTask | null {
  const id = line.task_run_id;
  if (!id) return null;
  const known = byTaskRunId.get(id);
  if (known) {
    const label = known.map_index === null ? known.task_name : `${known.task_name}[${known.map_index}]`;
    return { taskId: known.task_id, label };
  }
  const label = id.startsWith(`${runId}.`) ? id.slice(runId.length + 1) : id;
  return { taskId: label.replace(/\[\d+\]$/, ""), label };
}

/** Levels from least to most severe; WARN and FATAL are their usual aliases. */
export const LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;
const ALIASES: Record<string, string> = { WARN: "WARNING", FATAL: "CRITICAL" };

/** 0 for DEBUG up to 4 for CRITICAL; a level this UI does not know ranks as INFO. */
export function levelRank(level: string): number {
  const upper = level.toUpperCase();
  const rank = LEVELS.indexOf((ALIASES[upper] ?? upper) as (typeof LEVELS)[number]);
  return rank < 0 ? 1 : rank;
}

/** The rank of a line's level, worked out once per line object (lines keep their
 * object across polls: appendLogPage keeps the old ones, TanStack Query shares them). */
const ranks = new WeakMap<object, number>();
export function lineRank(line: Pick<LogLine, "level">): number {
  let rank = ranks.get(line);
  if (rank === undefined) {
    rank = levelRank(line.level);
    ranks.set(line, rank);
  }
  return rank;
}

/** One formatter for every line: toLocaleTimeString builds a new one per call, which at
 * thousands of lines per render was the run page's biggest cost. */
let timeFormat: Intl.DateTimeFormat | null = null;
const times = new WeakMap<object, string>();

/** "15:04:05.123" in the browser's locale, formatted once per line object. */
export function lineTime(line: Pick<LogLine, "timestamp">): string {
  let text = times.get(line);
  if (text === undefined) {
    text = formatLogTime(line.timestamp);
    times.set(line, text);
  }
  return text;
}

export function formatLogTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  timeFormat ??= new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit", second: "2-digit", hour12: false });
  return `${timeFormat.format(date)}.${String(date.getMilliseconds()).padStart(3, "0")}`;
}

/** A key per line object that stays when older lines scroll out of the drawn window
 * (an index into the drawn slice would give every row a new key on each new line). */
const keys = new WeakMap<object, number>();
let nextKey = 0;
export function lineKey(line: object): number {
  let key = keys.get(line);
  if (key === undefined) {
    key = nextKey++;
    keys.set(line, key);
  }
  return key;
}

/** A task id, or "" for all; "__run__" for the run's own lines (no task). */
export const RUN_LINES = "__run__";

export type LogFilter = { taskId: string; minLevel: string };

/** The lines that pass the filter: the task's (or the run's own), at or above minLevel. */
export function filterLogLines(
  lines: readonly LogLine[],
  filter: LogFilter,
  taskOf: (line: LogLine) => LineTask | null,
): LogLine[] {
  const min = filter.minLevel ? levelRank(filter.minLevel) : -1;
  if (min < 0 && !filter.taskId) return lines as LogLine[];
  return lines.filter((line) => {
    if (min >= 0 && lineRank(line) < min) return false;
    if (!filter.taskId) return true;
    const task = taskOf(line);
    return filter.taskId === RUN_LINES ? task === null : task?.taskId === filter.taskId;
  });
}

/** Tailwind classes of a level's text (its name is always shown too). */
export function levelClass(level: string): string {
  const rank = levelRank(level);
  if (rank >= 3) return "text-red-800 font-semibold";
  if (rank === 2) return "text-amber-900 font-semibold";
  if (rank === 0) return "text-slate-600";
  return "text-slate-800";
}
