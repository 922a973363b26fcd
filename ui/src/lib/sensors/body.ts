/** The sensor form's values and the POST /sensors body they make, one config shape per
 * sensor type (docs/sensors.md): optional keys left empty are left out, since the API
 * refuses unknown or empty ones, and JSON fields must be objects. The API validates the
 * config again (JSONPaths, bucket names, URLs) and its 422 is shown as is. */

import type { components } from "@/api/schema";
import { parseJsonObject } from "@/lib/schedules/body";

export type SensorBody = components["schemas"]["SensorBody"];
export type SensorView = components["schemas"]["SensorView"];
export type SensorType = SensorBody["sensor_type"];

export const SENSOR_TYPES: { value: SensorType; label: string }[] = [
  { value: "webhook", label: "Webhook: a POST to its URL" },
  { value: "s3", label: "S3: an object created in a bucket" },
  { value: "polling", label: "Polling: an HTTP resource or S3 prefix changes" },
];

export type SensorFormValues = {
  name: string;
  deploymentName: string;
  sensorType: SensorType;
  flowParams: string;
  enabled: boolean;
  // webhook
  parameterMapping: string; // also polling
  hmacSecret: string;
  signatureHeader: string;
  maxPayloadBytes: string;
  // s3 (and polling kind s3)
  bucket: string;
  prefix: string;
  suffix: string;
  keyParameter: string;
  bucketParameter: string;
  // polling
  kind: "http" | "s3";
  url: string;
  intervalSeconds: string;
  jitterSeconds: string;
  cursorParameter: string;
  fireOnFirst: boolean;
};

export type SensorFormErrors = Partial<Record<keyof SensorFormValues, string>>;

export const EMPTY_SENSOR_FORM: SensorFormValues = {
  name: "",
  deploymentName: "",
  sensorType: "webhook",
  flowParams: "{}",
  enabled: true,
  parameterMapping: "",
  hmacSecret: "",
  signatureHeader: "",
  maxPayloadBytes: "",
  bucket: "",
  prefix: "",
  suffix: "",
  keyParameter: "",
  bucketParameter: "",
  kind: "http",
  url: "",
  intervalSeconds: "",
  jitterSeconds: "",
  cursorParameter: "",
  fireOnFirst: false,
};

export function buildSensorBody(
  values: SensorFormValues,
): { ok: true; body: SensorBody } | { ok: false; errors: SensorFormErrors } {
  const errors: SensorFormErrors = {};
  const config: Record<string, unknown> = {};
  const text = (key: keyof SensorFormValues, configKey: string, required?: string) => {
    const value = String(values[key]).trim();
    if (value) config[configKey] = value;
    else if (required) errors[key] = required;
  };
  const integer = (key: keyof SensorFormValues, configKey: string, range: string) => {
    const value = String(values[key]).trim();
    if (!value) return;
    if (/^\d+$/.test(value)) config[configKey] = Number(value);
    else errors[key] = range;
  };
  const mapping = () => {
    if (!values.parameterMapping.trim()) return;
    const parsed = parseJsonObject(values.parameterMapping);
    if ("error" in parsed) errors.parameterMapping = parsed.error;
    else if (Object.values(parsed.value).some((path) => typeof path !== "string")) {
      errors.parameterMapping = 'each value must be a JSONPath string, e.g. {"rows": "$.items[0].count"}';
    } else config.parameter_mapping = parsed.value;
  };

  const name = values.name.trim();
  if (!name) errors.name = "a name, e.g. on-upload";
  const deployment = values.deploymentName.trim();
  if (!deployment) errors.deploymentName = "choose a deployment";

  if (values.sensorType === "webhook") {
    mapping();
    if (values.hmacSecret) config.hmac_secret = values.hmacSecret; // as typed: a secret is not trimmed
    text("signatureHeader", "signature_header");
    integer("maxPayloadBytes", "max_payload_bytes", "a whole number of bytes, at most 1048576");
  } else if (values.sensorType === "s3") {
    text("bucket", "bucket", "the bucket whose notifications trigger runs");
    text("prefix", "prefix");
    text("suffix", "suffix");
    text("keyParameter", "key_parameter");
    text("bucketParameter", "bucket_parameter");
  } else {
    config.kind = values.kind;
    if (values.kind === "http") text("url", "url", "the http:// or https:// URL to poll");
    else {
      text("bucket", "bucket", "the bucket to list");
      text("prefix", "prefix");
    }
    integer("intervalSeconds", "interval_seconds", "a whole number of seconds, at least 10");
    integer("jitterSeconds", "jitter_seconds", "a whole number of seconds, at most the interval");
    text("cursorParameter", "cursor_parameter");
    mapping();
    if (values.fireOnFirst) config.fire_on_first = true;
  }

  const flowParams = parseJsonObject(values.flowParams);
  if ("error" in flowParams) errors.flowParams = flowParams.error;

  if (Object.keys(errors).length || "error" in flowParams) return { ok: false, errors };
  return {
    ok: true,
    body: {
      name,
      deployment_name: deployment,
      sensor_type: values.sensorType,
      flow_params: flowParams.value,
      config,
      enabled: values.enabled,
    },
  };
}

/** The full URL to POST to: the API's origin (same as the UI's unless configured) and
 * the answered webhook_path ("/hooks/<token>"). */
export function webhookUrl(path: string, apiBase: string, origin: string): string {
  const base = (apiBase || origin).replace(/\/+$/, "");
  return `${base}${path.startsWith("/") ? path : `/${path}`}`;
}

/** What a sensor watches, in one line, from its (secret-free) config. */
export function describeSensor(sensor: Pick<SensorView, "sensor_type" | "config">): string {
  const c = sensor.config as Record<string, unknown>;
  const str = (key: string) => (typeof c[key] === "string" ? (c[key] as string) : "");
  if (sensor.sensor_type === "webhook") return c.has_hmac_secret ? "POST /hooks/…, signed" : "POST /hooks/…";
  if (sensor.sensor_type === "s3") return `s3://${str("bucket")}/${str("prefix")}*${str("suffix")}`;
  const every = typeof c.interval_seconds === "number" ? `, every ${c.interval_seconds} s` : "";
  return c.kind === "s3" ? `list s3://${str("bucket")}/${str("prefix")}${every}` : `GET ${str("url")}${every}`;
}
