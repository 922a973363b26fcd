"""SQL repositories for schedules and sensors, and `explain_due` for the benchmarks.

`due` and `due_polls` lock the rows they return with FOR UPDATE SKIP LOCKED on
PostgreSQL (SQLAlchemy renders nothing on SQLite, whose BEGIN IMMEDIATE already runs
writers one at a time), so concurrent tickers get disjoint rows while their units of
work last. The due query filters `enabled = true AND next_run_epoch <= now`, which is
what the index ix_schedules_due (enabled, next_run_epoch) serves.
"""

from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import (Engine, Select, Table, Text, cast, delete, func, select, text, true,
                        update)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from dagy.adapters.sql.rows import SqlRepository, from_row, to_row
from dagy.adapters.sql.tables import schedule_slots, schedules, sensors
from dagy.adapters.values import check_limit, decode_cursor, encode_cursor, now
from dagy.domain.errors import NotFoundError
from dagy.domain.schedules.model import Schedule, Sensor
from dagy.domain.schedules.slots import SLOT_HISTORY, ScheduleSlot

_FIXED = ("created_at",)  # besides the key, never changed after add
SCHEDULE_UPDATES = tuple(c.name for c in schedules.c
                         if c.name not in ("schedule_id", "org_id", *_FIXED))
SENSOR_UPDATES = tuple(c.name for c in sensors.c if c.name not in ("sensor_id", "org_id", *_FIXED))
_INSERT_SCHEDULE = schedules.insert()


def _schedule_row(schedule: Schedule) -> dict[str, Any]:
    row = to_row(schedule, schedules)
    row["created_at"] = row["created_at"] or now()
    return row


def _slot_row(slot: ScheduleSlot) -> dict[str, Any]:
    row = to_row(slot, schedule_slots)
    row["recorded_at"] = row["recorded_at"] or now()
    return row


def s3_bucket(sensor: Sensor) -> str | None:
    """The value of the indexed `s3_bucket` column: an s3 sensor's config["bucket"]."""
    bucket = sensor.config.get("bucket") if isinstance(sensor.config, dict) else None
    return bucket if sensor.sensor_type == "s3" and isinstance(bucket, str) else None


def _sensor_row(sensor: Sensor) -> dict[str, Any]:
    row = to_row(sensor, sensors, s3_bucket=s3_bucket(sensor))
    row["created_at"] = row["created_at"] or now()
    return row


def due_query(now_epoch: int, limit: int, dialect_name: str) -> Select:
    """The statement of ScheduleRepository.due (shared with explain_due)."""
    c = schedules.c
    schedule_id = c.schedule_id.collate("C") if dialect_name == "postgresql" else c.schedule_id
    return (select(schedules)
            .where(c.enabled == true(), c.next_run_epoch.is_not(None),
                   c.next_run_epoch <= int(now_epoch))
            .order_by(c.next_run_epoch, schedule_id)
            .limit(check_limit(limit))
            .with_for_update(skip_locked=True))


def explain_due(target: Connection | Engine, now_epoch: int, limit: int) -> str:
    """The database's plan of the due query (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on
    PostgreSQL), one line per plan row. Nothing is written; an Engine's connection is
    rolled back and closed."""
    if isinstance(target, Engine):
        with target.connect() as conn:
            try:
                return explain_due(conn, now_epoch, limit)
            finally:
                conn.rollback()
    dialect = target.dialect
    sql = str(due_query(now_epoch, limit, dialect.name)
              .compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    if dialect.name == "sqlite":
        return "\n".join(str(row[-1]) for row in target.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + sql))
    return "\n".join(str(row[0]) for row in target.exec_driver_sql("EXPLAIN " + sql))


