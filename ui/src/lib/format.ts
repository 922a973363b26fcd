/** Display helpers for runs: pure functions, so they are easy to unit-test later. */

import type { RunStatus, RunView } from "@/api/client";

/** Tailwind classes of a status badge. */
export const STATUS_CLASSES: Record<RunStatus, string> = {
  QUEUED: "bg-slate-100 text-slate-800",
  RUNNING: "bg-blue-100 text-blue-800",
  SUCCEEDED: "bg-green-100 text-green-800",
  FAILED: "bg-red-100 text-red-800",
  CANCELLED: "bg-amber-100 text-amber-900",
};

/** A UTC ISO time as the browser's local date and time; an em dash when absent. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** "850 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatDuration(ms: number): string {
  if (ms < 0) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(Math.floor(seconds % 60)).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Started to completed; a running run counts up to `now`; never started: a dash. */
export function runDuration(run: Pick<RunView, "started_at" | "completed_at">, now: number): string {
  if (!run.started_at) return "—";
  const start = Date.parse(run.started_at);
  const end = run.completed_at ? Date.parse(run.completed_at) : now;
  return Number.isNaN(start) || Number.isNaN(end) ? "—" : formatDuration(end - start);
}
