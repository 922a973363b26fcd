"use client";

/** Every Settings page: the page shell, the settings sub-navigation beside the
 * content, and the section's permission checked before the content renders (a role
 * without it reads which role it needs instead of the API's 403). */

import type { ReactNode } from "react";

import type { MeView } from "@/api/client";
import { ErrorNote } from "@/components/ErrorNote";
import { PageShell } from "@/components/PageShell";
import { messageOf } from "@/lib/apiCall";
import { roleNeededFor } from "@/lib/settings/sections";
import { can, useMe } from "@/lib/useMe";

import { SettingsNav } from "./SettingsNav";

export function SettingsShell({
  title,
  permission,
  children,
}: {
  title: string;
  /** what the section needs to be read; null: anyone signed in */
  permission: string | null;
  children: (me: MeView) => ReactNode;
}) {
  const me = useMe();
  let body: ReactNode;
  if (me.isPending) body = <p className="text-slate-600">Loading…</p>;
  else if (me.isError) body = <ErrorNote message={messageOf(me.error)} />;
  else if (permission && !can(me.data, permission)) {
    body = (
      <p className="rounded border border-slate-300 bg-white p-4 text-slate-700">
        Your role here is <strong>{me.data.role}</strong>; this section needs{" "}
        <strong>{roleNeededFor(permission)}</strong> or above (<code>{permission}</code>). Ask an admin of{" "}
        {me.data.org_name}.
      </p>
    );
  } else body = children(me.data);

  return (
    <PageShell title={title}>
      <div className="flex flex-col gap-6 md:flex-row">
        <SettingsNav me={me.data} />
        <div className="min-w-0 flex-1">{body}</div>
      </div>
    </PageShell>
  );
}
