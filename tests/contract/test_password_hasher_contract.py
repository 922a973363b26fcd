"""PasswordHasher contract (application/ports/passwords.py) on every adapter."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dagy.adapters.crypto.scrypt_passwords import ScryptPasswordHasher
from dagy.domain.errors import ConfigurationError

FAST = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(params=["scrypt"])
def hasher(request):
    return ScryptPasswordHasher(log2_n=4, r=8, p=1)  # a low cost keeps the suite fast


@FAST
@given(st.text(max_size=80), st.text(max_size=80))
def test_only_the_same_password_verifies(hasher, password, other):
    stored = hasher.hash(password)
    assert stored.isascii() and stored.startswith("scrypt$4$8$1$")
    assert hasher.verify(password, stored)
    assert hasher.verify(other, stored) == (other == password)
    if len(password) >= 4:
        assert password not in stored


def test_hashes_are_salted(hasher):
    assert hasher.hash("same") != hasher.hash("same")


@FAST
@given(st.integers(min_value=0, max_value=200), st.characters(codec="ascii"))
def test_a_changed_or_malformed_stored_value_never_verifies_and_never_raises(hasher, at, char):
    stored = hasher.hash("s3cret")
    at %= len(stored)
    changed = stored[:at] + char + stored[at + 1:]
    if changed != stored:
        assert hasher.verify("s3cret", changed) is False
    for bad in ("", "scrypt", "bcrypt$1$2$3$4$5", "scrypt$99$8$1$AAAA$AAAA", None, 42):
        assert hasher.verify("s3cret", bad) is False
        assert hasher.needs_rehash(bad)


def test_needs_rehash_when_the_cost_changed(hasher):
    stored = hasher.hash("pw")
    assert not hasher.needs_rehash(stored)
    stronger = ScryptPasswordHasher(log2_n=5, r=8, p=1)
    assert stronger.needs_rehash(stored) and stronger.verify("pw", stored)


def test_an_out_of_range_cost_is_a_configuration_error():
    with pytest.raises(ConfigurationError):
        ScryptPasswordHasher(log2_n=40)
