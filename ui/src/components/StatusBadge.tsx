import type { RunStatus } from "@/api/client";
import { STATUS_CLASSES } from "@/lib/format";

export function StatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-semibold ${STATUS_CLASSES[status]}`}>{status}</span>
  );
}
