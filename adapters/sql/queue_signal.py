"""Wake-ups for waiting SqlEventQueue consumers instead of polling the table.

A `WorkSignal` is a generation counter with a Condition: every send (or release, or
commit of a unit of work that enqueued through the direct outbox) bumps it, and a
consumer waiting in `wait_for_work` returns as soon as the generation moves past the one
it saw at its last receive, so a send between that receive and the wait is not missed.

There is one signal per engine, shared by every queue and unit of work of the process on
that database. On PostgreSQL, producers also `NOTIFY` in their transaction and one
daemon thread per signal `LISTEN`s on a dedicated psycopg connection, so sends by other
processes wake this one too (the notification is delivered only after the commit).
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

logger = logging.getLogger("dagy.queue")

CHANNEL = "dagy_queue"
_LISTEN_TIMEOUT = 5.0  # seconds between checks that the listener should keep going
_RECONNECT_MAX = 10.0  # seconds: longest pause before reconnecting a lost listener

_registry_lock = threading.Lock()


class WorkSignal:
    def __init__(self, engine: Engine | None = None) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._generation = 0
        self._engine = engine if engine is not None and engine.dialect.name == "postgresql" else None
        self._listener: threading.Thread | None = None

    @property
    def generation(self) -> int:
        with self._cond:
            return self._generation

    def notify(self) -> None:
        with self._cond:
            self._generation += 1
            self._cond.notify_all()

    def wait_past(self, seen: int, timeout: float) -> bool:
        """Block until the generation exceeds `seen` (True) or `timeout` passes (False)."""
        self._ensure_listener()
        with self._cond:
            return self._cond.wait_for(lambda: self._generation > seen, max(0.0, timeout))

    # -- PostgreSQL LISTEN -------------------------------------------------------------

    def _ensure_listener(self) -> None:
        if self._engine is None or self._listener is not None:
            return
        with _registry_lock:
            if self._listener is None:
                self._listener = threading.Thread(target=self._listen_forever, daemon=True,
                                                  name="dagy-queue-listen")
                self._listener.start()

    def _listen_forever(self) -> None:
        import psycopg

        assert self._engine is not None
        url = self._engine.url.set(drivername="postgresql").render_as_string(
            hide_password=False)
        pause, lost = 0.5, False
        while True:
            try:
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    if lost:  # what was sent while not listening is looked for now
                        self.notify()
                    pause, lost = 0.5, False
                    while True:
                        for _ in conn.notifies(timeout=_LISTEN_TIMEOUT):
                            self.notify()
            except Exception as exc:  # noqa: BLE001 - consumers fall back to their timeout
                logger.warning("queue listener lost its connection (%s); reconnecting", exc)
                lost = True
                threading.Event().wait(pause)
                pause = min(pause * 2, _RECONNECT_MAX)


def signal_for(engine: Engine) -> WorkSignal:
    """The process's one signal for `engine`."""
    with _registry_lock:
        found = getattr(engine, "_dagy_work_signal", None)  # lives and dies with the engine
        if found is None:
            found = WorkSignal(engine)
            engine._dagy_work_signal = found  # type: ignore[attr-defined]
        return found


def notify_in_transaction(conn: Connection) -> None:
    """PostgreSQL: queue a NOTIFY that is delivered when `conn`'s transaction commits."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
