import { describe, expect, it } from "vitest";

import { describeShift, formatLocalSlot, markDstShifts, offsetOfIso } from "@/lib/schedules/dst";

describe("offsetOfIso", () => {
  it.each([
    ["2027-03-28T03:00:00+02:00", 120],
    ["2027-11-07T01:30:00-05:00", -300],
    ["2027-03-28T01:00:00.000000Z", 0],
    ["2027-01-01T00:00:00+0530", 330],
    ["2027-01-01T00:00:00", null],
  ])("%s has offset %s", (iso, minutes) => expect(offsetOfIso(iso)).toBe(minutes));
});

describe("markDstShifts", () => {
  // docs/schedules.md: Europe/Berlin, 30 2 * * *, across the spring change of 2027-03-28
  const spring = [
    { local: "2027-03-26T02:30:00+01:00", utc: "2027-03-26T01:30:00.000000Z" },
    { local: "2027-03-27T02:30:00+01:00", utc: "2027-03-27T01:30:00.000000Z" },
    { local: "2027-03-28T03:00:00+02:00", utc: "2027-03-28T01:00:00.000000Z" },
    { local: "2027-03-29T02:30:00+02:00", utc: "2027-03-29T00:30:00.000000Z" },
  ];

  it("marks the first slot after the clocks moved forward, and only it", () => {
    const marked = markDstShifts(spring);
    expect(marked.map((slot) => slot.shift?.direction ?? null)).toEqual([null, null, "forward", null]);
    expect(marked[2]!.shift).toEqual({ from: "+01:00", to: "+02:00", direction: "forward" });
    expect(describeShift(marked[2]!.shift!)).toBe("DST: clocks moved forward (+01:00 → +02:00)");
  });

  it("marks the second pass through an autumn fold (ambiguous: twice)", () => {
    const marked = markDstShifts([
      { local: "2027-10-30T02:30:00+02:00", utc: "2027-10-30T00:30:00.000000Z" },
      { local: "2027-10-31T02:30:00+02:00", utc: "2027-10-31T00:30:00.000000Z" },
      { local: "2027-10-31T02:30:00+01:00", utc: "2027-10-31T01:30:00.000000Z" },
    ]);
    expect(marked.map((slot) => slot.shift?.direction ?? null)).toEqual([null, null, "back"]);
    expect(describeShift(marked[2]!.shift!)).toBe("DST: clocks moved back (+02:00 → +01:00)");
  });

  it("marks nothing in a zone without DST, or for an empty preview", () => {
    expect(markDstShifts([]).length).toBe(0);
    const utc = markDstShifts([
      { local: "2027-03-28T02:30:00+00:00", utc: "2027-03-28T02:30:00.000000Z" },
      { local: "2027-03-29T02:30:00+00:00", utc: "2027-03-29T02:30:00.000000Z" },
    ]);
    expect(utc.every((slot) => slot.shift === null)).toBe(true);
  });
});

describe("formatLocalSlot", () => {
  it("keeps the wall clock and its offset", () => {
    expect(formatLocalSlot("2027-03-28T03:00:00+02:00")).toBe("2027-03-28 03:00:00 +02:00");
    expect(formatLocalSlot("2027-03-28T03:00:00Z")).toBe("2027-03-28 03:00:00 +00:00");
    expect(formatLocalSlot("garbage")).toBe("garbage");
  });
});
