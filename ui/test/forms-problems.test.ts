import { describe, expect, it } from "vitest";

import { ApiError } from "@/lib/apiCall";
import { problemsOf } from "@/lib/forms/problems";

describe("problemsOf", () => {
  it("lists request validation errors by field, without the body prefix", () => {
    const error = new ApiError("body.interval_seconds: too small (and 1 more)", 422, "invalid", [
      { type: "greater_than_equal", loc: ["body", "interval_seconds"], msg: "too small", input: 0 },
      { type: "enum", loc: ["body", "timezone"], msg: "not a zone", input: "Mars/Base" },
    ]);
    expect(problemsOf(error)).toEqual(["interval_seconds: too small", "timezone: not a zone"]);
  });

  it("lists parameter problems, but not one the message already says", () => {
    const many = new ApiError("parameters do not fit", 422, "invalid", ["unknown parameter 'a'", "missing required parameter 'b'"]);
    expect(problemsOf(many)).toEqual(["unknown parameter 'a'", "missing required parameter 'b'"]);
    const one = new ApiError("do not fit: unknown parameter 'a'", 422, "invalid", ["unknown parameter 'a'"]);
    expect(problemsOf(one)).toEqual([]);
  });

  it("is empty for errors without details", () => {
    expect(problemsOf(new ApiError("nope", 404, "not_found", null))).toEqual([]);
    expect(problemsOf(new Error("network"))).toEqual([]);
    expect(problemsOf(null)).toEqual([]);
  });
});
