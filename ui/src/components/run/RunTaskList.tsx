/** The run's tasks as a list of buttons with their state in words: what the page shows
 * where the graph cannot be drawn (no FlowSpec), and a keyboard-friendly way to pick
 * a task. */

import { taskStatusText, type TaskChoice, type TaskRunIndex } from "@/lib/run/taskRuns";

export function RunTaskList({
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
  if (choices.length === 0) return <p className="text-sm text-slate-700">No task has run yet.</p>;
  return (
    <ul aria-label="Tasks of this run" className="flex flex-wrap gap-2">
      {choices.map((choice) => {
        const selected = choice.id === selectedTaskId;
        return (
          <li key={choice.id}>
            <button
              type="button"
              aria-pressed={selected}
              data-task-id={choice.id}
              onClick={() => onSelectTask(choice.id)}
              className={`rounded border px-3 py-1.5 text-left text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-blue-500 ${
                selected ? "border-blue-700 bg-blue-50" : "border-slate-300 bg-white hover:bg-slate-50"
              }`}
            >
              <span className="font-medium text-slate-900">{choice.name}</span>
              {choice.mapped && <span className="text-slate-700"> (mapped)</span>}
              <span className="block text-xs text-slate-700">{taskStatusText(index, choice.id)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
