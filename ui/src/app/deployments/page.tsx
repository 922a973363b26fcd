"use client";

/** /deployments/: every deployment of the org, a page at a time. */

import { DeploymentsView } from "@/components/deployments/DeploymentsView";
import { PageShell } from "@/components/PageShell";

export default function DeploymentsPage() {
  return (
    <PageShell title="Deployments">
      <DeploymentsView />
    </PageShell>
  );
}
