"use client";

import { AppHeader } from "@/components/AppHeader";
import { RequireSignIn } from "@/components/RequireSignIn";
import { RunsView } from "@/components/RunsView";

export default function RunsPage() {
  return (
    <RequireSignIn>
      <AppHeader />
      <main className="mx-auto max-w-6xl p-6">
        <h1 className="mb-4 text-xl font-semibold">Runs</h1>
        <RunsView />
      </main>
    </RequireSignIn>
  );
}
