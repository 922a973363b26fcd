"use client";

/** The Sensors page's body: cursor pages of GET /sensors, polled, with an empty state
 * that says how to create one. */

import { useState } from "react";

import { CursorPager } from "@/components/CursorPager";
import { Command, EmptyState } from "@/components/EmptyState";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf } from "@/lib/apiCall";
import { useSensors } from "@/lib/sensors/queries";
import { can, useMe } from "@/lib/useMe";

import { SensorsTable } from "./SensorsTable";

export function SensorsView() {
  const me = useMe();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length - 1;
  const query = useSensors(cursors[page] ?? null);

  if (query.isPending) return <p className="text-slate-600">Loading sensors…</p>;
  if (query.isError && !query.data) return <ErrorNote message={messageOf(query.error)} />;
  const { items, next_cursor } = query.data;

  return (
    <section aria-label="Sensors">
      {query.isError && <ErrorNote message={messageOf(query.error)} />}
      {items.length === 0 && page === 0 ? (
        <EmptyState>
          No sensors yet. Create one with <strong>New sensor</strong> above, or from a shell:{" "}
          <Command>dagy sensors create on-push --type webhook --deployment etl-daily</Command>
        </EmptyState>
      ) : (
        <SensorsTable sensors={items} canWrite={can(me.data, "sensors:write")} />
      )}
      <CursorPager
        label="Pages of sensors"
        page={page}
        hasNext={next_cursor !== null}
        onPrevious={() => setCursors((seen) => seen.slice(0, -1))}
        onNext={() => next_cursor && setCursors((seen) => [...seen, next_cursor])}
      />
    </section>
  );
}
