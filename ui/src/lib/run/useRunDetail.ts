"use client";

/** The run detail page's data, polled every 2 s while the run is not finished and then
 * left alone: the run (GET /runs/{id}), all its task runs (every page of
 * /runs/{id}/task-runs), its log lines (following /runs/{id}/logs' tail cursor) and
 * its flow version's FlowSpec (which never changes, so fetched once). */

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef } from "react";

import { api } from "@/api/client";
import { ApiError, unwrap } from "@/lib/apiCall";
import { flowSpecOf, useFlowVersion } from "@/lib/useFlows";

import { appendLogPage, EMPTY_LOGS, type LogState } from "./logs";
import { collectPages } from "./pages";
import { isRunFinished, RUN_POLL_MS } from "./status";

export const runKey = (runId: string) => ["run", runId] as const;

/** A 404 is an answer (no such run), not a hiccup worth retrying. */
function retryUnlessMissing(failures: number, error: unknown): boolean {
  return !(error instanceof ApiError && (error.status === 404 || error.status === 403)) && failures < 1;
}

export function useRun(runId: string) {
  return useQuery({
    queryKey: runKey(runId),
    queryFn: () => unwrap(api.GET("/runs/{run_id}", { params: { path: { run_id: runId } } })),
    enabled: runId !== "",
    retry: retryUnlessMissing,
    refetchInterval: (query) => (isRunFinished(query.state.data?.status) ? false : RUN_POLL_MS),
  });
}

/** One more fetch when a live run finishes: the task runs and logs written last. */
function useFinalFetch(live: boolean, refetch: () => unknown) {
  const wasLive = useRef(live);
  useEffect(() => {
    if (wasLive.current && !live) void refetch();
    wasLive.current = live;
  }, [live, refetch]);
}

export function useTaskRuns(runId: string, live: boolean, enabled: boolean) {
  const query = useQuery({
    queryKey: [...runKey(runId), "task-runs"],
    queryFn: () =>
      collectPages((cursor) =>
        unwrap(api.GET("/runs/{run_id}/task-runs", {
          params: { path: { run_id: runId }, query: cursor ? { cursor } : {} },
        })),
      ),
    enabled,
    retry: retryUnlessMissing,
    refetchInterval: live ? RUN_POLL_MS : false,
  });
  useFinalFetch(live, query.refetch);
  return query;
}

/** Lines accumulate in the query's data: each fetch asks only for what came after the
 * last cursor (TanStack Query never runs two fetches of one key at once). */
export function useRunLogs(runId: string, live: boolean, enabled: boolean) {
  const client = useQueryClient();
  const key = [...runKey(runId), "logs"];
  const query = useQuery({
    queryKey: key,
    queryFn: async (): Promise<LogState> => {
      let state = client.getQueryData<LogState>(key) ?? EMPTY_LOGS;
      for (let page = 0; page < 20; page += 1) {
        const answer = await unwrap(api.GET("/runs/{run_id}/logs", {
          params: { path: { run_id: runId }, query: state.cursor ? { cursor: state.cursor } : {} },
        }));
        state = appendLogPage(state, answer);
        if (answer.items.length < 1000) break; // the API's default page is 1,000 lines
      }
      return state;
    },
    enabled,
    retry: retryUnlessMissing,
    refetchInterval: live ? RUN_POLL_MS : false,
  });
  useFinalFetch(live, query.refetch);
  return query;
}

/** The run's FlowSpec, from the shared flow-version query (lib/useFlows.ts). */
export function useFlowSpec(flowName: string | undefined, flowVersion: string | undefined) {
  const query = useFlowVersion(flowName, flowVersion);
  const spec = useMemo(() => (query.data ? flowSpecOf(query.data) : undefined), [query.data]);
  return { ...query, data: spec };
}

export async function cancelRun(runId: string) {
  return unwrap(api.POST("/runs/{run_id}/cancel", { params: { path: { run_id: runId } } }));
}

/** Retry the failed tasks, or with fromTasks those tasks and everything downstream. */
export async function retryRun(runId: string, fromTasks?: string[]) {
  return unwrap(api.POST("/runs/{run_id}/retry", {
    params: { path: { run_id: runId } },
    ...(fromTasks?.length ? { body: { from_tasks: fromTasks } } : {}),
  }));
}
