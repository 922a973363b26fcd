"""JwksKeys (adapters/auth/jwks_keys.py): the key set's cache, the throttled refresh for
an unknown kid and the back-off while the provider is down, on a fake clock and a
counting stand-in for PyJWKClient (no network)."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt import PyJWKClientConnectionError, PyJWKSet
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

from dagy.adapters.auth.jwks_keys import JwksKeys
from dagy.domain.errors import UnavailableError
from dagy.domain.tenancy import AuthenticationError

RSA = json.loads(RSAAlgorithm.to_jwk(rsa.generate_private_key(65537, 2048).public_key()))
EC = json.loads(ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP256R1()).public_key()))
OCT = {"kty": "oct", "k": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}


class FakeClient:
    """Answers get_signing_keys(refresh=True) from `sets` in turn (an exception: raised)."""

    def __init__(self, *sets) -> None:
        self.sets, self.calls = list(sets), 0

    def get_signing_keys(self, refresh: bool = False):
        assert refresh  # JwksKeys caches; it always asks for a fetch
        answer = self.sets[min(self.calls, len(self.sets) - 1)]
        self.calls += 1
        if isinstance(answer, Exception):
            raise answer
        return PyJWKSet.from_dict({"keys": answer}).keys


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def keys(client, clock, **over) -> JwksKeys:
    options = dict(cache_seconds=300, cooldown_seconds=30, retry_seconds=10)
    return JwksKeys("https://idp.test/jwks", client=client, now=clock, **{**options, **over})


def one(jwk: dict, kid: str) -> dict:
    return {**jwk, "kid": kid}


def test_a_fresh_key_set_answers_from_memory_and_an_expired_one_is_fetched_again():
    client, clock = FakeClient([one(RSA, "a")], [one(RSA, "a"), one(EC, "b")]), Clock()
    store = keys(client, clock)
    assert store.key("a").algorithm_name == "RS256"
    clock.t += 299
    store.key("a")
    assert client.calls == 1
    clock.t += 2  # past cache_seconds
    assert store.key("b").algorithm_name == "ES256"
    assert client.calls == 2


def test_unknown_kids_refresh_at_most_once_per_cooldown_and_a_rotated_key_is_then_found():
    client, clock = FakeClient([one(RSA, "a")], [one(RSA, "a")], [one(EC, "new")]), Clock()
    store = keys(client, clock)
    store.key("a")
    for n in range(50):
        with pytest.raises(AuthenticationError, match="unknown key id"):
            store.key(f"forged-{n}")
    assert client.calls == 1  # all within the cooldown of the first fetch
    clock.t += 30
    with pytest.raises(AuthenticationError):
        store.key("forged")
    assert client.calls == 2
    clock.t += 30
    assert store.key("new").algorithm_name == "ES256"
    assert client.calls == 3


def test_keys_for_other_algorithms_are_dropped():
    store = keys(FakeClient([one(OCT, "hmac"), one(RSA, "a")]), Clock())
    store.key("a")
    with pytest.raises(AuthenticationError, match="unknown key id"):
        store.key("hmac")


def test_a_provider_that_is_down_is_asked_once_per_retry_window():
    down = PyJWKClientConnectionError("refused")
    client, clock = FakeClient(down, down, [one(RSA, "a")]), Clock()
    store = keys(client, clock)
    for _ in range(20):
        with pytest.raises(UnavailableError, match="could not be fetched"):
            store.key("a")
    assert client.calls == 1
    clock.t += 10
    with pytest.raises(UnavailableError):
        store.key("a")
    assert client.calls == 2
    clock.t += 10
    assert store.key("a").key_id == "a"


@pytest.mark.parametrize("failure", [ValueError("not JSON"), OSError("reset"),
                                     PyJWKClientConnectionError("HTTP 500")])
def test_every_fetch_failure_is_unavailable(failure):
    with pytest.raises(UnavailableError):
        keys(FakeClient(failure), Clock()).key("a")


def test_a_failed_refresh_for_an_unknown_kid_keeps_serving_the_known_keys():
    client, clock = FakeClient([one(RSA, "a")], PyJWKClientConnectionError("down")), Clock()
    store = keys(client, clock)
    store.key("a")
    clock.t += 31
    with pytest.raises(UnavailableError):
        store.key("rotated")
    assert store.key("a").key_id == "a"
    assert client.calls == 2
