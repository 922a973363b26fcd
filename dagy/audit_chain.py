"""Reading and verifying an org's audit log from the client side (`dagy audit`).

The server sends every field an entry's hash covers; `verify_remote` pages through the
chain oldest first (`GET /audit-logs/chain`) and recomputes every hash and link here,
with the same code the server seals with (dagy.domain.audit), so a verifier trusts its
own arithmetic, not the server's word. Printing the head hash somewhere else (a ticket,
another store) and checking it later with `expect_head` also catches a rewrite of the
newest entries, which the chain alone cannot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator

from dagy.domain.audit import AuditEntry, ChainBreak, verify_chain

MAX_PAGES = 100_000  # bounds the walk even if a server kept answering next pages


def entry_from_wire(item: dict[str, Any]) -> AuditEntry:
    """An AuditEntry from the API's JSON (times are ISO 8601 UTC)."""
    return AuditEntry(
        entry_id=item["entry_id"], org_id=item["org_id"], seq=item["seq"],
        actor=item["actor"], action=item["action"], resource_type=item["resource_type"],
        resource_id=item["resource_id"], at=_instant(item["at"]),
        before=item.get("before"), after=item.get("after"), ip=item.get("ip"),
        request_id=item.get("request_id"), prev_hash=item["prev_hash"],
        entry_hash=item["entry_hash"])


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@dataclass(frozen=True)
class ChainReport:
    entries: int  # how many were checked (up to the break)
    head: str | None  # entry_hash of the newest entry (None: an empty log)
    broken: ChainBreak | None


def walk(client: Any, page_size: int = 500) -> Iterator[AuditEntry]:
    """Every entry of the client's org, oldest first, a page at a time."""
    after: int | None = 0
    for _ in range(MAX_PAGES):
        page = client._request("GET", "/audit-logs/chain",
                               query={"after_seq": after, "limit": page_size})
        for item in page.get("items") or []:
            yield entry_from_wire(item)
        after = page.get("next_after_seq")
        if after is None:
            return
    raise RuntimeError(f"the audit chain did not end within {MAX_PAGES} pages")


def verify_remote(client: Any, *, expect_head: str | None = None,
                  page_size: int = 500) -> ChainReport:
    """Recompute the org's whole chain; with `expect_head` (a head printed earlier), it
    must still be in the chain, else the report names the newest entry as broken."""
    seen = {"count": 0, "head": None, "found": expect_head is None}

    def counted() -> Iterator[AuditEntry]:
        for entry in walk(client, page_size):
            seen["count"] += 1
            yield entry
            seen["head"] = entry.entry_hash
            seen["found"] = seen["found"] or entry.entry_hash == expect_head

    broken = verify_chain(counted())
    if broken is None and not seen["found"]:
        broken = ChainBreak(seen["count"], f"the expected head {expect_head} is not in the "
                                           "chain: entries were removed or rewritten, or "
                                           "the hash given is not one verify printed")
    return ChainReport(seen["count"], seen["head"], broken)


def list_entries(client: Any, *, limit: int = 50, **filters: Any) -> list[dict[str, Any]]:
    """One newest-first page of entries matching the filters (None: no filter)."""
    query = {k: v for k, v in filters.items() if v is not None}
    return client._request("GET", "/audit-logs", query={**query, "limit": limit})["items"]
