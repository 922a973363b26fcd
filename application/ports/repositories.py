"""Port: repositories and the unit of work that commits them together.

Every method taking `org_id` filters by it: another org's rows are invisible (None /
empty). Repositories never commit; the unit of work does. Lists are keyset-paginated:
`cursor` is the opaque value returned as the second element of the previous page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, Sequence

from dagy.application.ports.environments import EnvironmentRepository
from dagy.application.ports.secrets import SecretRepository
from dagy.application.ports.access_tokens import AccessTokenRepository
from dagy.application.ports.audit_log import AuditLogRepository
from dagy.application.ports.invitations import InvitationRepository
from dagy.domain.catalog import Deployment, FlowRecord
from dagy.domain.events import OutboxEvent
from dagy.domain.runs import Run, TaskRun
from dagy.domain.schedules.model import Schedule, Sensor
from dagy.domain.schedules.slots import ScheduleSlot
from dagy.domain.states import RunStatus
from dagy.domain.permissions import Role
from dagy.domain.tenancy import ApiKey, Membership, Organization, User

Page = tuple[list[Any], str | None]


class OrgRepository(Protocol):
    def add(self, org: Organization) -> None: ...
    def get(self, org_id: str) -> Organization | None: ...
    def get_by_name(self, name: str) -> Organization | None: ...


class UserRepository(Protocol):
    """People, across orgs: `email` (stored lower-cased) and `external_subject` are unique."""

    def add(self, user: User) -> None: ...
    def get(self, user_id: str) -> User | None: ...
    def get_by_email(self, email: str) -> User | None: ...
    def get_by_external_subject(self, subject: str) -> User | None:
        """The person linked to an identity provider's account ("<issuer>|<sub>")."""

    def update(self, user: User) -> None:
        """Replace the stored user (password hash, external subject); NotFoundError if none."""


class MembershipRepository(Protocol):
    """Who belongs to which org, with which role: (org_id, user_id) is unique."""

    def add(self, membership: Membership) -> None: ...
    def get(self, org_id: str, user_id: str) -> Membership | None: ...
    def for_user(self, user_id: str) -> list[Membership]:
        """Every org the user belongs to, oldest membership first."""

    def list(self, org_id: str, *, limit: int = 50, cursor: str | None = None) -> Page:
        """The org's members, oldest first."""

    def set_role(self, org_id: str, user_id: str, role: Role) -> bool:
        """False if there is no such membership."""

    def delete(self, org_id: str, user_id: str) -> bool: ...
    def count_role(self, org_id: str, role: Role) -> int: ...
    def lock_owners(self, org_id: str) -> list[str]:
        """The user ids of the org's owners, oldest first, their rows locked until the
        transaction ends (SQL: SELECT ... FOR UPDATE), so that of two concurrent changes
        that would each remove one of the last two owners, the second one sees the first."""


class ApiKeyRepository(Protocol):
    def add(self, key: ApiKey) -> None: ...
    def get_by_prefix(self, prefix: str) -> ApiKey | None:
        """The key with this public prefix in any org (the caller verifies the secret)."""

    def get(self, org_id: str, key_id: str) -> ApiKey | None: ...
    def list(self, org_id: str, *, limit: int = 50, cursor: str | None = None) -> Page:
        """The org's keys (revoked ones included), newest first."""

    def update(self, key: ApiKey) -> None:
        """Replace the stored key (revoked, last_used_at, an upgraded hash); NotFoundError
        if it is not in `key.org_id`."""


class FlowRepository(Protocol):
    def add(self, flow: FlowRecord) -> None:
        """Insert; (org_id, flow_name, flow_version) is unique."""

    def get(self, org_id: str, flow_name: str, flow_version: str) -> FlowRecord | None: ...
    def versions(self, org_id: str, flow_name: str) -> list[FlowRecord]:
        """Every version of a flow, oldest first."""

    def list(self, org_id: str, *, namespace_prefix: str | None = None,
             tags: dict[str, str] | None = None, limit: int = 50,
             cursor: str | None = None) -> Page:
        """Latest version of each flow name, ordered by name."""


class DeploymentRepository(Protocol):
    def add(self, deployment: Deployment) -> None: ...
    def get(self, org_id: str, name: str) -> Deployment | None: ...
    def update(self, deployment: Deployment) -> None: ...
    def delete(self, org_id: str, name: str) -> bool: ...
    def list(self, org_id: str, *, flow_name: str | None = None, limit: int = 50,
             cursor: str | None = None) -> Page: ...


