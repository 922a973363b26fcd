"""Tampering with stored audit entries is found: on SQLite and PostgreSQL, editing one
row's `after` with plain SQL, or deleting one row, makes the client-side verification
(dagy.audit_chain.verify_remote, what `dagy audit verify` runs) name that entry."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
import sqlalchemy as sa
from fresh_databases import fresh_postgres_schema, postgres_url, search_path_url

from dagy.adapters.crypto.aes_gcm import generate_key_text
from dagy.adapters.crypto.fernet_keyring import generate_fernet_key
from dagy.audit_chain import verify_remote
from dagy.entrypoints.container import build_container
from dagy.entrypoints.settings import DagySettings


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sql_api(request, api_for, tmp_path):
    """The API on the SQL adapters of a real container, and its engine."""
    with ExitStack() as stack:
        settings = DagySettings(home=tmp_path / "home")
        if request.param == "postgres":
            url = search_path_url(postgres_url(), stack.enter_context(
                fresh_postgres_schema(postgres_url())))
            keyring = ({"secret_keys": generate_fernet_key()}  # tenants' secrets, if kept
                       if "secret_keys" in DagySettings.model_fields else {})
            settings = DagySettings(home=tmp_path / "home", database_url=url,
                                    secret_key=generate_key_text(),
                                    api_key_pepper="audit-tamper-pepper-0123456789abcdef",
                                    **keyring)
        container = build_container(settings)
        stack.callback(container.close)
        yield api_for(container.deps), container.database.engine


class ViaTestClient:
    """The one call verify_remote makes of a DagyClient, over the ASGI test client."""

    def __init__(self, api) -> None:
        self.api = api

    def _request(self, method: str, path: str, query: dict | None = None):
        answer = self.api.call(method, path, params=query)
        assert answer.status_code == 200, answer.text
        return answer.json()


def seeded(api) -> int:
    """A few mutations; the number of entries."""
    api.deploy()
    for tags in ({"a": "1"}, {"a": "2"}, {"a": "3"}):
        answer = api.call("PATCH", "/deployments/numbers-prod", json={"tags": tags})
        assert answer.status_code == 200, answer.text
    report = verify_remote(ViaTestClient(api), page_size=2)
    assert report.broken is None and report.entries >= 7
    return report.entries


def test_an_edited_after_is_found_at_its_seq(sql_api):
    api, engine = sql_api
    total = seeded(api)
    audit_logs = sa.table("audit_logs", sa.column("seq"), sa.column("after_json", sa.JSON),
                          sa.column("action"))
    with engine.begin() as conn:
        seq = conn.execute(sa.select(sa.func.max(audit_logs.c.seq))
                           .where(audit_logs.c.action == "deployment.update")).scalar_one()
        conn.execute(sa.update(audit_logs).where(audit_logs.c.seq == seq - 1)
                     .values(after_json={"tags": {"a": "forged"}}))
    report = verify_remote(ViaTestClient(api), page_size=3)
    assert report.broken is not None and report.broken.seq == seq - 1, report
    assert "edited" in report.broken.reason and report.entries == seq - 1 < total


def test_a_deleted_row_is_found_where_it_was(sql_api):
    api, engine = sql_api
    seeded(api)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_logs WHERE seq = 4"))
    report = verify_remote(ViaTestClient(api))
    assert report.broken is not None and report.broken.seq == 5, report
    assert "expected entry 4" in report.broken.reason


def test_a_dropped_newest_entry_is_found_with_the_anchored_head(sql_api):
    api, engine = sql_api
    seeded(api)
    head = verify_remote(ViaTestClient(api)).head
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_logs WHERE seq = (SELECT max(seq) FROM "
                             "audit_logs)"))
    assert verify_remote(ViaTestClient(api)).broken is None  # the chain alone cannot tell
    report = verify_remote(ViaTestClient(api), expect_head=head)
    assert report.broken is not None and "expected head" in report.broken.reason


def test_every_kind_of_entry_survives_the_database_and_verifies(sql_api):
    """Each resource's view goes through the JSON columns and back unchanged: the
    client recomputes the same hashes (text beyond ASCII and big numbers included)."""
    from test_api_audit_logs import mutate_everything

    api, _ = sql_api
    mutate_everything(api)
    again = api.post("/deployments", json={"deployment_name": "numbers-prod",
                                           "flow_name": "numbers", "flow_version": "1.0.0"})
    assert again.status_code == 201, again.text  # mutate_everything ended by deleting it
    answer = api.call("PATCH", "/deployments/numbers-prod", json={
        "tags": {"team": "données ✓"}, "parameters": {"n": 2**62, "ratio": 0.1}})
    assert answer.status_code == 200, answer.text
    report = verify_remote(ViaTestClient(api), page_size=5)
    assert report.broken is None and report.entries > 25
