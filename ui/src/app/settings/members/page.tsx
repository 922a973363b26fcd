"use client";

import { MembersView } from "@/components/settings/MembersView";
import { SettingsShell } from "@/components/settings/SettingsShell";

export default function MembersPage() {
  return (
    <SettingsShell title="Members" permission="members:read">
      {(me) => <MembersView me={me} />}
    </SettingsShell>
  );
}
