"""Wire models of secrets: a value goes in, only metadata ever comes out."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from dagy.domain.environments import MAX_NAME_CHARS as MAX_ENV_CHARS
from dagy.domain.secrets import MAX_VALUE_BYTES
from dagy.entrypoints.api.schemas_common import EntityView, Page, Timestamp

#: An environment's name (dagy.domain.environments.check_env_name is the rule).
ENV_PATTERN = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"
#: A secret's name (dagy.domain.secrets.check_secret_name is the rule; this mirrors it).
NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]{0,127}$"
#: The scope of a secret: an environment's name; absent or null: org-wide.
Scope = Annotated[str | None, Field(max_length=MAX_ENV_CHARS, pattern=ENV_PATTERN, description=(
    "the environment the secret is scoped to; null or absent: org-wide"))]


class SecretBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"value": "s3cr3t", "environment": "staging"}]})

    # size checked by dagy.domain.secrets.check_secret_value, whose message never echoes it
    value: str = Field(min_length=1, description=(
        f"the secret value: 1 to {MAX_VALUE_BYTES} UTF-8 bytes, no NUL; stored encrypted, "
        "never answered"))
    environment: Scope = None


class SecretView(EntityView):
    """A secret's metadata; the value is never part of any answer."""

    name: str
    environment: str | None = Field(description="null: org-wide")
    created_at: Timestamp
    updated_at: Timestamp
    created_by: str | None
    updated_by: str | None


SecretPage = Page[SecretView]
