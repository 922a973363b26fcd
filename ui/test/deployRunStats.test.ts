import { describe, expect, it } from "vitest";

import { durationsOf, sparklineLabel, sparklinePoints, successRate } from "@/lib/deployments/runStats";
import { deploymentHref, flowVersionHref, formatTags, runHref } from "@/lib/deployments/format";

const run = (status: string, started: string | null, completed: string | null) => ({
  status: status as "SUCCEEDED",
  started_at: started,
  completed_at: completed,
});

describe("durationsOf", () => {
  it("gives the finished runs' durations oldest first, skipping runs not started or not done", () => {
    const runs = [
      run("RUNNING", "2026-12-04T10:00:00Z", null),
      run("SUCCEEDED", "2026-12-04T09:00:00Z", "2026-12-04T09:00:02Z"),
      run("QUEUED", null, null),
      run("FAILED", "2026-12-04T08:00:00Z", "2026-12-04T08:00:00.500Z"),
    ];
    expect(durationsOf(runs)).toEqual([500, 2000]);
  });
});

describe("successRate", () => {
  it("counts succeeded out of finished; queued and running do not count", () => {
    const runs = ["SUCCEEDED", "SUCCEEDED", "FAILED", "CANCELLED", "RUNNING", "QUEUED"].map((status) => ({ status: status as "FAILED" }));
    expect(successRate(runs)).toEqual({ succeeded: 2, finished: 4, percent: 50 });
  });
  it("has no percent without a finished run", () => {
    expect(successRate([{ status: "QUEUED" }])).toEqual({ succeeded: 0, finished: 0, percent: null });
  });
});

describe("sparklinePoints", () => {
  it("spreads values over the width, the largest at the top", () => {
    expect(sparklinePoints([1, 3, 2], 104, 24)).toBe("2,22 52,2 102,12");
  });
  it("draws one value or equal values flat across the middle", () => {
    expect(sparklinePoints([5], 100, 20)).toBe("2,10 98,10");
    expect(sparklinePoints([5, 5], 100, 20)).toBe("2,10 98,10");
    expect(sparklinePoints([], 100, 20)).toBe("");
  });
});

describe("sparklineLabel", () => {
  it("says how many runs, the range and the latest", () => {
    expect(sparklineLabel([500, 2000, 1500])).toBe(
      "Durations of the last 3 finished runs, oldest first: from 500 ms to 2.0 s, latest 1.5 s.",
    );
    expect(sparklineLabel([])).toBe("No finished runs to chart yet.");
    expect(sparklineLabel([1200])).toBe("Duration of the one finished run: 1.2 s.");
  });
});

describe("deployments links and tags", () => {
  it("links with query parameters and a slash before them", () => {
    expect(deploymentHref("etl daily")).toBe("/deployments/detail/?name=etl%20daily");
    expect(flowVersionHref("etl", "1.0.0")).toBe("/flows/detail/?name=etl&version=1.0.0");
    expect(runHref("abc")).toBe("/runs/detail/?id=abc");
  });
  it("shows tags as key=value, a dash for none", () => {
    expect(formatTags({ team: "data", tier: "gold" })).toBe("team=data, tier=gold");
    expect(formatTags({})).toBe("—");
  });
});
