/** Editing a sensor (PATCH /sensors/{id}): its stored view as form values, and the
 * changes a saved form sends. A config replaces the whole config, except a webhook's
 * HMAC secret, which the API keeps when left out: an empty secret field keeps it, a
 * typed one replaces it, and "remove" sends null. The type cannot change. */

import type { components } from "@/api/schema";

import { EMPTY_SENSOR_FORM, type SensorBody, type SensorFormValues, type SensorView } from "./body";

export type SensorChanges = components["schemas"]["SensorChanges"];

function text(config: Record<string, unknown>, key: string): string {
  const value = config[key];
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
}

export function formFromSensor(sensor: SensorView): SensorFormValues {
  const c = (sensor.config ?? {}) as Record<string, unknown>;
  const mapping = c.parameter_mapping;
  return {
    ...EMPTY_SENSOR_FORM,
    name: sensor.name,
    deploymentName: sensor.deployment_name,
    sensorType: sensor.sensor_type,
    flowParams: JSON.stringify(sensor.flow_params ?? {}, null, 2),
    enabled: sensor.enabled,
    parameterMapping: mapping && typeof mapping === "object" ? JSON.stringify(mapping, null, 2) : "",
    signatureHeader: text(c, "signature_header"),
    maxPayloadBytes: text(c, "max_payload_bytes"),
    bucket: text(c, "bucket"),
    prefix: text(c, "prefix"),
    suffix: text(c, "suffix"),
    keyParameter: text(c, "key_parameter"),
    bucketParameter: text(c, "bucket_parameter"),
    kind: c.kind === "s3" ? "s3" : "http",
    url: text(c, "url"),
    intervalSeconds: text(c, "interval_seconds"),
    jitterSeconds: text(c, "jitter_seconds"),
    cursorParameter: text(c, "cursor_parameter"),
    fireOnFirst: c.fire_on_first === true,
  };
}

/** The PATCH body of a built sensor body; `removeSecret` clears a webhook's HMAC secret. */
export function sensorChanges(body: SensorBody, removeSecret: boolean): SensorChanges {
  const config = { ...(body.config ?? {}) };
  if (body.sensor_type === "webhook" && removeSecret) config.hmac_secret = null;
  return { name: body.name, deployment_name: body.deployment_name, flow_params: body.flow_params, config };
}
