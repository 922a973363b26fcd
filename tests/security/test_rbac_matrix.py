"""Every operation of the OpenAPI document x every role: the answer follows the matrix.

A role without the operation's permission gets 403 with the error shape, before the
operation reads anything (the ids in the path do not exist, and it is still 403, not
404); a role with it never gets 401 or 403. The walk runs on memory, SQLite and
PostgreSQL, whose keys are read from the database on every request. The docs' role table
is the matrix.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dagy.application.principal import Principal
from dagy.application.use_cases.accounts import bootstrap, create_api_key
from dagy.domain.permissions import PERMISSIONS_BY_ROLE, Role, decide, min_role_for
from dagy.entrypoints.api import create_app
from dagy.entrypoints.api.permissions import ROUTE_PERMISSIONS, check_table
from backend_deps import ALL_BACKENDS, deps_on

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=ALL_BACKENDS)
def api(request, tmp_path_factory):
    with ExitStack() as stack:
        deps = deps_on(request.param, tmp_path_factory.mktemp("rbac") / "home", stack)
        org, _ = bootstrap(deps, "acme")
        owner = Principal(org.org_id, None, Role.OWNER)
        keys = {role: create_api_key(deps, owner, f"as-{role}", role=role)[1] for role in Role}
        app = create_app(deps)
        with TestClient(app) as client:  # a server error raises
            yield client, keys, app.openapi()


def _operations(schema):
    for path, item in schema["paths"].items():
        for method in item:
            yield method.upper(), path


def test_every_operation_and_role_follows_the_matrix(api):
    client, keys, schema = api
    checked = 0
    for method, path in _operations(schema):
        permission = ROUTE_PERMISSIONS[(method, path)]
        if permission is None:
            continue
        url = re.sub(r"\{[^}]+\}", "does-not-exist", path)
        for role, key in keys.items():
            answer = client.request(method, url, headers={"Authorization": f"Bearer {key}"},
                                    **({"json": {}} if method in ("POST", "PATCH") else {}))
            where = f"{role} {method} {path}: {answer.status_code} {answer.text[:200]}"
            if decide(role, permission).allowed:
                assert answer.status_code not in (401, 403), where
            else:
                assert answer.status_code == 403, where
                error = answer.json()["error"]
                assert error["code"] == "forbidden" and permission in error["message"], where
            checked += 1
    assert checked >= 5 * 35  # the walk reached every authenticated operation


def test_the_table_matches_the_document_and_each_operation_shows_its_permission(api):
    _, _, schema = api
    check_table(schema)
    for method, path in _operations(schema):
        permission = ROUTE_PERMISSIONS[(method, path)]
        operation = schema["paths"][path][method.lower()]
        if permission is None:
            assert "security" not in operation and "x-dagy-permission" not in operation
        else:
            assert operation["x-dagy-permission"] == permission
            assert f"role `{min_role_for(permission)}`" in operation["description"]
            assert "403" in operation["responses"]


def test_docs_security_role_table_is_the_matrix():
    text = (ROOT / "docs" / "security.md").read_text()
    rows = re.findall(r"^\| `([a-z_]+:[a-z_]+)` \|(.*)\|$", text, flags=re.M)
    documented = {perm: [cell.strip() for cell in cells.split("|")] for perm, cells in rows}
    roles = list(Role)
    assert set(documented) == set(PERMISSIONS_BY_ROLE[Role.OWNER])
    for permission, cells in documented.items():
        assert cells == ["x" if permission in PERMISSIONS_BY_ROLE[r] else "" for r in roles], \
            permission
