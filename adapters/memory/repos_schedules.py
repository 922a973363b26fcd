"""In-memory schedule and sensor repositories (semantics: dagy.adapters.memory.store).

A unit of work holds the store's lock until it ends, so `due` and `due_polls` callers
get disjoint rows trivially: the second waits for the first to finish.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from dagy.adapters.memory.store import Repo, Tx, copy_of, keyset_page, stored_copy
from dagy.adapters.values import check_limit, decode_cursor, encode_cursor, now
from dagy.domain.errors import NotFoundError
from dagy.domain.schedules.model import Schedule, Sensor
from dagy.domain.schedules.slots import SLOT_HISTORY, ScheduleSlot

TABLES = ("schedules", "sensors", "sensor_tokens", "schedule_slots")


class _KeyedRepository(Repo):
    """CRUD and keyset listing of one table keyed by `<id>` (unique across orgs)."""

    table: str
    id_name: str
    what: str

    def __init__(self, tx: Tx) -> None:
        super().__init__(tx)
        for name in TABLES:  # tables the store did not create: added on first use
            tx.tables.setdefault(name, {})

    def _get(self, org_id: str, ident: str) -> Any:
        obj = self._tx.get(self.table, ident)
        return obj if obj is not None and obj.org_id == org_id else None

    def get(self, org_id: str, ident: str) -> Any:
        return copy_of(self._get(org_id, ident))

    def _new(self, obj: Any) -> Any:
        new = stored_copy(obj)
        new.created_at = new.created_at or now()
        return new

    def _index(self, new: Any, old: Any) -> None:
        """Maintain the table's unique indexes (none by default)."""

    def add(self, obj: Any) -> None:
        ident = getattr(obj, self.id_name)
        self._conflict_if(self._tx.get(self.table, ident) is not None, f"{self.what} {ident!r}")
        new = self._new(obj)
        self._index(new, None)
        self._tx.put(self.table, ident, new)

    def _replace(self, obj: Any, current: Any) -> None:
        new = stored_copy(obj)
        new.created_at = current.created_at
        self._index(new, current)
        self._tx.put(self.table, getattr(obj, self.id_name), new)

    def update(self, obj: Any) -> None:
        current = self._get(obj.org_id, getattr(obj, self.id_name))
        if current is None:
            raise NotFoundError(f"no {self.what} {getattr(obj, self.id_name)!r}")
        self._replace(obj, current)

    def compare_and_set(self, obj: Any, expected_version: int) -> bool:
        current = self._get(obj.org_id, getattr(obj, self.id_name))
        if current is None or current.version != expected_version:
            return False
        self._replace(obj, current)
        return True

    def delete(self, org_id: str, ident: str) -> bool:
        current = self._get(org_id, ident)
        if current is None:
            return False
        self._unindex(current)
        self._tx.delete(self.table, ident)
        return True

    def _unindex(self, old: Any) -> None:
        """Drop `old` from the table's unique indexes (none by default)."""

    def _select(self, keep: Callable[[Any], bool]) -> list[Any]:
        return [obj for obj in self._tx.rows(self.table) if keep(obj)]

    def _page(self, org_id: str, filters: dict[str, Any], limit: int,
              cursor: str | None) -> tuple[list[Any], str | None]:
        rows = self._select(lambda o: o.org_id == org_id and all(
            getattr(o, name) == value for name, value in filters.items() if value is not None))
        key = lambda o: (getattr(o, self.id_name),)  # noqa: E731
        page, last = keyset_page(rows, key, limit, decode_cursor(cursor, str))
        return [copy_of(o) for o in page], encode_cursor(list(last)) if last else None

    def _first(self, rows: list[Any], key: Callable[[Any], tuple], limit: int) -> list[Any]:
        return [copy_of(o) for o in sorted(rows, key=key)[:check_limit(limit)]]


