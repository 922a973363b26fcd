"""One repository contract, every adapter: memory, SQLite and PostgreSQL (see conftest).

Tenancy, catalog, unit-of-work semantics and org isolation here; runs, task runs and the
outbox in test_run_repositories_contract.py.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from repo_builders import T0, add_committed, all_pages, deployment, flow, run, task_run, uid

from dagy.domain.errors import ConflictError, NotFoundError, ValidationError
from dagy.domain.events import OutboxEvent
from dagy.domain.flowspec import FlowSpec
from dagy.domain.permissions import Role
from dagy.domain.tenancy import ApiKey, Membership, Organization, User, new_api_key

PAGING = settings(max_examples=15, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])


# -- tenancy -----------------------------------------------------------------------------
def test_orgs_add_get_and_get_by_name(uow_factory):
    org = Organization(uid("org_"), uid("Acme "), T0)
    add_committed(uow_factory, "orgs", org)
    with uow_factory() as uow:
        assert uow.orgs.get(org.org_id) == org
        assert uow.orgs.get_by_name(org.name) == org
        assert uow.orgs.get("nope") is None and uow.orgs.get_by_name("nope") is None
        with pytest.raises(ConflictError):
            uow.orgs.add(Organization(org.org_id, "other name"))
        with pytest.raises(ConflictError):
            uow.orgs.add(Organization("other id", org.name))


def test_users_are_people_found_by_email_or_id_across_orgs(uow_factory):
    user = User(uid("u_"), "ada@example.com", T0, password_hash="scrypt$x", external_subject="i|1")
    add_committed(uow_factory, "users", user)
    with uow_factory() as uow:
        assert uow.users.get_by_email("ada@example.com") == user
        assert uow.users.get(user.user_id) == user
        assert uow.users.get_by_email("bob@example.com") is None and uow.users.get("x") is None
        with pytest.raises(ConflictError):
            uow.users.add(User(uid("u_"), "ada@example.com"))
        with pytest.raises(ConflictError):
            uow.users.add(User(uid("u_"), "eve@example.com", external_subject="i|1"))
    user.password_hash = "scrypt$y"
    with uow_factory() as uow:
        uow.users.update(user)
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.get(user.user_id).password_hash == "scrypt$y"
        with pytest.raises(NotFoundError):
            uow.users.update(User("missing", "m@example.com"))


def test_memberships_give_a_person_a_role_in_each_org(uow_factory):
    add_committed(uow_factory, "memberships", Membership("org_a", "u1", Role.OWNER, T0),
                  Membership("org_b", "u1", Role.VIEWER, T0), Membership("org_a", "u2",
                                                                         Role.DEVELOPER, T0))
    with uow_factory() as uow:
        assert uow.memberships.get("org_a", "u1").role is Role.OWNER
        assert uow.memberships.get("org_c", "u1") is None
        assert [(m.org_id, m.role) for m in uow.memberships.for_user("u1")] == [
            ("org_a", Role.OWNER), ("org_b", Role.VIEWER)]
        first, cursor = uow.memberships.list("org_a", limit=1)
        rest, end = uow.memberships.list("org_a", limit=1, cursor=cursor)
        assert [m.user_id for m in first + rest] == ["u1", "u2"] and end is None
        assert uow.memberships.count_role("org_a", Role.OWNER) == 1
        with pytest.raises(ConflictError):
            uow.memberships.add(Membership("org_a", "u1", Role.VIEWER))
        assert uow.memberships.set_role("org_a", "u2", Role.ADMIN)
        assert not uow.memberships.set_role("org_c", "u2", Role.ADMIN)
        assert uow.memberships.delete("org_b", "u1") and not uow.memberships.delete("org_b", "u1")
        uow.commit()
    with uow_factory() as uow:
        assert uow.memberships.get("org_a", "u2").role is Role.ADMIN
        assert [m.org_id for m in uow.memberships.for_user("u1")] == ["org_a"]


def test_api_keys_are_found_by_prefix_in_any_org_and_listed_newest_first(uow_factory):
    keys = [new_api_key(uid("k_"), "org_a", "u1", f"ci-{n}", T0, pepper=b"p" * 32,
                        role=Role.OPERATOR, environments=["staging"])[0] for n in range(3)]
    add_committed(uow_factory, "api_keys", *keys)
    key = keys[0]
    with uow_factory() as uow:
        assert uow.api_keys.get_by_prefix(key.prefix) == key
        assert uow.api_keys.get_by_prefix("0" * 12) is None
        assert uow.api_keys.get("org_a", key.key_id) == key
        assert uow.api_keys.get("org_b", key.key_id) is None
        first, cursor = uow.api_keys.list("org_a", limit=2)
        rest, end = uow.api_keys.list("org_a", limit=2, cursor=cursor)
        assert [k.name for k in first + rest] == ["ci-2", "ci-1", "ci-0"] and end is None
        assert uow.api_keys.list("org_b") == ([], None)
        with pytest.raises(ConflictError):
            uow.api_keys.add(ApiKey(uid("k_"), "org_b", "u2", key.prefix, "f" * 64))
    key.revoked, key.last_used_at = True, T0
    with uow_factory() as uow:
        uow.api_keys.update(key)
        with pytest.raises(NotFoundError):
            uow.api_keys.update(ApiKey(key.key_id, "org_b", "u1", key.prefix, "f" * 64))
        uow.commit()
    with uow_factory() as uow:
        got = uow.api_keys.get("org_a", key.key_id)
        assert got.revoked and got.last_used_at == T0 and got.role is Role.OPERATOR
        assert got.environments == ["staging"]


# -- flows -------------------------------------------------------------------------------
def test_flow_versions_come_back_in_registration_order(uow_factory):
    add_committed(uow_factory, "flows", *(flow("o", "etl", v) for v in ("2.0", "10", "1.0")))
    with uow_factory() as uow:
        assert [f.flow_version for f in uow.flows.versions("o", "etl")] == ["2.0", "10", "1.0"]
        assert uow.flows.get("o", "etl", "10") == flow("o", "etl", "10")
        assert uow.flows.get("o", "etl", "3") is None
        assert uow.flows.versions("o", "other") == []


def test_a_flow_record_holds_its_flow_spec_across_the_store(uow_factory):
    spec = FlowSpec.from_dict({
        "name": "etl", "version": "3", "tasks": [
            {"id": "extract", "name": "extract"},
            {"id": "load", "name": "load", "upstream": ["extract"], "retries": 2}],
        "parameters": [{"name": "n", "type": "int", "required": False, "default": 3}]})
    record = dataclasses.replace(flow("o", "etl", "3"), flow_spec=spec)
    add_committed(uow_factory, "flows", record)
    with uow_factory() as uow:
        [listed], _ = uow.flows.list("o")
        for read in (uow.flows.get("o", "etl", "3"), uow.flows.versions("o", "etl")[0], listed):
            assert isinstance(read.flow_spec, FlowSpec) and read.flow_spec == spec
            assert read.flow_spec.topological_order() == ["extract", "load"]
            assert read.flow_spec.parameters["n"].default == 3


def test_a_duplicate_flow_version_conflicts_and_the_unit_of_work_goes_on(uow_factory):
    add_committed(uow_factory, "flows", flow("o", "etl", "1"))
    with uow_factory() as uow:
        with pytest.raises(ConflictError):
            uow.flows.add(flow("o", "etl", "1"))
        uow.flows.add(flow("o", "etl", "2"))
        uow.commit()
    with uow_factory() as uow:
        assert [f.flow_version for f in uow.flows.versions("o", "etl")] == ["1", "2"]


def test_flow_list_gives_the_latest_version_of_each_name_by_name(uow_factory):
    add_committed(uow_factory, "flows", flow("o", "b", "1"), flow("o", "a", "9"),
                  flow("o", "b", "0.1"), flow("o", "C", "1"), flow("x", "a", "1"))
    with uow_factory() as uow:
        page, cursor = uow.flows.list("o")
    assert [(f.flow_name, f.flow_version) for f in page] == [("C", "1"), ("a", "9"), ("b", "0.1")]
    assert cursor is None


def test_flow_list_filters_by_namespace_prefix_and_tags(uow_factory):
    add_committed(uow_factory, "flows",
                  flow("o", "f1", namespace="team", tags={"env": "prod", "tier": "1"}),
                  flow("o", "f2", namespace="team/etl", tags={"env": "prod"}),
                  flow("o", "f3", namespace="teamx"), flow("o", "f4", namespace="a_c/x"),
                  flow("o", "f5", namespace="abc/x"), flow("o", "f6", namespace="a%/x"))
    with uow_factory() as uow:
        def names(**filters):
            return [f.flow_name for f in uow.flows.list("o", **filters)[0]]
        assert names(namespace_prefix="team") == ["f1", "f2"]
        assert names(namespace_prefix="team/etl") == ["f2"]
        assert names(namespace_prefix="a_c") == ["f4"]
        assert names(namespace_prefix="a%") == ["f6"]
        assert names(tags={"env": "prod"}) == ["f1", "f2"]
        assert names(tags={"env": "prod", "tier": "1"}) == ["f1"]
        assert names(namespace_prefix="team/etl", tags={"tier": "1"}) == []


def test_flow_filters_apply_to_the_latest_version_only(uow_factory):
    add_committed(uow_factory, "flows", flow("o", "etl", "1", tags={"env": "prod"}),
                  flow("o", "etl", "2", tags={"env": "dev"}))
    with uow_factory() as uow:
        assert uow.flows.list("o", tags={"env": "prod"})[0] == []
        assert [f.flow_version for f in uow.flows.list("o", tags={"env": "dev"})[0]] == ["2"]


@PAGING
@given(count=st.integers(0, 25), limit=st.integers(1, 8), every=st.integers(1, 3))
def test_flow_pages_give_every_matching_flow_once_in_order(uow_factory, count, limit, every):
    org = uid("org_")
    flows = [flow(org, f"flow-{i:03d}", tags={"keep": "yes" if i % every == 0 else "no"})
             for i in range(count)]
    add_committed(uow_factory, "flows", *flows)
    with uow_factory() as uow:
        listed = all_pages(lambda **kw: uow.flows.list(org, tags={"keep": "yes"}, **kw), limit)
    assert [f.flow_name for f in listed] == [f.flow_name for f in flows[::every]]


# -- deployments -------------------------------------------------------------------------
def test_deployment_crud(uow_factory):
    d = deployment("o", "nightly")
    add_committed(uow_factory, "deployments", d)
    with uow_factory() as uow:
        assert uow.deployments.get("o", "nightly") == d
        with pytest.raises(ConflictError):
            uow.deployments.add(deployment("o", "nightly"))
        changed = uow.deployments.get("o", "nightly")
        changed.status, changed.parameters, changed.schedule = "PAUSED", {"n": 4}, None
        changed.created_at, changed.updated_at = None, T0 + timedelta(hours=1)
        uow.deployments.update(changed)
        uow.commit()
    with uow_factory() as uow:
        got = uow.deployments.get("o", "nightly")
        assert got.paused and got.parameters == {"n": 4} and got.schedule is None
        assert got.created_at == T0 and got.updated_at == T0 + timedelta(hours=1)
        with pytest.raises(NotFoundError):
            uow.deployments.update(deployment("o", "missing"))
        assert uow.deployments.delete("o", "nightly") is True
        assert uow.deployments.delete("o", "nightly") is False
        assert uow.deployments.get("o", "nightly") is None


@PAGING
@given(count=st.integers(0, 20), limit=st.integers(1, 7))
def test_deployment_pages_by_name_with_a_flow_filter(uow_factory, count, limit):
    org = uid("org_")
    items = [deployment(org, f"d{i:02d}", flow_name="etl" if i % 2 else "ml") for i in range(count)]
    add_committed(uow_factory, "deployments", *reversed(items))
    with uow_factory() as uow:
        every = all_pages(lambda **kw: uow.deployments.list(org, **kw), limit)
        etl = all_pages(lambda **kw: uow.deployments.list(org, flow_name="etl", **kw), limit)
    assert [d.deployment_name for d in every] == [d.deployment_name for d in items]
    assert [d.deployment_name for d in etl] == [d.deployment_name for d in items[1::2]]


# -- unit of work ------------------------------------------------------------------------
def test_leaving_without_commit_rolls_back(uow_factory):
    with uow_factory() as uow:
        uow.orgs.add(Organization("o1", "one"))
        assert uow.orgs.get("o1") is not None, "a unit of work reads its own writes"
    with uow_factory() as uow:
        assert uow.orgs.get("o1") is None
        uow.orgs.add(Organization("o1", "one"))
        uow.rollback()
        assert uow.orgs.get("o1") is None
        uow.orgs.add(Organization("o2", "two"))
        uow.commit()
        uow.orgs.add(Organization("o3", "three"))
    with uow_factory() as uow:
        assert [uow.orgs.get(i) is not None for i in ("o1", "o2", "o3")] == [False, True, False]


def test_an_error_inside_the_block_rolls_back(uow_factory):
    with pytest.raises(RuntimeError), uow_factory() as uow:
        uow.deployments.add(deployment("o", "d"))
        raise RuntimeError("boom")
    with uow_factory() as uow:
        assert uow.deployments.get("o", "d") is None


def test_returned_and_added_objects_are_copies(uow_factory):
    d, r = deployment("o", "d"), run("o")
    with uow_factory() as uow:
        uow.deployments.add(d)
        uow.runs.add(r)
        d.parameters["n"], r.parameters["n"], r.flow_name = 99, 99, "changed"
        uow.commit()
    with uow_factory() as uow:
        got, got_run = uow.deployments.get("o", "d"), uow.runs.get("o", r.run_id)
        got.parameters["n"], got.tags["team"], got_run.parameters["n"] = 7, "x", 7
        assert uow.deployments.get("o", "d").parameters == {"n": 3, "xs": [1, 2]}
        assert uow.deployments.get("o", "d").tags == {"team": "data"}
        assert uow.runs.get("o", r.run_id).parameters == {"n": 1}
        assert uow.runs.get("o", r.run_id).flow_name == "etl"


def test_timestamps_come_back_aware_in_utc(uow_factory):
    plus_two = timezone(timedelta(hours=2))
    add_committed(uow_factory, "orgs", Organization("naive", "n", datetime(2026, 1, 1, 8)),
                  Organization("local", "l", datetime(2026, 1, 1, 10, tzinfo=plus_two)))
    with uow_factory() as uow:
        for org_id in ("naive", "local"):
            created = uow.orgs.get(org_id).created_at
            assert created == datetime(2026, 1, 1, 8, tzinfo=timezone.utc)
            assert created.utcoffset() == timedelta(0)


@pytest.mark.parametrize("cursor", ["garbage!", "WzFd", "eyJhIjoxfQ"])
def test_a_cursor_no_list_returned_is_rejected(uow_factory, cursor):
    with uow_factory() as uow:
        for list_page in (uow.flows.list, uow.deployments.list, uow.runs.list):
            with pytest.raises(ValidationError) as info:
                list_page("o", cursor=cursor)
            assert isinstance(info.value, ValueError)
        with pytest.raises(ValueError):
            uow.task_runs.list_for_run("o", "r", cursor=cursor)
        with pytest.raises(ValueError):
            uow.runs.list("o", limit=0)


# -- org isolation -----------------------------------------------------------------------
def test_another_orgs_rows_are_invisible(uow_factory):
    r = run("a", idempotency_key="k1", status="RUNNING")
    add_committed(uow_factory, "flows", flow("a", "etl"))
    add_committed(uow_factory, "deployments", deployment("a", "d"))
    add_committed(uow_factory, "runs", r)
    add_committed(uow_factory, "memberships", Membership("a", "u1", Role.OWNER))
    add_committed(uow_factory, "api_keys", ApiKey("k1", "a", "u1", "p" * 12, "f" * 64))
    add_committed(uow_factory, "outbox", OutboxEvent("e1", {"org_id": "a"}))
    with uow_factory() as uow:
        uow.task_runs.upsert_many("a", [task_run(r.run_id, "t", "SUCCEEDED", result=1)])
        uow.commit()
    with uow_factory() as uow:
        assert uow.memberships.get("b", "u1") is None and uow.memberships.list("b") == ([], None)
        assert uow.api_keys.get("b", "k1") is None and uow.api_keys.list("b") == ([], None)
        assert uow.flows.get("b", "etl", "1") is None and uow.flows.versions("b", "etl") == []
        assert uow.flows.list("b") == ([], None)
        assert uow.deployments.get("b", "d") is None and uow.deployments.list("b") == ([], None)
        with pytest.raises(NotFoundError):
            uow.deployments.update(deployment("b", "d"))
        assert uow.deployments.delete("b", "d") is False
        assert uow.runs.get("b", r.run_id) is None and uow.runs.list("b") == ([], None)
        assert uow.runs.get_by_idempotency_key("b", "k1") is None
        stolen = run("b", r.run_id, status="RUNNING", version=2)
        assert uow.runs.compare_and_set(stolen, "RUNNING", 0) is False
        assert uow.task_runs.list_for_run("b", r.run_id) == ([], None)
        assert uow.task_runs.succeeded_results("b", r.run_id) == {}
        uow.task_runs.upsert_many("b", [task_run(r.run_id, "t", "FAILED", result=2)])
        uow.commit()
    with uow_factory() as uow:
        assert uow.deployments.get("a", "d") is not None
        assert uow.runs.get("a", r.run_id).version == 0
        assert uow.task_runs.succeeded_results("a", r.run_id) == {"t": 1}
