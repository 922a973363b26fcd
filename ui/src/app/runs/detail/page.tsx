"use client";

/** /runs/detail/?id=<run_id>: one run, live (a query parameter, not a path segment:
 * the static export cannot know run ids ahead of time). */

import { useSearchParams } from "next/navigation";
import { Suspense } from "react";

import { PageShell } from "@/components/PageShell";
import { RunDetailView } from "@/components/run/RunDetailView";

function RunDetailFromQuery() {
  const runId = useSearchParams().get("id")?.trim() ?? "";
  return <RunDetailView key={runId} runId={runId} />;
}

export default function RunDetailPage() {
  return (
    <PageShell title="Run">
      <Suspense fallback={<p className="text-slate-700">Loading the run…</p>}>
        <RunDetailFromQuery />
      </Suspense>
    </PageShell>
  );
}
