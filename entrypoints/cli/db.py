"""`dagy db upgrade`: bring the control plane's database to the newest schema.

A deploy step: run it once per release before the new code serves (Lambda handlers never
migrate on a cold start; `dagy server` runs the same step when it starts). It also seals
webhook secrets that older versions stored in plaintext (which needs the server key:
DAGY_SECRET_KEY, or on SQLite $DAGY_HOME/secret.key) and checkpoints SQLite's WAL.
At the newest revision with nothing to seal it changes nothing. The database is the one
`dagy server` uses: DAGY_DATABASE_URL, else $DAGY_HOME/dagy.db.
"""

from __future__ import annotations

import re
import sys

import typer

db_app = typer.Typer(help="Manage the control plane's database.", no_args_is_help=True,
                     pretty_exceptions_enable=False)

_PASSWORD = re.compile(r"(?P<head>://[^/:@]*:)[^/@]*@")


def redacted(url: str) -> str:
    """The URL without its password (it is printed)."""
    return _PASSWORD.sub(r"\g<head>***@", url)


@db_app.command("upgrade")
def upgrade() -> None:
    """Migrate the database to the newest schema (safe to repeat); print what changed."""
    from dagy.domain.errors import DagyError
    from dagy.entrypoints.container import build_container, upgrade_database
    from dagy.entrypoints.settings import DagySettings

    settings = DagySettings()
    url = redacted(settings.resolved_database_url())
    try:
        container = build_container(settings, migrate=False)
        try:
            report = upgrade_database(container)
        finally:
            container.close()
    except DagyError as exc:
        raise DagyError(f"cannot upgrade {url}: {exc}") from None
    except Exception as exc:  # a malformed URL, a missing driver: still one line
        raise DagyError(f"cannot upgrade {url}: {type(exc).__name__}: {exc}") from None
    if report.before == report.after:
        line = f"{url}: already at revision {report.after}"
    else:
        line = f"{url}: upgraded from revision {report.before or 'none'} to {report.after}"
    if report.sealed:
        line += f"; sealed {report.sealed} plaintext webhook secret(s)"
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
