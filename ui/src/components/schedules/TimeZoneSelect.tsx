"use client";

/** The schedule's time zone: a select of every zone this browser knows
 * (Intl.supportedValuesOf), or a text box for a name the list lacks ("Other…") or when
 * the browser cannot list zones. The API refuses an unknown name with a 422. */

import { useMemo, useState } from "react";

import { timeZoneNames } from "@/lib/schedules/zoned";

import { InputRow, SelectRow } from "@/components/forms/FormControls";

const OTHER = "__other__";

export function TimeZoneSelect({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: string;
  onChange: (zone: string) => void;
  error?: string;
}) {
  const zones = useMemo(() => timeZoneNames(), []);
  const listed = zones.includes(value);
  const [typing, setTyping] = useState(!listed && value !== "");
  const canList = zones.length > 10;

  if (typing || !canList) {
    return (
      <div className="flex flex-col gap-1">
        <InputRow
          id={id}
          label="Time zone (IANA name)"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          placeholder="Europe/Berlin"
          hint="An IANA zone name such as UTC, Europe/Berlin or America/New_York."
          error={error}
          required
        />
        {canList && (
          <button type="button" className="self-start text-sm text-blue-800 underline" onClick={() => setTyping(false)}>
            Choose from the list instead
          </button>
        )}
      </div>
    );
  }
  return (
    <SelectRow
      id={id}
      label="Time zone"
      value={value}
      error={error}
      onChange={(event) => {
        if (event.target.value === OTHER) setTyping(true);
        else onChange(event.target.value);
      }}
      options={[...zones.map((zone) => ({ value: zone, label: zone })), { value: OTHER, label: "Other (type a name)…" }]}
    />
  );
}
