import { describe, expect, it } from "vitest";

import type { FlowSpecParameter } from "@/lib/dag/types";
import {
  buildParameters,
  fieldsOf,
  initialValues,
  kindOf,
  parseField,
  problemsFromApi,
  type FieldValue,
} from "@/lib/deployments/paramForm";

const p = (name: string, type: string, extra: Partial<FlowSpecParameter> = {}): FlowSpecParameter => ({
  name,
  type,
  required: false,
  default: null,
  nullable: false,
  ...extra,
});
const v = (text: string, extra: Partial<FieldValue> = {}): FieldValue => ({ text, checked: false, isNull: false, ...extra });

const SPEC: FlowSpecParameter[] = [
  p("source", "string", { default: "demo" }),
  p("rows", "integer", { default: 10 }),
  p("ratio", "number", { default: 0.5 }),
  p("dry_run", "boolean", { default: false }),
  p("tables", "array", { default: ["a"] }),
  p("options", "object", { default: { deep: true } }),
  p("extra", "any", { default: 3 }),
  p("date", "string", { required: true }),
  p("limit", "integer", { nullable: true, default: null }),
];

describe("fieldsOf", () => {
  it("picks an input by type: text, number with a step, checkbox, JSON for the rest", () => {
    expect(["string", "integer", "number", "boolean", "array", "object", "any", "null"].map(kindOf)).toEqual([
      "text", "number", "number", "checkbox", "json", "json", "json", "json",
    ]);
    const fields = fieldsOf(SPEC);
    expect(fields.find((f) => f.name === "rows")!.step).toBe("1");
    expect(fields.find((f) => f.name === "ratio")!.step).toBe("any");
    expect(fields.find((f) => f.name === "source")!.step).toBeUndefined();
  });
  it("says where each value starts from: the deployment, else the flow's default, else nothing", () => {
    const fields = fieldsOf(SPEC, { rows: 5 });
    expect(fields.find((f) => f.name === "rows")!.defaultFrom).toBe("deployment");
    expect(fields.find((f) => f.name === "source")!.defaultFrom).toBe("flow");
    expect(fields.find((f) => f.name === "date")!.defaultFrom).toBeNull();
    expect(fields.find((f) => f.name === "date")!.required).toBe(true);
  });
});

describe("initialValues", () => {
  it("starts from the deployment's parameters, then the spec's defaults", () => {
    const values = initialValues(SPEC, { rows: 5, date: "2026-12-01" });
    expect(values.rows!.text).toBe("5");
    expect(values.date!.text).toBe("2026-12-01");
    expect(values.source!.text).toBe("demo");
    expect(values.ratio!.text).toBe("0.5");
    expect(values.dry_run!.checked).toBe(false);
    expect(JSON.parse(values.tables!.text)).toEqual(["a"]);
    expect(JSON.parse(values.options!.text)).toEqual({ deep: true });
    expect(values.extra!.text).toBe("3");
  });
  it("a nullable parameter whose default is null starts on the null choice", () => {
    expect(initialValues(SPEC).limit).toEqual({ text: "", checked: false, isNull: true });
  });
  it("a deployment's true boolean is checked; a required parameter without value starts blank", () => {
    const values = initialValues(SPEC, { dry_run: true });
    expect(values.dry_run!.checked).toBe(true);
    expect(values.date!.text).toBe("");
  });
});

describe("buildParameters", () => {
  const fields = fieldsOf(SPEC);
  it("turns the starting values (plus the required one) into typed parameters", () => {
    const values = { ...initialValues(SPEC), date: v("2026-12-04") };
    expect(buildParameters(fields, values)).toEqual({
      ok: true,
      parameters: {
        source: "demo", rows: 10, ratio: 0.5, dry_run: false, tables: ["a"], options: { deep: true },
        extra: 3, date: "2026-12-04", limit: null,
      },
    });
  });
  it("reports every field that does not fit, and nothing else", () => {
    const values = {
      ...initialValues(SPEC),
      rows: v("1.5"),
      ratio: v("abc"),
      tables: v("{\"a\": 1}"),
      options: v("{oops"),
    };
    const result = buildParameters(fields, values);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(["date", "options", "ratio", "rows", "tables"]);
    expect(result.errors.rows).toMatch(/whole number/);
    expect(result.errors.ratio).toMatch(/number/);
    expect(result.errors.tables).toMatch(/an array/);
    expect(result.errors.options).toMatch(/^Not valid JSON/);
    expect(result.errors.date).toMatch(/required/);
  });
  it("leaves out a blank optional field so the server's default applies", () => {
    const result = buildParameters(fieldsOf([p("rows", "integer", { default: 10 }), p("source", "string", { default: "x" })]), {
      rows: v("  "),
      source: v(""),
    });
    expect(result).toEqual({ ok: true, parameters: {} });
  });
});

