"""Sensor rules: JSONPath extraction, parameter mapping, webhook tokens and signatures,
S3 key matching, poll timing and config validation. Pure: no I/O, stdlib only."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Any

from dagy.domain.errors import ValidationError
from dagy.domain.tenancy import hash_secret

DEFAULT_SIGNATURE_HEADER = "X-Dagy-Signature"
DEFAULT_MAX_PAYLOAD_BYTES = 256 * 1024
MAX_PAYLOAD_BYTES = 1024 * 1024
MIN_POLL_INTERVAL, DEFAULT_POLL_INTERVAL, MAX_POLL_INTERVAL = 10, 60, 7 * 24 * 3600
POLL_KINDS = ("http", "s3")
MAX_KEY_LENGTH = 300  # an idempotency key's limit
MAX_TOKEN_LENGTH = 128
SECRET_KEY = "hmac_secret"  # the config key a webhook's HMAC secret arrives in

_NAME = re.compile(r"\.([^.\[\]\s'\"]+)")
_INDEX = re.compile(r"\[(\d+)\]")
_QUOTED = re.compile(r"""\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]""")
_HEADER_NAME = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}")


class PayloadTooLarge(ValidationError):
    """A webhook body over the sensor's max_payload_bytes (HTTP 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"webhook payload is larger than {limit} bytes")
        self.limit = limit


def parse_path(path: Any) -> tuple[str | int, ...]:
    """`$`, `$.a.b`, `$.a[0].b`, `$['key with space']` -> ("a", 0, "b", ...)."""
    if not isinstance(path, str) or not path.startswith("$"):
        raise ValidationError(f"JSONPath {path!r} must be a string starting with '$'")
    steps: list[str | int] = []
    position = 1
    while position < len(path):
        for pattern in (_NAME, _INDEX, _QUOTED):
            match = pattern.match(path, position)
            if match:
                break
        else:
            raise ValidationError(f"JSONPath {path!r} is not supported at character {position} "
                                  "(use $.name, [index] or ['name'])")
        if pattern is _INDEX:
            steps.append(int(match.group(1)))
        elif pattern is _QUOTED:
            raw = match.group(1) if match.group(1) is not None else match.group(2)
            steps.append(re.sub(r"\\(.)", r"\1", raw))
        else:
            steps.append(match.group(1))
        position = match.end()
    return tuple(steps)


def format_path(steps: tuple[str | int, ...] | list[str | int]) -> str:
    """The inverse of parse_path: names that need it are bracket-quoted."""
    parts = ["$"]
    for step in steps:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif _NAME.fullmatch("." + step):
            parts.append("." + step)
        else:
            escaped = step.replace("\\", "\\\\").replace("'", "\\'")
            parts.append(f"['{escaped}']")
    return "".join(parts)


def extract(payload: Any, path: str) -> Any:
    """The value at `path` in `payload`; ValidationError naming the path when missing."""
    value = payload
    steps = parse_path(path)
    for depth, step in enumerate(steps):
        if isinstance(step, int) and isinstance(value, list) and step < len(value):
            value = value[step]
        elif isinstance(step, str) and isinstance(value, dict) and step in value:
            value = value[step]
        else:
            raise ValidationError(f"payload has no value at {path} "
                                  f"(nothing at {format_path(steps[:depth + 1])})")
    return value


def map_parameters(payload: Any, mapping: dict[str, str]) -> dict[str, Any]:
    """{parameter: value at its JSONPath}; one ValidationError listing every missing path."""
    values, missing = {}, []
    for name, path in (mapping or {}).items():
        try:
            values[name] = extract(payload, path)
        except ValidationError:
            missing.append(f"{name} <- {path}")
    if missing:
        raise ValidationError("payload has no value for parameter_mapping: " + ", ".join(missing))
    return values


def new_webhook_token() -> tuple[str, str]:
    """(stored hash, plaintext token). Like an API key, the plaintext is shown once and
    only its hash (dagy.domain.tenancy.hash_secret, the one rule for hashed credentials) is
    kept; 43 characters, 256 bits."""
    token = secrets.token_urlsafe(32)
    return webhook_token_hash(token), token


def webhook_token_hash(token: str) -> str:
    """What a sensor's webhook token is stored and looked up as."""
    return hash_secret(token)


def plausible_token(token: Any) -> bool:
    """Worth a lookup: a non-empty ASCII string no longer than any token ever issued."""
    return isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_LENGTH and token.isascii()


