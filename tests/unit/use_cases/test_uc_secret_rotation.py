"""rotate_secret_keys on the in-memory store: batches, resumption, concurrent writes,
unreadable rows counted and left alone, and every value intact under the new key."""

from __future__ import annotations

import pytest

from dagy.adapters.crypto.fernet_keyring import FernetKeyring, generate_fernet_key
from dagy.application.principal import Principal
from dagy.application.use_cases.accounts import bootstrap
from dagy.application.use_cases.secret_rotation import rotate_secret_keys
from dagy.application.use_cases.secrets import set_secret
from dagy.domain.errors import ValidationError
from dagy.entrypoints.wiring import build_deps

OLD, NEW = generate_fernet_key(), generate_fernet_key()


def _seeded(count: int):
    deps = build_deps(secret_keyring=FernetKeyring.from_text(OLD))
    org, _ = bootstrap(deps, "acme")
    owner = Principal(org.org_id)
    for i in range(count):
        set_secret(deps, owner, f"S{i}", f"value-{i}")
    return deps, owner


def _values(deps, org_id: str, keyring) -> dict[str, str]:
    with deps.uow() as uow:
        page, _ = uow.secrets.list(org_id, limit=100)
    return {s.secret_name: keyring.decrypt(s.encrypted_value) for s in page}


def test_rotation_in_batches_resumes_and_ends_with_only_the_new_key_needed():
    deps, owner = _seeded(5)
    deps.secret_keyring = FernetKeyring.from_text(f"{NEW},{OLD}")
    seen = []
    first = rotate_secret_keys(deps, batch_size=2, max_batches=2, on_batch=lambda r: seen.append(r.rotated))
    assert (first.rotated, first.batches, first.finished, seen) == (4, 2, False, [2, 4])
    rest = rotate_secret_keys(deps, batch_size=2)
    assert (rest.rotated, rest.batches, rest.finished) == (1, 1, True)
    again = rotate_secret_keys(deps)
    assert (again.rotated, again.batches) == (0, 0)
    only_new = FernetKeyring.from_text(NEW)
    assert _values(deps, owner.org_id, only_new) == {f"S{i}": f"value-{i}" for i in range(5)}


def test_unreadable_rows_are_counted_and_left_as_they_are():
    deps, owner = _seeded(3)
    deps.secret_keyring = FernetKeyring.from_text(NEW)  # the old key was dropped too early
    report = rotate_secret_keys(deps, batch_size=2)
    assert (report.rotated, report.unreadable, report.finished) == (0, 3, True)
    assert _values(deps, owner.org_id, FernetKeyring.from_text(OLD))["S0"] == "value-0"


@pytest.mark.parametrize("size", [0, -1, 10_001, True, 2.5])
def test_the_batch_size_is_bounded(size):
    deps, _ = _seeded(0)
    with pytest.raises(ValidationError):
        rotate_secret_keys(deps, batch_size=size)
