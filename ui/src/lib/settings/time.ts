/** Times between <input type="datetime-local"> and the API: the input gives the
 * browser's local wall time without a zone ("2026-12-04T18:30"); the API wants an ISO
 * time with an offset, so it is converted to UTC here (the API reads a time without
 * offset as UTC, which would shift a filter by the browser's offset). */

/** A datetime-local value as a UTC ISO string ("…Z"); null for an empty or bad one.
 * `offsetMinutes` (Date's getTimezoneOffset sign: minutes to add to local to get UTC)
 * is for tests; by default the browser's own offset at that date is used. */
export function localInputToUtcIso(value: string, offsetMinutes?: number): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value.trim());
  if (!match) return null;
  const [, y, mo, d, h, mi, s = "0", ms = "0"] = match;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms.padEnd(3, "0"))] as const;
  if (parts[1] > 11 || parts[2] < 1 || parts[2] > 31 || parts[3] > 23 || parts[4] > 59 || parts[5] > 59) return null;
  let utc: number;
  if (offsetMinutes === undefined) {
    const local = new Date(...parts);
    if (Number.isNaN(local.getTime())) return null;
    utc = local.getTime();
  } else {
    utc = Date.UTC(...parts) + offsetMinutes * 60_000;
  }
  const date = new Date(utc);
  // reject a day that does not exist (Feb 30 rolls over to March)
  const check = new Date(Date.UTC(...parts));
  if (check.getUTCDate() !== parts[2]) return null;
  return date.toISOString();
}

/** Whether an ISO time lies before `now` (an expired key); false when absent. */
export function isPast(iso: string | null | undefined, now: number): boolean {
  if (!iso) return false;
  const at = Date.parse(iso);
  return !Number.isNaN(at) && at <= now;
}