describe("parseField", () => {
  const [source, rows, ratio, , tables, options, extra, date, limit] = fieldsOf(SPEC);
  it("keeps a string as typed, spaces and all; a required one may not be blank", () => {
    expect(parseField(source!, v(" a b "))).toEqual({ value: " a b " });
    expect(parseField(date!, v(""))).toEqual({ error: "A value is required." });
  });
  it("reads integers and numbers, refusing what is not one", () => {
    expect(parseField(rows!, v("42"))).toEqual({ value: 42 });
    expect(parseField(rows!, v("-3"))).toEqual({ value: -3 });
    expect(parseField(rows!, v("1e3"))).toEqual({ value: 1000 });
    expect(parseField(rows!, v("2.5"))).toHaveProperty("error");
    expect(parseField(rows!, v("12345678901234567890"))).toEqual({ error: "This whole number is too large to send exactly." });
    expect(parseField(rows!, v("1e999"))).toEqual({ error: "Enter a number." });
    expect(parseField(ratio!, v("2.5"))).toEqual({ value: 2.5 });
    expect(parseField(ratio!, v("NaN"))).toEqual({ error: "Enter a number." });
  });
  it("refuses what the browser could not read as a number instead of sending the default", () => {
    expect(parseField(rows!, v("", { badInput: true }))).toEqual({ error: "Enter a number." });
  });
  it("checks a JSON field's type; any takes every JSON value", () => {
    expect(parseField(tables!, v("[1, 2]"))).toEqual({ value: [1, 2] });
    expect(parseField(options!, v("[1]"))).toEqual({ error: "Must be an object in JSON." });
    expect(parseField(options!, v("null"))).toEqual({ error: "Must be an object, not null." });
    expect(parseField(extra!, v("null"))).toEqual({ value: null });
    expect(parseField(extra!, v("\"text\""))).toEqual({ value: "text" });
  });
  it("the null choice wins over what is typed, only for a nullable parameter", () => {
    expect(parseField(limit!, v("7", { isNull: true }))).toEqual({ value: null });
    expect(parseField(limit!, v("7"))).toEqual({ value: 7 });
    expect(parseField(rows!, v("7", { isNull: true }))).toEqual({ value: 7 });
  });
  it("a checkbox is always sent as true or false", () => {
    const [flag] = fieldsOf([p("flag", "boolean", { required: true })]);
    expect(parseField(flag!, v("", { checked: true }))).toEqual({ value: true });
    expect(parseField(flag!, v(""))).toEqual({ value: false });
  });
});

describe("problemsFromApi", () => {
  const names = ["rows", "source", "it's"];
  it("puts the parameter binder's sentences next to the fields they name", () => {
    const problems = problemsFromApi(
      ["unknown parameter 'bogus'", "parameter 'rows' must be integer, got str", "missing required parameter 'source'"],
      "unknown parameter 'bogus'; ...",
      names,
    );
    expect(problems.fields).toEqual({
      rows: "parameter 'rows' must be integer, got str",
      source: "missing required parameter 'source'",
    });
    expect(problems.general).toEqual(["unknown parameter 'bogus'"]);
  });
  it("reads Python's double-quoted repr of a name holding a quote", () => {
    expect(problemsFromApi(["parameter \"it's\" must be string, got int"], "", names).fields).toHaveProperty("it's");
  });
  it("maps the request validator's loc under body.parameters", () => {
    const problems = problemsFromApi(
      [
        { loc: ["body", "parameters", "rows"], msg: "bad", type: "x" },
        { loc: ["body", "deployment_name"], msg: "too long", type: "x" },
      ],
      "body.parameters.rows: bad (and 1 more)",
      names,
    );
    expect(problems.fields).toEqual({ rows: "body.parameters.rows: bad" });
    expect(problems.general).toEqual(["body.deployment_name: too long"]);
  });
  it("without details, the message goes to the field it places, else to the top", () => {
    expect(problemsFromApi(null, "parameters cannot be stored: a lone surrogate at parameters.source", names).fields).toHaveProperty("source");
    expect(problemsFromApi(null, "deployment 'x' is paused", names)).toEqual({ fields: {}, general: ["deployment 'x' is paused"] });
  });
  it("joins two problems of one field", () => {
    const problems = problemsFromApi(["parameter 'rows' a", "parameter 'rows' b"], "", names);
    expect(problems.fields.rows).toBe("parameter 'rows' a; parameter 'rows' b");
  });
});
