"""Schedules: create, read, change, preview. The tick that fires them is scheduler.py."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any

from dagy.application import audit_trail
from dagy.application.audit_views import schedule_view
from dagy.application.deps import Deps
from dagy.application.environments import check_key_scope
from dagy.application.principal import Principal
from dagy.application.use_cases.runs import bind_run_parameters, trigger_run
from dagy.domain.errors import NotFoundError, ParameterError, ValidationError
from dagy.domain.json_values import check_storable
from dagy.domain.runs import TriggerSource
from dagy.domain.schedules.model import DEFAULT_DST_POLICY, Schedule
from dagy.domain.schedules.timeline import Slot, advance, slots_after
from dagy.domain.schedules.validation import validate_schedule

FIELDS = ("deployment_name", "mode", "cron_expression", "interval_seconds", "timezone",
          "start_at", "end_at", "parameters", "enabled", "catchup_policy", "max_catchup_runs",
          "dst_policy")
PATCHABLE = tuple(f for f in FIELDS if f != "deployment_name")


def create_schedule(deps: Deps, principal: Principal, data: dict[str, Any],
                    schedule_id: str | None = None) -> Schedule:
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError(f"unknown schedule fields: {', '.join(sorted(unknown))}")
    now = deps.clock.now()
    with deps.uow() as uow:
        deployment = uow.deployments.get(principal.org_id, data.get("deployment_name") or "")
        if deployment is None:
            raise NotFoundError(f"deployment {data.get('deployment_name')!r} not found")
        check_key_scope(principal, deployment.environment)  # a schedule triggers its runs
        schedule = Schedule(schedule_id or deps.ids.new_id(), principal.org_id,
                            deployment.deployment_name, deployment.flow_name,
                            created_at=now, updated_at=now)
        _apply(schedule, {k: v for k, v in data.items() if k != "deployment_name"}, now)
        _check_parameters(deps, uow, schedule, deployment)
        uow.schedules.add(schedule)
        audit_trail.record(uow, deps, principal, "schedule.create", "schedule",
                           schedule.schedule_id, after=schedule_view(schedule))
        uow.commit()
    return schedule


def get_schedule(deps: Deps, principal: Principal, schedule_id: str) -> Schedule:
    with deps.uow() as uow:
        schedule = uow.schedules.get(principal.org_id, schedule_id)
    if schedule is None:
        raise NotFoundError(f"schedule {schedule_id!r} not found")
    return schedule


def list_schedules(deps: Deps, principal: Principal, *, deployment_name: str | None = None,
                   enabled: bool | None = None, limit: int = 50,
                   cursor: str | None = None) -> tuple[list[Schedule], str | None]:
    """The organization's schedules, optionally of one deployment or by enabled state."""
    with deps.uow() as uow:
        return uow.schedules.list(principal.org_id, deployment_name=deployment_name,
                                  enabled=enabled, limit=limit, cursor=cursor)


def patch_schedule(deps: Deps, principal: Principal, schedule_id: str,
                   changes: dict[str, Any]) -> Schedule:
    return _patch(deps, principal, schedule_id, changes, "schedule.update")


def _patch(deps: Deps, principal: Principal, schedule_id: str, changes: dict[str, Any],
           action: str) -> Schedule:
    unknown = set(changes) - set(PATCHABLE)
    if unknown:
        raise ValidationError(f"cannot change {', '.join(sorted(unknown))}; "
                              f"patchable fields: {', '.join(PATCHABLE)}")
    now = deps.clock.now()
    with deps.uow() as uow:
        schedule = uow.schedules.get(principal.org_id, schedule_id)
        if schedule is None:
            raise NotFoundError(f"schedule {schedule_id!r} not found")
        before = schedule_view(schedule)
        _apply(schedule, changes, now)
        if "parameters" in changes:
            _check_parameters(deps, uow, schedule)
        schedule.version += 1
        uow.schedules.update(schedule)
        audit_trail.record(uow, deps, principal, action, "schedule", schedule_id,
                           before=before, after=schedule_view(schedule))
        uow.commit()
    return schedule


def run_now(deps: Deps, principal: Principal, schedule_id: str) -> Any:
    """One run of the schedule's deployment with its parameters, now, outside its slots
    (no idempotency key: each call is one more run)."""
    schedule = get_schedule(deps, principal, schedule_id)
    run, _ = trigger_run(deps, principal, schedule.deployment_name, schedule.parameters,
                         trigger_source=TriggerSource.SCHEDULE)
    return run


def set_enabled(deps: Deps, principal: Principal, schedule_id: str, enabled: bool) -> Schedule:
    return _patch(deps, principal, schedule_id, {"enabled": enabled},
                  "schedule.enable" if enabled else "schedule.disable")


