"use client";

/** Members of the caller's org (GET /orgs/{org_id}/members, cursor pages): email,
 * role, joined. Admins change a role in place (PATCH) and remove a member after
 * confirming (DELETE); never someone above their own role, and not themselves here. */

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, type MeView } from "@/api/client";
import type { components } from "@/api/schema";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Command, EmptyState } from "@/components/EmptyState";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf, unwrap } from "@/lib/apiCall";
import { formatTime } from "@/lib/format";
import { assignableRoles, mayManage, type Role } from "@/lib/settings/roles";
import { useCursors } from "@/lib/useCursors";
import { can } from "@/lib/useMe";

import { Pager } from "./Pager";
import { ACTIONS, CELL, ROW, SettingsTable } from "./Table";

type Member = components["schemas"]["MemberView"];

export function MembersView({ me }: { me: MeView }) {
  const orgId = me.org_id;
  const pages = useCursors();
  const client = useQueryClient();
  const manage = can(me, "members:manage");
  const members = useQuery({
    queryKey: ["settings", "members", orgId, pages.cursor],
    queryFn: () =>
      unwrap(api.GET("/orgs/{org_id}/members", {
        params: { path: { org_id: orgId }, query: { limit: 50, ...(pages.cursor ? { cursor: pages.cursor } : {}) } },
      })),
    placeholderData: keepPreviousData,
  });
  const [error, setError] = useState<string | null>(null);
  const changeRole = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) =>
      unwrap(api.PATCH("/orgs/{org_id}/members/{user_id}", {
        params: { path: { org_id: orgId, user_id: userId } },
        body: { role },
      })),
    onMutate: () => setError(null),
    onError: (caught) => setError(messageOf(caught)),
    onSettled: () => client.invalidateQueries({ queryKey: ["settings", "members"] }),
  });

  async function remove(member: Member) {
    await unwrap(api.DELETE("/orgs/{org_id}/members/{user_id}", {
      params: { path: { org_id: orgId, user_id: member.user_id } },
    }));
    await client.invalidateQueries({ queryKey: ["settings", "members"] });
  }

  if (members.isPending) return <p className="text-slate-600">Loading members…</p>;
  if (members.isError && !members.data) return <ErrorNote message={messageOf(members.error)} />;
  const { items, next_cursor } = members.data;

  return (
    <section aria-label="Members" className="flex flex-col gap-3">
      <ErrorNote message={members.isError ? messageOf(members.error) : error} />
      {items.length === 0 && pages.page === 0 ? (
        <EmptyState>
          No members to show. Invite someone from <strong>Invitations</strong>, or with{" "}
          <Command>dagy members invite ann@example.com --role developer</Command>.
        </EmptyState>
      ) : (
        <SettingsTable caption="Members of the org" columns={["Email", "Role", "Joined", "Actions"]}>
          {items.map((member) => {
            const self = member.user_id === me.user_id;
            const editable = manage && !self && mayManage(me.role, member.role);
            const selectId = `role-${member.user_id}`;
            return (
              <tr key={member.user_id} className={ROW} data-user-id={member.user_id}>
                <td className={CELL}>
                  {member.email ?? <span className="font-mono text-xs">{member.user_id}</span>}
                  {self && <span className="ml-2 text-xs text-slate-600">(you)</span>}
                </td>
                <td className={CELL}>
                  {editable ? (
                    <>
                      <label htmlFor={selectId} className="sr-only">
                        Role of {member.email ?? member.user_id}
                      </label>
                      <select
                        id={selectId}
                        value={member.role}
                        disabled={changeRole.isPending}
                        onChange={(event) => changeRole.mutate({ userId: member.user_id, role: event.target.value as Role })}
                        className="rounded border border-slate-300 bg-white px-2 py-1"
                      >
                        {assignableRoles(me.role).map((role) => (
                          <option key={role} value={role}>{role}</option>
                        ))}
                      </select>
                    </>
                  ) : (
                    member.role
                  )}
                </td>
                <td className={CELL}>{formatTime(member.joined_at)}</td>
                <td className={ACTIONS}>
                  {editable ? (
                    <ConfirmButton
                      label={`Remove ${member.email ?? member.user_id}`}
                      title={`Remove ${member.email ?? member.user_id} from ${me.org_name}?`}
                      confirmLabel="Remove"
                      tone="danger"
                      onConfirm={() => remove(member)}
                    >
                      Their next request is refused, and the API keys they made in this org are revoked.
                    </ConfirmButton>
                  ) : (
                    <span className="text-slate-600">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </SettingsTable>
      )}
      <Pager label="members" pages={pages} nextCursor={next_cursor} />
    </section>
  );
}