class _KeyedRepository(SqlRepository):
    """CRUD and keyset listing of one table whose primary key is `<id>` within an org."""

    table: Table
    entity: type
    id_name: str
    updates: tuple[str, ...]
    what: str

    def _row(self, obj: Any) -> dict[str, Any]:
        raise NotImplementedError

    def _key(self, org_id: str, ident: str) -> Any:
        c = self.table.c
        return (c.org_id == org_id) & (c[self.id_name] == ident)

    def _write(self, statement: Any, what: str) -> Any:
        return self._run(statement, what=what)

    def add(self, obj: Any) -> None:
        self._guarded(self.table.insert(), self._row(obj),
                      f"{self.what} {getattr(obj, self.id_name)!r}")

    def get(self, org_id: str, ident: str) -> Any:
        row = self._run(select(self.table).where(self._key(org_id, ident))).first()
        return from_row(self.entity, row) if row else None

    def _set(self, obj: Any, *where: Any) -> bool:
        row = self._row(obj)
        ident = getattr(obj, self.id_name)
        result = self._write(update(self.table).where(self._key(obj.org_id, ident), *where)
                             .values(**{name: row[name] for name in self.updates}),
                             f"{self.what} {ident!r} update")
        return result.rowcount == 1

    def update(self, obj: Any) -> None:
        if not self._set(obj):
            raise NotFoundError(f"no {self.what} {getattr(obj, self.id_name)!r}")

    def compare_and_set(self, obj: Any, expected_version: int) -> bool:
        """One conditional UPDATE: on PostgreSQL a concurrent writer waits for the row
        lock, then re-checks the version and updates nothing, so exactly one wins."""
        return self._set(obj, self.table.c.version == expected_version)

    def delete(self, org_id: str, ident: str) -> bool:
        return self._run(delete(self.table).where(self._key(org_id, ident))).rowcount == 1

    def _page(self, org_id: str, filters: dict[str, Any], limit: int,
              cursor: str | None) -> tuple[list[Any], str | None]:
        c = self.table.c
        ident = self._ordered(c[self.id_name])
        query = select(self.table).where(c.org_id == org_id, *(
            c[name] == value for name, value in filters.items() if value is not None))
        after = decode_cursor(cursor, str)
        if after:
            query = query.where(ident > after[0])
        rows = self._run(query.order_by(ident).limit(check_limit(limit) + 1)).all()
        page = [from_row(self.entity, row) for row in rows[:limit]]
        more = len(rows) > limit
        return page, encode_cursor([getattr(page[-1], self.id_name)]) if more else None


class SqlScheduleRepository(_KeyedRepository):
    table, entity, id_name, updates, what = (schedules, Schedule, "schedule_id",
                                             SCHEDULE_UPDATES, "schedule")

    def _row(self, obj: Schedule) -> dict[str, Any]:
        return _schedule_row(obj)

    def add_many(self, schedules_: Sequence[Schedule]) -> None:
        """One executemany; all-or-nothing (a conflict fails the whole statement)."""
        rows = [_schedule_row(schedule) for schedule in schedules_]
        if rows:
            self._guarded(_INSERT_SCHEDULE, rows, f"one of {len(rows)} schedules", many=True)

    def list(self, org_id: str, *, deployment_name: str | None = None,
             enabled: bool | None = None, limit: int = 50,
             cursor: str | None = None) -> tuple[list[Schedule], str | None]:
        return self._page(org_id, {"deployment_name": deployment_name, "enabled": enabled},
                          limit, cursor)

    def for_deployment(self, org_id: str, deployment_name: str) -> list[Schedule]:
        c = schedules.c
        rows = self._run(select(schedules).where(c.org_id == org_id,
                                                 c.deployment_name == deployment_name)
                         .order_by(self._ordered(c.schedule_id)))
        return [from_row(Schedule, row) for row in rows]

    def due(self, now_epoch: int, limit: int) -> list[Schedule]:
        rows = self._run(due_query(now_epoch, limit, self._conn.dialect.name))
        return [from_row(Schedule, row) for row in rows]

    def delete(self, org_id: str, ident: str) -> bool:
        c = schedule_slots.c
        self._run(delete(schedule_slots).where(c.org_id == org_id, c.schedule_id == ident))
        return super().delete(org_id, ident)

    def record_slots(self, slots: Sequence[ScheduleSlot]) -> None:
        """One upsert (INSERT ... ON CONFLICT DO UPDATE on both dialects, so a concurrent
        recorder of the same slot cannot fail the tick), then one trimming DELETE per
        schedule concerned."""
        rows = {(s.org_id, s.schedule_id, s.epoch): _slot_row(s) for s in slots}
        if not rows:
            return
        insert = (postgresql if self._conn.dialect.name == "postgresql" else sqlite).insert
        statement = insert(schedule_slots)
        statement = statement.on_conflict_do_update(
            index_elements=["org_id", "schedule_id", "epoch"],
            set_={name: statement.excluded[name]
                  for name in ("scheduled_for", "status", "reason", "run_id", "recorded_at")})
        self._run(statement, list(rows.values()), what="schedule slots")
        for org_id, schedule_id in sorted({key[:2] for key in rows}):
            self._trim(org_id, schedule_id)

    def _trim(self, org_id: str, schedule_id: str) -> None:
        c = schedule_slots.c
        mine = (c.org_id == org_id, c.schedule_id == schedule_id)
        oldest_kept = (select(c.epoch).where(*mine).order_by(c.epoch.desc())
                       .offset(SLOT_HISTORY - 1).limit(1).scalar_subquery())
        self._run(delete(schedule_slots).where(*mine, c.epoch < oldest_kept))

    def slots(self, org_id: str, schedule_id: str, *, status: str | None = None,
              limit: int = 50, cursor: str | None = None) -> tuple[list[ScheduleSlot], str | None]:
        c = schedule_slots.c
        query = select(schedule_slots).where(c.org_id == org_id, c.schedule_id == schedule_id)
        if status is not None:
            query = query.where(c.status == status)
        return self._keyset_page(query, c.epoch, cursor, limit,
                                 lambda row: from_row(ScheduleSlot, row), newest_first=True)

    def refused_summary(self, org_id: str,
                        schedule_id: str) -> tuple[int, ScheduleSlot | None]:
        c = schedule_slots.c
        mine = (c.org_id == org_id, c.schedule_id == schedule_id, c.status == "refused")
        count = self._run(select(func.count()).select_from(schedule_slots).where(*mine)).scalar()
        newest = self._run(select(schedule_slots).where(*mine)
                           .order_by(c.epoch.desc()).limit(1)).first()
        return int(count or 0), from_row(ScheduleSlot, newest) if newest else None


