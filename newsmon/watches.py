"""Watches: named queries over headlines and article text, kept in the store.

The store's `watches` table is the one source of truth; `watches.toml` files in the
repository are only examples that `newsmon watch import` copies into it.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsmon.alerts import http_url_problem, redact_url
from newsmon.progress import ProgressCallback
from newsmon.query import Match, Query, QuerySyntaxError, parse_query
from newsmon.store import Store, now_iso
from newsmon.text import match_tokens as folded_words

# Options a watch may set, with their defaults.
WATCH_OPTIONS: dict[str, Any] = {"alert_moves": False, "webhook": None}


class WatchError(Exception):
    """A watch cannot be added, found or changed; the message says which and why."""


@dataclass(frozen=True)
class Watch:
    """A named query, with its options."""

    name: str
    query: Query
    options: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""

    def to_json(self) -> dict[str, Any]:
        """The watch as JSON-ready data."""
        return {
            "name": self.name,
            "query": self.query.text,
            "options": self.options,
            "created_at": self.created_at,
        }


class WatchSet:
    """The store's watches, compiled once for a crawl."""

    def __init__(self, watches: list[Watch]) -> None:
        self.watches = watches

    @classmethod
    def load(cls, store: Store) -> WatchSet:
        """Every watch in the store, compiled."""
        return cls(list_watches(store))

    def __bool__(self) -> bool:
        return bool(self.watches)

    def matches(
        self, fields: dict[str, str | None], folded: Mapping[str, list[str]] | None = None
    ) -> Iterator[tuple[str, Match]]:
        """(watch name, match) for each watch that matches the fields (each folded once, or
        taken from `folded` when the caller has its words already)."""
        if not self.watches:
            return
        known = folded or {}
        tokens = {
            name: known[name] if name in known else folded_words(value)
            for name, value in fields.items()
        }
        for watch in self.watches:
            found = watch.query.match_tokens(tokens)
            if found is not None:
                yield watch.name, found


def compile_query(text: str) -> Query:
    """Parse a watch query, turning a syntax error into a WatchError with the caret."""
    try:
        return parse_query(text)
    except QuerySyntaxError as error:
        raise WatchError(f"invalid query: {error}") from error


def add_watch(
    store: Store,
    name: str,
    query: str,
    options: dict[str, Any] | None = None,
    *,
    replace: bool = False,
) -> Watch:
    """Add (or with `replace`, change) a watch. The query is checked before anything is written.

    Options not given keep their stored value when a watch is changed, their default otherwise.
    """
    if not name.strip():
        raise WatchError("a watch needs a name")
    compiled = compile_query(query)
    _check_options(options or {})
    exists = store.one("SELECT options FROM watches WHERE name = ?", (name,))
    if exists and not replace:
        raise WatchError(f"watch {name!r} exists already (use --replace to change it)")
    merged = {**WATCH_OPTIONS, **(json.loads(exists[0]) if exists else {}), **(options or {})}
    now = now_iso()
    with store.transaction():
        store.conn.execute(
            """INSERT INTO watches (name, query, options, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT(name) DO UPDATE SET query = excluded.query,
                 options = excluded.options, updated_at = excluded.updated_at""",
            (name, query, json.dumps(merged, sort_keys=True), now, now),
        )
    return get_watch(store, name) if exists else Watch(name, compiled, merged, now)


def get_watch(store: Store, name: str) -> Watch:
    """The watch called `name`."""
    rows = store.rows("SELECT * FROM watches WHERE name = ?", (name,))
    if not rows:
        raise WatchError(f"no watch named {name!r}")
    return _watch_from_row(rows[0])


def list_watches(store: Store) -> list[Watch]:
    """All watches, by name."""
    return [_watch_from_row(row) for row in store.rows("SELECT * FROM watches ORDER BY name")]


def remove_watch(store: Store, name: str) -> None:
    """Delete a watch with its matches and events."""
    get_watch(store, name)
    with store.transaction():
        store.conn.execute("DELETE FROM watches WHERE name = ?", (name,))


def import_watches(store: Store, path: str | Path) -> list[Watch]:
    """Add or update the watches of a TOML file (`[watches.NAME] query = "…"`)."""
    location = Path(path)
    try:
        data = tomllib.loads(location.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise WatchError(f"{location}: {error}") from error
    entries = data.get("watches")
    if not isinstance(entries, dict):
        raise WatchError(f"{location}: expected [watches.NAME] tables")
    imported = []
    for name, entry in entries.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("query"), str):
            raise WatchError(f"{location}: watch {name!r} needs a query string")
        # The file says all there is to a watch: options it leaves out go back to their default.
        options = {
            **WATCH_OPTIONS,
            **{key: value for key, value in entry.items() if key != "query"},
        }
        try:
            imported.append(add_watch(store, name, entry["query"], options, replace=True))
        except WatchError as error:
            raise WatchError(f"{location}: watch {name!r}: {error}") from error
    return imported


