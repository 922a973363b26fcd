"use client";

import { ApiKeysView } from "@/components/settings/ApiKeysView";
import { SettingsShell } from "@/components/settings/SettingsShell";

export default function ApiKeysPage() {
  return (
    <SettingsShell title="API keys" permission="api_keys:read">
      {(me) => <ApiKeysView me={me} />}
    </SettingsShell>
  );
}
