/** What the colours of a run's task nodes mean; each node also says its state in words. */

import { STATUS_LOOKS } from "@/lib/dag/graph";

const ORDER = ["NOT_STARTED", "PENDING", "RUNNING", "SUCCEEDED", "FAILED", "SKIPPED"];

export function DagLegend() {
  return (
    <ul aria-label="Task states" className="flex flex-wrap gap-2 text-xs">
      {ORDER.map((status) => {
        const look = STATUS_LOOKS[status]!;
        return (
          <li key={status} className={`rounded border-2 px-2 py-0.5 ${look.box}`}>
            {look.text}
          </li>
        );
      })}
      <li className="rounded border-2 border-slate-400 bg-white px-2 py-0.5 text-slate-900 shadow-[3px_3px_0_0_#64748b]">
        mapped task: name ×items, counts per state
      </li>
    </ul>
  );
}
