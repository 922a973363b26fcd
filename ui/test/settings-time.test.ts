import { describe, expect, it } from "vitest";

import { auditQuery, NO_AUDIT_FILTERS } from "@/lib/settings/audit";
import { isPast, localInputToUtcIso } from "@/lib/settings/time";

describe("localInputToUtcIso", () => {
  it("converts a local wall time to UTC with the given offset", () => {
    // Berlin in winter: getTimezoneOffset() is -60 (UTC = local - 1 h)
    expect(localInputToUtcIso("2026-12-04T18:30", -60)).toBe("2026-12-04T17:30:00.000Z");
    // New York in winter: +300
    expect(localInputToUtcIso("2026-12-04T22:15", 300)).toBe("2026-12-05T03:15:00.000Z");
    expect(localInputToUtcIso("2026-12-04T18:30", 0)).toBe("2026-12-04T18:30:00.000Z");
  });
  it("keeps seconds and milliseconds when the input has them", () => {
    expect(localInputToUtcIso("2026-01-31T23:59:58.5", 0)).toBe("2026-01-31T23:59:58.500Z");
  });
  it("uses the browser's own offset by default", () => {
    const local = new Date(2026, 5, 1, 9, 5);
    expect(localInputToUtcIso("2026-06-01T09:05")).toBe(local.toISOString());
  });
  it("refuses empty, malformed and impossible times", () => {
    for (const bad of ["", "tomorrow", "2026-12-04", "2026-13-01T00:00", "2026-02-30T10:00", "2026-12-04T24:00"]) {
      expect(localInputToUtcIso(bad, 0)).toBeNull();
    }
  });
});

describe("isPast", () => {
  it("is true for a time at or before now, false when absent", () => {
    const now = Date.parse("2026-12-04T12:00:00Z");
    expect(isPast("2026-12-04T11:59:59Z", now)).toBe(true);
    expect(isPast("2026-12-04T12:00:01Z", now)).toBe(false);
    expect(isPast(null, now)).toBe(false);
  });
});

describe("auditQuery", () => {
  it("leaves out empty filters", () => {
    expect(auditQuery(NO_AUDIT_FILTERS, 0)).toEqual({ query: {} });
  });
  it("trims text and sends times as UTC", () => {
    const built = auditQuery(
      { resourceType: " secret ", resourceId: "API_TOKEN", actor: "user:u1", since: "2026-12-04T10:00", until: "2026-12-04T11:00" },
      -60,
    );
    expect(built).toEqual({
      query: {
        resource_type: "secret",
        resource_id: "API_TOKEN",
        actor: "user:u1",
        since: "2026-12-04T09:00:00.000Z",
        until: "2026-12-04T10:00:00.000Z",
      },
    });
  });
  it("names a time that is not one, and a range that is empty", () => {
    expect(auditQuery({ ...NO_AUDIT_FILTERS, since: "soon" }, 0)).toEqual({ error: '"From" is not a date and time.' });
    expect(auditQuery({ ...NO_AUDIT_FILTERS, since: "2026-12-04T11:00", until: "2026-12-04T10:00" }, 0)).toHaveProperty("error");
  });
});
