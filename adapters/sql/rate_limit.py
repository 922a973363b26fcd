"""RateLimiter on the SQL database: one row per bucket, taken inside one transaction.

For a fleet of API processes (Lambdas) that share the database but no memory. Each take
is a short transaction: make sure the row exists, lock it (PostgreSQL: SELECT ... FOR
UPDATE; SQLite: the write lock BEGIN IMMEDIATE takes), compute with the domain's token
bucket, write back. Rows of buckets idle past a day are deleted now and then.
"""

from __future__ import annotations

import time
from typing import Callable

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from dagy.adapters.sql.engine import serial_lock
from dagy.adapters.sql.rows import translated
from dagy.adapters.sql.tables import rate_limit_buckets as buckets
from dagy.domain.rate_limit import Bucket, Limit, Verdict, take

IDLE_SECONDS = 86_400
PRUNE_EVERY = 10_000


class SqlRateLimiter:
    does_io = True

    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time) -> None:
        self._engine, self._clock = engine, clock
        self._lock = serial_lock(engine)
        self._insert = (postgresql.insert(buckets) if engine.dialect.name == "postgresql"
                        else sqlite.insert(buckets))
        self._takes = 0

    def take(self, key: str, limit: Limit) -> Verdict:
        if not limit.enabled:
            return take(None, limit, 0.0)[0]
        if self._lock is not None:
            with self._lock:
                return self._take(key, limit)
        return self._take(key, limit)

    def _take(self, key: str, limit: Limit) -> Verdict:
        with translated("rate limit"), self._engine.connect() as conn:
            now = self._clock()
            conn.execute(self._insert.values(bucket_key=key, tokens=float(limit.burst),
                                             updated_at=now).on_conflict_do_nothing())
            query = select(buckets.c.tokens, buckets.c.updated_at).where(
                buckets.c.bucket_key == key)
            if conn.dialect.name == "postgresql":
                query = query.with_for_update()
            row = conn.execute(query).one()
            verdict, bucket = take(Bucket(row.tokens, row.updated_at), limit, now)
            conn.execute(update(buckets).where(buckets.c.bucket_key == key)
                         .values(tokens=bucket.tokens, updated_at=bucket.updated_at))
            self._takes += 1
            if self._takes % PRUNE_EVERY == 0:
                conn.execute(delete(buckets).where(buckets.c.updated_at < now - IDLE_SECONDS))
            conn.commit()
        return verdict