class SqlSensorRepository(_KeyedRepository):
    table, entity, id_name, updates, what = (sensors, Sensor, "sensor_id", SENSOR_UPDATES,
                                             "sensor")

    def _row(self, obj: Sensor) -> dict[str, Any]:
        return _sensor_row(obj)

    def _write(self, statement: Any, what: str) -> Any:
        """Updates may hit the webhook token hash's unique key: inside a savepoint."""
        return self._guarded(statement, what=f"{what} (webhook token)")

    def get_by_token_hash(self, token_hash: str) -> Sensor | None:
        row = self._run(select(sensors).where(sensors.c.webhook_token_hash == token_hash)).first()
        return from_row(Sensor, row) if row else None

    def with_plaintext_secret(self, limit: int) -> list[Sensor]:
        """The database narrows to webhook rows whose config text mentions the key (a
        portable LIKE on SQLite and PostgreSQL; normally no row at all), Python decides."""
        c = sensors.c
        rows = self._run(select(sensors)
                         .where(c.sensor_type == "webhook",
                                cast(c.config, Text).like('%"hmac_secret"%'))
                         .order_by(self._ordered(c.sensor_id)))
        found = [s for s in (from_row(Sensor, row) for row in rows)
                 if isinstance(s.config, dict) and isinstance(s.config.get("hmac_secret"), str)]
        if found and self._conn.dialect.name == "sqlite":
            # these rows are about to be rewritten: zero the old bytes instead of freeing them
            self._run(text("PRAGMA secure_delete = ON"))
        return found[:check_limit(limit)]

    def list(self, org_id: str, *, sensor_type: str | None = None, limit: int = 50,
             cursor: str | None = None) -> tuple[list[Sensor], str | None]:
        return self._page(org_id, {"sensor_type": sensor_type}, limit, cursor)

    def due_polls(self, now_epoch: int, limit: int) -> list[Sensor]:
        c = sensors.c
        rows = self._run(select(sensors)
                         .where(c.sensor_type == "polling", c.enabled == true(),
                                c.next_poll_epoch.is_not(None),
                                c.next_poll_epoch <= int(now_epoch))
                         .order_by(c.next_poll_epoch, self._ordered(c.sensor_id))
                         .limit(check_limit(limit))
                         .with_for_update(skip_locked=True))
        return [from_row(Sensor, row) for row in rows]

    def matching_s3(self, bucket: str) -> list[Sensor]:
        c = sensors.c
        rows = self._run(select(sensors)
                         .where(c.s3_bucket == bucket, c.sensor_type == "s3",
                                c.enabled == true())
                         .order_by(self._ordered(c.sensor_id)))
        return [from_row(Sensor, row) for row in rows]
