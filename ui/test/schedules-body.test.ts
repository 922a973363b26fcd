import { describe, expect, it } from "vitest";

import {
  buildScheduleBody,
  changesFromBody,
  describeTiming,
  EMPTY_FORM,
  formFromSchedule,
  type ScheduleView,
} from "@/lib/schedules/body";

const base = { ...EMPTY_FORM, deploymentName: "etl" };

describe("buildScheduleBody", () => {
  it("makes a cron body with its DST policy and times on the zone's clock", () => {
    const result = buildScheduleBody({
      ...base,
      cronExpression: " 30 2 * * * ",
      timezone: "Europe/Berlin",
      ambiguous: "twice",
      startAt: "2027-03-01T00:00",
      parameters: '{"url": "file:///tmp/x.py"}',
    });
    expect(result).toEqual({
      ok: true,
      body: {
        deployment_name: "etl",
        mode: "cron",
        cron_expression: "30 2 * * *",
        interval_seconds: null,
        timezone: "Europe/Berlin",
        dst_policy: { nonexistent: "shift", ambiguous: "twice" },
        start_at: "2027-03-01T00:00:00+01:00",
        end_at: null,
        catchup_policy: "none",
        enabled: true,
        parameters: { url: "file:///tmp/x.py" },
      },
    });
  });

  it("makes an interval body with a catch-up cap", () => {
    const result = buildScheduleBody({ ...base, mode: "interval", intervalSeconds: "900", catchupPolicy: "all", maxCatchupRuns: "5" });
    expect(result.ok && result.body).toMatchObject({
      mode: "interval",
      interval_seconds: 900,
      cron_expression: null,
      catchup_policy: "all",
      max_catchup_runs: 5,
    });
    expect(result.ok && "dst_policy" in result.body).toBe(false);
  });

  it("puts a one-time schedule's run time in start_at", () => {
    const result = buildScheduleBody({ ...base, mode: "one_time", runAt: "2027-07-01T12:00", timezone: "America/New_York", endAt: "2027-08-01T00:00" });
    expect(result.ok && result.body).toMatchObject({ start_at: "2027-07-01T12:00:00-04:00", end_at: null });
  });

  it("names every field it cannot send", () => {
    const result = buildScheduleBody({ ...EMPTY_FORM, mode: "interval", intervalSeconds: "1.5", parameters: "[1]", catchupPolicy: "all", maxCatchupRuns: "0" });
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual(["deploymentName", "intervalSeconds", "maxCatchupRuns", "parameters"]);
    const cron = buildScheduleBody({ ...base, parameters: "{oops" });
    expect(!cron.ok && Object.keys(cron.errors).sort()).toEqual(["cronExpression", "parameters"]);
    const once = buildScheduleBody({ ...base, mode: "one_time" });
    expect(!once.ok && once.errors.runAt).toMatch(/run time/);
  });
});

describe("changesFromBody", () => {
  it("leaves out the deployment and enabled", () => {
    const result = buildScheduleBody({ ...base, mode: "interval", intervalSeconds: "60" });
    const changes = result.ok ? changesFromBody(result.body) : null;
    expect(changes && "deployment_name" in changes).toBe(false);
    expect(changes && "enabled" in changes).toBe(false);
    expect(changes).toMatchObject({ mode: "interval", interval_seconds: 60, cron_expression: null });
  });
});

describe("formFromSchedule", () => {
  const stored: ScheduleView = {
    schedule_id: "s1",
    deployment_name: "etl",
    flow_name: "etl",
    mode: "cron",
    cron_expression: "30 2 * * *",
    interval_seconds: null,
    timezone: "Europe/Berlin",
    start_at: "2027-02-28T23:00:00.000000Z",
    end_at: null,
    parameters: { url: "x" },
    enabled: true,
    catchup_policy: "all",
    max_catchup_runs: 7,
    dst_policy: { nonexistent: "skip", ambiguous: "twice" },
    next_run_epoch: null,
    next_run_at: null,
    last_triggered_at: null,
    created_at: null,
    updated_at: null,
  };

  it("gives form values that build the same schedule again", () => {
    const values = formFromSchedule(stored);
    expect(values.startAt).toBe("2027-03-01T00:00");
    const result = buildScheduleBody(values);
    expect(result.ok && result.body).toMatchObject({
      cron_expression: "30 2 * * *",
      start_at: "2027-03-01T00:00:00+01:00",
      dst_policy: { nonexistent: "skip", ambiguous: "twice" },
      max_catchup_runs: 7,
      parameters: { url: "x" },
    });
  });

  it("describes the timing in one line", () => {
    expect(describeTiming(stored)).toBe("30 2 * * *");
    expect(describeTiming({ mode: "interval", cron_expression: null, interval_seconds: 900 })).toBe("every 900 s");
    expect(describeTiming({ mode: "one_time", cron_expression: null, interval_seconds: null })).toBe("once");
  });
});

describe("an unknown time zone", () => {
  it("is the API's to refuse when no time is typed, and the zone field's error when one is", () => {
    const plain = buildScheduleBody({ ...base, cronExpression: "0 * * * *", timezone: "Mars/Olympus" });
    expect(plain.ok && plain.body.timezone).toBe("Mars/Olympus");
    const timed = buildScheduleBody({ ...base, cronExpression: "0 * * * *", timezone: "Mars/Olympus", startAt: "2027-01-01T00:00" });
    expect(!timed.ok && timed.errors.timezone).toMatch(/does not know the zone 'Mars\/Olympus'/);
  });
});
