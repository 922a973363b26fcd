"""Wire models of people's sessions: login, refresh, the token pair, password change.
Passwords and tokens are bounded here, so an oversized value is a 422 before any
password derivation runs."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from dagy.domain.access_tokens import MAX_TOKEN_CHARS
from dagy.domain.tenancy import MAX_EMAIL_CHARS

Password = Annotated[str, Field(min_length=1, max_length=1024)]


class LoginBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"email": "admin@localhost", "password": "the password"}]})

    email: Annotated[str, Field(min_length=3, max_length=MAX_EMAIL_CHARS)]
    password: Password


class RefreshBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    refresh_token: Annotated[str, Field(min_length=1, max_length=MAX_TOKEN_CHARS,
                                        description="dagyrt_<id>_<secret>")]


class PasswordChangeBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    current_password: Password
    new_password: Annotated[str, Field(min_length=12, max_length=1024)]


class TokenPairView(BaseModel):
    access_token: str = Field(description="dagyat_<id>_<secret>: send as "
                                          "`Authorization: Bearer ...`; shown once")
    refresh_token: str = Field(description="dagyrt_<id>_<secret>: exchange at POST "
                                           "/auth/refresh for a new pair; usable once")
    token_type: Literal["bearer"]
    expires_in: int = Field(description="seconds the access token lives")
    refresh_expires_in: int = Field(description="seconds the refresh token lives")


class LogoutView(BaseModel):
    revoked: int = Field(description="how many tokens of the session were revoked")
