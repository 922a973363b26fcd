/** The runs list's filters as they live in the page's URL (?status=&deployment=&since=
 * &until=), so a filtered view can be shared and survives a reload, and their
 * translation into GET /runs query parameters. Pure functions, tested in
 * test/runsFilters.test.ts.
 *
 * `since` is a preset ("1h", "24h", "7d": relative to the moment of each request, so a
 * live view keeps sliding) or a UTC ISO time (a custom range, with `until` as its
 * optional end). */

import type { RunStatus } from "@/api/client";

export const RUN_STATUSES: readonly RunStatus[] = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"];

export const SINCE_PRESETS = {
  "1h": { label: "Last hour", ms: 3_600_000 },
  "24h": { label: "Last 24 hours", ms: 86_400_000 },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000 },
} as const;

export type SincePreset = keyof typeof SINCE_PRESETS;

export type RunsFilters = {
  status: RunStatus | null;
  deployment: string | null;
  /** a preset, or a UTC ISO time (custom range) */
  since: SincePreset | string | null;
  /** end of a custom range: a UTC ISO time */
  until: string | null;
};

export const NO_FILTERS: RunsFilters = { status: null, deployment: null, since: null, until: null };

/** What URLSearchParams and Next's ReadonlyURLSearchParams both offer. */
type Params = { get(name: string): string | null };

export function isPreset(value: string | null): value is SincePreset {
  return value !== null && Object.hasOwn(SINCE_PRESETS, value);
}

function isoOrNull(value: string | null): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The filters of a URL query; unknown or malformed values are dropped, not guessed. */
export function parseRunsFilters(params: Params): RunsFilters {
  const status = params.get("status")?.toUpperCase() ?? null;
  const since = params.get("since");
  const custom = isPreset(since) ? null : isoOrNull(since);
  return {
    status: RUN_STATUSES.includes(status as RunStatus) ? (status as RunStatus) : null,
    deployment: params.get("deployment")?.trim() || null,
    since: isPreset(since) ? since : custom,
    until: custom ? isoOrNull(params.get("until")) : null,
  };
}

/** The URL query of the filters, without the leading "?"; "" when none is set. */
export function runsFiltersQuery(filters: RunsFilters): string {
  const query = new URLSearchParams();
  if (filters.status) query.set("status", filters.status);
  if (filters.deployment) query.set("deployment", filters.deployment);
  if (filters.since) query.set("since", filters.since);
  if (filters.since && !isPreset(filters.since) && filters.until) query.set("until", filters.until);
  return query.toString();
}

export function hasFilters(filters: RunsFilters): boolean {
  return runsFiltersQuery(filters) !== "";
}

export type RunsQuery = {
  status?: RunStatus;
  deployment_name?: string;
  created_after?: string;
  created_before?: string;
};

/** GET /runs parameters for the filters; a preset is resolved against `now`. */
export function runsApiQuery(filters: RunsFilters, now: number): RunsQuery {
  const query: RunsQuery = {};
  if (filters.status) query.status = filters.status;
  if (filters.deployment) query.deployment_name = filters.deployment;
  if (isPreset(filters.since)) {
    query.created_after = new Date(now - SINCE_PRESETS[filters.since].ms).toISOString();
  } else if (filters.since) {
    query.created_after = filters.since;
    if (filters.until) query.created_before = filters.until;
  }
  return query;
}

const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** A datetime-local input's value ("2026-12-04T10:30", the browser's wall-clock time) as
 * a UTC ISO time. `offsetMinutes` is Date#getTimezoneOffset's sign convention (UTC minus
 * local: -60 for UTC+1); by default the browser's offset at that local time, so a time
 * either side of a daylight-saving change converts correctly. Null when malformed. */
export function localInputToUtcIso(value: string, offsetMinutes?: number): string | null {
  const match = LOCAL_INPUT.exec(value.trim());
  if (!match) return null;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match
    .slice(1)
    .map((part) => Number(part ?? 0));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(wall).getUTCDate() !== day) return null; // 31 February and the like
  const offset = offsetMinutes ?? new Date(year, month - 1, day, hour, minute, second).getTimezoneOffset();
  return new Date(wall + offset * 60_000).toISOString();
}

/** The inverse, for showing a URL's custom time back in a datetime-local input. */
export function utcIsoToLocalInput(iso: string | null, offsetMinutes?: number): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  const offset = offsetMinutes ?? new Date(ms).getTimezoneOffset();
  return new Date(ms - offset * 60_000).toISOString().slice(0, 16);
}
