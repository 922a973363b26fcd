"use client";

/** One run: its header and actions, its tasks (graph or list) with the chosen task's
 * task runs, the timeline and the logs. Everything is polled every 2 s until the run
 * finishes (useRunDetail); an unknown id shows a way back to the runs list. */

import { useDeferredValue, useEffect, useMemo, useRef, useState } from "react";

import { ApiError, messageOf } from "@/lib/apiCall";
import { EMPTY_LOGS } from "@/lib/run/logs";
import { isRunFinished } from "@/lib/run/status";
import { indexTaskRuns, keepChoices, NO_TASK_RUNS, taskChoices, type TaskChoice } from "@/lib/run/taskRuns";
import { useFlowSpec, useRun, useRunLogs, useTaskRuns } from "@/lib/run/useRunDetail";

import { ErrorNote } from "../ErrorNote";
import { RunActions } from "./RunActions";
import { RunHeader } from "./RunHeader";
import { RunLogs } from "./RunLogs";
import { RunNotFound } from "./RunNotFound";
import { RunTasks } from "./RunTasks";
import { RunTimeline } from "./RunTimeline";
import { TaskRunsPanel } from "./TaskRunsPanel";

/** Running durations count up between polls. */
function useNow(live: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (!live) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [live]);
  return now;
}

export function RunDetailView({ runId }: { runId: string }) {
  const run = useRun(runId);
  const found = run.data !== undefined;
  const live = found && !isRunFinished(run.data.status);
  const taskRuns = useTaskRuns(runId, live, found);
  const logs = useRunLogs(runId, live, found);
  const spec = useFlowSpec(run.data?.flow_name, run.data?.flow_version);
  const now = useNow(live);
  const [selectedTaskId, setSelectedTaskId] = useState<string | null>(null);

  // a poll's new task runs and log lines render in a transition (deferred, time-sliced):
  // on a 1,000-task run that work no longer blocks frames (the graph pans, the clock ticks)
  const items = useDeferredValue(taskRuns.data ?? NO_TASK_RUNS);
  const lines = useDeferredValue(logs.data?.lines ?? EMPTY_LOGS.lines);
  // derived once per fetch: TanStack Query keeps the data's identity when nothing changed
  const lastChoices = useRef<TaskChoice[] | null>(null);
  const choices = useMemo(() => keepChoices(lastChoices.current, taskChoices(spec.data, items)), [spec.data, items]);
  useEffect(() => {
    lastChoices.current = choices;
  }, [choices]);
  const index = useMemo(() => indexTaskRuns(items), [items]);

  if (!runId) return <RunNotFound runId="" />;
  if (run.isPending) return <p className="text-slate-700">Loading the run…</p>;
  if (run.isError && !found) {
    if (run.error instanceof ApiError && run.error.status === 404) return <RunNotFound runId={runId} />;
    return <ErrorNote message={messageOf(run.error)} />;
  }
  const view = run.data!;
  // a finished run's task runs stop at its end, even one the API still calls RUNNING
  const completed = view.completed_at ? Date.parse(view.completed_at) : Number.NaN;
  const clock = !live && !Number.isNaN(completed) ? completed : now;
  const selected = choices.find((c) => c.id === selectedTaskId) ?? null;

  return (
    <div className="flex flex-col gap-4">
      {run.isError && <ErrorNote message={messageOf(run.error)} />}
      <RunHeader run={view} now={now} actions={<RunActions run={view} />} />
      <RunTasks
        spec={spec.data ?? null}
        specError={spec.isError ? messageOf(spec.error) : null}
        choices={choices}
        taskRuns={items}
        index={index}
        selectedTaskId={selectedTaskId}
        onSelectTask={setSelectedTaskId}
      />
      {taskRuns.isError && <ErrorNote message={messageOf(taskRuns.error)} />}
      {selected && (
        <TaskRunsPanel run={view} taskId={selected.id} taskName={selected.name} index={index} now={clock} />
      )}
      <RunTimeline startedAt={view.started_at} completedAt={view.completed_at} taskRuns={items} now={clock} />
      {logs.isError && <ErrorNote message={messageOf(logs.error)} />}
      <RunLogs runId={runId} lines={lines} byTaskRunId={index.byId} tasks={choices} loading={logs.isPending} />
    </div>
  );
}
