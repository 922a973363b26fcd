/** The typed API client: openapi-fetch over the generated schema (schema.d.ts, from
 * `npm run gen:api`), with the caller's bearer token added to every request.
 *
 * A person's access token is refreshed (POST /auth/refresh) shortly before it expires
 * and once more after a 401; refresh tokens are single-use, so concurrent requests
 * share one refresh in flight. When refreshing fails the credentials are dropped and
 * the app goes back to the sign-in page. A person's chosen org (OrgSwitcher) goes in
 * X-Dagy-Org. */

import createClient, { type Middleware } from "openapi-fetch";

import {
  bearerToken,
  clearCredentials,
  loadCredentials,
  loadOrg,
  needsRefresh,
  saveCredentials,
  type Credentials,
} from "@/auth/credentials";

import type { components, paths } from "./schema";

export type RunView = components["schemas"]["RunView"];
export type RunStatus = components["schemas"]["RunStatus"];
export type TokenPair = components["schemas"]["TokenPairView"];
export type MeView = components["schemas"]["MeView"];

/** Same origin by default (the UI is served by `dagy server`); another for `next dev`. */
export const API_BASE_URL = process.env.NEXT_PUBLIC_DAGY_API_URL ?? "";

/** A client with no credentials: sign-in and refresh. */
export const publicApi = createClient<paths>({ baseUrl: API_BASE_URL });

export function sessionFromTokens(pair: TokenPair, now = Date.now()): Credentials {
  return {
    kind: "session",
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    expiresAt: now + pair.expires_in * 1000,
  };
}

let refreshing: Promise<Credentials | null> | null = null;

/** Exchange the refresh token once, however many requests ask at the same time. */
export function refreshSession(): Promise<Credentials | null> {
  refreshing ??= (async () => {
    const current = loadCredentials();
    if (current?.kind !== "session") return current;
    const { data } = await publicApi.POST("/auth/refresh", {
      body: { refresh_token: current.refreshToken },
    });
    if (!data) {
      clearCredentials();
      return null;
    }
    const next = sessionFromTokens(data);
    saveCredentials(next);
    return next;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

const retried = new WeakSet<Request>();

const authMiddleware: Middleware = {
  async onRequest({ request }) {
    let credentials = loadCredentials();
    if (needsRefresh(credentials, Date.now())) credentials = await refreshSession();
    const token = bearerToken(credentials);
    if (token) request.headers.set("Authorization", `Bearer ${token}`);
    // a person picks the org per request; an API key acts only in its own org
    const org = credentials?.kind === "session" ? loadOrg() : null;
    if (org) request.headers.set("X-Dagy-Org", org);
    return request;
  },
  async onResponse({ request, response }) {
    if (response.status !== 401 || retried.has(request)) return response;
    // a sent body cannot be sent again: only reads are retried after a refresh
    if (request.method !== "GET" && request.method !== "HEAD") return response;
    if (loadCredentials()?.kind !== "session") return response;
    const credentials = await refreshSession();
    const token = bearerToken(credentials);
    if (!token) return response;
    const again = new Request(request, { headers: new Headers(request.headers) });
    again.headers.set("Authorization", `Bearer ${token}`);
    retried.add(again);
    return fetch(again);
  },
};

/** The client every page uses. */
export const api = createClient<paths>({ baseUrl: API_BASE_URL });
api.use(authMiddleware);

/** The API's error message from its `{"error": {"code", "message"}}` shape. */
export function errorMessage(error: unknown, fallback = "The request failed."): string {
  const body = error as { error?: { message?: unknown } } | undefined;
  const message = body?.error?.message;
  return typeof message === "string" && message ? message : fallback;
}
