/** Secret names and scopes as the API has them: a name is an environment variable's
 * name; a scope is org-wide (no environment) or one environment. Values never pass
 * through here: they go from the password input straight into the PUT body. */

export const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Why `name` is not a secret name, or null when it is. */
export function secretNameProblem(name: string): string | null {
  if (!name) return "Give the secret a name.";
  if (name.length > 128) return "A name is at most 128 characters.";
  if (!SECRET_NAME.test(name)) return "A name is a letter or underscore, then letters, digits or underscores.";
  return null;
}

/** Why `value` cannot be stored, or null (1 to 65,536 UTF-8 bytes, no NUL). */
export function secretValueProblem(value: string): string | null {
  if (!value) return "Type the value.";
  if (value.includes("\0")) return "A value cannot contain a NUL character.";
  if (new TextEncoder().encode(value).length > 65536) return "A value is at most 65,536 bytes.";
  return null;
}

/** The select's value for org-wide; environment names are slugs, so never this. */
export const ORG_WIDE = "";

export function scopeLabel(environment: string | null | undefined): string {
  return environment ? environment : "org-wide";
}

/** The query of PUT/DELETE /secrets/{name}: no parameter for org-wide. */
export function scopeQuery(environment: string | null | undefined): { environment?: string } {
  return environment ? { environment } : {};
}
