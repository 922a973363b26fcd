"use client";

/** Secret names per scope (GET /secrets: every scope, or ?environment= one; metadata
 * only), setting one (PUT, the value typed into a password input and forgotten once
 * sent) and deleting one. No value is ever fetched or displayed. */

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, type MeView } from "@/api/client";
import type { components } from "@/api/schema";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Command, EmptyState } from "@/components/EmptyState";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf, unwrap } from "@/lib/apiCall";
import { formatTime } from "@/lib/format";
import { actorLabel } from "@/lib/settings/audit";
import { scopeLabel, scopeQuery } from "@/lib/settings/secrets";
import { useActorNames } from "@/lib/settings/useActorNames";
import { useCursors } from "@/lib/useCursors";
import { can } from "@/lib/useMe";

import { Pager } from "./Pager";
import { SecretForm } from "./SecretForm";
import { SelectRow } from "@/components/forms/FormControls";
import { ACTIONS, CELL, ROW, SettingsTable } from "./Table";

type Secret = components["schemas"]["SecretView"];

/** The filter's value for "every scope". */
const ALL = "";

export function SecretsView({ me }: { me: MeView }) {
  const client = useQueryClient();
  const write = can(me, "secrets:write");
  const [environment, setEnvironment] = useState(ALL);
  const pages = useCursors();
  const [saved, setSaved] = useState<string | null>(null);
  const envs = useQuery({
    queryKey: ["settings", "environments", me.org_id],
    queryFn: () => unwrap(api.GET("/environments", {})),
  });
  const secrets = useQuery({
    queryKey: ["settings", "secrets", me.org_id, environment, pages.cursor],
    queryFn: () =>
      unwrap(api.GET("/secrets", {
        params: {
          query: { limit: 50, ...(environment ? { environment } : {}), ...(pages.cursor ? { cursor: pages.cursor } : {}) },
        },
      })),
    placeholderData: keepPreviousData,
  });
  const names = useActorNames(me);
  const envNames = envs.data?.items.map((env) => env.env_name) ?? [];

  async function remove(secret: Secret) {
    await unwrap(api.DELETE("/secrets/{secret_name}", {
      params: { path: { secret_name: secret.name }, query: scopeQuery(secret.environment) },
    }));
    setSaved(null);
    await client.invalidateQueries({ queryKey: ["settings", "secrets"] });
  }

  return (
    <div className="flex flex-col gap-6">
      {write && (
        <SecretForm
          environments={envNames}
          onSaved={(secret, createdNew) => {
            setSaved(`${createdNew ? "Created" : "Replaced"} ${secret.name} (${scopeLabel(secret.environment)}).`);
            void client.invalidateQueries({ queryKey: ["settings", "secrets"] });
          }}
        />
      )}
      {saved && <p role="status" className="rounded bg-green-50 px-3 py-2 text-sm text-green-900">{saved}</p>}
      <section aria-labelledby="secrets-heading" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-end gap-4">
          <h2 id="secrets-heading" className="text-lg font-semibold">Secrets</h2>
          <div className="ml-auto">
            <SelectRow
              id="secrets-filter"
              label="Show"
              value={environment}
              onChange={(event) => {
                setEnvironment(event.target.value);
                pages.reset();
              }}
            >
              <option value={ALL}>every scope</option>
              {envNames.map((name) => (
                <option key={name} value={name}>{name} only</option>
              ))}
            </SelectRow>
          </div>
        </div>
        <ErrorNote message={envs.isError ? messageOf(envs.error) : null} />
        {secrets.isPending ? (
          <p className="text-slate-600">Loading secrets…</p>
        ) : secrets.isError && !secrets.data ? (
          <ErrorNote message={messageOf(secrets.error)} />
        ) : secrets.data.items.length === 0 && pages.page === 0 ? (
          <EmptyState>
            {environment ? `No secrets scoped to ${environment}.` : "No secrets yet."} Set one
            {write ? " above, or" : ""} with{" "}
            <Command>printf %s &quot;$TOKEN&quot; | dagy secrets set API_TOKEN{environment ? ` --env ${environment}` : ""}</Command>;
            a task reads it with <Command>get_secret(&quot;API_TOKEN&quot;)</Command>.
          </EmptyState>
        ) : (
          <>
            <SettingsTable caption="Secrets (names and scopes; values are never shown)" columns={["Name", "Scope", "Created", "Updated", "Updated by", "Actions"]}>
              {secrets.data.items.map((secret) => (
                <tr key={`${secret.environment ?? ""}/${secret.name}`} className={ROW} data-secret={secret.name}>
                  <td className={`${CELL} font-mono`}>{secret.name}</td>
                  <td className={CELL}>{scopeLabel(secret.environment)}</td>
                  <td className={CELL}>{formatTime(secret.created_at)}</td>
                  <td className={CELL}>{formatTime(secret.updated_at)}</td>
                  <td className={CELL}>{actorLabel(secret.updated_by ?? secret.created_by ?? "—", names.people, names.keys)}</td>
                  <td className={ACTIONS}>
                    {write ? (
                      <ConfirmButton
                        label={`Delete ${secret.name} (${scopeLabel(secret.environment)})`}
                        title={`Delete the secret ${secret.name} (${scopeLabel(secret.environment)})?`}
                        confirmLabel="Delete"
                        tone="danger"
                        onConfirm={() => remove(secret)}
                      >
                        Runs that read it fail with SecretNotFound
                        {secret.environment ? ", unless an org-wide secret of that name exists" : ""}. The value cannot be recovered.
                      </ConfirmButton>
                    ) : (
                      <span className="text-slate-600">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </SettingsTable>
            <Pager label="secrets" pages={pages} nextCursor={secrets.data.next_cursor} />
          </>
        )}
      </section>
    </div>
  );
}
