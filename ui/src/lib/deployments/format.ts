/** Display helpers of the deployments pages: tags as text, the links between pages
 * (static export: detail pages take query parameters, hrefs without the /ui base). */

export function formatTags(tags: Record<string, string>): string {
  const entries = Object.entries(tags);
  return entries.length ? entries.map(([key, value]) => `${key}=${value}`).join(", ") : "—";
}

export function deploymentHref(name: string): string {
  return `/deployments/detail/?name=${encodeURIComponent(name)}`;
}

export function flowVersionHref(flow: string, version: string): string {
  return `/flows/detail/?name=${encodeURIComponent(flow)}&version=${encodeURIComponent(version)}`;
}

export function runHref(runId: string): string {
  return `/runs/detail/?id=${encodeURIComponent(runId)}`;
}

/** A parameter's default as one line of JSON ("—" for none). */
export function formatValue(value: unknown): string {
  if (value === undefined) return "—";
  return JSON.stringify(value);
}
