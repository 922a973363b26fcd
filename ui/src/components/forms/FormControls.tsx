/** The labelled form controls of every form (schedules, sensors, settings, sign-in via
 * Field): an input, a select, a text area and a checkbox, each with an optional hint and
 * field error tied to the control (aria-describedby), and the API's refusal of a form.
 * One place for the label/hint/error markup, so a change to it is made once. */

import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

const CONTROL =
  "rounded border border-slate-300 bg-white px-3 py-2 focus:outline-none focus:ring-2 focus:ring-blue-500 disabled:bg-slate-100";

type Common = { id: string; label: string; hint?: ReactNode; error?: string };

function Described({ id, label, hint, error, children }: Common & { children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-sm text-red-800">
          {error}
        </p>
      )}
    </div>
  );
}

function describedBy({ id, hint, error }: Common): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

export function InputRow({
  id,
  label,
  hint,
  error,
  className = "",
  ...input
}: Common & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <Described id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        className={`${CONTROL} ${className}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy({ id, label, hint, error })}
        {...input}
      />
    </Described>
  );
}

/** A select of `options`, or of its own <option> children when it has no options. */
export function SelectRow({
  id,
  label,
  hint,
  error,
  options,
  children,
  ...select
}: Common & SelectHTMLAttributes<HTMLSelectElement> & { options?: { value: string; label: string }[] }) {
  return (
    <Described id={id} label={label} hint={hint} error={error}>
      <select
        id={id}
        className={CONTROL}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy({ id, label, hint, error })}
        {...select}
      >
        {options
          ? options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))
          : children}
      </select>
    </Described>
  );
}

export function TextAreaRow({ id, label, hint, error, ...area }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return (
    <Described id={id} label={label} hint={hint} error={error}>
      <textarea
        id={id}
        className={`${CONTROL} font-mono text-sm`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy({ id, label, hint, error })}
        {...area}
      />
    </Described>
  );
}

/** A checkbox with its label on the right. */
export function CheckboxRow({
  id,
  label,
  ...input
}: { id: string; label: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "id">) {
  return (
    <div className="flex items-center gap-2">
      <input id={id} type="checkbox" className="h-4 w-4" {...input} />
      <label htmlFor={id} className="text-sm text-slate-700">
        {label}
      </label>
    </div>
  );
}

/** The API's refusal of a form: its message, then each problem it listed. */
export function SubmitError({ message, problems }: { message: string | null; problems: string[] }) {
  if (!message) return null;
  return (
    <div role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
      <p>{message}</p>
      {problems.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
