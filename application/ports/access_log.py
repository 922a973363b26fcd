"""Port: where the access log's entries are kept (one per API request answered).

Contract (tests/contract/test_access_log_contract.py runs it on every adapter):

- `append_batch(entries)` stores all of them in one transaction, or none (it raises
  DatastoreError / UnavailableError); each stored entry gets a `log_id` greater than
  every earlier one's. An empty batch stores nothing.
- `delete_older_than(cutoff, limit)` deletes at most `limit` entries whose `at` is
  before `cutoff` (oldest first) and answers how many it deleted, so that a caller can
  enforce retention in bounded steps.
- `list(org_id, limit=, before=)` answers that org's entries only, newest first (by
  `log_id`), at most `limit`, only those with `log_id < before` when `before` is given
  (the page cursor). Entries with no org belong to no org's listing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, Sequence

from dagy.domain.access_log import AccessLogEntry


class AccessLogSink(Protocol):
    def append_batch(self, entries: Sequence[AccessLogEntry]) -> None: ...

    def delete_older_than(self, cutoff: datetime, limit: int) -> int: ...

    def list(self, org_id: str, *, limit: int = 100,
             before: int | None = None) -> list[AccessLogEntry]: ...
