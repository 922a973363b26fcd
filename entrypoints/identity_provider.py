"""Which identity provider's JWTs this server accepts, from the DAGY_JWT_* settings.

Its own module so that the settings' rules (all three or none; DAGY_JWT_REQUIRED needs
them) have one owner, which `dagy server` and the Lambda handlers share through
wiring.build_deps. The adapter (PyJWT, cryptography) is imported only when configured.
"""

from __future__ import annotations

from dagy.application.ports.identity_tokens import IdentityTokenVerifier
from dagy.domain.errors import ConfigurationError
from dagy.entrypoints.settings import DagySettings

JWT_SETTINGS = ("DAGY_JWT_ISSUER", "DAGY_JWT_AUDIENCE", "DAGY_JWKS_URL")


def identity_token_verifier(settings: DagySettings) -> IdentityTokenVerifier | None:
    """The identity provider's JWT verifier when DAGY_JWT_ISSUER, DAGY_JWT_AUDIENCE and
    DAGY_JWKS_URL are all set; None when none is (and DAGY_JWT_REQUIRED is off). Some but
    not all, or DAGY_JWT_REQUIRED without them, is a ConfigurationError at start: a server
    that silently accepted no JWTs would lock its people out, or let passwords back in."""
    values = [settings.jwt_issuer, settings.jwt_audience, settings.jwks_url]
    missing = [name for name, value in zip(JWT_SETTINGS, values) if not (value or "").strip()]
    if len(missing) == len(JWT_SETTINGS) and not settings.jwt_required:
        return None
    if missing:
        why = "DAGY_JWT_REQUIRED=true" if settings.jwt_required else "JWT verification"
        raise ConfigurationError(f"{why} needs {', '.join(JWT_SETTINGS)}; missing: "
                                 f"{', '.join(missing)}")
    from dagy.adapters.auth.jwks_verifier import JwksTokenVerifier
    issuer, audience, url = (value.strip() for value in values)  # type: ignore[union-attr]
    return JwksTokenVerifier(url, issuer, audience)
