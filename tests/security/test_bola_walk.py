"""Tenancy: every operation of the API, called as org B with org A's ids and names.

Org A ("acme") is seeded with a flow, a deployment, a schedule, sensors and a finished
run; org B gets its own owner key. For every operation with a path parameter, B sends A's
id (and, for operations with a body, a body naming A's resources): every answer is 404,
never 403 (which would confirm that the id exists) and never a success. Lists answer B
nothing of A's. Afterwards A's rows are exactly as before.
"""

from __future__ import annotations

import pytest

from bad_input_harness import SQL_BACKENDS, changed_tables, seeded_api
from bad_input_matrix import base_bodies
from dagy.application.use_cases.accounts import bootstrap

# which seeded id each path parameter takes (org A's)
PARAMETERS = {"deployment_name": "deployment_name", "flow_name": "flow_name",
              "schedule_id": "schedule_id", "sensor_id": "sensor_id", "run_id": "run_id",
              "token": None, "flow_version": None, "key_id": "key_id", "env_name": "env_name",
              "org_id": "org_id", "user_id": "user_id", "invitation_id": "invitation_id",
              "secret_name": "secret_name"}
# operations whose path holds no id of A's but whose body names A's resources
BODY_REFERENCES = {("POST", "/deployments"), ("POST", "/schedules"), ("POST", "/runs"),
                   ("POST", "/sensors")}
# Registering a flow: its body carries A's artifact URI. The registration check answers
# that the artifact is not the caller's (the URI names A's org), as a 422 on the body.
NOT_FOUND_OR_INVALID = {("POST", "/flows")}
# PUT /secrets/{secret_name} creates or replaces the caller's own secret of that name: B
# gets B's own (201), and A's secret of the same name is left as it was (checked below).
CREATES_OWN = {("PUT", "/secrets/{secret_name}")}


@pytest.mark.parametrize("backend", SQL_BACKENDS)
def test_org_b_gets_404_for_every_one_of_org_as_resources(backend, tmp_path):
    with seeded_api(backend, tmp_path) as api:
        ids = dict(api.ids)
        ids["flow_version"] = "1.0.0"
        with api.deps.uow() as uow:
            ids["key_id"] = uow.api_keys.list(api.org_id)[0][0].key_id
        _, b_key = bootstrap(api.deps, "intruder")
        as_b = {"Authorization": f"Bearer {b_key}"}
        bodies = base_bodies(ids, api.register_body)
        before = api.snapshot()
        problems, checked = [], 0
        for path, item in api.app.openapi()["paths"].items():
            for method in item:
                method = method.upper()
                names = [p.strip("{}") for p in path.split("/") if p.startswith("{")]
                if (not names and (method, path) not in BODY_REFERENCES | NOT_FOUND_OR_INVALID) \
                        or "token" in names:
                    continue  # a collection or /me: checked below; a hook's token is global
                url = path
                for name in names:
                    url = url.replace("{" + name + "}", str(ids[PARAMETERS[name] or name]))
                body = bodies.get((method, path))
                kwargs = {"json": body} if body is not None else (
                    {"json": {}} if method in ("POST", "PATCH") else {})
                answer = api.client.request(method, url, headers=as_b, **kwargs)
                allowed = ((404, 422) if (method, path) in NOT_FOUND_OR_INVALID else
                           (201,) if (method, path) in CREATES_OWN else (404,))
                if answer.status_code not in allowed:
                    problems.append(f"{method} {path} -> {answer.status_code} {answer.text[:160]}")
                checked += 1
        assert not problems, "\n".join(problems)
        assert checked >= 30
        for collection in ("/flows", "/deployments", "/runs", "/schedules", "/sensors"):
            listed = api.client.get(collection, headers=as_b)
            assert listed.status_code == 200 and listed.json()["items"] == [], collection
        keys = api.client.get("/api-keys", headers=as_b).json()["items"]
        assert [k["name"] for k in keys] == ["bootstrap"]  # B's own key only
        assert api.client.get("/me", headers=as_b).json()["org_name"] == "intruder"
        audit = api.client.get("/audit-logs/chain", headers=as_b).json()["items"]
        # B's own bootstrap, and the secret B's PUT made of its own
        assert [e["action"] for e in audit] == ["org.create", "secret.set"]
        after = api.snapshot()
        b_org = api.client.get("/me", headers=as_b).json()["org_id"]
        a_secrets = [r for r in after.get("secrets", []) if repr(b_org) not in r]
        assert a_secrets == before.get("secrets", [])  # B's PUT made B's own secret only
        changed = [c for c in changed_tables(before, after)
                   if not c.startswith(("organizations", "users", "memberships", "api_keys",
                                        "audit_logs", "secrets"))]
        a_audit = [r for r in after.get("audit_logs", []) if repr(api.org_id) in r]
        assert a_audit == [r for r in before.get("audit_logs", []) if repr(api.org_id) in r]
        assert not changed, changed  # B's bootstrap added B's rows; nothing else moved
