/** What a deployment's recent runs add up to: durations for the sparkline (oldest
 * first), the success rate of the finished ones, and a sentence saying both for
 * screen readers. Pure, tested in ui/test/deployRunStats.test.ts. */

import type { RunView } from "@/api/client";
import { formatDuration } from "@/lib/format";

type Timed = Pick<RunView, "status" | "started_at" | "completed_at">;

const FINISHED = new Set(["SUCCEEDED", "FAILED", "CANCELLED"]);

/** Durations in ms of the runs that started and completed, oldest first (the API lists
 * newest first). */
export function durationsOf(runs: Timed[]): number[] {
  const out: number[] = [];
  for (const run of runs) {
    if (!run.started_at || !run.completed_at) continue;
    const ms = Date.parse(run.completed_at) - Date.parse(run.started_at);
    if (Number.isFinite(ms) && ms >= 0) out.push(ms);
  }
  return out.reverse();
}

/** Succeeded out of finished (queued and running runs do not count yet). */
export function successRate(runs: Pick<RunView, "status">[]): { succeeded: number; finished: number; percent: number | null } {
  const finished = runs.filter((run) => FINISHED.has(run.status)).length;
  const succeeded = runs.filter((run) => run.status === "SUCCEEDED").length;
  return { succeeded, finished, percent: finished ? Math.round((succeeded / finished) * 100) : null };
}

/** SVG polyline points of `values` in a width × height box (a 2 px margin inside);
 * one value is a flat line across, none is an empty string. */
export function sparklinePoints(values: number[], width: number, height: number): string {
  if (values.length === 0) return "";
  const pad = 2;
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min;
  const y = (v: number) => (span === 0 ? height / 2 : pad + (1 - (v - min) / span) * (height - 2 * pad));
  const round = (n: number) => Math.round(n * 10) / 10;
  if (values.length === 1) return `${pad},${round(y(values[0]!))} ${width - pad},${round(y(values[0]!))}`;
  const step = (width - 2 * pad) / (values.length - 1);
  return values.map((v, i) => `${round(pad + i * step)},${round(y(v))}`).join(" ");
}

/** "Durations of the last 5 finished runs, oldest first: 1.2 s to 3.4 s, latest 2.0 s." */
export function sparklineLabel(durations: number[]): string {
  if (durations.length === 0) return "No finished runs to chart yet.";
  const latest = formatDuration(durations[durations.length - 1]!);
  if (durations.length === 1) return `Duration of the one finished run: ${latest}.`;
  const low = formatDuration(Math.min(...durations));
  const high = formatDuration(Math.max(...durations));
  return `Durations of the last ${durations.length} finished runs, oldest first: from ${low} to ${high}, latest ${latest}.`;
}
