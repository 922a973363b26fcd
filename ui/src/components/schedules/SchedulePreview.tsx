"use client";

/** The next 10 fire times (GET /schedules/{id}/preview?count=10) on the schedule's wall
 * clock and in UTC; a slot after which the zone's offset changed is marked as a DST
 * shift (markDstShifts), in words as well as colour. */

import { ErrorNote } from "@/components/ErrorNote";
import { messageOf } from "@/lib/apiCall";
import { describeShift, formatLocalSlot, markDstShifts } from "@/lib/schedules/dst";
import { usePreview } from "@/lib/schedules/queries";
import { formatUtc } from "@/lib/schedules/zoned";

export function SchedulePreview({ id, timezone }: { id: string; timezone: string }) {
  const preview = usePreview(id, 10);
  return (
    <section aria-labelledby="preview-heading" className="flex flex-col gap-2">
      <h2 id="preview-heading" className="text-lg font-semibold">
        Next 10 runs
      </h2>
      {preview.isPending ? (
        <p className="text-slate-600">Computing the next slots…</p>
      ) : preview.isError ? (
        <ErrorNote message={messageOf(preview.error)} />
      ) : preview.data.items.length === 0 ? (
        <p className="text-slate-700">No slots ahead: the schedule has ended, ran its one time, or is manual only.</p>
      ) : (
        <table className="w-full border-collapse text-left text-sm" data-testid="schedule-preview">
          <thead className="border-b border-slate-300 text-slate-600">
            <tr>
              <th scope="col" className="py-2 pr-4">#</th>
              <th scope="col" className="py-2 pr-4">Local ({timezone})</th>
              <th scope="col" className="py-2 pr-4">UTC</th>
              <th scope="col" className="py-2 pr-4">Note</th>
            </tr>
          </thead>
          <tbody>
            {markDstShifts(preview.data.items).map((slot, index) => (
              <tr key={slot.utc} className={`border-b border-slate-200 ${slot.shift ? "bg-amber-50" : ""}`}>
                <td className="py-2 pr-4 text-slate-600">{index + 1}</td>
                <td className="py-2 pr-4 font-mono text-xs">{formatLocalSlot(slot.local)}</td>
                <td className="py-2 pr-4 font-mono text-xs">{formatUtc(slot.utc)}</td>
                <td className="py-2 pr-4">
                  {slot.shift && <span className="font-medium text-amber-900">{describeShift(slot.shift)}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
