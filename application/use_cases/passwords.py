"""People's passwords: the bootstrap owner's first one, and changing one's own.

Only the PasswordHasher's stored form is kept (deps.password_hasher: scrypt). Changing a
password revokes every other session of that person, so whoever knew the old password
(or holds a token from it) is locked out, while the session that made the change stays;
the change is audited ("user.password_change", in the org the request acted in).
"""

from __future__ import annotations

from typing import Any

from dagy.application.audit_trail import record
from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.domain.errors import ConfigurationError, NotFoundError, ValidationError
from dagy.domain.permissions import ForbiddenError
from dagy.domain.tenancy import normalize_email

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024


def check_new_password(password: Any) -> str:
    """The password if it may be set; ValidationError (never echoing it) otherwise. Only
    the length is ruled (NIST SP 800-63B: any characters, spaces included)."""
    if not isinstance(password, str) or not (MIN_PASSWORD_CHARS <= len(password)
                                             <= MAX_PASSWORD_CHARS):
        raise ValidationError(f"a password is {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} "
                              "characters")
    return password


def set_initial_password(deps: Deps, email: str, password: str) -> bool:
    """Give the person with `email` this password if they have none yet (first start);
    True if it was set. A password set before (and maybe changed since) is kept."""
    hasher = _hasher(deps)
    check_new_password(password)
    with deps.uow() as uow:
        user = uow.users.get_by_email(normalize_email(email))
        if user is None:
            raise NotFoundError(f"no person with email {email!r}")
        if user.password_hash is not None:
            return False
        user.password_hash = hasher.hash(password)
        uow.users.update(user)
        uow.commit()
    return True


def has_password(deps: Deps, email: str) -> bool:
    with deps.uow() as uow:
        user = uow.users.get_by_email(normalize_email(email))
        return user is not None and user.password_hash is not None


def change_password(deps: Deps, principal: Principal, current: str, new: str) -> int:
    """Replace the caller's own password after checking the current one; revokes the
    person's other sessions and returns how many tokens that revoked.

    ForbiddenError for an API key (a service account has no password) or a wrong
    current password; ValidationError for a new password that is too short or long."""
    hasher = _hasher(deps)
    if principal.key_id is not None or principal.user_id is None:
        raise ForbiddenError("only a person can change their password; an API key has none")
    check_new_password(new)
    with deps.uow() as uow:
        user = uow.users.get(principal.user_id)
        if user is None:
            raise NotFoundError("person not found")
        stored = user.password_hash
        if not isinstance(current, str) or stored is None or not hasher.verify(current, stored):
            raise ForbiddenError("the current password is wrong")
        keep = None
        if principal.credential_id:
            token = uow.access_tokens.get(principal.credential_id)
            keep = token.family_id if token is not None else None
        user.password_hash = hasher.hash(new)
        uow.users.update(user)
        revoked = uow.access_tokens.revoke_user(user.user_id, keep_family=keep)
        record(uow, deps, principal, "user.password_change", "user", user.user_id,
               after={"other_sessions_tokens_revoked": revoked})
        uow.commit()
    return revoked


def _hasher(deps: Deps) -> Any:
    if deps.password_hasher is None:
        raise ConfigurationError("passwords are off: this server has no password hasher")
    return deps.password_hasher
