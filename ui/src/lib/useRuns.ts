"use client";

/** One page of GET /runs, polled every 2 s so status changes show up live. */

import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api, errorMessage } from "@/api/client";

export const RUNS_POLL_MS = 2000;
export const RUNS_PAGE_SIZE = 50;

export function useRuns(cursor: string | null) {
  return useQuery({
    queryKey: ["runs", cursor],
    queryFn: async () => {
      const { data, error, response } = await api.GET("/runs", {
        params: { query: { limit: RUNS_PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
      });
      if (!data) throw Object.assign(new Error(errorMessage(error)), { status: response.status });
      return data;
    },
    refetchInterval: RUNS_POLL_MS,
    placeholderData: keepPreviousData,
  });
}
