/** The run header's optional fields: whatever RunView carries beyond the fields this UI
 * knows (today none; `routing` and a cost estimate are planned), shown only when present,
 * so a newer API's fields appear without a UI change. */

/** The RunView fields the header already shows (or deliberately leaves out). */
export const KNOWN_RUN_FIELDS: ReadonlySet<string> = new Set([
  "run_id", "run_slug", "flow_name", "flow_version", "deployment_name", "status", "parameters",
  "executor", "external_id", "created_at", "started_at", "completed_at", "error_message",
  "runtime_tier", "result", "trigger_source",
]);

/** Labels of the fields the API is expected to add; others show their own name. */
const LABELS: Record<string, string> = {
  routing: "Routing",
  cost_estimate: "Cost estimate",
  estimated_cost: "Cost estimate",
  cost: "Cost",
};

export type ExtraField = { key: string; label: string; value: unknown };

/** Present, non-null fields this UI does not otherwise show: the labelled ones first. */
export function extraRunFields(run: Record<string, unknown>): ExtraField[] {
  const keys = Object.keys(run).filter((k) => !KNOWN_RUN_FIELDS.has(k) && run[k] !== null && run[k] !== undefined);
  const ranked = (k: string) => (k in LABELS ? Object.keys(LABELS).indexOf(k) : 100);
  return keys
    .sort((a, b) => ranked(a) - ranked(b) || a.localeCompare(b))
    .map((key) => ({ key, label: LABELS[key] ?? humanize(key), value: run[key] }));
}

function humanize(key: string): string {
  const words = key.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value as text: strings as they are, everything else as indented JSON. */
export function valueText(value: unknown): string {
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Whether a value reads better as a block (<pre>) than inline. */
export function isBlockValue(value: unknown): boolean {
  return (typeof value === "object" && value !== null) || (typeof value === "string" && value.includes("\n"));
}
