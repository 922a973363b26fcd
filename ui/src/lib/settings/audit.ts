/** The audit log's filters as typed in the form, turned into GET /audit-logs query
 * parameters (empty fields left out, local times converted to UTC), and how an entry's
 * actor and change are shown. */

import { localInputToUtcIso } from "./time";

export type AuditFilters = {
  resourceType: string;
  resourceId: string;
  actor: string;
  /** datetime-local values, the browser's local time */
  since: string;
  until: string;
};

export const NO_AUDIT_FILTERS: AuditFilters = { resourceType: "", resourceId: "", actor: "", since: "", until: "" };

/** Resource types the API records (an action is "<resource_type>.<verb>"). */
export const AUDIT_RESOURCE_TYPES = [
  "api_key", "deployment", "environment", "invitation", "member", "org", "run",
  "schedule", "secret", "sensor", "user",
];

export type AuditQuery = {
  resource_type?: string;
  resource_id?: string;
  actor?: string;
  since?: string;
  until?: string;
};

/** The query parameters of `filters`, or an error naming the field that is not a time. */
export function auditQuery(filters: AuditFilters, offsetMinutes?: number): { query: AuditQuery } | { error: string } {
  const query: AuditQuery = {};
  const text = (value: string) => value.trim() || undefined;
  const resourceType = text(filters.resourceType);
  const resourceId = text(filters.resourceId);
  const actor = text(filters.actor);
  if (resourceType) query.resource_type = resourceType;
  if (resourceId) query.resource_id = resourceId;
  if (actor) query.actor = actor;
  for (const key of ["since", "until"] as const) {
    if (!filters[key].trim()) continue;
    const iso = localInputToUtcIso(filters[key], offsetMinutes);
    if (!iso) return { error: `"${key === "since" ? "From" : "Until"}" is not a date and time.` };
    query[key] = iso;
  }
  if (query.since && query.until && query.since >= query.until) {
    return { error: '"From" must be before "Until".' };
  }
  return { query };
}

/** "user:<id>" as that person's email when known, "key:<id>" as the key's name. */
export function actorLabel(actor: string, people: ReadonlyMap<string, string>, keys: ReadonlyMap<string, string>): string {
  const [kind, id] = actor.split(":", 2);
  if (kind === "user" && id && people.has(id)) return people.get(id)!;
  if (kind === "key" && id && keys.has(id)) return `API key ${keys.get(id)}`;
  return actor;
}

/** The fields an entry changed: names whose value differs between before and after. */
export function changedFields(before: unknown, after: unknown): string[] {
  const asObject = (value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  const a = asObject(before);
  const b = asObject(after);
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...names].filter((name) => JSON.stringify(a[name]) !== JSON.stringify(b[name])).sort();
}

/** What happened, in a few words: created / deleted / the changed fields. */
export function changeSummary(before: unknown, after: unknown): string {
  if (before == null && after == null) return "—";
  if (before == null) return "created";
  if (after == null) return "deleted";
  const fields = changedFields(before, after);
  return fields.length ? `changed ${fields.join(", ")}` : "no field changed";
}
