"use client";

/** The runs page's filters: status, deployment and created time (a preset or a custom
 * range in the browser's local time, sent to the API in UTC). It only reports changes;
 * the page keeps the filters in its URL. */

import { useState } from "react";

import {
  isPreset,
  localInputToUtcIso,
  RUN_STATUSES,
  SINCE_PRESETS,
  utcIsoToLocalInput,
  type RunsFilters,
  type SincePreset,
} from "@/lib/runs/filters";
import { useDeploymentNames } from "@/lib/runs/useDeploymentNames";
import { messageOf } from "@/lib/apiCall";

import { Button } from "../Button";

const CONTROL =
  "rounded border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 focus:outline-none focus:ring-2 focus:ring-blue-500";
const LABEL = "text-sm font-medium text-slate-700";
const CUSTOM = "custom";

export function RunsFilterBar({
  filters,
  onChange,
}: {
  filters: RunsFilters;
  onChange: (next: RunsFilters) => void;
}) {
  const deployments = useDeploymentNames();
  const urlIsCustom = filters.since !== null && !isPreset(filters.since);
  // "Custom range" chosen but no start typed yet: nothing in the URL says so
  const [customChosen, setCustomChosen] = useState(false);
  const custom = urlIsCustom || customChosen;
  const timeValue = custom ? CUSTOM : (filters.since ?? "");

  const names = deployments.data ?? [];
  const options = filters.deployment && !names.includes(filters.deployment) ? [filters.deployment, ...names] : names;
  const active = filters.status || filters.deployment || filters.since || customChosen;

  function pickTime(value: string) {
    setCustomChosen(value === CUSTOM);
    if (value === CUSTOM) return; // the range's inputs set the filter
    onChange({ ...filters, since: isPreset(value) ? (value as SincePreset) : null, until: null });
  }

  return (
    <form
      role="search"
      aria-label="Filter runs"
      className="mb-4 flex flex-wrap items-end gap-4"
      onSubmit={(event) => event.preventDefault()}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor="runs-status" className={LABEL}>Status</label>
        <select
          id="runs-status"
          className={CONTROL}
          value={filters.status ?? ""}
          onChange={(event) =>
            onChange({ ...filters, status: (event.target.value || null) as RunsFilters["status"] })
          }
        >
          <option value="">Any status</option>
          {RUN_STATUSES.map((status) => (
            <option key={status} value={status}>{status}</option>
          ))}
        </select>
      </div>

      <div className="flex flex-col gap-1">
        <label htmlFor="runs-deployment" className={LABEL}>Deployment</label>
        <select
          id="runs-deployment"
          className={CONTROL}
          value={filters.deployment ?? ""}
          aria-describedby={deployments.isError ? "runs-deployment-error" : undefined}
          onChange={(event) => onChange({ ...filters, deployment: event.target.value || null })}
        >
          <option value="">Any deployment</option>
          {options.map((name) => (
            <option key={name} value={name}>{name}</option>
          ))}
        </select>
        {deployments.isError && (
          <span id="runs-deployment-error" className="text-xs text-red-800">
            Deployments could not be listed: {messageOf(deployments.error)}
          </span>
        )}
      </div>

      <div className="flex flex-col gap-1">
        <label htmlFor="runs-since" className={LABEL}>Created</label>
        <select id="runs-since" className={CONTROL} value={timeValue} onChange={(event) => pickTime(event.target.value)}>
          <option value="">Any time</option>
          {Object.entries(SINCE_PRESETS).map(([value, preset]) => (
            <option key={value} value={value}>{preset.label}</option>
          ))}
          <option value={CUSTOM}>Custom range…</option>
        </select>
      </div>

      {custom && (
        <>
          <div className="flex flex-col gap-1">
            <label htmlFor="runs-from" className={LABEL}>From (local time)</label>
            <input
              id="runs-from"
              type="datetime-local"
              className={CONTROL}
              value={utcIsoToLocalInput(urlIsCustom ? filters.since : null)}
              onChange={(event) => {
                const since = localInputToUtcIso(event.target.value);
                onChange({ ...filters, since, until: since ? filters.until : null });
              }}
            />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="runs-until" className={LABEL}>To (local time, optional)</label>
            <input
              id="runs-until"
              type="datetime-local"
              className={CONTROL}
              disabled={!urlIsCustom}
              value={utcIsoToLocalInput(urlIsCustom ? filters.until : null)}
              onChange={(event) => onChange({ ...filters, until: localInputToUtcIso(event.target.value) })}
            />
          </div>
        </>
      )}

      {active && (
        <Button
          onClick={() => {
            setCustomChosen(false);
            onChange({ status: null, deployment: null, since: null, until: null });
          }}
        >
          Clear filters
        </Button>
      )}
    </form>
  );
}
