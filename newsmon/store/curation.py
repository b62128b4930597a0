"""Changing stories by hand or by certain evidence: merge two stories, split one apart.

Every change is recorded in `story_evidence` (rule `manual-merge`, `manual-split`, `hreflang`),
so a user can see why a story holds what it holds and undo a wrong grouping.
"""

from __future__ import annotations

from newsmon.store import Store, now_iso


class CurationError(Exception):
    """A merge or split that cannot be done; the message says why."""


def merge_stories(store: Store, keep: int, drop: int, crawl_id: int | None) -> int:
    """Merge two stories into the older one; returns the id of the story kept.

    Watches of either story now cover both, so appearances newly related to a watch become
    events.
    """
    keep, drop = min(keep, drop), max(keep, drop)
    conn = store.conn
    # Every appearance of a watched story is an event already (`mark_story_watched`): what
    # becomes new is each story's appearances for the watches of the other one only. Reading
    # just those keeps a merge into a large story as cheap as into a small one.
    for watched, other in ((keep, drop), (drop, keep)):
        conn.execute(
            """INSERT OR IGNORE INTO events (watch, kind, appearance_id, article_id, story_id,
                 created_at, crawl_id)
               SELECT ws.watch, 'appearance', ap.id, a.id, ?, ?, ?
               FROM watch_stories ws JOIN articles a ON a.story_id = ?
               JOIN appearances ap ON ap.article_id = a.id
               WHERE ws.story_id = ?
                 AND ws.watch NOT IN (SELECT watch FROM watch_stories WHERE story_id = ?)
               ORDER BY ap.id""",
            (keep, now_iso(), crawl_id, other, watched, other),
        )
    conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (keep, drop))
    conn.execute("UPDATE story_evidence SET story_id = ? WHERE story_id = ?", (keep, drop))
    conn.execute("UPDATE events SET story_id = ? WHERE story_id = ?", (keep, drop))
    conn.execute("UPDATE OR IGNORE watch_stories SET story_id = ? WHERE story_id = ?", (keep, drop))
    conn.execute("DELETE FROM watch_stories WHERE story_id = ?", (drop,))
    conn.execute(
        """UPDATE stories SET
             first_seen = min(first_seen, (SELECT first_seen FROM stories WHERE id = ?)),
             last_seen = max(last_seen, (SELECT last_seen FROM stories WHERE id = ?))
           WHERE id = ?""",
        (drop, drop, keep),
    )
    conn.execute("DELETE FROM stories WHERE id = ?", (drop,))
    return keep


def merge_by_hand(store: Store, first: int, second: int) -> int:
    """Merge two stories at a user's request; returns the id kept."""
    for story_id in (first, second):
        if store.one("SELECT 1 FROM stories WHERE id = ?", (story_id,)) is None:
            raise CurationError(f"no story {story_id}")
    if first == second:
        raise CurationError("a story cannot be merged with itself")
    with store.transaction():
        kept = merge_stories(store, first, second, None)
        store.conn.execute(
            """INSERT INTO story_evidence (story_id, article_id, other_article_id, rule, score,
                 created_at)
               SELECT ?, min(id), NULL, 'manual-merge', NULL, ? FROM articles WHERE story_id = ?""",
            (kept, now_iso(), kept),
        )
    return kept


def split_story(store: Store, story_id: int, article_ids: list[int]) -> int:
    """Move `article_ids` out of `story_id` into a new story; returns the new story's id.

    Watches that matched the old story keep it; the new story is matched again when its
    articles are next seen or by `newsmon watch backfill`.
    """
    members = {
        row[0]
        for row in store.conn.execute("SELECT id FROM articles WHERE story_id = ?", (story_id,))
    }
    if not members:
        raise CurationError(f"no story {story_id}")
    strangers = sorted(set(article_ids) - members)
    if strangers:
        raise CurationError(f"article(s) {', '.join(map(str, strangers))} not in story {story_id}")
    if set(article_ids) == members:
        raise CurationError("a split must leave at least one article in the story")
    now = now_iso()
    with store.transaction():
        title, first_seen = store.conn.execute(
            "SELECT title, min(first_seen) FROM articles WHERE id IN ({})".format(
                ",".join("?" * len(article_ids))
            ),
            article_ids,
        ).fetchone()
        new_id = int(
            store.conn.execute(
                "INSERT INTO stories (title, first_seen, last_seen) VALUES (?, ?, ?)",
                (title, first_seen, now),
            ).lastrowid
            or 0
        )
        for article_id in article_ids:
            store.conn.execute(
                "UPDATE articles SET story_id = ? WHERE id = ?", (new_id, article_id)
            )
            store.conn.execute(
                """INSERT INTO story_evidence (story_id, article_id, other_article_id, rule,
                     score, created_at) VALUES (?, ?, NULL, 'manual-split', NULL, ?)""",
                (new_id, article_id, now),
            )
        store.conn.execute(
            "UPDATE events SET story_id = ? WHERE article_id IN ({})".format(
                ",".join("?" * len(article_ids))
            ),
            [new_id, *article_ids],
        )
    return new_id
