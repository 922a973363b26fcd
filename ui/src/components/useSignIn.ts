"use client";

/** The submit cycle both sign-in forms share: busy while one attempt runs, its error
 * message (or the control plane's silence) shown, `onSignedIn` once it succeeds. */

import { useState, type FormEvent } from "react";

/** `attempt` keeps the credentials and answers null, or answers why it failed. */
export type SignInAttempt = () => Promise<string | null>;

export function useSignIn(attempt: SignInAttempt, onSignedIn: () => void) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const failure = await attempt();
      if (failure) setError(failure);
      else onSignedIn();
    } catch {
      setError("The control plane did not answer.");
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, submit };
}
