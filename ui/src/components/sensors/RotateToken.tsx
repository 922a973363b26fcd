"use client";

/** Rotate a webhook's token (POST /sensors/{id}/rotate-token) after a confirmation: the
 * old URL answers 404 at once, and the new one is shown once, from this component's
 * memory only. */

import { useState } from "react";

import { api } from "@/api/client";
import { ConfirmButton } from "@/components/ConfirmButton";
import { unwrap } from "@/lib/apiCall";

import { WebhookCredential, type WebhookSecret } from "./WebhookCredential";

export function RotateToken({ id }: { id: string }) {
  const [secret, setSecret] = useState<WebhookSecret | null>(null);
  return (
    <div className="flex flex-col gap-2">
      <div>
        <ConfirmButton
          label="Rotate token"
          title="Rotate this webhook's token?"
          tone="danger"
          confirmLabel="Rotate"
          onConfirm={async () => {
            const sensor = await unwrap(api.POST("/sensors/{sensor_id}/rotate-token", { params: { path: { sensor_id: id } } }));
            if (sensor.webhook_token && sensor.webhook_path) setSecret({ token: sensor.webhook_token, path: sensor.webhook_path });
          }}
        >
          The current URL stops working at once (404); senders need the new one, which is shown only once.
        </ConfirmButton>
      </div>
      {secret && <WebhookCredential secret={secret} />}
    </div>
  );
}
