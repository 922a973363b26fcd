"use client";

/** The top bar: a skip link, the main navigation (the current section marked for
 * screen readers), the org switcher and sign-out. */

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";

import { publicApi } from "@/api/client";
import { clearCredentials, loadCredentials } from "@/auth/credentials";
import { isCurrentSection, NAV_ITEMS } from "@/lib/nav";

import { OrgSwitcher } from "./OrgSwitcher";

export function AppHeader() {
  const router = useRouter();
  const pathname = usePathname() ?? "/";

  async function signOut() {
    const credentials = loadCredentials();
    if (credentials?.kind === "session") {
      // best effort: the tokens are dropped here whatever the answer
      await publicApi.POST("/auth/logout", {
        headers: { Authorization: `Bearer ${credentials.accessToken}` },
      }).catch(() => undefined);
    }
    clearCredentials();
    router.replace("/login/");
  }

  return (
    <header className="border-b border-slate-200 bg-white">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
        Skip to content
      </a>
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-6 px-6 py-3">
        <span className="font-semibold">Dagy</span>
        <nav aria-label="Main" className="flex flex-wrap gap-4 text-sm">
          {NAV_ITEMS.map((item) =>
            item.planned ? (
              <span key={item.href} className="text-slate-500" title="Comes with the node framework">
                {item.label} <span className="text-xs">(soon)</span>
              </span>
            ) : (
              <Link
                key={item.href}
                href={item.href}
                aria-current={isCurrentSection(pathname, item.href) ? "page" : undefined}
                className="text-blue-700 hover:underline aria-[current=page]:font-semibold aria-[current=page]:text-slate-900"
              >
                {item.label}
              </Link>
            ),
          )}
        </nav>
        <div className="ml-auto"><OrgSwitcher /></div>
        <button type="button" onClick={signOut} className="text-sm text-slate-600 hover:underline">
          Sign out
        </button>
      </div>
    </header>
  );
}
