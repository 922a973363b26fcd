"""The server's instance id: persisted in DAGY_HOME, held by one live process at a time,
and the runs its previous incarnation held taken back when the workers start."""

from __future__ import annotations

import stat
import subprocess
import sys
from datetime import timedelta

import pytest

from dagy.application.deps import Deps
from dagy.domain.runs import Run
from dagy.domain.states import RunStatus
from dagy.entrypoints.identity import FILE_NAME, claim_identity
from dagy.entrypoints.wiring import build_deps
from dagy.entrypoints.workers import Workers


def test_the_id_is_persisted_private_and_stable_across_restarts(tmp_path) -> None:
    first = claim_identity(tmp_path / "home")
    assert first.exclusive and len(first.instance_id) == 32
    path = tmp_path / "home" / FILE_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    first.release()
    again = claim_identity(tmp_path / "home")
    assert again.exclusive and again.instance_id == first.instance_id
    again.release()
    again.release()  # harmless twice


def test_a_second_live_process_gets_a_fresh_id_and_no_claim_to_the_old_leases(tmp_path) -> None:
    held = claim_identity(tmp_path)
    try:
        other = claim_identity(tmp_path)  # another open file description: the lock conflicts
        assert not other.exclusive and other.instance_id != held.instance_id
        script = ("import sys; from pathlib import Path; from dagy.entrypoints.identity import "
                  "claim_identity; i = claim_identity(Path(sys.argv[1])); "
                  "print(i.exclusive, i.instance_id)")
        out = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True,
                             text=True, timeout=30, check=True).stdout.split()
        assert out[0] == "False" and out[1] != held.instance_id
    finally:
        held.release()
    assert claim_identity(tmp_path).instance_id == held.instance_id  # free again: same id


@pytest.mark.parametrize("content", ["", "not an id\n", "ABCDEF" * 6])
def test_an_unusable_id_file_is_replaced(tmp_path, content: str) -> None:
    (tmp_path / FILE_NAME).write_text(content)
    identity = claim_identity(tmp_path)
    assert identity.exclusive and identity.instance_id != content.strip()
    assert (tmp_path / FILE_NAME).read_text().strip() == identity.instance_id
    identity.release()


def _deps_with_orphan(owner: str) -> tuple[Deps, str]:
    deps = build_deps(lease_owner=owner, poll_probe=None)
    now = deps.clock.now()
    with deps.uow() as uow:
        uow.runs.add(Run("orphan", "f", status=RunStatus.RUNNING, org_id="o", started_at=now,
                         version=1, lease_expires_at=now + timedelta(seconds=30),
                         lease_owner=owner))
        uow.commit()
    return deps, "orphan"


@pytest.mark.parametrize("reclaim_own", [True, False])
def test_workers_take_back_their_own_runs_before_any_loop_starts(reclaim_own: bool) -> None:
    deps, run_id = _deps_with_orphan("me")
    workers = Workers(deps, consumers=1, tick_seconds=60, reclaim_own=reclaim_own)
    workers.loops = []  # only the start-up step: no loop may race it here
    workers.start()
    with deps.uow() as uow:
        run = uow.runs.get("o", run_id)
    assert workers.reclaimed == (1 if reclaim_own else 0)
    assert run.status is (RunStatus.QUEUED if reclaim_own else RunStatus.RUNNING)
