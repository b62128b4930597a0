"""Watches: named queries over headlines and article text, kept in the store.

The store's `watches` table is the one source of truth; `watches.toml` files in the
repository are only examples that `newsmon watch import` copies into it.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsmon.clock import now_iso
from newsmon.normalize.text import match_tokens as folded_words
from newsmon.ops.progress import ProgressCallback
from newsmon.store import Store
from newsmon.tomlfile import TomlProblem, parse_toml, suggestion
from newsmon.watch.alerts import http_url_problem, redact_url
from newsmon.watch.query import Match, Query, QuerySyntaxError, parse_query

logger = logging.getLogger(__name__)

# Options a watch may set, with their defaults.
WATCH_OPTIONS: dict[str, Any] = {"alert_moves": False, "webhook": None}
# The keys of a watch in a watches file.
WATCH_KEYS = ("query", *WATCH_OPTIONS)
# SQLite's answers when another connection holds the lock past the busy timeout.
_BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")


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
    _check_name(name)
    compiled = compile_query(query)
    _check_options(options or {})
    exists = store.one("SELECT options FROM watches WHERE name = ?", (name,))
    if exists and not replace:
        raise WatchError(f"watch {name!r} exists already (use --replace to change it)")
    merged = {**WATCH_OPTIONS, **(json.loads(exists[0]) if exists else {}), **(options or {})}
    now = now_iso()
    with _writing(store):
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
    """All watches, by name; a watch whose stored query the language now refuses is logged and
    left out (it keeps its matches and events until it is changed)."""
    watches = []
    for row in store.rows("SELECT * FROM watches ORDER BY name"):
        try:
            watches.append(_watch_from_row(row))
        except WatchError as error:
            logger.warning("%s", error)
    return watches


def remove_watch(store: Store, name: str) -> None:
    """Delete a watch with its matches and events (its query need not be valid any more)."""
    if store.one("SELECT 1 FROM watches WHERE name = ?", (name,)) is None:
        raise WatchError(f"no watch named {name!r}")
    with _writing(store):
        store.conn.execute("DELETE FROM watches WHERE name = ?", (name,))


def import_watches(store: Store, path: str | Path) -> list[Watch]:
    """Add or update the watches of a TOML file (`[watches.NAME] query = "…"`): all of them,
    or none when the file has any problem; the WatchError then lists every problem, each with
    its line."""
    location = Path(path)
    try:
        text = location.read_text(encoding="utf-8")
        data = parse_toml(text)
    except (OSError, UnicodeDecodeError) as error:
        raise WatchError(f"{location}: cannot read: {error}") from error
    except TomlProblem as problem:
        raise WatchError(problem.located(location)) from problem
    lines = _FileLines(text)
    problems: list[tuple[int, str]] = []
    for key in data:
        if key != "watches":
            reason = f"unknown key {key!r}{suggestion(key, ['watches'])}"
            problems.append((lines.table_line(key) or 0, reason))
    entries = data.get("watches")
    if not isinstance(entries, dict):
        problems.append((lines.table_line("watches") or 0, "expected [watches.NAME] tables"))
        entries = {}
    for name, entry in entries.items():
        for line, reason in _entry_problems(name, entry, lines):
            problems.append((line, f"watch {name!r}: {reason}"))
    if problems:
        found = [
            f"{location}:{line}: {reason}" if line else f"{location}: {reason}"
            for line, reason in sorted(problems, key=lambda problem: problem[0])
        ]
        count = f"{len(found)} problem{'s' if len(found) > 1 else ''}"
        raise WatchError("\n".join([f"{location}: {count}, no watch imported", *found]))
    with _writing(store):
        # The file says all there is to a watch: options it leaves out go back to their default.
        return [
            add_watch(
                store,
                name,
                entry["query"],
                {**WATCH_OPTIONS, **{key: entry[key] for key in WATCH_OPTIONS if key in entry}},
                replace=True,
            )
            for name, entry in entries.items()
        ]


def _entry_problems(name: str, entry: object, lines: _FileLines) -> Iterator[tuple[int, str]]:
    """(line, reason) for each problem of the watch `name` of a watches file."""
    table_line = lines.table_line("watches", name) or 0
    if not isinstance(entry, dict):
        yield table_line, f'expected a table ([watches.{name}] with query = "…")'
        return
    try:
        _check_name(name)
    except WatchError as error:
        yield table_line, str(error)
    for key in entry:
        if key not in WATCH_KEYS:
            line = lines.key_line(("watches", name), key) or table_line
            yield line, f"unknown key {key!r}{suggestion(key, WATCH_KEYS)}"
    query = entry.get("query")
    query_line = lines.key_line(("watches", name), "query") or table_line
    if query is None:
        yield table_line, "missing key 'query'"
    elif not isinstance(query, str):
        yield query_line, "'query' must be a string"
    else:
        try:
            parse_query(query)
        except QuerySyntaxError as error:
            yield query_line, f"invalid query: {error.one_line()}"
    for key in WATCH_OPTIONS:
        if key in entry:
            try:
                _check_options({key: entry[key]})
            except WatchError as error:
                yield lines.key_line(("watches", name), key) or table_line, str(error)


class _FileLines:
    """Where tables and keys sit in a watches file (tomllib keeps no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, tuple[str, ...]]] = []
        for number, line in enumerate(self.lines):
            found = _TABLE_HEADER.match(line)
            if found:
                self.headers.append((number, _dotted_key(found[1])))

    def table_line(self, *path: str) -> int | None:
        """The 1-based line of the table `path` (its header, a sub-table's, or its key)."""
        for number, name in self.headers:
            if name[: len(path)] == path:
                return number + 1
        return self.key_line(path[:-1], path[-1])

    def key_line(self, table: tuple[str, ...], key: str) -> int | None:
        """The 1-based line where `key` is set in `table` (() for the top of the file)."""
        if table:
            starts = [number + 1 for number, name in self.headers if name == table]
            if not starts:
                return None
            start = starts[0]
        else:
            start = 0
        later = [number for number, _ in self.headers if number >= start]
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[=.]")
        for number in range(start, later[0] if later else len(self.lines)):
            if pattern.match(self.lines[number]):
                return number + 1
        return None


