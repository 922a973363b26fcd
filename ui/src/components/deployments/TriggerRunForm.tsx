"use client";

/** Trigger a run of a deployment from a form built from its flow's parameter schema
 * (lib/deployments/paramForm): the form's own type errors stop the request, the API's
 * 422 problems go next to the fields they name (the rest at the top), and a queued
 * run opens its run page. Shown only to roles holding runs:trigger. */

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";

import { Button } from "@/components/Button";
import { ErrorNote } from "@/components/ErrorNote";
import { ApiError, messageOf } from "@/lib/apiCall";
import type { FlowSpecParameter } from "@/lib/dag/types";
import { runHref } from "@/lib/deployments/format";
import {
  buildParameters,
  fieldsOf,
  initialValues,
  problemsFromApi,
  type FieldValue,
  type FormValues,
} from "@/lib/deployments/paramForm";
import { RUNTIME_TIERS, useTriggerRun, type DeploymentView, type RuntimeTier } from "@/lib/deployments/queries";

import { ParamInput } from "./ParamInput";

export function TriggerRunForm({
  deployment,
  parameters,
  onCancel,
}: {
  deployment: DeploymentView;
  parameters: FlowSpecParameter[];
  onCancel: () => void;
}) {
  const router = useRouter();
  const fields = useMemo(() => fieldsOf(parameters, deployment.parameters), [parameters, deployment.parameters]);
  const [values, setValues] = useState<FormValues>(() => initialValues(parameters, deployment.parameters));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [tier, setTier] = useState<RuntimeTier | "">("");
  const trigger = useTriggerRun(deployment.deployment_name);
  const top = useRef<HTMLDivElement>(null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    // opened by the page's button: keyboard users land on the first field
    form.current?.querySelector<HTMLElement>("input, textarea, button[type=submit]")?.focus();
  }, []);

  function change(name: string, next: FieldValue) {
    setValues((all) => ({ ...all, [name]: next }));
    setErrors(({ [name]: _dropped, ...rest }) => rest);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setGeneral([]);
    const built = buildParameters(fields, values);
    if (!built.ok) {
      setErrors(built.errors);
      setGeneral(["Some values do not fit their parameter's type: see the fields marked below."]);
      top.current?.focus();
      return;
    }
    setErrors({});
    try {
      const run = await trigger.mutateAsync({ parameters: built.parameters, tier: tier || null });
      router.push(runHref(run.run_id));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 422) {
        const problems = problemsFromApi(caught.details, caught.message, fields.map((f) => f.name));
        setErrors(problems.fields);
        setGeneral(problems.general.length ? problems.general : ["The API refused these parameters: see the fields marked below."]);
      } else {
        setGeneral([messageOf(caught) ?? "The request failed."]);
      }
      top.current?.focus();
    }
  }

  return (
    <form
      ref={form}
      noValidate
      onSubmit={submit}
      aria-labelledby="trigger-title"
      className="mb-6 flex flex-col gap-4 rounded border border-slate-300 bg-white p-4"
    >
      <h2 id="trigger-title" className="text-lg font-semibold">Trigger a run of {deployment.deployment_name}</h2>
      {deployment.status === "PAUSED" && (
        <p className="text-sm text-amber-900">This deployment is paused: the API refuses new runs until it is resumed.</p>
      )}
      <div ref={top} tabIndex={-1} className="flex flex-col gap-2 focus:outline-none">
        {general.map((message) => (
          <ErrorNote key={message} message={message} />
        ))}
      </div>
      {fields.length === 0 ? (
        <p className="text-sm text-slate-700">This flow takes no parameters.</p>
      ) : (
        <div className="grid gap-4 sm:grid-cols-2">
          {fields.map((field) => (
            <ParamInput
              key={field.name}
              field={field}
              value={values[field.name]!}
              error={errors[field.name]}
              onChange={(next) => change(field.name, next)}
            />
          ))}
        </div>
      )}
      <div className="flex flex-col gap-1 sm:w-1/2">
        <label htmlFor="trigger-tier" className="text-sm font-medium text-slate-800">Runtime tier</label>
        <select
          id="trigger-tier"
          value={tier}
          onChange={(e) => setTier(e.target.value as RuntimeTier | "")}
          className="rounded border border-slate-300 bg-white px-3 py-2 text-sm focus:outline-none focus:ring-2 focus:ring-blue-500"
        >
          <option value="">
            {deployment.default_runtime_tier ? `The deployment's (${deployment.default_runtime_tier})` : "The default"}
          </option>
          {RUNTIME_TIERS.map((t) => (
            <option key={t} value={t}>{t}</option>
          ))}
        </select>
      </div>
      <p className="text-xs text-slate-600">
        <span className="text-red-800">*</span> required. Values start from the deployment&apos;s parameters, then the
        flow&apos;s defaults; a blank optional field is left to them.
      </p>
      <div className="flex gap-2">
        <Button type="submit" tone="primary" disabled={trigger.isPending}>
          {trigger.isPending ? "Triggering…" : "Trigger run"}
        </Button>
        <Button onClick={onCancel}>Close</Button>
      </div>
    </form>
  );
}
