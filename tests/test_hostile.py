"""The hostile web: every case of tests/hostile/cases.toml served to a real crawl.

Two crawls serve them all (in parallel, each with its own local server standing in for the
sites): "articles" replaces report.az's feed with one linking every hostile article page (and
the seed article, which must still be stored); "feeds" gives a configured source every hostile
feed and sitemap, and replaces report.az's listing. In both, the seed sites' other pages are
served as they are and must be stored as usual. Every case must end in its one log line (or be
repaired silently), leave the store as `[case.stored]` says, and never in a traceback.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse

from newsmon.extract.article import extract_article
from newsmon.extract.feeds import feed_headlines
from newsmon.extract.readable import decode_body
from newsmon.items import ArticleItem, HeadlineItem, PageItems
from newsmon.middlewares.page_output import PageOutputMiddleware
from newsmon.normalize.text import clean_text, shorten
from newsmon.normalize.urls import canonical_url
from newsmon.pipelines.normalize import normalize
from newsmon.sites import all_sites
from newsmon.sites.base import Page
from tests.conftest import SEEDS
from tests.fixture_server import Answer, FixtureServer, Override
from tests.helpers import FAST, newsmon
from tests.hostile.generators import BODIES, GENERATORS, Context

CASES_FILE = Path(__file__).parent / "hostile" / "cases.toml"
SEED_ARTICLE = "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
HOSTILE_FEED = "https://report.az/en/rss/"
SEED_FEED_PAGE = "https://report.az/en/rss"  # as stored: canonical, without the slash
HOSTS = ("report.az", "ccbsnews.info", "feeds.hostile.test")
# Settings of both crawls: quick retries, no politeness delays, and a size limit a slow machine
# reaches well within the timeout. The stalls and silent servers are all in the "articles"
# crawl, which times out quickly; the "feeds" crawl, whose server shares this process with the
# other one's 50 MB answers, waits longer, so that only the cases, never a busy machine, make
# it ask for a page twice.
MAXSIZE = 2 * 1024 * 1024
DOWNLOAD_TIMEOUTS = {"articles": 2, "feeds": 15}
HOSTILE_SETTINGS = (
    *FAST,
    *("-s", f"DOWNLOAD_MAXSIZE={MAXSIZE}"),
    *("-s", f"DOWNLOAD_WARNSIZE={MAXSIZE // 2}"),
    *("-s", "RETRY_TIMES=1"),
    *("-s", "NEWSMON_RETRY_BACKOFF=0.1"),
    *("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"),
)
# A crawl that takes longer than this is stuck.
RUN_TIMEOUT = 60
LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[[\w.]+\] (DEBUG|INFO|WARNING|ERROR|CRITICAL): "
)


@dataclass(frozen=True)
class Case:
    """One hostile answer and what newsmon must make of it."""

    id: str
    run: str
    role: str
    url: str
    log: str
    stored: dict[str, Any]
    body: str | None = None
    generator: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    def answers(self, context: Context) -> dict[str, Override]:
        """What the server answers, by URL."""
        if self.generator is not None:
            made = GENERATORS[self.generator](context)
            return made if isinstance(made, dict) else {self.url: made}
        body = (BODIES / self.body).read_bytes() if self.body else b""
        return {self.url: Answer(self.status, body, self.headers)}

    def log_pattern(self) -> re.Pattern[str]:
        """The expected log line, with `{url}` standing for the escaped URL."""
        return re.compile(self.log.replace("{url}", re.escape(self.url)))


def load_cases() -> list[Case]:
    """The cases of tests/hostile/cases.toml."""
    data = tomllib.loads(CASES_FILE.read_text(encoding="utf-8"))
    return [Case(**entry) for entry in data["case"]]


CASES = load_cases()


def article_feed(cases: list[Case]) -> bytes:
    """An RSS feed for report.az linking every article case, and the seed article."""
    urls = [case.url for case in cases if case.role == "article"] + [SEED_ARTICLE]
    items = "".join(
        f"<item><title>Hostile case {url.rsplit('/', 1)[1]}</title><link>{url}</link></item>"
        for url in urls
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Hostile report.az</title><link>https://report.az/en/</link>{items}"
        "</channel></rss>"
    ).encode()


def feeds_config(cases: list[Case]) -> str:
    """The sources file of the "feeds" crawl: one configured source with every feed case."""
    feeds = [case.url for case in cases if case.role == "feed"]
    sitemaps = [case.url for case in cases if case.role == "sitemap"]
    return (
        "[[sources]]\n"
        'id = "hostile"\n'
        'name = "Hostile feeds"\n'
        'home_url = "https://feeds.hostile.test/"\n'
        f"feeds = {json.dumps(feeds)}\n"
        f"sitemaps = {json.dumps(sitemaps)}\n"
    )


@dataclass
class Crawl:
    """One finished hostile crawl."""

    name: str
    db: Path
    log: str
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    requests: dict[str, int]

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with closing(sqlite3.connect(self.db)) as conn:
            return conn.execute(sql, params).fetchall()


def run_crawl(name: str, cases: list[Case], directory: Path, secret: Path) -> Crawl:
    """Serve the seeds with `cases` in place and crawl them with the real command."""
    directory.mkdir()
    server = FixtureServer(SEEDS)
    stop = threading.Event()
    for case in cases:
        context = Context(case.url, server.address, secret, stop)
        server.overrides.update(case.answers(context))
    args = ["crawl", "--db", str(directory / "hostile.db"), "--log", str(directory / "crawl.log")]
    if name == "articles":
        server.overrides[HOSTILE_FEED] = Answer(
            200, article_feed(cases), {"Content-Type": "application/rss+xml"}
        )
        args += ["report_az", "ccbsnews"]
    else:
        config = directory / "newsmon.toml"
        config.write_text(feeds_config(cases), encoding="utf-8")
        args += ["--config", str(config)]
    server.start()
    started = time.monotonic()
    try:
        result = newsmon(
            *args,
            "--json",
            *HOSTILE_SETTINGS,
            *("-s", f"DOWNLOAD_TIMEOUT={DOWNLOAD_TIMEOUTS[name]}"),
            env={"NEWSMON_RESOLVE": server.resolve_env(*HOSTS)},
            timeout=RUN_TIMEOUT,
        )
    finally:
        stop.set()
        server.stop()
    return Crawl(
        name,
        directory / "hostile.db",
        (directory / "crawl.log").read_text(encoding="utf-8"),
        result.returncode,
        result.stdout,
        result.stderr,
        time.monotonic() - started,
        dict(server.requests),
    )


@pytest.fixture(scope="module")
def secret(tmp_path_factory) -> Path:
    """A file an XML entity or a redirect could try to read; its marker must never leak."""
    path = tmp_path_factory.mktemp("secret") / "secret.txt"
    path.write_text("NEWSMON-SECRET-7f3a9c\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def crawls(tmp_path_factory, secret) -> dict[str, Crawl]:
    """Both hostile crawls, run at the same time."""
    base = tmp_path_factory.mktemp("hostile")
    names = sorted({case.run for case in CASES})
    with ThreadPoolExecutor(len(names)) as pool:
        futures = {
            name: pool.submit(
                run_crawl, name, [c for c in CASES if c.run == name], base / name, secret
            )
            for name in names
        }
        return {name: future.result() for name, future in futures.items()}


def test_the_corpus_is_large_and_every_case_is_served():
    assert len(CASES) >= 40
    assert len({case.id for case in CASES}) == len(CASES)
    for case in CASES:
        assert (case.body is None) != (case.generator is None) or case.status in (301, 302)
        assert case.body is None or (BODIES / case.body).is_file(), case.id
        assert case.generator is None or case.generator in GENERATORS, case.id


@pytest.mark.parametrize("name", ["articles", "feeds"])
def test_each_crawl_finishes_in_time_without_a_traceback(crawls, name):
    crawl = crawls[name]
    assert crawl.returncode == 0, crawl.stderr
    assert crawl.seconds < RUN_TIMEOUT
    assert "Traceback" not in crawl.log
    assert "Traceback" not in crawl.stderr
    assert [line for line in crawl.log.splitlines() if not LOG_LINE.match(line)] == []


@pytest.mark.parametrize("name", ["articles", "feeds"])
def test_the_healthy_pages_are_still_stored(crawls, name):
    crawl = crawls[name]
    summary = {source["source"]: source for source in json.loads(crawl.stdout)["sources"]}
    assert summary["report_az"]["status"] == "ok"
    assert summary["ccbsnews"]["status"] == "ok"
    stored = crawl.rows("SELECT url FROM articles WHERE fetched_at IS NOT NULL")
    assert (SEED_ARTICLE,) in stored
    assert ("https://ccbsnews.info/en/news/detail/3293",) in stored
    # The seed listing of ccbsnews has 11 entries; report.az's seed feed 9.
    listing = crawl.rows(
        "SELECT count(*) FROM appearances WHERE page_url = 'https://ccbsnews.info/en/news'"
    )
    assert listing == [(11,)]
    if name == "feeds":
        assert crawl.rows(
            "SELECT count(*) FROM appearances WHERE page_url = ?", (SEED_FEED_PAGE,)
        ) == [(9,)]


def test_no_secret_reaches_the_store_or_the_log(crawls, secret):
    marker = secret.read_text().strip()
    for crawl in crawls.values():
        assert marker not in crawl.log
        for path in crawl.db.parent.glob("hostile.db*"):
            assert marker.encode() not in path.read_bytes()


def test_parsers_fetch_no_external_entity_or_dtd(crawls):
    requested = {url for crawl in crawls.values() for url in crawl.requests}
    assert not [url for url in requested if url.endswith((".dtd", "/remote.dtd"))]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_case(crawls, case):
    crawl = crawls[case.run]
    if case.log:
        pattern = case.log_pattern()
        matching = [line for line in crawl.log.splitlines() if pattern.search(line)]
        about = [line for line in crawl.log.splitlines() if case.url in line]
        assert matching, f"no log line matches {pattern.pattern!r}; about the page: {about}"
    check_stored(crawl, case)


def check_stored(crawl: Crawl, case: Case) -> None:
    """The store holds what `[case.stored]` says."""
    expected = dict(case.stored)
    requested_url = expected.pop("requested_url", case.url)
    if "requests" in expected:
        assert crawl.requests.get(requested_url, 0) == expected.pop("requests")
    if "article" in expected:
        url = expected.pop("article_url", case.url)
        rows = crawl.rows(
            """SELECT a.title, a.published_at, a.published_date, a.lang FROM articles a
               JOIN article_urls u ON u.article_id = a.id
               WHERE u.url = ? AND a.fetched_at IS NOT NULL""",
            (url,),
        )
        assert bool(rows) == expected.pop("article"), rows
        if rows:
            title, published_at, published_date, lang = rows[0]
            if "title" in expected:
                assert title == expected.pop("title")
            if "title_max_length" in expected:
                assert len(title) <= expected.pop("title_max_length")
            if "title_suffix" in expected:
                assert title.endswith(expected.pop("title_suffix"))
            if "published_at" in expected:
                assert (published_at or "") == expected.pop("published_at")
            if "published_date" in expected:
                assert (published_date or "") == expected.pop("published_date")
            if "lang" in expected:
                assert lang == expected.pop("lang")
    appearances = crawl.rows(
        """SELECT h.title, ap.published_at FROM appearances ap
           JOIN headlines h ON h.id = ap.headline_id WHERE ap.page_url = ?
           AND ap.context != 'article' ORDER BY h.title""",
        (canonical_url(case.url),),
    )
    if "headlines" in expected:
        assert len(appearances) == expected.pop("headlines")
    if "titles" in expected:
        assert [title for title, _ in appearances] == expected.pop("titles")
    if "titles_max_length" in expected:
        limit = expected.pop("titles_max_length")
        assert all(len(title) <= limit for title, _ in appearances)
    if "dated" in expected:
        assert [title for title, when in appearances if when] == expected.pop("dated")
    assert expected == {}, f"unknown expectations {expected}"


def hostile_bodies(secret: Path) -> list[tuple[str, bytes, str]]:
    """(case id, body, Content-Type) of every case with a body, generated ones included."""
    bodies = []
    for case in CASES:
        context = Context(case.url, "127.0.0.1:9", secret, threading.Event())
        for answer in case.answers(context).values():
            if isinstance(answer, Answer) and answer.body:
                content_type = answer.headers.get("Content-Type", "text/html")
                bodies.append((case.id, answer.body, content_type))
    return bodies


# Bodies larger than this (10,000 links, 100,000 levels, gzip bombs) are only read in the
# crawls above, where the download and page limits bound them; in-process they take seconds.
IN_PROCESS_MAX_BYTES = 256 * 1024


def test_every_parser_reads_every_hostile_body_without_raising(secret, caplog):
    """Site parsers, the generic extractor and the feed reader never raise on garbage: what
    they cannot read stays empty."""
    fetched_at = datetime(2026, 3, 3, 10, 45, tzinfo=UTC)
    for case_id, body, content_type in hostile_bodies(secret):
        if len(body) > IN_PROCESS_MAX_BYTES:
            continue
        decoded = decode_body(body, content_type)
        list(
            feed_headlines(
                body,
                "https://x.test/feed",
                source="x",
                tz="UTC",
                fetched_at="2026-03-03T10:45:00+00:00",
            )
        )
        if decoded.text is None:
            continue
        for site in all_sites().values():
            page = Page.from_html(f"https://x.test/{case_id}", decoded.text, fetched_at, site.id)
            parser = site.parser_for(fetched_at)
            list(parser.parse_article(page))
            list(parser.parse_listing(page))
        extract_article(f"https://x.test/{case_id}", decoded.text, fetched_at, source="x")
    assert "Traceback" not in caplog.text


MANIFEST_ESCAPES = {
    "parent-directory": "../outside.html",
    "absolute-path": "/etc/passwd",
    "symlink-out": "report_az/link.html",
}


@pytest.mark.parametrize("escape", sorted(MANIFEST_ESCAPES))
@pytest.mark.parametrize("command", ["crawl", "run"])
def test_replay_refuses_a_manifest_entry_outside_its_directory(tmp_path, command, escape):
    fixtures = tmp_path / "fixtures"
    (fixtures / "report_az").mkdir(parents=True)
    (tmp_path / "outside.html").write_text("<html>outside</html>", encoding="utf-8")
    (fixtures / "report_az" / "link.html").symlink_to(tmp_path / "outside.html")
    entry = {
        "url": "https://report.az/en/rss/",
        "file": MANIFEST_ESCAPES[escape],
        "source": "report_az",
        "fetched_at": "2026-03-03T10:45:00+00:00",
    }
    (fixtures / "manifest.json").write_text(json.dumps({"fixtures": [entry]}), encoding="utf-8")
    db = tmp_path / "newsmon.db"
    result = newsmon(
        command, "--replay", str(fixtures), "--db", str(db), "--log", str(tmp_path / "run.log")
    )
    assert result.returncode != 0
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert re.fullmatch(r"Error: .*manifest\.json: entry 1: .*(outside|relative).*", lines[0])
    assert not db.exists()


# The repairs behind the cases, one by one -----------------------------------------------------


def test_clean_text_drops_invisible_characters_inside_words():
    # soft hyphens (German headlines' "Bundes&shy;regierung"), zero-width spaces, word
    # joiners and byte order marks; not the zero-width non-joiner Persian words need
    assert clean_text("Bundes\u00adregierung be\u200bschließt\u2060 das\ufeff Gesetz") == (
        "Bundesregierung beschließt das Gesetz"
    )
    assert clean_text("می\u200cخواهم") == "می\u200cخواهم"


def test_clean_text_drops_terminal_controls_and_direction_overrides():
    assert clean_text("Parliament \x1b[2J\x1b[31mapproves\x07 the\u202e budget\x00") == (
        "Parliament [2J[31mapproves the budget"
    )
    assert clean_text("Azərbaycan\tvə\nTürkiyə") == "Azərbaycan və Türkiyə"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # UTF-8 read as Latin-1, as a page's own <title> carried it
        ("Own Bed | JOHNSON\u00e2\u0080\u0099S\u00c2\u00ae", "Own Bed | JOHNSON\u2019S\u00ae"),
        ("sanci\u00c3\u00b3n", "sanci\u00f3n"),  # the same, read as Windows-1252 too
        ("\u00e2\u20ac\u0153Quoted\u00e2\u20ac\u009d", "\u201cQuoted\u201d"),
        (
            "\u00d0\u009c\u00d0\u00be\u00d1\u0081\u00d0\u00ba\u00d0\u00b2\u00d0\u00b0",
            "\u041c\u043e\u0441\u043a\u0432\u0430",
        ),
        ("\u00f0\u0178\u02dc\u20ac", "\U0001f600"),
        # text that only looks like it stays as it is
        ("canci\u00f3n \u00bfqu\u00e9?", "canci\u00f3n \u00bfqu\u00e9?"),
        ("\u00d3\u00a1hola!", "\u00d3\u00a1hola!"),
        ("na\u00efve caf\u00e9 d\u00e9j\u00e0 vu", "na\u00efve caf\u00e9 d\u00e9j\u00e0 vu"),
    ],
)
def test_clean_text_mends_text_decoded_twice(text: str, expected: str) -> None:
    assert clean_text(text) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short title", 300, "short title"),
        ("one two three four five six", 20, "one two three four…"),
        ("onetwothreefour", 8, "onetwot…"),
    ],
)
def test_shorten_cuts_at_a_word_and_marks_the_cut(text, limit, expected):
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def headline(**fields: Any) -> HeadlineItem:
    values = {
        "source": "report_az",
        "title": "Baku hosts regional energy talks",
        "url": "https://report.az/en/region/talks",
        "page_url": "https://report.az/en/rss/",
        "context": "feed",
        "seen_at": "2026-03-03T10:45:00+00:00",
    }
    return HeadlineItem(**{**values, **fields})


@pytest.mark.parametrize(
    ("published_at", "published_date", "kept"),
    [
        ("2999-03-03T10:00:00+00:00", None, False),
        ("2026-03-04T10:00:00+00:00", None, True),  # within a day: a zone mix-up, not a lie
        ("2026-03-04T11:00:00+00:00", None, False),
        (None, "2026-03-06", False),
        (None, "2026-03-04", True),
    ],
)
def test_a_publication_time_after_the_fetch_is_not_trusted(
    published_at, published_date, kept, caplog
):
    item = normalize(headline(published_at=published_at, published_date=published_date))
    assert (item.published_at, item.published_date) == (
        (published_at, published_date or (published_at or "")[:10] or None)
        if kept
        else (None, None)
    )
    assert ("not trusted" in caplog.text) != kept


@pytest.mark.parametrize("published_at", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_a_publication_time_at_the_ends_of_the_calendar_is_dropped_from_its_item_alone(
    published_at, caplog
):
    item = normalize(headline(published_at=published_at, published_date=published_at[:10]))
    assert (item.title, item.published_at, item.published_date) == (
        "Baku hosts regional energy talks",
        None,
        None,
    )
    assert caplog.messages == [
        f"https://report.az/en/rss: published_at unusable: {published_at} is out of range "
        "(newsmon reads dates from 0001-01-02 to 9999-12-30 in UTC); stored without"
    ]


def test_an_articles_modification_time_at_the_ends_of_the_calendar_is_dropped_alone(caplog):
    article = ArticleItem(
        source="report_az",
        url="https://report.az/en/region/talks",
        page_url="https://report.az/en/region/talks",
        fetched_at="2026-03-03T10:45:00+00:00",
        title="Baku hosts regional energy talks",
        published_at="2026-03-03T10:00:00+00:00",
        modified_at="9999-12-31T23:59:59-12:00",
    )
    item = normalize(article)
    assert (item.published_at, item.modified_at) == ("2026-03-03T10:00:00+00:00", None)
    assert caplog.messages == [
        "https://report.az/en/region/talks: modified_at unusable: 9999-12-31T23:59:59-12:00 is "
        "out of range (newsmon reads dates from 0001-01-02 to 9999-12-30 in UTC); stored without"
    ]


def test_titles_are_cut_to_the_configured_length(caplog):
    item = normalize(headline(title="word " * 100), max_title_length=40)
    assert len(item.title) <= 40 and item.title.endswith("…")
    assert "title of 499 characters cut to 40 (NEWSMON_MAX_TITLE_LENGTH)" in caplog.text


def feed_entry_dates(*dates: str) -> list[str | None]:
    items = "".join(
        f"<item><title>Entry {n}</title><link>https://x.test/{n}</link><pubDate>{date}</pubDate></item>"
        for n, date in enumerate(dates)
    )
    body = f'<rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()
    return [
        item.published_at
        for item in feed_headlines(
            body,
            "https://x.test/feed",
            source="x",
            tz="UTC",
            fetched_at="2026-03-03T10:45:00+00:00",
        )
    ]


def test_feed_dates_are_read_strictly_and_other_formats_still_work(caplog):
    assert feed_entry_dates(
        "2026-02-30T10:00:00Z",  # feedparser would say 2 March
        "2026-03-03T25:61:00Z",  # … and 4 March, 02:01
        "1772530000",  # … and the year 1772
        "Tue, 03 Mar 2026 14:34:00 +0400",
        "3 Mart 2026",  # Turkish, a format only feedparser knows
    ) == [None, None, None, "2026-03-03T10:34:00+00:00", "2026-03-03T00:00:00+00:00"]
    assert caplog.text.count("date unreadable") == 3


@pytest.mark.parametrize(
    ("body", "content_type", "text", "encoding", "problem"),
    [
        (
            "Министры обороны встретились в Москве и обсудили сотрудничество.".encode("cp1251"),
            "text/html; charset=utf-8",
            "Министры обороны",
            "cp1251",
            "not utf-8 as declared",
        ),
        (
            "<html lang=tr>Işık</html>".encode("cp1254"),
            "text/html",
            "Işık",
            "cp1254",
            "(the page is in tr)",
        ),
        ("<html>Ψ</html>".encode(), "text/html", "Ψ", "utf-8", None),
        (
            b"\xef\xbb\xbf<html>\xc9\x99</html>",
            "text/html; charset=iso-8859-1",
            "ə",
            "utf-8",
            "byte order mark",
        ),
        (
            b"<html>ok \xe2\x9c\x93 \xcf\xf0\xe8</html>",
            "text/html; charset=utf-8",
            "ok ✓",
            "utf-8",
            "3 bytes are not valid utf-8",
        ),
        (b"", "text/html", None, None, "empty page (0 bytes)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "text/html", None, None, "binary data served as text/html"),
        (b"<html>x</html>", "image/png", None, None, "not a text page (image/png)"),
        (
            b"<html><p>The talks went on in Baku until late. a\x00b\x07c</p></html>",
            "text/html",
            "abc",
            "utf-8",
            "2 control characters (NUL...) removed",
        ),
    ],
)
def test_bodies_are_decoded_whatever_they_claim(body, content_type, text, encoding, problem):
    decoded = decode_body(body, content_type, None)
    assert (decoded.text is None) == (text is None)
    if text is not None:
        assert text in decoded.text
    assert decoded.encoding == encoding
    if problem is None:
        assert decoded.problems == []
    else:
        assert [p for p in decoded.problems if problem in p], decoded.problems


def test_a_page_yields_at_most_the_limit(caplog):
    limit = PageOutputMiddleware(None, 3)
    response = HtmlResponse("https://report.az/en/news-feed/", body=b"<html></html>")
    output = [headline(title=f"Headline {n}") for n in range(10)]
    assert list(limit.process_spider_output(response, output)) == [
        PageItems("https://report.az/en/news-feed/", output[:3])
    ]
    assert "more than 3 headlines or links on one page" in caplog.text
