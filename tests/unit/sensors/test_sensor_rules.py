"""Pure sensor rules: JSONPath extraction, mapping, HMAC signatures, S3 matching, config."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_budget import examples

from dagy.domain.errors import ValidationError
from dagy.domain.schedules.sensors import (MAX_PAYLOAD_BYTES, PayloadTooLarge, bounded_key, extract,
                                      format_path, map_parameters, next_poll_epoch, parse_path,
                                      s3_matches, sign, validate_sensor_config, verify_signature)

keys = st.text(max_size=8)  # any characters: quotes, spaces, dots, brackets, backslashes
scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=6)
documents = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20)


def paths_in(value, prefix=()):
    """Every (steps, value) reachable in a JSON document, the root included."""
    yield prefix, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths_in(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths_in(child, prefix + (index,))


@settings(max_examples=examples(300), deadline=None)
@given(documents, st.data())
def test_extract_finds_every_value_by_a_path_built_from_the_document(document, data):
    steps, expected = data.draw(st.sampled_from(list(paths_in(document))))
    path = format_path(steps)
    assert parse_path(path) == tuple(steps)
    assert extract(document, path) == expected


@settings(max_examples=examples(200), deadline=None)
@given(st.dictionaries(keys, documents, max_size=4), keys)
def test_a_missing_key_is_an_error_naming_the_path(document, key):
    if key in document:
        return
    path = format_path(("root", key))
    with pytest.raises(ValidationError) as caught:
        extract({"root": document}, path)
    assert path in str(caught.value)


@pytest.mark.parametrize("path, expected", [
    ("$", {"a": {"b": [10, {"c": "deep"}]}, "key with space": 1}),
    ("$.a.b[0]", 10),
    ("$.a.b[1].c", "deep"),
    ("$['key with space']", 1),
    ('$["key with space"]', 1),
    ("$['a']['b'][1]['c']", "deep"),
])
def test_the_supported_path_forms(path, expected):
    payload = {"a": {"b": [10, {"c": "deep"}]}, "key with space": 1}
    assert extract(payload, path) == expected


@pytest.mark.parametrize("path", ["a.b", "$..a", "$.a[*]", "$.a[-1]", "$[", "$.", "$['x", 7, None])
def test_unsupported_paths_are_refused(path):
    with pytest.raises(ValidationError):
        parse_path(path)


def test_an_index_never_reads_an_object_nor_a_name_a_list():
    with pytest.raises(ValidationError, match=r"\$\.a\[0\]"):
        extract({"a": {"0": 1}}, "$.a[0]")
    with pytest.raises(ValidationError, match="nothing at"):
        extract({"a": [1]}, "$.a.length")
    with pytest.raises(ValidationError):
        extract({"a": [1]}, "$.a[1]")


def test_map_parameters_lists_every_missing_path():
    payload = {"repo": {"name": "dagy"}, "commits": [{"id": "c1"}]}
    assert map_parameters(payload, {"repo": "$.repo.name", "sha": "$.commits[0].id"}) == {
        "repo": "dagy", "sha": "c1"}
    with pytest.raises(ValidationError) as caught:
        map_parameters(payload, {"a": "$.nope", "b": "$.commits[3].id", "ok": "$.repo"})
    assert "a <- $.nope" in str(caught.value) and "b <- $.commits[3].id" in str(caught.value)
    assert map_parameters(payload, {}) == {}


@settings(max_examples=examples(200), deadline=None)
@given(st.text(min_size=1, max_size=40), st.binary(max_size=200), st.binary(max_size=200))
def test_hmac_verifies_its_own_signature_and_nothing_else(secret, body, other):
    header = sign(secret, body)
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert header == "sha256=" + digest
    assert verify_signature(secret, body, header)
    assert verify_signature(secret, body, digest)  # the prefix is optional
    assert verify_signature(secret, body, " SHA256=" + digest.upper() + " ")
    assert verify_signature(secret, other, header) == (other == body)
    assert not verify_signature(secret + "x", body, header)


@pytest.mark.parametrize("header", [None, "", "sha256=", "sha256=zz", "é" * 64, 42, b"abc"])
def test_hmac_refuses_missing_or_malformed_headers(header):
    assert verify_signature("secret", b"{}", header) is False


@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=6), st.text(max_size=6), st.text(max_size=6), st.text(max_size=12),
       st.sampled_from(["data", "logs"]))
def test_s3_matches_is_bucket_equality_and_key_prefix_and_suffix(prefix, suffix, middle, noise,
                                                                 bucket):
    config = {"bucket": "data", "prefix": prefix, "suffix": suffix}
    assert s3_matches(config, bucket, prefix + middle + suffix) == (bucket == "data")
    assert s3_matches(config, bucket, noise) == (
        bucket == "data" and noise.startswith(prefix) and noise.endswith(suffix))
    assert s3_matches({"bucket": "data"}, "data", noise)


def test_webhook_config_defaults_and_limits():
    assert validate_sensor_config("webhook", None) == {
        "signature_header": "X-Dagy-Signature", "max_payload_bytes": 262144}
    full = validate_sensor_config("webhook", {
        "parameter_mapping": {"n": "$.n"}, "hmac_secret": "s", "signature_header": "X-Sig",
        "max_payload_bytes": MAX_PAYLOAD_BYTES})
    assert full["hmac_secret"] == "s" and full["max_payload_bytes"] == MAX_PAYLOAD_BYTES
    for bad in ({"max_payload_bytes": MAX_PAYLOAD_BYTES + 1}, {"max_payload_bytes": True},
                {"parameter_mapping": {"n": "n"}}, {"parameter_mapping": ["$.n"]},
                {"hmac_secret": ""}, {"hmac_secret": 5}, {"signature_header": "bad header"},
                {"unknown": 1}):
        with pytest.raises(ValidationError):
            validate_sensor_config("webhook", bad)


def test_s3_config_requires_a_bucket():
    assert validate_sensor_config("s3", {"bucket": "data"}) == {
        "bucket": "data", "prefix": "", "suffix": "", "key_parameter": "key"}
    for bad in ({}, {"bucket": ""}, {"bucket": "a/b"}, {"bucket": "b", "prefix": 3},
                {"bucket": "b", "key_parameter": ""}, {"bucket": "b", "url": "http://x"}):
        with pytest.raises(ValidationError):
            validate_sensor_config("s3", bad)


def test_polling_config():
    http = validate_sensor_config("polling", {"kind": "http", "url": "https://example.com/x"})
    assert http["interval_seconds"] == 60 and http["jitter_seconds"] == 6
    assert http["fire_on_first"] is False
    s3 = validate_sensor_config("polling", {"kind": "s3", "bucket": "b", "interval_seconds": 10})
    assert s3 == {"kind": "s3", "bucket": "b", "prefix": "", "interval_seconds": 10,
                  "jitter_seconds": 1, "fire_on_first": False}
    for bad in ({}, {"kind": "ftp"}, {"kind": "http"},
                {"kind": "http", "url": "file:///etc/passwd"},
                {"kind": "http", "url": "ftp://x/y"}, {"kind": "http", "url": "http://"},
                {"kind": "http", "url": "http://x", "interval_seconds": 9},
                {"kind": "http", "url": "http://x", "jitter_seconds": 61},
                {"kind": "http", "url": "http://x", "bucket": "b"},
                {"kind": "s3"}, {"kind": "s3", "bucket": "b", "url": "http://x"}):
        with pytest.raises(ValidationError):
            validate_sensor_config("polling", bad)
    with pytest.raises(ValidationError):
        validate_sensor_config("cron", {})


@given(st.integers(0, 2**40), st.integers(10, 3600), st.integers(0, 100))
def test_next_poll_is_interval_plus_bounded_stable_jitter(now, interval, percent):
    jitter = interval * percent // 100
    config = {"interval_seconds": interval, "jitter_seconds": jitter}
    first = next_poll_epoch("sensor-1", config, now)
    assert now + interval <= first <= now + interval + jitter
    assert next_poll_epoch("sensor-1", config, now) == first


def test_bounded_keys_and_payload_too_large_is_a_validation_error():
    assert bounded_key("p:", "short") == "p:short"
    long = bounded_key("p:", "x" * 400)
    assert len(long) <= 300 and long.startswith("p:sha256:")
    assert bounded_key("p:", "x" * 400) == long != bounded_key("p:", "y" * 400)
    assert isinstance(PayloadTooLarge(10), ValidationError) and PayloadTooLarge(10).limit == 10
