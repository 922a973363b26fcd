"""StoreRecorder: a claimed run's state changes, persisted, and the one owner of its row.

The executor's copy of a run lived in three places (the mutated Run, the lease's copy
and version, the row); now the recorder alone knows the version this executor last
committed. Heartbeats extend the lease through it, the ownership check compares against
it, and the run's end writes the last task runs and the run in one unit of work,
compare-and-set on that version.
"""

from __future__ import annotations

import copy
import logging
import threading
from datetime import timedelta
from time import monotonic
from typing import Any, Sequence

from dagy.application.ports.storage import LogLine, log_group, log_stream
from dagy.domain.json_values import stored_result
from dagy.domain.runs import Run, TaskRun
from dagy.domain.states import RunStatus, TaskRunStatus

logger = logging.getLogger("dagy.executor")


class StoreRecorder:
    """A RunRecorder writing through units of work, batched, for a run this executor claimed.

    Task runs are copied on the runner's thread as they change (so the writer never sees
    a half-made change) and written every `batch_size` changes, and from a timer thread
    every `max_delay` seconds while something is pending, so a task that runs for
    minutes is visible as RUNNING within a second. Use it as a context manager: the
    timer runs while the block does. A 1,000-task run costs a few dozen transactions.
    """

    def __init__(self, deps: Any, claimed: Run, batch_size: int = 500,
                 max_delay: float = 0.25) -> None:
        self.deps, self.batch_size, self.max_delay = deps, batch_size, max_delay
        self.org_id, self.run_id = claimed.org_id, claimed.run_id
        self._row = copy.copy(claimed)  # the run as this executor last committed it
        self.version = claimed.version
        self.finished = False
        self.group = log_group(claimed.flow_name)
        self.stream = log_stream(claimed.run_slug or claimed.run_id, claimed.flow_version,
                                 claimed.run_id)
        self._pending: dict[str, TaskRun] = {}
        self._lines: list[LogLine] = []
        self._buffer = threading.Lock()  # _pending and _lines, runner thread vs timer
        self._writing = threading.Lock()  # one write at a time, in order; guards version
        self._last_flush = monotonic()
        self._stop = threading.Event()
        self._timer: threading.Thread | None = None

    # -- lifetime of the timer -------------------------------------------------------
    def __enter__(self) -> "StoreRecorder":
        self._stop.clear()
        self._timer = threading.Thread(target=self._flush_on_timer, daemon=True,
                                       name=f"recorder-{self.run_id[:8]}")
        self._timer.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        if self._timer is not None:
            self._timer.join(timeout=5)
            self._timer = None
        if not self.finished and (self._pending or self._lines):
            try:  # the run ended without an end (an error): keep what it did get to
                self.flush()
            except Exception:
                logger.warning("run %s: last task runs not written", self.run_id,
                               exc_info=True)

    def _flush_on_timer(self) -> None:
        failing = False  # a store outage is logged once with its cause, not every beat
        while not self._stop.wait(self.max_delay):
            if not (self._pending or self._lines):
                continue
            try:
                self.flush()
            except Exception as exc:  # a store hiccup: the batch went back to pending
                logger.warning("run %s: writing task runs failed (%s); will retry",
                               self.run_id, exc, exc_info=not failing)
                failing = True
            else:
                failing = False

    # -- RunRecorder ---------------------------------------------------------------------
    def run_changed(self, run: Run) -> None:
        self._log([_run_line(self.deps.clock.now(), run)])

    def log(self, line: LogLine) -> None:
        """A line a task logged (print, get_run_logger); any thread; the timer writes it."""
        with self._buffer:
            self._lines.append(line)

    def task_runs_changed(self, task_runs: Sequence[TaskRun]) -> None:
        at = self.deps.clock.now()
        copies = [_snapshot(tr) for tr in task_runs]
        lines = [_task_line(at, tr) for tr in copies
                 if tr.status is not TaskRunStatus.PENDING or tr.attempt]
        with self._buffer:
            for tr in copies:
                self._pending[tr.task_run_id] = tr
            self._lines.extend(lines)
            full = len(self._pending) >= self.batch_size
        timer_off = self._timer is None
        if full or (timer_off and monotonic() - self._last_flush >= self.max_delay):
            self.flush()

    def flush(self) -> None:
        """Write everything received so far: task runs in one unit of work, then log lines.
        A failed write puts the batch back (newer changes win), so nothing is lost."""
        with self._writing:
            batch, lines = self._take()
            try:
                if batch:
                    with self.deps.uow() as uow:
                        uow.task_runs.upsert_many(self.org_id, batch)
                        uow.commit()
            except Exception:
                self._put_back(batch, lines)
                raise
            self._write_lines(lines)

    def finish(self, run: Run) -> Run:
        """The run's end: the last task runs and the run in one unit of work, the run by
        compare-and-set on this executor's version. Returns the state committed: `run`
        (its version and lease brought up to date) or, if a cancel or re-queue changed
        the row first, the stored run. The task runs are written either way: they say
        what really ran."""
        with self._writing:
            batch, lines = self._take()
            row = copy.copy(run)
            row.result = stored_result(run.result)[0]
            row.lease_expires_at = row.lease_owner = None
            row.version = self.version + 1
            try:
                with self.deps.uow() as uow:
                    if batch:
                        uow.task_runs.upsert_many(self.org_id, batch)
                    won = uow.runs.compare_and_set(row, RunStatus.RUNNING, self.version)
                    stored = None if won else uow.runs.get(self.org_id, self.run_id)
                    uow.commit()
            except Exception:
                self._put_back(batch, lines)
                raise
            self.finished = True
            if won:
                self.version, self._row = row.version, row
                run.version, run.lease_expires_at, run.lease_owner = row.version, None, None
                committed = run
            else:
                committed = stored if stored is not None else copy.copy(self._row)
                logger.info("run %s was changed elsewhere (%s); kept that state",
                            self.run_id, committed.status.value)
                lines.append(LogLine(self.deps.clock.now(), f"run {run.status.value} was not "
                                     f"recorded: the run was changed elsewhere"))
            lines.append(_run_line(self.deps.clock.now(), committed))
            self._write_lines(lines)
        return committed

    # -- the lease, through the owner of the version ---------------------------------------
    def extend_lease(self) -> bool:
        """Push the lease's expiry forward; False once this executor no longer owns the run."""
        with self._writing:
            if self.finished:
                return False
            row = copy.copy(self._row)
            row.lease_expires_at = self.deps.clock.now() + timedelta(
                seconds=self.deps.lease_seconds)
            row.version = self.version + 1
            with self.deps.uow() as uow:
                if not uow.runs.compare_and_set(row, RunStatus.RUNNING, self.version):
                    return False
                uow.commit()
            self.version, self._row = row.version, row
            return True

    def still_owns(self) -> bool:
        """The stored run is RUNNING at the version this executor last committed."""
        with self._writing:  # only the heartbeat's own thread changes the version mid-run
            finished, version = self.finished, self.version
        if finished:
            return False
        with self.deps.uow() as uow:  # read without the lock: the runner's flushes go on
            stored = uow.runs.get(self.org_id, self.run_id)
        return (stored is not None and stored.status is RunStatus.RUNNING
                and stored.version == version)

    # -- buffers ---------------------------------------------------------------------------
    def _take(self) -> tuple[list[TaskRun], list[LogLine]]:
        with self._buffer:
            batch, lines = list(self._pending.values()), self._lines
            self._pending, self._lines = {}, []
        self._last_flush = monotonic()
        return batch, lines

    def _put_back(self, batch: list[TaskRun], lines: list[LogLine]) -> None:
        with self._buffer:
            for tr in batch:
                self._pending.setdefault(tr.task_run_id, tr)
            self._lines[:0] = lines

    def _log(self, lines: list[LogLine]) -> None:
        with self._buffer:
            self._lines.extend(lines)

    def _write_lines(self, lines: list[LogLine]) -> None:
        if lines:
            self.deps.logs.write(self.org_id, self.group, self.stream, self.run_id, lines)


def _snapshot(tr: TaskRun) -> TaskRun:
    """A copy holding what is stored of the result (dagy.domain.json_values.stored_result),
    so later changes to the live object do not leak."""
    result, ref = stored_result(tr.result)
    return TaskRun(tr.task_run_id, tr.run_id, tr.task_id, tr.task_name, tr.status, tr.attempt,
                   tr.map_index, tr.executor, tr.started_at, tr.completed_at, tr.error_message,
                   ref or tr.output_ref, result, tr.error_traceback)


def _run_line(at: Any, run: Run) -> LogLine:
    return LogLine(at, f"run {run.status.value}"
                   + (f": {run.error_message}" if run.error_message else ""))


def _task_line(at: Any, tr: TaskRun) -> LogLine:
    label = tr.task_name if tr.map_index is None else f"{tr.task_name}[{tr.map_index}]"
    shown = tr.error_message and tr.status is not TaskRunStatus.RUNNING
    suffix = f": {tr.error_message}" if shown else ""
    return LogLine(at, f"task {label} {tr.status.value} (attempt {tr.attempt}){suffix}",
                   "ERROR" if tr.status is TaskRunStatus.FAILED else "INFO", tr.task_run_id)
