"use client";

/** The Flows pages' reads: one page of GET /flows, one flow with its versions
 * (GET /flows/{name}) and one version with its FlowSpec (GET /flows/{name}/versions/{v}).
 * Registered versions do not change, so these are not polled. */

import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { api } from "@/api/client";
import type { components } from "@/api/schema";

import { unwrap } from "./apiCall";
import type { FlowSpecJson } from "./dag/types";

export type FlowView = components["schemas"]["FlowView"];
export type FlowDetail = components["schemas"]["FlowDetail"];
export type FlowVersionView = components["schemas"]["FlowVersionView"];

export const FLOWS_PAGE_SIZE = 50;

export function useFlows(cursor: string | null) {
  return useQuery({
    queryKey: ["flows", cursor],
    queryFn: () =>
      unwrap(api.GET("/flows", { params: { query: { limit: FLOWS_PAGE_SIZE, ...(cursor ? { cursor } : {}) } } })),
    placeholderData: keepPreviousData,
  });
}

export function useFlow(name: string) {
  return useQuery({
    queryKey: ["flow", name],
    queryFn: () => unwrap(api.GET("/flows/{flow_name}", { params: { path: { flow_name: name } } })),
    enabled: name !== "",
  });
}

/** The one query of a registered flow version (GET /flows/{name}/versions/{version}):
 * every page that needs a version (Flows, a deployment, a run's graph) shares its cache
 * entry, so each page picks what it needs with `select`, never another queryFn. */
export function useFlowVersion(name: string | undefined, version: string | undefined) {
  return useQuery({
    queryKey: ["flow-version", name, version],
    queryFn: () =>
      unwrap(
        api.GET("/flows/{flow_name}/versions/{flow_version}", {
          params: { path: { flow_name: name!, flow_version: version! } },
        }),
      ),
    enabled: Boolean(name && version),
    staleTime: Infinity, // a registered version's spec never changes
  });
}

/** The FlowSpec of a version as the DAG views read it (the API types it as an object). */
export function flowSpecOf(view: Pick<FlowVersionView, "flow_spec">): FlowSpecJson {
  const spec = view.flow_spec as Partial<FlowSpecJson>;
  return {
    ...spec,
    name: spec.name ?? "",
    parameters: spec.parameters ?? [],
    tasks: spec.tasks ?? [],
    edges: spec.edges ?? [],
  } as FlowSpecJson;
}

export { flowHref } from "@/lib/links";
