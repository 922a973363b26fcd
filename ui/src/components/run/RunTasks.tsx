"use client";

/** The run's tasks: the flow's graph (DagGraph) with each task's live state and, above
 * it, a task picker for keyboard users; a list of the tasks with their state in words
 * when the FlowSpec cannot be read. */

import { memo, useMemo } from "react";

import { summarizeTaskRuns } from "@/lib/dag/graph";
import type { FlowSpecJson } from "@/lib/dag/types";
import type { TaskChoice, TaskRun, TaskRunIndex } from "@/lib/run/taskRuns";

import { DagGraph } from "../dag/DagGraph";
import { ErrorNote } from "../ErrorNote";
import { RunTaskList } from "./RunTaskList";
import { TaskPicker } from "./TaskPicker";

/** Memoised: the page re-renders every second while a run is live (durations count up);
 * the graph and the picker only when the task runs, the spec or the selection change. */
export const RunTasks = memo(function RunTasks({
  spec,
  specError,
  choices,
  taskRuns,
  index,
  selectedTaskId,
  onSelectTask,
}: {
  spec: FlowSpecJson | null;
  specError: string | null;
  choices: TaskChoice[];
  taskRuns: readonly TaskRun[];
  index: TaskRunIndex;
  selectedTaskId: string | null;
  onSelectTask: (taskId: string) => void;
}) {
  const taskStates = useMemo(() => summarizeTaskRuns(taskRuns), [taskRuns]);
  return (
    <section aria-labelledby="tasks-heading" className="rounded border border-slate-200 bg-white p-4">
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <h3 id="tasks-heading" className="font-semibold">Tasks</h3>
        {spec && (
          <div className="ml-auto">
            <TaskPicker choices={choices} index={index} selectedTaskId={selectedTaskId} onSelectTask={onSelectTask} />
          </div>
        )}
      </div>
      {specError && <ErrorNote message={`The flow's graph cannot be shown: ${specError}`} />}
      {spec ? (
        <DagGraph spec={spec} taskStates={taskStates} selectedTaskId={selectedTaskId} onSelectTask={onSelectTask} height={420} />
      ) : (
        <RunTaskList choices={choices} index={index} selectedTaskId={selectedTaskId} onSelectTask={onSelectTask} />
      )}
    </section>
  );
});
