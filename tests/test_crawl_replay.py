"""End to end: `newsmon crawl --replay seeds` into a real SQLite file, twice."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import ROOT, newsmon

SEEDS = ROOT / "seeds"

REPORT_AZ_ARTICLE = "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory) -> tuple[Path, list, list]:
    """The seeds crawled twice into one store; the two runs' outputs."""
    directory = tmp_path_factory.mktemp("crawl")
    db = directory / "newsmon.db"
    net_log = directory / "network.log"
    first = newsmon("crawl", "--replay", "seeds", "--db", str(db), "--json", offline_log=net_log)
    second = newsmon("crawl", "--replay", "seeds", "--db", str(db), "--json", offline_log=net_log)
    return db, [first, second], [net_log]


def by_source(run) -> dict[str, dict]:
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    return {source["source"]: source for source in summary["sources"]}


def test_replay_never_touches_the_network(crawled):
    _, runs, (net_log,) = crawled
    assert all(run.returncode == 0 for run in runs), runs[0].stderr
    assert not net_log.exists(), net_log.read_text()


def test_parts_switched_off_for_replay_leave_no_line_in_the_log(crawled):
    _, runs, _ = crawled
    assert [line for line in runs[0].stderr.splitlines() if "Disabled" in line] == []


def test_first_run_records_every_appearance(crawled):
    db, runs, _ = crawled
    first = by_source(runs[0])
    assert first["report_az"]["new_appearances"] == 1 + 2 + 9 + 9 + 9
    assert first["ccbsnews"]["new_appearances"] == 1 + 10 + 11 + 11
    # Article pages of the feed's other headlines were not captured: answered as missing.
    assert first["report_az"]["missing"] == 8
    assert first["ccbsnews"]["missing"] == 10
    with sqlite3.connect(db) as conn:
        contexts = dict(
            conn.execute(
                """SELECT context, count(*) FROM appearances ap JOIN articles a
               ON a.id = ap.article_id WHERE a.url = ? GROUP BY context""",
                (REPORT_AZ_ARTICLE,),
            ).fetchall()
        )
        assert contexts == {"article": 1, "latest": 1, "feed": 1, "listing": 1}
        sources = [row[0] for row in conn.execute("SELECT id FROM sources ORDER BY id")]
        assert sources == ["ccbsnews", "report_az"]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_second_run_adds_no_appearance(crawled):
    db, runs, _ = crawled
    second = by_source(runs[1])
    assert second["report_az"]["new_appearances"] == 0
    assert second["ccbsnews"]["new_appearances"] == 0
    assert second["report_az"]["headlines"] > 0
    with sqlite3.connect(db) as conn:
        assert conn.execute(
            "SELECT count(*) FROM appearances WHERE times_seen != 2"
        ).fetchone() == (0,)
        assert conn.execute("SELECT count(*), min(status) FROM crawls").fetchone() == (2, "ok")


def test_replay_reads_a_manifest_once_until_the_manifest_changes(tmp_path: Path) -> None:
    from newsmon.fixtures.replay import replay_fixtures

    fixtures = tmp_path / "fixtures"
    shutil.copytree(SEEDS, fixtures)
    first = replay_fixtures(fixtures)
    assert replay_fixtures(fixtures) is first  # every handler of the crawl shares it

    manifest = json.loads((fixtures / "manifest.json").read_text(encoding="utf-8"))
    robots = [entry for entry in manifest["fixtures"] if entry["url"].endswith("/robots.txt")]
    (fixtures / "manifest.json").write_text(json.dumps({"fixtures": robots}), encoding="utf-8")
    again = replay_fixtures(fixtures)
    assert again is not first
    assert sorted(fixture.url for fixture in again.fixtures) == [
        "https://ccbsnews.info/robots.txt",
        "https://report.az/robots.txt",
    ]


def test_fixtures_of_one_manifest_share_their_equal_sources_and_headers() -> None:
    from newsmon.fixtures.manifest import FixtureSet

    fixtures = FixtureSet.load(SEEDS).fixtures
    maps: dict[tuple[tuple[str, str], ...], set[int]] = {}
    for fixture in fixtures:
        maps.setdefault(tuple(fixture.headers.items()), set()).add(id(fixture.headers))
    assert len(maps) < len(fixtures)  # some pages have equal headers…
    assert all(len(copies) == 1 for copies in maps.values())  # …and they share one map
    assert len({id(fixture.source) for fixture in fixtures if fixture.source == "report_az"}) == 1


