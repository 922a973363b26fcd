import { describe, expect, it } from "vitest";

import { formatDuration, formatTime, runDuration, STATUS_CLASSES } from "@/lib/format";

describe("formatDuration", () => {
  it.each([
    [0, "0 ms"],
    [850, "850 ms"],
    [12_340, "12.3 s"],
    [245_000, "4 min 05 s"],
    [7_380_000, "2 h 03 min"],
    [-1, "—"],
  ])("%d ms reads %s", (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe("runDuration", () => {
  const started = "2026-12-02T15:04:05.000000Z";
  it("is a dash before the run starts", () => {
    expect(runDuration({ started_at: null, completed_at: null }, Date.now())).toBe("—");
  });
  it("counts up to now while the run runs", () => {
    expect(runDuration({ started_at: started, completed_at: null }, Date.parse(started) + 3_000)).toBe("3.0 s");
  });
  it("is started to completed once done, whatever now is", () => {
    const run = { started_at: started, completed_at: "2026-12-02T15:05:05.500000Z" };
    expect(runDuration(run, 0)).toBe("1 min 00 s");
  });
});

describe("formatTime and status colours", () => {
  it("shows a dash for no time and keeps an unreadable one as is", () => {
    expect(formatTime(null)).toBe("—");
    expect(formatTime("not a time")).toBe("not a time");
  });
  it("has a colour for every status of the API", () => {
    const statuses = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"] as const;
    for (const status of statuses) expect(STATUS_CLASSES[status]).toMatch(/^bg-/);
  });
});
