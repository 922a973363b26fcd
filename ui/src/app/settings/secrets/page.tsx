"use client";

import { SecretsView } from "@/components/settings/SecretsView";
import { SettingsShell } from "@/components/settings/SettingsShell";

export default function SecretsPage() {
  return (
    <SettingsShell title="Secrets" permission="secrets:read">
      {(me) => <SecretsView me={me} />}
    </SettingsShell>
  );
}
