"use client";

/** The caller's org and role; a picker when the person belongs to several orgs.
 * Switching sends X-Dagy-Org from then on and reloads every query. */

import { useQueryClient } from "@tanstack/react-query";

import { saveOrg } from "@/auth/credentials";
import { useMe } from "@/lib/useMe";

export function OrgSwitcher() {
  const me = useMe();
  const queries = useQueryClient();
  if (!me.data) return null;
  const { org_id, org_name, role, orgs, credential } = me.data;

  if (credential !== "access_token" || orgs.length < 2) {
    return <span className="text-sm text-slate-600">{org_name} · {role}</span>;
  }
  return (
    <label className="flex items-center gap-2 text-sm text-slate-600">
      Organization
      <select
        className="rounded border border-slate-300 px-2 py-1"
        value={org_id}
        onChange={(event) => {
          saveOrg(event.target.value);
          void queries.resetQueries();
        }}
      >
        {orgs.map((org) => (
          <option key={org.org_id} value={org.org_id}>
            {org.org_name} ({org.role})
          </option>
        ))}
      </select>
    </label>
  );
}
