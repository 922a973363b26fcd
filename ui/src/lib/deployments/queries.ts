"use client";

/** The deployments pages' reads and writes over the typed client: one page of
 * deployments, one deployment, its flow version (code hash, FlowSpec parameters), its
 * last 20 runs (polled every 2 s), pause/resume, and POST /runs. Errors are ApiErrors
 * (unwrap), so forms can read a 422's details. */

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/apiCall";
import type { FlowSpecJson } from "@/lib/dag/types";

export type DeploymentView = components["schemas"]["DeploymentView"];
export type FlowVersionView = components["schemas"]["FlowVersionView"];

export const DEPLOYMENTS_PAGE_SIZE = 50;
export const RECENT_RUNS = 20;
export const LIVE_MS = 2000;

export function useDeployments(cursor: string | null) {
  return useQuery({
    queryKey: ["deployments", cursor],
    queryFn: () =>
      unwrap(
        api.GET("/deployments", {
          params: { query: { limit: DEPLOYMENTS_PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useDeployment(name: string) {
  return useQuery({
    queryKey: ["deployment", name],
    queryFn: () => unwrap(api.GET("/deployments/{deployment_name}", { params: { path: { deployment_name: name } } })),
    enabled: name !== "",
  });
}

/** A deployment's flow version: the shared query (lib/useFlows.ts). */
export { useFlowVersion } from "@/lib/useFlows";

export function specOf(version: FlowVersionView | undefined): FlowSpecJson | undefined {
  return version?.flow_spec as FlowSpecJson | undefined;
}

export function useDeploymentRuns(name: string) {
  return useQuery({
    queryKey: ["runs", "deployment", name],
    queryFn: () => unwrap(api.GET("/runs", { params: { query: { deployment_name: name, limit: RECENT_RUNS } } })),
    enabled: name !== "",
    refetchInterval: LIVE_MS,
  });
}

export function usePauseResume(name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: "pause" | "resume") => {
      const path = { params: { path: { deployment_name: name } } };
      return unwrap(
        action === "pause"
          ? api.POST("/deployments/{deployment_name}/pause", path)
          : api.POST("/deployments/{deployment_name}/resume", path),
      );
    },
    onSuccess: (deployment) => {
      client.setQueryData(["deployment", name], deployment);
      void client.invalidateQueries({ queryKey: ["deployments"] });
    },
  });
}

/** The tiers POST /runs takes (TriggerRunBody.runtime_tier). */
export const RUNTIME_TIERS = ["nano", "micro", "small", "medium", "large", "xlarge"] as const;
export type RuntimeTier = (typeof RUNTIME_TIERS)[number];

export function useTriggerRun(name: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ parameters, tier }: { parameters: Record<string, unknown>; tier: RuntimeTier | null }) =>
      unwrap(
        api.POST("/runs", { body: { deployment_name: name, parameters, ...(tier ? { runtime_tier: tier } : {}) } }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: ["runs"] }),
  });
}
