/** DST shifts in a schedule's preview: the API answers each slot as a wall-clock time
 * with its offset ("2027-03-28T03:00:00+02:00") and as UTC; where the offset differs
 * from the slot before, the zone's clocks moved in between. The preview marks that slot
 * so a person sees why 02:30 became 03:00 or why one night has two runs. */

export type PreviewSlot = { local: string; utc: string };

export type MarkedSlot = PreviewSlot & {
  /** Minutes east of UTC of `local`, or null when it carries no offset. */
  offset: number | null;
  /** Set when this slot's offset differs from the previous slot's. */
  shift: { from: string; to: string; direction: "forward" | "back" } | null;
};

const OFFSET = /(Z|([+-])(\d{2}):?(\d{2}))$/;

/** The offset of an ISO time in minutes east of UTC ("Z" = 0); null without one. */
export function offsetOfIso(iso: string): number | null {
  const match = OFFSET.exec(iso.trim());
  if (!match) return null;
  if (match[1] === "Z") return 0;
  const minutes = Number(match[3]) * 60 + Number(match[4]);
  return match[2] === "-" ? -minutes : minutes;
}

/** "+02:00" written as the API writes it: the offset text of `local`. */
function offsetText(iso: string): string {
  const match = OFFSET.exec(iso.trim());
  return match ? (match[1] === "Z" ? "+00:00" : match[1]!) : "";
}

/** Each slot with its offset, and a shift where the offset changed from the slot before. */
export function markDstShifts(slots: PreviewSlot[]): MarkedSlot[] {
  return slots.map((slot, index) => {
    const offset = offsetOfIso(slot.local);
    const previous = index > 0 ? slots[index - 1]! : null;
    const previousOffset = previous ? offsetOfIso(previous.local) : null;
    const shift =
      previous && offset !== null && previousOffset !== null && offset !== previousOffset
        ? {
            from: offsetText(previous.local),
            to: offsetText(slot.local),
            direction: offset > previousOffset ? ("forward" as const) : ("back" as const),
          }
        : null;
    return { ...slot, offset, shift };
  });
}

/** "2027-03-28T03:00:00+02:00" as "2027-03-28 03:00:00 +02:00" (the wall clock kept as is). */
export function formatLocalSlot(local: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(local.trim());
  if (!match) return local;
  const offset = match[3] === "Z" ? "+00:00" : (match[3] ?? "");
  return `${match[1]} ${match[2]}${offset ? ` ${offset}` : ""}`;
}

/** What a shift means in words, for the mark beside the slot. */
export function describeShift(shift: NonNullable<MarkedSlot["shift"]>): string {
  return shift.direction === "forward"
    ? `DST: clocks moved forward (${shift.from} → ${shift.to})`
    : `DST: clocks moved back (${shift.from} → ${shift.to})`;
}
