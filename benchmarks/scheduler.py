"""One scheduler tick over 100,000 enabled schedules of which 1,000 are due.

For SQLite (a file) and PostgreSQL (DAGY_TEST_POSTGRES_URL, a scratch schema): time of
one `scheduler_tick(max_due=1000)` (1,000 runs triggered, 1,000 schedules advanced) and
per triggered run, against a baseline measured in the same run on the same database:
one transaction inserting 1,000 plain rows with executemany (the least any tick must
write). Also prints the database's plan of the due-schedule query (it must use
ix_schedules_due).

Run: .venv/bin/python benchmarks/scheduler.py [--schedules 100000] [--due 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dagy.adapters.sql.engine import make_engine  # noqa: E402
from dagy.adapters.sql.migrate import upgrade  # noqa: E402
from dagy.adapters.sql.repos_schedules import explain_due  # noqa: E402
from dagy.adapters.sql.uow import SqlUnitOfWork  # noqa: E402
from dagy.application.deps import Deps  # noqa: E402
from dagy.application.principal import Principal  # noqa: E402
from dagy.application.use_cases.accounts import bootstrap  # noqa: E402
from dagy.application.use_cases.deployments import create_deployment  # noqa: E402
from dagy.application.use_cases.flows import RegisterFlow, register_flow, upload_artifact  # noqa: E402
from dagy.application.use_cases.scheduler import scheduler_tick  # noqa: E402
from dagy import flow, task  # noqa: E402
from dagy.artifacts import build_artifact  # noqa: E402
from dagy.domain.schedules.model import Schedule  # noqa: E402
from dagy.entrypoints.wiring import build_deps  # noqa: E402

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=timezone.utc)


@task
def step(n: int) -> int:
    return n


@flow(name="bench_scheduled", version="1.0.0")
def bench_scheduled(n: int = 1):
    return step(n)


class Clock:
    def now(self):
        return NOW


def seed(engine, total: int, due: int) -> Deps:
    upgrade(engine)
    deps = build_deps(uow=lambda: SqlUnitOfWork(engine), clock=Clock(), poll_probe=None)
    org, _ = bootstrap(deps)
    principal = Principal(org.org_id)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        artifact = build_artifact(bench_scheduled, output_dir=tmp)
        uri = upload_artifact(deps, principal, artifact.path.read_bytes(), "bench_scheduled")
    register_flow(deps, principal, RegisterFlow("bench_scheduled", "1.0.0",
                                                bench_scheduled.spec.to_dict(), uri))
    create_deployment(deps, principal, {"deployment_name": "bench", "flow_name": "bench_scheduled",
                                        "flow_version": "1.0.0"})
    now_epoch = int(NOW.timestamp())
    batch = []
    for i in range(total):
        due_now = i % (total // due) == 0
        epoch = now_epoch - 30 if due_now else now_epoch + 3600 + i
        batch.append(Schedule(f"s{i:07d}", org.org_id, "bench", "bench_scheduled",
                              mode="interval", interval_seconds=3600,
                              start_at=datetime.fromtimestamp(epoch, timezone.utc),
                              next_run_epoch=epoch,
                              next_run_at=datetime.fromtimestamp(epoch, timezone.utc),
                              created_at=NOW - timedelta(days=1)))
        if len(batch) == 5000:
            _insert(deps, batch)
            batch = []
    _insert(deps, batch)
    with engine.begin() as conn:
        conn.execute(sa.text("ANALYZE" if engine.dialect.name == "sqlite" else "ANALYZE schedules"))
    return deps


def _insert(deps: Deps, batch: list) -> None:
    if batch:
        with deps.uow() as uow:
            uow.schedules.add_many(batch)
            uow.commit()


def baseline(engine, rows: int) -> float:
    table = sa.Table(f"bench_baseline_{uuid.uuid4().hex[:8]}", sa.MetaData(),
                     sa.Column("id", sa.String(64), primary_key=True),
                     sa.Column("body", sa.Text))
    table.create(engine)
    start = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"id": uuid.uuid4().hex, "body": "{}" * 20}
                                      for _ in range(rows)])
    elapsed = time.perf_counter() - start
    table.drop(engine)
    return elapsed


def measure(name: str, engine, total: int, due: int) -> None:
    started = time.perf_counter()
    deps = seed(engine, total, due)
    seeded = time.perf_counter() - started
    plan = explain_due(engine, int(NOW.timestamp()), due)
    start = time.perf_counter()
    result = scheduler_tick(deps, max_due=due, now=NOW)
    tick = time.perf_counter() - start
    again = scheduler_tick(deps, max_due=due, now=NOW)
    base = baseline(engine, due)
    print(f"{name}: {total:,} schedules ({seeded:.1f} s to seed), {due:,} due")
    print(f"  one tick: {tick:.3f} s, {result.triggered:,} runs triggered, "
          f"{tick / max(result.triggered, 1) * 1e3:.3f} ms per run; "
          f"baseline insert of {due:,} rows {base:.3f} s -> tick = {tick / base:.1f}x baseline")
    print(f"  repeated tick at the same instant: {again.triggered} runs, {again.schedules} due")
    print("  due-query plan: " + " | ".join(line.strip() for line in plan.splitlines()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schedules", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        measure("SQLite", engine, args.schedules, args.due)
        engine.dispose()
    url = os.environ.get("DAGY_TEST_POSTGRES_URL")
    if not url:
        print("PostgreSQL: skipped (set DAGY_TEST_POSTGRES_URL)")
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        measure("PostgreSQL", engine, args.schedules, args.due)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
