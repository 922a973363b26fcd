"use client";

/** /flows/detail/?name=<flow>&version=<version>: a query, not a path segment, because
 * the static export knows no flow names (no version: the latest). */

import { useSearchParams } from "next/navigation";
import { Suspense } from "react";

import { FlowDetailView } from "@/components/flows/FlowDetailView";
import { PageShell } from "@/components/PageShell";

function FlowDetail() {
  const params = useSearchParams();
  const name = params.get("name") ?? "";
  return (
    <PageShell title={name ? `Flow ${name}` : "Flow"}>
      <FlowDetailView name={name} version={params.get("version")} />
    </PageShell>
  );
}

export default function FlowDetailPage() {
  return (
    <Suspense>
      <FlowDetail />
    </Suspense>
  );
}
