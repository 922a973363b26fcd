"use client";

/** The cursors of the pages seen so far, for Previous/Next over the API's keyset pages
 * (the API hands out only the next cursor). Reset when the filters change. Shared by
 * the settings lists and PagedList (schedules, sensors, deployments, flows). */

import { useCallback, useState } from "react";

export function useCursors() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const page = cursors.length - 1;
  return {
    page,
    cursor: cursors[page] ?? null,
    next: useCallback((cursor: string | null) => cursor && setCursors((seen) => [...seen, cursor]), []),
    previous: useCallback(() => setCursors((seen) => (seen.length > 1 ? seen.slice(0, -1) : seen)), []),
    reset: useCallback(() => setCursors([null]), []),
  };
}