def mark_story_watched(
    store: Store,
    watch: str,
    story_id: int,
    article_id: int,
    found: Match,
    fields: dict[str, str | None],
    crawl_id: int | None,
) -> int:
    """Record that `watch` matched `story_id`; every appearance of the story becomes an event.

    Returns how many new events that made (0 when the story was already watched).
    """
    field = found.fields[0] if found.fields else "title"
    inserted = store.conn.execute(
        """INSERT OR IGNORE INTO watch_stories (watch, story_id, article_id, field, terms,
             matched_text, matched_at, crawl_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            watch,
            story_id,
            article_id,
            field,
            json.dumps(list(found.terms), ensure_ascii=False),
            (fields.get(field) or "")[:500],
            now_iso(),
            crawl_id,
        ),
    ).rowcount
    if not inserted:
        return 0
    return store.conn.execute(
        """INSERT OR IGNORE INTO events (watch, kind, appearance_id, article_id, story_id,
             created_at, crawl_id)
           SELECT ?, 'appearance', ap.id, a.id, a.story_id, ?, ?
           FROM articles a JOIN appearances ap ON ap.article_id = a.id
           WHERE a.story_id = ? ORDER BY ap.id""",
        (watch, now_iso(), crawl_id, story_id),
    ).rowcount


def backfill_watch(
    store: Store, name: str, *, batch: int = 1000, progress: ProgressCallback | None = None
) -> int:
    """Run a watch over everything already stored; returns the number of new events.

    Headlines are matched on their text, fetched articles on title, lead and body. `progress`
    is called with (texts done, texts in all) after each batch.
    """
    watch = get_watch(store, name)
    created = done = 0
    total = store.one(_BACKFILL_COUNT)[0] if progress is not None else None  # type: ignore[index]
    for rows in _stored_texts(store, batch):
        with store.transaction():
            for article_id, story_id, fields in rows:
                found = watch.query.match(fields)
                if found is not None:
                    created += mark_story_watched(
                        store, name, story_id, article_id, found, fields, None
                    )
        done += len(rows)
        if progress is not None:
            progress(done, total)
    return created


_BACKFILL_QUERIES = (
    (
        "SELECT h.id, a.id, a.story_id, h.title, NULL, NULL FROM headlines h "
        "JOIN articles a ON a.id = h.article_id WHERE h.id > ? ORDER BY h.id LIMIT ?"
    ),
    (
        "SELECT id, id, story_id, title, lead, body FROM articles "
        "WHERE id > ? AND (lead IS NOT NULL OR body IS NOT NULL) ORDER BY id LIMIT ?"
    ),
)


# How many texts `_BACKFILL_QUERIES` go through.
_BACKFILL_COUNT = (
    "SELECT (SELECT count(*) FROM headlines) + "
    "(SELECT count(*) FROM articles WHERE lead IS NOT NULL OR body IS NOT NULL)"
)


def _stored_texts(
    store: Store, batch: int
) -> Iterator[list[tuple[int, int, dict[str, str | None]]]]:
    """Batches of (article id, story id, fields) of stored headlines, then fetched articles."""
    for sql in _BACKFILL_QUERIES:
        last_id = 0
        while rows := store.conn.execute(sql, (last_id, batch)).fetchall():
            yield [
                (article_id, story_id, {"title": title, "lead": lead, "body": body})
                for _, article_id, story_id, title, lead, body in rows
            ]
            last_id = rows[-1][0]


def _check_options(options: dict[str, Any]) -> None:
    """A WatchError names the first fault of `options`."""
    unknown = sorted(set(options) - set(WATCH_OPTIONS))
    if unknown:
        raise WatchError(f"unknown watch option(s): {', '.join(unknown)}")
    webhook = options.get("webhook")
    if webhook is None:
        return
    if not isinstance(webhook, str):
        raise WatchError(f"webhook {webhook!r}: expected an http:// or https:// URL")
    problem = http_url_problem(webhook)
    if problem:
        raise WatchError(f"webhook {redact_url(webhook)}: {problem}")


def _watch_from_row(row: dict[str, Any]) -> Watch:
    return Watch(
        row["name"], compile_query(row["query"]), json.loads(row["options"]), row["created_at"]
    )
