"use client";

/** Pending invitations of the org (GET /orgs/{org_id}/invitations): invite an email
 * with a role (the token comes back once and is shown once, with the command that
 * accepts it), revoke one after confirming. Needs members:manage. */

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { api, type MeView } from "@/api/client";
import type { components } from "@/api/schema";
import { Button } from "@/components/Button";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Command, EmptyState } from "@/components/EmptyState";
import { ErrorNote } from "@/components/ErrorNote";
import { Field } from "@/components/Field";
import { ShowOnce } from "@/components/ShowOnce";
import { messageOf, unwrap } from "@/lib/apiCall";
import { formatTime } from "@/lib/format";
import { actorLabel } from "@/lib/settings/audit";
import { assignableRoles, type Role } from "@/lib/settings/roles";
import { useActorNames } from "@/lib/settings/useActorNames";
import { useCursors } from "@/lib/useCursors";

import { Pager } from "./Pager";
import { SelectRow } from "@/components/forms/FormControls";
import { ACTIONS, CELL, ROW, SettingsTable } from "./Table";

type Created = components["schemas"]["InvitationCreated"];

export function InvitationsView({ me }: { me: MeView }) {
  const orgId = me.org_id;
  const pages = useCursors();
  const client = useQueryClient();
  const invitations = useQuery({
    queryKey: ["settings", "invitations", orgId, pages.cursor],
    queryFn: () =>
      unwrap(api.GET("/orgs/{org_id}/invitations", {
        params: { path: { org_id: orgId }, query: { limit: 50, ...(pages.cursor ? { cursor: pages.cursor } : {}) } },
      })),
    placeholderData: keepPreviousData,
  });
  const [created, setCreated] = useState<Created | null>(null);
  const names = useActorNames(me);

  async function revoke(invitationId: string) {
    await unwrap(api.DELETE("/orgs/{org_id}/invitations/{invitation_id}", {
      params: { path: { org_id: orgId, invitation_id: invitationId } },
    }));
    await client.invalidateQueries({ queryKey: ["settings", "invitations"] });
  }

  return (
    <div className="flex flex-col gap-6">
      <InviteForm
        me={me}
        onInvited={(invitation) => {
          setCreated(invitation);
          void client.invalidateQueries({ queryKey: ["settings", "invitations"] });
        }}
      />
      {created && (
        <div className="flex flex-col gap-2">
          <ShowOnce label={`Invitation token for ${created.email}`} value={created.token} />
          <p className="text-sm text-slate-700">
            Send it to them; they join with <Command>dagy invitations accept {"<token>"}</Command> (it works once and
            expires {formatTime(created.expires_at)}), then sign in with their email.
          </p>
        </div>
      )}
      <section aria-labelledby="pending-heading" className="flex flex-col gap-3">
        <h2 id="pending-heading" className="text-lg font-semibold">Pending invitations</h2>
        {invitations.isPending ? (
          <p className="text-slate-600">Loading invitations…</p>
        ) : invitations.isError && !invitations.data ? (
          <ErrorNote message={messageOf(invitations.error)} />
        ) : invitations.data.items.length === 0 && pages.page === 0 ? (
          <EmptyState>
            No pending invitations. Invite someone with the form above, or with{" "}
            <Command>dagy members invite ann@example.com --role developer</Command>.
          </EmptyState>
        ) : (
          <>
            <SettingsTable caption="Pending invitations" columns={["Email", "Role", "Invited by", "Sent", "Expires", "Actions"]}>
              {invitations.data.items.map((invitation) => (
                <tr key={invitation.invitation_id} className={ROW}>
                  <td className={CELL}>{invitation.email}</td>
                  <td className={CELL}>{invitation.role}</td>
                  <td className={CELL} title={invitation.invited_by}>{actorLabel(invitation.invited_by, names.people, names.keys)}</td>
                  <td className={CELL}>{formatTime(invitation.created_at)}</td>
                  <td className={CELL}>{formatTime(invitation.expires_at)}</td>
                  <td className={ACTIONS}>
                    <ConfirmButton
                      label={`Revoke ${invitation.email}`}
                      title={`Revoke the invitation of ${invitation.email}?`}
                      confirmLabel="Revoke"
                      tone="danger"
                      onConfirm={() => revoke(invitation.invitation_id)}
                    >
                      Its token stops working at once. You can invite them again later.
                    </ConfirmButton>
                  </td>
                </tr>
              ))}
            </SettingsTable>
            <Pager label="invitations" pages={pages} nextCursor={invitations.data.next_cursor} />
          </>
        )}
      </section>
    </div>
  );
}

function InviteForm({ me, onInvited }: { me: MeView; onInvited: (invitation: Created) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("developer");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const roles = assignableRoles(me.role);
  const chosen = roles.includes(role) ? role : roles[0]!;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const invitation = await unwrap(api.POST("/orgs/{org_id}/invitations", {
        params: { path: { org_id: me.org_id } },
        body: { email: email.trim(), role: chosen },
      }));
      setEmail("");
      onInvited(invitation);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="invite-heading" className="flex flex-col gap-3 rounded border border-slate-200 bg-white p-4">
      <h2 id="invite-heading" className="text-lg font-semibold">Invite someone</h2>
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <Field id="invite-email" label="Email" type="email" required autoComplete="off" value={email} onChange={(event) => setEmail(event.target.value)} />
        </div>
        <SelectRow id="invite-role" label="Role" value={chosen} onChange={(event) => setRole(event.target.value as Role)}>
          {roles.map((option) => (
            <option key={option} value={option}>{option}</option>
          ))}
        </SelectRow>
        <Button type="submit" tone="primary" disabled={busy || !email.trim()}>
          {busy ? "Inviting…" : "Invite"}
        </Button>
      </div>
      <ErrorNote message={error} />
    </form>
  );
}
