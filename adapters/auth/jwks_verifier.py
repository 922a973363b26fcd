"""IdentityTokenVerifier over a JWKS endpoint, with PyJWT.

Algorithms are pinned (RS256, ES256: asymmetric only, so a token "signed" with HMAC
using the public key as its secret, or with alg `none`, never verifies). The key set is
cached by PyJWKClient (`lifespan`) and refreshed for an unknown `kid` at most once per
`cooldown_seconds`. The header is checked before any key lookup, so garbage costs no
request to the provider.
"""

from __future__ import annotations

from typing import Any

import jwt
from jwt import PyJWKClient

from dagy.application.ports.identity_tokens import ExternalIdentity
from dagy.domain.errors import ConfigurationError
from dagy.domain.tenancy import AuthenticationError

ALGORITHMS = ("RS256", "ES256")
MAX_TOKEN_CHARS = 16_384


class JwksTokenVerifier:
    def __init__(self, jwks_url: str, issuer: str, audience: str, *, leeway_seconds: float = 30,
                 cache_seconds: float = 300, cooldown_seconds: float = 30,
                 timeout_seconds: float = 5, client: Any = None) -> None:
        if not (jwks_url and issuer and audience):
            raise ConfigurationError("JWT verification needs DAGY_JWKS_URL, DAGY_JWT_ISSUER "
                                     "and DAGY_JWT_AUDIENCE")
        self.issuer, self.audience, self.leeway = issuer, audience, leeway_seconds
        self._keys = client or PyJWKClient(jwks_url, cache_jwk_set=True, lifespan=cache_seconds,
                                           timeout=timeout_seconds,
                                           cooldown_duration=cooldown_seconds)

    def verify(self, token: str) -> ExternalIdentity:
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_CHARS:
            raise AuthenticationError("invalid token: malformed")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthenticationError("invalid token: malformed") from None
        if header.get("alg") not in ALGORITHMS:
            raise AuthenticationError(f"invalid token: algorithm must be one of "
                                      f"{', '.join(ALGORITHMS)}")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthenticationError("invalid token: no key id (kid)")
        try:
            key = self._keys.get_signing_key(kid)
        except jwt.PyJWKClientConnectionError:
            raise AuthenticationError("invalid token: the identity provider's keys could not "
                                      "be fetched") from None
        except jwt.PyJWKClientError:
            raise AuthenticationError("invalid token: unknown key id") from None
        try:
            claims = jwt.decode(token, key.key, algorithms=list(ALGORITHMS),
                                audience=self.audience, issuer=self.issuer, leeway=self.leeway,
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
        email = claims.get("email")
        return ExternalIdentity(claims["iss"], str(claims["sub"]),
                                email if isinstance(email, str) else None, claims)
