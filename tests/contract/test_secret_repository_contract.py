"""The SecretRepository contract (application/ports/secrets.py) on memory, SQLite and
PostgreSQL: scopes, uniqueness, pages, and the batches key rotation walks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from repo_builders import T0, at, uid

from dagy.domain.errors import ConflictError, NotFoundError
from dagy.domain.secrets import Secret


def secret(org: str, name: str, environment: str | None = None, *, ct: str = "ct-1",
           key_id: str = "aaaaaaaaaaaa") -> Secret:
    return Secret(org, name, ct, key_id, environment, "a@x.io", "a@x.io", T0, T0)


def put(uow_factory, *secrets: Secret) -> None:
    with uow_factory() as uow:
        for s in secrets:
            uow.secrets.add(s)
        uow.commit()


def test_add_get_round_trips_every_field_and_each_scope_is_its_own(uow_factory):
    org = uid("o")
    wide, prod = secret(org, "TOKEN"), secret(org, "TOKEN", "production", ct="ct-2")
    put(uow_factory, wide, prod)
    with uow_factory() as uow:
        assert uow.secrets.get(org, None, "TOKEN") == wide
        got = uow.secrets.get(org, "production", "TOKEN")
        assert got == prod and got.environment == "production"
        assert got.created_at.utcoffset() == timedelta(0)
        assert uow.secrets.get(org, "staging", "TOKEN") is None
        assert uow.secrets.get(org, None, "token") is None  # names are case-sensitive
        assert uow.secrets.get(uid("other"), None, "TOKEN") is None


def test_a_name_is_unique_per_org_and_scope_org_wide_included(uow_factory):
    org, other = uid("o"), uid("o")
    put(uow_factory, secret(org, "A"), secret(org, "A", "staging"))
    for duplicate in (secret(org, "A", ct="x"), secret(org, "A", "staging", ct="x")):
        with pytest.raises(ConflictError):
            put(uow_factory, duplicate)
    put(uow_factory, secret(other, "A"))
    with uow_factory() as uow:
        assert uow.secrets.get(org, None, "A").encrypted_value == "ct-1"
        uow.secrets.add(secret(org, "B"))  # still usable after the conflict
        uow.commit()
        assert uow.secrets.get(org, None, "B") is not None


def test_update_replaces_value_fields_and_keeps_creation(uow_factory):
    org = uid("o")
    put(uow_factory, secret(org, "A", "staging"))
    changed = secret(org, "A", "staging", ct="ct-new", key_id="bbbbbbbbbbbb")
    changed.updated_by, changed.updated_at = "b@x.io", at(60)
    changed.created_by, changed.created_at = "someone-else", at(999)
    with uow_factory() as uow:
        uow.secrets.update(changed)
        uow.commit()
    with uow_factory() as uow:
        got = uow.secrets.get(org, "staging", "A")
        assert (got.encrypted_value, got.key_id, got.updated_by) == ("ct-new", "bbbbbbbbbbbb",
                                                                      "b@x.io")
        assert got.updated_at == at(60)
        assert (got.created_by, got.created_at) == ("a@x.io", T0)
        with pytest.raises(NotFoundError):
            uow.secrets.update(secret(org, "A"))  # the org-wide one does not exist


def test_delete_removes_only_that_scope(uow_factory):
    org = uid("o")
    put(uow_factory, secret(org, "A"), secret(org, "A", "staging"))
    with uow_factory() as uow:
        assert uow.secrets.delete(org, "staging", "A") is True
        assert uow.secrets.delete(org, "staging", "A") is False
        assert uow.secrets.delete(uid("other"), None, "A") is False
        uow.commit()
    with uow_factory() as uow:
        assert uow.secrets.get(org, None, "A") is not None
        assert uow.secrets.get(org, "staging", "A") is None


def test_list_pages_in_creation_order_with_scope_filters(uow_factory):
    org, other = uid("o"), uid("o")
    put(uow_factory, secret(org, "Z"), secret(org, "A", "staging"), secret(other, "M"),
        secret(org, "M"), secret(org, "Q", "production"))
    with uow_factory() as uow:
        names, cursor, pages = [], None, 0
        while pages < 10:
            page, cursor = uow.secrets.list(org, limit=2, cursor=cursor)
            names += [(s.secret_name, s.environment) for s in page]
            pages += 1
            if cursor is None:
                break
        assert names == [("Z", None), ("A", "staging"), ("M", None), ("Q", "production")]
        assert pages == 2
        staged, _ = uow.secrets.list(org, environment="staging")
        assert [s.secret_name for s in staged] == ["A"]
        wide, _ = uow.secrets.list(org, org_wide=True)
        assert [s.secret_name for s in wide] == ["Z", "M"]
        with pytest.raises(ValueError):
            uow.secrets.list(org, cursor="not-a-cursor")


def test_under_other_keys_walks_every_org_in_key_order_in_batches(uow_factory):
    base = uid("o")
    orgs = [base + "-a", base + "-b"]
    new = "newnewnewnew"
    put(uow_factory, secret(orgs[1], "B"), secret(orgs[0], "B", "staging"),
        secret(orgs[0], "A"), secret(orgs[0], "C", key_id=new), secret(orgs[0], "B"))
    with uow_factory() as uow:
        seen, after, batches = [], None, 0
        while batches < 10:
            batch = [s for s in uow.secrets.under_other_keys(new, limit=2, after=after)
                     if s.org_id in orgs]
            if not batch:
                break
            seen += [(s.org_id, s.environment or "", s.secret_name) for s in batch]
            last = batch[-1]
            after = (last.org_id, last.environment or "", last.secret_name)
            batches += 1
        assert seen == [(orgs[0], "", "A"), (orgs[0], "", "B"), (orgs[0], "staging", "B"),
                        (orgs[1], "", "B")]
        assert all(s.key_id != new for s in uow.secrets.under_other_keys(new, limit=100)
                   if s.org_id in orgs)


def test_replace_ciphertext_is_a_compare_and_set(uow_factory):
    org = uid("o")
    put(uow_factory, secret(org, "A", "staging"))
    with uow_factory() as uow:
        current = uow.secrets.get(org, "staging", "A")
        stale = secret(org, "A", "staging", ct="something-else")
        assert uow.secrets.replace_ciphertext(stale, "ct-x", "bbbbbbbbbbbb") is False
        assert uow.secrets.replace_ciphertext(current, "ct-2", "bbbbbbbbbbbb") is True
        uow.commit()
    with uow_factory() as uow:
        got = uow.secrets.get(org, "staging", "A")
        assert (got.encrypted_value, got.key_id) == ("ct-2", "bbbbbbbbbbbb")
        assert got.updated_at == T0  # rotation is not a change of the secret
