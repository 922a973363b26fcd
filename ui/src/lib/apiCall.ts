/** Turning openapi-fetch answers into values or errors TanStack Query understands.
 *
 * `unwrap` gives the body of a 2xx answer and throws an `ApiError` otherwise, carrying
 * the API's error shape `{"error": {"code", "message", "details"}}` so pages show the
 * API's own message (and forms its 422 details) instead of a generic one. */

import { errorMessage } from "@/api/client";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly details: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

export function apiErrorOf(error: unknown, response: Response): ApiError {
  const shape = (error as { error?: { code?: unknown; details?: unknown } } | undefined)?.error;
  const code = typeof shape?.code === "string" ? shape.code : null;
  const fallback = `The request failed (${response.status} ${response.statusText}).`.replace(" )", ")");
  return new ApiError(errorMessage(error, fallback), response.status, code, shape?.details ?? null);
}

/** The answer's body, or an ApiError. A 204 answers `undefined`. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw apiErrorOf(error, response);
  return data as T;
}

/** A thrown value's message for an ErrorNote. */
export function messageOf(error: unknown): string | null {
  if (!error) return null;
  return error instanceof Error ? error.message : String(error);
}
