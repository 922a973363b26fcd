"use client";

import { PageShell } from "@/components/PageShell";
import { NewScheduleLink } from "@/components/schedules/NewScheduleLink";
import { SchedulesView } from "@/components/schedules/SchedulesView";

export default function SchedulesPage() {
  return (
    <PageShell title="Schedules" actions={<NewScheduleLink />}>
      <SchedulesView />
    </PageShell>
  );
}
