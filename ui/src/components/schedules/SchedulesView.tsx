"use client";

/** The Schedules page's body: cursor pages of GET /schedules, polled, with an empty
 * state that says how to create one. */

import { useState } from "react";

import { CursorPager } from "@/components/CursorPager";
import { Command, EmptyState } from "@/components/EmptyState";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf } from "@/lib/apiCall";
import { useSchedules } from "@/lib/schedules/queries";
import { can, useMe } from "@/lib/useMe";

import { SchedulesTable } from "./SchedulesTable";

export function SchedulesView() {
  const me = useMe();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length - 1;
  const query = useSchedules(cursors[page] ?? null);

  if (query.isPending) return <p className="text-slate-600">Loading schedules…</p>;
  if (query.isError && !query.data) return <ErrorNote message={messageOf(query.error)} />;
  const { items, next_cursor } = query.data;

  return (
    <section aria-label="Schedules">
      {query.isError && <ErrorNote message={messageOf(query.error)} />}
      {items.length === 0 && page === 0 ? (
        <EmptyState>
          No schedules yet. Create one with <strong>New schedule</strong> above, or from a shell:{" "}
          <Command>dagy schedules create --deployment etl --cron &quot;30 2 * * *&quot; --timezone Europe/Berlin</Command>
        </EmptyState>
      ) : (
        <SchedulesTable schedules={items} canWrite={can(me.data, "schedules:write")} />
      )}
      <CursorPager
        label="Pages of schedules"
        page={page}
        hasNext={next_cursor !== null}
        onPrevious={() => setCursors((seen) => seen.slice(0, -1))}
        onNext={() => next_cursor && setCursors((seen) => [...seen, next_cursor])}
      />
    </section>
  );
}