def delete_schedule(deps: Deps, principal: Principal, schedule_id: str) -> None:
    with deps.uow() as uow:
        before = uow.schedules.get(principal.org_id, schedule_id)
        if before is None or not uow.schedules.delete(principal.org_id, schedule_id):
            raise NotFoundError(f"schedule {schedule_id!r} not found")
        audit_trail.record(uow, deps, principal, "schedule.delete", "schedule", schedule_id,
                           before=schedule_view(before))
        uow.commit()


def preview(deps: Deps, principal: Principal, schedule_id: str, count: int = 10,
            after: datetime | None = None) -> list[Slot]:
    """The next `count` slots after `after` (default: now); the API writes them."""
    if not isinstance(count, int) or not 1 <= count <= 1000:
        raise ValidationError("count must be between 1 and 1000")
    if after is not None and after.tzinfo is None:
        raise ValidationError("after must include a UTC offset (e.g. 2027-03-26T00:00:00Z)")
    schedule = get_schedule(deps, principal, schedule_id)
    try:
        slots = slots_after(schedule, _in_range(after, "after") or deps.clock.now(), count)
    except OverflowError:
        when = after.isoformat() if after else "now"
        raise ValidationError(f"cannot preview slots after {when}: {_CALENDAR_END}") from None
    return slots


def deployment_schedule_id(org_id: str, deployment_name: str) -> str:
    """The id of the schedule a deployment's own `schedule` (cron) field creates."""
    return "dep-" + hashlib.sha256(f"{org_id}/{deployment_name}".encode()).hexdigest()[:28]


def sync_deployment_schedule(deps: Deps, uow: Any, deployment: Any) -> None:
    """Keep a deployment's cron `schedule` field and its Schedule row in step."""
    sid = deployment_schedule_id(deployment.org_id, deployment.deployment_name)
    existing = uow.schedules.get(deployment.org_id, sid)
    if not deployment.schedule:
        if existing is not None:
            uow.schedules.delete(deployment.org_id, sid)
        return
    now = deps.clock.now()
    schedule = existing or Schedule(sid, deployment.org_id, deployment.deployment_name,
                                    deployment.flow_name, created_at=now)
    if existing is None or existing.cron_expression != deployment.schedule:
        _apply(schedule, {"mode": "cron", "cron_expression": deployment.schedule}, now)
    if existing is None:
        uow.schedules.add(schedule)
    else:
        schedule.version += 1
        uow.schedules.update(schedule)


def _check_parameters(deps: Deps, uow: Any, schedule: Schedule,
                      deployment: Any = None) -> None:
    """Refuse parameters the deployment's flow would refuse at every slot (missing
    required, unknown, wrong type): the same binding a trigger does, before any write."""
    deployment = deployment or uow.deployments.get(schedule.org_id, schedule.deployment_name)
    if deployment is None:
        raise NotFoundError(f"deployment {schedule.deployment_name!r} not found")
    try:
        bind_run_parameters(deps, uow, schedule.org_id, deployment, schedule.parameters)
    except ParameterError as exc:
        raise ParameterError(f"schedule parameters do not fit flow "
                             f"{deployment.flow_name}:{deployment.flow_version}: {exc}",
                             exc.problems) from None


def _apply(schedule: Schedule, changes: dict[str, Any], now: datetime) -> None:
    for key, value in changes.items():
        if key == "dst_policy":
            value = {**DEFAULT_DST_POLICY, **(value or {})}
        elif key == "parameters":
            value = check_storable({} if value is None else value, "parameters")
        elif key in ("start_at", "end_at") and value is not None:
            value = _in_range(_parse_time(value, key) if isinstance(value, str) else value, key)
        setattr(schedule, key, value)
    validate_schedule(schedule)
    schedule.updated_at = now
    try:
        schedule.next_run_epoch, schedule.next_run_at = (
            advance(schedule, None, now) if schedule.enabled else (None, None))
    except OverflowError:
        raise ValidationError(f"no next slot can be computed: {_CALENDAR_END}") from None


_CALENDAR_END = "times must leave room for a slot before the end of year 9999 (UTC)"


def _in_range(value: Any, name: str) -> Any:
    """`value` once converted to UTC: an offset may push it past year 9999 or before year 1."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            value.astimezone(timezone.utc)
        except OverflowError:
            raise ValidationError(f"{name} is outside years 1 to 9999 once converted to UTC") \
                from None
    return value


def _parse_time(value: str, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError(f"{name} must be an ISO 8601 time, got {value!r}") from None
    if parsed.tzinfo is None:
        raise ValidationError(f"{name} must include a UTC offset, got {value!r}")
    return parsed
