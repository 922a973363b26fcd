"""Wire models of sensors and the webhook receiver, built from the entities. Secrets never
appear in them: a configured `hmac_secret` is answered as `has_hmac_secret`, and the
webhook token only by SensorWithToken (on create and on rotation)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from dagy.domain.states import RunStatus
from dagy.entrypoints.api.schemas_common import EntityView, Page, Timestamp


class SensorView(EntityView):
    sensor_id: str
    name: str
    sensor_type: Literal["webhook", "s3", "polling"]
    deployment_name: str
    flow_name: str
    flow_params: dict[str, Any]
    config: dict[str, Any] = Field(description="without hmac_secret; webhooks say "
                                               "has_hmac_secret instead")
    enabled: bool
    cursor: str | None
    next_poll_epoch: int | None
    last_triggered_at: Timestamp
    created_at: Timestamp
    updated_at: Timestamp
    version: int

    @classmethod
    def from_entity(cls, entity: Any, **extra: Any) -> Any:
        config = {k: v for k, v in entity.config.items() if k != "hmac_secret"}
        if entity.sensor_type == "webhook":
            config["has_hmac_secret"] = bool(entity.hmac_secret_ciphertext
                                             or entity.config.get("hmac_secret"))
        return super().from_entity(entity, config=config, **extra)


class SensorWithToken(SensorView):
    """Answered on create and on rotation only: the webhook token is a credential."""

    webhook_token: str | None = Field(None, description="webhook sensors only")
    webhook_path: str | None = Field(None, description="webhook sensors only: POST here")

    @classmethod
    def from_entity(cls, entity: Any, **extra: Any) -> Any:
        """The token fields are set only when the sensor holds a plaintext token (the
        routes answer set fields only, so other sensor types do not show them)."""
        values = dict(SensorView.from_entity(entity, **extra))
        token = entity.webhook_token
        if token:
            values.update(webhook_token=token, webhook_path=f"/hooks/{token}")
        return cls.model_construct(**values)


class WebhookAccepted(EntityView):
    run_id: str
    run_slug: str | None
    status: RunStatus


class SensorPage(Page[SensorView]):
    pass
