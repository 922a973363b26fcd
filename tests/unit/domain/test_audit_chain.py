"""The audit chain: every edit, removal or reordering of a stored entry is found."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from dagy.domain.audit import GENESIS, REDACTED, AuditEntry, redact, seal, verify_chain

T0 = datetime(2026, 12, 3, tzinfo=timezone.utc)
payloads = st.none() | st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8),
                                       max_size=3)


def _chain(afters: list) -> list[AuditEntry]:
    entries, prev = [], None
    for n, after in enumerate(afters):
        entry = AuditEntry(f"e{n}", "o", 0, "user:u1", "deployment.update", "deployment",
                           "etl", T0 + timedelta(seconds=n), before=None, after=after)
        prev = seal(entry, prev)
        entries.append(prev)
    return entries


@given(st.lists(payloads, min_size=1, max_size=12))
def test_an_untouched_chain_verifies(afters):
    entries = _chain(afters)
    assert entries[0].prev_hash == GENESIS and [e.seq for e in entries] == list(
        range(1, len(afters) + 1))
    assert verify_chain(entries) is None


@given(st.lists(payloads, min_size=2, max_size=12), st.data())
def test_any_edit_removal_or_swap_is_found(afters, data):
    entries = _chain(afters)
    at = data.draw(st.integers(0, len(entries) - 1))
    how = data.draw(st.sampled_from(["edit", "remove", "swap", "rehash-one"]))
    tampered = [dataclasses.replace(e) for e in entries]
    if how == "edit":
        tampered[at].actor = "user:mallory"
    elif how == "remove":
        del tampered[at]
        if at == len(entries) - 1:  # the newest entry removed: only an outside anchor sees it
            return
    elif how == "swap":
        other = (at + 1) % len(entries)
        tampered[at], tampered[other] = tampered[other], tampered[at]
    else:  # edit and recompute that entry's own hash: the next link no longer matches
        tampered[at].after = {"forged": True}
        tampered[at] = seal(tampered[at], tampered[at - 1] if at else None)
        if at == len(entries) - 1:
            return
    broken = verify_chain(tampered)
    assert broken is not None


def test_secret_values_never_enter_the_log():
    before = {"name": "db", "value": "hunter2", "nested": [{"api_key": "dagy_x_y"}],
              "webhook_token_hash": "ab12", "password": None, "count": 3}
    assert redact(before) == {"name": "db", "value": REDACTED, "nested": [{"api_key": REDACTED}],
                              "webhook_token_hash": REDACTED, "password": None, "count": 3}
