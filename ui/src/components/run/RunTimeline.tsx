"use client";

/** The Gantt-style timeline: one row per task run, its bar placed by start and end
 * relative to the run's start (layoutTimeline), coloured by status with the status's
 * name in its own column. Bars are plain divs sized from JS (no chart library; the
 * page's CSP allows styles set at run time). */

import { memo, useMemo, useState } from "react";

import { formatDuration } from "@/lib/format";
import { taskStatusLook } from "@/lib/run/status";
import type { TaskRun } from "@/lib/run/taskRuns";
import { layoutTimeline, type TimelineRow } from "@/lib/run/timeline";

import { TaskStatusBadge } from "./TaskStatusBadge";

/** The first this many task runs are drawn; "Show all" draws up to MAX_TIMELINE_ROWS
 * (hundreds of rows whose bars move every second made a 1,000-task run's page stutter). */
export const TIMELINE_ROWS = 100;
export const MAX_TIMELINE_ROWS = 2000;

/** One task run's row, memoised on its numbers: a poll or the clock's tick redraws only
 * the rows whose bar, status or duration moved. */
const Row = memo(function Row(row: TimelineRow) {
  return (
    <tr className="border-b border-slate-100" data-timeline-row={row.id}>
      <td className="truncate py-1 pr-3 font-mono text-xs" title={row.label}>{row.label}</td>
      <td className="py-1 pr-3"><TaskStatusBadge status={row.status} /></td>
      <td className="py-1 pr-3 text-xs">{row.leftPct === null ? "—" : `+${formatDuration(row.offsetMs)}`}</td>
      <td className="py-1 pr-3 text-xs">
        {row.leftPct === null ? "—" : formatDuration(row.durationMs)}
        {row.open && <span className="text-slate-600"> (running)</span>}
      </td>
      <td className="py-1">
        <div aria-hidden="true" className="relative h-3 rounded bg-slate-100">
          {row.leftPct !== null && (
            <div
              className={`absolute top-0 h-3 rounded ${taskStatusLook(row.status).bar}`}
              ref={(el) => {
                if (!el) return;
                el.style.left = `${row.leftPct}%`;
                el.style.width = `${row.widthPct}%`;
              }}
            />
          )}
        </div>
      </td>
    </tr>
  );
});

/** Memoised: the page re-renders for reasons of its own (a selected task, the header);
 * the timeline only when its task runs or the clock change. */
export const RunTimeline = memo(function RunTimeline({
  startedAt,
  completedAt,
  taskRuns,
  now,
}: {
  startedAt: string | null;
  completedAt: string | null;
  taskRuns: readonly TaskRun[];
  now: number;
}) {
  const timeline = useMemo(
    () => layoutTimeline({ runStartedAt: startedAt, runCompletedAt: completedAt, taskRuns, now }),
    [startedAt, completedAt, taskRuns, now],
  );
  const [showAll, setShowAll] = useState(false);
  const rows = useMemo(() => timeline.rows.slice(0, showAll ? MAX_TIMELINE_ROWS : TIMELINE_ROWS), [timeline, showAll]);
  return (
    <section aria-labelledby="timeline-heading" className="rounded border border-slate-200 bg-white p-4">
      <h3 id="timeline-heading" className="mb-2 font-semibold">Timeline</h3>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-700">No task has started yet.</p>
      ) : (
        <div className="overflow-x-auto focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500" tabIndex={0} role="region" aria-label="Timeline of task runs">
          <table className="w-full table-fixed border-collapse text-left text-sm">
            <caption className="sr-only">Task runs by start time, relative to the run&apos;s start</caption>
            <colgroup>
              <col className="w-40" />
              <col className="w-28" />
              <col className="w-20" />
              <col className="w-20" />
              <col />
            </colgroup>
            <thead className="border-b border-slate-300 text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-3">Task run</th>
                <th scope="col" className="py-1 pr-3">Status</th>
                <th scope="col" className="py-1 pr-3">Start</th>
                <th scope="col" className="py-1 pr-3">Duration</th>
                <th scope="col" className="py-1">
                  <span className="sr-only">Bar</span>
                  <div aria-hidden="true" className="relative h-4 text-xs font-normal text-slate-600">
                    {timeline.ticks.map((tick) => (
                      <span
                        key={tick.pct}
                        className="absolute -translate-x-1/2 whitespace-nowrap first:translate-x-0"
                        ref={(el) => {
                          if (el) el.style.left = `${tick.pct}%`;
                        }}
                      >
                        {tick.label}
                      </span>
                    ))}
                  </div>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <Row key={row.id} {...row} />
              ))}
            </tbody>
          </table>
          {(timeline.rows.length > rows.length || showAll) && (
            <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-700">
              {timeline.rows.length > rows.length && <span>Showing the first {rows.length} of {timeline.rows.length} task runs.</span>}
              <button
                type="button"
                className="rounded border border-slate-300 bg-white px-2 py-0.5 text-sm text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500"
                onClick={() => setShowAll(!showAll)}
              >
                {showAll ? `Show only the first ${TIMELINE_ROWS}` : `Show all ${Math.min(timeline.rows.length, MAX_TIMELINE_ROWS)} task runs`}
              </button>
            </p>
          )}
        </div>
      )}
    </section>
  );
});
