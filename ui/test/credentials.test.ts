import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

class MemoryStorage {
  private items = new Map<string, string>();
  getItem(key: string) { return this.items.get(key) ?? null; }
  setItem(key: string, value: string) { this.items.set(key, value); }
  removeItem(key: string) { this.items.delete(key); }
}

beforeEach(() => {
  vi.stubGlobal("window", { sessionStorage: new MemoryStorage() });
  vi.stubEnv("NEXT_PUBLIC_DAGY_API_URL", "http://dagy.test"); // Node's fetch needs a full URL
  vi.resetModules();
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

describe("credentials", () => {
  it("keeps an API key or a session for the tab, and forgets them", async () => {
    const c = await import("@/auth/credentials");
    expect(c.loadCredentials()).toBeNull();
    c.saveCredentials({ kind: "apiKey", apiKey: "dagy_a_b" });
    expect(c.bearerToken(c.loadCredentials())).toBe("dagy_a_b");
    c.clearCredentials();
    expect(c.loadCredentials()).toBeNull();
  });

  it("ignores what it did not write", async () => {
    const c = await import("@/auth/credentials");
    window.sessionStorage.setItem("dagy.credentials", "{not json");
    expect(c.loadCredentials()).toBeNull();
    window.sessionStorage.setItem("dagy.credentials", JSON.stringify({ kind: "cookie" }));
    expect(c.loadCredentials()).toBeNull();
  });

  it("asks for a refresh 30 s before the access token expires, never for a key", async () => {
    const c = await import("@/auth/credentials");
    const session = { kind: "session", accessToken: "a", refreshToken: "r", expiresAt: 100_000 } as const;
    expect(c.needsRefresh(session, 60_000)).toBe(false);
    expect(c.needsRefresh(session, 70_000)).toBe(true);
    expect(c.needsRefresh({ kind: "apiKey", apiKey: "k" }, 1e15)).toBe(false);
  });
});

describe("the API client", () => {
  const pair = (n: number) => ({
    access_token: `dagyat_${n}`, refresh_token: `dagyrt_${n}`, token_type: "bearer",
    expires_in: 900, refresh_expires_in: 86_400,
  });
  const json = (body: unknown, status = 200) =>
    new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

  it("sends the bearer token and refreshes an expiring session once for concurrent requests", async () => {
    const c = await import("@/auth/credentials");
    c.saveCredentials({ kind: "session", accessToken: "dagyat_0", refreshToken: "dagyrt_0", expiresAt: 0 });
    const seen: string[] = [];
    vi.stubGlobal("fetch", vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      seen.push(`${request.method} ${url.pathname} ${request.headers.get("Authorization") ?? "-"}`);
      if (url.pathname === "/auth/refresh") return json(pair(1));
      return json({ items: [], next_cursor: null });
    }));
    const { api } = await import("@/api/client");
    await Promise.all([api.GET("/runs", {}), api.GET("/runs", {})]);
    expect(seen.filter((line) => line.startsWith("POST /auth/refresh"))).toHaveLength(1);
    expect(seen.filter((line) => line === "GET /runs Bearer dagyat_1")).toHaveLength(2);
    expect(c.loadCredentials()).toMatchObject({ accessToken: "dagyat_1", refreshToken: "dagyrt_1" });
  });

  it("retries a read once after a 401 with a refreshed token; a failed refresh signs out", async () => {
    const c = await import("@/auth/credentials");
    c.saveCredentials({ kind: "session", accessToken: "dagyat_0", refreshToken: "dagyrt_0", expiresAt: 1e15 });
    let refreshes = 0;
    vi.stubGlobal("fetch", vi.fn(async (request: Request) => {
      const url = new URL(request.url);
      if (url.pathname === "/auth/refresh") {
        refreshes += 1;
        return refreshes === 1 ? json(pair(1)) : json({ error: { code: "unauthenticated", message: "no" } }, 401);
      }
      return request.headers.get("Authorization") === "Bearer dagyat_1"
        ? json({ items: [], next_cursor: null })
        : json({ error: { code: "unauthenticated", message: "expired" } }, 401);
    }));
    const { api } = await import("@/api/client");
    expect((await api.GET("/runs", {})).response.status).toBe(200);
    c.saveCredentials({ kind: "session", accessToken: "dagyat_9", refreshToken: "dagyrt_1", expiresAt: 1e15 });
    const refused = await api.GET("/runs", {});
    expect(refused.response.status).toBe(401);
    expect(c.loadCredentials()).toBeNull();
  });

  it("sends a person's chosen org as X-Dagy-Org, never with an API key", async () => {
    const c = await import("@/auth/credentials");
    const orgs: (string | null)[] = [];
    vi.stubGlobal("fetch", vi.fn(async (request: Request) => {
      orgs.push(request.headers.get("X-Dagy-Org"));
      return json({ items: [], next_cursor: null });
    }));
    const { api } = await import("@/api/client");
    c.saveCredentials({ kind: "session", accessToken: "dagyat_0", refreshToken: "r", expiresAt: 1e15 });
    await api.GET("/runs", {});
    c.saveOrg("org_2");
    await api.GET("/runs", {});
    c.saveCredentials({ kind: "apiKey", apiKey: "dagy_a_b" });
    await api.GET("/runs", {});
    expect(orgs).toEqual([null, "org_2", null]);
    c.clearCredentials();
    expect(c.loadOrg()).toBeNull();
  });

  it("reads the API's error message", async () => {
    const { errorMessage } = await import("@/api/client");
    expect(errorMessage({ error: { code: "conflict", message: "paused" } })).toBe("paused");
    expect(errorMessage(undefined, "fallback")).toBe("fallback");
  });
});
