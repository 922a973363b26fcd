/** ACTIVE or PAUSED as a badge with its word in it (colour is never the only signal). */

const CLASSES: Record<string, string> = {
  ACTIVE: "bg-green-100 text-green-800",
  PAUSED: "bg-amber-100 text-amber-900",
};

export function DeploymentStatusBadge({ status }: { status: string }) {
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-semibold ${CLASSES[status] ?? "bg-slate-100 text-slate-800"}`}>
      {status === "PAUSED" ? "Paused" : status === "ACTIVE" ? "Active" : status}
    </span>
  );
}
