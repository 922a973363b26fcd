"use client";

/** The org's API keys (GET /api-keys, newest first, revoked ones included): name,
 * prefix, role, environments, created, last used, expiry and state. A new key
 * (POST /api-keys) is shown once; revoking asks first. Needs api_keys:read; the
 * create and revoke actions api_keys:write. */

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, type MeView } from "@/api/client";
import type { components } from "@/api/schema";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Command, EmptyState } from "@/components/EmptyState";
import { ErrorNote } from "@/components/ErrorNote";
import { ShowOnce } from "@/components/ShowOnce";
import { messageOf, unwrap } from "@/lib/apiCall";
import { formatTime } from "@/lib/format";
import { keyState } from "@/lib/settings/apiKeys";
import { useCursors } from "@/lib/useCursors";
import { can } from "@/lib/useMe";

import { ApiKeyForm } from "./ApiKeyForm";
import { Pager } from "./Pager";
import { ACTIONS, CELL, ROW, SettingsTable } from "./Table";

type ApiKey = components["schemas"]["ApiKeyView"];
type Created = components["schemas"]["ApiKeyCreated"];

export function ApiKeysView({ me }: { me: MeView }) {
  const pages = useCursors();
  const client = useQueryClient();
  const write = can(me, "api_keys:write");
  const keys = useQuery({
    queryKey: ["settings", "api-keys", me.org_id, pages.cursor],
    queryFn: () =>
      unwrap(api.GET("/api-keys", { params: { query: { limit: 50, ...(pages.cursor ? { cursor: pages.cursor } : {}) } } })),
    placeholderData: keepPreviousData,
  });
  const [created, setCreated] = useState<Created | null>(null);
  const now = keys.dataUpdatedAt || 0;

  async function revoke(key: ApiKey) {
    await unwrap(api.DELETE("/api-keys/{key_id}", { params: { path: { key_id: key.key_id } } }));
    await client.invalidateQueries({ queryKey: ["settings", "api-keys"] });
  }

  return (
    <div className="flex flex-col gap-6">
      {write && (
        <ApiKeyForm
          me={me}
          onCreated={(key) => {
            setCreated(key);
            void client.invalidateQueries({ queryKey: ["settings", "api-keys"] });
          }}
        />
      )}
      {created && (
        <div className="flex flex-col gap-2">
          <ShowOnce label={`API key ${created.name}`} value={created.api_key} />
          <p className="text-sm text-slate-700">
            Use it as <Command>Authorization: Bearer {"<key>"}</Command>, or with the CLI:{" "}
            <Command>DAGY_API_KEY={"<key>"} dagy whoami</Command>.
          </p>
        </div>
      )}
      <section aria-labelledby="keys-heading" className="flex flex-col gap-3">
        <h2 id="keys-heading" className="text-lg font-semibold">Keys</h2>
        {keys.isPending ? (
          <p className="text-slate-600">Loading API keys…</p>
        ) : keys.isError && !keys.data ? (
          <ErrorNote message={messageOf(keys.error)} />
        ) : keys.data.items.length === 0 && pages.page === 0 ? (
          <EmptyState>
            No API keys yet. Create one above, or with <Command>dagy api-keys create ci --role developer</Command>.
          </EmptyState>
        ) : (
          <>
            <SettingsTable
              caption="API keys of the org"
              columns={["Name", "Prefix", "Role", "Environments", "Created", "Last used", "Expires", "State", "Actions"]}
            >
              {keys.data.items.map((key) => {
                const state = keyState(key, now);
                return (
                  <tr key={key.key_id} className={ROW} data-key-id={key.key_id}>
                    <td className={CELL}>
                      {key.name}
                      {key.key_id === me.key_id && <span className="ml-2 text-xs text-slate-600">(this session)</span>}
                    </td>
                    <td className={`${CELL} font-mono text-xs`}>dagy_{key.prefix}_…</td>
                    <td className={CELL}>{key.role}</td>
                    <td className={CELL}>{key.environments?.length ? key.environments.join(", ") : "all"}</td>
                    <td className={CELL}>{formatTime(key.created_at)}</td>
                    <td className={CELL}>{key.last_used_at ? formatTime(key.last_used_at) : "never"}</td>
                    <td className={CELL}>{key.expires_at ? formatTime(key.expires_at) : "never"}</td>
                    <td className={CELL}>
                      <span className={state === "active" ? "font-medium text-green-800" : "text-slate-700"}>{state}</span>
                    </td>
                    <td className={ACTIONS}>
                      {write && !key.revoked ? (
                        <ConfirmButton
                          label={`Revoke ${key.name}`}
                          title={`Revoke the API key ${key.name}?`}
                          confirmLabel="Revoke"
                          tone="danger"
                          onConfirm={() => revoke(key)}
                        >
                          The next request made with it is refused. This cannot be undone.
                          {key.key_id === me.key_id && " You are signed in with this key: you will be signed out."}
                        </ConfirmButton>
                      ) : (
                        <span className="text-slate-600">—</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </SettingsTable>
            <Pager label="API keys" pages={pages} nextCursor={keys.data.next_cursor} />
          </>
        )}
      </section>
    </div>
  );
}
