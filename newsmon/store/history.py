"""An article's history: headline revisions, moves to new URLs and content versions.

Trivial changes are not revisions: headlines are compared by their folded key (case,
whitespace, quotes, dashes and punctuation folded) without a leading or trailing site name
("… | Report.az"); bodies by a hash of their folded text. Versions keep a unified diff of the
paragraphs, not full copies.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from newsmon.normalize.text import match_key, strip_site_name
from newsmon.normalize.urls import canonical_url
from newsmon.watch.watches import WatchSet


def body_hash(folded_body: str) -> str:
    """The hash of a body's folded text (`match_key` of it): whitespace, case and quote changes
    give the same hash."""
    return hashlib.blake2b(folded_body.encode(), digest_size=16).hexdigest()


def headline_key(title: str, site_names: Iterable[str]) -> str:
    """The key two headlines of one article are compared by."""
    return match_key(strip_site_name(title, site_names))


def paragraph_diff(old: list[str], new: list[str]) -> tuple[str, int, int]:
    """A unified diff of two bodies, one paragraph a line; with the added and removed counts."""
    lines = list(difflib.unified_diff(old, new, "before", "after", n=1, lineterm=""))
    added = sum(1 for line in lines if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in lines if line.startswith("-") and not line.startswith("---"))
    return "\n".join(lines), added, removed


@dataclass
class Change:
    """One change of an article, as recorded in `article_changes`."""

    article_id: int
    kind: str
    old_value: str | None
    new_value: str | None
    seen_at: str
    crawl_id: int | None
    page_url: str | None = None
    context: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def record_change(conn: sqlite3.Connection, change: Change) -> int:
    """Insert a change; returns its id."""
    cursor = conn.execute(
        """INSERT INTO article_changes (article_id, kind, old_value, new_value, seen_at, crawl_id,
             page_url, context, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            change.article_id,
            change.kind,
            change.old_value,
            change.new_value,
            change.seen_at,
            change.crawl_id,
            change.page_url,
            change.context,
            json.dumps(change.details, ensure_ascii=False, sort_keys=True),
        ),
    )
    return int(cursor.lastrowid or 0)


def watch_shift(watches: WatchSet, old_title: str, new_title: str) -> dict[str, list[str]]:
    """Watches the new headline matches and the old did not, and the other way round."""
    old = {name for name, _ in watches.matches({"title": old_title})}
    new = {name for name, _ in watches.matches({"title": new_title})}
    return {"now_matches": sorted(new - old), "no_longer_matches": sorted(old - new)}


def record_version(
    conn: sqlite3.Connection,
    article_id: int,
    *,
    old_body: str | None,
    old_hash: str | None,
    old_modified: str | None,
    new_body: list[str],
    new_hash: str | None,
    new_modified: str | None,
    seen_at: str,
    crawl_id: int | None,
) -> bool:
    """Record the article's content as a version when it is new or changed; True if recorded.

    `new_hash` is the `body_hash` of `new_body` (None without a body). The first fetch is
    version one (no diff); later, a changed body hash gives a version with a paragraph diff,
    and a changed modification time alone a version without one.
    """
    if old_hash is None and new_hash is None:
        return False
    body_changed = new_hash is not None and old_hash is not None and new_hash != old_hash
    first = old_hash is None and new_hash is not None
    modified_changed = bool(old_modified and new_modified and old_modified != new_modified)
    if not (first or body_changed or modified_changed):
        return False
    diff, added, removed = (
        paragraph_diff(old_body.split("\n\n") if old_body else [], new_body)
        if body_changed
        else (None, 0, 0)
    )
    conn.execute(
        """INSERT INTO article_versions (article_id, seen_at, crawl_id, modified_at, body_hash,
             diff, paragraphs_added, paragraphs_removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (article_id, seen_at, crawl_id, new_modified, new_hash or old_hash, diff, added, removed),
    )
    if not first:
        record_change(
            conn,
            Change(
                article_id,
                "content",
                old_modified,
                new_modified,
                seen_at,
                crawl_id,
                details={
                    "paragraphs_added": added,
                    "paragraphs_removed": removed,
                    "body_changed": body_changed,
                },
            ),
        )
    return True


def history(conn: sqlite3.Connection, article_ids: list[int]) -> list[dict[str, Any]]:
    """The time-ordered history of articles: appearances, revisions, moves and updates."""
    marks = ",".join("?" * len(article_ids))
    conn.row_factory = sqlite3.Row
    try:
        appearances = conn.execute(
            f"""SELECT ap.first_seen AS at, 'appearance' AS kind, ap.article_id, h.title,
                  ap.source_id AS source, ap.context, ap.page_url, NULL AS old, NULL AS new,
                  NULL AS diff
                FROM appearances ap JOIN headlines h ON h.id = ap.headline_id
                WHERE ap.article_id IN ({marks})""",
            article_ids,
        ).fetchall()
        changes = conn.execute(
            f"""SELECT c.seen_at AS at, CASE c.kind WHEN 'headline' THEN 'revision'
                  WHEN 'move' THEN 'move' ELSE 'update' END AS kind, c.article_id,
                  a.title, a.source_id AS source, c.context, c.page_url, c.old_value AS old,
                  c.new_value AS new, v.diff
                FROM article_changes c JOIN articles a ON a.id = c.article_id
                LEFT JOIN article_versions v ON v.article_id = c.article_id
                  AND v.seen_at = c.seen_at AND c.kind = 'content'
                WHERE c.article_id IN ({marks})""",
            article_ids,
        ).fetchall()
    finally:
        conn.row_factory = None
    order = {"appearance": 0, "move": 1, "revision": 2, "update": 3}
    rows = [dict(row) for row in [*appearances, *changes]]
    return sorted(rows, key=lambda row: (row["at"], order[row["kind"]], row["article_id"]))


def history_of(conn: sqlite3.Connection, target: str) -> tuple[str, list[dict[str, Any]]]:
    """The history of an article (by any of its URLs) or of a story (by id).

    Returns a description of what was found and its rows; LookupError when nothing matches.
    """
    if target.isdigit():
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM articles WHERE story_id = ? ORDER BY id", (int(target),)
            )
        ]
        if not ids:
            raise LookupError(f"no story {target}")
        return f"story {target}", history(conn, ids)
    row = conn.execute(
        "SELECT article_id FROM article_urls WHERE url = ?", (canonical_url(target),)
    ).fetchone()
    if row is None:
        raise LookupError(f"no article at {target}")
    return f"article {row[0]}", history(conn, [row[0]])
