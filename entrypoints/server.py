"""`dagy server`: the whole control plane in one process.

The REST API (uvicorn), the outbox relay, the queue consumers that execute runs, the
lease sweeper and the scheduler tick share one container (SQLite at
`$DAGY_HOME/dagy.db` by default). On first start the `default` org, its admin and an
API key are created and the key is saved in the `[local]` profile of
`$DAGY_HOME/profiles.toml`, which the command line and the SDK read; the admin gets a
password for `dagy login` (DAGY_ADMIN_PASSWORD, else one generated into
`$DAGY_HOME/initial-admin-password`: entrypoints/admin_password.py).

SIGTERM / SIGINT: uvicorn stops accepting requests and finishes the ones in flight,
then the loops stop; a consumer finishes the message in hand if it can within
`SHUTDOWN_GRACE_SECONDS`, otherwise its run is left RUNNING. The exit code is then 0.

The server's instance id (`$DAGY_HOME/server-id`, see dagy.entrypoints.identity) owns the
leases of the runs it executes. Started again after a crash or such a shutdown, it
re-queues the runs its previous incarnation held before executing anything, so they
resume at once; the lease sweeper recovers other servers' runs once their leases expire.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import signal
import socket
import sys
import threading
from pathlib import Path
from typing import Any, Callable

from dagy.application.deps import Deps
from dagy.application.principal import Principal
from dagy.application.use_cases.accounts import authenticate, bootstrap, create_api_key
from dagy.domain.tenancy import AuthenticationError
from dagy.entrypoints.admin_password import ensure_admin_password
from dagy.entrypoints.container import build_container
from dagy.application.caches import LruCache
from dagy.entrypoints.identity import claim_identity
from dagy.entrypoints.profiles import DEFAULT_PROFILE, profiles_path, read_profile, write_profile
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.workers import CONSUMER_THREADS, Workers

logger = logging.getLogger("dagy.server")

SHUTDOWN_GRACE_SECONDS = 5.0
KEY_CACHE_SECONDS = 60.0  # a cached key is read again (and its last_used_at written) after this
ORG_NAME = "default"
ADMIN_EMAIL = "admin@localhost"
DEMO_FILE = Path(__file__).resolve().parents[1] / "examples" / "demo_flows.py"
DEMO_FLOW = "etl_pipeline"
DEMO_DEPLOYMENT = "etl-demo"
UI_BUILD = Path(__file__).resolve().parents[1] / "ui" / "out"


def client_url(host: str, port: int) -> str:
    """The URL a client on this machine uses: wildcard addresses become loopback."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def ui_build(settings: DagySettings) -> Path | None:
    """The web UI build to serve: DAGY_UI_DIR, else ui/out of the source tree; None
    when it holds no index.html (not built: the API runs without pages)."""
    directory = settings.ui_dir or UI_BUILD
    return directory if (directory / "index.html").is_file() else None


def ensure_local_profile(deps: Deps, home: Path, api_url: str) -> tuple[str, Path, bool]:
    """Bootstrap the org and make sure `[local]` holds `api_url` and a working key.

    Returns (api key, profiles path, whether the file was written). The file is only
    written for a new key (first start, or a saved key this database does not know) or
    a changed `api_url`; other tables and keys are kept."""
    org, new_key = bootstrap(deps, ORG_NAME, ADMIN_EMAIL)
    path = profiles_path(home)
    current = read_profile(path, DEFAULT_PROFILE)
    key = new_key or current.get("api_key")
    values: dict[str, Any] = {}
    if new_key is None and not _key_works(deps, key):
        with deps.uow() as uow:
            admin = uow.users.get_by_email(ADMIN_EMAIL)
        key = create_api_key(deps, Principal(org.org_id, admin.user_id if admin else None),
                             "local-profile")[1]
        logger.info("the saved API key does not match this database; created a new one")
    if current.get("api_url") != api_url:
        values["api_url"] = api_url
    if key != current.get("api_key"):
        values["api_key"] = key
    written = bool(values) and write_profile(path, DEFAULT_PROFILE, values)
    return key, path, written


