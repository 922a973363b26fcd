"""The control plane's REST API (FastAPI): `create_app(deps)` builds one app per Deps."""

from dagy.entrypoints.api.app import create_app

__all__ = ["create_app"]
