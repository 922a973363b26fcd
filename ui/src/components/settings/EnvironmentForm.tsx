"use client";

/** Creating (POST /environments) or editing (PATCH /environments/{name}, only the
 * fields changed) an environment: default executor, default runtime tier, protection
 * and config as JSON text. Protection is offered only to roles holding
 * environments:protected. */

import { useState, type FormEvent } from "react";

import { api } from "@/api/client";
import { Button } from "@/components/Button";
import { ErrorNote } from "@/components/ErrorNote";
import { Field } from "@/components/Field";
import { messageOf, unwrap } from "@/lib/apiCall";
import {
  changesOf,
  createBody,
  formOf,
  RUNTIME_TIERS,
  type EnvironmentForm as Form,
  type EnvironmentView,
} from "@/lib/settings/environments";

import { SelectRow } from "@/components/forms/FormControls";

export function EnvironmentForm({
  env,
  mayProtect,
  onDone,
}: {
  env: EnvironmentView | null;
  mayProtect: boolean;
  /** saved: whether anything was written */
  onDone: (saved: boolean) => void;
}) {
  const [form, setForm] = useState<Form>(() => formOf(env));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (changes: Partial<Form>) => setForm((current) => ({ ...current, ...changes }));
  const heading = env ? `Edit ${env.env_name}` : "New environment";

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    const built = env ? changesOf(env, form) : createBody(form);
    if ("error" in built) return setError(built.error);
    setBusy(true);
    try {
      if (env && "changes" in built) {
        if (Object.keys(built.changes).length === 0) return onDone(false);
        await unwrap(api.PATCH("/environments/{env_name}", { params: { path: { env_name: env.env_name } }, body: built.changes }));
      } else if ("body" in built) {
        await unwrap(api.POST("/environments", { body: built.body }));
      }
      onDone(true);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-label={heading} className="flex flex-col gap-3 rounded border border-slate-200 bg-white p-4">
      <h2 className="text-lg font-semibold">{heading}</h2>
      <div className="flex flex-wrap items-end gap-3">
        {!env && (
          <Field id="env-name" label="Name" required maxLength={64} autoComplete="off" spellCheck={false} placeholder="qa" value={form.name} onChange={(event) => set({ name: event.target.value })} />
        )}
        <Field id="env-executor" label="Default executor (optional)" maxLength={64} autoComplete="off" spellCheck={false} value={form.executor} onChange={(event) => set({ executor: event.target.value })} />
        <SelectRow id="env-tier" label="Default runtime tier" value={form.tier} onChange={(event) => set({ tier: event.target.value })}>
          <option value="">none</option>
          {RUNTIME_TIERS.map((tier) => (
            <option key={tier} value={tier}>{tier}</option>
          ))}
        </SelectRow>
        {mayProtect && (
          <label className="flex items-center gap-2 py-2 text-sm font-medium text-slate-700">
            <input type="checkbox" checked={form.isProtected} onChange={(event) => set({ isProtected: event.target.checked })} />
            Protected (cannot be deleted; deploying and its secrets need admin)
          </label>
        )}
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="env-config" className="text-sm font-medium text-slate-700">Config (a JSON object)</label>
        <textarea
          id="env-config"
          rows={4}
          spellCheck={false}
          value={form.config}
          onChange={(event) => set({ config: event.target.value })}
          className="rounded border border-slate-300 px-3 py-2 font-mono text-sm focus:outline-none focus:ring-2 focus:ring-blue-500"
        />
      </div>
      <ErrorNote message={error} />
      <div className="flex gap-2">
        <Button type="submit" tone="primary" disabled={busy}>
          {busy ? "Saving…" : env ? "Save changes" : "Create environment"}
        </Button>
        <Button onClick={() => onDone(false)}>Cancel</Button>
      </div>
    </form>
  );
}
