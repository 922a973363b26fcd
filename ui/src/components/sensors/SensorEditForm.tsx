"use client";

/** Edit a sensor (PATCH /sensors/{id}): name, deployment, flow parameters and its type's
 * config. A webhook's HMAC secret is never shown: leave the field empty to keep it, type
 * one to replace it, or tick "remove". The API's 422 shows above the button. */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { api } from "@/api/client";
import { Button } from "@/components/Button";
import { CheckboxRow, InputRow, SelectRow, SubmitError } from "@/components/forms/FormControls";
import { messageOf, unwrap } from "@/lib/apiCall";
import { problemsOf } from "@/lib/forms/problems";
import { useDeploymentChoices } from "@/lib/schedules/queries";
import { buildSensorBody, type SensorFormErrors, type SensorFormValues, type SensorView } from "@/lib/sensors/body";
import { formFromSensor, sensorChanges, type SensorChanges } from "@/lib/sensors/edit";
import { SENSORS_KEY } from "@/lib/sensors/queries";

import { FlowParamsField, SensorTypeFields } from "./SensorTypeFields";

export function SensorEditForm({ sensor }: { sensor: SensorView }) {
  const client = useQueryClient();
  const deployments = useDeploymentChoices();
  const [values, setValues] = useState(() => formFromSensor(sensor));
  const [errors, setErrors] = useState<SensorFormErrors>({});
  const [removeSecret, setRemoveSecret] = useState(false);
  const [saved, setSaved] = useState(false);
  const hasSecret = (sensor.config as Record<string, unknown>).has_hmac_secret === true;

  const save = useMutation({
    mutationFn: (changes: SensorChanges) =>
      unwrap(api.PATCH("/sensors/{sensor_id}", { params: { path: { sensor_id: sensor.sensor_id } }, body: changes })),
    onSuccess: async () => {
      setValues((current) => ({ ...current, hmacSecret: "" }));
      setRemoveSecret(false);
      setSaved(true);
      await client.invalidateQueries({ queryKey: SENSORS_KEY });
    },
  });

  function set<K extends keyof SensorFormValues>(key: K, value: SensorFormValues[K]) {
    setValues((current) => ({ ...current, [key]: value }));
    setSaved(false);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = buildSensorBody(values);
    setErrors(result.ok ? {} : result.errors);
    if (result.ok) save.mutate(sensorChanges(result.body, removeSecret && !values.hmacSecret));
  }

  const names = deployments.data ?? [];
  const choices = names.includes(values.deploymentName) ? names : [values.deploymentName, ...names];
  return (
    <form onSubmit={submit} noValidate aria-label="Edit sensor" className="flex max-w-2xl flex-col gap-4 rounded border border-slate-200 bg-white p-5">
      <InputRow id="sensor-name" label="Name" value={values.name} onChange={(event) => set("name", event.target.value)} error={errors.name} />
      <SelectRow
        id="sensor-deployment"
        label="Deployment"
        value={values.deploymentName}
        onChange={(event) => set("deploymentName", event.target.value)}
        options={choices.map((name) => ({ value: name, label: name }))}
        error={errors.deploymentName}
      />
      <SensorTypeFields values={values} errors={errors} set={set} />
      {values.sensorType === "webhook" && hasSecret && (
        <div className="flex flex-col gap-1">
          <p className="text-xs text-slate-600">A secret is set: leave the field empty to keep it.</p>
          <CheckboxRow
            id="sensor-remove-secret"
            label="Remove the HMAC secret (bodies need no signature)"
            checked={removeSecret}
            onChange={(event) => setRemoveSecret(event.target.checked)}
          />
        </div>
      )}
      <FlowParamsField values={values} errors={errors} set={set} />
      <SubmitError message={messageOf(save.error)} problems={problemsOf(save.error)} />
      {saved && (
        <p role="status" className="text-sm text-green-800">
          Saved.
        </p>
      )}
      <div>
        <Button tone="primary" type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save changes"}
        </Button>
      </div>
    </form>
  );
}