class RunRepository(Protocol):
    def add(self, run: Run) -> None:
        """Insert; (org_id, idempotency_key) is unique when the key is set."""

    def add_many(self, runs: Sequence[Run]) -> None:
        """Insert several runs at once; a conflict on any fails them all (ConflictError)."""

    def get(self, org_id: str, run_id: str) -> Run | None: ...
    def get_by_idempotency_key(self, org_id: str, key: str) -> Run | None: ...
    def list(self, org_id: str, *, flow_name: str | None = None,
             deployment_name: str | None = None, status: str | None = None,
             created_after: datetime | None = None, created_before: datetime | None = None,
             limit: int = 50, cursor: str | None = None) -> Page:
        """Newest first."""

    def compare_and_set(self, run: Run, expected_status: RunStatus, expected_version: int) -> bool:
        """Write `run` (whose version the caller has already incremented) only if the
        stored row still has `expected_status` and `expected_version`. True if written."""

    def expired_leases(self, now: datetime, limit: int = 100) -> list[Run]:
        """RUNNING runs whose lease ended before `now` (any org)."""

    def leases_held_by(self, owner: str, limit: int = 100) -> list[Run]:
        """RUNNING runs of any org whose `lease_owner` is `owner`, expired or not, oldest
        lease first."""


class TaskRunRepository(Protocol):
    def upsert_many(self, org_id: str, task_runs: Sequence[TaskRun]) -> None:
        """Insert or replace by task_run_id (state, attempt, times, error message and
        traceback, result)."""

    def list_for_run(self, org_id: str, run_id: str, *, limit: int = 1000,
                     cursor: str | None = None) -> Page: ...

    def succeeded_results(self, org_id: str, run_id: str) -> dict[str, Any]:
        """task_id -> persisted result, for non-mapped tasks that SUCCEEDED with a result."""

    def succeeded_task_runs(self, org_id: str, run_id: str) -> list[TaskRun]:
        """Every task run of the run that SUCCEEDED with a result stored inline (no
        `output_ref`), as stored (attempt, times, result), in creation order: the ones
        behind `succeeded_results` plus each succeeded item of a mapped task (its
        `map_index` set, one per item). What a resumed or retried run keeps instead of
        running them again; a task run reset to PENDING is no longer among them."""


class OutboxRepository(Protocol):
    """Events that commit (or roll back) with the change they announce. Contract: an
    event added in a committed unit of work reaches the queue after at most one
    `relay_outbox` (application/use_cases/outbox.py); a rolled-back one never does; a
    dispatched event is never sent again. A direct outbox, whose queue lives in the same
    database, enqueues in the producing transaction and so has nothing pending."""

    def add(self, event: OutboxEvent) -> None:
        """ConflictError if the event id exists (a direct outbox need not check)."""

    def add_many(self, events: Sequence[OutboxEvent]) -> None: ...

    def pending(self, limit: int = 100) -> list[OutboxEvent]:
        """Undispatched events, oldest first. They stay locked against concurrent relays
        until this unit of work ends (where the datastore has row locks), so the relay
        sends and marks them before it commits."""

    def mark_dispatched(self, event_ids: Sequence[str], at: datetime) -> None:
        """Mark the events dispatched at `at`; unknown or already dispatched ids are
        ignored (the first dispatch time stays)."""


