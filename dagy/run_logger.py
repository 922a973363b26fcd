"""`get_run_logger()`: a logger whose records go into the current run's logs.

Inside a task the records are routed, at emit time, by the RunContext of the thread that
logs (a contextvar), so one shared logger serves every concurrent task; each line is
named by its task and keeps its level. Outside a run there are no run logs to write to:
a plain logger writing to stderr is returned, with a one-time warning, as Prefect does.
"""

from __future__ import annotations

import logging
import sys

from dagy.application.context import RunContext
from dagy.application.log_capture import current_task_logs

_RUN_LOGGER = "dagy.run"
_OUTSIDE_LOGGER = "dagy.run.outside"


class _RunLogHandler(logging.Handler):
    """Formats a record and hands it to the current task's TaskLogs (if any)."""

    def emit(self, record: logging.LogRecord) -> None:
        logs = current_task_logs()
        if logs is None:
            return
        try:
            message = self.format(record)
        except Exception:
            self.handleError(record)
            return
        logs.line(message, record.levelname)


def _run_logger() -> logging.Logger:
    logger = logging.getLogger(_RUN_LOGGER)
    if not any(isinstance(h, _RunLogHandler) for h in logger.handlers):
        handler = _RunLogHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
        logger.propagate = False  # run lines belong to the run, not the server's log
    return logger


def _outside_logger(warn: bool = True) -> logging.Logger:
    logger = logging.getLogger(_OUTSIDE_LOGGER)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    if warn and not getattr(logger, "_dagy_warned", False):
        logger._dagy_warned = True  # type: ignore[attr-defined]
        logger.warning("get_run_logger() called outside a run: lines go to stderr only")
    return logger


def get_run_logger() -> logging.Logger:
    """The run's logger inside a task; outside a run, a plain logger on stderr.

    A local run (`run_local`) keeps no run logs: its tasks get the stderr logger too,
    without the warning."""
    if current_task_logs() is None:
        return _outside_logger(warn=RunContext.current() is None)
    return _run_logger()
