"""Mapping an identity provider's account to a Dagy user (use_cases/identity_tokens.py)
on memory, SQLite and PostgreSQL: `sub` finds the linked user, else a (verified) email
links the user on first use; no user, no access; the role is the membership's, read on
every request."""

from __future__ import annotations

import pytest

from dagy.adapters.memory.identity_tokens import InMemoryIdentityTokens
from dagy.application.ports.identity_tokens import ExternalIdentity
from dagy.application.use_cases.identity_tokens import authenticate_identity_token
from dagy.domain.errors import ConflictError, NotFoundError, UnavailableError
from dagy.domain.permissions import Role
from dagy.domain.tenancy import AuthenticationError, Membership, Organization, User
from dagy.entrypoints.wiring import build_deps

ISSUER = "https://idp.example.test/"


@pytest.fixture
def world(uow_factory):
    tokens = InMemoryIdentityTokens()
    deps = build_deps(uow=uow_factory, identity_tokens=tokens)
    with deps.uow() as uow:
        uow.orgs.add(Organization("o1", "acme"))
        uow.orgs.add(Organization("o2", "beta"))
        uow.users.add(User("u-ann", "ann@example.com"))
        uow.users.add(User("u-bob", "bob@example.com", external_subject=f"{ISSUER}|bob-sub"))
        uow.memberships.add(Membership("o1", "u-ann", Role.VIEWER))
        uow.memberships.add(Membership("o1", "u-bob", Role.DEVELOPER))
        uow.memberships.add(Membership("o2", "u-bob", Role.ADMIN))
        uow.commit()
    return deps, tokens


def token(tokens, sub="ann-sub", email="ann@example.com", verified=None, **claims) -> str:
    return tokens.issue(ExternalIdentity(ISSUER, sub, email, claims, email_verified=verified))


def user(deps, user_id):
    with deps.uow() as uow:
        return uow.users.get(user_id)


def test_the_repository_finds_a_user_by_external_subject_and_keeps_it_unique(uow_factory):
    with uow_factory() as uow:
        uow.users.add(User("u1", "a@example.com", external_subject="iss|1"))
        uow.users.add(User("u2", "b@example.com"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.get_by_external_subject("iss|1").user_id == "u1"
        assert uow.users.get_by_external_subject("iss|2") is None
        taker = uow.users.get("u2")
        taker.external_subject = "iss|1"
        with pytest.raises(ConflictError):
            uow.users.update(taker)
    with uow_factory() as uow:
        assert uow.users.get("u2").external_subject is None


def test_a_linked_subject_maps_to_its_user_whatever_the_email_says(world):
    deps, tokens = world
    principal = authenticate_identity_token(deps, token(tokens, "bob-sub", "x@else.test"), None)
    assert (principal.user_id, principal.org_id, principal.role) == ("u-bob", "o1",
                                                                     Role.DEVELOPER)
    assert principal.credential_kind == "jwt" and principal.key_id is None
    beta = authenticate_identity_token(deps, token(tokens, "bob-sub", None), "beta")
    assert (beta.org_id, beta.role) == ("o2", Role.ADMIN)


def test_an_email_links_the_account_on_first_use_and_the_subject_maps_after(world):
    deps, tokens = world
    first = authenticate_identity_token(deps, token(tokens, jti="t-1"), None)
    assert (first.user_id, first.role, first.credential_id) == ("u-ann", Role.VIEWER, "jwt:t-1")
    assert user(deps, "u-ann").external_subject == f"{ISSUER}|ann-sub"
    with deps.uow() as uow:
        entries = uow.audit_logs.in_order("o1")
    assert [(e.action, e.actor, e.resource_id) for e in entries] == [
        ("user.link_identity", "user:u-ann", "u-ann")]
    # the email changed at the provider: the subject still finds her
    again = authenticate_identity_token(deps, token(tokens, email="ann@new.test"), None)
    assert again.user_id == "u-ann"


def test_the_role_is_read_from_the_membership_on_every_request(world):
    deps, tokens = world
    presented = token(tokens, "bob-sub")
    assert authenticate_identity_token(deps, presented, None).role == Role.DEVELOPER
    with deps.uow() as uow:
        uow.memberships.set_role("o1", "u-bob", Role.VIEWER)
        uow.commit()
    assert authenticate_identity_token(deps, presented, None).role == Role.VIEWER


@pytest.mark.parametrize("presented,reason", [
    (dict(sub="nobody", email="nobody@example.com"), "no Dagy user for this identity"),
    (dict(sub="nobody", email=None), "no Dagy user for this identity"),
    (dict(sub="nobody", email="not an email"), "no Dagy user for this identity"),
    (dict(email="ann@example.com", verified=False), "not verified this email"),
    (dict(sub="other-bob", email="bob@example.com"), "linked to another account"),
])
def test_no_user_or_an_unsafe_link_is_refused_and_nothing_is_written(world, presented, reason):
    deps, tokens = world
    with pytest.raises(AuthenticationError, match=reason):
        authenticate_identity_token(deps, token(tokens, **presented), None)
    assert user(deps, "u-ann").external_subject is None
    assert user(deps, "u-bob").external_subject == f"{ISSUER}|bob-sub"


def test_an_unverified_email_may_link_only_when_the_token_does_not_deny_it(world):
    deps, tokens = world
    assert authenticate_identity_token(deps, token(tokens, verified=True), None).user_id == "u-ann"


def test_a_token_that_does_not_verify_or_a_provider_that_is_down_is_refused(world):
    deps, tokens = world
    with pytest.raises(AuthenticationError):
        authenticate_identity_token(deps, "forged.token.value", None)
    tokens.failure = UnavailableError("the identity provider's keys could not be fetched")
    with pytest.raises(UnavailableError):
        authenticate_identity_token(deps, token(tokens), None)


def test_an_org_the_person_is_not_a_member_of_is_not_found(world):
    deps, tokens = world
    with pytest.raises(NotFoundError):
        authenticate_identity_token(deps, token(tokens), "beta")


def test_without_a_verifier_no_identity_token_is_accepted(uow_factory):
    deps = build_deps(uow=uow_factory)
    with pytest.raises(AuthenticationError, match="accepts no identity-provider JWTs"):
        authenticate_identity_token(deps, "a.b.c", None)
