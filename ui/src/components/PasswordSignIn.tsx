"use client";

/** Sign in with email and password: POST /auth/login, keep the token pair. */

import { useState } from "react";

import { errorMessage, publicApi, sessionFromTokens } from "@/api/client";
import { saveCredentials } from "@/auth/credentials";

import { ErrorNote } from "./ErrorNote";
import { Field } from "./Field";
import { useSignIn } from "./useSignIn";

export function PasswordSignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, submit } = useSignIn(async () => {
    const { data, error: failure } = await publicApi.POST("/auth/login", { body: { email, password } });
    if (!data) return errorMessage(failure, "Signing in failed.");
    saveCredentials(sessionFromTokens(data));
    return null;
  }, onSignedIn);

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Sign in with email">
      <Field id="email" label="Email" type="email" autoComplete="username" required
        value={email} onChange={(e) => setEmail(e.target.value)} />
      <Field id="password" label="Password" type="password" autoComplete="current-password" required
        value={password} onChange={(e) => setPassword(e.target.value)} />
      <ErrorNote message={error} />
      <button type="submit" disabled={busy}
        className="rounded bg-blue-700 px-4 py-2 font-medium text-white hover:bg-blue-800 disabled:opacity-60">
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
