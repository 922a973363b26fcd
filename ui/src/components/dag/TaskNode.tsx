"use client";

/** One task of the DAG graph: a real <button> (click, Enter or Space selects it) with
 * the task's name, "×N" for a mapped task, and in a run its state in words beside the
 * colour, plus a mapped task's counts per status. Memoised: a node redraws only when
 * its own data object changes (DagGraph keeps it when the task's state is unchanged). */

import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { memo } from "react";

import { countsText, statusLook } from "@/lib/dag/graph";
import type { TaskNodeState } from "@/lib/dag/types";

export type TaskNodeData = {
  title: string;
  mapped: boolean;
  /** undefined: the static view (no run); null: in a run, no task run yet */
  state: TaskNodeState | null | undefined;
  selected: boolean;
  /** a second line for the static view, e.g. the function */
  hint?: string;
  onSelect: (taskId: string) => void;
  /** focused from the keyboard: DagGraph pans it into view */
  onFocusNode: (taskId: string) => void;
};

export type TaskFlowNode = Node<TaskNodeData, "task">;

/** a mapped task draws as a stack of cards (its items), besides its "×N" */
const STACKED = "shadow-[3px_3px_0_0_#64748b,6px_6px_0_0_#cbd5e1]";
const HANDLE = "!h-1.5 !w-1.5 !min-h-0 !min-w-0 !border-0 !bg-slate-400";

function TaskNodeView({ id, data }: NodeProps<TaskFlowNode>) {
  const inRun = data.state !== undefined;
  const look = statusLook(data.state?.status);
  const box = inRun ? look.box : "border-slate-400 bg-white text-slate-900";
  const ring = data.selected ? "ring-4 ring-blue-700 ring-offset-1" : "";
  const counts = data.mapped && data.state && data.state.total > 0 ? countsText(data.state) : null;
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} className={HANDLE} />
      <button
        type="button"
        data-task-id={id}
        aria-pressed={data.selected}
        title={counts ? `${data.title}: ${counts}` : data.title}
        onClick={() => data.onSelect(id)}
        onFocus={(event) => event.currentTarget.matches(":focus-visible") && data.onFocusNode(id)}
        className={`flex h-full w-full flex-col justify-center rounded-md border-2 px-2 text-left text-xs focus:outline-none focus-visible:ring-4 focus-visible:ring-blue-500 ${box} ${ring} ${data.mapped ? STACKED : "shadow-sm"}`}
      >
        <span className="block truncate text-sm font-semibold">{data.title}</span>
        {inRun ? (
          <span className="flex min-w-0 items-center gap-1">
            <span className={`shrink-0 rounded px-1 font-semibold ${look.badge}`}>{look.text}</span>
            {counts && <span className="truncate text-slate-700">{counts}</span>}
          </span>
        ) : (
          data.hint && <span className="block truncate font-mono text-slate-700">{data.hint}</span>
        )}
      </button>
      <Handle type="source" position={Position.Right} isConnectable={false} className={HANDLE} />
    </>
  );
}

export const TaskNode = memo(TaskNodeView);
