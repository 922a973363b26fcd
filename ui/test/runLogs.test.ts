import { describe, expect, it } from "vitest";

import { appendLogPage, EMPTY_LOGS, filterLogLines, levelRank, lineTask, RUN_LINES, type LogLine } from "@/lib/run/logs";

const line = (over: Partial<LogLine>): LogLine => ({
  timestamp: "2026-12-02T15:00:00.000000Z", level: "INFO", message: "m", task_run_id: null, ...over,
});

describe("appendLogPage", () => {
  it("appends lines and keeps the last cursor when a page is empty (the API answers null then)", () => {
    const one = appendLogPage(EMPTY_LOGS, { items: [line({ message: "a" })], next_cursor: "1" });
    expect(one).toEqual({ lines: [line({ message: "a" })], cursor: "1" });
    expect(appendLogPage(one, { items: [], next_cursor: null })).toBe(one);
    const two = appendLogPage(one, { items: [line({ message: "b" })], next_cursor: "2" });
    expect(two.lines.map((l) => l.message)).toEqual(["a", "b"]);
    expect(two.cursor).toBe("2");
  });
});

describe("lineTask", () => {
  const known = new Map([["r1.enrich[3]", { task_id: "enrich", task_name: "enrich", map_index: 3 }]]);
  it("names the task from the run's task runs, else from the id, null for the run's own lines", () => {
    expect(lineTask(line({ task_run_id: "r1.enrich[3]" }), "r1", known)).toEqual({ taskId: "enrich", label: "enrich[3]" });
    expect(lineTask(line({ task_run_id: "r1.load" }), "r1", known)).toEqual({ taskId: "load", label: "load" });
    expect(lineTask(line({ task_run_id: "r1.enrich[12]" }), "r1", new Map())).toEqual({ taskId: "enrich", label: "enrich[12]" });
    expect(lineTask(line({}), "r1", known)).toBeNull();
  });
});

describe("filterLogLines", () => {
  const lines = [
    line({ message: "run RUNNING" }),
    line({ message: "debug", level: "DEBUG", task_run_id: "r1.extract" }),
    line({ message: "boom", level: "ERROR", task_run_id: "r1.extract" }),
    line({ message: "warn", level: "WARN", task_run_id: "r1.load" }),
  ];
  const taskOf = (l: LogLine) => lineTask(l, "r1", new Map());
  const messages = (taskId: string, minLevel: string) => filterLogLines(lines, { taskId, minLevel }, taskOf).map((l) => l.message);

  it("filters by task, by the run's own lines and by minimum level", () => {
    expect(messages("", "")).toEqual(["run RUNNING", "debug", "boom", "warn"]);
    expect(messages("extract", "")).toEqual(["debug", "boom"]);
    expect(messages(RUN_LINES, "")).toEqual(["run RUNNING"]);
    expect(messages("", "WARNING")).toEqual(["boom", "warn"]);
    expect(messages("extract", "INFO")).toEqual(["boom"]);
  });

  it("ranks levels with their aliases; an unknown level ranks as INFO", () => {
    expect(levelRank("warn")).toBe(levelRank("WARNING"));
    expect(levelRank("FATAL")).toBe(levelRank("CRITICAL"));
    expect(levelRank("NOTICE")).toBe(levelRank("INFO"));
  });
});
