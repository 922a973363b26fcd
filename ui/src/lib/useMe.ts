"use client";

/** GET /me: who the caller is, in which org, with which role and permissions (what
 * pages use to hide actions the role lacks; the API refuses them anyway). */

import { useQuery } from "@tanstack/react-query";

import { api, errorMessage, type MeView } from "@/api/client";

export function useMe() {
  return useQuery({
    queryKey: ["me"],
    queryFn: async () => {
      const { data, error } = await api.GET("/me", {});
      if (!data) throw new Error(errorMessage(error));
      return data;
    },
    staleTime: 60_000,
  });
}

/** Whether the caller's role holds `permission` (e.g. "run.trigger"); false while unknown. */
export function can(me: Pick<MeView, "permissions"> | undefined, permission: string): boolean {
  return me?.permissions.includes(permission) ?? false;
}
