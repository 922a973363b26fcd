"use client";

/** Creating an API key: name, role (never above the caller's), the environments it
 * may act in (none ticked: all the caller may) and an optional expiry (local time,
 * sent as UTC). The new key goes to `onCreated`, which shows it once. */

import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { api, type MeView } from "@/api/client";
import type { components } from "@/api/schema";
import { Button } from "@/components/Button";
import { ErrorNote } from "@/components/ErrorNote";
import { Field } from "@/components/Field";
import { messageOf, unwrap } from "@/lib/apiCall";
import { assignableRoles, type Role } from "@/lib/settings/roles";
import { isPast, localInputToUtcIso } from "@/lib/settings/time";

import { SelectRow } from "@/components/forms/FormControls";

type Created = components["schemas"]["ApiKeyCreated"];

export function ApiKeyForm({ me, onCreated }: { me: MeView; onCreated: (key: Created) => void }) {
  const roles = assignableRoles(me.role);
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>(roles.includes("developer") ? "developer" : roles[0]!);
  const [environments, setEnvironments] = useState<string[]>([]);
  const [expires, setExpires] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const envs = useQuery({
    queryKey: ["settings", "environments", me.org_id],
    queryFn: () => unwrap(api.GET("/environments", {})),
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    let expiresAt: string | null = null;
    if (expires) {
      expiresAt = localInputToUtcIso(expires);
      if (!expiresAt) return setError("The expiry is not a date and time.");
      if (isPast(expiresAt, Date.now())) return setError("The expiry must be in the future.");
    }
    setBusy(true);
    try {
      const key = await unwrap(api.POST("/api-keys", {
        body: {
          name: name.trim(),
          role,
          ...(environments.length ? { environments } : {}),
          ...(expiresAt ? { expires_at: expiresAt } : {}),
        },
      }));
      setName("");
      setEnvironments([]);
      setExpires("");
      onCreated(key);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  function toggle(env: string, on: boolean) {
    setEnvironments((current) => (on ? [...current, env] : current.filter((name) => name !== env)));
  }

  return (
    <form onSubmit={submit} aria-labelledby="new-key-heading" className="flex flex-col gap-3 rounded border border-slate-200 bg-white p-4">
      <h2 id="new-key-heading" className="text-lg font-semibold">New API key</h2>
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <Field id="key-name" label="Name" required maxLength={200} autoComplete="off" value={name} onChange={(event) => setName(event.target.value)} />
        </div>
        <SelectRow id="key-role" label="Role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {roles.map((option) => (
            <option key={option} value={option}>{option}</option>
          ))}
        </SelectRow>
        <Field id="key-expires" label="Expires (optional, your local time)" type="datetime-local" value={expires} onChange={(event) => setExpires(event.target.value)} />
      </div>
      {envs.data && envs.data.items.length > 0 && (
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="mb-1 font-medium text-slate-700">Environments it may act in (none ticked: all)</legend>
          {envs.data.items.map((env) => (
            <label key={env.env_name} className="flex items-center gap-1.5">
              <input type="checkbox" checked={environments.includes(env.env_name)} onChange={(event) => toggle(env.env_name, event.target.checked)} />
              {env.env_name}
            </label>
          ))}
        </fieldset>
      )}
      <ErrorNote message={error} />
      <div>
        <Button type="submit" tone="primary" disabled={busy || !name.trim()}>
          {busy ? "Creating…" : "Create key"}
        </Button>
      </div>
    </form>
  );
}
