/** Wall-clock times in a named IANA zone, without a date library: the schedule form
 * takes start/end/run times as the schedule's own wall clock (what people think in), and
 * the API wants instants with an offset. Intl gives the zone's offset at an instant;
 * everything else is arithmetic. Pure, so Vitest checks the DST edges. */

const MINUTE = 60_000;

/** "+02:00" / "-04:00" / "+05:30" for an offset in minutes east of UTC. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The zone's offset from UTC (minutes east) at the instant `epochMs`. */
export function zoneOffsetMinutes(timeZone: string, epochMs: number): number {
  const parts = wallParts(timeZone, epochMs);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(epochMs / 1000) * 1000) / MINUTE);
}

type Parts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function wallParts(timeZone: string, epochMs: number): Parts {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const get = (type: string) => Number(format.formatToParts(new Date(epochMs)).find((p) => p.type === type)?.value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** Whether this browser knows the zone (Intl throws a RangeError for an unknown one). */
export function isKnownZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** An instant as the zone's wall clock for <input type="datetime-local">: "2027-03-28T03:00". */
export function toWallInput(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms) || !isKnownZone(timeZone)) return "";
  const p = wallParts(timeZone, ms);
  const seconds = p.second ? `:${pad(p.second)}` : "";
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}${seconds}`;
}

/** A wall-clock time of the zone ("2027-03-28T02:30", seconds optional) as ISO 8601 with
 * the zone's offset at that time. A time in a DST gap moves forward by the gap (as a
 * clock would read it); a time in a fold takes its first occurrence. Null when unreadable. */
export function fromWallInput(wall: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall.trim());
  if (!match || !isKnownZone(timeZone)) return null;
  const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0)) as number[];
  const naive = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  if (Number.isNaN(naive)) return null;
  // Try both offsets around the wall time: the earlier instant that reads back as this
  // wall time is the first occurrence; if none does, the time is in a gap.
  const before = zoneOffsetMinutes(timeZone, naive - 86_400_000 / 2);
  const after = zoneOffsetMinutes(timeZone, naive + 86_400_000 / 2);
  const candidates = [...new Set([before, after])]
    .map((offset) => naive - offset * MINUTE)
    .sort((a, b) => a - b);
  const exact = candidates.find((t) => zoneOffsetMinutes(timeZone, t) * MINUTE + t === naive);
  const instant = exact ?? naive - before * MINUTE; // in a gap: the pre-gap offset runs past it
  const offset = zoneOffsetMinutes(timeZone, instant);
  const local = new Date(instant + offset * MINUTE).toISOString().slice(0, 19);
  return `${local}${formatOffset(offset)}`;
}

/** An instant as "2027-03-28 03:00:00 +02:00" on the zone's wall clock. */
export function formatInZone(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "—";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  try {
    const p = wallParts(timeZone, ms);
    const offset = formatOffset(zoneOffsetMinutes(timeZone, ms));
    return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)} ${offset}`;
  } catch {
    return iso; // a zone this browser does not know
  }
}

/** An API time ("2027-03-28T01:00:00.000000Z") as "2027-03-28 01:00:00Z". */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return "—";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")}Z`;
}

/** Every zone this browser knows, or a short list where Intl cannot list them. */
export function timeZoneNames(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  try {
    const names = intl.supportedValuesOf?.("timeZone");
    if (names && names.length) return names.includes("UTC") ? names : ["UTC", ...names];
  } catch {
    // fall through
  }
  return ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"];
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
