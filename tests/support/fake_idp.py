"""An identity provider for tests: RSA and EC keys made by `cryptography`, their JWKS
served by a thread on 127.0.0.1 (it counts its requests), and tokens, good and forged.

`ATTACKS` names every token a verifier must refuse, each made fresh on call (times are
relative to now), so the same catalogue drives the HTTP API test and the e2e test
against a real `dagy server`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER, AUDIENCE = "https://idp.example.test/", "dagy-api"
ATTACKS = ("alg none", "HS256 signed with the public key", "wrong issuer", "wrong audience",
           "expired", "not yet valid", "unknown kid", "signed by another key",
           "tampered payload")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _b64_json(value: dict) -> str:
    return _b64(json.dumps(value).encode())


class FakeIdp:
    """Start with `with FakeIdp() as idp:`; `idp.jwks_url`, `idp.hits`, `idp.token(...)`."""

    def __init__(self) -> None:
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())
        self.other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.hits = 0
        self.down = False  # answer 503 to every request
        # while `hold` is set to an Event, each request sets `holding` and waits (at most
        # 10 s) for the Event: a provider that is slow to answer
        self.hold: threading.Event | None = None
        self.holding = threading.Event()
        self.released_in_time: bool | None = None
        self._lock = threading.Lock()
        body = json.dumps({"keys": [self._jwk(self.rsa, "rsa-1", RSAAlgorithm),
                                    self._jwk(self.ec, "ec-1", ECAlgorithm)]}).encode()
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                with idp._lock:
                    idp.hits += 1
                if idp.hold is not None:
                    idp.holding.set()
                    idp.released_in_time = idp.hold.wait(10)
                status = 503 if idp.down else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.jwks_url = f"http://127.0.0.1:{self._server.server_address[1]}/jwks.json"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="fake-idp", daemon=True)

    @staticmethod
    def _jwk(key: Any, kid: str, algorithm: Any) -> dict:
        return {**json.loads(algorithm.to_jwk(key.public_key())), "kid": kid, "use": "sig"}

    def __enter__(self) -> "FakeIdp":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def env(self) -> dict[str, str]:
        """The server settings that trust this provider."""
        return {"DAGY_JWT_ISSUER": ISSUER, "DAGY_JWT_AUDIENCE": AUDIENCE,
                "DAGY_JWKS_URL": self.jwks_url}

    # tokens -------------------------------------------------------------------------

    @staticmethod
    def claims(sub: str = "sub-ann", email: str | None = "ann@example.com",
               **over: Any) -> dict[str, Any]:
        now = int(time.time())
        base = {"iss": ISSUER, "aud": AUDIENCE, "sub": sub, "iat": now, "nbf": now - 1,
                "exp": now + 300}
        if email is not None:
            base["email"] = email
        return {**base, **over}

    def token(self, claims: dict | None = None, *, ec_key: bool = False,
              kid: str | None = None) -> str:
        key, alg, default_kid = (self.ec, "ES256", "ec-1") if ec_key else (
            self.rsa, "RS256", "rsa-1")
        return jwt.encode(claims or self.claims(), key, algorithm=alg,
                          headers={"kid": kid or default_kid})

    def alg_none(self) -> str:
        return f"{_b64_json({'alg': 'none', 'typ': 'JWT', 'kid': 'rsa-1'})}." \
               f"{_b64_json(self.claims())}."

    def hs256_with_public_key(self) -> str:
        pem = self.rsa.public_key().public_bytes(serialization.Encoding.PEM,
                                                 serialization.PublicFormat.SubjectPublicKeyInfo)
        signing_input = f"{_b64_json({'alg': 'HS256', 'typ': 'JWT', 'kid': 'rsa-1'})}." \
                        f"{_b64_json(self.claims())}"
        signature = hmac.new(pem, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{_b64(signature)}"

    def tampered(self) -> str:
        header, _, signature = self.token(self.claims()).split(".")
        return f"{header}.{_b64_json(self.claims(sub='sub-owner'))}.{signature}"

    def attacks(self) -> dict[str, Callable[[], str]]:
        """name -> a maker of a token that must be refused with 401."""
        now = int(time.time())
        makers = {
            "alg none": self.alg_none,
            "HS256 signed with the public key": self.hs256_with_public_key,
            "wrong issuer": lambda: self.token(self.claims(iss="https://evil.example.test/")),
            "wrong audience": lambda: self.token(self.claims(aud="another-api")),
            "expired": lambda: self.token(self.claims(exp=now - 120, iat=now - 600,
                                                      nbf=now - 600)),
            "not yet valid": lambda: self.token(self.claims(nbf=now + 600)),
            "unknown kid": lambda: self.token(kid="rsa-unknown"),
            "signed by another key": lambda: jwt.encode(self.claims(), self.other,
                                                        algorithm="RS256",
                                                        headers={"kid": "rsa-1"}),
            "tampered payload": self.tampered,
        }
        assert tuple(makers) == ATTACKS
        return makers
