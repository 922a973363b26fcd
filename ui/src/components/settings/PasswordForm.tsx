"use client";

/** Changing one's own password (PUT /me/password): the current one, the new one
 * twice. Every other session of the person is signed out; this one stays. Only for
 * people signed in with a password: an API key has none. */

import { useState, type FormEvent } from "react";

import { api, type MeView } from "@/api/client";
import { Button } from "@/components/Button";
import { ErrorNote } from "@/components/ErrorNote";
import { Field } from "@/components/Field";
import { messageOf, unwrap } from "@/lib/apiCall";

export const MIN_PASSWORD = 12;

export function PasswordForm({ me }: { me: MeView }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  if (me.credential !== "access_token") {
    return (
      <p className="rounded border border-slate-300 bg-white p-4 text-slate-700">
        {me.credential === "api_key"
          ? "You are signed in with an API key, which has no password. Sign in with your email to change your password."
          : "You signed in through your identity provider: change your password there."}
      </p>
    );
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(false);
    if (next.length < MIN_PASSWORD) return setError(`The new password needs at least ${MIN_PASSWORD} characters.`);
    if (next !== again) return setError("The two new passwords differ.");
    setError(null);
    setBusy(true);
    try {
      await unwrap(api.PUT("/me/password", { body: { current_password: current, new_password: next } }));
      setCurrent("");
      setNext("");
      setAgain("");
      setDone(true);
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} aria-labelledby="password-heading" className="flex max-w-md flex-col gap-3 rounded border border-slate-200 bg-white p-4">
      <h2 id="password-heading" className="text-lg font-semibold">Change password</h2>
      <p className="text-sm text-slate-700">Signed in as {me.email}. Your other sessions are signed out when it changes.</p>
      <input type="text" name="username" autoComplete="username" value={me.email ?? ""} readOnly hidden />
      <Field id="current-password" label="Current password" type="password" autoComplete="current-password" required value={current} onChange={(event) => setCurrent(event.target.value)} />
      <Field id="new-password" label={`New password (at least ${MIN_PASSWORD} characters)`} type="password" autoComplete="new-password" required minLength={MIN_PASSWORD} value={next} onChange={(event) => setNext(event.target.value)} />
      <Field id="new-password-again" label="New password again" type="password" autoComplete="new-password" required value={again} onChange={(event) => setAgain(event.target.value)} />
      <ErrorNote message={error} />
      {done && <p role="status" className="rounded bg-green-50 px-3 py-2 text-sm text-green-900">Password changed.</p>}
      <div>
        <Button type="submit" tone="primary" disabled={busy || !current || !next || !again}>
          {busy ? "Changing…" : "Change password"}
        </Button>
      </div>
    </form>
  );
}
