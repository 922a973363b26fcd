"""What the audit log stores of a value (application/audit_trail.stored_form): plain
JSON, secrets masked by the domain's rule, taken once, and equal to what it hashes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from dagy.application.audit_trail import Stored, snapshot, stored_form
from dagy.domain.audit import REDACTED, is_secret_key, redact
from dagy.domain.permissions import Role


@dataclass
class Thing:
    name: str
    api_token: str | None
    role: Role
    when: datetime
    tags: dict = field(default_factory=dict)


def test_values_become_plain_json_with_secrets_masked():
    when = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=timezone(timedelta(hours=2)))
    value = {"thing": Thing("t", "tok-plain", Role.ADMIN, when, {"Password": "p"}),
             "list": ({"client_secret": "s", "n": 1}, {"x"}), "nan": float("nan"),
             "naive": datetime(2026, 1, 1), "unset_secret": None, 7: "seven"}
    stored = stored_form(value)
    assert stored == {
        "thing": {"name": "t", "api_token": REDACTED, "role": "admin",
                  "when": "2026-01-02T01:04:05.000006Z", "tags": {"Password": REDACTED}},
        "list": [{"client_secret": REDACTED, "n": 1}, ["x"]], "nan": "nan",
        "naive": "2026-01-01T00:00:00.000000Z", "unset_secret": None, "7": "seven"}
    assert json.loads(json.dumps(stored)) == stored
    assert "tok-plain" not in json.dumps(stored)


def test_the_mask_is_the_domain_rule():
    plain = {"db_password": "x", "webhook_token": "y", "value": "z", "name": "n",
             "nested": {"private_key": "k", "ok": [1, 2]}}
    assert stored_form(plain) == redact(plain)
    assert is_secret_key("API_KEY") and is_secret_key("hmac_secret") and not is_secret_key("n")


def test_a_snapshot_is_taken_at_once_and_not_walked_again():
    thing = Thing("t", None, Role.OWNER, datetime(2026, 1, 1, tzinfo=timezone.utc))
    taken = snapshot(thing, drop=("when",))
    thing.tags["late"] = "change"
    assert taken == {"name": "t", "api_token": None, "role": "owner", "tags": {}}
    assert type(taken) is Stored and stored_form(taken) is taken
    assert snapshot(None) is None and stored_form(None) is None


def test_deep_values_are_cut_not_recursed_forever():
    deep: dict = {}
    node = deep
    for _ in range(200):
        node["d"] = {}
        node = node["d"]
    stored = stored_form(deep)
    assert isinstance(json.dumps(stored), str)
