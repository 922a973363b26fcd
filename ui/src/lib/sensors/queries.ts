"use client";

/** The sensor reads the pages share (cursor pages of GET /sensors, one sensor), polled
 * every 2 s (a poll moves the cursor, a delivery sets last triggered), and the key prefix
 * a change invalidates. Nothing here ever holds a webhook token: GET never answers one. */

import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api } from "@/api/client";
import { unwrap } from "@/lib/apiCall";

export const SENSORS_POLL_MS = 2000;
export const SENSORS_KEY = ["sensors"] as const;

export function useSensors(cursor: string | null) {
  return useQuery({
    queryKey: [...SENSORS_KEY, "list", cursor],
    queryFn: () => unwrap(api.GET("/sensors", { params: { query: { limit: 50, ...(cursor ? { cursor } : {}) } } })),
    refetchInterval: SENSORS_POLL_MS,
    placeholderData: keepPreviousData,
  });
}

export function useSensor(id: string) {
  return useQuery({
    queryKey: [...SENSORS_KEY, "one", id],
    queryFn: () => unwrap(api.GET("/sensors/{sensor_id}", { params: { path: { sensor_id: id } } })),
    refetchInterval: SENSORS_POLL_MS,
    enabled: Boolean(id),
  });
}
