"""IdentityTokenVerifier contract (application/ports/identity_tokens.py): a JWKS served on
127.0.0.1 with keys made by `cryptography`; the attacks on JWT verification all fail."""

from __future__ import annotations

import base64
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from dagy.adapters.auth.jwks_verifier import JwksTokenVerifier
from dagy.domain.tenancy import AuthenticationError

ISSUER, AUDIENCE = "https://idp.example.test/", "dagy-api"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwk(key, kid: str, alg: str) -> dict:
    algorithm = RSAAlgorithm if alg == "RS256" else ECAlgorithm
    return {**json.loads(algorithm.to_jwk(key.public_key())), "kid": kid, "alg": alg,
            "use": "sig"}


class _Jwks(BaseHTTPRequestHandler):
    hits = 0
    body = json.dumps({"keys": [_jwk(RSA_KEY, "rsa-1", "RS256"),
                                _jwk(EC_KEY, "ec-1", "ES256")]}).encode()

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def jwks_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Jwks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    server.shutdown()
    server.server_close()


@pytest.fixture
def verifier(jwks_url, monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    return JwksTokenVerifier(jwks_url, ISSUER, AUDIENCE, leeway_seconds=5, cooldown_seconds=60)


def _claims(**over) -> dict:
    now = int(time.time())
    return {"iss": ISSUER, "aud": AUDIENCE, "sub": "user-42", "email": "ada@example.test",
            "iat": now, "nbf": now - 1, "exp": now + 300, **over}


def _token(claims: dict | None = None, key=RSA_KEY, kid="rsa-1", alg="RS256") -> str:
    return jwt.encode(claims or _claims(), key, algorithm=alg, headers={"kid": kid})


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("key,kid,alg", [(RSA_KEY, "rsa-1", "RS256"), (EC_KEY, "ec-1", "ES256")])
def test_a_good_token_is_accepted(verifier, key, kid, alg):
    identity = verifier.verify(_token(key=key, kid=kid, alg=alg))
    assert (identity.issuer, identity.subject, identity.email) == (ISSUER, "user-42",
                                                                   "ada@example.test")


def _alg_none() -> str:
    return f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': 'rsa-1'})}.{_b64(_claims())}."


def _hs256_with_public_key() -> str:
    public_pem = RSA_KEY.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    header = _b64({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"})
    body = _b64(_claims())
    import hashlib
    import hmac
    signature = hmac.new(public_pem, f"{header}.{body}".encode(), hashlib.sha256).digest()
    return f"{header}.{body}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


def _tampered() -> str:
    header, _, signature = _token().split(".")
    return f"{header}.{_b64(_claims(sub='admin'))}.{signature}"


ATTACKS = {
    "alg none": (_alg_none, "algorithm"),
    "HS256 signed with the public key": (_hs256_with_public_key, "algorithm"),
    "wrong issuer": (lambda: _token(_claims(iss="https://evil.test/")), "wrong issuer"),
    "wrong audience": (lambda: _token(_claims(aud="someone-else")), "wrong audience"),
    "expired": (lambda: _token(_claims(exp=int(time.time()) - 60)), "expired"),
    "not valid yet": (lambda: _token(_claims(nbf=int(time.time()) + 600)), "not valid yet"),
    "unknown kid": (lambda: _token(kid="rsa-2"), "unknown key id"),
    "signed by another key": (lambda: _token(key=OTHER_RSA), "do not verify"),
    "tampered payload": (_tampered, "do not verify"),
    "no subject": (lambda: _token({k: v for k, v in _claims().items() if k != "sub"}),
                   "do not verify"),
    "garbage": (lambda: "not.a.jwt", "malformed"),
    "huge": (lambda: "a" * 20_000, "malformed"),
}


@pytest.mark.parametrize("name", list(ATTACKS))
def test_every_attack_is_rejected_with_a_reason_that_does_not_echo_the_token(verifier, name):
    make, reason = ATTACKS[name]
    token = make()
    with pytest.raises(AuthenticationError, match=reason) as caught:
        verifier.verify(token)
    assert token not in str(caught.value)


def test_unknown_key_ids_refresh_the_key_set_at_most_once_per_cooldown(verifier):
    verifier.verify(_token())  # the first fetch
    before = _Jwks.hits
    for n in range(20):
        with pytest.raises(AuthenticationError, match="unknown key id"):
            verifier.verify(_token(kid=f"forged-{n}"))
    assert _Jwks.hits - before <= 1
