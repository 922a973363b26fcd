"use client";

/** One page of GET /runs for the page's filters, polled every 2 s so status changes
 * show up live. The query key holds the filters as written in the URL (a preset like
 * "1h", not its resolved time), so a poll refreshes the same entry instead of starting a
 * new one, and the previous page stays on screen while the next one loads: no flicker. */

import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api } from "@/api/client";
import { unwrap } from "@/lib/apiCall";
import { runsApiQuery, runsFiltersQuery, type RunsFilters } from "@/lib/runs/filters";

export const RUNS_POLL_MS = 2000;
export const RUNS_PAGE_SIZE = 50;

export function useRuns(filters: RunsFilters, cursor: string | null) {
  return useQuery({
    queryKey: ["runs", runsFiltersQuery(filters), cursor],
    queryFn: () =>
      unwrap(
        api.GET("/runs", {
          params: {
            query: {
              limit: RUNS_PAGE_SIZE,
              ...runsApiQuery(filters, Date.now()),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    refetchInterval: RUNS_POLL_MS,
    placeholderData: keepPreviousData,
  });
}
