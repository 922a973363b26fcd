"use client";

/** The Sensors page's "New sensor" action, shown only to roles with sensors:write. */

import { NewLink } from "@/components/NewLink";

export function NewSensorLink() {
  return (
    <NewLink href="/sensors/new/" permission="sensors:write">
      New sensor
    </NewLink>
  );
}
