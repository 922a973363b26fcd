"use client";

/** /sensors/new/: create a webhook, S3 or polling sensor. */

import { PageShell } from "@/components/PageShell";
import { SensorForm } from "@/components/sensors/SensorForm";

export default function NewSensorPage() {
  return (
    <PageShell title="New sensor">
      <SensorForm />
    </PageShell>
  );
}
