import { describe, expect, it } from "vitest";

import { keyState } from "@/lib/settings/apiKeys";
import { actorLabel, changeSummary } from "@/lib/settings/audit";
import { changesOf, createBody, formOf, parseConfig, type EnvironmentView } from "@/lib/settings/environments";
import { assignableRoles, mayManage } from "@/lib/settings/roles";
import { scopeLabel, scopeQuery, secretNameProblem, secretValueProblem } from "@/lib/settings/secrets";
import { roleNeededFor } from "@/lib/settings/sections";

describe("roles", () => {
  it("offers no role above the caller's", () => {
    expect(assignableRoles("admin")).toEqual(["viewer", "operator", "developer", "admin"]);
    expect(assignableRoles("owner")).toContain("owner");
  });
  it("lets an admin manage admins but not owners", () => {
    expect(mayManage("admin", "admin")).toBe(true);
    expect(mayManage("admin", "owner")).toBe(false);
    expect(mayManage("owner", "owner")).toBe(true);
  });
  it("names the role a section needs", () => {
    expect(roleNeededFor("members:read")).toBe("viewer");
    expect(roleNeededFor("secrets:read")).toBe("developer");
    expect(roleNeededFor("audit:read")).toBe("admin");
    expect(roleNeededFor("api_keys:read")).toBe("admin");
  });
});

describe("secrets", () => {
  it("accepts environment-variable names only", () => {
    expect(secretNameProblem("API_TOKEN")).toBeNull();
    expect(secretNameProblem("_x1")).toBeNull();
    expect(secretNameProblem("1TOKEN")).not.toBeNull();
    expect(secretNameProblem("API-TOKEN")).not.toBeNull();
    expect(secretNameProblem("")).not.toBeNull();
    expect(secretNameProblem("A".repeat(129))).not.toBeNull();
  });
  it("checks a value's size in UTF-8 bytes and refuses NUL", () => {
    expect(secretValueProblem("s3cr3t")).toBeNull();
    expect(secretValueProblem("")).not.toBeNull();
    expect(secretValueProblem("a\0b")).not.toBeNull();
    expect(secretValueProblem("é".repeat(32768))).toBeNull();
    expect(secretValueProblem("é".repeat(32769))).not.toBeNull();
  });
  it("sends no environment for org-wide", () => {
    expect(scopeQuery(null)).toEqual({});
    expect(scopeQuery("staging")).toEqual({ environment: "staging" });
    expect(scopeLabel(null)).toBe("org-wide");
  });
});

const staging: EnvironmentView = {
  env_name: "staging",
  is_protected: false,
  default_executor: null,
  default_runtime_tier: "small",
  config_json: { region: "eu-west-1" },
  created_at: null,
  updated_at: null,
};

describe("environments", () => {
  it("parses the config as a JSON object only", () => {
    expect(parseConfig('{"a": 1}')).toEqual({ value: { a: 1 } });
    expect(parseConfig("  ")).toEqual({ value: {} });
    expect(parseConfig("[1]")).toHaveProperty("error");
    expect(parseConfig("{oops")).toHaveProperty("error");
  });
  it("patches only the fields that changed", () => {
    expect(changesOf(staging, formOf(staging))).toEqual({ changes: {} });
    const form = { ...formOf(staging), tier: "", executor: "docker", config: '{"region": "us-east-1"}' };
    expect(changesOf(staging, form)).toEqual({
      changes: { default_executor: "docker", default_runtime_tier: null, config_json: { region: "us-east-1" } },
    });
    expect(changesOf(staging, { ...formOf(staging), isProtected: true })).toEqual({ changes: { is_protected: true } });
  });
  it("builds a create body and refuses a bad name", () => {
    expect(createBody({ ...formOf(null), name: "qa", tier: "small" })).toEqual({
      body: { env_name: "qa", is_protected: false, default_executor: null, default_runtime_tier: "small", config_json: {} },
    });
    expect(createBody({ ...formOf(null), name: "QA" })).toHaveProperty("error");
    expect(createBody({ ...formOf(null), name: "qa-" })).toHaveProperty("error");
  });
});

describe("audit display", () => {
  const people = new Map([["u1", "ann@example.com"]]);
  const keys = new Map([["k1", "ci"]]);
  it("names known actors and leaves others as the API wrote them", () => {
    expect(actorLabel("user:u1", people, keys)).toBe("ann@example.com");
    expect(actorLabel("key:k1", people, keys)).toBe("API key ci");
    expect(actorLabel("user:u2", people, keys)).toBe("user:u2");
    expect(actorLabel("system", people, keys)).toBe("system");
  });
  it("summarises a change", () => {
    expect(changeSummary(null, { a: 1 })).toBe("created");
    expect(changeSummary({ a: 1 }, null)).toBe("deleted");
    expect(changeSummary({ a: 1, b: 2 }, { a: 1, b: 3, c: 4 })).toBe("changed b, c");
  });
});

describe("keyState", () => {
  const now = Date.parse("2026-12-04T12:00:00Z");
  it("says revoked, expired or active", () => {
    expect(keyState({ revoked: true, expires_at: null }, now)).toBe("revoked");
    expect(keyState({ revoked: false, expires_at: "2026-12-01T00:00:00Z" }, now)).toBe("expired");
    expect(keyState({ revoked: false, expires_at: null }, now)).toBe("active");
  });
});