def _dotted_key(text: str) -> tuple[str, ...]:
    """The parts of a dotted TOML key as written in a header (`watches."my watch"`)."""
    return tuple(part.strip().strip("\"'") for part in text.split("."))


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


@contextmanager
def _writing(store: Store) -> Iterator[None]:
    """A transaction of `store`; when another process keeps the store locked past the busy
    timeout, a WatchError (nothing was written)."""
    try:
        with store.transaction():
            yield
    except sqlite3.OperationalError as error:
        if getattr(error, "sqlite_errorcode", 0) & 0xFF not in _BUSY:
            raise
        raise WatchError(
            f"{store.path}: the store is busy: another newsmon process is writing to it; "
            "nothing was changed, try again when it is done"
        ) from error


def _check_name(name: str) -> None:
    if not name.strip():
        raise WatchError("a watch needs a name")


def _check_options(options: dict[str, Any]) -> None:
    """A WatchError names the first fault of `options`."""
    unknown = sorted(set(options) - set(WATCH_OPTIONS))
    if unknown:
        raise WatchError(f"unknown watch option(s): {', '.join(unknown)}")
    if not isinstance(options.get("alert_moves", False), bool):
        raise WatchError("'alert_moves' must be true or false")
    webhook = options.get("webhook")
    if webhook is None:
        return
    if not isinstance(webhook, str):
        raise WatchError(f"webhook {webhook!r}: expected an http:// or https:// URL")
    problem = http_url_problem(webhook)
    if problem:
        raise WatchError(f"webhook {redact_url(webhook)}: {problem}")


def _watch_from_row(row: dict[str, Any]) -> Watch:
    name = row["name"]
    try:
        query = parse_query(row["query"])
    except QuerySyntaxError as error:
        raise WatchError(
            f"watch {name!r} is left out: its stored query is no longer valid: "
            f"{error.one_line()} (change it with `newsmon watch add {name} QUERY --replace`)"
        ) from error
    return Watch(name, query, json.loads(row["options"]), row["created_at"])
