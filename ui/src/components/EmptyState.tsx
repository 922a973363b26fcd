/** What a page shows when there is nothing yet: what to do next, often a command. */

import type { ReactNode } from "react";

export function EmptyState({ children }: { children: ReactNode }) {
  return <div className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-700">{children}</div>;
}

/** A shell command inline, e.g. `dagy deploy`. */
export function Command({ children }: { children: ReactNode }) {
  return <code className="rounded bg-slate-100 px-1 text-slate-900">{children}</code>;
}
