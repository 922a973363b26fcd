"use client";

import { InvitationsView } from "@/components/settings/InvitationsView";
import { SettingsShell } from "@/components/settings/SettingsShell";

export default function InvitationsPage() {
  return (
    <SettingsShell title="Invitations" permission="members:manage">
      {(me) => <InvitationsView me={me} />}
    </SettingsShell>
  );
}
