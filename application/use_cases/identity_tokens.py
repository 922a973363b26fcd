"""People signing in with an identity provider's JWT: the token's account -> a Dagy user.

The provider says who the holder is; Dagy's memberships say what they may do. So:

- A user already linked to the account (`User.external_subject` == "<issuer>|<sub>")
  is that user.
- Otherwise the token's `email` finds the user with that email, unless the token says
  `email_verified: false` (anyone can type an unverified address at some providers),
  and the account is linked to that user on this first use: later tokens find them by
  `sub` even after their email changes at the provider. A user already linked to a
  different account of the provider is never relinked by email (that would let whoever
  holds the email at the provider take the person over).
- No user: 401. Dagy does not create users from tokens (no auto-provisioning): a person
  is invited or added to an org first, and the provider only proves who they are.

The org and role come from the person's memberships on every request (people.py), as
for Dagy's own access tokens, so a demotion applies to the next request whatever tokens
the provider issued. Verification may fetch the provider's keys: call this from a
worker thread, never from the event loop.
"""

from __future__ import annotations

from dagy.application.audit_trail import record
from dagy.application.deps import Deps
from dagy.application.ports.identity_tokens import ExternalIdentity
from dagy.application.ports.repositories import UnitOfWork
from dagy.application.principal import Principal
from dagy.application.use_cases.people import principal_for_user
from dagy.domain.errors import ConflictError, ValidationError
from dagy.domain.tenancy import AuthenticationError, User, normalize_email

JWT = "jwt"  # the Principal's credential_kind
NO_USER = "no Dagy user for this identity"
MAX_EXTERNAL_SUBJECT = 700  # users.external_subject
MAX_JTI_CHARS = 100


def authenticate_identity_token(deps: Deps, presented: str,
                                org_selector: str | None) -> Principal:
    """The Principal of a person presenting the provider's JWT, in the org `org_selector`
    (X-Dagy-Org) names. AuthenticationError for a token that does not verify or maps to
    no user, UnavailableError if the provider's keys cannot be fetched, NotFoundError
    for an org the person is not a member of."""
    if deps.identity_tokens is None:
        raise AuthenticationError("this server accepts no identity-provider JWTs (no "
                                  "DAGY_JWT_ISSUER, DAGY_JWT_AUDIENCE, DAGY_JWKS_URL)")
    identity = deps.identity_tokens.verify(presented)
    with deps.uow() as uow:
        user, linked = person_for_identity(uow, identity)
        principal = principal_for_user(deps, uow, user.user_id, org_selector,
                                       credential_id=_credential_id(identity), kind=JWT)
        if linked:
            record(uow, deps, principal, "user.link_identity", "user", user.user_id,
                   before={"external_subject": None},
                   after={"external_subject": user.external_subject})
            try:
                uow.commit()
            except ConflictError:  # linked to someone else by a concurrent first use
                raise AuthenticationError(NO_USER) from None
    return principal


def person_for_identity(uow: UnitOfWork, identity: ExternalIdentity) -> tuple[User, bool]:
    """(the user the identity maps to, whether this call linked it); AuthenticationError
    when there is none. A link is staged in `uow` (the caller commits it)."""
    subject = identity.external_subject
    if len(subject) > MAX_EXTERNAL_SUBJECT:
        raise AuthenticationError("invalid token: its issuer and subject are too long")
    user = uow.users.get_by_external_subject(subject)
    if user is not None:
        return user, False
    if identity.email is None:
        raise AuthenticationError(NO_USER)
    if identity.email_verified is False:
        raise AuthenticationError("the identity provider has not verified this email "
                                  "(email_verified is false)")
    try:
        email = normalize_email(identity.email)
    except ValidationError:
        raise AuthenticationError(NO_USER) from None
    user = uow.users.get_by_email(email)
    if user is None:
        raise AuthenticationError(NO_USER)
    if user.external_subject is not None:
        raise AuthenticationError("the Dagy user with this email is linked to another "
                                  "account of the identity provider")
    user.external_subject = subject
    try:
        uow.users.update(user)
    except ConflictError:  # linked to someone else by a concurrent first use
        raise AuthenticationError(NO_USER) from None
    return user, True


def _credential_id(identity: ExternalIdentity) -> str:
    """What the access log names the credential by: the token's `jti` when it has one."""
    jti = identity.claims.get("jti")
    return f"{JWT}:{jti}" if isinstance(jti, str) and 0 < len(jti) <= MAX_JTI_CHARS else JWT
