"use client";

/** Rotate a webhook's token (POST /sensors/{id}/rotate-token) after a confirmation: the
 * old URL answers 404 at once. The new URL and token go to `onRotated`, whose caller
 * shows them once from its own memory (never the query cache or storage). */

import { api } from "@/api/client";
import { ConfirmButton } from "@/components/ConfirmButton";
import { unwrap } from "@/lib/apiCall";

import type { WebhookSecret } from "./WebhookCredential";

export function RotateToken({ id, onRotated }: { id: string; onRotated: (secret: WebhookSecret) => void }) {
  return (
    <ConfirmButton
      label="Rotate token"
      title="Rotate this webhook's token?"
      tone="danger"
      confirmLabel="Rotate"
      onConfirm={async () => {
        const sensor = await unwrap(api.POST("/sensors/{sensor_id}/rotate-token", { params: { path: { sensor_id: id } } }));
        if (sensor.webhook_token && sensor.webhook_path) onRotated({ token: sensor.webhook_token, path: sensor.webhook_path });
      }}
    >
      The current URL stops working at once (404); senders need the new one, which is shown only once.
    </ConfirmButton>
  );
}
