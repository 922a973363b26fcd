/** Display helpers of the deployments pages: tags and values as text; the links between
 * pages are lib/links.ts's, re-exported here for these pages. */

export function formatTags(tags: Record<string, string>): string {
  const entries = Object.entries(tags);
  return entries.length ? entries.map(([key, value]) => `${key}=${value}`).join(", ") : "—";
}

export { deploymentHref, runHref } from "@/lib/links";
export { flowHref as flowVersionHref } from "@/lib/links";

/** A parameter's default as one line of JSON ("—" for none). */
export function formatValue(value: unknown): string {
  if (value === undefined) return "—";
  return JSON.stringify(value);
}
