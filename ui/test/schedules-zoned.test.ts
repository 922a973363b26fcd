import { describe, expect, it } from "vitest";

import { formatInZone, formatUtc, fromWallInput, toWallInput, zoneOffsetMinutes } from "@/lib/schedules/zoned";

describe("zoneOffsetMinutes", () => {
  it("knows Berlin's winter and summer offsets", () => {
    expect(zoneOffsetMinutes("Europe/Berlin", Date.parse("2027-01-15T12:00:00Z"))).toBe(60);
    expect(zoneOffsetMinutes("Europe/Berlin", Date.parse("2027-07-15T12:00:00Z"))).toBe(120);
    expect(zoneOffsetMinutes("Asia/Kolkata", Date.parse("2027-07-15T12:00:00Z"))).toBe(330);
  });
});

describe("fromWallInput", () => {
  it("reads a wall time with the zone's offset on that date", () => {
    expect(fromWallInput("2027-01-15T09:30", "Europe/Berlin")).toBe("2027-01-15T09:30:00+01:00");
    expect(fromWallInput("2027-07-15T09:30:45", "America/New_York")).toBe("2027-07-15T09:30:45-04:00");
    expect(fromWallInput("2027-07-15T09:30", "UTC")).toBe("2027-07-15T09:30:00+00:00");
  });

  it("takes a fold's first occurrence (still summer time)", () => {
    expect(fromWallInput("2027-10-31T02:30", "Europe/Berlin")).toBe("2027-10-31T02:30:00+02:00");
  });

  it("moves a time in a gap forward by the gap", () => {
    expect(fromWallInput("2027-03-28T02:30", "Europe/Berlin")).toBe("2027-03-28T03:30:00+02:00");
  });

  it("refuses what is not a date and time", () => {
    expect(fromWallInput("tomorrow", "UTC")).toBeNull();
  });
});

describe("toWallInput / formatInZone / formatUtc", () => {
  it("round-trips an instant through the zone's wall clock", () => {
    const wall = toWallInput("2027-03-28T01:00:00.000000Z", "Europe/Berlin");
    expect(wall).toBe("2027-03-28T03:00");
    expect(fromWallInput(wall, "Europe/Berlin")).toBe("2027-03-28T03:00:00+02:00");
    expect(toWallInput(null, "UTC")).toBe("");
  });

  it("formats instants on the zone's clock and in UTC", () => {
    expect(formatInZone("2027-03-28T01:00:00.000000Z", "Europe/Berlin")).toBe("2027-03-28 03:00:00 +02:00");
    expect(formatInZone(null, "UTC")).toBe("—");
    expect(formatUtc("2027-03-28T01:00:00.123456Z")).toBe("2027-03-28 01:00:00Z");
  });
});
