"use client";

/** Create or edit a schedule. The values go through buildScheduleBody (lib, tested);
 * what it cannot send is named under its field, and the API's own 422 (message and
 * details) shows above the buttons. Creating goes on to the new schedule's page. */

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";

import { api } from "@/api/client";
import { Button } from "@/components/Button";
import { messageOf, unwrap } from "@/lib/apiCall";
import {
  buildScheduleBody,
  changesFromBody,
  MODES,
  type FormErrors,
  type ScheduleBody,
  type ScheduleFormValues,
} from "@/lib/schedules/body";
import { problemsOf } from "@/lib/forms/problems";
import { SCHEDULES_KEY, useDeploymentChoices } from "@/lib/schedules/queries";

import { CheckboxRow, InputRow, SelectRow, SubmitError, TextAreaRow } from "@/components/forms/FormControls";
import { TimeZoneSelect } from "./TimeZoneSelect";
import { scheduleHref } from "@/lib/links";

export function ScheduleForm({ initial, scheduleId }: { initial: ScheduleFormValues; scheduleId?: string }) {
  const router = useRouter();
  const client = useQueryClient();
  const deployments = useDeploymentChoices();
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FormErrors>({});
  const [saved, setSaved] = useState(false);
  const editing = scheduleId !== undefined;

  const save = useMutation({
    mutationFn: (body: ScheduleBody) =>
      editing
        ? unwrap(api.PATCH("/schedules/{schedule_id}", { params: { path: { schedule_id: scheduleId } }, body: changesFromBody(body) }))
        : unwrap(api.POST("/schedules", { body })),
    onSuccess: async (schedule) => {
      await client.invalidateQueries({ queryKey: SCHEDULES_KEY });
      if (editing) setSaved(true);
      else router.push(scheduleHref(schedule.schedule_id));
    },
  });

  function set<K extends keyof ScheduleFormValues>(key: K, value: ScheduleFormValues[K]) {
    setValues((current) => ({ ...current, [key]: value }));
    setSaved(false);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const result = buildScheduleBody(values);
    setErrors(result.ok ? {} : result.errors);
    if (result.ok) save.mutate(result.body);
  }

  const names = deployments.data ?? [];
  const deploymentOptions = [
    { value: "", label: deployments.isPending ? "Loading deployments…" : "Choose a deployment" },
    ...(values.deploymentName && !names.includes(values.deploymentName) ? [values.deploymentName] : []).concat(names)
      .map((name) => ({ value: name, label: name })),
  ];
  const zoneNote = `on the ${values.timezone || "UTC"} clock`;
  const mode = values.mode;

  return (
    <form onSubmit={submit} noValidate className="flex max-w-2xl flex-col gap-4 rounded border border-slate-200 bg-white p-5">
      <SelectRow
        id="schedule-deployment"
        label="Deployment"
        value={values.deploymentName}
        disabled={editing}
        onChange={(event) => set("deploymentName", event.target.value)}
        options={deploymentOptions}
        error={errors.deploymentName ?? (deployments.isError ? messageOf(deployments.error) ?? undefined : undefined)}
        hint={
          editing
            ? "A schedule stays with its deployment: delete it and create another to move it."
            : names.length === 0 && !deployments.isPending
              ? "No deployments yet: deploy a flow first, e.g. dagy deploy flows.py:etl --name etl-daily"
              : undefined
        }
      />
      <SelectRow
        id="schedule-mode"
        label="Mode"
        value={mode}
        onChange={(event) => set("mode", event.target.value as ScheduleFormValues["mode"])}
        options={MODES}
      />
      {mode === "cron" && (
        <InputRow
          id="schedule-cron"
          label="Cron expression"
          value={values.cronExpression}
          onChange={(event) => set("cronExpression", event.target.value)}
          placeholder="30 2 * * *"
          className="font-mono"
          hint="Five fields: minute hour day-of-month month day-of-week, read on the schedule's time zone; @daily, @hourly… work too."
          error={errors.cronExpression}
        />
      )}
      {mode === "interval" && (
        <InputRow
          id="schedule-interval"
          label="Interval (seconds)"
          inputMode="numeric"
          value={values.intervalSeconds}
          onChange={(event) => set("intervalSeconds", event.target.value)}
          placeholder="900"
          hint="Plain UTC arithmetic from the start (or 1970-01-01Z): the zone and DST do not move it."
          error={errors.intervalSeconds}
        />
      )}
      {mode === "one_time" && (
        <InputRow
          id="schedule-run-at"
          type="datetime-local"
          step={1}
          label="Run time"
          value={values.runAt}
          onChange={(event) => set("runAt", event.target.value)}
          hint={`The one run's time, ${zoneNote}.`}
          error={errors.runAt}
        />
      )}
      <TimeZoneSelect id="schedule-timezone" value={values.timezone} onChange={(zone) => set("timezone", zone)} error={errors.timezone} />
      {mode === "cron" && (
        <fieldset className="grid gap-4 rounded border border-slate-200 p-3 sm:grid-cols-2">
          <legend className="px-1 text-sm font-medium text-slate-700">DST policy</legend>
          <SelectRow
            id="schedule-nonexistent"
            label="A time the clocks skip"
            value={values.nonexistent}
            onChange={(event) => set("nonexistent", event.target.value as ScheduleFormValues["nonexistent"])}
            options={[
              { value: "shift", label: "shift: fire when the clocks jump" },
              { value: "skip", label: "skip: no run that day" },
            ]}
          />
          <SelectRow
            id="schedule-ambiguous"
            label="A time that happens twice"
            value={values.ambiguous}
            onChange={(event) => set("ambiguous", event.target.value as ScheduleFormValues["ambiguous"])}
            options={[
              { value: "once", label: "once: the first occurrence" },
              { value: "twice", label: "twice: both occurrences" },
            ]}
          />
        </fieldset>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectRow
          id="schedule-catchup"
          label="Catch-up after downtime"
          value={values.catchupPolicy}
          onChange={(event) => set("catchupPolicy", event.target.value as ScheduleFormValues["catchupPolicy"])}
          options={[
            { value: "none", label: "none: only the latest missed slot" },
            { value: "all", label: "all: every missed slot, up to a cap" },
          ]}
        />
        {values.catchupPolicy === "all" && (
          <InputRow
            id="schedule-max-catchup"
            label="Max catch-up runs"
            inputMode="numeric"
            value={values.maxCatchupRuns}
            onChange={(event) => set("maxCatchupRuns", event.target.value)}
            hint="1 to 10000; the earliest missed slots run."
            error={errors.maxCatchupRuns}
          />
        )}
      </div>
      {(mode === "cron" || mode === "interval") && (
        <div className="grid gap-4 sm:grid-cols-2">
          <InputRow
            id="schedule-start"
            type="datetime-local"
            step={1}
            label="Start (optional)"
            value={values.startAt}
            onChange={(event) => set("startAt", event.target.value)}
            hint={`Inclusive, ${zoneNote}.`}
            error={errors.startAt}
          />
          <InputRow
            id="schedule-end"
            type="datetime-local"
            step={1}
            label="End (optional)"
            value={values.endAt}
            onChange={(event) => set("endAt", event.target.value)}
            hint={`Exclusive, ${zoneNote}.`}
            error={errors.endAt}
          />
        </div>
      )}
      <TextAreaRow
        id="schedule-parameters"
        label="Parameters (JSON object)"
        rows={4}
        value={values.parameters}
        onChange={(event) => set("parameters", event.target.value)}
        hint="Merged over the deployment's parameters for each run; checked against the flow when saved."
        error={errors.parameters}
      />
      {!editing && (
        <CheckboxRow
          id="schedule-enabled"
          label="Enabled (starts firing at its next slot)"
          checked={values.enabled}
          onChange={(event) => set("enabled", event.target.checked)}
        />
      )}
      <SubmitError message={messageOf(save.error)} problems={problemsOf(save.error)} />
      {saved && (
        <p role="status" className="text-sm text-green-800">
          Saved.
        </p>
      )}
      <div className="flex gap-2">
        <Button tone="primary" type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : editing ? "Save changes" : "Create schedule"}
        </Button>
      </div>
    </form>
  );
}
