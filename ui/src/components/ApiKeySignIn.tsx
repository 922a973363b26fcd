"use client";

/** Sign in with an API key: checked with GET /me before it is kept. */

import { useState } from "react";

import { errorMessage, publicApi } from "@/api/client";
import { saveCredentials } from "@/auth/credentials";

import { ErrorNote } from "./ErrorNote";
import { Field } from "./Field";
import { useSignIn } from "./useSignIn";

export function ApiKeySignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [apiKey, setApiKey] = useState("");
  const { busy, error, submit } = useSignIn(async () => {
    const key = apiKey.trim();
    const { data, error: failure } = await publicApi.GET("/me", {
      headers: { Authorization: `Bearer ${key}` },
    });
    if (!data) return errorMessage(failure, "The API key was not accepted.");
    saveCredentials({ kind: "apiKey", apiKey: key });
    return null;
  }, onSignedIn);

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Sign in with an API key">
      <Field id="api-key" label="API key" type="password" autoComplete="off" required
        placeholder="dagy_…" value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
      <ErrorNote message={error} />
      <button type="submit" disabled={busy}
        className="rounded border border-slate-400 px-4 py-2 font-medium hover:bg-slate-100 disabled:opacity-60">
        {busy ? "Checking…" : "Use API key"}
      </button>
    </form>
  );
}
