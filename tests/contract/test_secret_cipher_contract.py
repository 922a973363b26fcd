"""SecretCipher contract (dagy.application.ports.crypto) over every shipped adapter."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings, strategies as st

from dagy.adapters.crypto.aes_gcm import AesGcmSecretCipher, generate_key_text, parse_key_text
from dagy.adapters.crypto.fernet_keyring import FernetKeyring, generate_fernet_key
from dagy.application.ports.crypto import SecretUnreadable
from dagy.domain.errors import ConfigurationError, DagyError


def aes_gcm(key_text: str | None = None) -> AesGcmSecretCipher:
    return AesGcmSecretCipher.from_text(key_text or generate_key_text())


def fernet(key_text: str | None = None) -> FernetKeyring:
    return FernetKeyring.from_text(key_text or generate_key_text())


ADAPTERS = {"aes-gcm": aes_gcm, "fernet": fernet}


@pytest.fixture(params=sorted(ADAPTERS))
def make(request):
    return ADAPTERS[request.param]


@pytest.mark.parametrize("name", sorted(ADAPTERS))
@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300) | st.binary(max_size=64).map(lambda b: b.hex()))
def test_decrypt_inverts_encrypt_and_never_shows_the_text(name, text):
    cipher = ADAPTERS[name]()
    sealed = cipher.encrypt(text)
    assert cipher.decrypt(sealed) == text
    assert sealed.isascii() and cipher.key_id(sealed) == cipher.current_key_id
    if len(text) >= 4:
        assert text not in sealed


def test_every_string_round_trips_even_unpaired_surrogates(make):
    cipher = make()
    for text in ("", "s3cret", "\ud800", "\U0001f512" * 40, "x" * 10_000):
        assert cipher.decrypt(cipher.encrypt(text)) == text


def test_the_same_text_encrypts_differently_every_time(make):
    cipher = make()
    sealed = {cipher.encrypt("same secret") for _ in range(20)}
    assert len(sealed) == 20
    assert {cipher.decrypt(s) for s in sealed} == {"same secret"}


def test_the_ciphertext_names_its_key(make):
    first, second = make(), make()
    assert first.current_key_id != second.current_key_id
    assert first.current_key_id in first.encrypt("x")
    assert second.key_id(second.encrypt("x")) == second.current_key_id


@pytest.mark.parametrize("name", sorted(ADAPTERS))
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_changed_character_is_refused(name, data):
    cipher = ADAPTERS[name]()
    sealed = cipher.encrypt(data.draw(st.text(max_size=40), "text"))
    where = data.draw(st.integers(0, 10_000), "where") % len(sealed)
    alphabet = string.ascii_letters + string.digits + "-_.=+/ "
    pick = data.draw(st.integers(0, len(alphabet) - 2), "replacement")
    choices = alphabet.replace(sealed[where], "")  # never the character already there
    tampered = sealed[:where] + choices[pick % len(choices)] + sealed[where + 1:]
    with pytest.raises(SecretUnreadable):
        cipher.decrypt(tampered)


@pytest.mark.parametrize("mangle", [
    lambda s: s[:-1], lambda s: s + "A", lambda s: s[:s.index(".") - 1] + "9" + s[s.index("."):],  # another version
    lambda s: "", lambda s: "plaintext", lambda s: s.split(".", 1)[1],
    lambda s: s + ".x", lambda s: s[:20]])
def test_truncated_extended_or_foreign_text_is_refused(make, mangle):
    cipher = make()
    with pytest.raises(SecretUnreadable):
        cipher.decrypt(mangle(cipher.encrypt("hmac secret")))


def test_a_cipher_without_the_key_refuses_and_the_error_is_a_domain_error(make):
    sealed = make().encrypt("hmac secret")
    with pytest.raises(SecretUnreadable) as info:
        make().decrypt(sealed)
    assert isinstance(info.value, DagyError) and "key" in str(info.value)
    assert "hmac secret" not in str(info.value)


def test_the_same_key_text_decrypts_across_instances(make):
    key = generate_key_text()
    assert make(key).decrypt(make(key).encrypt("restart-safe")) == "restart-safe"


def test_aes_gcm_decrypts_with_a_retired_key_and_encrypts_with_the_current_one():
    old, new = parse_key_text(generate_key_text()), parse_key_text(generate_key_text())
    before = AesGcmSecretCipher(old).encrypt("rotated")
    ring = AesGcmSecretCipher(new, retired_keys=[old])
    assert ring.decrypt(before) == "rotated"
    assert ring.key_id(ring.encrypt("x")) == ring.current_key_id != ring.key_id(before)
    with pytest.raises(SecretUnreadable):
        AesGcmSecretCipher(new).decrypt(before)


@pytest.mark.parametrize("text", ["", "short", "x" * 44, "!" * 43, 5, None])
def test_a_malformed_key_is_a_configuration_error(text):
    with pytest.raises(ConfigurationError, match="32 random bytes"):
        AesGcmSecretCipher.from_text(text)


def test_standard_and_url_safe_base64_keys_are_the_same_key():
    raw = bytes(range(250, 256)) + bytes(26)  # encodes with '+' / '/' or '-' / '_'
    import base64
    assert (parse_key_text(base64.b64encode(raw).decode())
            == parse_key_text(base64.urlsafe_b64encode(raw).decode().rstrip("=")) == raw)


def test_fernet_encrypts_with_the_first_key_decrypts_with_all_and_rotates():
    old, new = generate_fernet_key(), generate_fernet_key()
    before = FernetKeyring.from_text(old).encrypt("rotated")
    ring = FernetKeyring.from_text(f"{new}, {old}")
    assert ring.decrypt(before) == "rotated"
    after = ring.rotate(before)
    assert ring.key_id(after) == ring.current_key_id != ring.key_id(before)
    assert FernetKeyring.from_text(new).decrypt(after) == "rotated"
    with pytest.raises(SecretUnreadable):
        FernetKeyring.from_text(new).decrypt(before)


@pytest.mark.parametrize("text", ["", " , ", "short", "x" * 44, "!" * 43])
def test_malformed_fernet_keys_are_a_configuration_error(text):
    with pytest.raises(ConfigurationError, match="DAGY_SECRET_KEYS"):
        FernetKeyring.from_text(text)
