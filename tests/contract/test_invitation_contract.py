"""The InvitationRepository contract (application/ports/invitations.py) on memory, SQLite
and PostgreSQL: the same invitations, the same pending lists, the same compare-and-set
acceptance; and MembershipRepository.lock_owners, which the last-owner rule reads."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from repo_builders import T0, at, uid

from dagy.domain.errors import ConflictError
from dagy.domain.invitations import Invitation
from dagy.domain.permissions import Role
from dagy.domain.tenancy import Membership


def invitation(org_id: str = "o1", email: str = "ann@example.com", role: Role = Role.DEVELOPER,
               expires: float = 3600, **fields) -> Invitation:
    return Invitation(uid("i"), org_id, email, role, "user:u1", "ab" * 32, T0, at(expires),
                      **fields)


def put(uow_factory, *invitations: Invitation) -> None:
    with uow_factory() as uow:
        for one in invitations:
            uow.invitations.add(one)
        uow.commit()


def test_add_then_get_and_find_return_it_in_utc_and_only_in_its_org(uow_factory):
    stored = invitation(role=Role.ADMIN)
    put(uow_factory, stored)
    with uow_factory() as uow:
        assert uow.invitations.get("o1", stored.invitation_id) == stored
        assert uow.invitations.find(stored.invitation_id) == stored
        assert uow.invitations.get("o2", stored.invitation_id) is None
        assert uow.invitations.find("nope") is None
        got = uow.invitations.find(stored.invitation_id)
        assert got.role is Role.ADMIN and got.expires_at.utcoffset() == timedelta(0)


def test_a_second_invitation_with_the_same_id_conflicts_and_nothing_without_commit(uow_factory):
    stored = invitation()
    put(uow_factory, stored)
    with pytest.raises(ConflictError):
        put(uow_factory, stored)
    other = invitation()
    with uow_factory() as uow:
        uow.invitations.add(other)
    with uow_factory() as uow:
        assert uow.invitations.find(other.invitation_id) is None
        assert uow.invitations.find(stored.invitation_id) == stored


def test_pending_leaves_out_accepted_expired_and_other_orgs_and_pages_oldest_first(uow_factory):
    first, second, third = (invitation(email=f"p{n}@example.com") for n in range(3))
    expired = invitation(expires=10)
    accepted = invitation(accepted_at=at(5), accepted_by="u9")
    elsewhere = invitation(org_id="o2")
    put(uow_factory, first, expired, second, accepted, elsewhere, third)
    with uow_factory() as uow:
        page, cursor = uow.invitations.pending("o1", at(60), limit=2)
        assert [i.invitation_id for i in page] == [first.invitation_id, second.invitation_id]
        rest, end = uow.invitations.pending("o1", at(60), limit=2, cursor=cursor)
        assert [i.invitation_id for i in rest] == [third.invitation_id] and end is None
        everything, _ = uow.invitations.pending("o1", at(0))
        assert expired.invitation_id in {i.invitation_id for i in everything}
        assert uow.invitations.pending("o1", at(7200)) == ([], None)  # all expired by then


def test_pending_for_email_is_the_live_one(uow_factory):
    old = invitation(expires=10)
    live = invitation()
    put(uow_factory, old, live, invitation(org_id="o2"))
    with uow_factory() as uow:
        assert uow.invitations.pending_for_email("o1", "ann@example.com", at(60)) == live
        assert uow.invitations.pending_for_email("o1", "bob@example.com", at(60)) is None
        assert uow.invitations.pending_for_email("o3", "ann@example.com", at(60)) is None


def test_mark_accepted_is_a_compare_and_set(uow_factory):
    stored = invitation()
    put(uow_factory, stored)
    with uow_factory() as uow:
        assert uow.invitations.mark_accepted(stored.invitation_id, at(30), "u2") is True
        assert uow.invitations.mark_accepted(stored.invitation_id, at(40), "u3") is False
        assert uow.invitations.mark_accepted("nope", at(40), "u3") is False
        uow.commit()
    with uow_factory() as uow:
        got = uow.invitations.find(stored.invitation_id)
        assert (got.accepted_at, got.accepted_by) == (at(30), "u2")
        assert uow.invitations.mark_accepted(stored.invitation_id, at(50), "u4") is False


def test_delete_only_in_its_org(uow_factory):
    stored = invitation()
    put(uow_factory, stored)
    with uow_factory() as uow:
        assert uow.invitations.delete("o2", stored.invitation_id) is False
        assert uow.invitations.delete("o1", stored.invitation_id) is True
        assert uow.invitations.delete("o1", stored.invitation_id) is False
        uow.commit()
    with uow_factory() as uow:
        assert uow.invitations.find(stored.invitation_id) is None


def test_lock_owners_names_the_owners_oldest_first_in_the_transaction(uow_factory):
    with uow_factory() as uow:
        for user, role in (("u1", Role.OWNER), ("u2", Role.ADMIN), ("u3", Role.OWNER)):
            uow.memberships.add(Membership("o1", user, role, T0))
        uow.memberships.add(Membership("o2", "u4", Role.OWNER, T0))
        uow.commit()
    with uow_factory() as uow:
        assert uow.memberships.lock_owners("o1") == ["u1", "u3"]
        uow.memberships.set_role("o1", "u1", Role.VIEWER)
        assert uow.memberships.lock_owners("o1") == ["u3"]  # sees its own change
        assert uow.memberships.lock_owners("o9") == []


def test_lock_owners_makes_a_concurrent_demotion_see_the_first_one(uow_factory):
    """Two owners demoting each other at once: the second one's lock_owners waits for the
    first transaction and then sees one owner, so the last-owner rule holds."""
    with uow_factory() as uow:
        for user in ("u1", "u2"):
            uow.memberships.add(Membership("o1", user, Role.OWNER, T0))
        uow.commit()
    seen: list[list[str]] = []

    def second() -> None:
        with uow_factory() as other:
            seen.append(other.memberships.lock_owners("o1"))

    with uow_factory() as uow:
        assert uow.memberships.lock_owners("o1") == ["u1", "u2"]
        uow.memberships.set_role("o1", "u1", Role.ADMIN)
        thread = threading.Thread(target=second, daemon=True)
        thread.start()
        time.sleep(0.3)
        assert seen == []  # still waiting for this transaction
        uow.commit()
    thread.join(timeout=20)
    assert not thread.is_alive() and seen == [["u2"]]
