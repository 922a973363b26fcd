"use client";

/** The config fields of one sensor type (docs/sensors.md): webhook (mapping, HMAC secret,
 * signature header, size limit), s3 (bucket, prefix, suffix, parameters) and polling
 * (http URL or s3 prefix, interval, jitter, cursor parameter, mapping, fire on first), and
 * the flow parameters field the create and edit forms share. */

import { CheckboxRow, InputRow, SelectRow, TextAreaRow } from "@/components/forms/FormControls";
import type { SensorFormErrors, SensorFormValues } from "@/lib/sensors/body";

type Props = {
  values: SensorFormValues;
  errors: SensorFormErrors;
  set: <K extends keyof SensorFormValues>(key: K, value: SensorFormValues[K]) => void;
};

function Mapping({ values, errors, set }: Props) {
  return (
    <TextAreaRow
      id="sensor-mapping"
      label="Parameter mapping (optional JSON object)"
      rows={3}
      value={values.parameterMapping}
      onChange={(event) => set("parameterMapping", event.target.value)}
      placeholder='{"rows": "$.items[0].count"}'
      hint="{parameter: JSONPath}: $, $.a.b, $.a[0].b or $['key with space']."
      error={errors.parameterMapping}
    />
  );
}

/** The flow parameters every sensor's runs start from, as a JSON object. */
export function FlowParamsField({ values, errors, set, hint }: Props & { hint?: string }) {
  return (
    <TextAreaRow
      id="sensor-flow-params"
      label="Flow parameters (JSON object)"
      rows={3}
      value={values.flowParams}
      onChange={(event) => set("flowParams", event.target.value)}
      hint={hint}
      error={errors.flowParams}
    />
  );
}

export function SensorTypeFields(props: Props) {
  const { values, errors, set } = props;
  if (values.sensorType === "webhook") {
    return (
      <>
        <Mapping {...props} />
        <InputRow
          id="sensor-hmac"
          type="password"
          autoComplete="off"
          label="HMAC secret (optional)"
          value={values.hmacSecret}
          onChange={(event) => set("hmacSecret", event.target.value)}
          hint="When set, each body must be signed: hex HMAC-SHA256 of the raw body, sha256= prefix optional. Never shown again."
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <InputRow
            id="sensor-signature-header"
            label="Signature header (optional)"
            value={values.signatureHeader}
            onChange={(event) => set("signatureHeader", event.target.value)}
            placeholder="X-Dagy-Signature"
          />
          <InputRow
            id="sensor-max-bytes"
            label="Max payload bytes (optional)"
            inputMode="numeric"
            value={values.maxPayloadBytes}
            onChange={(event) => set("maxPayloadBytes", event.target.value)}
            placeholder="262144"
            hint="At most 1048576 (1 MiB)."
            error={errors.maxPayloadBytes}
          />
        </div>
      </>
    );
  }
  if (values.sensorType === "s3") {
    return (
      <>
        <InputRow id="sensor-bucket" label="Bucket" value={values.bucket} onChange={(event) => set("bucket", event.target.value)} error={errors.bucket} />
        <div className="grid gap-4 sm:grid-cols-2">
          <InputRow id="sensor-prefix" label="Key prefix (optional)" value={values.prefix} onChange={(event) => set("prefix", event.target.value)} placeholder="in/" />
          <InputRow id="sensor-suffix" label="Key suffix (optional)" value={values.suffix} onChange={(event) => set("suffix", event.target.value)} placeholder=".csv" />
          <InputRow
            id="sensor-key-parameter"
            label="Key parameter (optional)"
            value={values.keyParameter}
            onChange={(event) => set("keyParameter", event.target.value)}
            placeholder="key"
            hint="The flow parameter that receives the object's key."
          />
          <InputRow
            id="sensor-bucket-parameter"
            label="Bucket parameter (optional)"
            value={values.bucketParameter}
            onChange={(event) => set("bucketParameter", event.target.value)}
          />
        </div>
        <p className="text-sm text-slate-700">
          Send the bucket&apos;s <code>s3:ObjectCreated:*</code> notifications to Dagy&apos;s event queue.
        </p>
      </>
    );
  }
  return (
    <>
      <SelectRow
        id="sensor-kind"
        label="Poll"
        value={values.kind}
        onChange={(event) => set("kind", event.target.value as SensorFormValues["kind"])}
        options={[
          { value: "http", label: "an HTTP resource (ETag, Last-Modified or body digest)" },
          { value: "s3", label: "an S3 prefix (newest object)" },
        ]}
      />
      {values.kind === "http" ? (
        <InputRow id="sensor-url" label="URL" type="url" value={values.url} onChange={(event) => set("url", event.target.value)} placeholder="https://example.com/export.json" error={errors.url} />
      ) : (
        <div className="grid gap-4 sm:grid-cols-2">
          <InputRow id="sensor-bucket" label="Bucket" value={values.bucket} onChange={(event) => set("bucket", event.target.value)} error={errors.bucket} />
          <InputRow id="sensor-prefix" label="Prefix (optional)" value={values.prefix} onChange={(event) => set("prefix", event.target.value)} />
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <InputRow
          id="sensor-interval"
          label="Interval seconds (optional)"
          inputMode="numeric"
          value={values.intervalSeconds}
          onChange={(event) => set("intervalSeconds", event.target.value)}
          placeholder="60"
          hint="At least 10."
          error={errors.intervalSeconds}
        />
        <InputRow
          id="sensor-jitter"
          label="Jitter seconds (optional)"
          inputMode="numeric"
          value={values.jitterSeconds}
          onChange={(event) => set("jitterSeconds", event.target.value)}
          hint="Default 10 % of the interval."
          error={errors.jitterSeconds}
        />
      </div>
      <InputRow
        id="sensor-cursor-parameter"
        label="Cursor parameter (optional)"
        value={values.cursorParameter}
        onChange={(event) => set("cursorParameter", event.target.value)}
        hint="The flow parameter that receives the new cursor."
      />
      <Mapping {...props} />
      <CheckboxRow
        id="sensor-fire-first"
        label="Also fire for the very first cursor seen"
        checked={values.fireOnFirst}
        onChange={(event) => set("fireOnFirst", event.target.checked)}
      />
    </>
  );
}
