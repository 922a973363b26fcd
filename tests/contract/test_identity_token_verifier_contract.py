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
from dagy.domain.errors import ConfigurationError, UnavailableError
from dagy.domain.tenancy import AuthenticationError

ISSUER, AUDIENCE = "https://idp.example.test/", "dagy-api"
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())
OTHER_RSA = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _b64_bytes(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwk(key, kid: str, alg: str) -> dict:
    algorithm = RSAAlgorithm if alg == "RS256" else ECAlgorithm
    return {**json.loads(algorithm.to_jwk(key.public_key())), "kid": kid, "alg": alg,
            "use": "sig"}


HMAC_JWK = {"kty": "oct", "kid": "hmac-1", "k": _b64_bytes(b"a shared secret of 32 bytes!!!!!")}


class _Jwks(BaseHTTPRequestHandler):
    hits = 0
    status = 200
    body = json.dumps({"keys": [_jwk(RSA_KEY, "rsa-1", "RS256"),
                                _jwk(EC_KEY, "ec-1", "ES256"), HMAC_JWK]}).encode()

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).hits += 1
        self.send_response(type(self).status)
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
    "ES256 header on the RSA key's id": (lambda: _token(key=EC_KEY, kid="rsa-1", alg="ES256"),
                                         "not its key's"),
    "the JWKS's HMAC key": (lambda: jwt.encode(_claims(), b"a shared secret of 32 bytes!!!!!",
                                               algorithm="HS256", headers={"kid": "hmac-1"}),
                            "algorithm"),
    "no kid": (lambda: jwt.encode(_claims(), RSA_KEY, algorithm="RS256"), "no key id"),
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


def _closed_port_url() -> str:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/jwks.json"


def test_an_unreachable_key_set_is_unavailable_and_retried_only_after_the_back_off(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    verifier = JwksTokenVerifier(_closed_port_url(), ISSUER, AUDIENCE, retry_seconds=60,
                                 timeout_seconds=1)
    for _ in range(3):
        with pytest.raises(UnavailableError, match="could not be fetched"):
            verifier.verify(_token())


def test_an_http_error_from_the_key_set_is_unavailable_not_a_crash(jwks_url, monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setattr(_Jwks, "status", 500)
    before = _Jwks.hits
    verifier = JwksTokenVerifier(jwks_url, ISSUER, AUDIENCE, retry_seconds=60)
    for _ in range(5):
        with pytest.raises(UnavailableError):
            verifier.verify(_token())
    assert _Jwks.hits - before == 1  # one attempt per back-off window


@pytest.mark.parametrize("url", ["ftp://idp.example.test/jwks", "http://idp.example.test/jwks",
                                 "file:///etc/passwd", "https://"])
def test_a_key_set_url_that_is_not_https_is_refused(url):
    with pytest.raises(ConfigurationError, match="DAGY_JWKS_URL"):
        JwksTokenVerifier(url, ISSUER, AUDIENCE)


def test_email_verified_is_read_as_a_flag(verifier):
    def verified(value):
        claims = _claims() if value is None else _claims(email_verified=value)
        return verifier.verify(_token(claims)).email_verified
    assert [verified(v) for v in (None, True, False, "true", "false", 1)] == [
        None, True, False, True, False, False]
    assert verifier.verify(_token()).external_subject == f"{ISSUER}|user-42"
