"""Changing stories by hand or by certain evidence: merge two stories, split one apart.

Every change is recorded in `story_evidence` (rule `manual-merge`, `manual-split`, `hreflang`),
so a user can see why a story holds what it holds and undo a wrong grouping. After a change by
hand, each story it touched says what it would say had it been built with its articles alone:
title, first and last sighting, publication time, and the watches that follow it.
"""

from __future__ import annotations

from newsmon.clock import now_iso
from newsmon.store import Store
from newsmon.watch.watches import WatchSet, mark_story_watched

# A story as the store writer builds it: the title and publication time of its first article
# (by its first headline), seen from that article's first sighting to its latest new
# appearance.
_STORY_AS_BUILT = """
    WITH members AS (SELECT * FROM articles WHERE story_id = :story),
    first AS (SELECT * FROM members ORDER BY id LIMIT 1)
    UPDATE stories SET
      title = (SELECT coalesce((SELECT h.title FROM headlines h WHERE h.article_id = first.id
                                ORDER BY h.id LIMIT 1), first.title) FROM first),
      published_at = (SELECT published_at FROM first),
      first_crawl_id = (SELECT first_crawl_id FROM first),
      first_seen = (SELECT min(first_seen) FROM members),
      last_seen = max(
        (SELECT max(first_seen) FROM members),
        coalesce((SELECT max(ap.first_seen) FROM appearances ap
                  WHERE ap.article_id IN (SELECT id FROM members)), ''))
    WHERE id = :story
"""


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
        rebuild_story(store, kept)
    return kept


def split_story(store: Store, story_id: int, article_ids: list[int]) -> int:
    """Move `article_ids` out of `story_id` into a new story; returns the new story's id.

    Each of the two stories keeps the watches of the old one that one of its own articles
    matches (their events stay as they were: nothing is alerted again), and says what it
    would had it been built with its articles alone (`rebuild_story`).
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
    followed = [
        row[0]
        for row in store.conn.execute(
            "SELECT watch FROM watch_stories WHERE story_id = ? ORDER BY watch", (story_id,)
        )
    ]
    with store.transaction():
        # Placeholders until the story is rebuilt from its articles below.
        new_id = int(
            store.conn.execute(
                "INSERT INTO stories (title, first_seen, last_seen) VALUES ('', ?, ?)", (now, now)
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
        for story in (story_id, new_id):
            rebuild_story(store, story)
            _follow_again(store, story, followed)
    return new_id


def rebuild_story(store: Store, story_id: int) -> None:
    """Set the story's title, publication time and sightings from its articles, as the store
    writer sets them for a story built with these articles."""
    store.conn.execute(_STORY_AS_BUILT, {"story": story_id})


def _follow_again(store: Store, story_id: int, watches: list[str]) -> None:
    """Of `watches`, the story keeps (or gets) those one of its articles matches; the others
    let it go. A match stays recorded against the article it was made on while that article is
    in the story."""
    conn = store.conn
    members = [
        (article_id, {"title": title, "lead": lead, "body": body})
        for article_id, title, lead, body in conn.execute(
            """SELECT a.id, h.title, NULL, NULL FROM headlines h
               JOIN articles a ON a.id = h.article_id WHERE a.story_id = ?
               UNION ALL
               SELECT id, title, lead, body FROM articles
               WHERE story_id = ? AND (lead IS NOT NULL OR body IS NOT NULL)
               ORDER BY 1""",
            (story_id, story_id),
        )
    ]
    member_ids = {article_id for article_id, _ in members}
    for watch in WatchSet.load(store).watches:
        if watch.name not in watches:
            continue
        recorded = conn.execute(
            "SELECT article_id FROM watch_stories WHERE watch = ? AND story_id = ?",
            (watch.name, story_id),
        ).fetchone()
        if recorded is not None and recorded[0] in member_ids:
            continue
        conn.execute(
            "DELETE FROM watch_stories WHERE watch = ? AND story_id = ?", (watch.name, story_id)
        )
        for article_id, fields in members:
            found = watch.query.match(fields)
            if found is not None:
                mark_story_watched(store, watch.name, story_id, article_id, found, fields, None)
                break
