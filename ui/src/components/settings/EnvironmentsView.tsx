"use client";

/** The org's environments (GET /environments): name, protection, default executor and
 * runtime tier, config. Admins create one, edit one in place (PATCH with only the
 * changed fields) and delete one after confirming (the API refuses a protected one or
 * one deployments belong to, and says so). */

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";

import { api, type MeView } from "@/api/client";
import { Button } from "@/components/Button";
import { ConfirmButton } from "@/components/ConfirmButton";
import { Command, EmptyState } from "@/components/EmptyState";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf, unwrap } from "@/lib/apiCall";
import { formatTime } from "@/lib/format";
import type { EnvironmentView } from "@/lib/settings/environments";
import { can } from "@/lib/useMe";

import { EnvironmentForm } from "./EnvironmentForm";
import { ACTIONS, CELL, ROW, SettingsTable } from "./Table";

export function EnvironmentsView({ me }: { me: MeView }) {
  const client = useQueryClient();
  const write = can(me, "environments:write");
  const protectedOk = can(me, "environments:protected");
  const [editing, setEditing] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const envs = useQuery({
    queryKey: ["settings", "environments", me.org_id],
    queryFn: () => unwrap(api.GET("/environments", {})),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ["settings", "environments"] });

  async function remove(env: EnvironmentView) {
    await unwrap(api.DELETE("/environments/{env_name}", { params: { path: { env_name: env.env_name } } }));
    await refresh();
  }

  if (envs.isPending) return <p className="text-slate-600">Loading environments…</p>;
  if (envs.isError && !envs.data) return <ErrorNote message={messageOf(envs.error)} />;
  const items = envs.data.items;
  const current = items.find((env) => env.env_name === editing) ?? null;

  return (
    <div className="flex flex-col gap-6">
      {write && !creating && !current && (
        <div>
          <Button tone="primary" onClick={() => setCreating(true)}>New environment</Button>
        </div>
      )}
      {write && creating && (
        <EnvironmentForm
          env={null}
          mayProtect={protectedOk}
          onDone={(saved) => {
            setCreating(false);
            if (saved) void refresh();
          }}
        />
      )}
      {write && current && (
        <EnvironmentForm
          key={current.env_name}
          env={current}
          mayProtect={protectedOk}
          onDone={(saved) => {
            setEditing(null);
            if (saved) void refresh();
          }}
        />
      )}
      {items.length === 0 ? (
        <EmptyState>
          No environments. Create one{write ? " with the button above, or" : ""} with{" "}
          <Command>dagy environments create qa --tier small</Command>.
        </EmptyState>
      ) : (
        <SettingsTable caption="Environments of the org" columns={["Name", "Protected", "Default executor", "Default tier", "Config", "Updated", "Actions"]}>
          {items.map((env) => (
            <tr key={env.env_name} className={ROW} data-env={env.env_name}>
              <td className={`${CELL} font-medium`}>{env.env_name}</td>
              <td className={CELL}>{env.is_protected ? "protected" : "no"}</td>
              <td className={CELL}>{env.default_executor ?? "—"}</td>
              <td className={CELL}>{env.default_runtime_tier ?? "—"}</td>
              <td className={CELL}>
                {Object.keys(env.config_json ?? {}).length === 0 ? (
                  "—"
                ) : (
                  <code className="block max-w-xs truncate text-xs" title={JSON.stringify(env.config_json)}>
                    {JSON.stringify(env.config_json)}
                  </code>
                )}
              </td>
              <td className={CELL}>{formatTime(env.updated_at ?? env.created_at)}</td>
              <td className={ACTIONS}>
                {write && (!env.is_protected || protectedOk) ? (
                  <div className="flex gap-2">
                    <Button
                      aria-label={`Edit ${env.env_name}`}
                      onClick={() => {
                        setCreating(false);
                        setEditing(env.env_name);
                      }}
                    >
                      Edit
                    </Button>
                    <ConfirmButton
                      label={`Delete ${env.env_name}`}
                      title={`Delete the environment ${env.env_name}?`}
                      confirmLabel="Delete"
                      tone="danger"
                      onConfirm={() => remove(env)}
                    >
                      {env.is_protected
                        ? "It is protected: the server refuses until it is unprotected (Edit, untick Protected)."
                        : "This cannot be undone. An environment that deployments still belong to cannot be deleted."}
                    </ConfirmButton>
                  </div>
                ) : (
                  <span className="text-slate-600">—</span>
                )}
              </td>
            </tr>
          ))}
        </SettingsTable>
      )}
    </div>
  );
}
