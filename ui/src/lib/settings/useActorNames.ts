"use client";

/** Emails of the org's members and names of its API keys by id, so "user:<id>" and
 * "key:<id>" (audit actors, who invited) read as people and keys. Each list is asked
 * only when the role may read it; unknown ids stay as the API wrote them. */

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";

import { api, type MeView } from "@/api/client";
import { unwrap } from "@/lib/apiCall";
import { can } from "@/lib/useMe";

export function useActorNames(me: MeView) {
  const members = useQuery({
    queryKey: ["settings", "members", me.org_id, "all"],
    queryFn: () => unwrap(api.GET("/orgs/{org_id}/members", { params: { path: { org_id: me.org_id }, query: { limit: 1000 } } })),
    enabled: can(me, "members:read"),
    staleTime: 60_000,
  });
  const keys = useQuery({
    queryKey: ["settings", "api-keys", me.org_id, "all"],
    queryFn: () => unwrap(api.GET("/api-keys", { params: { query: { limit: 1000 } } })),
    enabled: can(me, "api_keys:read"),
    staleTime: 60_000,
  });
  return useMemo(
    () => ({
      people: new Map((members.data?.items ?? []).map((member) => [member.user_id, member.email ?? member.user_id])),
      keys: new Map((keys.data?.items ?? []).map((key) => [key.key_id, key.name])),
    }),
    [members.data, keys.data],
  );
}
