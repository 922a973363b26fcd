"use client";

/** The Sensors page's body: cursor pages of GET /sensors, polled, with an empty state
 * that says how to create one. */

import { Command, EmptyState } from "@/components/EmptyState";
import { PagedList } from "@/components/PagedList";
import { useSensors } from "@/lib/sensors/queries";
import { can, useMe } from "@/lib/useMe";

import { SensorsTable } from "./SensorsTable";

export function SensorsView() {
  const me = useMe();
  return (
    <PagedList
      usePage={useSensors}
      noun="sensors"
      label="Sensors"
      alwaysPager
      empty={
        <EmptyState>
          No sensors yet. Create one with <strong>New sensor</strong> above, or from a shell:{" "}
          <Command>dagy sensors create on-push --type webhook --deployment etl-daily</Command>
        </EmptyState>
      }
    >
      {(items) => <SensorsTable sensors={items} canWrite={can(me.data, "sensors:write")} />}
    </PagedList>
  );
}
