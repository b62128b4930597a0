"""Full-text search: FTS5 over headlines and article text, kept in sync by triggers."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.crawl.ingest import ingest
from newsmon.inspect.search import SearchError, search
from newsmon.store import Store
from newsmon.store.writer import merge_stories
from tests.timeline_store import make_timeline_store

WIRE_EN = "Azerbaijan and Türkiye sign drone deal"
GAZETTE = "Azerbaijan and Türkiye sign drone deal, ministers say"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_timeline_store(tmp_path_factory.mktemp("search") / "newsmon.db")


@pytest.fixture(scope="module")
def store(db_path: Path) -> Store:
    return Store.open(db_path)


@pytest.fixture
def fresh_store(tmp_path: Path) -> Store:
    """A timeline store of its own, for tests that write."""
    return Store.open(make_timeline_store(tmp_path / "newsmon.db"))


def found(store: Store, query: str, **filters: str) -> list[int]:
    return [result["article_id"] for result in search(store, query, **filters)]


def test_a_result_names_the_article_its_source_story_first_sighting_and_the_match(
    store: Store,
) -> None:
    assert search(store, "drone", limit=2) == [
        {
            "rank": 1,
            "score": 1.984e-06,
            "article_id": 6,
            "title": WIRE_EN,
            "url": "https://herald.example/a/123",
            "source": "herald",
            "lang": "en",
            "story": 1,
            "story_title": WIRE_EN,
            "first_seen": "2026-03-03T16:45:00+00:00",
            "matched": "headline",
            "snippet": "Azerbaijan and Türkiye sign [drone] deal",
        },
        {
            "rank": 2,
            "score": 1.984e-06,
            "article_id": 1,
            "title": WIRE_EN,
            "url": "https://wire.example/en/drone-deal",
            "source": "wire",
            "lang": "en",
            "story": 1,
            "story_title": WIRE_EN,
            "first_seen": "2026-03-01T08:00:00+00:00",
            "matched": "headline",
            "snippet": "Azerbaijan and Türkiye sign [drone] deal",
        },
    ]


def test_rarer_words_rank_higher_and_each_article_comes_once(store: Store) -> None:
    # `rate` is in one headline, `deal` in four (of three articles): the rate decision first.
    assert found(store, "deal OR rate") == [5, 6, 1, 4]


def test_case_and_diacritics_are_ignored_other_letters_are_kept(store: Store) -> None:
    assert found(store, "TURKIYE") == [6, 1, 4]
    assert found(store, "azərbaycan") == [2]
    assert found(store, "طائرات") == [3]


def test_column_filters_search_article_lead_and_body(store: Store) -> None:
    assert found(store, "body:production") == [1]
    assert found(store, "lead:ganja") == [6, 4, 1]
    body_hit = search(store, "body:production")[0]
    assert body_hit["matched"] == "article"
    assert body_hit["snippet"] == (
        "The agreement covers design, [production] and export.\n\nThe first drones are due next year."
    )
    assert found(store, 'title:"ministers say"') == [4]


def test_prefixes_phrases_and_not(store: Store) -> None:
    assert found(store, "dron*") == [2, 6, 4, 1]
    assert found(store, '"sign drone deal" NOT ministers') == [6, 1]


def test_watch_source_and_limit_narrow_the_results(store: Store) -> None:
    assert found(store, "deal OR rate", watch="drones") == [6, 1, 4]
    assert found(store, "deal OR rate", source="gazette") == [5, 4]
    assert [result["article_id"] for result in search(store, "deal OR rate", limit=1)] == [5]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("   ", "empty search query"),
        ("drone AND", "invalid search query 'drone AND': syntax error near \"\""),
        ('"unclosed', "invalid search query '\"unclosed': unterminated string"),
        ("author:smith", "invalid search query 'author:smith': no such column: author"),
    ],
)
def test_a_malformed_query_is_one_clear_line(store: Store, query: str, message: str) -> None:
    with pytest.raises(SearchError) as raised:
        search(store, query)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_an_unknown_watch_or_source_is_named(store: Store) -> None:
    with pytest.raises(SearchError, match=r"^no watch named 'nope'$"):
        search(store, "drone", watch="nope")
    with pytest.raises(SearchError, match=r"^no source with id 'nope'$"):
        search(store, "drone", source="nope")


def test_new_and_changed_text_is_searchable_at_once(fresh_store: Store) -> None:
    store = fresh_store
    lines = [
        # a new headline of a new article
        '{"source": "herald", "url": "https://herald.example/a/200", "title": "Caspian ferry '
        'resumes sailing", "seen_at": "2026-03-04T08:00:00+00:00", "context": "latest"}',
        # the wire article fetched again: its body was rewritten
        '{"source": "wire", "url": "https://wire.example/en/drone-deal", "title": '
        f'"{WIRE_EN}", "body": "Assembly lines open in Mingachevir instead.", '
        '"fetched_at": "2026-03-04T09:00:00+00:00"}',
    ]
    ingest(store, lines)
    assert found(store, "caspian ferry") == [7]
    assert found(store, "mingachevir") == [1]
    assert found(store, "body:production") == []
    assert_index_matches_tables(store)


def test_the_index_survives_story_merges_and_deletes(fresh_store: Store) -> None:
    store = fresh_store
    with store.transaction():
        merge_stories(store, 1, 2, None)
        store.conn.execute(
            "DELETE FROM events WHERE appearance_id IN "
            "(SELECT id FROM appearances WHERE headline_id = 6)"
        )
        store.conn.execute("DELETE FROM appearances WHERE headline_id = 6")
        store.conn.execute("DELETE FROM headlines WHERE id = 6")
    assert store.rows("SELECT rowid FROM headlines_fts WHERE headlines_fts MATCH 'rate'") == []
    # The article keeps its title (articles_fts), and is now part of story 1.
    assert [(hit["article_id"], hit["story"]) for hit in search(store, "rate")] == [(5, 1)]
    assert_index_matches_tables(store)


def test_the_migration_indexes_what_an_existing_store_holds(tmp_path: Path) -> None:
    path = make_timeline_store(tmp_path / "newsmon.db")
    connection = sqlite3.connect(path)
    with connection:
        # Back to the store as it was before 0004: no index, no trigger, no view.
        for trigger in ("headlines_ai", "headlines_ad", "headlines_au"):
            connection.execute(f"DROP TRIGGER {trigger}")
        for trigger in ("articles_ai", "articles_ad", "articles_au"):
            connection.execute(f"DROP TRIGGER {trigger}")
        connection.execute("DROP TABLE headlines_fts")
        connection.execute("DROP TABLE articles_fts")
        for view in (
            "related_appearances",
            "story_sources",
            "latest_headlines",
            "story_timeline",
            "source_activity",
        ):
            connection.execute(f"DROP VIEW {view}")
        connection.execute("DELETE FROM _sqlite_migrations WHERE name = '0004_search_views'")
    connection.close()
    store = Store.open(path)
    assert "0004_search_views" in store.schema_version()
    assert found(store, "dron*") == [2, 6, 4, 1]
    assert found(store, "lead:ganja") == [6, 4, 1]
    assert_index_matches_tables(store)


def test_search_command_prints_rank_title_source_story_first_seen_url_and_snippet(
    db_path: Path,
) -> None:
    result = CliRunner().invoke(cli, ["search", "body:production", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"1. {WIRE_EN}\n"
        "   wire · story 1 · first seen 2026-03-01 08:00 · https://wire.example/en/drone-deal\n"
        "   The agreement covers design, [production] and export. The first drones are due next "
        "year.\n"
    )


def test_search_command_json_is_one_object_a_line(db_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["search", "rate", "--json", "--source", "gazette", "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.output.splitlines()] == [
        {
            "article_id": 5,
            "first_seen": "2026-03-02T10:00:00+00:00",
            "lang": "en",
            "matched": "headline",
            "rank": 1,
            "score": 2.842,
            "snippet": "Central bank keeps interest [rate] at 7.25%",
            "source": "gazette",
            "story": 2,
            "story_title": "Central bank keeps interest rate at 7.25%",
            "title": "Central bank keeps interest rate at 7.25%",
            "url": "https://gazette.example/economy/rates",
        }
    ]


def test_search_command_reports_a_bad_query_in_one_line(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "drone AND", "--db", str(db_path)])
    assert result.exit_code == 1
    assert result.output == (
        "Error: invalid search query 'drone AND': syntax error near \"\" (see FTS5 query syntax)\n"
    )


def test_search_command_says_when_nothing_matches(db_path: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "volcano", "--db", str(db_path)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "no matches for 'volcano'\n"


def assert_index_matches_tables(store: Store) -> None:
    """FTS5's own check that the external-content index agrees with the tables."""
    for table in ("headlines_fts", "articles_fts"):
        store.conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
