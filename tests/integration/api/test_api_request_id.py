"""Every answer carries X-Request-Id: the caller's when it is a sane short token, else a
fresh one (errors included), and the id the audit log records is that same one."""

from __future__ import annotations

import pytest

from dagy.entrypoints.api.request_origin import request_id_from


def test_a_sane_caller_id_is_echoed(api):
    response = api.get("/runs", headers={"X-Request-Id": "abc-123.DEF:9_x"})
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "abc-123.DEF:9_x"


@pytest.mark.parametrize("given", ["", "a" * 65, "has space", "semi;colon", "ünï", "a\tb"])
def test_an_odd_caller_id_is_replaced_by_a_fresh_one(api, given):
    response = api.get("/runs", headers={"X-Request-Id": given.encode("utf-8")})
    returned = response.headers["x-request-id"]
    assert returned != given and len(returned) == 32 and int(returned, 16) >= 0


def test_errors_and_unauthenticated_answers_carry_an_id_too(api):
    ids = {api.client.get("/runs").headers["x-request-id"],  # 401
           api.get("/runs/nope").headers["x-request-id"],  # 404
           api.client.get("/health").headers["x-request-id"]}
    assert len(ids) == 3


def test_request_id_from_keeps_only_sane_tokens():
    assert request_id_from("r-1") == "r-1"
    assert request_id_from(b"r-2") == "r-2"
    assert request_id_from(None) != request_id_from(None)
    assert request_id_from("x" * 100) != "x" * 100
