"use client";

/** One sensor (/sensors/detail/?id=): what it watches, its state, cursor and config
 * (the API never answers a token or an HMAC secret), and, for sensors:write,
 * Enable/Disable, Rotate token (webhooks), Delete and the edit form. */

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";

import { api } from "@/api/client";
import { ConfirmButton } from "@/components/ConfirmButton";
import { ErrorNote } from "@/components/ErrorNote";
import { FactList, type Fact } from "@/components/FactList";
import { EnabledBadge } from "@/components/schedules/EnabledBadge";
import { messageOf, unwrap } from "@/lib/apiCall";
import { formatUtc } from "@/lib/schedules/zoned";
import { describeSensor } from "@/lib/sensors/body";
import { SENSORS_KEY, useSensor } from "@/lib/sensors/queries";
import { can, useMe } from "@/lib/useMe";

import { RotateToken } from "./RotateToken";
import { SensorEditForm } from "./SensorEditForm";
import { SensorToggle } from "./SensorToggle";
import { WebhookCredential, type WebhookSecret } from "./WebhookCredential";

export function SensorDetailView({ id }: { id: string }) {
  const me = useMe();
  const router = useRouter();
  const client = useQueryClient();
  const sensor = useSensor(id);
  const [rotated, setRotated] = useState<WebhookSecret | null>(null);
  if (!id) return <ErrorNote message="No sensor given: open one from the Sensors list." />;
  if (sensor.isPending) return <p className="text-slate-600">Loading the sensor…</p>;
  if (sensor.isError && !sensor.data) return <ErrorNote message={messageOf(sensor.error)} />;
  const s = sensor.data;
  const mayWrite = can(me.data, "sensors:write");

  const facts: Fact[] = [
    ["Name", s.name],
    ["Type", s.sensor_type],
    ["Watches", <span key="w" className="break-all font-mono text-xs">{describeSensor(s)}</span>],
    ["Deployment", s.deployment_name],
    ["Flow", s.flow_name],
    ["State", <EnabledBadge key="e" enabled={s.enabled} />],
    ["Last triggered", formatUtc(s.last_triggered_at)],
    ...(s.sensor_type === "polling"
      ? ([
          ["Cursor", <span key="c" className="break-all font-mono text-xs">{s.cursor ?? "none yet"}</span>],
          ["Next poll", s.next_poll_epoch == null ? "—" : formatUtc(new Date(s.next_poll_epoch * 1000).toISOString())],
        ] as Fact[])
      : []),
    ["Flow parameters", <code key="f" className="break-all text-xs">{JSON.stringify(s.flow_params)}</code>],
    ["Config", <code key="g" className="break-all text-xs">{JSON.stringify(s.config)}</code>],
    ["Created", formatUtc(s.created_at)],
  ];

  return (
    <div className="flex flex-col gap-6">
      {sensor.isError && <ErrorNote message={messageOf(sensor.error)} />}
      <FactList facts={facts} />
      {s.sensor_type === "webhook" && (
        <p className="text-sm text-slate-700">
          The webhook&apos;s URL holds its token, which is shown only when the sensor is created or its token rotated.
        </p>
      )}
      {mayWrite && (
        <div className="flex flex-wrap items-start gap-2">
          <SensorToggle id={s.sensor_id} enabled={s.enabled} />
          {s.sensor_type === "webhook" && <RotateToken id={s.sensor_id} onRotated={setRotated} />}
          <ConfirmButton
            label="Delete sensor"
            title="Delete this sensor?"
            tone="danger"
            confirmLabel="Delete"
            onConfirm={async () => {
              await unwrap(api.DELETE("/sensors/{sensor_id}", { params: { path: { sensor_id: s.sensor_id } } }));
              await client.invalidateQueries({ queryKey: SENSORS_KEY });
              router.push("/sensors/");
            }}
          >
            It stops triggering runs at once; runs it started stay.
          </ConfirmButton>
        </div>
      )}
      {rotated && <WebhookCredential secret={rotated} />}
      {mayWrite && (
        <section aria-labelledby="sensor-edit-heading" className="flex flex-col gap-2">
          <h2 id="sensor-edit-heading" className="text-lg font-semibold">
            Edit
          </h2>
          <SensorEditForm key={s.sensor_id} sensor={s} />
        </section>
      )}
    </div>
  );
}
