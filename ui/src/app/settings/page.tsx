"use client";

/** /settings/: the sections, each with what it is for; one the caller's role cannot
 * open says which role it needs. */

import Link from "next/link";

import { SettingsShell } from "@/components/settings/SettingsShell";
import { roleNeededFor, SETTINGS_SECTIONS } from "@/lib/settings/sections";
import { can } from "@/lib/useMe";

export default function SettingsPage() {
  return (
    <SettingsShell title="Settings" permission={null}>
      {(me) => (
        <ul className="grid gap-3 sm:grid-cols-2">
          {SETTINGS_SECTIONS.map((section) => {
            const open = !section.permission || can(me, section.permission);
            return (
              <li key={section.href} className="rounded border border-slate-200 bg-white p-4">
                {open ? (
                  <Link href={section.href} className="font-semibold text-blue-700 hover:underline">
                    {section.label}
                  </Link>
                ) : (
                  <span className="font-semibold text-slate-700">{section.label}</span>
                )}
                <p className="mt-1 text-sm text-slate-700">{section.summary}</p>
                {!open && (
                  <p className="mt-1 text-sm text-slate-600">Needs the {roleNeededFor(section.permission)} role or above.</p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </SettingsShell>
  );
}
