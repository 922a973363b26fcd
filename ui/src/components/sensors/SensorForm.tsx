"use client";

/** Create a sensor (POST /sensors). The body comes from buildSensorBody (lib, tested);
 * the API's 422 shows above the button. A webhook's URL and token are answered once:
 * they stay in this component's state only (not the query cache) and are shown with
 * ShowOnce until the person leaves the page. */

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";

import { api } from "@/api/client";
import { Button } from "@/components/Button";
import { CheckboxRow, InputRow, SelectRow, SubmitError } from "@/components/forms/FormControls";
import { messageOf, unwrap } from "@/lib/apiCall";
import { problemsOf } from "@/lib/forms/problems";
import { useDeploymentChoices } from "@/lib/schedules/queries";
import { buildSensorBody, EMPTY_SENSOR_FORM, SENSOR_TYPES, type SensorFormErrors, type SensorFormValues } from "@/lib/sensors/body";
import { SENSORS_KEY } from "@/lib/sensors/queries";

import { FlowParamsField, SensorTypeFields } from "./SensorTypeFields";
import { WebhookCredential, type WebhookSecret } from "./WebhookCredential";
import { sensorHref } from "@/lib/links";

export function SensorForm() {
  const client = useQueryClient();
  const deployments = useDeploymentChoices();
  const [values, setValues] = useState(EMPTY_SENSOR_FORM);
  const [errors, setErrors] = useState<SensorFormErrors>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const [created, setCreated] = useState<{ id: string; name: string; secret: WebhookSecret | null } | null>(null);

  function set<K extends keyof SensorFormValues>(key: K, value: SensorFormValues[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = buildSensorBody(values);
    setErrors(result.ok ? {} : result.errors);
    if (!result.ok) return;
    setBusy(true);
    setFailure(null);
    try {
      const sensor = await unwrap(api.POST("/sensors", { body: result.body }));
      const secret = sensor.webhook_token && sensor.webhook_path ? { token: sensor.webhook_token, path: sensor.webhook_path } : null;
      setCreated({ id: sensor.sensor_id, name: sensor.name, secret });
      setValues((current) => ({ ...current, hmacSecret: "" }));
      await client.invalidateQueries({ queryKey: SENSORS_KEY });
    } catch (caught) {
      setFailure(caught);
    } finally {
      setBusy(false);
    }
  }

  if (created) {
    return (
      <section aria-labelledby="created-heading" className="flex max-w-2xl flex-col gap-3 rounded border border-slate-200 bg-white p-5">
        <h2 id="created-heading" className="text-lg font-semibold">
          Sensor {created.name} created
        </h2>
        {created.secret && <WebhookCredential secret={created.secret} />}
        <div className="flex gap-3 text-sm">
          <Link className="text-blue-800 underline" href={sensorHref(created.id)}>
            Open the sensor
          </Link>
          <Link className="text-blue-800 underline" href="/sensors/">
            Back to sensors
          </Link>
        </div>
      </section>
    );
  }

  const names = deployments.data ?? [];
  return (
    <form onSubmit={submit} noValidate className="flex max-w-2xl flex-col gap-4 rounded border border-slate-200 bg-white p-5">
      <InputRow id="sensor-name" label="Name" value={values.name} onChange={(event) => set("name", event.target.value)} placeholder="on-upload" error={errors.name} />
      <SelectRow
        id="sensor-deployment"
        label="Deployment"
        value={values.deploymentName}
        onChange={(event) => set("deploymentName", event.target.value)}
        options={[
          { value: "", label: deployments.isPending ? "Loading deployments…" : "Choose a deployment" },
          ...names.map((name) => ({ value: name, label: name })),
        ]}
        error={errors.deploymentName ?? (deployments.isError ? messageOf(deployments.error) ?? undefined : undefined)}
        hint={names.length === 0 && !deployments.isPending ? "No deployments yet: deploy a flow first, e.g. dagy deploy flows.py:etl --name etl-daily" : undefined}
      />
      <SelectRow
        id="sensor-type"
        label="Type"
        value={values.sensorType}
        onChange={(event) => set("sensorType", event.target.value as SensorFormValues["sensorType"])}
        options={SENSOR_TYPES}
      />
      <SensorTypeFields values={values} errors={errors} set={set} />
      <FlowParamsField values={values} errors={errors} set={set} hint="The base parameters of its runs; mapped values go on top." />
      <CheckboxRow id="sensor-enabled" label="Enabled" checked={values.enabled} onChange={(event) => set("enabled", event.target.checked)} />
      <SubmitError message={messageOf(failure)} problems={problemsOf(failure)} />
      <div>
        <Button tone="primary" type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create sensor"}
        </Button>
      </div>
    </form>
  );
}
