"use client";

import { EnvironmentsView } from "@/components/settings/EnvironmentsView";
import { SettingsShell } from "@/components/settings/SettingsShell";

export default function EnvironmentsPage() {
  return (
    <SettingsShell title="Environments" permission="environments:read">
      {(me) => <EnvironmentsView me={me} />}
    </SettingsShell>
  );
}
