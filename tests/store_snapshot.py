"""A store's contents by natural keys, to compare the stores of two ways of crawling."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

Snapshot = dict[str, list[Any]]


def snapshot(db: Path) -> Snapshot:
    """Every table that a crawl fills, by natural keys: ids, and the timestamps of a live crawl,
    left out; articles by URL, stories by their articles' URLs. A crawl's `known_articles` is
    left out too: a second link to an article page counts there only when the store's writer
    has stored the page by the time the link is read, which is timing, not content (else the
    crawl's duplicate filter drops the link)."""
    with sqlite3.connect(db) as conn:

        def rows(sql: str) -> list[tuple[Any, ...]]:
            return conn.execute(sql).fetchall()

        url = dict(rows("SELECT id, url FROM articles"))
        members: dict[int, set[str]] = {}
        for article_id, story_id in rows("SELECT id, story_id FROM articles"):
            members.setdefault(story_id, set()).add(url[article_id])
        story = {story_id: tuple(sorted(urls)) for story_id, urls in members.items()}
        headline = {
            row[0]: (url[row[1]], row[2])
            for row in rows("SELECT id, article_id, match_key FROM headlines")
        }
        appearance = {
            row[0]: (headline[row[1]], row[2], row[3])
            for row in rows("SELECT id, headline_id, page_url, context FROM appearances")
        }
        return {
            "sources": sorted(rows("SELECT id, name, home_url, lang, tz, kind FROM sources")),
            "articles": sorted(
                (url[row[0]], story[row[1]], *row[2:])
                for row in rows(
                    """SELECT id, story_id, source_id, site_article_id, title, match_key, lang,
                         published_at, published_date, published_basis, modified_at, section,
                         authors, tags, lead, body, body_hash, parser FROM articles"""
                )
            ),
            "article_urls": sorted(
                (row[0], url[row[1]], row[2])
                for row in rows("SELECT url, article_id, how FROM article_urls")
            ),
            "headlines": sorted(
                (url[row[0]], *row[1:])
                for row in rows("SELECT article_id, title, match_key, lang FROM headlines")
            ),
            "appearances": sorted(
                (appearance[row[0]], *row[1:])
                for row in rows(
                    """SELECT id, source_id, section, published_at, published_date,
                         published_basis, times_seen FROM appearances"""
                )
            ),
            "stories": sorted(story[row[0]] for row in rows("SELECT id FROM stories")),
            "story_evidence": sorted(
                (story[row[0]], url[row[1]], url.get(row[2]), row[3], row[4])
                for row in rows(
                    "SELECT story_id, article_id, other_article_id, rule, score FROM story_evidence"
                )
            ),
            "watch_stories": sorted(
                (row[0], story[row[1]], url.get(row[2]), *row[3:])
                for row in rows(
                    """SELECT watch, story_id, article_id, field, terms, matched_text
                       FROM watch_stories"""
                )
            ),
            "events": sorted(
                (row[0], row[1], appearance.get(row[2]), url.get(row[3]), story[row[4]], row[5])
                for row in rows(
                    "SELECT watch, kind, appearance_id, article_id, story_id, details FROM events"
                )
            ),
            "crawl_sources": sorted(
                rows(
                    """SELECT crawl_id, source_id, pages, missing, errors, articles, headlines,
                         new_headlines, new_appearances, status_codes, status,
                         articles_without_title, articles_without_date, articles_without_body,
                         not_modified, page_kinds FROM crawl_sources"""
                )
            ),
            "validators": sorted(rows("SELECT url, etag, last_modified FROM validators")),
        }


def assert_same_store(found: Snapshot, expected: Snapshot, *, skip: tuple[str, ...] = ()) -> None:
    """Table by table: the same rows (tables in `skip` are not compared)."""
    for table, rows in expected.items():
        if table in skip or found[table] == rows:
            continue
        extra = [row for row in found[table] if row not in rows]
        missing = [row for row in rows if row not in found[table]]
        pytest.fail(f"table {table} differs:\nnot expected: {extra}\nmissing: {missing}")
