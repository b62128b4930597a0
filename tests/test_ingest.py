"""`newsmon ingest`: every line another scraper writes is stored, skipped by number or stored
without the one field that cannot be read; no source id it gives can reach a terminal raw."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.crawl.ingest import ingest
from newsmon.store import Store
from newsmon.watch.watches import add_watch

ID_RULE = "must be lower-case letters, digits, '_' or '-' (starting with a letter or digit)"
# What a hostile source name tries: retitle the terminal (OSC 0 … BEL), reverse the line.
HOSTILE_SOURCE = "\u001b]0;pwned\u0007evil\u202e"
UNPRINTABLE = ("\x1b", "\x07", "\x0b", "\u202e")


def line(url: str, title: str, **fields: object) -> bytes:
    return json.dumps({"url": url, "title": title, **fields}).encode() + b"\n"


def run_ingest(tmp_path: Path, content: bytes, *options: str) -> tuple[object, Path]:
    path, db = tmp_path / "items.jsonl", tmp_path / "ingest.db"
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", str(db), *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result, db


def reports(stderr: str) -> list[str]:
    """The lines about skipped lines and fields left out."""
    return [text for text in stderr.splitlines() if text.startswith("line ")]


def stored_publication(db: Path) -> dict[str, tuple[str | None, str | None, str | None]]:
    with Store.open(db) as store:
        rows = store.rows(
            "SELECT u.url, a.published_at, a.published_date, a.published_basis "
            "FROM articles a JOIN article_urls u ON u.article_id = a.id ORDER BY u.url"
        )
    return {
        row["url"]: (row["published_at"], row["published_date"], row["published_basis"])
        for row in rows
    }


def test_lines_that_would_crash_the_reader_are_skipped_or_stored_without_the_bad_field(tmp_path):
    content = b"".join(
        [
            line("https://news.example/1", "First good line"),
            b"[" * 100_000 + b"]" * 100_000 + b"\n",
            line("https://news.example/3", "Year one", published_at="0001-01-01T00:00:00+14:00"),
            line("https://news.example/4", "Far future number", published_at=1e308),
            line("https://news.example/5", "Not a number", published_at=float("nan")),
            line("https://news.example/6", "Source as object", source={"a": 1}),
            b'\xff\xfe{"url": "https://news.example/7", "title": "UTF-16 bytes"}\n',
            line("https://news.example/8", "Lone surrogate \ud800 in a title"),
            line("https://news.example/9", "Last good line"),
        ]
    )
    result, db = run_ingest(tmp_path, content)
    assert result.exit_code == 0
    assert reports(result.stderr) == [
        "line 2: skipped: not read: JSON nested too deeply",
        "line 3: published_at '0001-01-01T00:00:00+14:00' left out: year 1 is out of range",
        "line 4: published_at 1e+308 left out: out of range as epoch seconds",
        "line 5: published_at NaN left out: not a finite number",
        f'line 6: source {{"a": 1}} left out: a source id {ID_RULE}; stored as news_example',
        "line 7: skipped: not UTF-8 (byte 0xff at column 1)",
    ]
    assert result.stdout.splitlines()[-1] == (
        "crawl 1 (ingest): 7 items from 9 lines, 7 new headlines, 7 new appearances, "
        "2 lines skipped, 4 fields left out"
    )
    with Store.open(db) as store:
        titles = [row[0] for row in store.conn.execute("SELECT title FROM articles ORDER BY id")]
        crawl = store.one("SELECT status, summary FROM crawls WHERE id = 1")
    assert titles == [
        "First good line",
        "Year one",
        "Far future number",
        "Not a number",
        "Source as object",
        "Lone surrogate in a title",
        "Last good line",
    ]
    assert crawl[0] == "ok"
    assert json.loads(crawl[1])["skipped"] == 2


def test_every_date_form_other_scrapers_write_is_stored_and_a_bad_optional_field_is_left_out(
    tmp_path,
):
    """Read with --tz Asia/Baku (UTC+4): naive times are Baku times, dates are Baku dates."""
    content = b"".join(
        [
            line("https://news.example/date", "Date only", published_at="2025-10-09"),
            line("https://news.example/naive", "Naive time", published_at="2025-10-09T10:00:00"),
            line("https://news.example/zoned", "Zoned", published_at="2025-10-08T22:30:00-02:00"),
            line(
                "https://news.example/rfc",
                "RFC 2822",
                published_at="Thu, 09 Oct 2025 10:00:00 +0400",
            ),
            line(
                "https://news.example/rfc-naive",
                "RFC 2822 without a zone",
                published_at="Thu, 09 Oct 2025 10:00:00",
            ),
            line("https://news.example/epoch", "Epoch seconds", published_at=1760004000),
            line("https://news.example/epoch-text", "Epoch text", published_at="1760004000.5"),
            line("https://news.example/epoch-ms", "Epoch milliseconds", published_at=1760004000000),
            line("https://news.example/bad", "Not a date", published_at="not a date"),
            line(
                "https://news.example/lang",
                "A number for a language",
                published_at="2025-10-09T10:00:00Z",
                lang=7,
            ),
        ]
    )
    result, db = run_ingest(tmp_path, content, "--tz", "Asia/Baku")
    assert result.exit_code == 0
    assert reports(result.stderr) == [
        "line 9: published_at 'not a date' left out: not a date or time",
        "line 10: lang 7 left out: expected text, not a number",
    ]
    assert result.stdout.splitlines()[-1] == (
        "crawl 1 (ingest): 10 items from 10 lines, 10 new headlines, 10 new appearances, "
        "0 lines skipped, 2 fields left out, 2 times without a zone read as Asia/Baku (--tz)"
    )
    ten_utc = ("2025-10-09T10:00:00+00:00", "2025-10-09", "exact")
    assert stored_publication(db) == {
        "https://news.example/date": (None, "2025-10-09", "date_only"),
        "https://news.example/naive": ("2025-10-09T06:00:00+00:00", "2025-10-09", "exact"),
        "https://news.example/zoned": ("2025-10-09T00:30:00+00:00", "2025-10-09", "exact"),
        "https://news.example/rfc": ("2025-10-09T06:00:00+00:00", "2025-10-09", "exact"),
        "https://news.example/rfc-naive": ("2025-10-09T06:00:00+00:00", "2025-10-09", "exact"),
        "https://news.example/epoch": ten_utc,
        "https://news.example/epoch-text": ten_utc,
        "https://news.example/epoch-ms": ten_utc,
        "https://news.example/bad": (None, None, None),
        "https://news.example/lang": ten_utc,
    }


def test_only_an_unusable_url_or_title_skips_a_line(tmp_path):
    with Store.open(tmp_path / "fields.db") as store:
        result = ingest(
            store,
            [
                json.dumps({"title": "No URL"}),
                json.dumps({"url": "https://news.example/t", "title": ["a", "list"]}),
                json.dumps(
                    {
                        "url": "https://news.example/fields",
                        "title": "Every optional field unreadable",
                        "context": "front page",
                        "page_url": "javascript:alert(1)",
                        "section": {"name": "World"},
                        "position": -1,
                        "seen_at": "2025-10-09",
                        "published_date": "9 Oct",
                        "published_basis": "guess",
                    }
                ),
            ],
        )
        row = store.one(
            "SELECT ap.context, ap.page_url, ap.section, h.title FROM appearances ap "
            "JOIN headlines h ON h.id = ap.headline_id"
        )
    assert result.skipped == [(1, "missing or invalid 'url'"), (2, "missing or empty 'title'")]
    assert result.warnings == [
        (3, "page_url 'javascript:alert(1)' left out: not an http(s) URL"),
        (
            3,
            "context 'front page' left out: expected one of article, latest, sidebar, "
            "listing, feed, alternate, ingest, sitemap",
        ),
        (3, 'section {"name": "World"} left out: expected text, not an object'),
        (3, "position -1 left out: expected a whole number from 0"),
        (3, "published_date '9 Oct' left out: not a date (YYYY-MM-DD)"),
        (
            3,
            "published_basis 'guess' left out: expected one of exact, page_date, fetch_time, "
            "date_only",
        ),
        (3, "seen_at '2025-10-09' left out: a date without a time of day"),
    ]
    assert tuple(row) == (
        "ingest",
        "https://news.example/fields",
        None,
        "Every optional field unreadable",
    )


def test_an_unknown_time_zone_is_one_error_line_before_anything_is_stored(tmp_path):
    result, db = run_ingest(tmp_path, line("https://news.example/1", "One"), "--tz", "Mars/Base")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Error: unknown time zone 'Mars/Base'"
    with Store.open(db) as store:
        assert store.one("SELECT count(*) FROM crawls")[0] == 0


def test_a_source_name_cannot_carry_control_characters_to_terminals(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSMON_CONFIG", raising=False)
    db = tmp_path / "ingest.db"
    with Store.open(db) as store:
        add_watch(store, "defense", "defense")
    content = line("https://news.example/d", "Azerbaijan defense talks", source=HOSTILE_SOURCE)
    result, _ = run_ingest(tmp_path, content)
    assert reports(result.stderr) == [
        "line 1: source '\\x1b]0;pwned\\x07evil\\u202e' left out: "
        f"a source id {ID_RULE}; stored as news_example"
    ]
    runner = CliRunner(env={"COLUMNS": "200"})  # the sources table is wide
    for command in (["new"], ["sources"], ["stories"]):
        shown = runner.invoke(cli, [*command, "--db", str(db)])
        assert shown.exit_code == 0, shown.output
        assert "news_example" in shown.stdout
        assert not any(character in shown.output for character in UNPRINTABLE), command


@pytest.mark.parametrize(
    ("bad_line", "stored"),
    [
        ("[" * 100_000 + "]" * 100_000, ["First", "Third"]),
        (line("https://news.example/2", "Second", published_at="0001-01-01T00:00:00+14:00"), None),
        (line("https://news.example/2", "Second", published_at=1e308), None),
        (line("https://news.example/2", "Second", published_at=float("nan")), None),
        (line("https://news.example/2", "Second", source={"a": 1}), None),
        (b'\xff\xfe{"url": "https://news.example/2", "title": "Second"}', ["First", "Third"]),
    ],
    ids=["deep", "year-1", "1e308", "nan", "source-object", "utf-16-bytes"],
)
def test_one_bad_line_never_stops_the_run(tmp_path, bad_line, stored):
    lines = [
        line("https://news.example/1", "First"),
        bad_line,
        line("https://news.example/3", "Third"),
    ]
    with Store.open(tmp_path / "one.db") as store:
        ingest(store, [one if isinstance(one, bytes) else one.encode() for one in lines])
        titles = [row[0] for row in store.conn.execute("SELECT title FROM articles ORDER BY id")]
        status = store.one("SELECT status FROM crawls")[0]
    assert titles == (stored or ["First", "Second", "Third"])
    assert status == "ok"


def test_a_run_stopped_midway_is_marked_failed_not_left_running(tmp_path):
    def lines():
        yield line("https://news.example/1", "First")
        raise OSError("Input/output error")

    with Store.open(tmp_path / "stopped.db") as store:
        with pytest.raises(OSError, match="Input/output error"):
            ingest(store, lines())
        crawl = store.one("SELECT status, finished_at FROM crawls")
    assert crawl[0] == "failed"
    assert crawl[1] is not None
