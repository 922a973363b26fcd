"""The bad-input matrix: hostile values injected into every mutating endpoint.

Endpoints are enumerated from the FastAPI app's routes (every POST / PUT / PATCH /
DELETE), so a new endpoint is covered without touching this file; one that reads a JSON
body must have a valid base body in BASE_BODIES (a test says so when one is missing).
Bad values are raw JSON text: Python's json module would normalise them before sending.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi.routing import APIRoute

MiB = 1024 * 1024
SLOT = "@@BAD@@"
MUTATING = ("POST", "PUT", "PATCH", "DELETE")


def deep(levels: int, kind: str = "array") -> str:
    return ("[" * levels + "]" * levels if kind == "array"
            else '{"a":' * levels + "1" + "}" * levels)


# A value that is bad wherever it appears in a JSON document (raw text, or bytes).
BAD_ANYWHERE: dict[str, str | bytes] = {
    "deep_array_100": deep(100), "deep_array_500": deep(500), "deep_array_5000": deep(5000),
    "deep_object_500": deep(500, "object"),
    "nan": "NaN", "infinity": "Infinity", "minus_infinity": "-Infinity",
    "overflow_1e999999": "1e999999", "overflow_minus": "-1e999999",
    "huge_integer_5000_digits": "1" + "0" * 5000,
    "lone_surrogate_high": '"\\ud800"', "lone_surrogate_low": '"abc\\udfff"',
    "lone_surrogate_key": '{"\\ud83d": 1}', "surrogate_in_nested_key": '{"a": {"\\udc00x": 2}}',
    "utf8_encoded_surrogate": b'"\xed\xa0\x80"', "invalid_utf8": b'"\xff\xfe"',
    "duplicate_keys": '{"a": 1, "a": 2}',
    "huge_string_over_limit": '"' + "x" * (MiB + 10) + '"',
}
BAD_ANYWHERE_BODIES = {f"body_{k}": v for k, v in BAD_ANYWHERE.items()}
# Whole bodies that are not a usable JSON object.
BAD_BODIES: dict[str, str | bytes] = {
    **BAD_ANYWHERE_BODIES,
    "body_array": "[]", "body_number": "1", "body_string": '"x"', "body_null": "null",
    "body_true": "true", "body_array_of_objects": '[{"a": 1}]', "body_truncated": '{"a":',
    "body_not_json": "{bad json", "body_empty_object_array": "[{}]",
}
# Bad path parameters (already percent-encoded for the URL).
BAD_PATH_VALUES = {
    "encoded_surrogate": "%ED%A0%80", "invalid_utf8": "%FF%FE", "nul": "a%00b",
    "very_long": "x" * 5000, "traversal": "..%2F..%2Fetc", "emoji": "%F0%9F%98%80",
}
LONG_STRING = '"' + "y" * 10_000 + '"'
# fields whose valid text may be longer than LONG_STRING get one just past their bound
LONG_STRING_FOR = {("PUT", "/secrets/{secret_name}", "value"): '"' + "y" * (64 * 1024 + 1) + '"'}


def base_bodies(ids: dict[str, str], register_body: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """A valid body for each (method, path template) that reads one."""
    return {
        ("POST", "/flows"): register_body,
        ("POST", "/artifacts"): {"flow_name": ids["flow_name"], "sha256": "0" * 64},
        ("POST", "/deployments"): {"deployment_name": "dep-new", "flow_name": ids["flow_name"],
                                   "flow_version": "1.0.0", "tags": {"team": "a"},
                                   "parameters": {"x": 3.0}},
        ("PATCH", "/deployments/{deployment_name}"): {"parameters": {"x": 4.0},
                                                      "tags": {"t": "v"}},
        ("POST", "/schedules"): {"deployment_name": ids["deployment_name"], "mode": "interval",
                                 "interval_seconds": 3600, "parameters": {"y": 1},
                                 "timezone": "UTC", "enabled": True},
        ("PATCH", "/schedules/{schedule_id}"): {"parameters": {"y": 2}, "enabled": True},
        ("POST", "/runs"): {"deployment_name": ids["deployment_name"], "parameters": {"y": 3},
                            "idempotency_key": "matrix-key"},
        ("POST", "/sensors"): {"name": "new-hook", "sensor_type": "webhook",
                               "deployment_name": ids["deployment_name"],
                               "flow_params": {"x": 1.0},
                               "config": {"parameter_mapping": {"y": "$.a"}}},
        ("PATCH", "/sensors/{sensor_id}"): {"flow_params": {"x": 2.0}, "enabled": True},
        ("POST", "/hooks/{token}"): {"a": "payload"},
        ("POST", "/runs/{run_id}/retry"): {"from_tasks": ["echo"]},
        ("POST", "/orgs"): {"name": "matrix-org"},
        ("PATCH", "/orgs/{org_id}/members/{user_id}"): {"role": "owner"},
        ("POST", "/orgs/{org_id}/invitations"): {"email": "matrix@example.com",
                                                 "role": "developer"},
        ("POST", "/invitations/{token}/accept"): {"password": "a matrix passphrase"},
        ("POST", "/api-keys"): {"name": "matrix-key", "role": "viewer",
                                "environments": ["staging"]},
        ("POST", "/auth/login"): {"email": "admin@localhost", "password": "matrix password"},
        ("POST", "/auth/refresh"): {"refresh_token": "dagyrt_0a1b2c_matrix"},
        ("PUT", "/me/password"): {"current_password": "matrix password",
                                  "new_password": "a new matrix password"},
        ("POST", "/environments"): {"env_name": "matrix-new", "default_runtime_tier": "small",
                                    "config_json": {"a": [1, 2.5]}},
        ("PATCH", "/environments/{env_name}"): {"config_json": {"b": 1},
                                                "default_executor": "local"},
        ("PUT", "/secrets/{secret_name}"): {"value": "a matrix secret", "environment": "staging"},
        ("POST", "/deployments/{deployment_name}/promote"): {"to_environment": "staging",
                                                             "name": "dep-promoted"},
        ("POST", "/deployments/{deployment_name}/backfill"): {
            "start": "2026-01-01T00:00:00Z", "end": "2026-01-03T00:00:00Z",
            "schedule_id": ids["schedule_id"], "max_concurrent": 5},
    }


# Endpoints whose valid base body is still refused on these datastores (the local
# artifact store does not presign uploads): injections there are checked all the same.
# A refresh token is good for one exchange, and a password change needs a person (the
# harness calls with an API key): their base bodies are refused with 401 / 403.
BASE_NOT_ACCEPTED = {("POST", "/artifacts"), ("POST", "/auth/refresh"), ("PUT", "/me/password")}
# Creating an org needs a person (403 for the harness's key); the accept route's {token}
# is filled with the webhook's token, which is no invitation's (404).
BASE_NOT_ACCEPTED |= {("POST", "/orgs"), ("POST", "/invitations/{token}/accept")}
RAW_BODY_ROUTES = {("POST", "/hooks/{token}")}  # read the body themselves, JSON or not


@dataclass(frozen=True)
class Attack:
    method: str
    template: str
    path: str
    label: str
    content: bytes
    headers: tuple[tuple[str, str], ...]

    def describe(self) -> str:
        return f"{self.method} {self.template} [{self.label}]"


@dataclass(frozen=True)
class Endpoint:
    path: str
    methods: frozenset[str]
    reads_json: bool  # FastAPI parses a JSON body for it (a body model)


def mutating_routes(app: Any) -> list[Endpoint]:
    """Every route taking POST / PUT / PATCH / DELETE, included routers flattened."""
    try:
        from fastapi.routing import iter_route_contexts
        routes = [(ctx.path, ctx.original_route) for ctx in iter_route_contexts(app.routes)]
    except ImportError:  # FastAPI before included routers were kept lazily
        routes = [(route.path, route) for route in app.routes]
    return [Endpoint(path, frozenset(route.methods), route.body_field is not None)
            for path, route in routes
            if isinstance(route, APIRoute) and set(route.methods) & set(MUTATING)]


def _fill(template: str, ids: dict[str, str], override: dict[str, str] | None = None) -> str:
    path = template
    for name in _params(template):
        path = path.replace("{" + name + "}", (override or {}).get(name, ids.get(name, "x")))
    return path


def _params(template: str) -> list[str]:
    return [part[1:-1] for part in template.split("/") if part.startswith("{")]


def _encode(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")


def _inject(body: Any, where: tuple[str, ...], raw: str | bytes) -> bytes:
    """`body` as JSON with the value at `where` replaced by the raw text `raw`."""
    doc = json.loads(json.dumps(body))
    target = doc
    for step in where[:-1]:
        target = target[step]
    target[where[-1]] = SLOT
    text = json.dumps(doc).encode()
    return text.replace(json.dumps(SLOT).encode(), _encode(raw), 1)


def _sites(body: dict[str, Any]) -> Iterator[tuple[str, ...]]:
    """Every top-level field, and one new key inside every object-valued field."""
    for key, value in body.items():
        yield (key,)
        if isinstance(value, dict):
            yield (key, "a")


def _wrong_types(value: Any) -> dict[str, str]:
    if isinstance(value, bool):
        return {"string_for_bool": '"yes"', "number_for_bool": "2"}
    if isinstance(value, str):
        return {"object_for_string": '{"a": 1}', "array_for_string": "[1]",
                "number_for_string": "7", "long_string": LONG_STRING,
                "nul_in_string": '"a\\u0000b"'}
    if isinstance(value, int):
        return {"string_for_int": '"1"', "float_for_int": "1.5", "int_past_64_bits": str(2**64)}
    if isinstance(value, dict):
        return {"string_for_object": '"x"', "array_for_object": "[1, 2]"}
    return {}


def attacks(app: Any, ids: dict[str, str], register_body: dict[str, Any]) -> Iterator[Attack]:
    bodies = base_bodies(ids, register_body)
    json_type = (("Content-Type", "application/json"),)
    for route in mutating_routes(app):
        for method in sorted(set(route.methods) & set(MUTATING)):
            template, key = route.path, (method, route.path)
            path = _fill(template, ids)
            reads_body = route.reads_json or key in RAW_BODY_ROUTES
            base = bodies.get(key)
            header_sets = [json_type] + ([()] if reads_body else [])
            # a route that ignores its body only refuses one that is not strict JSON
            for label, raw in (BAD_BODIES if reads_body else BAD_ANYWHERE_BODIES).items():
                for headers in header_sets:
                    suffix = "" if headers else " no content-type"
                    yield Attack(method, template, path, label + suffix, _encode(raw), headers)
            if isinstance(base, dict):
                for site in _sites(base):
                    where = ".".join(site)
                    for label, raw in BAD_ANYWHERE.items():
                        for headers in header_sets:
                            suffix = "" if headers else " no content-type"
                            yield Attack(method, template, path, f"{where}={label}{suffix}",
                                         _inject(base, site, raw), headers)
                    if len(site) == 1 and key not in RAW_BODY_ROUTES:
                        for label, raw in _wrong_types(base[site[0]]).items():
                            if label == "long_string":
                                raw = LONG_STRING_FOR.get((method, template, site[0]), raw)
                            yield Attack(method, template, path, f"{where}={label}",
                                         _inject(base, site, raw), json_type)
            for name in _params(template):
                for label, value in BAD_PATH_VALUES.items():
                    content = json.dumps(base).encode() if base is not None else b""
                    yield Attack(method, template, _fill(template, ids, {name: value}),
                                 f"path {name}={label}", content, json_type if content else ())


def missing_base_bodies(app: Any, ids: dict[str, str],
                        register_body: dict[str, Any]) -> list[str]:
    bodies = base_bodies(ids, register_body)
    return [f"{method} {route.path}" for route in mutating_routes(app)
            for method in sorted(set(route.methods) & set(MUTATING))
            if route.reads_json and (method, route.path) not in bodies]
