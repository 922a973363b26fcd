"use client";

import { PasswordForm } from "@/components/settings/PasswordForm";
import { SettingsShell } from "@/components/settings/SettingsShell";

export default function AccountPage() {
  return (
    <SettingsShell title="Account" permission={null}>
      {(me) => <PasswordForm me={me} />}
    </SettingsShell>
  );
}
