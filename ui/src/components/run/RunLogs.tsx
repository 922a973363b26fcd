"use client";

/** The run's log lines (time, level, task, message) with filters by task and level
 * (applied here, over the lines fetched: the API has no such parameters) and follow
 * mode: while on, the list stays scrolled to the newest line as lines arrive; scrolling
 * up turns it off, the checkbox turns it back on. */

import { memo, useEffect, useMemo, useRef, useState } from "react";

import { filterLogLines, LEVELS, levelClass, lineKey, lineTask, lineTime, RUN_LINES, type LogLine } from "@/lib/run/logs";
import type { TaskChoice, TaskRun } from "@/lib/run/taskRuns";

/** The newest lines drawn by default (the filters still see them all); "Show all"
 * draws up to MAX_DRAWN_LINES. Drawing thousands of rows on every poll made the page
 * stutter on a 1,000-task run. */
export const DRAWN_LINES = 500;
export const MAX_DRAWN_LINES = 10_000;

/** One line's row; memoised on its words, so a poll redraws only the rows it adds. */
const LogRow = memo(function LogRow({ line, label }: { line: LogLine; label: string }) {
  return (
    <tr className="border-t border-slate-100 align-top">
      <td className="whitespace-nowrap px-2 py-0.5 text-slate-700" title={line.timestamp}>{lineTime(line)}</td>
      <td className={`px-2 py-0.5 ${levelClass(line.level)}`}>{line.level}</td>
      <td className="truncate px-2 py-0.5 text-slate-800" title={label}>{label}</td>
      <td className="whitespace-pre-wrap px-2 py-0.5 text-slate-900 [overflow-wrap:anywhere]">{line.message}</td>
    </tr>
  );
});

/** Memoised: the page re-renders every second while a run is live (durations count up),
 * the logs only when their lines or task runs change. */
export const RunLogs = memo(function RunLogs({
  runId,
  lines,
  byTaskRunId,
  tasks,
  loading,
}: {
  runId: string;
  lines: readonly LogLine[];
  byTaskRunId: ReadonlyMap<string, TaskRun>;
  tasks: TaskChoice[];
  loading: boolean;
}) {
  const [taskId, setTaskId] = useState("");
  const [minLevel, setMinLevel] = useState("");
  const [follow, setFollow] = useState(true);
  const [showAll, setShowAll] = useState(false);
  const box = useRef<HTMLDivElement>(null);

  // the task runs matter to the filter only when it picks a task
  const filterTaskRuns = taskId ? byTaskRunId : null;
  const shown = useMemo(
    () => filterLogLines(lines, { taskId, minLevel }, (line) => lineTask(line, runId, filterTaskRuns ?? new Map())),
    [lines, taskId, minLevel, runId, filterTaskRuns],
  );
  const drawn = useMemo(() => shown.slice(-(showAll ? MAX_DRAWN_LINES : DRAWN_LINES)), [shown, showAll]);
  const last = drawn.length ? lineKey(drawn[drawn.length - 1]!) : -1;

  // scrolled in the next frame, where the browser lays the page out anyway (reading
  // scrollHeight right after a commit forces an extra layout of the whole page), and
  // the scroll event that follows is ours, not the reader's: it does not measure again
  const ours = useRef(false);
  useEffect(() => {
    if (!follow) return;
    const frame = requestAnimationFrame(() => {
      const el = box.current;
      if (!el) return;
      ours.current = true;
      el.scrollTop = el.scrollHeight;
    });
    return () => cancelAnimationFrame(frame);
  }, [follow, last, taskId, minLevel]);

  function onScroll() {
    const el = box.current;
    if (!el) return;
    if (ours.current) {
      ours.current = false;
      return;
    }
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    if (!atBottom && follow) setFollow(false);
  }

  const toggle = "rounded border border-slate-300 bg-white px-2 py-0.5 text-sm text-slate-800 hover:bg-slate-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500";
  const select = "rounded border border-slate-300 bg-white px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-blue-500";
  return (
    <section aria-labelledby="logs-heading" className="rounded border border-slate-200 bg-white p-4">
      <div className="mb-2 flex flex-wrap items-center gap-4">
        <h3 id="logs-heading" className="font-semibold">Logs</h3>
        <div className="flex items-center gap-2">
          <label htmlFor="log-task" className="text-sm font-medium text-slate-700">Task</label>
          <select id="log-task" className={select} value={taskId} onChange={(e) => setTaskId(e.target.value)}>
            <option value="">All tasks</option>
            <option value={RUN_LINES}>The run itself</option>
            {tasks.map((task) => (
              <option key={task.id} value={task.id}>{task.name}</option>
            ))}
          </select>
        </div>
        <div className="flex items-center gap-2">
          <label htmlFor="log-level" className="text-sm font-medium text-slate-700">Level</label>
          <select id="log-level" className={select} value={minLevel} onChange={(e) => setMinLevel(e.target.value)}>
            <option value="">All levels</option>
            {LEVELS.map((level) => (
              <option key={level} value={level}>{level} and above</option>
            ))}
          </select>
        </div>
        <div className="flex items-center gap-2">
          <input
            id="log-follow"
            type="checkbox"
            className="h-4 w-4"
            checked={follow}
            onChange={(e) => setFollow(e.target.checked)}
          />
          <label htmlFor="log-follow" className="text-sm font-medium text-slate-700">Follow newest</label>
        </div>
        <span className="ml-auto text-sm text-slate-600" aria-live="polite">
          {shown.length === lines.length ? `${lines.length} lines` : `${shown.length} of ${lines.length} lines`}
        </span>
      </div>
      <div
        ref={box}
        onScroll={onScroll}
        tabIndex={0}
        role="region"
        aria-label="Log lines"
        className="max-h-96 overflow-auto rounded border [contain:content] border-slate-200 focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500"
      >
        {drawn.length === 0 ? (
          <p className="p-3 text-sm text-slate-700">
            {loading ? "Loading logs…" : lines.length === 0 ? "No log lines yet." : "No line matches these filters."}
          </p>
        ) : (
          <table className="w-full table-fixed border-collapse text-left font-mono text-xs">
            {/* fixed columns: a new row does not make the browser re-measure every other row */}
            <colgroup>
              <col className="w-28" />
              <col className="w-20" />
              <col className="w-44" />
              <col />
            </colgroup>
            <thead className="sticky top-0 bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className="px-2 py-1">Time</th>
                <th scope="col" className="px-2 py-1">Level</th>
                <th scope="col" className="px-2 py-1">Task</th>
                <th scope="col" className="px-2 py-1">Message</th>
              </tr>
            </thead>
            <tbody>
              {drawn.map((line) => (
                <LogRow key={lineKey(line)} line={line} label={lineTask(line, runId, byTaskRunId)?.label ?? "run"} />
              ))}
            </tbody>
          </table>
        )}
      </div>
      {(shown.length > drawn.length || showAll) && (
        <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-700">
          {shown.length > drawn.length && <span>Showing the newest {drawn.length} of {shown.length} matching lines.</span>}
          {showAll ? (
            <button type="button" className={toggle} onClick={() => setShowAll(false)}>
              Show only the newest {DRAWN_LINES}
            </button>
          ) : (
            <button type="button" className={toggle} onClick={() => setShowAll(true)}>
              Show all {Math.min(shown.length, MAX_DRAWN_LINES)} lines
            </button>
          )}
        </p>
      )}
    </section>
  );
});
