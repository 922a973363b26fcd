"use client";

/** /schedules/new/: the create form. */

import { PageShell } from "@/components/PageShell";
import { ScheduleForm } from "@/components/schedules/ScheduleForm";
import { EMPTY_FORM } from "@/lib/schedules/body";

export default function NewSchedulePage() {
  return (
    <PageShell title="New schedule">
      <ScheduleForm initial={EMPTY_FORM} />
    </PageShell>
  );
}
