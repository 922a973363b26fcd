"use client";

/** The Schedules page's "New schedule" action, shown only to roles with schedules:write. */

import { NewLink } from "@/components/NewLink";

export function NewScheduleLink() {
  return (
    <NewLink href="/schedules/new/" permission="schedules:write">
      New schedule
    </NewLink>
  );
}