class InMemoryScheduleRepository(_KeyedRepository):
    table, id_name, what = "schedules", "schedule_id", "schedule"

    def add_many(self, schedules: Sequence[Schedule]) -> None:
        """All or nothing, like one SQL statement: every conflict is checked first."""
        ids = [schedule.schedule_id for schedule in schedules]
        self._conflict_if(len(set(ids)) < len(ids)
                          or any(self._tx.get("schedules", i) is not None for i in ids),
                          f"one of {len(ids)} schedules")
        for schedule in schedules:
            self.add(schedule)

    def list(self, org_id: str, *, deployment_name: str | None = None,
             enabled: bool | None = None, limit: int = 50,
             cursor: str | None = None) -> tuple[list[Schedule], str | None]:
        return self._page(org_id, {"deployment_name": deployment_name, "enabled": enabled},
                          limit, cursor)

    def for_deployment(self, org_id: str, deployment_name: str) -> list[Schedule]:
        rows = self._select(lambda s: s.org_id == org_id and s.deployment_name == deployment_name)
        return [copy_of(s) for s in sorted(rows, key=lambda s: s.schedule_id)]

    def due(self, now_epoch: int, limit: int) -> list[Schedule]:
        cutoff = int(now_epoch)
        rows = self._select(lambda s: s.enabled and s.next_run_epoch is not None
                            and s.next_run_epoch <= cutoff)
        return self._first(rows, lambda s: (s.next_run_epoch, s.schedule_id), limit)

    def delete(self, org_id: str, schedule_id: str) -> bool:
        if not super().delete(org_id, schedule_id):
            return False
        for slot in self._slots_of(org_id, schedule_id):
            self._tx.delete("schedule_slots", (org_id, schedule_id, slot.epoch))
        return True

    def _slots_of(self, org_id: str, schedule_id: str) -> list[ScheduleSlot]:
        return [s for s in self._tx.rows("schedule_slots")
                if s.org_id == org_id and s.schedule_id == schedule_id]

    def record_slots(self, slots: Sequence[ScheduleSlot]) -> None:
        touched = set()
        for slot in slots:
            new = stored_copy(slot)
            new.recorded_at = new.recorded_at or now()
            self._tx.put("schedule_slots", (slot.org_id, slot.schedule_id, slot.epoch), new)
            touched.add((slot.org_id, slot.schedule_id))
        for org_id, schedule_id in touched:  # keep the newest SLOT_HISTORY of each
            kept = sorted(self._slots_of(org_id, schedule_id), key=lambda s: -s.epoch)
            for old in kept[SLOT_HISTORY:]:
                self._tx.delete("schedule_slots", (org_id, schedule_id, old.epoch))

    def slots(self, org_id: str, schedule_id: str, *, status: str | None = None,
              limit: int = 50, cursor: str | None = None) -> tuple[list[ScheduleSlot], str | None]:
        rows = [s for s in self._slots_of(org_id, schedule_id)
                if status is None or s.status == status]
        page, last = keyset_page(rows, lambda s: (s.epoch,), limit,
                                 decode_cursor(cursor, int), newest_first=True)
        return [copy_of(s) for s in page], encode_cursor(list(last)) if last else None

    def refused_summary(self, org_id: str,
                        schedule_id: str) -> tuple[int, ScheduleSlot | None]:
        refused = [s for s in self._slots_of(org_id, schedule_id) if s.status == "refused"]
        newest = max(refused, key=lambda s: s.epoch, default=None)
        return len(refused), copy_of(newest)


def _bucket(sensor: Sensor) -> str | None:
    """An s3 sensor's config["bucket"] (the SQL adapter's indexed s3_bucket column)."""
    bucket = sensor.config.get("bucket") if isinstance(sensor.config, dict) else None
    return bucket if sensor.sensor_type == "s3" and isinstance(bucket, str) else None


class InMemorySensorRepository(_KeyedRepository):
    table, id_name, what = "sensors", "sensor_id", "sensor"

    def _index(self, new: Sensor, old: Sensor | None) -> None:
        """Maintain the webhook_token_hash unique index (None is never indexed). `new` is
        the copy about to be stored: like a SQL row, it never keeps a plaintext token."""
        new.webhook_token = None
        old_hash = old.webhook_token_hash if old is not None else None
        if new.webhook_token_hash is not None and new.webhook_token_hash != old_hash:
            self._conflict_if(self._tx.get("sensor_tokens", new.webhook_token_hash) is not None,
                              "a sensor with this webhook token")
        if old_hash is not None and old_hash != new.webhook_token_hash:
            self._tx.delete("sensor_tokens", old_hash)
        if new.webhook_token_hash is not None:
            self._tx.put("sensor_tokens", new.webhook_token_hash, new.sensor_id)

    def _unindex(self, old: Sensor) -> None:
        if old.webhook_token_hash is not None:
            self._tx.delete("sensor_tokens", old.webhook_token_hash)

    def get_by_token_hash(self, token_hash: str) -> Sensor | None:
        sensor_id = self._tx.get("sensor_tokens", token_hash)
        return copy_of(self._tx.get("sensors", sensor_id)) if sensor_id is not None else None

    def with_plaintext_secret(self, limit: int) -> list[Sensor]:
        rows = self._select(lambda s: s.sensor_type == "webhook" and isinstance(s.config, dict)
                            and isinstance(s.config.get("hmac_secret"), str))
        return self._first(rows, lambda s: (s.sensor_id,), limit)

    def list(self, org_id: str, *, sensor_type: str | None = None, limit: int = 50,
             cursor: str | None = None) -> tuple[list[Sensor], str | None]:
        return self._page(org_id, {"sensor_type": sensor_type}, limit, cursor)

    def due_polls(self, now_epoch: int, limit: int) -> list[Sensor]:
        cutoff = int(now_epoch)
        rows = self._select(lambda s: s.sensor_type == "polling" and s.enabled
                            and s.next_poll_epoch is not None and s.next_poll_epoch <= cutoff)
        return self._first(rows, lambda s: (s.next_poll_epoch, s.sensor_id), limit)

    def matching_s3(self, bucket: str) -> list[Sensor]:
        rows = self._select(lambda s: s.enabled and _bucket(s) == bucket)
        return [copy_of(s) for s in sorted(rows, key=lambda s: s.sensor_id)]
