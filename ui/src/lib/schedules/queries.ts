"use client";

/** The schedule reads the pages share (list, one schedule, its preview and recorded
 * slots, the deployments to pick from) and the key prefix a change invalidates. Lists
 * and the detail are polled every 2 s: a tick advances next run and adds slots. */

import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api } from "@/api/client";
import { unwrap } from "@/lib/apiCall";

export const SCHEDULES_POLL_MS = 2000;
export const SCHEDULES_PAGE_SIZE = 50;
export const SCHEDULES_KEY = ["schedules"] as const;

export function useSchedules(cursor: string | null) {
  return useQuery({
    queryKey: [...SCHEDULES_KEY, "list", cursor],
    queryFn: () =>
      unwrap(api.GET("/schedules", { params: { query: { limit: SCHEDULES_PAGE_SIZE, ...(cursor ? { cursor } : {}) } } })),
    refetchInterval: SCHEDULES_POLL_MS,
    placeholderData: keepPreviousData,
  });
}

export function useSchedule(id: string) {
  return useQuery({
    queryKey: [...SCHEDULES_KEY, "one", id],
    queryFn: () => unwrap(api.GET("/schedules/{schedule_id}", { params: { path: { schedule_id: id } } })),
    refetchInterval: SCHEDULES_POLL_MS,
    enabled: Boolean(id),
  });
}

export function usePreview(id: string, count = 10) {
  return useQuery({
    queryKey: [...SCHEDULES_KEY, "preview", id, count],
    queryFn: () =>
      unwrap(api.GET("/schedules/{schedule_id}/preview", { params: { path: { schedule_id: id }, query: { count } } })),
    refetchInterval: SCHEDULES_POLL_MS,
    enabled: Boolean(id),
  });
}

export function useSlots(id: string, cursor: string | null) {
  return useQuery({
    queryKey: [...SCHEDULES_KEY, "slots", id, cursor],
    queryFn: () =>
      unwrap(
        api.GET("/schedules/{schedule_id}/slots", {
          params: { path: { schedule_id: id }, query: { limit: 20, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    refetchInterval: SCHEDULES_POLL_MS,
    placeholderData: keepPreviousData,
    enabled: Boolean(id),
  });
}

/** Every deployment's name, for the schedule and sensor forms (pages of 1000). */
export function useDeploymentChoices() {
  return useQuery({
    queryKey: ["deployments", "names"],
    queryFn: async () => {
      const names: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 20; page += 1) {
        const query: { limit: number; cursor?: string } = cursor ? { limit: 1000, cursor } : { limit: 1000 };
        const result: { items: { deployment_name: string }[]; next_cursor: string | null } = await unwrap(
          api.GET("/deployments", { params: { query } }),
        );
        names.push(...result.items.map((item) => item.deployment_name));
        cursor = result.next_cursor;
        if (!cursor) break;
      }
      return names.sort((a, b) => a.localeCompare(b));
    },
    staleTime: 30_000,
  });
}
