"use client";

import { PageShell } from "@/components/PageShell";
import { RunsView } from "@/components/RunsView";

export default function RunsPage() {
  return (
    <PageShell title="Runs">
      <RunsView />
    </PageShell>
  );
}