def _key_works(deps: Deps, key: Any) -> bool:
    if not isinstance(key, str) or not key:
        return False
    try:
        authenticate(deps, key)
    except AuthenticationError:
        return False
    return True


class _SignalGate:
    """SIGTERM/SIGINT set `requested`; a second signal while stopping exits at once.

    Installed before uvicorn runs: uvicorn restores these handlers after it stops and
    re-raises the signal it caught, which lands here instead of killing the process."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.stopping = False
        self.server: Any = None

    def install(self) -> None:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, self._handle)

    def _handle(self, signum: int, _frame: Any) -> None:
        if self.stopping and self.requested.is_set():
            sys.stderr.write("dagy server: forced exit\n")
            sys.stderr.flush()
            os._exit(1)
        self.requested.set()
        if self.server is not None:
            self.server.should_exit = True


class ListenError(Exception):
    """The API's address cannot be bound; the message is one line for the user."""


def bind_listener(host: str, port: int) -> socket.socket:
    """Bind the API's socket first, so that a taken port stops the start before the
    database, the API key or profiles.toml is touched (uvicorn would only find out
    after all that, and log its own error line). uvicorn then serves on this socket."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ListenError(f"port {port} on {host} is already in use (another dagy "
                              "server?); stop it or choose another with --port") from None
        raise ListenError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def _make_server(app: Any, host: str, port: int, on_started: Callable[[], None]) -> Any:
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets: Any = None) -> None:
            await super().startup(sockets)
            if self.started and not self.should_exit:
                on_started()

    return Server(uvicorn.Config(app, host=host, port=port, log_level="warning",
                                 access_log=False, proxy_headers=False, server_header=False))


def run_server(host: str = "127.0.0.1", port: int = 8484, tick_seconds: float = 60.0,
               settings: DagySettings | None = None, *, demo: bool = False,
               consumers: int = CONSUMER_THREADS,
               out: Callable[[str], None] | None = None) -> int:
    """Serve until SIGTERM/SIGINT; returns the exit code (0 after a clean shutdown).

    The port is bound before anything else: if it is taken, one error line goes to
    stderr and the exit code is 1, with the database and profiles.toml untouched."""
    say = out or _print
    try:
        listener = bind_listener(host, port)
    except ListenError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    try:
        return _serve(listener, host, port, tick_seconds, settings or DagySettings(),
                      demo=demo, consumers=consumers, say=say)
    finally:
        listener.close()


def _serve(listener: socket.socket, host: str, port: int, tick_seconds: float,
           settings: DagySettings, *, demo: bool, consumers: int,
           say: Callable[[str], None]) -> int:
    from dagy.entrypoints.api import create_app
    from dagy.entrypoints.api.cors import parse_origins

    cors_origins = parse_origins(settings.api_cors_allowed_origins)  # a bad one stops here
    gate = _SignalGate()
    gate.install()
    container = build_container(settings, migrate=True)  # first step: `dagy db upgrade`
    identity = None
    try:
        identity = claim_identity(settings.home)
        container.deps.lease_owner = identity.instance_id
        if not identity.exclusive:
            logger.warning("another server is using %s: runs this one leaves interrupted "
                           "are resumed once their leases expire", settings.home)
        elif settings.uses_sqlite:
            # the only process on this database: it sees every key change it must forget
            container.deps.caches.principals = LruCache(4096, ttl=KEY_CACHE_SECONDS)
        api_url = client_url(host, port)
        key, path, written = ensure_local_profile(container.deps, settings.home, api_url)
        password_file = ensure_admin_password(container.deps, settings, ADMIN_EMAIL)
        workers = Workers(container.deps, consumers=consumers, tick_seconds=tick_seconds,
                          reclaim_own=identity.exclusive)
        ui_dir = ui_build(settings)
        app = create_app(container.deps, container.admission,
                         access_log=container.access_log, cors_origins=cors_origins,
                         ui_dir=ui_dir)

        def started() -> None:
            log_startup(settings, container, identity.instance_id, f"http://{host}:{port}")
            say(f"Dagy server listening on http://{host}:{port}")
            say(f"profile [{DEFAULT_PROFILE}] {'written to' if written else 'in'} {path}")
            if password_file is not None:
                say(f"password of {ADMIN_EMAIL} written to {password_file} "
                    f"(dagy login --email {ADMIN_EMAIL})")
            if ui_dir is not None:
                say(f"web UI at {api_url}/ui/")
            if demo:
                threading.Thread(target=run_demo, args=(api_url, key, settings.home, say, ui_dir is not None),
                                 name="dagy-demo", daemon=True).start()

        server = _make_server(app, host, port, started)
        gate.server = server
        workers.start()
        code = 0
        try:
            if not gate.requested.is_set():
                server.run(sockets=[listener])
        except SystemExit as exc:  # uvicorn gave up at startup (it logged why)
            code = 1 if exc.code else 0
            sys.stderr.write(f"error: the API did not start on {host}:{port}\n")
        finally:
            gate.stopping = True
            gate.requested.set()
            if container.access_log is not None:  # uvicorn has answered its last request
                container.access_log.stop()
            clean = workers.stop(SHUTDOWN_GRACE_SECONDS)
        if not clean:
            logger.warning("runs still executing after %.0fs; they resume when this server "
                           "starts again (or their leases expire)", SHUTDOWN_GRACE_SECONDS)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)  # task threads may not end; the queue delivers the message again
        return code
    finally:
        if identity is not None:
            identity.release()
        container.close()


def run_demo(api_url: str, api_key: str, home: Path,
             say: Callable[[str], None] = print, ui: bool = False) -> str | None:
    """Build and deploy the demo flow against this server and trigger one run; with the
    web UI served, end with the address of the page showing that run."""
    try:
        from dagy.artifacts import build_artifact
        from dagy.client import DagyClient
        from dagy.deploy import deploy_artifact
        from dagy.entrypoints.cli.loading import load_flow, parse_target

        flow = load_flow(parse_target(f"{DEMO_FILE}:{DEMO_FLOW}"))
        artifact = build_artifact(flow, output_dir=home / "builds")
        client = DagyClient(api_url=api_url, api_key=api_key, timeout=30)
        deployed = deploy_artifact(artifact, DEMO_DEPLOYMENT, client=client)
        run = client.trigger_run(DEMO_DEPLOYMENT, {})
    except Exception as exc:  # noqa: BLE001 - the demo must never take the server down
        logger.error("demo failed: %s: %s", type(exc).__name__, exc)
        return None
    say(f"demo: deployed {deployed.flow_name} {deployed.flow_version} as "
        f"{deployed.deployment_name}; triggered run {run.run_id}")
    try:
        done = run.wait(timeout=60, poll_interval=0.2)
        say(f"demo: run {done.run_slug or done.run_id} {done.status}: "
            f"{json.dumps(done.result, default=str)}")
        say(f"try: dagy runs show {done.run_id}  |  dagy run {DEMO_DEPLOYMENT} --wait")
    except Exception as exc:  # noqa: BLE001
        logger.error("demo run did not finish: %s", exc)
    if ui:
        say(f"demo run in the web UI: {api_url}/ui/runs/detail/?id={run.run_id}")
    return run.run_id


def log_startup(settings: DagySettings, container: Any, server_id: str, url: str) -> None:
    """One info line saying what this server is wired to, for whoever reads its logs
    (the database URL with its password hidden)."""
    from dagy import __version__

    database = container.database.engine.url.render_as_string(hide_password=True)
    queue = settings.queue if settings.queue != "sqs" else f"sqs {settings.sqs_queue_url}"
    artifacts = (f"s3://{settings.artifact_bucket}" if settings.artifact_bucket
                 else str(settings.home / "artifacts"))
    logger.info("dagy %s listening on %s; database %s; queue %s; artifacts %s; "
                "DAGY_HOME %s; server id %s", __version__, url, database, queue, artifacts,
                settings.home, server_id)


def _print(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def configure_logging(level: str = "info") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("dagy")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False
