"""The views of migration 0004 on the timeline store, and the documented commands over them.

The SQL of `DOCUMENTED` is the SQL the README shows; it is run with Python's sqlite3, with the
`sqlite-utils` command installed with newsmon, and with the `sqlite3` shell when there is one.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsmon.store import Store
from tests.timeline_store import ARABIC_HEADLINE, NASTY_HEADLINE, make_timeline_store

SQLITE_UTILS = Path(sys.executable).with_name("sqlite-utils")
SQLITE3_SHELL = shutil.which("sqlite3")

WIRE_EN = "Azerbaijan and Türkiye sign drone deal"
GAZETTE = "Azerbaijan and Türkiye sign drone deal, ministers say"
AZ = "Azərbaycan və Türkiyə dron sazişi imzaladı"

# (SQL as the README shows it, the rows it gives on the timeline store)
DOCUMENTED: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "related appearances of a watch": (
        "SELECT first_seen, source_id, context, headline FROM related_appearances "
        "WHERE watch = 'drones' LIMIT 3",
        [
            {
                "first_seen": "2026-03-03T16:45:00+00:00",
                "source_id": "herald",
                "context": "latest",
                "headline": WIRE_EN,
            },
            {
                "first_seen": "2026-03-02T07:20:00+00:00",
                "source_id": "gazette",
                "context": "feed",
                "headline": GAZETTE,
            },
            {
                "first_seen": "2026-03-02T07:15:00+00:00",
                "source_id": "gazette",
                "context": "article",
                "headline": GAZETTE,
            },
        ],
    ),
    "where and when a story appeared": (
        "SELECT first_seen, hours_after_first, source_id, context, lang FROM story_timeline "
        "WHERE story_id = 1",
        [
            {
                "first_seen": "2026-03-01T08:00:00+00:00",
                "hours_after_first": 0.0,
                "source_id": "wire",
                "context": "article",
                "lang": "en",
            },
            {
                "first_seen": "2026-03-01T09:30:00+00:00",
                "hours_after_first": 1.5,
                "source_id": "wire",
                "context": "latest",
                "lang": "en",
            },
            {
                "first_seen": "2026-03-01T12:00:00+00:00",
                "hours_after_first": 4.0,
                "source_id": "wire",
                "context": "listing",
                "lang": "az",
            },
            {
                "first_seen": "2026-03-01T13:00:00+00:00",
                "hours_after_first": 5.0,
                "source_id": "wire",
                "context": "listing",
                "lang": "ar",
            },
            {
                "first_seen": "2026-03-02T07:15:00+00:00",
                "hours_after_first": 23.25,
                "source_id": "gazette",
                "context": "article",
                "lang": "en",
            },
            {
                "first_seen": "2026-03-02T07:20:00+00:00",
                "hours_after_first": 23.33,
                "source_id": "gazette",
                "context": "feed",
                "lang": "en",
            },
            {
                "first_seen": "2026-03-03T16:45:00+00:00",
                "hours_after_first": 56.75,
                "source_id": "herald",
                "context": "latest",
                "lang": "en",
            },
        ],
    ),
    "first seen per source": (
        "SELECT source_id, first_seen, appearances, languages FROM story_sources "
        "WHERE story_id = 1",
        [
            {
                "source_id": "wire",
                "first_seen": "2026-03-01T08:00:00+00:00",
                "appearances": 4,
                "languages": "ar,az,en",
            },
            {
                "source_id": "gazette",
                "first_seen": "2026-03-02T07:15:00+00:00",
                "appearances": 2,
                "languages": "en",
            },
            {
                "source_id": "herald",
                "first_seen": "2026-03-03T16:45:00+00:00",
                "appearances": 1,
                "languages": "en",
            },
        ],
    ),
    "latest headlines": (
        "SELECT first_seen, source_id, lang, headline, story_id FROM latest_headlines LIMIT 3",
        [
            {
                "first_seen": "2026-03-03T16:45:00+00:00",
                "source_id": "herald",
                "lang": "en",
                "headline": WIRE_EN,
                "story_id": 1,
            },
            {
                "first_seen": "2026-03-02T10:00:00+00:00",
                "source_id": "gazette",
                "lang": "en",
                "headline": "Central bank keeps interest rate at 7.25%",
                "story_id": 2,
            },
            {
                "first_seen": "2026-03-02T07:15:00+00:00",
                "source_id": "gazette",
                "lang": "en",
                "headline": GAZETTE,
                "story_id": 1,
            },
        ],
    ),
    "activity per source and day": (
        "SELECT day, source_id, new_appearances, articles, stories FROM source_activity "
        "ORDER BY day, source_id",
        [
            {
                "day": "2026-03-01",
                "source_id": "wire",
                "new_appearances": 4,
                "articles": 3,
                "stories": 1,
            },
            {
                "day": "2026-03-02",
                "source_id": "gazette",
                "new_appearances": 3,
                "articles": 2,
                "stories": 2,
            },
            {
                "day": "2026-03-03",
                "source_id": "herald",
                "new_appearances": 1,
                "articles": 1,
                "stories": 1,
            },
        ],
    ),
    "full-text search of headlines": (
        "SELECT headlines.id, headlines.title FROM headlines_fts "
        "JOIN headlines ON headlines.id = headlines_fts.rowid "
        "WHERE headlines_fts MATCH 'dron*' ORDER BY rank, headlines.id",
        [
            {"id": 1, "title": WIRE_EN},
            {"id": 3, "title": AZ},
            {"id": 7, "title": WIRE_EN},
            {"id": 2, "title": NASTY_HEADLINE},
            {"id": 5, "title": GAZETTE},
        ],
    ),
}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_timeline_store(tmp_path_factory.mktemp("views") / "newsmon.db")


@pytest.fixture(scope="module")
def store(db_path: Path) -> Store:
    return Store.open(db_path)


@pytest.mark.parametrize("name", list(DOCUMENTED))
def test_documented_sql_gives_these_rows(db_path: Path, name: str) -> None:
    sql, expected = DOCUMENTED[name]
    connection = sqlite3.connect(db_path)
    connection.row_factory = sqlite3.Row
    try:
        rows = [dict(row) for row in connection.execute(sql)]
    finally:
        connection.close()
    assert rows == expected


@pytest.mark.parametrize("name", list(DOCUMENTED))
def test_documented_sql_through_sqlite_utils(db_path: Path, name: str) -> None:
    sql, expected = DOCUMENTED[name]
    result = subprocess.run(
        [str(SQLITE_UTILS), "query", str(db_path), sql],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == expected


@pytest.mark.skipif(
    SQLITE3_SHELL is None, reason="no sqlite3 shell on PATH (apt-get install sqlite3)"
)
@pytest.mark.parametrize("name", list(DOCUMENTED))
def test_documented_sql_through_the_sqlite3_shell(db_path: Path, name: str) -> None:
    sql, expected = DOCUMENTED[name]
    assert SQLITE3_SHELL is not None
    as_json = subprocess.run(
        [SQLITE3_SHELL, "-readonly", "-json", str(db_path), sql],
        capture_output=True,
        text=True,
        check=False,
    )
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout or "[]") == expected
    boxed = subprocess.run(
        [SQLITE3_SHELL, "-readonly", "-box", str(db_path), sql],
        capture_output=True,
        text=True,
        check=True,
    )
    assert all(str(value) in boxed.stdout for row in expected for value in row.values())


def test_related_appearances_name_watch_headline_place_and_story(store: Store) -> None:
    rows = store.rows("SELECT * FROM related_appearances WHERE appearance_id = 2")
    assert rows == [
        {
            "watch": "drones",
            "appearance_id": 2,
            "headline": NASTY_HEADLINE,
            "lang": "en",
            "source_id": "wire",
            "source": "wire",
            "context": "latest",
            "page_url": "https://wire.example/en",
            "section": None,
            "first_seen": "2026-03-01T09:30:00+00:00",
            "last_seen": "2026-03-01T09:30:00+00:00",
            "times_seen": 1,
            "url": "https://wire.example/en/drone-deal",
            "story_id": 1,
            "story": WIRE_EN,
        }
    ]
    # Only the watched story: 7 appearances of story 1, none of story 2.
    assert store.one("SELECT count(*), min(story_id), max(story_id) FROM related_appearances") == (
        7,
        1,
        1,
    )


def test_story_timeline_has_every_appearance_of_every_story_in_time_order(store: Store) -> None:
    rows = store.rows("SELECT story_id, appearance_id, headline FROM story_timeline")
    assert [(row["story_id"], row["appearance_id"]) for row in rows] == [
        (1, 1),
        (1, 2),
        (1, 3),
        (1, 4),
        (1, 5),
        (1, 6),
        (1, 8),
        (2, 7),
    ]
    assert rows[3]["headline"] == ARABIC_HEADLINE


def test_story_sources_count_articles_and_span_last_sighting(store: Store) -> None:
    rows = store.rows(
        "SELECT story_id, source_id, source, last_seen, articles FROM story_sources "
        "ORDER BY story_id, first_seen"
    )
    assert rows == [
        {
            "story_id": 1,
            "source_id": "wire",
            "source": "wire",
            "last_seen": "2026-03-01T13:00:00+00:00",
            "articles": 3,
        },
        {
            "story_id": 1,
            "source_id": "gazette",
            "source": "gazette",
            "last_seen": "2026-03-02T07:20:00+00:00",
            "articles": 1,
        },
        {
            "story_id": 1,
            "source_id": "herald",
            "source": "herald",
            "last_seen": "2026-03-03T16:45:00+00:00",
            "articles": 1,
        },
        {
            "story_id": 2,
            "source_id": "gazette",
            "source": "gazette",
            "last_seen": "2026-03-02T10:00:00+00:00",
            "articles": 1,
        },
    ]


def test_latest_headlines_count_appearances_per_headline(store: Store) -> None:
    rows = store.rows("SELECT headline_id, appearances, url FROM latest_headlines")
    assert [(row["headline_id"], row["appearances"]) for row in rows] == [
        (7, 1),
        (6, 1),
        (5, 2),
        (4, 1),
        (3, 1),
        (2, 1),
        (1, 1),
    ]
    assert rows[-1]["url"] == "https://wire.example/en/drone-deal"


def test_source_activity_adds_up_crawls_and_pages_per_day(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "newsmon.db")
    store.ensure_source("wire", name="Wire", home_url=None, lang="en", tz="UTC", kind="site")
    for started, pages, errors in (
        ("2026-03-01T06:00:00+00:00", 10, 1),
        ("2026-03-01T18:00:00+00:00", 12, 0),
        ("2026-03-02T06:00:00+00:00", 9, 2),
    ):
        crawl_id = store.start_crawl("live", ["wire"], started_at=started)
        store.conn.execute(
            "INSERT INTO crawl_sources (crawl_id, source_id, pages, errors) VALUES (?, ?, ?, ?)",
            (crawl_id, "wire", pages, errors),
        )
    assert store.rows("SELECT * FROM source_activity") == [
        {
            "source_id": "wire",
            "source": "Wire",
            "day": "2026-03-02",
            "crawls": 1,
            "pages": 9,
            "errors": 2,
            "new_appearances": 0,
            "articles": 0,
            "stories": 0,
        },
        {
            "source_id": "wire",
            "source": "Wire",
            "day": "2026-03-01",
            "crawls": 2,
            "pages": 22,
            "errors": 1,
            "new_appearances": 0,
            "articles": 0,
            "stories": 0,
        },
    ]


def test_sqlite_utils_search_finds_the_index(db_path: Path) -> None:
    result = subprocess.run(
        [str(SQLITE_UTILS), "search", str(db_path), "headlines", "dron*", "-c", "id"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [row["id"] for row in json.loads(result.stdout)] == [1, 3, 7, 2, 5]
