"""Wire models of sensors and the webhook receiver. Secrets never appear in them."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from dagy.domain.states import RunStatus
from dagy.entrypoints.api.schemas_common import Page, Timestamp


class SensorView(BaseModel):
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


class SensorWithToken(SensorView):
    """Answered on create and on rotation only: the webhook token is a credential."""

    webhook_token: str | None = Field(None, description="webhook sensors only")
    webhook_path: str | None = Field(None, description="webhook sensors only: POST here")


class WebhookAccepted(BaseModel):
    run_id: str
    run_slug: str | None
    status: RunStatus


class SensorPage(Page[SensorView]):
    pass
