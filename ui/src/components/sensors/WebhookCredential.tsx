"use client";

/** A webhook's URL and token, answered only on create and on rotation: shown once with
 * ShowOnce and kept only in the calling component's memory (never in the query cache,
 * the URL or storage), so leaving the page forgets it. */

import { API_BASE_URL } from "@/api/client";
import { ShowOnce } from "@/components/ShowOnce";
import { webhookUrl } from "@/lib/sensors/body";

export type WebhookSecret = { path: string; token: string };

export function WebhookCredential({ secret }: { secret: WebhookSecret }) {
  const url = webhookUrl(secret.path, API_BASE_URL, typeof window === "undefined" ? "" : window.location.origin);
  return (
    <div className="flex flex-col gap-2" data-testid="webhook-credential">
      <ShowOnce label="Webhook URL" value={url} />
      <ShowOnce label="Webhook token" value={secret.token} />
      <p className="text-sm text-slate-700">
        POST a JSON object to the URL (no Authorization header). A lost token cannot be recovered: rotate it on the
        sensor&apos;s page.
      </p>
    </div>
  );
}
