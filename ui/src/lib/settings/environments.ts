/** The environment form's fields to and from the API: the config is edited as JSON
 * text, and PATCH sends only the fields that changed (a protected environment's
 * change needs more rights, so nothing is sent that was not meant). */

import type { components } from "@/api/schema";

export type EnvironmentView = components["schemas"]["EnvironmentView"];
export type EnvironmentChanges = components["schemas"]["EnvironmentChanges"];
export type RuntimeTier = NonNullable<components["schemas"]["EnvironmentBody"]["default_runtime_tier"]>;

export const RUNTIME_TIERS: RuntimeTier[] = ["nano", "micro", "small", "medium", "large", "xlarge"];

export const ENV_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export type EnvironmentForm = {
  name: string;
  executor: string;
  /** "" for none */
  tier: string;
  isProtected: boolean;
  config: string;
};

export function formOf(env: EnvironmentView | null): EnvironmentForm {
  if (!env) return { name: "", executor: "", tier: "", isProtected: false, config: "{}" };
  return {
    name: env.env_name,
    executor: env.default_executor ?? "",
    tier: env.default_runtime_tier ?? "",
    isProtected: env.is_protected,
    config: JSON.stringify(env.config_json ?? {}, null, 2),
  };
}

/** The config text as a JSON object, or why it is not one. */
export function parseConfig(text: string): { value: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (caught) {
    return { error: `The config is not JSON: ${caught instanceof Error ? caught.message : String(caught)}` };
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) return { error: "The config must be a JSON object, e.g. {\"region\": \"eu-west-1\"}." };
  return { value: value as Record<string, unknown> };
}

export function nameProblem(name: string): string | null {
  if (!name) return "Give the environment a name.";
  if (name.length > 64 || !ENV_NAME.test(name)) return "A name is lower-case letters, digits and inner hyphens, up to 64 characters.";
  return null;
}

/** The POST body of a new environment. */
export function createBody(form: EnvironmentForm): { body: components["schemas"]["EnvironmentBody"] } | { error: string } {
  const problem = nameProblem(form.name.trim());
  if (problem) return { error: problem };
  const config = parseConfig(form.config);
  if ("error" in config) return config;
  return {
    body: {
      env_name: form.name.trim(),
      is_protected: form.isProtected,
      default_executor: form.executor.trim() || null,
      default_runtime_tier: (form.tier || null) as RuntimeTier | null,
      config_json: config.value,
    },
  };
}

/** The PATCH body: only what differs from `env`; empty when nothing changed. */
export function changesOf(env: EnvironmentView, form: EnvironmentForm): { changes: EnvironmentChanges } | { error: string } {
  const config = parseConfig(form.config);
  if ("error" in config) return config;
  const changes: EnvironmentChanges = {};
  const executor = form.executor.trim() || null;
  if (executor !== (env.default_executor ?? null)) changes.default_executor = executor;
  const tier = (form.tier || null) as RuntimeTier | null;
  if (tier !== (env.default_runtime_tier ?? null)) changes.default_runtime_tier = tier;
  if (form.isProtected !== env.is_protected) changes.is_protected = form.isProtected;
  if (JSON.stringify(config.value) !== JSON.stringify(env.config_json ?? {})) changes.config_json = config.value;
  return { changes };
}
