/** One page of schedules: deployment, mode, timing, zone, enabled, next run on the
 * zone's wall clock and in UTC, last triggered; Enable/Disable where the role may. */

import Link from "next/link";

import type { ScheduleView } from "@/lib/schedules/body";
import { describeTiming, MODE_LABELS } from "@/lib/schedules/body";
import { formatInZone, formatUtc } from "@/lib/schedules/zoned";

import { EnabledBadge } from "./EnabledBadge";
import { ScheduleToggle } from "./ScheduleToggle";
import { scheduleHref } from "@/lib/links";

export function SchedulesTable({ schedules, canWrite }: { schedules: ScheduleView[]; canWrite: boolean }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm">
        <thead className="border-b border-slate-300 text-slate-600">
          <tr>
            <th scope="col" className="py-2 pr-4">Deployment</th>
            <th scope="col" className="py-2 pr-4">Mode</th>
            <th scope="col" className="py-2 pr-4">Expression / interval</th>
            <th scope="col" className="py-2 pr-4">Time zone</th>
            <th scope="col" className="py-2 pr-4">State</th>
            <th scope="col" className="py-2 pr-4">Next run</th>
            <th scope="col" className="py-2 pr-4">Last triggered (UTC)</th>
            {canWrite && <th scope="col" className="py-2 pr-4">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {schedules.map((schedule) => (
            <tr key={schedule.schedule_id} className="border-b border-slate-200 align-top" data-schedule-id={schedule.schedule_id}>
              <td className="py-2 pr-4">
                <Link
                  className="font-medium text-blue-800 underline hover:text-blue-900"
                  href={scheduleHref(schedule.schedule_id)}
                >
                  {schedule.deployment_name}
                </Link>
              </td>
              <td className="py-2 pr-4">{MODE_LABELS[schedule.mode]}</td>
              <td className="py-2 pr-4 font-mono text-xs">{describeTiming(schedule)}</td>
              <td className="py-2 pr-4">{schedule.timezone}</td>
              <td className="py-2 pr-4"><EnabledBadge enabled={schedule.enabled} /></td>
              <td className="py-2 pr-4">
                {schedule.next_run_at ? (
                  <>
                    <span className="block">{formatInZone(schedule.next_run_at, schedule.timezone)}</span>
                    <span className="block text-xs text-slate-600">{formatUtc(schedule.next_run_at)}</span>
                  </>
                ) : (
                  "—"
                )}
              </td>
              <td className="py-2 pr-4">{formatUtc(schedule.last_triggered_at)}</td>
              {canWrite && (
                <td className="py-2 pr-4">
                  <ScheduleToggle
                    id={schedule.schedule_id}
                    enabled={schedule.enabled}
                    label={`the ${schedule.deployment_name} schedule`}
                  />
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
