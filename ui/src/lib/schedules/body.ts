/** The schedule form's values and the request body they make (POST /schedules, PATCH
 * /schedules/{id}). Kept apart from the form so the mapping is tested: times typed on
 * the schedule zone's wall clock become instants with an offset, the fields of the other
 * modes are sent as null (a PATCH that changes the mode clears them), and parameters
 * must be a JSON object. The API checks everything again and its 422 is shown as is. */

import type { components } from "@/api/schema";

import { fromWallInput, isKnownZone, toWallInput } from "./zoned";

export type ScheduleBody = components["schemas"]["ScheduleBody"];
export type ScheduleChanges = components["schemas"]["ScheduleChanges"];
export type ScheduleView = components["schemas"]["ScheduleView"];
export type ScheduleMode = ScheduleBody["mode"] & string;

export const MODES: { value: ScheduleMode; label: string }[] = [
  { value: "cron", label: "Cron expression" },
  { value: "interval", label: "Every N seconds" },
  { value: "one_time", label: "Once, at a time" },
  { value: "manual", label: "Manual (no slots)" },
];

export type ScheduleFormValues = {
  deploymentName: string;
  mode: ScheduleMode;
  cronExpression: string;
  intervalSeconds: string;
  runAt: string; // one_time: wall clock of `timezone`
  timezone: string;
  nonexistent: "shift" | "skip";
  ambiguous: "once" | "twice";
  catchupPolicy: "none" | "all";
  maxCatchupRuns: string;
  parameters: string; // JSON object text
  startAt: string; // wall clock of `timezone`, "" = none
  endAt: string;
  enabled: boolean;
};

export type FormErrors = Partial<Record<keyof ScheduleFormValues, string>>;

export type BuildResult = { ok: true; body: ScheduleBody } | { ok: false; errors: FormErrors };

export const EMPTY_FORM: ScheduleFormValues = {
  deploymentName: "",
  mode: "cron",
  cronExpression: "",
  intervalSeconds: "",
  runAt: "",
  timezone: "UTC",
  nonexistent: "shift",
  ambiguous: "once",
  catchupPolicy: "none",
  maxCatchupRuns: "100",
  parameters: "{}",
  startAt: "",
  endAt: "",
  enabled: true,
};

/** A JSON object from text ("" = {}), or the reason it is not one. */
export function parseJsonObject(text: string): { value: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (caught) {
    return { error: `not valid JSON: ${caught instanceof Error ? caught.message : String(caught)}` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { error: 'must be a JSON object, e.g. {"url": "file:///data/in.csv"}' };
  }
  return { value: value as Record<string, unknown> };
}

function wholeNumber(text: string): number | null {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : null;
}

/** The POST /schedules body, or per-field messages for what cannot be sent at all. */
export function buildScheduleBody(values: ScheduleFormValues): BuildResult {
  const errors: FormErrors = {};
  const timezone = values.timezone.trim() || "UTC";
  const body: ScheduleBody = {
    deployment_name: values.deploymentName.trim(),
    mode: values.mode,
    timezone: timezone as ScheduleBody["timezone"],
    cron_expression: null,
    interval_seconds: null,
    start_at: null,
    end_at: null,
    catchup_policy: values.catchupPolicy,
    enabled: values.enabled,
  };
  if (!body.deployment_name) errors.deploymentName = "choose a deployment";

  const wall = (field: "startAt" | "endAt" | "runAt"): string | null => {
    const text = values[field].trim();
    if (!text) return null;
    if (!isKnownZone(timezone)) {
      errors.timezone = `this browser does not know the zone '${timezone}', so it cannot read times on its clock`;
      return null;
    }
    const iso = fromWallInput(text, timezone);
    if (iso === null) errors[field] = "not a date and time (YYYY-MM-DDTHH:MM)";
    return iso;
  };

  if (values.mode === "cron") {
    body.cron_expression = values.cronExpression.trim();
    if (!body.cron_expression) errors.cronExpression = "a five-field cron expression, e.g. 30 2 * * *";
    body.dst_policy = { nonexistent: values.nonexistent, ambiguous: values.ambiguous };
  } else if (values.mode === "interval") {
    const seconds = wholeNumber(values.intervalSeconds);
    if (seconds === null || seconds < 1) errors.intervalSeconds = "a whole number of seconds, at least 1";
    else body.interval_seconds = seconds;
  }
  if (values.mode === "one_time") {
    body.start_at = wall("runAt");
    if (!values.runAt.trim()) errors.runAt = "a one-time schedule needs its run time";
  } else if (values.mode !== "manual") {
    body.start_at = wall("startAt");
    body.end_at = wall("endAt");
  }

  if (values.catchupPolicy === "all") {
    const runs = wholeNumber(values.maxCatchupRuns);
    if (runs === null || runs < 1 || runs > 10_000) errors.maxCatchupRuns = "a whole number from 1 to 10000";
    else body.max_catchup_runs = runs;
  }

  const parameters = parseJsonObject(values.parameters);
  if ("error" in parameters) errors.parameters = parameters.error;
  else body.parameters = parameters.value;

  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, body };
}

/** The PATCH body for an edit: the same fields, less what a PATCH cannot change
 * (the deployment) or changes elsewhere (enabled: the Enable/Disable buttons). */
export function changesFromBody(body: ScheduleBody): ScheduleChanges {
  const { deployment_name: _deployment, enabled: _enabled, ...changes } = body;
  return changes;
}

/** A stored schedule as form values, times on its own zone's wall clock. */
export function formFromSchedule(schedule: ScheduleView): ScheduleFormValues {
  const zone = schedule.timezone || "UTC";
  const oneTime = schedule.mode === "one_time";
  return {
    deploymentName: schedule.deployment_name,
    mode: schedule.mode,
    cronExpression: schedule.cron_expression ?? "",
    intervalSeconds: schedule.interval_seconds == null ? "" : String(schedule.interval_seconds),
    runAt: oneTime ? toWallInput(schedule.start_at, zone) : "",
    timezone: zone,
    nonexistent: schedule.dst_policy.nonexistent,
    ambiguous: schedule.dst_policy.ambiguous,
    catchupPolicy: schedule.catchup_policy,
    maxCatchupRuns: String(schedule.max_catchup_runs),
    parameters: JSON.stringify(schedule.parameters ?? {}, null, 2),
    startAt: oneTime ? "" : toWallInput(schedule.start_at, zone),
    endAt: toWallInput(schedule.end_at, zone),
    enabled: schedule.enabled,
  };
}

/** What the schedule does, in one line: "30 2 * * *", "every 900 s", "once". */
export function describeTiming(schedule: Pick<ScheduleView, "mode" | "cron_expression" | "interval_seconds">): string {
  switch (schedule.mode) {
    case "cron":
      return schedule.cron_expression ?? "—";
    case "interval":
      return schedule.interval_seconds == null ? "—" : `every ${schedule.interval_seconds} s`;
    case "one_time":
      return "once";
    default:
      return "manual only";
  }
}

export const MODE_LABELS: Record<ScheduleMode, string> = {
  cron: "cron",
  interval: "interval",
  one_time: "one-time",
  manual: "manual",
};
