"""`newsmon export`: stories and appearances as CSV, JSON and JSON Lines, exactly."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.inspect.export import ExportError, export, export_records
from newsmon.store import Store
from tests.timeline_store import NASTY_HEADLINE, make_timeline_store

STORIES_CSV = """\
id,title,first_seen,last_seen,published_at,sources,languages,headlines,appearances,watches
1,Azerbaijan and Türkiye sign drone deal,2026-03-01T08:00:00+00:00,2026-03-03T16:45:00+00:00,,"gazette,herald,wire","ar,az,en",6,7,drones
2,Central bank keeps interest rate at 7.25%,2026-03-02T10:00:00+00:00,2026-03-02T10:00:00+00:00,,gazette,en,1,1,
"""

APPEARANCES_CSV = """\
id,first_seen,last_seen,times_seen,source,context,title,lang,url,page_url,section,story,published_at,published_date,published_basis,first_crawl
8,2026-03-03T16:45:00+00:00,2026-03-03T16:45:00+00:00,1,herald,latest,Azerbaijan and Türkiye sign drone deal,en,https://herald.example/a/123,https://herald.example/,,1,,,,1
7,2026-03-02T10:00:00+00:00,2026-03-02T10:00:00+00:00,1,gazette,article,Central bank keeps interest rate at 7.25%,en,https://gazette.example/economy/rates,https://gazette.example/economy/rates,,2,,,,1
6,2026-03-02T07:20:00+00:00,2026-03-02T07:20:00+00:00,1,gazette,feed,"Azerbaijan and Türkiye sign drone deal, ministers say",en,https://gazette.example/world/drones,https://gazette.example/rss,,1,,,,1
5,2026-03-02T07:15:00+00:00,2026-03-02T07:15:00+00:00,1,gazette,article,"Azerbaijan and Türkiye sign drone deal, ministers say",en,https://gazette.example/world/drones,https://gazette.example/world/drones,,1,,,,1
4,2026-03-01T13:00:00+00:00,2026-03-01T13:00:00+00:00,1,wire,listing,أذربيجان وتركيا توقعان اتفاقية طائرات مسيرة,ar,https://wire.example/ar/drone-deal,https://wire.example/ar,,1,,,,1
3,2026-03-01T12:00:00+00:00,2026-03-01T12:00:00+00:00,1,wire,listing,Azərbaycan və Türkiyə dron sazişi imzaladı,az,https://wire.example/az/dron-sazisi,https://wire.example/az,,1,,,,1
2,2026-03-01T09:30:00+00:00,2026-03-01T09:30:00+00:00,1,wire,latest,"Drone deal <script>alert(""x"")</script> & 'joint' plant 🚀",en,https://wire.example/en/drone-deal,https://wire.example/en,,1,,,,1
1,2026-03-01T08:00:00+00:00,2026-03-01T08:00:00+00:00,1,wire,article,Azerbaijan and Türkiye sign drone deal,en,https://wire.example/en/drone-deal,https://wire.example/en/drone-deal,,1,,,,1
"""

STORIES_JSONL = """\
{"id": 1, "title": "Azerbaijan and Türkiye sign drone deal", "first_seen": "2026-03-01T08:00:00+00:00", "last_seen": "2026-03-03T16:45:00+00:00", "published_at": null, "sources": ["gazette", "herald", "wire"], "languages": ["ar", "az", "en"], "headlines": 6, "appearances": 7, "watches": ["drones"]}
{"id": 2, "title": "Central bank keeps interest rate at 7.25%", "first_seen": "2026-03-02T10:00:00+00:00", "last_seen": "2026-03-02T10:00:00+00:00", "published_at": null, "sources": ["gazette"], "languages": ["en"], "headlines": 1, "appearances": 1, "watches": []}
"""

RECENT_DRONE_APPEARANCES_JSON = """\
[
{"id": 8, "first_seen": "2026-03-03T16:45:00+00:00", "last_seen": "2026-03-03T16:45:00+00:00", "times_seen": 1, "source": "herald", "context": "latest", "title": "Azerbaijan and Türkiye sign drone deal", "lang": "en", "url": "https://herald.example/a/123", "page_url": "https://herald.example/", "section": null, "story": 1, "published_at": null, "published_date": null, "published_basis": null, "first_crawl": 1},
{"id": 6, "first_seen": "2026-03-02T07:20:00+00:00", "last_seen": "2026-03-02T07:20:00+00:00", "times_seen": 1, "source": "gazette", "context": "feed", "title": "Azerbaijan and Türkiye sign drone deal, ministers say", "lang": "en", "url": "https://gazette.example/world/drones", "page_url": "https://gazette.example/rss", "section": null, "story": 1, "published_at": null, "published_date": null, "published_basis": null, "first_crawl": 1}
]
"""


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_timeline_store(tmp_path_factory.mktemp("export") / "newsmon.db")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["export", *args])
    return result.exit_code, result.stdout, result.stderr


def test_stories_as_csv(db_path: Path) -> None:
    assert run("csv", "stories", "--db", str(db_path)) == (0, STORIES_CSV, "")


def test_appearances_as_csv_quote_commas_quotes_and_keep_any_script(db_path: Path) -> None:
    code, output, _ = run("csv", "appearances", "--db", str(db_path))
    assert (code, output) == (0, APPEARANCES_CSV)
    rows = list(csv.DictReader(io.StringIO(output)))
    assert rows[6]["title"] == NASTY_HEADLINE
    assert rows[6]["section"] == ""


def test_stories_as_json_lines(db_path: Path) -> None:
    assert run("jsonl", "stories", "--db", str(db_path)) == (0, STORIES_JSONL, "")


def test_one_json_array_of_a_watch_since_a_moment(db_path: Path) -> None:
    # 10:16 at +03:00 is 07:16 UTC: the gazette's 07:15 appearance is left out, 07:20 is in.
    code, output, _ = run(
        "json", "appearances", "--watch", "drones", "--since", "2026-03-02T10:16+03:00",
        "--db", str(db_path),
    )  # fmt: skip
    assert (code, output) == (0, RECENT_DRONE_APPEARANCES_JSON)
    assert [row["id"] for row in json.loads(output)] == [8, 6]


def test_nothing_to_export_is_still_well_formed(db_path: Path) -> None:
    late = ("--since", "2027-01-01", "--db", str(db_path))
    assert run("json", "stories", *late) == (0, "[]\n", "")
    assert run("jsonl", "stories", *late) == (0, "", "")
    assert run("csv", "stories", *late) == (
        0,
        "id,title,first_seen,last_seen,published_at,sources,languages,headlines,appearances,watches\n",
        "",
    )


def test_output_file_is_written_and_named(db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "stories.csv"
    code, output, _ = run("csv", "stories", "-o", str(target), "--db", str(db_path))
    assert (code, output) == (0, f"{target}: 2 stories\n")
    assert target.read_text(encoding="utf-8") == STORIES_CSV


def test_a_bad_since_or_watch_is_one_line_and_writes_nothing(db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("kept", encoding="utf-8")
    code, output, error = run(
        "json", "stories", "--since", "yesterday", "-o", str(target), "--db", str(db_path)
    )
    assert (code, output) == (1, "")
    assert error == (
        "Error: --since 'yesterday': expected a crawl id or an ISO 8601 date or date/time, "
        "e.g. 12, 2026-03-01 or 2026-03-01T08:00+04:00\n"
    )
    code, _, error = run(
        "csv", "appearances", "--watch", "nope", "-o", str(target), "--db", str(db_path)
    )
    assert (code, error) == (1, "Error: no watch named 'nope'\n")
    assert target.read_text(encoding="utf-8") == "kept"


def test_an_unknown_format_or_kind_is_refused_by_the_command(db_path: Path) -> None:
    code, _, error = run("xml", "stories", "--db", str(db_path))
    assert code == 2
    assert "'xml' is not one of 'csv', 'json', 'jsonl'" in error


def test_rows_are_read_one_at_a_time(db_path: Path) -> None:
    store = Store.open(db_path)
    records = export_records(store, "appearances")
    assert isinstance(records, Iterator)
    assert next(records)["id"] == 8  # the first row, before the others are read
    out = io.StringIO()
    assert export(store, "stories", "jsonl", out, watch="drones") == 1
    with pytest.raises(ExportError, match="cannot export 'watches'"):
        export_records(store, "watches")
