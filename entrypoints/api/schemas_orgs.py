"""Wire models of organizations, members and invitations. An invitation's token appears
only in InvitationCreated, the answer to the request that made it."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from dagy.domain.organizations import MAX_ORG_NAME_CHARS
from dagy.domain.permissions import Role
from dagy.domain.tenancy import MAX_EMAIL_CHARS
from dagy.entrypoints.api.schemas_common import EntityView, Page, Timestamp

AnyRole = Annotated[Role, Field(strict=False)]


class OrgBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"name": "data-team"}]})

    # the pattern is documented here and enforced by the domain (check_org_name), whose
    # message says what a slug is
    name: Annotated[str, Field(min_length=1, max_length=MAX_ORG_NAME_CHARS, description=(
        "a slug: lower-case letters, digits and hyphens; unique"), json_schema_extra={
            "pattern": "^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$"})]


class OrgView(EntityView):
    org_id: str
    name: str
    created_at: Timestamp
    role: Role = Field(description="the caller's role in this org")


class OrgList(BaseModel):
    items: list[OrgView] = Field(description="every org the caller belongs to, oldest "
                                             "membership first (an API key: its own org)")


class MemberView(BaseModel):
    user_id: str
    email: str | None
    role: Role
    joined_at: Timestamp


class RoleBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"role": "developer"}]})

    role: AnyRole = Field(description="never above the caller's own; an admin cannot "
                                      "make or change owners")


class InvitationBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"email": "ann@example.com", "role": "developer"}]})

    email: Annotated[str, Field(min_length=3, max_length=MAX_EMAIL_CHARS)]
    role: AnyRole = Field(description="the role the invitee gets; never above the caller's")


class InvitationView(EntityView):
    invitation_id: str
    email: str
    role: Role
    invited_by: str = Field(description="who invited: user:<id> or key:<id>")
    created_at: Timestamp
    expires_at: Timestamp


class InvitationCreated(InvitationView):
    token: str = Field(description="dagyinv_<id>_<secret>: what the invitee accepts with "
                                   "(POST /invitations/{token}/accept); shown in this "
                                   "answer only")


class AcceptBody(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={
        "examples": [{"password": "a long passphrase"}]})

    password: Annotated[str, Field(min_length=1, max_length=1024, description=(
        "a new person's password (12 to 1024 characters), or the existing password of "
        "the person who already has the invited email"))]


class AcceptedView(BaseModel):
    org_id: str
    org_name: str
    user_id: str
    email: str
    role: Role
    created_user: bool = Field(description="whether accepting made a new person")


MemberPage = Page[MemberView]
InvitationPage = Page[InvitationView]
