"""Poll states in the store (`polls` table): loaded, saved, listed, due, told."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from newsmon.normalize.dates import parse_iso
from newsmon.polling.schedule import PollState
from newsmon.store import Store

logger = logging.getLogger(__name__)

_SELECT = """SELECT url, source_id, kind, polls, next_at, reason, last_at, full_at,
  history_from, arrivals, seen, fingerprint, not_modified, last_not_modified_at, suspicions,
  lying, lying_at, lying_told, failures, hint_seconds, hint_reason, retry_at, overflow_at,
  overflow_told FROM polls"""
_SELECT_OF_SOURCES = """SELECT url, source_id, kind, polls, next_at, reason, last_at, full_at,
  history_from, arrivals, seen, fingerprint, not_modified, last_not_modified_at, suspicions,
  lying, lying_at, lying_told, failures, hint_seconds, hint_reason, retry_at, overflow_at,
  overflow_told FROM polls WHERE source_id IN (SELECT value FROM json_each(?))"""
_SAVE = """INSERT OR REPLACE INTO polls (url, source_id, kind, polls, next_at, reason, last_at,
  full_at, history_from, arrivals, seen, fingerprint, not_modified, last_not_modified_at,
  suspicions, lying, lying_at, lying_told, failures, hint_seconds, hint_reason, retry_at,
  overflow_at, overflow_told)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""


def load_states(store: Store, sources: Iterable[str] | None = None) -> dict[str, PollState]:
    """The poll states of `sources` (every one's when None), by URL. A state the store cannot
    give back whole is left out with one log line: its entry point is polled as a new one."""
    rows = (
        store.rows(_SELECT)
        if sources is None
        else store.rows(_SELECT_OF_SOURCES, (json.dumps(sorted(set(sources))),))
    )
    states = {}
    for row in rows:
        try:
            states[row["url"]] = _state(row)
        except (ValueError, TypeError, OverflowError) as error:
            logger.warning(
                "%s: its poll schedule in the store is unreadable (%s); polled as new",
                row["url"],
                error,
            )
    return states


def save_states(store: Store, states: Iterable[PollState]) -> None:
    """Write `states` (within the caller's transaction)."""
    store.conn.executemany(_SAVE, [_row(state) for state in states])


def due_sources(store: Store, sources: Iterable[str], now: datetime) -> list[str]:
    """Those of `sources` with an entry point due at `now`, or none known yet (a new source,
    polled at once)."""
    wanted = sorted(set(sources))
    known = {
        row["source_id"]: row["due"]
        for row in store.rows(
            """SELECT source_id, MAX(next_at IS NULL OR next_at <= ?) AS due FROM polls
               WHERE source_id IN (SELECT value FROM json_each(?)) GROUP BY source_id""",
            (_iso(now), json.dumps(wanted)),
        )
    }
    return [source for source in wanted if known.get(source, 1)]


def asked_to_wait(store: Store, sources: Iterable[str], now: datetime) -> set[str]:
    """Those of `sources` one of whose entry points answered `Retry-After` for a time still to
    come: nothing of theirs (re-reads included) is asked for before it."""
    rows = store.rows(
        """SELECT DISTINCT source_id FROM polls
           WHERE source_id IN (SELECT value FROM json_each(?)) AND retry_at > ?""",
        (json.dumps(sorted(set(sources))), _iso(now)),
    )
    return {row["source_id"] for row in rows}


def next_due(store: Store) -> datetime | None:
    """When the next entry point is due (None: no entry point known)."""
    row = store.one("SELECT MIN(next_at) FROM polls")
    return parse_iso(row[0]) if row and row[0] else None


@dataclass(frozen=True)
class PollNotice:
    """Something the schedule found worth telling once: an overflow, a lying validator."""

    source: str
    url: str
    what: str
    at: str

    def line(self) -> str:
        """The notice as one line of `newsmon run`'s output."""
        return f"! {self.source}: {self.url} {self.what} ({self.at[:16]})"


def pending_poll_notices(store: Store) -> list[PollNotice]:
    """Overflows and lying validators not told yet."""
    notices = []
    for row in store.rows(
        """SELECT source_id, url, overflow_at, overflow_told, lying, lying_at, lying_told
           FROM polls WHERE overflow_told = 0 OR lying_told = 0 ORDER BY source_id, url"""
    ):
        if not row["lying_told"] and row["lying"]:
            what = f"{row['lying']}: conditional GET is off for it"
            notices.append(PollNotice(row["source_id"], row["url"], what, row["lying_at"]))
        if not row["overflow_told"] and row["overflow_at"]:
            what = (
                "showed only items never seen before: more were published than it holds "
                "between two polls; its next pages were read and it is polled sooner"
            )
            notices.append(PollNotice(row["source_id"], row["url"], what, row["overflow_at"]))
    return notices


