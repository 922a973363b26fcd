"use client";

/** The Schedules page's body: cursor pages of GET /schedules, polled, with an empty
 * state that says how to create one. */

import { Command, EmptyState } from "@/components/EmptyState";
import { PagedList } from "@/components/PagedList";
import { useSchedules } from "@/lib/schedules/queries";
import { can, useMe } from "@/lib/useMe";

import { SchedulesTable } from "./SchedulesTable";

export function SchedulesView() {
  const me = useMe();
  return (
    <PagedList
      usePage={useSchedules}
      noun="schedules"
      label="Schedules"
      alwaysPager
      empty={
        <EmptyState>
          No schedules yet. Create one with <strong>New schedule</strong> above, or from a shell:{" "}
          <Command>dagy schedules create --deployment etl --cron &quot;30 2 * * *&quot; --timezone Europe/Berlin</Command>
        </EmptyState>
      }
    >
      {(items) => <SchedulesTable schedules={items} canWrite={can(me.data, "schedules:write")} />}
    </PagedList>
  );
}
