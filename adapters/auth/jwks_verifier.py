"""IdentityTokenVerifier over a JWKS endpoint, with PyJWT.

Algorithms are pinned (RS256, ES256: asymmetric only, so a token "signed" with HMAC
using the public key as its secret, or with alg `none`, never verifies), and a token's
`alg` must be its key's: an RSA key never checks an ES256 signature. The header is
checked before any key lookup, so garbage costs no request to the provider. The key
set's caching, its throttled refresh for an unknown `kid` and the back-off while the
provider is down are adapters/auth/jwks_keys.py's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import jwt

from dagy.adapters.auth.jwks_keys import PINNED_ALGORITHMS, JwksKeys
from dagy.application.ports.identity_tokens import ExternalIdentity
from dagy.domain.errors import ConfigurationError
from dagy.domain.tenancy import AuthenticationError

ALGORITHMS = PINNED_ALGORITHMS
MAX_TOKEN_CHARS = 16_384
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


class JwksTokenVerifier:
    def __init__(self, jwks_url: str, issuer: str, audience: str, *, leeway_seconds: float = 30,
                 cache_seconds: float = 300, cooldown_seconds: float = 30,
                 retry_seconds: float = 10, timeout_seconds: float = 5,
                 keys: JwksKeys | None = None) -> None:
        if not (jwks_url and issuer and audience):
            raise ConfigurationError("JWT verification needs DAGY_JWKS_URL, DAGY_JWT_ISSUER "
                                     "and DAGY_JWT_AUDIENCE")
        check_jwks_url(jwks_url)
        self.issuer, self.audience, self.leeway = issuer, audience, leeway_seconds
        self._keys = keys or JwksKeys(jwks_url, cache_seconds=cache_seconds,
                                      cooldown_seconds=cooldown_seconds,
                                      retry_seconds=retry_seconds,
                                      timeout_seconds=timeout_seconds)

    def verify(self, token: str) -> ExternalIdentity:
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
            raise AuthenticationError("invalid token: malformed")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthenticationError("invalid token: malformed") from None
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise AuthenticationError(f"invalid token: algorithm must be one of "
                                      f"{', '.join(ALGORITHMS)}")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthenticationError("invalid token: no key id (kid)")
        key = self._keys.key(kid)  # AuthenticationError (unknown), UnavailableError (down)
        if key.algorithm_name != alg:
            raise AuthenticationError("invalid token: its algorithm is not its key's")
        claims = self._claims(token, key.key, alg)
        return ExternalIdentity(claims["iss"], claims["sub"], _text(claims.get("email")),
                                claims, email_verified=_flag(claims.get("email_verified")))

    def _claims(self, token: str, key: Any, alg: str) -> dict[str, Any]:
        try:
            claims = jwt.decode(token, key, algorithms=[alg], audience=self.audience,
                                issuer=self.issuer, leeway=self.leeway,
                                options={"require": ["exp", "iss", "aud", "sub"]})
        except jwt.ExpiredSignatureError:
            raise AuthenticationError("invalid token: expired") from None
        except jwt.ImmatureSignatureError:
            raise AuthenticationError("invalid token: not valid yet") from None
        except jwt.InvalidIssuerError:
            raise AuthenticationError("invalid token: wrong issuer") from None
        except jwt.InvalidAudienceError:
            raise AuthenticationError("invalid token: wrong audience") from None
        except jwt.PyJWTError:
            raise AuthenticationError("invalid token: signature or claims do not verify") from None
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise AuthenticationError("invalid token: signature or claims do not verify")
        return claims


def check_jwks_url(url: str) -> None:
    """ConfigurationError unless `url` is https (plain http only on this machine): the
    key set decides who may sign in, so it must not travel where it can be replaced."""
    parsed = urlparse(url)
    loopback = parsed.scheme == "http" and parsed.hostname in LOOPBACK_HOSTS
    if not (parsed.scheme == "https" or loopback) or not parsed.hostname:
        raise ConfigurationError(f"DAGY_JWKS_URL must be an https:// URL (http:// only on "
                                 f"127.0.0.1 or localhost), not {url!r}")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _flag(value: Any) -> bool | None:
    """`email_verified` as a bool (some providers send "true"/"false"); absent: None.
    Anything else counts as not verified."""
    if value is None:
        return None
    return value is True or (isinstance(value, str) and value.lower() == "true")
