"""`dagy backfill` against a fake client: what it sends, that --max-concurrent asks again
until every slot's run has ended, and that a timeout is one error line with exit 1."""

from __future__ import annotations

import pytest

from dagy.entrypoints.cli import backfill as command
from dagy.entrypoints.cli.main import main


def answer(created: int, pending: int, active: int, finished: int, total: int = 3) -> dict:
    statuses = ["SUCCEEDED"] * finished + ["RUNNING"] * active + [None] * pending
    return {"schedule_id": "s1", "total": total, "created": created, "pending": pending,
            "active": active, "finished": finished, "existing": total - pending - created,
            "slots": [{"status": s} for s in statuses]}


class FakeClient:
    def __init__(self, answers: list[dict]) -> None:
        self.answers, self.calls = answers, []

    def backfill(self, *args):
        self.calls.append(args)
        return self.answers[min(len(self.calls), len(self.answers)) - 1]


@pytest.fixture
def use(monkeypatch):
    def _use(*answers: dict) -> FakeClient:
        client = FakeClient(list(answers))
        monkeypatch.setattr(command, "make_client", lambda profile: client)
        return client
    return _use


def cli(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    captured = capsys.readouterr()
    return info.value.code or 0, captured.out, captured.err


RANGE = ("--start", "2026-01-01T00:00:00Z", "--end", "2026-01-02T00:00:00Z")


def test_one_call_without_max_concurrent(use, capsys):
    client = use(answer(3, 0, 3, 0))
    code, out, _ = cli(capsys, "backfill", "etl", *RANGE, "--schedule", "s1")
    assert code == 0
    assert client.calls == [("etl", RANGE[1], RANGE[3], "s1", None)]
    assert out.strip() == "schedule s1: 3 slots, created 3, existing 0 (3 RUNNING)"


def test_max_concurrent_asks_again_until_every_run_has_ended(use, capsys):
    client = use(answer(1, 2, 1, 0), answer(0, 2, 1, 0), answer(1, 1, 1, 1),
                 answer(1, 0, 1, 2), answer(0, 0, 0, 3))
    code, out, _ = cli(capsys, "backfill", "etl", *RANGE, "--max-concurrent", "1",
                       "--poll", "0.05")
    assert code == 0
    assert len(client.calls) == 5 and {c[4] for c in client.calls} == {1}
    assert out.strip() == "schedule s1: 3 slots, created 3, existing 0 (3 SUCCEEDED)"


def test_a_timeout_is_one_error_line_and_exit_1(use, capsys):
    use(answer(1, 2, 1, 0))
    code, out, err = cli(capsys, "backfill", "etl", *RANGE, "--max-concurrent", "1",
                         "--poll", "0.05", "--timeout", "0.2")
    assert (code, out) == (1, "")
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: backfill not finished after 0.2 s: 1 runs active, "
                           "2 slots pending; give the same command again")
