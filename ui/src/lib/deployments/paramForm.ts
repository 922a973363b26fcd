/** The trigger-run form, as pure functions: a flow's parameter schema (FlowSpec
 * parameters) becomes form fields with their starting values, the values a person
 * typed become the `parameters` object of POST /runs (or per-field type errors, caught
 * before a request), and the API's 422 answer is spread back onto the fields it names.
 *
 * Kept free of React so every rule is tested in ui/test/deployParamForm.test.ts. */

import type { FlowSpecParameter } from "@/lib/dag/types";

/** How a parameter is typed in: text box, number box, checkbox or JSON text area. */
export type FieldKind = "text" | "number" | "checkbox" | "json";

export type ParamField = {
  name: string;
  type: string;
  kind: FieldKind;
  required: boolean;
  nullable: boolean;
  /** the number input's step: "1" for integers, "any" for numbers */
  step?: string;
  /** where the starting value came from */
  defaultFrom: "deployment" | "flow" | null;
};

/** What the form holds for one field: the text typed, the checkbox, the "null" choice;
 * `badInput` when a number input holds text the browser cannot read as a number (its
 * value is then "", which must not pass for "not given"). */
export type FieldValue = { text: string; checked: boolean; isNull: boolean; badInput?: boolean };

export type FormValues = Record<string, FieldValue>;

export type BuildResult =
  | { ok: true; parameters: Record<string, unknown> }
  | { ok: false; errors: Record<string, string> };

const KINDS: Record<string, FieldKind> = {
  string: "text",
  integer: "number",
  number: "number",
  boolean: "checkbox",
  array: "json",
  object: "json",
};

export function kindOf(type: string): FieldKind {
  return KINDS[type] ?? "json"; // "any", "null" and anything newer: JSON
}

const has = (object: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/** The fields of a flow's parameters, with what each starts from. */
export function fieldsOf(
  parameters: FlowSpecParameter[],
  deploymentParameters: Record<string, unknown> = {},
): ParamField[] {
  return parameters.map((p) => {
    const kind = kindOf(p.type);
    const defaultFrom = has(deploymentParameters, p.name) ? "deployment" : p.required ? null : "flow";
    return {
      name: p.name,
      type: p.type,
      kind,
      required: p.required,
      nullable: p.nullable || p.type === "null",
      ...(kind === "number" ? { step: p.type === "integer" ? "1" : "any" } : {}),
      defaultFrom,
    };
  });
}

/** A value as the form shows it. */
export function valueOf(field: ParamField, value: unknown): FieldValue {
  const blank = { text: "", checked: false, isNull: false };
  if (value === null || value === undefined) return { ...blank, isNull: value === null && field.nullable };
  switch (field.kind) {
    case "checkbox":
      return { ...blank, checked: value === true };
    case "text":
      return { ...blank, text: typeof value === "string" ? value : JSON.stringify(value) };
    case "number":
      return { ...blank, text: typeof value === "number" ? String(value) : JSON.stringify(value) };
    default:
      return { ...blank, text: JSON.stringify(value, null, 2) };
  }
}

/** The starting values: the deployment's parameters first, then the flow's defaults. */
export function initialValues(
  parameters: FlowSpecParameter[],
  deploymentParameters: Record<string, unknown> = {},
): FormValues {
  const values: FormValues = {};
  for (const field of fieldsOf(parameters, deploymentParameters)) {
    const spec = parameters.find((p) => p.name === field.name);
    const start =
      field.defaultFrom === "deployment"
        ? deploymentParameters[field.name]
        : field.defaultFrom === "flow"
          ? spec?.default
          : undefined;
    values[field.name] = valueOf(field, start);
  }
  return values;
}

type One = { value: unknown } | { omit: true } | { error: string };

function fitsType(type: string, value: unknown): boolean {
  switch (type) {
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "null":
      return value === null;
    default:
      return true;
  }
}

/** One field's value for the request, nothing (the server's default applies), or why not. */
export function parseField(field: ParamField, value: FieldValue): One {
  if (field.nullable && value.isNull) return { value: null };
  if (field.kind === "checkbox") return { value: value.checked };
  if (field.kind === "number" && value.badInput) return { error: "Enter a number." };
  const text = field.kind === "text" ? value.text : value.text.trim();
  if (text === "") {
    // blank is "not given": the server's default for an optional one; a required
    // string left blank is far more often forgotten than meant to be ""
    return field.required ? { error: "A value is required." } : { omit: true };
  }
  if (field.kind === "text") return { value: text };
  if (field.kind === "number") {
    const number = Number(text);
    if (!Number.isFinite(number)) return { error: "Enter a number." };
    if (field.type === "integer") {
      if (!Number.isInteger(number)) return { error: "Enter a whole number." };
      if (!Number.isSafeInteger(number)) return { error: "This whole number is too large to send exactly." };
    }
    return { value: number };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (caught) {
    return { error: `Not valid JSON: ${caught instanceof Error ? caught.message : String(caught)}` };
  }
  if (parsed === null && !field.nullable && field.type !== "any") {
    return { error: `Must be ${article(field.type)}, not null.` };
  }
  if (parsed !== null && !fitsType(field.type, parsed)) return { error: `Must be ${article(field.type)} in JSON.` };
  return { value: parsed };
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The request's `parameters`, or an error for every field that does not fit. */
export function buildParameters(fields: ParamField[], values: FormValues): BuildResult {
  const parameters: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const one = parseField(field, values[field.name] ?? { text: "", checked: false, isNull: false });
    if ("error" in one) errors[field.name] = one.error;
    else if ("value" in one) parameters[field.name] = one.value;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, parameters };
}

/** The API's problems, by the field they name; the rest go at the top of the form. */
export type ServerProblems = { fields: Record<string, string>; general: string[] };

/** Spread a 422's `details` over the fields: the parameter binder's list of sentences
 * ("parameter 'rows' must be integer, got str", "missing required parameter 'x'",
 * "unknown parameter 'y'") or the request validator's list of {loc, msg}. A problem
 * naming no field of the form stays general, and so does `message` when there are no
 * details (a stored-value problem names its place as "at parameters.rows"). */
export function problemsFromApi(details: unknown, message: string, fieldNames: string[]): ServerProblems {
  const known = new Set(fieldNames);
  const result: ServerProblems = { fields: {}, general: [] };
  const put = (name: string | null, text: string) => {
    if (name !== null && known.has(name)) {
      result.fields[name] = result.fields[name] ? `${result.fields[name]}; ${text}` : text;
    } else {
      result.general.push(text);
    }
  };
  if (!Array.isArray(details) || details.length === 0) {
    const place = /\bat parameters(?:\.([A-Za-z_]\w*)|\[([^\]]+)\])/.exec(message);
    put(place ? (place[1] ?? place[2] ?? null) : null, message);
    return result;
  }
  for (const problem of details) {
    if (typeof problem === "string") {
      const named = /parameter (['"])(.*?)\1/.exec(problem);
      put(named ? named[2]! : null, problem);
    } else if (problem && typeof problem === "object") {
      const { loc, msg } = problem as { loc?: unknown; msg?: unknown };
      const text = typeof msg === "string" ? msg : JSON.stringify(problem);
      const path = Array.isArray(loc) ? loc.map(String) : [];
      const at = path.indexOf("parameters");
      put(at >= 0 && path.length > at + 1 ? path[at + 1]! : null, path.length ? `${path.join(".")}: ${text}` : text);
    } else {
      put(null, String(problem));
    }
  }
  return result;
}
