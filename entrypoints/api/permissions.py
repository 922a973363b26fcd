"""Every API operation's permission, in one table, enforced by the auth dependency.

The table is the declaration: building the OpenAPI document fails for an operation
missing from it (or an entry no operation has), and a test walks every operation and
role against it, so a new route cannot ship without naming what it needs. `None` marks the operations that take no API key (health, and the
webhook whose token is its credential). The OpenAPI document shows each operation's
permission (`x-dagy-permission`) and the lowest role that holds it.
"""

from __future__ import annotations

from typing import Any

from dagy.domain.permissions import ALL_PERMISSIONS, min_role_for

Operation = tuple[str, str]  # (METHOD, path template)

ROUTE_PERMISSIONS: dict[Operation, str | None] = {
    ("GET", "/health"): None,
    ("POST", "/hooks/{token}"): None,
    ("GET", "/me"): "org:read",
    # a person's session: login and refresh carry their credential in the body, logout
    # the access token it ends (no org or role needed to end one's own session)
    ("POST", "/auth/login"): None,
    ("POST", "/auth/refresh"): None,
    ("POST", "/auth/logout"): None,
    ("PUT", "/me/password"): "org:read",
    # organizations: any member may create an org (a person only) and leave one;
    # removing someone else needs members:manage, which the use case checks
    ("POST", "/orgs"): "org:read",
    ("GET", "/orgs"): "org:read",
    ("GET", "/orgs/{org_id}"): "org:read",
    ("GET", "/orgs/{org_id}/members"): "members:read",
    ("PATCH", "/orgs/{org_id}/members/{user_id}"): "members:manage",
    ("DELETE", "/orgs/{org_id}/members/{user_id}"): "org:read",
    ("POST", "/orgs/{org_id}/invitations"): "members:manage",
    ("GET", "/orgs/{org_id}/invitations"): "members:manage",
    ("DELETE", "/orgs/{org_id}/invitations/{invitation_id}"): "members:manage",
    ("POST", "/invitations/{token}/accept"): None,  # the token is the credential
    ("POST", "/api-keys"): "api_keys:write",
    ("GET", "/api-keys"): "api_keys:read",
    ("DELETE", "/api-keys/{key_id}"): "api_keys:write",
    ("GET", "/audit-logs"): "audit:read",
    ("GET", "/audit-logs/chain"): "audit:read",
    ("GET", "/access-logs"): "audit:read",
    ("POST", "/artifacts"): "flows:deploy",
    ("POST", "/flows"): "flows:deploy",
    ("GET", "/flows"): "flows:read",
    ("GET", "/flows/{flow_name}"): "flows:read",
    ("GET", "/flows/{flow_name}/versions/{flow_version}"): "flows:read",
    ("POST", "/deployments"): "deployments:write",
    ("GET", "/deployments"): "deployments:read",
    ("GET", "/deployments/{deployment_name}"): "deployments:read",
    ("PATCH", "/deployments/{deployment_name}"): "deployments:write",
    ("DELETE", "/deployments/{deployment_name}"): "deployments:write",
    ("POST", "/deployments/{deployment_name}/pause"): "deployments:operate",
    ("POST", "/deployments/{deployment_name}/resume"): "deployments:operate",
    ("POST", "/deployments/{deployment_name}/backfill"): "runs:trigger",
    ("POST", "/deployments/{deployment_name}/promote"): "deployments:write",
    ("POST", "/environments"): "environments:write",
    ("GET", "/environments"): "environments:read",
    ("GET", "/environments/{env_name}"): "environments:read",
    ("PATCH", "/environments/{env_name}"): "environments:write",
    ("DELETE", "/environments/{env_name}"): "environments:write",
    ("PUT", "/secrets/{secret_name}"): "secrets:write",
    ("GET", "/secrets"): "secrets:read",
    ("GET", "/secrets/{secret_name}"): "secrets:read",
    ("DELETE", "/secrets/{secret_name}"): "secrets:write",
    ("POST", "/schedules"): "schedules:write",
    ("GET", "/schedules"): "schedules:read",
    ("GET", "/schedules/{schedule_id}"): "schedules:read",
    ("PATCH", "/schedules/{schedule_id}"): "schedules:write",
    ("DELETE", "/schedules/{schedule_id}"): "schedules:write",
    ("POST", "/schedules/{schedule_id}/enable"): "schedules:write",
    ("POST", "/schedules/{schedule_id}/disable"): "schedules:write",
    ("GET", "/schedules/{schedule_id}/preview"): "schedules:read",
    ("POST", "/schedules/{schedule_id}/run"): "runs:trigger",
    ("GET", "/schedules/{schedule_id}/slots"): "schedules:read",
    ("POST", "/runs"): "runs:trigger",
    ("GET", "/runs"): "runs:read",
    ("GET", "/runs/{run_id}"): "runs:read",
    ("GET", "/runs/{run_id}/task-runs"): "runs:read",
    ("GET", "/runs/{run_id}/logs"): "runs:read",
    ("POST", "/runs/{run_id}/cancel"): "runs:manage",
    ("POST", "/runs/{run_id}/retry"): "runs:manage",
    ("POST", "/sensors"): "sensors:write",
    ("GET", "/sensors"): "sensors:read",
    ("GET", "/sensors/{sensor_id}"): "sensors:read",
    ("PATCH", "/sensors/{sensor_id}"): "sensors:write",
    ("DELETE", "/sensors/{sensor_id}"): "sensors:write",
    ("POST", "/sensors/{sensor_id}/enable"): "sensors:write",
    ("POST", "/sensors/{sensor_id}/disable"): "sensors:write",
    ("POST", "/sensors/{sensor_id}/rotate-token"): "sensors:write",
}


def permission_for(method: str, path: str) -> str | None:
    """The permission an operation needs; KeyError for an operation the table lacks
    (the OpenAPI check makes that impossible for routed operations). HEAD is GET's."""
    method = method.upper()
    return ROUTE_PERMISSIONS[("GET" if method == "HEAD" else method, path)]


def check_table(schema: dict[str, Any]) -> None:
    """Every operation of the OpenAPI document has an entry, every entry an operation,
    and every named permission exists in the matrix (domain/permissions.py)."""
    operations = {(method.upper(), path) for path, item in schema.get("paths", {}).items()
                  for method in item}
    missing = sorted(operations - ROUTE_PERMISSIONS.keys())
    stale = sorted(ROUTE_PERMISSIONS.keys() - operations)
    unknown = sorted({p for p in ROUTE_PERMISSIONS.values() if p and p not in ALL_PERMISSIONS})
    if missing or stale or unknown:
        raise RuntimeError(f"entrypoints/api/permissions.py is out of date: operations "
                           f"without a permission {missing}, entries without an operation "
                           f"{stale}, unknown permissions {unknown}")


def annotate(schema: dict[str, Any]) -> None:
    """Each operation's permission and lowest role, in the OpenAPI document."""
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            permission = ROUTE_PERMISSIONS.get((method.upper(), path))
            if permission is None:
                continue
            role = min_role_for(permission)
            operation["x-dagy-permission"] = permission
            note = f"Requires `{permission}` (role `{role}` or above)."
            operation["description"] = (f"{operation['description']}\n\n{note}"
                                        if operation.get("description") else note)
