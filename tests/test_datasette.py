"""Datasette on the store with the repository's `metadata.json`, as Datasette itself loads it.

Datasette is an optional extra (`pip install 'newsmon[datasette]'`); without it these tests
are skipped.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsmon.store import Store
from tests.timeline_store import make_timeline_store

datasette_app = pytest.importorskip(
    "datasette.app", reason="datasette is not installed (pip install 'newsmon[datasette]')"
)
datasette_utils = pytest.importorskip("datasette.utils")

METADATA = Path(__file__).resolve().parent.parent / "metadata.json"
DATASETTE = Path(sys.executable).with_name("datasette")
VIEWS = {
    "related_appearances",
    "story_sources",
    "latest_headlines",
    "story_timeline",
    "source_activity",
}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Datasette names a database after its file: metadata.json describes `newsmon`.
    return make_timeline_store(tmp_path_factory.mktemp("datasette") / "newsmon.db")


@pytest.fixture(scope="module")
def metadata() -> dict[str, Any]:
    return datasette_utils.parse_metadata(METADATA.read_text(encoding="utf-8"))


def get(db_path: Path, metadata: dict[str, Any], *paths: str) -> list[Any]:
    """Datasette's answers to GET `paths` (JSON decoded, or the HTML text)."""
    app = datasette_app.Datasette(files=[str(db_path)], metadata=metadata)

    async def fetch() -> list[Any]:
        await app.invoke_startup()
        answers = []
        for path in paths:
            response = await app.client.get(path)
            assert response.status_code == 200, (path, response.text[:500])
            answers.append(response.json() if ".json" in path else response.text)
        return answers

    return asyncio.run(fetch())


def test_metadata_names_only_tables_views_and_columns_the_store_has(
    db_path: Path, metadata: dict[str, Any]
) -> None:
    store = Store.open(db_path)
    described = metadata["databases"]["newsmon"]["tables"]
    assert set(described) >= VIEWS
    for name, entry in described.items():
        columns = {row["name"] for row in store.rows(f"PRAGMA table_info([{name}])")}
        assert columns, f"{name}: no such table or view"
        named = [
            *entry.get("facets", []),
            *entry.get("columns", {}),
            *[entry[key] for key in ("sort_desc", "label_column") if key in entry],
        ]
        assert set(named) <= columns, f"{name}: unknown columns {set(named) - columns}"
    for name in VIEWS:
        assert described[name]["title"] and described[name]["description"]


def test_views_open_with_their_title_description_and_facets(
    db_path: Path, metadata: dict[str, Any]
) -> None:
    page, data = get(
        db_path, metadata, "/newsmon/related_appearances", "/newsmon/related_appearances.json"
    )
    assert "<h1" in page and "Related appearances" in page
    assert "Every appearance of a story a watch matched" in page
    facets = {
        name: {result["value"]: result["count"] for result in facet["results"]}
        for name, facet in data["facet_results"].items()
    }
    assert facets == {
        "watch": {"drones": 7},
        "source": {"wire": 4, "gazette": 2, "herald": 1},
        "context": {"article": 2, "latest": 2, "listing": 2, "feed": 1},
        "lang": {"en": 5, "ar": 1, "az": 1},
    }
    assert [row[data["columns"].index("first_seen")] for row in data["rows"]][:2] == [
        "2026-03-03T16:45:00+00:00",
        "2026-03-02T07:20:00+00:00",
    ]


def test_full_text_search_and_canned_queries(db_path: Path, metadata: dict[str, Any]) -> None:
    headlines, search, articles, story = get(
        db_path,
        metadata,
        "/newsmon/headlines.json?_search=dron*&_shape=objects",
        "/newsmon/search.json?q=ganja&_shape=objects",
        "/newsmon/articles.json?_search=lead%3Aganja+NOT+title%3Aministers&_shape=objects",
        "/newsmon/where_and_when.json?story=1&_shape=objects",
    )
    assert sorted(row["id"] for row in headlines["rows"]) == [1, 2, 3, 5, 7]
    assert sorted(row["article_id"] for row in search["rows"]) == [1, 4, 6]
    assert sorted(row["id"] for row in articles["rows"]) == [1, 6]
    assert search["rows"][0]["snippet"].count("[Ganja]") == 1
    assert [(row["source"], row["context"]) for row in story["rows"]] == [
        ("wire", "article"),
        ("wire", "latest"),
        ("wire", "listing"),
        ("wire", "listing"),
        ("gazette", "article"),
        ("gazette", "feed"),
        ("herald", "latest"),
    ]


def test_internal_tables_are_hidden(db_path: Path, metadata: dict[str, Any]) -> None:
    (database,) = get(db_path, metadata, "/newsmon.json")
    hidden = {table["name"] for table in database["tables"] if table["hidden"]}
    assert {"lsh_buckets", "entity_keys", "settings", "_sqlite_migrations"} <= hidden
    assert {"appearances", "headlines", "stories"}.isdisjoint(hidden)
    assert {view["name"] for view in database["views"]} >= VIEWS


def test_the_datasette_command_reads_the_metadata(db_path: Path) -> None:
    result = subprocess.run(
        [str(DATASETTE), str(db_path), "-m", str(METADATA), "--get", "/-/metadata.json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["databases"]["newsmon"]["title"] == "newsmon store"
