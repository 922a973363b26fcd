"use client";

import { AuditView } from "@/components/settings/AuditView";
import { SettingsShell } from "@/components/settings/SettingsShell";

export default function AuditPage() {
  return (
    <SettingsShell title="Audit log" permission="audit:read">
      {(me) => <AuditView me={me} />}
    </SettingsShell>
  );
}
