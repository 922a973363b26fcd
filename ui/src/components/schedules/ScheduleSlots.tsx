"use client";

/** What the scheduler did with recent slots (GET /schedules/{id}/slots, newest first):
 * triggered with its run and that run's status now, or refused with the reason. */

import Link from "next/link";
import { useState } from "react";

import { CursorPager } from "@/components/CursorPager";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf } from "@/lib/apiCall";
import { useSlots } from "@/lib/schedules/queries";
import { formatUtc } from "@/lib/schedules/zoned";
import { runHref } from "@/lib/links";

export function ScheduleSlots({ id }: { id: string }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length - 1;
  const slots = useSlots(id, cursors[page] ?? null);

  return (
    <section aria-labelledby="slots-heading" className="flex flex-col gap-2">
      <h2 id="slots-heading" className="text-lg font-semibold">
        Recent slots
      </h2>
      {slots.isPending ? (
        <p className="text-slate-600">Loading slots…</p>
      ) : slots.isError && !slots.data ? (
        <ErrorNote message={messageOf(slots.error)} />
      ) : slots.data.items.length === 0 && page === 0 ? (
        <p className="text-slate-700">No slot has come due yet. The scheduler records each slot it triggers or refuses here.</p>
      ) : (
        <>
          <table className="w-full border-collapse text-left text-sm">
            <thead className="border-b border-slate-300 text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-4">Slot (UTC)</th>
                <th scope="col" className="py-2 pr-4">Outcome</th>
                <th scope="col" className="py-2 pr-4">Run / reason</th>
                <th scope="col" className="py-2 pr-4">Recorded (UTC)</th>
              </tr>
            </thead>
            <tbody>
              {slots.data.items.map((slot) => (
                <tr key={slot.epoch} className="border-b border-slate-200">
                  <td className="py-2 pr-4 font-mono text-xs">{formatUtc(slot.scheduled_for)}</td>
                  <td className="py-2 pr-4">
                    {slot.status === "refused" ? (
                      <span className="rounded bg-red-100 px-2 py-0.5 text-xs font-semibold text-red-800">refused</span>
                    ) : (
                      <span className="rounded bg-green-100 px-2 py-0.5 text-xs font-semibold text-green-800">triggered</span>
                    )}
                  </td>
                  <td className="py-2 pr-4">
                    {slot.run_id ? (
                      <Link className="text-blue-800 underline" href={runHref(slot.run_id)}>
                        {slot.run_status ?? "run"} <span className="font-mono text-xs">{slot.run_id.slice(0, 8)}</span>
                      </Link>
                    ) : (
                      (slot.reason ?? "—")
                    )}
                  </td>
                  <td className="py-2 pr-4 font-mono text-xs">{formatUtc(slot.recorded_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <CursorPager
        label="Pages of slots"
            page={page}
            hasNext={slots.data.next_cursor !== null}
            onPrevious={() => setCursors((seen) => seen.slice(0, -1))}
            onNext={() => {
              const next = slots.data.next_cursor;
              if (next) setCursors((seen) => [...seen, next]);
            }}
          />
        </>
      )}
    </section>
  );
}
