import { describe, expect, it } from "vitest";

import { extraRunFields, isBlockValue, valueText } from "@/lib/run/extras";
import { collectPages } from "@/lib/run/pages";
import { canCancel, canRetryFailed, isRunFinished, taskStatusLook } from "@/lib/run/status";
import { statusCountsText, taskChoices, taskRunDuration, taskRunsOf, type TaskRun } from "@/lib/run/taskRuns";

const tr = (over: Partial<TaskRun>): TaskRun => ({
  task_run_id: "r.a", run_id: "r", task_id: "a", task_name: "a", status: "SUCCEEDED", attempt: 1,
  map_index: null, executor: null, started_at: null, completed_at: null, error_message: null,
  output_ref: null, error_traceback: null, ...over,
});

describe("collectPages", () => {
  it("follows next_cursor to the last page", async () => {
    const pages: Record<string, { items: number[]; next_cursor: string | null }> = {
      "": { items: [1, 2], next_cursor: "b" }, b: { items: [3], next_cursor: "c" }, c: { items: [4], next_cursor: null },
    };
    const seen: (string | null)[] = [];
    const items = await collectPages(async (cursor) => (seen.push(cursor), pages[cursor ?? ""]!));
    expect(items).toEqual([1, 2, 3, 4]);
    expect(seen).toEqual([null, "b", "c"]);
  });

  it("stops at a cursor that repeats and after maxPages", async () => {
    expect(await collectPages(async () => ({ items: [1], next_cursor: "same" }))).toEqual([1, 1]);
    let n = 0;
    const items = await collectPages(async () => ({ items: [n], next_cursor: String(++n) }), 3);
    expect(items).toEqual([0, 1, 2]);
  });
});

describe("task runs", () => {
  const runs = [
    tr({ task_run_id: "r.e[1]", task_id: "e", task_name: "e", map_index: 1, status: "RUNNING" }),
    tr({ task_run_id: "r.e[0]", task_id: "e", task_name: "e", map_index: 0 }),
    tr({ task_run_id: "r.x", task_id: "x", task_name: "x" }),
  ];

  it("lists the spec's tasks in order, then tasks only the task runs name", () => {
    const spec = { tasks: [{ id: "e", name: "e", mapped: true }, { id: "l", name: "l" }] };
    expect(taskChoices(spec, runs)).toEqual([
      { id: "e", name: "e", mapped: true }, { id: "l", name: "l", mapped: false }, { id: "x", name: "x", mapped: false },
    ]);
    expect(taskChoices(null, runs).map((c) => c.id)).toEqual(["e", "x"]);
  });

  it("orders one task's runs by map index and sums up their statuses", () => {
    expect(taskRunsOf(runs, "e").map((t) => t.task_run_id)).toEqual(["r.e[0]", "r.e[1]"]);
    expect(statusCountsText(taskRunsOf(runs, "e"))).toBe("1 SUCCEEDED, 1 RUNNING");
    expect(statusCountsText(taskRunsOf(runs, "x"))).toBe("SUCCEEDED");
    expect(statusCountsText([])).toBe("not started");
  });

  it("counts a running task's duration up to now", () => {
    const now = Date.parse("2026-12-02T15:00:03.000Z");
    expect(taskRunDuration(tr({ started_at: "2026-12-02T15:00:00.000Z" }), now)).toBe("3.0 s");
    expect(taskRunDuration(tr({ started_at: "2026-12-02T15:00:00.000Z", completed_at: "2026-12-02T15:00:00.250Z" }), now)).toBe("250 ms");
    expect(taskRunDuration(tr({}), now)).toBe("—");
  });
});

describe("run statuses", () => {
  it("says when polling stops and which action applies", () => {
    expect(["QUEUED", "RUNNING"].map(isRunFinished)).toEqual([false, false]);
    expect(["SUCCEEDED", "FAILED", "CANCELLED"].map(isRunFinished)).toEqual([true, true, true]);
    expect(isRunFinished(undefined)).toBe(false);
    expect(["QUEUED", "RUNNING", "FAILED"].map(canCancel)).toEqual([true, true, false]);
    expect(["FAILED", "CANCELLED", "SUCCEEDED", "RUNNING"].map(canRetryFailed)).toEqual([true, true, false, false]);
    expect(taskStatusLook("WEIRD").text).toBe("WEIRD");
  });
});

describe("extraRunFields", () => {
  it("shows only fields the UI does not know, present and not null, routing and cost first", () => {
    const run = { run_id: "r", status: "RUNNING", zeta: 1, cost_estimate: { usd: 0.2 }, routing: "cpu-small", gone: null };
    expect(extraRunFields(run)).toEqual([
      { key: "routing", label: "Routing", value: "cpu-small" },
      { key: "cost_estimate", label: "Cost estimate", value: { usd: 0.2 } },
      { key: "zeta", label: "Zeta", value: 1 },
    ]);
    expect(extraRunFields({ run_id: "r", result: null })).toEqual([]);
  });

  it("writes objects as indented JSON blocks and strings as they are", () => {
    expect(valueText({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(valueText("x")).toBe("x");
    expect(isBlockValue({})).toBe(true);
    expect(isBlockValue(3)).toBe(false);
  });
});
