"use client";

/** One parameter of the trigger form: a text, number, checkbox or JSON input by the
 * parameter's type, an explicit "null" choice for a nullable one, "required" marked in
 * words, and its error (the form's own or the API's) tied to the input. */

import type { FieldValue, ParamField } from "@/lib/deployments/paramForm";

const INPUT =
  "rounded border border-slate-300 px-3 py-2 font-mono text-sm focus:outline-none focus:ring-2 focus:ring-blue-500 disabled:bg-slate-100";

export function ParamInput({
  field,
  value,
  error,
  onChange,
}: {
  field: ParamField;
  value: FieldValue;
  error?: string;
  onChange: (next: FieldValue) => void;
}) {
  const id = `param-${field.name}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const described = [hintId, error ? errorId : null].filter(Boolean).join(" ");
  const disabled = field.nullable && value.isNull;
  const common = {
    id,
    name: field.name,
    disabled,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": described,
    "aria-required": field.required && field.kind !== "checkbox" ? true : undefined,
  } as const;

  const hint = [
    field.type,
    field.required ? "required" : "optional",
    field.defaultFrom === "deployment" ? "starts from the deployment's value" : null,
    field.defaultFrom === "flow" ? "starts from the flow's default" : null,
    field.kind === "json" ? "JSON" : null,
  ]
    .filter(Boolean)
    .join(", ");

  return (
    <div className="flex flex-col gap-1" data-param={field.name}>
      {field.kind === "checkbox" ? (
        <div className="flex items-center gap-2">
          <input
            type="checkbox"
            {...common}
            checked={value.checked}
            onChange={(e) => onChange({ ...value, checked: e.target.checked })}
            className="h-4 w-4"
          />
          <label htmlFor={id} className="font-mono text-sm font-medium text-slate-800">
            {field.name}
            {field.required && <span className="ml-1 text-red-800">*</span>}
          </label>
        </div>
      ) : (
        <>
          <label htmlFor={id} className="font-mono text-sm font-medium text-slate-800">
            {field.name}
            {field.required && <span className="ml-1 text-red-800">*</span>}
          </label>
          {field.kind === "json" ? (
            <textarea
              {...common}
              rows={3}
              value={value.text}
              onChange={(e) => onChange({ ...value, text: e.target.value })}
              className={INPUT}
              spellCheck={false}
            />
          ) : (
            <input
              type={field.kind === "number" ? "number" : "text"}
              {...(field.step ? { step: field.step, inputMode: field.type === "integer" ? "numeric" : "decimal" } : {})}
              {...common}
              value={value.text}
              onChange={(e) => onChange({ ...value, text: e.target.value, badInput: e.target.validity.badInput })}
              className={INPUT}
            />
          )}
        </>
      )}
      <p id={hintId} className="text-xs text-slate-600">{hint}</p>
      {field.nullable && (
        <div className="flex items-center gap-2">
          <input
            type="checkbox"
            id={`${id}-null`}
            checked={value.isNull}
            onChange={(e) => onChange({ ...value, isNull: e.target.checked })}
            className="h-4 w-4"
          />
          <label htmlFor={`${id}-null`} className="text-sm text-slate-700">
            Send <code>null</code> for {field.name}
          </label>
        </div>
      )}
      {error && (
        <p id={errorId} className="text-sm text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}
