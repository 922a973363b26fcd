/** Choosing a task without the graph (keyboard and screen-reader users, or a flow
 * whose spec could not be read): a labelled select of the run's tasks with their state. */

import { memo, useMemo } from "react";

import { taskStatusText, type TaskChoice, type TaskRunIndex } from "@/lib/run/taskRuns";

/** Memoised, its options built once per fetch: each option's state is looked up in the
 * index (one Map per fetch), not by scanning every task run per option. */
export const TaskPicker = memo(function TaskPicker({
  choices,
  index,
  selectedTaskId,
  onSelectTask,
}: {
  choices: TaskChoice[];
  index: TaskRunIndex;
  selectedTaskId: string | null;
  onSelectTask: (taskId: string) => void;
}) {
  const options = useMemo(
    () =>
      choices.map((choice) => (
        <option key={choice.id} value={choice.id}>
          {`${choice.name}${choice.mapped ? " (mapped)" : ""} — ${taskStatusText(index, choice.id)}`}
        </option>
      )),
    [choices, index],
  );
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
        {options}
      </select>
    </div>
  );
});
