"use client";

import { PageShell } from "@/components/PageShell";
import { NewSensorLink } from "@/components/sensors/NewSensorLink";
import { SensorsView } from "@/components/sensors/SensorsView";

export default function SensorsPage() {
  return (
    <PageShell title="Sensors" actions={<NewSensorLink />}>
      <SensorsView />
    </PageShell>
  );
}
