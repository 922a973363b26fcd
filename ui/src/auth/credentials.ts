/** The caller's credentials, kept for this browser tab only (sessionStorage): an API
 * key, or a person's access/refresh token pair from POST /auth/login. Nothing goes
 * to localStorage or cookies, so closing the tab signs out. */

export type Credentials =
  | { kind: "apiKey"; apiKey: string }
  | { kind: "session"; accessToken: string; refreshToken: string; expiresAt: number };

const STORAGE_KEY = "dagy.credentials";
const ORG_KEY = "dagy.org";

export function loadCredentials(): Credentials | null {
  if (typeof window === "undefined") return null;
  const raw = window.sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Credentials;
    return value.kind === "apiKey" || value.kind === "session" ? value : null;
  } catch {
    return null;
  }
}

export function saveCredentials(credentials: Credentials): void {
  window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
}

export function clearCredentials(): void {
  window.sessionStorage.removeItem(STORAGE_KEY);
  window.sessionStorage.removeItem(ORG_KEY);
}

/** The org a person chose (sent as X-Dagy-Org); null: the API's default for them. */
export function loadOrg(): string | null {
  return typeof window === "undefined" ? null : window.sessionStorage.getItem(ORG_KEY);
}

export function saveOrg(orgId: string): void {
  window.sessionStorage.setItem(ORG_KEY, orgId);
}

/** The bearer token to send now (the access token or the key), or null. */
export function bearerToken(credentials: Credentials | null): string | null {
  if (!credentials) return null;
  return credentials.kind === "apiKey" ? credentials.apiKey : credentials.accessToken;
}

/** A session whose access token expires within `marginMs` should be refreshed first. */
export function needsRefresh(credentials: Credentials | null, now: number, marginMs = 30_000): boolean {
  return credentials?.kind === "session" && credentials.expiresAt - marginMs <= now;
}
