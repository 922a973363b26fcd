"use client";

/** The audit log's filter form: typed into a draft and applied with the button (or
 * Enter), so the log is not re-queried on every keystroke. */

import { useState, type FormEvent } from "react";

import { Button } from "@/components/Button";
import { Field } from "@/components/Field";
import { AUDIT_RESOURCE_TYPES, NO_AUDIT_FILTERS, type AuditFilters as Filters } from "@/lib/settings/audit";

export function AuditFilters({
  value,
  people,
  onChange,
}: {
  value: Filters;
  people: ReadonlyMap<string, string>;
  onChange: (filters: Filters) => void;
}) {
  const [draft, setDraft] = useState<Filters>(value);
  const set = (changes: Partial<Filters>) => setDraft((current) => ({ ...current, ...changes }));

  function submit(event: FormEvent) {
    event.preventDefault();
    onChange(draft);
  }

  return (
    <form onSubmit={submit} aria-label="Filter the audit log" className="flex flex-col gap-3 rounded border border-slate-200 bg-white p-4">
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Field id="audit-type" label="Resource type" list="audit-types" autoComplete="off" placeholder="secret" value={draft.resourceType} onChange={(event) => set({ resourceType: event.target.value })} />
        <Field id="audit-id" label="Resource id" autoComplete="off" placeholder="API_TOKEN" value={draft.resourceId} onChange={(event) => set({ resourceId: event.target.value })} />
        <Field id="audit-actor" label="Actor (user:<id>, key:<id> or system)" list="audit-actors" autoComplete="off" value={draft.actor} onChange={(event) => set({ actor: event.target.value })} />
        <Field id="audit-since" label="From (your local time)" type="datetime-local" value={draft.since} onChange={(event) => set({ since: event.target.value })} />
        <Field id="audit-until" label="Until (your local time)" type="datetime-local" value={draft.until} onChange={(event) => set({ until: event.target.value })} />
        <div className="flex items-end gap-2">
          <Button type="submit" tone="primary">Apply filters</Button>
          <Button
            onClick={() => {
              setDraft(NO_AUDIT_FILTERS);
              onChange(NO_AUDIT_FILTERS);
            }}
          >
            Clear
          </Button>
        </div>
      </div>
      <datalist id="audit-types">
        {AUDIT_RESOURCE_TYPES.map((type) => (
          <option key={type} value={type} />
        ))}
      </datalist>
      <datalist id="audit-actors">
        <option value="system" />
        {[...people].map(([id, email]) => (
          <option key={id} value={`user:${id}`}>{email}</option>
        ))}
      </datalist>
    </form>
  );
}
