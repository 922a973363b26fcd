import { describe, expect, it } from "vitest";

import {
  hasFilters,
  localInputToUtcIso,
  NO_FILTERS,
  parseRunsFilters,
  runsApiQuery,
  runsFiltersQuery,
  utcIsoToLocalInput,
} from "@/lib/runs/filters";

const parse = (query: string) => parseRunsFilters(new URLSearchParams(query));

describe("runs filters in the URL", () => {
  it("reads status, deployment and a preset", () => {
    expect(parse("status=failed&deployment=etl-daily&since=24h")).toEqual({
      status: "FAILED", deployment: "etl-daily", since: "24h", until: null,
    });
  });

  it("drops unknown statuses, unknown presets and malformed times", () => {
    expect(parse("status=EXPLODED&since=3w&until=2026-12-04T10:00:00Z")).toEqual(NO_FILTERS);
    expect(parse("since=not-a-time")).toEqual(NO_FILTERS);
  });

  it("keeps a custom range as UTC ISO times; until only with a custom since", () => {
    expect(parse("since=2026-12-04T10:00:00Z&until=2026-12-04T12:00:00Z")).toEqual({
      status: null, deployment: null, since: "2026-12-04T10:00:00.000Z", until: "2026-12-04T12:00:00.000Z",
    });
    expect(parse("since=1h&until=2026-12-04T12:00:00Z").until).toBeNull();
  });

  it("writes back what it reads, and nothing for no filters", () => {
    const query = "status=RUNNING&deployment=a+b%26c&since=2026-12-04T10%3A00%3A00.000Z&until=2026-12-04T12%3A00%3A00.000Z";
    expect(runsFiltersQuery(parse(query))).toBe(query);
    expect(runsFiltersQuery(NO_FILTERS)).toBe("");
    expect(hasFilters(NO_FILTERS)).toBe(false);
    expect(hasFilters(parse("since=7d"))).toBe(true);
  });
});

describe("runs filters as GET /runs parameters", () => {
  const now = Date.parse("2026-12-04T18:00:00.000Z");

  it("resolves a preset against now", () => {
    expect(runsApiQuery(parse("since=1h"), now)).toEqual({ created_after: "2026-12-04T17:00:00.000Z" });
    expect(runsApiQuery(parse("since=24h"), now)).toEqual({ created_after: "2026-12-03T18:00:00.000Z" });
    expect(runsApiQuery(parse("since=7d"), now)).toEqual({ created_after: "2026-11-27T18:00:00.000Z" });
  });

  it("passes status, deployment and a custom range through", () => {
    expect(runsApiQuery(parse("status=QUEUED&deployment=etl&since=2026-12-01T00:00:00Z&until=2026-12-02T00:00:00Z"), now))
      .toEqual({
        status: "QUEUED", deployment_name: "etl",
        created_after: "2026-12-01T00:00:00.000Z", created_before: "2026-12-02T00:00:00.000Z",
      });
    expect(runsApiQuery(NO_FILTERS, now)).toEqual({});
  });
});

describe("datetime-local values and UTC", () => {
  it("converts a local wall-clock time with the given offset", () => {
    expect(localInputToUtcIso("2026-12-04T10:30", 0)).toBe("2026-12-04T10:30:00.000Z");
    expect(localInputToUtcIso("2026-12-04T10:30", -60)).toBe("2026-12-04T09:30:00.000Z"); // UTC+1
    expect(localInputToUtcIso("2026-12-04T10:30:15", 300)).toBe("2026-12-04T15:30:15.000Z"); // UTC-5
    expect(localInputToUtcIso("2026-12-31T23:30", -120)).toBe("2026-12-31T21:30:00.000Z");
    expect(localInputToUtcIso("2027-01-01T00:30", 60)).toBe("2027-01-01T01:30:00.000Z");
  });

  it("refuses malformed or impossible times", () => {
    for (const bad of ["", "2026-12-04", "2026-13-01T00:00", "2026-02-31T10:00", "2026-12-04T24:00", "yesterday"]) {
      expect(localInputToUtcIso(bad, 0)).toBeNull();
    }
  });

  it("uses the browser's offset by default (that of the test machine here)", () => {
    const local = new Date(2026, 11, 4, 10, 30);
    expect(localInputToUtcIso("2026-12-04T10:30")).toBe(local.toISOString());
  });

  it("shows a UTC time back as a local input value", () => {
    expect(utcIsoToLocalInput("2026-12-04T09:30:00.000Z", -60)).toBe("2026-12-04T10:30");
    expect(utcIsoToLocalInput(null)).toBe("");
    expect(utcIsoToLocalInput("nonsense")).toBe("");
    const iso = localInputToUtcIso("2026-07-01T08:05");
    expect(utcIsoToLocalInput(iso)).toBe("2026-07-01T08:05");
  });
});
