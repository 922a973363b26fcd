"""The AccessTokenRepository contract (application/ports/access_tokens.py) on memory,
SQLite and PostgreSQL: the same tokens, the same compare-and-set, the same revocations."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from repo_builders import T0, at, uid

from dagy.domain.access_tokens import ACCESS, REFRESH, AccessToken
from dagy.domain.errors import ConflictError


def token(user_id: str = "u1", family_id: str = "f1", kind: str = ACCESS,
          expires: float = 900, **fields) -> AccessToken:
    return AccessToken(uid("t"), kind, user_id, family_id, "ab" * 32, T0, at(expires),
                       **fields)


def put(uow_factory, *tokens: AccessToken) -> None:
    with uow_factory() as uow:
        for t in tokens:
            uow.access_tokens.add(t)
        uow.commit()


def read(uow_factory, token_id: str) -> AccessToken | None:
    with uow_factory() as uow:
        return uow.access_tokens.get(token_id)


def test_add_then_get_returns_the_token_in_utc(uow_factory):
    stored = token(kind=REFRESH, used_at=at(5))
    put(uow_factory, stored)
    assert read(uow_factory, stored.token_id) == stored
    assert read(uow_factory, stored.token_id).expires_at.utcoffset() == timedelta(0)
    assert read(uow_factory, "nope") is None


def test_a_second_token_with_the_same_id_conflicts(uow_factory):
    stored = token()
    put(uow_factory, stored)
    with pytest.raises(ConflictError):
        put(uow_factory, stored)
    assert read(uow_factory, stored.token_id) == stored


def test_without_commit_nothing_is_stored(uow_factory):
    stored = token()
    with uow_factory() as uow:
        uow.access_tokens.add(stored)
    assert read(uow_factory, stored.token_id) is None


def test_mark_used_is_a_compare_and_set(uow_factory):
    fresh, revoked = token(kind=REFRESH), token(kind=REFRESH, revoked=True)
    put(uow_factory, fresh, revoked)
    with uow_factory() as uow:
        assert uow.access_tokens.mark_used(fresh.token_id, at(10)) is True
        assert uow.access_tokens.mark_used(fresh.token_id, at(11)) is False  # already used
        assert uow.access_tokens.mark_used(revoked.token_id, at(10)) is False
        assert uow.access_tokens.mark_used("nope", at(10)) is False
        uow.commit()
    assert read(uow_factory, fresh.token_id).used_at == at(10)
    assert read(uow_factory, revoked.token_id).used_at is None


def test_concurrent_uses_of_one_refresh_token_have_exactly_one_winner(uow_factory):
    """Two refreshes racing with one token: one exchanges it, the other sees it used."""
    fresh = token(kind=REFRESH)
    put(uow_factory, fresh)
    wins, start = [], threading.Barrier(4)

    def use(worker: int) -> None:
        start.wait(10)
        with uow_factory() as uow:
            if uow.access_tokens.mark_used(fresh.token_id, at(worker)):
                wins.append(worker)
            uow.commit()
    threads = [threading.Thread(target=use, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(wins) == 1
    assert read(uow_factory, fresh.token_id).used_at == at(wins[0])


def test_revocations_count_the_tokens_they_changed(uow_factory):
    a1, a2 = token("u1", "fa"), token("u1", "fa", REFRESH)
    b1, other = token("u1", "fb"), token("u2", "fc")
    put(uow_factory, a1, a2, b1, other)
    with uow_factory() as uow:
        assert uow.access_tokens.revoke(a1.token_id) == 1
        assert uow.access_tokens.revoke(a1.token_id) == 0
        assert uow.access_tokens.revoke_family("fa") == 1  # a1 was revoked already
        uow.commit()
    assert [read(uow_factory, t.token_id).revoked for t in (a1, a2, b1, other)] == [
        True, True, False, False]
    c1 = token("u1", "fd")
    put(uow_factory, c1)
    with uow_factory() as uow:
        assert uow.access_tokens.revoke_user("u1", keep_family="fd") == 1  # b1 only
        uow.commit()
    assert read(uow_factory, b1.token_id).revoked and not read(uow_factory, c1.token_id).revoked
    with uow_factory() as uow:
        assert uow.access_tokens.revoke_user("u1") == 1  # c1
        uow.commit()
    assert not read(uow_factory, other.token_id).revoked


def test_purge_expired_deletes_only_that_persons_expired_tokens(uow_factory):
    old, live, others = token("u1", expires=10), token("u1", expires=100), token("u2", expires=10)
    put(uow_factory, old, live, others)
    with uow_factory() as uow:
        assert uow.access_tokens.purge_expired("u1", at(50)) == 1
        uow.commit()
    assert read(uow_factory, old.token_id) is None
    assert read(uow_factory, live.token_id) == live
    assert read(uow_factory, others.token_id) == others
