/** A task run's status as a badge: the status's name on a tinted background. */

import { taskStatusLook } from "@/lib/run/status";

export function TaskStatusBadge({ status }: { status: string }) {
  const look = taskStatusLook(status);
  return <span className={`rounded px-2 py-0.5 text-xs font-semibold ${look.badge}`}>{look.text}</span>;
}
