"use client";

import { FlowsView } from "@/components/flows/FlowsView";
import { PageShell } from "@/components/PageShell";

export default function FlowsPage() {
  return (
    <PageShell title="Flows">
      <FlowsView />
    </PageShell>
  );
}