def test_every_stored_item_is_counted_as_scraped(tmp_path: Path) -> None:
    run = newsmon(
        "crawl", "--replay", "seeds", "--db", str(tmp_path / "newsmon.db"), "--json",
        "-s", "LOG_LEVEL=INFO",
    )  # fmt: skip
    stored = sorted(source["articles"] + source["headlines"] for source in by_source(run).values())
    dumps = run.stderr.split("Dumping Scrapy stats:")[1:]
    assert len(dumps) == 2  # one per spider
    scraped = sorted(int(dump.split("'item_scraped_count': ")[1].split(",")[0]) for dump in dumps)
    assert scraped == stored == [31, 34]
    # The rest of Scrapy's core stats is still kept.
    assert all("'start_time':" in dump and "'finish_reason': 'finished'" in dump for dump in dumps)


def test_a_manifest_is_read_entry_by_entry_as_json_reads_it(tmp_path: Path) -> None:
    from newsmon.fixtures.manifest import FixtureSet

    entries = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))["fixtures"]
    shutil.copytree(SEEDS, tmp_path / "copy")
    # Other keys before and after the list, any spacing, text with escapes and non-ASCII.
    text = json.dumps(
        {"note": {"fixtures": ["not", "these"]}, "fixtures": entries, "by": "Zəhra \u201cQ\u201d"},
        indent="\t",
        ensure_ascii=True,
    )
    (tmp_path / "copy" / "manifest.json").write_text(f" \n{text}\r\n", encoding="utf-8")

    read = FixtureSet.load(tmp_path / "copy").fixtures
    assert [(fixture.url, fixture.file, fixture.headers) for fixture in read] == [
        (entry["url"], entry["file"], entry.get("headers", {})) for entry in entries
    ]
    assert read == FixtureSet.load(SEEDS).fixtures


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ('{"fixtures": [', "unreadable manifest: Expecting value: line 1 column 15 (char 14)"),
        ('{"fixtures": [] "x": 1}', "unreadable manifest: expected ',' or '}' at character 16"),
        ('{"fixtures": []} []', "unreadable manifest: extra data at character 17"),
        ("not json", "unreadable manifest: Expecting value: line 1 column 1 (char 0)"),
        ("[1, 2]", "expected an object with a 'fixtures' list"),
        ('{"fixtures": {"a": 1}}', "expected an object with a 'fixtures' list"),
        ("{}", "expected an object with a 'fixtures' list"),
        ('{"fixtures": [7]}', "entry 1: expected an object"),
    ],
)
def test_a_broken_manifest_is_refused_in_one_line(tmp_path: Path, text: str, error: str) -> None:
    from newsmon.fixtures.manifest import FixtureError, FixtureSet

    (tmp_path / "manifest.json").write_text(text, encoding="utf-8")
    with pytest.raises(FixtureError) as raised:
        FixtureSet.load(tmp_path)
    assert str(raised.value).startswith(f"{tmp_path / 'manifest.json'}: {error}")


def test_pages_never_captured_are_counted_and_logged_once_at_info(tmp_path: Path) -> None:
    log = tmp_path / "crawl.log"
    quiet = newsmon("crawl", "--replay", "seeds", "--db", str(tmp_path / "a.db"))
    verbose = newsmon(
        "crawl", "--replay", "seeds", "--db", str(tmp_path / "b.db"), "--log", str(log), "-v"
    )
    assert (quiet.returncode, quiet.stderr, verbose.returncode) == (0, "", 0)
    assert quiet.stdout.splitlines()[-1] == (
        "total: 26 pages, 63 headlines, 22 new headlines, 63 new appearances, 0 errors, 18 missing"
    )
    lines = [line.split(" ", 3)[3] for line in log.read_text().splitlines() if "fixture" in line]
    uncaptured = [line.split()[5] for line in lines]
    assert len(lines) == len(set(uncaptured)) == 18
    assert all(line.startswith("INFO: replay: no fixture for https://") for line in lines)
