"""Read-only questions people ask the store, shared by the CLI and the tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from newsmon.store import Store

# SQL condition: the story of the article `a` was matched by the watch named by the parameter.
WATCHED_ARTICLE = (
    "EXISTS (SELECT 1 FROM watch_stories ws WHERE ws.story_id = a.story_id AND ws.watch = ?)"
)


def latest_crawl_id(store: Store) -> int | None:
    """The id of the newest crawl run, or None when there was none."""
    row = store.one("SELECT max(id) FROM crawls")
    return int(row[0]) if row and row[0] is not None else None


def appearances(
    store: Store,
    *,
    crawl_id: int | None = None,
    source: str | None = None,
    watch: str | None = None,
    since: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Appearances (newest first), optionally only those first seen in `crawl_id`."""
    return list(
        iter_appearances(
            store, crawl_id=crawl_id, source=source, watch=watch, since=since, limit=limit
        )
    )


def iter_appearances(
    store: Store,
    *,
    crawl_id: int | None = None,
    source: str | None = None,
    watch: str | None = None,
    since: str | None = None,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Appearances (newest first) one at a time, as `appearances()` lists them.

    `watch`: only appearances of stories the watch matched; `since`: only those first seen at
    or after this UTC ISO 8601 time.
    """
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    if crawl_id is not None:
        where.append("ap.first_crawl_id = ?")
        params.append(crawl_id)
    if source is not None:
        where.append("ap.source_id = ?")
        params.append(source)
    if watch is not None:
        where.append(WATCHED_ARTICLE)
        params.append(watch)
    if since is not None:
        where.append("ap.first_seen >= ?")
        params.append(since)
    sql = f"""SELECT ap.id, ap.source_id AS source, ap.context, h.title, a.url, ap.page_url,
                 a.story_id AS story, h.lang, ap.section, ap.published_at, ap.published_date,
                 ap.published_basis, ap.first_seen, ap.last_seen, ap.times_seen,
                 ap.first_crawl_id AS first_crawl
              FROM appearances ap JOIN headlines h ON h.id = ap.headline_id
              JOIN articles a ON a.id = ap.article_id
              WHERE {" AND ".join(where)}
              ORDER BY ap.first_seen DESC, ap.id DESC"""
    if limit:
        sql += f" LIMIT {int(limit)}"
    yield from store.query(sql, params)


def sources(store: Store) -> list[dict[str, Any]]:
    """Every source with its counts and its last crawl."""
    return store.rows(
        """SELECT s.id, s.name, s.kind, s.lang, s.tz, s.enabled, s.home_url,
             (SELECT count(*) FROM articles a WHERE a.source_id = s.id) AS articles,
             (SELECT count(*) FROM appearances ap WHERE ap.source_id = s.id) AS appearances,
             (SELECT max(c.finished_at) FROM crawl_sources cs JOIN crawls c ON c.id = cs.crawl_id
              WHERE cs.source_id = s.id) AS last_crawl
           FROM sources s ORDER BY s.id"""
    )


def stories(
    store: Store,
    *,
    since: str | None = None,
    source: str | None = None,
    watch: str | None = None,
    story_id: int | None = None,
) -> list[dict[str, Any]]:
    """Stories (newest first), each with its sources, languages and member headlines."""
    return list(iter_stories(store, since=since, source=source, watch=watch, story_id=story_id))


def iter_stories(
    store: Store,
    *,
    since: str | None = None,
    source: str | None = None,
    watch: str | None = None,
    story_id: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Stories (newest first) one at a time, as `stories()` lists them."""
    where: list[str] = ["1 = 1"]
    params: list[Any] = []
    if since is not None:
        where.append("st.last_seen >= ?")
        params.append(since)
    if source is not None:
        where.append(
            "EXISTS (SELECT 1 FROM articles x WHERE x.story_id = st.id AND x.source_id = ?)"
        )
        params.append(source)
    if watch is not None:
        where.append(
            "EXISTS (SELECT 1 FROM watch_stories ws WHERE ws.story_id = st.id AND ws.watch = ?)"
        )
        params.append(watch)
    if story_id is not None:
        where.append("st.id = ?")
        params.append(story_id)
    for story in store.query(
        f"""SELECT st.id, st.title, st.first_seen, st.last_seen, st.published_at
            FROM stories st WHERE {" AND ".join(where)} ORDER BY st.last_seen DESC, st.id DESC""",
        params,
    ):
        members = store.rows(
            """SELECT a.id AS article_id, h.title, a.url, a.source_id AS source, h.lang,
                 h.first_seen, a.published_at
               FROM articles a JOIN headlines h ON h.article_id = a.id
               WHERE a.story_id = ? ORDER BY h.first_seen, h.id""",
            (story["id"],),
        )
        story["members"] = members
        story["sources"] = sorted({member["source"] for member in members})
        story["languages"] = sorted({member["lang"] for member in members if member["lang"]})
        story["appearances"] = store.one(
            "SELECT count(*) FROM appearances ap JOIN articles a ON a.id = ap.article_id "
            "WHERE a.story_id = ?",
            (story["id"],),
        )[0]  # type: ignore[index]
        story["evidence"] = store.rows(
            "SELECT article_id, other_article_id, rule, score FROM story_evidence "
            "WHERE story_id = ? ORDER BY id",
            (story["id"],),
        )
        story["watches"] = [
            row["watch"]
            for row in store.rows(
                "SELECT watch FROM watch_stories WHERE story_id = ? ORDER BY watch", (story["id"],)
            )
        ]
        yield story