def split_secret(config: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """(the config without its HMAC secret, the secret or None): the secret is stored
    apart from the config, encrypted, and never answered."""
    rest = {k: v for k, v in config.items() if k != SECRET_KEY}
    secret = config.get(SECRET_KEY)
    return rest, secret if isinstance(secret, str) and secret else None


def sign(secret: str, body: bytes) -> str:
    """The signature header value a sender computes: `sha256=<hex HMAC-SHA256>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header_value: Any) -> bool:
    """HMAC-SHA256 of the body in hex, with or without `sha256=`, compared in constant time."""
    if not isinstance(header_value, str) or not secret:
        return False
    given = header_value.strip()
    if given[:7].lower() == "sha256=":
        given = given[7:]
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), given.lower().encode("utf-8", "replace"))


def s3_matches(config: dict[str, Any], bucket: str, key: str) -> bool:
    return (config.get("bucket") == bucket and key.startswith(config.get("prefix") or "")
            and key.endswith(config.get("suffix") or ""))


def next_poll_epoch(sensor_id: str, config: dict[str, Any], now_epoch: int) -> int:
    """now + interval + a jitter in [0, jitter_seconds] that is stable for (sensor, now)."""
    interval = int(config.get("interval_seconds") or DEFAULT_POLL_INTERVAL)
    jitter = int(config.get("jitter_seconds") if config.get("jitter_seconds") is not None
                 else interval // 10)
    digest = hashlib.sha256(f"{sensor_id}:{now_epoch}".encode()).digest()
    return int(now_epoch) + interval + int.from_bytes(digest[:8], "big") % (jitter + 1)


def bounded_key(prefix: str, value: str) -> str:
    """`prefix + value`, or `prefix + sha256:<hex>` when that would exceed 300 characters."""
    key = prefix + value
    if len(key) <= MAX_KEY_LENGTH:
        return key
    return prefix + "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def validate_sensor_config(sensor_type: Any, config: Any) -> dict[str, Any]:
    """Check a sensor's config; returns a copy with the defaults filled in."""
    if sensor_type not in ("webhook", "s3", "polling"):
        raise ValidationError("sensor_type must be one of webhook, s3, polling")
    if config is None:
        config = {}
    if not isinstance(config, dict):
        raise ValidationError("config must be an object")
    checker = {"webhook": _webhook, "s3": _s3, "polling": _polling}[sensor_type]
    allowed, result = checker(dict(config))
    unknown = sorted(set(config) - allowed)
    if unknown:
        raise ValidationError(f"unknown {sensor_type} config keys: {', '.join(unknown)}; "
                              f"allowed: {', '.join(sorted(allowed))}")
    return result


def _mapping(config: dict[str, Any]) -> None:
    mapping = config.get("parameter_mapping")
    if mapping is None:
        config.pop("parameter_mapping", None)
        return
    if not isinstance(mapping, dict):
        raise ValidationError("config.parameter_mapping must be an object {parameter: '$.path'}")
    for name, path in mapping.items():
        if not name or not isinstance(path, str):
            raise ValidationError(f"config.parameter_mapping[{name!r}] must be a JSONPath string")
        parse_path(path)


def _text(config: dict[str, Any], key: str, *, required: bool = False, default: Any = None,
          max_length: int = 1024) -> None:
    value = config.get(key, default)
    if value is None:
        if required:
            raise ValidationError(f"config.{key} is required")
        config.pop(key, None)
        return
    if not isinstance(value, str) or len(value) > max_length or (required and not value):
        raise ValidationError(f"config.{key} must be a string of at most {max_length} characters")
    config[key] = value


def _integer(config: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
    value = config.get(key, default)
    if value is None:
        value = default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(f"config.{key} must be an integer from {low} to {high}")
    config[key] = value
    return value


def _webhook(config: dict[str, Any]) -> tuple[set[str], dict[str, Any]]:
    _mapping(config)
    _text(config, "hmac_secret", max_length=1024)
    if config.get("hmac_secret") == "":
        raise ValidationError("config.hmac_secret must not be empty (leave it out instead)")
    _text(config, "signature_header", default=DEFAULT_SIGNATURE_HEADER, max_length=100)
    if not _HEADER_NAME.fullmatch(config["signature_header"]):
        raise ValidationError("config.signature_header must be an HTTP header name")
    _integer(config, "max_payload_bytes", DEFAULT_MAX_PAYLOAD_BYTES, 1, MAX_PAYLOAD_BYTES)
    return {"parameter_mapping", "hmac_secret", "signature_header", "max_payload_bytes"}, config


def _bucket(config: dict[str, Any]) -> None:
    _text(config, "bucket", required=True, max_length=255)
    if "/" in config["bucket"] or config["bucket"] != config["bucket"].strip():
        raise ValidationError("config.bucket must be a bucket name (no '/', no spaces)")


def _s3(config: dict[str, Any]) -> tuple[set[str], dict[str, Any]]:
    _bucket(config)
    _text(config, "prefix", default="")
    _text(config, "suffix", default="")
    _text(config, "key_parameter", default="key", max_length=200)
    _text(config, "bucket_parameter", max_length=200)
    if not config["key_parameter"] or config.get("bucket_parameter") == "":
        raise ValidationError("config.key_parameter and bucket_parameter must not be empty")
    return {"bucket", "prefix", "suffix", "key_parameter", "bucket_parameter"}, config


def _polling(config: dict[str, Any]) -> tuple[set[str], dict[str, Any]]:
    kind = config.get("kind")
    if kind not in POLL_KINDS:
        raise ValidationError("config.kind must be 'http' or 's3'")
    allowed = {"kind", "interval_seconds", "jitter_seconds", "cursor_parameter",
               "fire_on_first", "parameter_mapping"}
    if kind == "http":
        allowed.add("url")
        _text(config, "url", required=True, max_length=2048)
        url = config["url"]
        if not re.match(r"https?://[^/?#\s]+", url, re.IGNORECASE) or any(c.isspace() for c in url):
            raise ValidationError("config.url must be an http:// or https:// URL with a host")
    else:
        allowed.update({"bucket", "prefix"})
        _bucket(config)
        _text(config, "prefix", default="")
    interval = _integer(config, "interval_seconds", DEFAULT_POLL_INTERVAL, MIN_POLL_INTERVAL,
                        MAX_POLL_INTERVAL)
    _integer(config, "jitter_seconds", interval // 10, 0, interval)
    _text(config, "cursor_parameter", max_length=200)
    fire = config.setdefault("fire_on_first", False)
    if not isinstance(fire, bool):
        raise ValidationError("config.fire_on_first must be true or false")
    _mapping(config)
    return allowed, config
