"use client";

/** One schedule (/schedules/detail/?id=): what it is, its actions, its next 10 slots,
 * what became of recent slots, and (for schedules:write) the edit form. */

import { ErrorNote } from "@/components/ErrorNote";
import { FactList, type Fact } from "@/components/FactList";
import { messageOf } from "@/lib/apiCall";
import { describeTiming, formFromSchedule, MODE_LABELS } from "@/lib/schedules/body";
import { useSchedule } from "@/lib/schedules/queries";
import { formatInZone, formatUtc } from "@/lib/schedules/zoned";
import { can, useMe } from "@/lib/useMe";

import { EnabledBadge } from "./EnabledBadge";
import { ScheduleActions } from "./ScheduleActions";
import { ScheduleForm } from "./ScheduleForm";
import { SchedulePreview } from "./SchedulePreview";
import { ScheduleSlots } from "./ScheduleSlots";

export function ScheduleDetailView({ id }: { id: string }) {
  const me = useMe();
  const schedule = useSchedule(id);
  if (!id) return <ErrorNote message="No schedule given: open one from the Schedules list." />;
  if (schedule.isPending) return <p className="text-slate-600">Loading the schedule…</p>;
  if (schedule.isError && !schedule.data) return <ErrorNote message={messageOf(schedule.error)} />;
  const s = schedule.data;
  const zone = s.timezone;

  const facts: Fact[] = [
    ["Deployment", s.deployment_name],
    ["Flow", s.flow_name],
    ["Mode", MODE_LABELS[s.mode]],
    ["Timing", <span key="t" className="font-mono text-xs">{describeTiming(s)}</span>],
    ["Time zone", zone],
    ["State", <EnabledBadge key="e" enabled={s.enabled} />],
    ["Next run", s.next_run_at ? `${formatInZone(s.next_run_at, zone)} (${formatUtc(s.next_run_at)})` : "—"],
    ["Last triggered", formatUtc(s.last_triggered_at)],
    ["DST policy", s.mode === "cron" ? `gap: ${s.dst_policy.nonexistent}, fold: ${s.dst_policy.ambiguous}` : "not used"],
    ["Catch-up", s.catchup_policy === "all" ? `all, at most ${s.max_catchup_runs}` : "none (latest only)"],
    ["Start / end", `${s.start_at ? formatInZone(s.start_at, zone) : "—"} / ${s.end_at ? formatInZone(s.end_at, zone) : "—"}`],
    ["Parameters", <code key="p" className="break-all text-xs">{JSON.stringify(s.parameters)}</code>],
  ];

  return (
    <div className="flex flex-col gap-6">
      {schedule.isError && <ErrorNote message={messageOf(schedule.error)} />}
      <FactList facts={facts} />
      {s.refused_slots > 0 && (
        <p role="status" className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {s.refused_slots} of the recent slots were refused
          {s.last_refused ? `; the newest (${formatUtc(s.last_refused.scheduled_for)}): ${s.last_refused.reason ?? "no reason given"}` : ""}.
        </p>
      )}
      <ScheduleActions id={s.schedule_id} enabled={s.enabled} />
      <SchedulePreview id={s.schedule_id} timezone={zone} />
      <ScheduleSlots id={s.schedule_id} />
      {can(me.data, "schedules:write") && (
        <section aria-labelledby="edit-heading" className="flex flex-col gap-2">
          <h2 id="edit-heading" className="text-lg font-semibold">
            Edit
          </h2>
          <ScheduleForm key={s.schedule_id} initial={formFromSchedule(s)} scheduleId={s.schedule_id} />
        </section>
      )}
    </div>
  );
}
