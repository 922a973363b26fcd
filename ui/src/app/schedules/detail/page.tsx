"use client";

/** /schedules/detail/?id=<schedule_id>: a static export has no dynamic segments, so the
 * id comes as a query parameter (read inside Suspense). */

import { useSearchParams } from "next/navigation";
import { Suspense } from "react";

import { PageShell } from "@/components/PageShell";
import { ScheduleDetailView } from "@/components/schedules/ScheduleDetailView";

function Detail() {
  const id = useSearchParams().get("id") ?? "";
  return <ScheduleDetailView id={id} />;
}

export default function ScheduleDetailPage() {
  return (
    <PageShell title="Schedule">
      <Suspense fallback={<p className="text-slate-600">Loading…</p>}>
        <Detail />
      </Suspense>
    </PageShell>
  );
}
