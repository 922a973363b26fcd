/** The Gantt-style timeline of a run's task runs as plain numbers: one row per task
 * run, its bar's left edge and width in percent of the run's span (the run's start to
 * its end, or to now while it runs), and tick marks along the axis. The component
 * only draws what this returns, so the arithmetic is unit-tested here. */

import { formatDuration } from "@/lib/format";

export type TimelineTaskRun = {
  task_run_id: string;
  task_id: string;
  task_name: string;
  map_index: number | null;
  status: string;
  attempt: number;
  started_at: string | null;
  completed_at: string | null;
};

export type TimelineRow = {
  id: string;
  label: string;
  status: string;
  attempt: number;
  /** null: the task run has not started (no bar) */
  leftPct: number | null;
  widthPct: number;
  /** ms from the timeline's start to the bar's start, and the bar's length in ms */
  offsetMs: number;
  durationMs: number;
  /** still running: the bar ends at now */
  open: boolean;
};

export type TimelineTick = { pct: number; label: string };

export type Timeline = { startMs: number; spanMs: number; rows: TimelineRow[]; ticks: TimelineTick[] };

/** A bar never thinner than this (a 0.1 ms task must still be visible). */
export const MIN_BAR_PCT = 0.5;

const STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000,
  60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];

/** The smallest "nice" step that gives at most `maxTicks` intervals over spanMs. */
export function tickStep(spanMs: number, maxTicks = 6): number {
  for (const step of STEPS) if (spanMs / step <= maxTicks) return step;
  return Math.ceil(spanMs / maxTicks / 86_400_000) * 86_400_000;
}

function parse(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

export function layoutTimeline(input: {
  runStartedAt: string | null;
  runCompletedAt: string | null;
  taskRuns: readonly TimelineTaskRun[];
  now: number;
}): Timeline {
  const starts = input.taskRuns.map((tr) => parse(tr.started_at)).filter((x): x is number => x !== null);
  const ends = input.taskRuns.map((tr) => parse(tr.completed_at)).filter((x): x is number => x !== null);
  const runStart = parse(input.runStartedAt);
  const startMs = Math.min(...(runStart !== null ? [runStart] : []), ...starts, Number.POSITIVE_INFINITY);
  if (!Number.isFinite(startMs)) {
    return { startMs: 0, spanMs: 0, rows: input.taskRuns.map((tr) => unstarted(tr)), ticks: [] };
  }
  const anyOpen = input.taskRuns.some((tr) => tr.started_at && !tr.completed_at);
  const runEnd = parse(input.runCompletedAt);
  const endMs = Math.max(
    runEnd ?? (anyOpen || runStart !== null ? input.now : startMs),
    ...ends,
    ...starts,
    anyOpen ? input.now : startMs,
  );
  const spanMs = Math.max(endMs - startMs, 1);

  const rows = input.taskRuns
    .map((tr): TimelineRow => {
      const s = parse(tr.started_at);
      if (s === null) return unstarted(tr);
      const open = parse(tr.completed_at) === null;
      const e = open ? Math.max(input.now, s) : (parse(tr.completed_at) as number);
      const leftPct = clamp(((s - startMs) / spanMs) * 100, 0, 100 - MIN_BAR_PCT);
      const widthPct = clamp(((e - s) / spanMs) * 100, MIN_BAR_PCT, 100 - leftPct);
      return { ...base(tr), leftPct, widthPct, offsetMs: s - startMs, durationMs: Math.max(0, e - s), open };
    })
    .sort(byStart);

  const step = tickStep(spanMs);
  const ticks: TimelineTick[] = [];
  for (let t = 0; t <= spanMs; t += step) ticks.push({ pct: (t / spanMs) * 100, label: t === 0 ? "0" : formatDuration(t) });
  return { startMs, spanMs, rows, ticks };
}

function base(tr: TimelineTaskRun) {
  const label = tr.map_index === null ? tr.task_name : `${tr.task_name}[${tr.map_index}]`;
  return { id: tr.task_run_id, label, status: tr.status, attempt: tr.attempt };
}

function unstarted(tr: TimelineTaskRun): TimelineRow {
  return { ...base(tr), leftPct: null, widthPct: 0, offsetMs: 0, durationMs: 0, open: false };
}

/** One collator for every comparison: localeCompare with options builds one per call. */
let collator: Intl.Collator | null = null;

/** Started rows by start time (ties: the shorter, then label), then the not-started ones by label. */
function byStart(a: TimelineRow, b: TimelineRow): number {
  if (a.leftPct === null || b.leftPct === null) {
    if (a.leftPct !== b.leftPct) return a.leftPct === null ? 1 : -1;
  } else if (a.offsetMs !== b.offsetMs) {
    return a.offsetMs - b.offsetMs;
  } else if (a.durationMs !== b.durationMs) {
    return a.durationMs - b.durationMs; // same start: the one that ended first
  }
  collator ??= new Intl.Collator(undefined, { numeric: true });
  return collator.compare(a.label, b.label);
}
