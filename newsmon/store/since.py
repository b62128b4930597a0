"""`--since`, read the same way by every command: a crawl id or an ISO 8601 date/time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from newsmon.normalize.dates import UTC, UnusableDate, parse_iso, utc_iso
from newsmon.store import Store

EXPECTED = (
    "expected a crawl id or an ISO 8601 date or date/time, "
    "e.g. 12, 2026-03-01 or 2026-03-01T08:00+04:00"
)


SQLITE_MAX_INTEGER = 2**63 - 1


class SinceError(Exception):
    """`--since` is neither a date/time nor the id of a crawl in the store."""


@dataclass(frozen=True)
class Since:
    """After crawl `crawl_id` (which ended at `moment`), or from `moment` (UTC ISO 8601).

    Crawl 0 is the beginning of the store: everything comes after it.
    """

    moment: str
    crawl_id: int | None = None


def parse_since(store: Store, text: str) -> Since:
    """`--since TEXT`: a crawl id of `store` (0: from the beginning) or a date (midnight UTC)
    or date/time (UTC unless it has an offset). Raises SinceError naming TEXT."""
    value = text.strip()
    if value.isascii() and value.isdigit():
        return _after_crawl(store, text, int(value))
    moment = parse_iso(value)
    try:
        if moment is None:
            moment = datetime.fromisoformat(value).replace(tzinfo=UTC)
        return Since(moment=utc_iso(moment))
    except UnusableDate:  # a date/time that is no longer one once moved to UTC
        raise SinceError(f"--since {text!r}: out of range once converted to UTC") from None
    except ValueError:
        raise SinceError(f"--since {text!r}: {EXPECTED}") from None


def _after_crawl(store: Store, text: str, crawl_id: int) -> Since:
    if crawl_id == 0:
        return Since(moment="", crawl_id=0)
    row = None
    if crawl_id <= SQLITE_MAX_INTEGER:
        row = store.one(
            "SELECT coalesce(finished_at, started_at) FROM crawls WHERE id = ?", (crawl_id,)
        )
    if row is None:
        latest = store.one("SELECT max(id) FROM crawls")
        known = f"the latest is {latest[0]}" if latest and latest[0] else "the store has none yet"
        raise SinceError(f"--since {text!r}: no crawl {crawl_id} ({known})")
    return Since(moment=row[0], crawl_id=crawl_id)
