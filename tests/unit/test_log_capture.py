"""print() and get_run_logger() inside tasks land in that task's run logs, even when
tasks run at the same time on pool threads; log_prints=False keeps prints out."""

from __future__ import annotations

import threading

from dagy import get_run_logger
from dagy.application.context import RunContext, reset_current, set_current
from dagy.application.log_capture import TaskLogs


def _in_task(logs: TaskLogs, body) -> None:
    token = set_current(RunContext("f", "r1", {}, logs.task_name, logs.task_name,
                                   logs.task_run_id, _logs=logs))
    try:
        body()
    finally:
        logs.close()
        reset_current(token)


def test_concurrent_prints_are_routed_to_their_own_task() -> None:
    got: list = []
    lock = threading.Lock()

    def emit(line) -> None:
        with lock:
            got.append(line)

    barrier = threading.Barrier(8)

    def work(i: int) -> None:
        logs = TaskLogs(emit, f"t{i}", f"tr{i}")

        def body() -> None:
            barrier.wait(timeout=10)
            for n in range(50):
                print(f"from t{i} line {n}")
            print("no newline", end="")
        _in_task(logs, body)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert len(got) == 8 * 51
    for line in got:
        name = line.task_run_id[2:]
        assert line.message.startswith(f"t{name}: ")
        assert line.message.endswith("no newline") or f"from t{name} line" in line.message


def test_log_prints_false_and_outside_a_task_capture_nothing(capsys) -> None:
    got: list = []
    logs = TaskLogs(got.append, "quiet", "tr", log_prints=False)
    _in_task(logs, lambda: print("not captured"))
    print("outside any task")
    assert got == []
    assert "not captured" in capsys.readouterr().out  # still reaches stdout


def test_run_logger_writes_level_and_task_name() -> None:
    got: list = []
    logs = TaskLogs(got.append, "loud", "tr9")
    _in_task(logs, lambda: get_run_logger().error("bad %s", "thing"))
    assert [(l.level, l.message, l.task_run_id) for l in got] == [("ERROR", "loud: bad thing", "tr9")]


def test_run_logger_outside_a_run_goes_to_stderr(capsys) -> None:
    logger = get_run_logger()
    logger.warning("hello from outside")
    # the handler was bound to the stderr of its first use; it is a plain logger
    assert logger.name == "dagy.run.outside" and not logger.propagate
