"""`dagy server`: the command that starts the local control plane (see entrypoints/server.py)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer


class LogLevel(str, Enum):
    debug = "debug"
    info = "info"
    warning = "warning"
    error = "error"


def server(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8484,
    tick_seconds: Annotated[float, typer.Option(
        "--tick-seconds", min=0.001, help="Seconds between scheduler ticks.")] = 60.0,
    consumers: Annotated[int, typer.Option(
        "--consumers", min=1, max=64, help="Threads executing queued runs.")] = 2,
    demo: Annotated[bool, typer.Option(
        "--demo/--no-demo", help="Deploy examples/demo_flows.py:etl_pipeline as etl-demo "
        "and trigger one run once the server is up.")] = False,
    log_level: Annotated[LogLevel, typer.Option(
        "--log-level", help="What the server logs to stderr.")] = LogLevel.info,
) -> None:
    """Serve the control plane (API, run execution, outbox relay, lease sweeper).

    State lives in $DAGY_HOME (SQLite by default); the API key is saved in the "local"
    profile of $DAGY_HOME/profiles.toml. SIGTERM or Ctrl-C stop it cleanly.
    """
    from dagy.entrypoints.server import configure_logging, run_server
    from dagy.entrypoints.settings import DagySettings

    configure_logging(log_level.value)
    code = run_server(host, port, tick_seconds, DagySettings(), demo=demo, consumers=consumers)
    raise typer.Exit(code)
