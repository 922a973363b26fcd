"use client";

/** /sensors/detail/?id=<sensor_id>: the id comes as a query parameter (static export),
 * read inside Suspense. */

import { useSearchParams } from "next/navigation";
import { Suspense } from "react";

import { PageShell } from "@/components/PageShell";
import { SensorDetailView } from "@/components/sensors/SensorDetailView";

function Detail() {
  const id = useSearchParams().get("id") ?? "";
  return <SensorDetailView id={id} />;
}

export default function SensorDetailPage() {
  return (
    <PageShell title="Sensor">
      <Suspense fallback={<p className="text-slate-600">Loading…</p>}>
        <Detail />
      </Suspense>
    </PageShell>
  );
}
