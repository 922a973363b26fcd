/** What the runs table shows in its tier / executor and trigger columns: pure, so the
 * table stays a plain mapping and the rules are unit-tested (test/runsColumns.test.ts).
 *
 * `trigger_source` ("manual", "api", "schedule", "sensor", "backfill", "retry") is new
 * on RunView: older servers (and an older generated schema) do not send it, so it is
 * read as optional and shown as a dash when absent. */

import type { RunView } from "@/api/client";

export const DASH = "—";

/** "standard / local", "standard", "local", or a dash. */
export function tierExecutor(run: Pick<RunView, "runtime_tier" | "executor">): string {
  const parts = [run.runtime_tier, run.executor].filter((part): part is string => Boolean(part));
  return parts.length ? parts.join(" / ") : DASH;
}

/** The run's trigger source when the server says it, else a dash. */
export function triggerSource(run: object): string {
  const value = (run as { trigger_source?: unknown }).trigger_source;
  return typeof value === "string" && value ? value : DASH;
}

export { deploymentHref } from "@/lib/links";
