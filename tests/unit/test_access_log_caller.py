"""Who the access log names as the caller (entrypoints/api/access_log.note_caller)."""

from __future__ import annotations

from dagy.application.principal import Principal
from dagy.entrypoints.api.access_log import note_caller


def noted(principal: Principal) -> tuple:
    scope: dict = {}
    note_caller(scope, principal)
    return scope["state"]["credential_id"], scope["state"]["org_id"]


def test_a_key_a_token_a_person_and_the_system():
    assert noted(Principal("o", key_id="k1")) == ("k1", "o")
    assert noted(Principal("o", user_id="u1", credential_kind="access_token",
                           credential_id="t1")) == ("t1", "o")
    assert noted(Principal("o", user_id="u1", credential_kind="jwt")) == ("user:u1", "o")
    assert noted(Principal("o")) == ("anonymous", "o")
