"use client";

/** The org's deployment names for the runs page's deployment filter (GET /deployments,
 * every page). Names change rarely, so this is not polled. */

import { useQuery } from "@tanstack/react-query";

import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { unwrap } from "@/lib/apiCall";

type DeploymentPage = components["schemas"]["DeploymentPage"];

const PAGE = 1000; // the API's largest page
const MAX_PAGES = 20; // a bound: a picker of more than 20,000 names is no use anyway

export function useDeploymentNames() {
  return useQuery({
    queryKey: ["deployments", "names"],
    queryFn: async () => {
      const names = new Set<string>();
      let cursor: string | null = null;
      for (let page = 0; page < MAX_PAGES; page++) {
        const answer: DeploymentPage = await unwrap(
          api.GET("/deployments", { params: { query: { limit: PAGE, ...(cursor ? { cursor } : {}) } } }),
        );
        for (const deployment of answer.items) names.add(deployment.deployment_name);
        cursor = answer.next_cursor;
        if (!cursor) break;
      }
      return [...names].sort((a, b) => a.localeCompare(b));
    },
    staleTime: 60_000,
  });
}
