"""Write the control plane's OpenAPI document as JSON, without a running server.

The web UI's typed client (ui/src/api/schema.d.ts) is generated from this file
(`npm run gen:api` in ui/), so building the UI never needs `dagy server`. The app is
built over the in-memory profile with the default settings (DAGY_* variables are not
read): the document depends on the routes and their models only, never on the data or
the environment. A test compares the output with the checked-in
ui/openapi.json, so the UI and the API cannot drift apart unnoticed.

Usage: python -m dagy.entrypoints.export_openapi [OUTPUT]  (default: standard output)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from dagy.entrypoints.api import create_app
from dagy.entrypoints.settings import DagySettings
from dagy.entrypoints.wiring import build_deps


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document of an app over fresh in-memory Deps and default settings."""
    defaults = DagySettings.model_construct()  # defaults only, not the environment
    return create_app(build_deps(defaults, profile="memory")).openapi()


def openapi_json() -> str:
    """The document as stable text: sorted keys, two-space indent, a final newline."""
    return json.dumps(openapi_document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write the JSON to the path in `argv` (or standard output); exit code 0."""
    args = sys.argv[1:] if argv is None else argv
    text = openapi_json()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
