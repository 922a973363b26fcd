/** An API key's state as words (the table never says it with colour alone). */

import type { components } from "@/api/schema";

import { isPast } from "./time";

type ApiKey = components["schemas"]["ApiKeyView"];

/** "active", "revoked" or "expired" at `now` (ms). */
export function keyState(key: Pick<ApiKey, "revoked" | "expires_at">, now: number): "active" | "revoked" | "expired" {
  if (key.revoked) return "revoked";
  return isPast(key.expires_at, now) ? "expired" : "active";
}
