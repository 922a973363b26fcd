import { describe, expect, it } from "vitest";

import { layoutTimeline, MIN_BAR_PCT, tickStep, type TimelineTaskRun } from "@/lib/run/timeline";

const T0 = Date.parse("2026-12-02T15:00:00.000Z");
const at = (ms: number) => new Date(T0 + ms).toISOString();
const tr = (over: Partial<TimelineTaskRun>): TimelineTaskRun => ({
  task_run_id: "r.a", task_id: "a", task_name: "a", map_index: null, status: "SUCCEEDED",
  attempt: 1, started_at: at(0), completed_at: at(1000), ...over,
});

describe("layoutTimeline", () => {
  it("places bars relative to the run's start over the run's span", () => {
    const t = layoutTimeline({
      runStartedAt: at(0), runCompletedAt: at(10_000), now: T0 + 60_000,
      taskRuns: [
        tr({ task_run_id: "r.b", task_id: "b", task_name: "b", started_at: at(5000), completed_at: at(10_000) }),
        tr({ task_run_id: "r.a", started_at: at(0), completed_at: at(2500) }),
      ],
    });
    expect(t.spanMs).toBe(10_000);
    expect(t.rows.map((r) => r.id)).toEqual(["r.a", "r.b"]); // by start
    expect(t.rows[0]).toMatchObject({ leftPct: 0, widthPct: 25, offsetMs: 0, durationMs: 2500, open: false });
    expect(t.rows[1]).toMatchObject({ leftPct: 50, widthPct: 50, offsetMs: 5000, durationMs: 5000 });
  });

  it("runs a running task's bar, and a live run's span, up to now", () => {
    const t = layoutTimeline({
      runStartedAt: at(0), runCompletedAt: null, now: T0 + 4000,
      taskRuns: [tr({ status: "RUNNING", started_at: at(1000), completed_at: null })],
    });
    expect(t.spanMs).toBe(4000);
    expect(t.rows[0]).toMatchObject({ leftPct: 25, widthPct: 75, durationMs: 3000, open: true, status: "RUNNING" });
  });

  it("gives a very short task a visible bar and keeps it inside the track", () => {
    const t = layoutTimeline({
      runStartedAt: at(0), runCompletedAt: at(100_000), now: T0,
      taskRuns: [tr({ started_at: at(100_000), completed_at: at(100_000) })],
    });
    const row = t.rows[0]!;
    expect(row.widthPct).toBe(MIN_BAR_PCT);
    expect(row.leftPct! + row.widthPct).toBeLessThanOrEqual(100);
  });

  it("lists task runs that have not started last, without a bar", () => {
    const t = layoutTimeline({
      runStartedAt: at(0), runCompletedAt: at(1000), now: T0,
      taskRuns: [
        tr({ task_run_id: "r.c", task_name: "c", status: "SKIPPED", started_at: null, completed_at: null }),
        tr({ task_run_id: "r.e[10]", task_name: "e", map_index: 10, started_at: at(10) }),
        tr({ task_run_id: "r.e[2]", task_name: "e", map_index: 2, started_at: at(10) }),
      ],
    });
    expect(t.rows.map((r) => r.label)).toEqual(["e[2]", "e[10]", "c"]);
    expect(t.rows[2]).toMatchObject({ leftPct: null, widthPct: 0 });
  });

  it("starts at the earliest task when the run has no start time, and is empty when nothing started", () => {
    const t = layoutTimeline({
      runStartedAt: null, runCompletedAt: null, now: T0 + 99_000,
      taskRuns: [tr({ started_at: at(2000), completed_at: at(3000) })],
    });
    expect(t.startMs).toBe(T0 + 2000);
    expect(t.rows[0]).toMatchObject({ leftPct: 0, widthPct: 100 });
    const empty = layoutTimeline({ runStartedAt: null, runCompletedAt: null, now: T0, taskRuns: [] });
    expect(empty).toEqual({ startMs: 0, spanMs: 0, rows: [], ticks: [] });
  });

  it("labels ticks from 0 across the span", () => {
    const t = layoutTimeline({ runStartedAt: at(0), runCompletedAt: at(10_000), now: T0, taskRuns: [tr({})] });
    expect(t.ticks.map((k) => k.label)).toEqual(["0", "2.0 s", "4.0 s", "6.0 s", "8.0 s", "10.0 s"]);
    expect(t.ticks.map((k) => k.pct)).toEqual([0, 20, 40, 60, 80, 100]);
  });
});

describe("tickStep", () => {
  it("picks a nice step giving at most six intervals", () => {
    expect(tickStep(7)).toBe(2);
    expect(tickStep(134)).toBe(50);
    expect(tickStep(10_000)).toBe(2000);
    expect(tickStep(3_600_000)).toBe(600_000);
    expect(tickStep(4_000_000)).toBe(900_000);
  });
});
