/** Choosing a task without the graph (keyboard and screen-reader users, or a flow
 * whose spec could not be read): a labelled select of the run's tasks with their state. */

import { statusCountsText, taskRunsOf, type TaskChoice, type TaskRun } from "@/lib/run/taskRuns";

export function TaskPicker({
  choices,
  taskRuns,
  selectedTaskId,
  onSelectTask,
}: {
  choices: TaskChoice[];
  taskRuns: readonly TaskRun[];
  selectedTaskId: string | null;
  onSelectTask: (taskId: string) => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <label htmlFor="run-task-picker" className="text-sm font-medium text-slate-700">
        Task
      </label>
      <select
        id="run-task-picker"
        className="rounded border border-slate-300 bg-white px-2 py-1 text-sm focus:outline-none focus:ring-2 focus:ring-blue-500"
        value={selectedTaskId ?? ""}
        onChange={(event) => event.target.value && onSelectTask(event.target.value)}
      >
        <option value="">Pick a task…</option>
        {choices.map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choice.name}
            {choice.mapped ? " (mapped)" : ""} — {statusCountsText(taskRunsOf(taskRuns, choice.id))}
          </option>
        ))}
      </select>
    </div>
  );
}
