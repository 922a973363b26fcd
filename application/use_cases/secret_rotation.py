"""Key rotation of stored secrets (`dagy secrets rotate-key`): re-encrypt every secret
still under an older key with the keyring's first key.

An operator step, run against the database after putting the new key first in
DAGY_SECRET_KEYS (the old ones after it, so they still decrypt). Rows are walked in
batches in (org, environment, name) order, one transaction per batch, so a run that is
stopped or killed keeps every batch it committed, and the next run starts over from the
rows still under an old key (`key_id`, indexed): running it again is harmless. Each row
is replaced by compare-and-set on its old ciphertext, so a secret set through the API
meanwhile (already under the new key) is never overwritten. A row no key of the ring
opens is left as it is and counted: the run reports it instead of stopping.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from dagy.application.deps import Deps
from dagy.application.ports.crypto import SecretUnreadable
from dagy.application.use_cases.secrets import keyring_of
from dagy.domain.errors import ValidationError

MAX_BATCH_SIZE = 10_000


@dataclass
class RotationReport:
    key_id: str  # the key everything rotated is now under
    rotated: int = 0
    skipped: int = 0  # changed meanwhile (already under the new key)
    unreadable: int = 0  # no key of the ring opens it (its key was dropped, or it was altered)
    batches: int = 0
    finished: bool = True  # False: stopped by max_batches with rows still to do


def rotate_secret_keys(deps: Deps, *, batch_size: int = 500, max_batches: int | None = None,
                       on_batch: Callable[[RotationReport], None] | None = None
                       ) -> RotationReport:
    """Re-encrypt, batch by batch, every secret not under the keyring's first key."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) \
            or not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise ValidationError(f"the batch size is 1 to {MAX_BATCH_SIZE}")
    keyring = keyring_of(deps)
    report = RotationReport(keyring.current_key_id)
    after: tuple[str, str, str] | None = None
    while True:
        if max_batches is not None and report.batches >= max_batches:
            with deps.uow() as uow:
                report.finished = not uow.secrets.under_other_keys(
                    keyring.current_key_id, limit=1, after=after)
            return report
        with deps.uow() as uow:
            batch = uow.secrets.under_other_keys(keyring.current_key_id, limit=batch_size,
                                                 after=after)
            if not batch:
                return report
            for secret in batch:
                try:
                    ciphertext = keyring.encrypt(keyring.decrypt(secret.encrypted_value))
                except SecretUnreadable:
                    report.unreadable += 1
                    continue
                if uow.secrets.replace_ciphertext(secret, ciphertext, keyring.current_key_id):
                    report.rotated += 1
                else:
                    report.skipped += 1
            uow.commit()
        last = batch[-1]
        after = (last.org_id, last.environment or "", last.secret_name)
        report.batches += 1
        if on_batch is not None:
            on_batch(report)
