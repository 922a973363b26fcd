"use client";

/** The sub-navigation of Settings: every section the caller's role may see, the
 * current one marked for screen readers. */

import Link from "next/link";
import { usePathname } from "next/navigation";

import type { MeView } from "@/api/client";
import { isCurrentSection } from "@/lib/nav";
import { SETTINGS_SECTIONS } from "@/lib/settings/sections";
import { can } from "@/lib/useMe";

export function SettingsNav({ me }: { me: MeView | undefined }) {
  const pathname = usePathname() ?? "/";
  const sections = SETTINGS_SECTIONS.filter((section) => !section.permission || can(me, section.permission));
  return (
    <nav aria-label="Settings" className="md:w-48 md:shrink-0">
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm md:flex-col">
        <li>
          <Link
            href="/settings/"
            aria-current={pathname.replace(/\/?$/, "/") === "/settings/" ? "page" : undefined}
            className="block rounded px-2 py-1 text-blue-700 hover:underline aria-[current=page]:bg-slate-200 aria-[current=page]:font-semibold aria-[current=page]:text-slate-900"
          >
            Overview
          </Link>
        </li>
        {sections.map((section) => (
          <li key={section.href}>
            <Link
              href={section.href}
              aria-current={isCurrentSection(pathname, section.href) ? "page" : undefined}
              className="block rounded px-2 py-1 text-blue-700 hover:underline aria-[current=page]:bg-slate-200 aria-[current=page]:font-semibold aria-[current=page]:text-slate-900"
            >
              {section.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
