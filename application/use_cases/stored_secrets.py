"""The server's secrets of a run: the org's stored ones, decrypted on read.

A run of a deployment reads the secret of the deployment's environment when there is
one, else the org-wide one; a run without a deployment (or whose deployment is gone)
reads org-wide secrets only. The environment is looked up once per run, on the first
`get_secret`; each read is its own short transaction.
"""

from __future__ import annotations

import threading

from dagy.application.deps import Deps
from dagy.application.run_secrets import RunSecrets
from dagy.application.use_cases.secrets import keyring_of
from dagy.domain.runs import Run


def run_secrets(deps: Deps, run: Run) -> RunSecrets:
    org_id, deployment = run.org_id, run.deployment_name
    scope: list[str | None] = []
    lock = threading.Lock()

    def environment() -> str | None:
        with lock:
            if not scope:
                found = None
                if deployment:
                    with deps.uow() as uow:
                        record = uow.deployments.get(org_id, deployment)
                    found = getattr(record, "environment", None) if record else None
                scope.append(found)
            return scope[0]

    def lookup(name: str) -> str | None:
        env = environment()
        with deps.uow() as uow:
            secret = (uow.secrets.get(org_id, env, name) if env else None) \
                or uow.secrets.get(org_id, None, name)
        return None if secret is None else keyring_of(deps).decrypt(secret.encrypted_value)

    where = "org-wide" if not deployment else f"for deployment {deployment!r}: neither in " \
        "its environment nor org-wide"
    return RunSecrets(lookup, where)
