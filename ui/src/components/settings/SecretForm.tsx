"use client";

/** Setting a secret: name, scope (org-wide or one environment) and the value in a
 * password input. PUT /secrets/{name} creates (201) or replaces (200); the value is
 * cleared from the form as soon as it is sent, whatever the answer. */

import { useState, type FormEvent } from "react";

import { api } from "@/api/client";
import type { components } from "@/api/schema";
import { Button } from "@/components/Button";
import { ErrorNote } from "@/components/ErrorNote";
import { Field } from "@/components/Field";
import { apiErrorOf } from "@/lib/apiCall";
import { ORG_WIDE, secretNameProblem, secretValueProblem } from "@/lib/settings/secrets";

import { SelectRow } from "@/components/forms/FormControls";

type Secret = components["schemas"]["SecretView"];

export function SecretForm({
  environments,
  onSaved,
}: {
  environments: string[];
  onSaved: (secret: Secret, createdNew: boolean) => void;
}) {
  const [name, setName] = useState("");
  const [scope, setScope] = useState(ORG_WIDE);
  const [value, setValue] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = secretNameProblem(name.trim()) ?? secretValueProblem(value);
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    const sent = value;
    setValue("");
    try {
      const { data, error: body, response } = await api.PUT("/secrets/{secret_name}", {
        params: { path: { secret_name: name.trim() } },
        body: { value: sent, environment: scope || null },
      });
      if (!response.ok || !data) throw apiErrorOf(body, response);
      setName("");
      onSaved(data, response.status === 201);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="set-secret-heading" className="flex flex-col gap-3 rounded border border-slate-200 bg-white p-4">
      <h2 id="set-secret-heading" className="text-lg font-semibold">Set a secret</h2>
      <p className="text-sm text-slate-700">
        Setting a name that exists in that scope replaces its value. Values are stored encrypted and never shown again.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-48 flex-1">
          <Field id="secret-name" label="Name" required maxLength={128} autoComplete="off" spellCheck={false} placeholder="API_TOKEN" value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <SelectRow id="secret-scope" label="Scope" value={scope} onChange={(event) => setScope(event.target.value)}>
          <option value={ORG_WIDE}>org-wide</option>
          {environments.map((env) => (
            <option key={env} value={env}>{env}</option>
          ))}
        </SelectRow>
        <div className="min-w-48 flex-1">
          <Field id="secret-value" label="Value" type="password" required autoComplete="new-password" value={value} onChange={(event) => setValue(event.target.value)} />
        </div>
        <Button type="submit" tone="primary" disabled={busy || !name.trim() || !value}>
          {busy ? "Saving…" : "Save secret"}
        </Button>
      </div>
      <ErrorNote message={error} />
    </form>
  );
}