class ScheduleRepository(Protocol):
    """Schedules of deployments. `schedule_id` is unique across orgs."""

    def add(self, schedule: Schedule) -> None:
        """Insert (ConflictError if the id exists); `created_at` defaults to now."""

    def add_many(self, schedules: Sequence[Schedule]) -> None:
        """Insert several at once; a conflict on any fails them all (ConflictError)."""

    def get(self, org_id: str, schedule_id: str) -> Schedule | None: ...
    def update(self, schedule: Schedule) -> None:
        """Replace every field but the key and `created_at`, unconditionally (version
        included, as given). NotFoundError if this org has no such schedule."""

    def delete(self, org_id: str, schedule_id: str) -> bool:
        """True if a schedule was deleted (its recorded slots go with it)."""

    def record_slots(self, slots: Sequence[ScheduleSlot]) -> None:
        """Record what became of slots (dagy.domain.schedules.slots): one record per
        (org_id, schedule_id, epoch); recording a slot again replaces its record (the
        latest outcome wins, never a duplicate). Afterwards each schedule concerned keeps
        only its SLOT_HISTORY newest slots by epoch. Written with the unit of work."""

    def slots(self, org_id: str, schedule_id: str, *, status: str | None = None,
              limit: int = 50, cursor: str | None = None) -> Page:
        """Recorded slots of one schedule of this org, newest epoch first, optionally of
        one status ("triggered" or "refused")."""

    def refused_summary(self, org_id: str, schedule_id: str) -> tuple[int, ScheduleSlot | None]:
        """How many of the schedule's recorded slots were refused, and the newest of them."""

    def list(self, org_id: str, *, deployment_name: str | None = None,
             enabled: bool | None = None, limit: int = 50, cursor: str | None = None) -> Page:
        """Ordered by schedule_id."""

    def for_deployment(self, org_id: str, deployment_name: str) -> list[Schedule]:
        """Every schedule of a deployment, ordered by schedule_id."""

    def due(self, now_epoch: int, limit: int) -> list[Schedule]:
        """Enabled schedules of any org with `next_run_epoch <= now_epoch` (never None),
        ordered by next_run_epoch then schedule_id, at most `limit`. Where the database
        allows it (PostgreSQL), the rows stay locked until the unit of work ends and
        concurrent callers skip them, so two tickers get disjoint schedules."""

    def compare_and_set(self, schedule: Schedule, expected_version: int) -> bool:
        """Write `schedule` (whose version the caller has already incremented; every field
        but the key and `created_at`) only if the stored row of its org still has
        `expected_version`. True if written."""


class SensorRepository(Protocol):
    """Sensors of deployments. `sensor_id` and `webhook_token_hash` are unique across
    orgs. Only the stored forms of credentials are kept: `webhook_token` (plaintext) is
    never stored and reads back as None."""

    def add(self, sensor: Sensor) -> None:
        """Insert (ConflictError on a taken id or webhook token hash); `created_at`
        defaults to now."""

    def get(self, org_id: str, sensor_id: str) -> Sensor | None: ...
    def get_by_token_hash(self, token_hash: str) -> Sensor | None:
        """The sensor with this webhook token hash, in any org (the token is the
        credential)."""

    def with_plaintext_secret(self, limit: int) -> list[Sensor]:
        """Webhook sensors of any org whose config still holds a plaintext `hmac_secret`
        (rows written before secrets were encrypted), ordered by sensor_id, at most
        `limit`."""

    def update(self, sensor: Sensor) -> None:
        """Replace every field but the key and `created_at` (version included, as given).
        NotFoundError if absent in this org; ConflictError if the token hash is taken."""

    def delete(self, org_id: str, sensor_id: str) -> bool: ...
    def list(self, org_id: str, *, sensor_type: str | None = None, limit: int = 50,
             cursor: str | None = None) -> Page:
        """Ordered by sensor_id."""

    def due_polls(self, now_epoch: int, limit: int) -> list[Sensor]:
        """Enabled "polling" sensors of any org with `next_poll_epoch <= now_epoch` (never
        None), ordered by next_poll_epoch then sensor_id, at most `limit`; locked and
        skipped by concurrent callers where the database allows it, as `due` is."""

    def compare_and_set(self, sensor: Sensor, expected_version: int) -> bool:
        """As ScheduleRepository.compare_and_set (ConflictError if the token hash is
        taken)."""

    def matching_s3(self, bucket: str) -> list[Sensor]:
        """Enabled "s3" sensors of any org whose config["bucket"] equals `bucket`,
        ordered by sensor_id."""


class UnitOfWork(Protocol):
    """`with uow: ...; uow.commit()`; leaving the block without commit rolls back."""

    orgs: OrgRepository
    users: UserRepository
    memberships: MembershipRepository
    api_keys: ApiKeyRepository
    flows: FlowRepository
    deployments: DeploymentRepository
    environments: EnvironmentRepository
    secrets: SecretRepository
    runs: RunRepository
    task_runs: TaskRunRepository
    outbox: OutboxRepository
    schedules: ScheduleRepository
    sensors: SensorRepository
    access_tokens: AccessTokenRepository
    invitations: InvitationRepository
    audit_logs: AuditLogRepository

    def __enter__(self) -> "UnitOfWork": ...
    def __exit__(self, *exc: Any) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...
