"use client";

/** The top bar: navigation and sign-out. Room for Deployments, Flows, Designer… */

import Link from "next/link";
import { useRouter } from "next/navigation";

import { publicApi } from "@/api/client";
import { clearCredentials, loadCredentials } from "@/auth/credentials";

import { OrgSwitcher } from "./OrgSwitcher";

export function AppHeader() {
  const router = useRouter();

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
      <div className="mx-auto flex max-w-6xl items-center gap-6 px-6 py-3">
        <span className="font-semibold">Dagy</span>
        <nav aria-label="Main" className="flex gap-4 text-sm">
          <Link href="/runs/" className="text-blue-700 hover:underline">Runs</Link>
        </nav>
        <div className="ml-auto"><OrgSwitcher /></div>
        <button type="button" onClick={signOut} className="text-sm text-slate-600 hover:underline">
          Sign out
        </button>
      </div>
    </header>
  );
}
