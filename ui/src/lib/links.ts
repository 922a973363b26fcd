/** The one place that knows each page's address. A static export has no unknown dynamic
 * segments, so detail pages take their id as a query parameter; hrefs are without the
 * /ui base path (next/link adds it). */

const q = encodeURIComponent;

export function runHref(runId: string): string {
  return `/runs/detail/?id=${q(runId)}`;
}

export function deploymentHref(name: string): string {
  return `/deployments/detail/?name=${q(name)}`;
}

/** A flow's page; with `version`, that version selected. */
export function flowHref(name: string, version?: string): string {
  const query = new URLSearchParams({ name });
  if (version) query.set("version", version);
  return `/flows/detail/?${query.toString()}`;
}

export function scheduleHref(scheduleId: string): string {
  return `/schedules/detail/?id=${q(scheduleId)}`;
}

export function sensorHref(sensorId: string): string {
  return `/sensors/detail/?id=${q(sensorId)}`;
}