def mark_poll_notices_told(store: Store, notices: Iterable[PollNotice]) -> None:
    """Never tell `notices` again."""
    urls = sorted({notice.url for notice in notices})
    with store.transaction():
        store.conn.executemany(
            "UPDATE polls SET overflow_told = 1, lying_told = 1 WHERE url = ?",
            [(url,) for url in urls],
        )


def schedule_rows(store: Store, now: datetime) -> list[dict[str, Any]]:
    """Every entry point's schedule, soonest first: source, kind, URL, next poll, why, and
    whether conditional GET is off."""
    rows = []
    for state in sorted(
        load_states(store).values(),
        key=lambda s: (s.next_at or datetime.min.replace(tzinfo=now.tzinfo), s.source, s.url),
    ):
        rows.append(
            {
                "source": state.source,
                "kind": state.kind,
                "url": state.url,
                "next_poll": _iso(state.next_at) if state.next_at else None,
                "due": state.due(now),
                "why": state.reason,
                "polls": state.polls,
                "last_poll": _iso(state.last_at) if state.last_at else None,
                "conditional_get": "off: " + state.lying if state.lying else "on",
            }
        )
    return rows


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _time(value: str | None) -> datetime | None:
    return parse_iso(value) if value else None


def _list(text: str) -> list[Any]:
    """A JSON list column (ValueError when it holds anything else)."""
    value = json.loads(text)
    if not isinstance(value, list):
        raise ValueError(f"not a list: {text[:40]!r}")
    return value


def _state(row: dict[str, Any]) -> PollState:
    hint = row["hint_seconds"]
    return PollState(
        url=row["url"],
        source=row["source_id"],
        kind=row["kind"],
        polls=row["polls"],
        next_at=_time(row["next_at"]),
        reason=row["reason"],
        last_at=_time(row["last_at"]),
        full_at=_time(row["full_at"]),
        history_from=_time(row["history_from"]),
        arrivals=[datetime.fromtimestamp(seconds, UTC) for seconds in _list(row["arrivals"])],
        seen=[str(url) for url in _list(row["seen"])],
        fingerprint=row["fingerprint"],
        not_modified=row["not_modified"],
        last_not_modified_at=_time(row["last_not_modified_at"]),
        suspicions=row["suspicions"],
        lying=row["lying"],
        lying_at=_time(row["lying_at"]),
        lying_told=bool(row["lying_told"]),
        failures=row["failures"],
        hint=timedelta(seconds=hint) if hint is not None else None,
        hint_reason=row["hint_reason"],
        retry_at=_time(row["retry_at"]),
        overflow_at=_time(row["overflow_at"]),
        overflow_told=bool(row["overflow_told"]),
    )


def _row(state: PollState) -> tuple[Any, ...]:
    def iso(moment: datetime | None) -> str | None:
        return _iso(moment) if moment else None

    return (
        state.url,
        state.source,
        state.kind,
        state.polls,
        iso(state.next_at),
        state.reason,
        iso(state.last_at),
        iso(state.full_at),
        iso(state.history_from),
        json.dumps([int(moment.timestamp()) for moment in state.arrivals]),
        json.dumps(state.seen, ensure_ascii=False),
        state.fingerprint,
        state.not_modified,
        iso(state.last_not_modified_at),
        state.suspicions,
        state.lying,
        iso(state.lying_at),
        int(state.lying_told),
        state.failures,
        int(state.hint.total_seconds()) if state.hint is not None else None,
        state.hint_reason,
        iso(state.retry_at),
        iso(state.overflow_at),
        int(state.overflow_told),
    )


def source_polling(store: Store) -> dict[str, dict[str, Any]]:
    """Per source: its next poll (the soonest of its entry points) and whether conditional GET
    is off for any of them (`off: URL lied …`, else `on`)."""
    found: dict[str, dict[str, Any]] = {}
    for row in store.rows(
        """SELECT source_id, MIN(next_at) AS next_poll,
             group_concat(CASE WHEN lying IS NOT NULL THEN url || ' ' || lying END, '; ') AS lied
           FROM polls GROUP BY source_id"""
    ):
        found[row["source_id"]] = {
            "next_poll": row["next_poll"],
            "conditional_get": f"off: {row['lied']}" if row["lied"] else "on",
        }
    return found
