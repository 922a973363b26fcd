/** The run page's per-fetch helpers that keep a 1,000-task run smooth: the task-run
 * index, the kept task choices, and the log lines' cached time, rank and key. */

import { describe, expect, it } from "vitest";

import { filterLogLines, formatLogTime, levelRank, lineKey, lineRank, lineTime, type LogLine } from "@/lib/run/logs";
import {
  indexTaskRuns,
  keepChoices,
  runsOfTask,
  statusCountsText,
  taskRunsOf,
  taskStatusText,
  type TaskRun,
} from "@/lib/run/taskRuns";

const tr = (over: Partial<TaskRun>): TaskRun => ({
  task_run_id: "r.a", run_id: "r", task_id: "a", task_name: "a", status: "SUCCEEDED", attempt: 1,
  map_index: null, executor: null, started_at: null, completed_at: null, error_message: null,
  output_ref: null, error_traceback: null, ...over,
});

describe("indexTaskRuns", () => {
  const runs = [
    tr({ task_run_id: "r.b[1]", task_id: "b", task_name: "b", map_index: 1, status: "RUNNING" }),
    tr({ task_run_id: "r.a" }),
    tr({ task_run_id: "r.b[0]", task_id: "b", task_name: "b", map_index: 0 }),
  ];
  const index = indexTaskRuns(runs);

  it("groups by task in taskRunsOf's order and looks task runs up by id", () => {
    expect(runsOfTask(index, "b")).toEqual(taskRunsOf(runs, "b"));
    expect(runsOfTask(index, "b").map((t) => t.map_index)).toEqual([0, 1]);
    expect(runsOfTask(index, "a")).toHaveLength(1);
    expect(runsOfTask(index, "nope")).toEqual([]);
    expect(index.byId.get("r.b[1]")?.status).toBe("RUNNING");
  });

  it("says each task's state as statusCountsText does", () => {
    expect(taskStatusText(index, "b")).toBe(statusCountsText(taskRunsOf(runs, "b")));
    expect(taskStatusText(index, "a")).toBe("SUCCEEDED");
    expect(taskStatusText(index, "nope")).toBe("not started");
  });

  it("stays linear on 1,000 tasks", () => {
    const many = Array.from({ length: 1000 }, (_, i) => tr({ task_run_id: `r.t${i}`, task_id: `t${i}`, task_name: `t${i}` }));
    const big = indexTaskRuns(many);
    expect(big.byTask.size).toBe(1000);
    expect(taskStatusText(big, "t999")).toBe("SUCCEEDED");
  });
});

describe("keepChoices", () => {
  const a = [{ id: "a", name: "a", mapped: false }, { id: "b", name: "b", mapped: true }];
  it("keeps the previous array when the tasks are the same, else takes the new one", () => {
    expect(keepChoices(a, a.map((c) => ({ ...c })))).toBe(a);
    const more = [...a, { id: "c", name: "c", mapped: false }];
    expect(keepChoices(a, more)).toBe(more);
    const renamed = [a[0]!, { ...a[1]!, mapped: false }];
    expect(keepChoices(a, renamed)).toBe(renamed);
    expect(keepChoices(null, a)).toBe(a);
  });
});

describe("log line facts", () => {
  const line = (over: Partial<LogLine>): LogLine => ({
    timestamp: "2026-12-02T15:00:00.123000Z", level: "INFO", message: "m", task_run_id: null, ...over,
  });

  it("formats a time as toLocaleTimeString did, once per line", () => {
    const iso = "2026-12-02T15:04:05.067000Z";
    const date = new Date(iso);
    expect(formatLogTime(iso)).toBe(`${date.toLocaleTimeString(undefined, { hour12: false })}.067`);
    expect(formatLogTime("not a time")).toBe("not a time");
    const one = line({ timestamp: iso });
    expect(lineTime(one)).toBe(formatLogTime(iso));
    expect(lineTime(one)).toBe(lineTime(one));
  });

  it("ranks like levelRank and keys each line object once", () => {
    for (const level of ["DEBUG", "warn", "ERROR", "odd"]) expect(lineRank(line({ level }))).toBe(levelRank(level));
    const one = line({});
    const two = line({});
    expect(lineKey(one)).toBe(lineKey(one));
    expect(lineKey(one)).not.toBe(lineKey(two));
  });

  it("hands back the lines themselves when nothing filters", () => {
    const lines = [line({}), line({ level: "ERROR" })];
    expect(filterLogLines(lines, { taskId: "", minLevel: "" }, () => null)).toBe(lines);
    expect(filterLogLines(lines, { taskId: "", minLevel: "ERROR" }, () => null)).toHaveLength(1);
  });
});
