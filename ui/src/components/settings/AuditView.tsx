"use client";

/** The audit log (GET /audit-logs, newest first, cursor pages) with filters by
 * resource type and id, actor and a time range typed in local time (sent as UTC).
 * Each entry: time, actor (a member's email or a key's name when known), action,
 * resource, what changed, and the full before/after on demand. */

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";

import { api, type MeView } from "@/api/client";
import { Command, EmptyState } from "@/components/EmptyState";
import { ErrorNote } from "@/components/ErrorNote";
import { messageOf, unwrap } from "@/lib/apiCall";
import { formatTime } from "@/lib/format";
import { actorLabel, auditQuery, changeSummary, NO_AUDIT_FILTERS, type AuditFilters as Filters } from "@/lib/settings/audit";
import { useActorNames } from "@/lib/settings/useActorNames";
import { useCursors } from "@/lib/useCursors";

import { AuditFilters } from "./AuditFilters";
import { Pager } from "./Pager";
import { CELL, ROW, SettingsTable } from "./Table";

export function AuditView({ me }: { me: MeView }) {
  const [filters, setFilters] = useState<Filters>(NO_AUDIT_FILTERS);
  const pages = useCursors();
  const built = auditQuery(filters);
  const query = "query" in built ? built.query : null;
  const entries = useQuery({
    queryKey: ["settings", "audit", me.org_id, query, pages.cursor],
    queryFn: () =>
      unwrap(api.GET("/audit-logs", {
        params: { query: { limit: 50, ...query, ...(pages.cursor ? { cursor: pages.cursor } : {}) } },
      })),
    enabled: query !== null,
    placeholderData: keepPreviousData,
    refetchInterval: 2000,
  });
  const names = useActorNames(me);

  return (
    <div className="flex flex-col gap-4">
      <AuditFilters
        value={filters}
        people={names.people}
        onChange={(next) => {
          setFilters(next);
          pages.reset();
        }}
      />
      <ErrorNote message={"error" in built ? built.error : null} />
      {entries.isPending && query ? (
        <p className="text-slate-600">Loading the audit log…</p>
      ) : entries.isError && !entries.data ? (
        <ErrorNote message={messageOf(entries.error)} />
      ) : !entries.data ? null : entries.data.items.length === 0 && pages.page === 0 ? (
        <EmptyState>
          {JSON.stringify(filters) === JSON.stringify(NO_AUDIT_FILTERS)
            ? "Nothing recorded yet: every change made in the org (a deploy, a secret set, a key created) appears here."
            : "No entries match these filters. Widen the time range or clear a filter."}{" "}
          The chain of entries can be checked with <Command>dagy audit verify</Command>.
        </EmptyState>
      ) : (
        <>
          {entries.isError && <ErrorNote message={messageOf(entries.error)} />}
          <SettingsTable caption="Audit log entries, newest first" columns={["Time", "Actor", "Action", "Resource", "Change"]}>
            {entries.data.items.map((entry) => (
              <tr key={entry.entry_id} className={ROW} data-action={entry.action}>
                <td className={`${CELL} whitespace-nowrap`}>{formatTime(entry.at)}</td>
                <td className={CELL}>
                  <span title={entry.actor}>{actorLabel(entry.actor, names.people, names.keys)}</span>
                  {entry.ip && <span className="block text-xs text-slate-600">{entry.ip}</span>}
                </td>
                <td className={`${CELL} font-mono text-xs`}>{entry.action}</td>
                <td className={CELL}>
                  <span className="text-slate-700">{entry.resource_type}</span>{" "}
                  <span className="break-all font-mono text-xs">{entry.resource_id}</span>
                </td>
                <td className={CELL}>
                  <details>
                    <summary className="cursor-pointer text-blue-700">{changeSummary(entry.before, entry.after)}</summary>
                    <dl className="mt-2 grid gap-1 text-xs">
                      <dt className="font-semibold">Before</dt>
                      <dd><pre className="max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2">{JSON.stringify(entry.before, null, 2)}</pre></dd>
                      <dt className="font-semibold">After</dt>
                      <dd><pre className="max-w-md overflow-x-auto whitespace-pre-wrap break-all rounded bg-slate-100 p-2">{JSON.stringify(entry.after, null, 2)}</pre></dd>
                      <dt className="font-semibold">Entry</dt>
                      <dd className="font-mono">#{entry.seq}{entry.request_id ? ` · request ${entry.request_id}` : ""}</dd>
                    </dl>
                  </details>
                </td>
              </tr>
            ))}
          </SettingsTable>
          <Pager label="audit entries" pages={pages} nextCursor={entries.data.next_cursor} />
        </>
      )}
    </div>
  );
}
