"""The generic spider: six invented outlets added by configuration alone (tests/generic_sites).

Each is built differently (see the comments in tests/generic_sites/sources.toml): RSS with
HTML descriptions, Atom, a sitemap index with a gzipped child found through robots.txt, a
Google News sitemap, listing pages read by the heuristics or by a link selector, allow/deny
patterns, a per-field selector. `expected.json` holds, per source, every appearance stored
as [context, title, url, page_url, published_at, published_date] and every article read.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from scrapy.http import Request, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from newsmon.config import parse_config
from newsmon.spiders.generic import GenericSpider
from tests.fixture_server import Answer, serving
from tests.helpers import FAST, ROOT, newsmon

SITES = ROOT / "tests" / "generic_sites"
CONFIG = SITES / "sources.toml"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (SITES / "expected.json").read_text(encoding="utf-8")
)
HOSTS = (
    "caspian-ledger.test",
    "www.egepostasi.test",
    "www.ortak-haber.test",
    "volga-vestnik.test",
    "www.northfield-courier.test",
    "www.harbortown-gazette.test",
    "karadeniz-gundem.test",
)


def stored(db: Path) -> dict[str, dict[str, list[Any]]]:
    """Per source: its appearances and the articles it read, as expected.json has them."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    result: dict[str, dict[str, list[Any]]] = {}
    for row in conn.execute(
        """SELECT ap.source_id AS source, ap.context, h.title, a.url, ap.page_url,
             ap.published_at, ap.published_date FROM appearances ap
           JOIN headlines h ON h.id = ap.headline_id JOIN articles a ON a.id = ap.article_id
           ORDER BY ap.source_id, ap.page_url, ap.context, a.url"""
    ):
        entry = result.setdefault(row["source"], {"appearances": [], "articles": []})
        entry["appearances"].append(list(row)[1:])
    for row in conn.execute(
        """SELECT source_id AS source, url, title, lang, published_at, published_date, section,
             authors, tags, lead, body, parser FROM articles WHERE parser IS NOT NULL
           ORDER BY source_id, url"""
    ):
        article = dict(row)
        source = article.pop("source")
        article.update(
            authors=json.loads(article["authors"]),
            tags=json.loads(article["tags"]),
            body=article["body"].split("\n\n"),
        )
        result[source]["articles"].append(article)
    conn.close()
    return result


def summary(run: Any) -> dict[str, dict[str, Any]]:
    assert run.returncode == 0, run.stderr
    return {source.pop("source"): source for source in json.loads(run.stdout)["sources"]}


# Replay: every source, from the fixtures ---------------------------------------------------


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, Path]:
    directory = tmp_path_factory.mktemp("generic")
    db, net_log = directory / "newsmon.db", directory / "network.log"
    run = newsmon(
        "crawl", "--replay", str(SITES), "--config", str(CONFIG), "--db", str(db), "--json",
        offline_log=net_log,
    )  # fmt: skip
    return db, run, net_log


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_each_source_stores_the_expected_headlines_and_articles(replayed, source: str) -> None:
    db, run, _ = replayed
    assert run.returncode == 0, run.stderr
    assert stored(db)[source] == EXPECTED[source]


def test_the_enabled_configured_sources_are_crawled_and_nothing_else(replayed) -> None:
    db, run, net_log = replayed
    # Missing pages would be URLs without a fixture: the only one is an article the
    # Northfield listing links to. Stale sitemap entries, the live blog (denied), the partner
    # site's article (offsite), the photo gallery and video links were never requested.
    assert summary(run) == {
        "caspian_ledger": {"pages": 4, "missing": 0, "errors": 0, "articles": 2, "headlines": 5,
                           "new_headlines": 4, "new_appearances": 5, "status": "ok"},
        "egepostasi": {"pages": 4, "missing": 0, "errors": 0, "articles": 2, "headlines": 5,
                       "new_headlines": 3, "new_appearances": 5, "status": "ok"},
        "harbortown_gazette": {"pages": 4, "missing": 0, "errors": 0, "articles": 2,
                               "headlines": 4, "new_headlines": 2, "new_appearances": 4,
                               "status": "ok"},
        "karadeniz_gundem": {"pages": 4, "missing": 0, "errors": 0, "articles": 2,
                             "headlines": 4, "new_headlines": 2, "new_appearances": 4,
                             "status": "ok"},
        "northfield_courier": {"pages": 7, "missing": 1, "errors": 0, "articles": 3,
                               "headlines": 8, "new_headlines": 4, "new_appearances": 8,
                               "status": "ok"},
        "volga_vestnik": {"pages": 7, "missing": 0, "errors": 0, "articles": 2, "headlines": 2,
                          "new_headlines": 2, "new_appearances": 2, "status": "ok"},
    }  # fmt: skip
    assert not net_log.exists(), net_log.read_text()
    with sqlite3.connect(db) as conn:
        sources = conn.execute("SELECT id, name, kind, tz FROM sources ORDER BY id").fetchall()
        crawl = conn.execute("SELECT spiders FROM crawls").fetchone()
    assert sources == [
        ("caspian_ledger", "Caspian Ledger", "generic", "Asia/Baku"),
        ("egepostasi", "Ege Postası", "generic", "Europe/Istanbul"),
        ("harbortown_gazette", "Harbor Town Gazette", "generic", "America/New_York"),
        ("karadeniz_gundem", "Karadeniz Gündem", "generic", "Europe/Istanbul"),
        ("northfield_courier", "Northfield Courier", "generic", "America/Chicago"),
        ("volga_vestnik", "Волжский вестник", "generic", "Europe/Samara"),
    ]
    assert json.loads(crawl[0]) == ["generic"]


def test_extraction_methods_follow_each_outlets_markup(replayed) -> None:
    """The article bodies: JSON-LD's articleBody, a configured selector, or the main text."""
    db, _, _ = replayed
    with sqlite3.connect(db) as conn:
        parsers = dict(conn.execute("SELECT url, parser FROM articles WHERE parser IS NOT NULL"))
    assert set(parsers.values()) == {"generic@1"}
    assert len(parsers) == 13


# Live: the same outlets served by a local stand-in, some sources chosen by id ---------------


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("generic-live") / "newsmon.db"
    with serving(SITES) as server:
        env = {"NEWSMON_RESOLVE": server.resolve_env(*HOSTS)}
        run = newsmon(
            "crawl", "caspian_ledger", "egepostasi", "harbortown_gazette", "karadeniz_gundem",
            "volga_vestnik", "--config", str(CONFIG), "--db", str(db), "--json", *FAST, env=env,
        )  # fmt: skip
    return db, run, server


def test_live_crawl_of_chosen_sources_stores_what_replay_stores(live) -> None:
    db, run, server = live
    assert sorted(summary(run)) == [
        "caspian_ledger",
        "egepostasi",
        "harbortown_gazette",
        "karadeniz_gundem",
        "volga_vestnik",
    ]
    result = stored(db)
    for source in ("caspian_ledger", "egepostasi", "harbortown_gazette"):
        assert result[source] == EXPECTED[source]
    # Fetched now, the tea price article's date (30 April 2026) is no longer in the future,
    # so it is kept; everything else is what replay stores.
    karadeniz, expected = result["karadeniz_gundem"], EXPECTED["karadeniz_gundem"]
    assert [row[:4] for row in karadeniz["appearances"]] == [
        row[:4] for row in expected["appearances"]
    ]
    assert [article["url"] for article in karadeniz["articles"]] == [
        article["url"] for article in expected["articles"]
    ]
    assert not any("northfield" in url for url in server.requests)


def test_live_crawl_requests_only_what_the_sources_allow(live) -> None:
    _, _, server = live
    requested = set(server.requests)
    assert "https://caspian-ledger.test/live/2026/03/03/caspian-summit-ashgabat" not in requested
    assert not any("foto-galeri" in url or "/video/" in url for url in requested)
    assert not any("ortak-haber" in url for url in requested)
    assert server.requests["https://caspian-ledger.test/rss"] == 1
    # Against the live clock every child sitemap of the index is months old: none is fetched.
    volga = sorted(url for url in requested if "volga-vestnik" in url)
    assert volga == [
        "https://volga-vestnik.test/robots.txt",
        "https://volga-vestnik.test/sitemap.xml",
    ]
    assert server.requests["https://volga-vestnik.test/robots.txt"] == 2  # robots rules, sitemaps


# Private addresses ---------------------------------------------------------------------------

LOCAL_CONFIG = """
[[sources]]
id = "local_allowed"
home_url = "http://127.0.0.1:{port}/"
feeds = ["http://127.0.0.1:{port}/feed.xml"]
allow_private_addresses = true

[[sources]]
id = "local_refused"
home_url = "http://localhost:{port}/"
feeds = ["http://localhost:{port}/feed.xml"]
"""
LOCAL_FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>
<item><title>Council publishes the draft budget for next year</title>
<link>http://127.0.0.1:{port}/news/2026/03/03/draft-budget</link></item>
</channel></rss>"""
LOCAL_ARTICLE = """<html lang="en"><head><title>Council publishes the draft budget</title>
<meta property="article:published_time" content="2026-03-03T09:00:00+00:00"></head>
<body><article><h1>Council publishes the draft budget for next year</h1>
<p>The council published its draft budget on Tuesday, with spending up four percent.</p>
</article></body></html>"""


@pytest.fixture(scope="module")
def private_crawl(tmp_path_factory: pytest.TempPathFactory):
    directory = tmp_path_factory.mktemp("private")
    with serving(SITES) as server:
        port = server.port
        for host in (f"127.0.0.1:{port}", f"localhost:{port}"):
            server.overrides[f"https://{host}/feed.xml"] = Answer(
                200, LOCAL_FEED.format(port=port).encode(), {"Content-Type": "application/rss+xml"}
            )
        server.overrides[f"https://127.0.0.1:{port}/news/2026/03/03/draft-budget"] = Answer(
            200, LOCAL_ARTICLE.encode(), {"Content-Type": "text/html; charset=utf-8"}
        )
        config = directory / "local.toml"
        config.write_text(LOCAL_CONFIG.format(port=port), encoding="utf-8")
        run = newsmon(
            "crawl", "local_allowed", "local_refused", "--config", str(config),
            "--db", str(directory / "newsmon.db"), "--json", *FAST,
        )  # fmt: skip
    return run, server, port


def test_a_source_may_allow_private_addresses(private_crawl) -> None:
    run, server, port = private_crawl
    allowed = summary(run)["local_allowed"]
    assert (allowed["articles"], allowed["headlines"], allowed["status"]) == (1, 2, "ok")
    assert server.requests[f"https://127.0.0.1:{port}/news/2026/03/03/draft-budget"] == 1


def test_private_addresses_are_refused_by_default_with_one_line(private_crawl) -> None:
    run, server, port = private_crawl
    refused = summary(run)["local_refused"]
    assert (refused["pages"], refused["errors"], refused["status"]) == (0, 1, "failed")
    assert not any(url.startswith("https://localhost") for url in server.requests)
    lines = [line for line in run.stderr.splitlines() if "refused" in line]
    assert len(lines) == 1
    assert lines[0].endswith(
        f"http://localhost:{port}/feed.xml: refused: localhost resolves to the private address "
        "127.0.0.1 (a source allows it with allow_private_addresses = true)"
    )


# The spider's callbacks, in process -----------------------------------------------------------

SPIDER_CONFIG = """
[[sources]]
id = "example"
home_url = "https://www.example-news.test/"
tz = "Europe/London"
sitemaps = ["https://www.example-news.test/sitemap.xml"]
max_age_days = 1
"""


def spider(**settings: Any) -> GenericSpider:
    crawler = get_crawler(GenericSpider, settings_dict=settings)
    instance = GenericSpider.from_crawler(crawler, config=str(CONFIG))
    instance.use(parse_config(SPIDER_CONFIG, "test.toml"))
    return instance


def response(url: str, body: str, cls: type[TextResponse] = XmlResponse) -> TextResponse:
    meta = {"source": "example", "fetched_at": "2026-03-03T12:00:00+00:00"}
    return cls(url, body=body.encode(), request=Request(url, meta=meta), encoding="utf-8")


def test_a_sitemap_index_leads_to_recent_sitemaps_on_the_sources_domains() -> None:
    index = """<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sitemap><loc>https://www.example-news.test/sitemap-today.xml</loc>
        <lastmod>2026-03-03T08:00:00Z</lastmod></sitemap>
      <sitemap><loc>https://www.example-news.test/sitemap-old.xml</loc>
        <lastmod>2026-02-01T08:00:00Z</lastmod></sitemap>
      <sitemap><loc>https://cdn.elsewhere.test/sitemap.xml</loc></sitemap>
      <sitemap><loc>https://www.example-news.test/sitemap-undated.xml</loc></sitemap>
    </sitemapindex>"""
    requests = list(
        spider().parse_sitemap(response("https://www.example-news.test/sitemap.xml", index))
    )
    assert [(r.url, r.meta["page_kind"], r.meta["source"]) for r in requests] == [
        ("https://www.example-news.test/sitemap-today.xml", "sitemap", "example"),
        ("https://www.example-news.test/sitemap-undated.xml", "sitemap", "example"),
    ]


def test_a_page_that_is_no_sitemap_is_skipped_with_a_warning(caplog) -> None:
    page = response("https://www.example-news.test/sitemap.xml", "<html><p>Not found</p></html>")
    assert list(spider().parse_sitemap(page)) == []
    assert (
        "https://www.example-news.test/sitemap.xml: not a sitemap (root <html>), skipped"
        in caplog.text
    )


def sitemap_index(*urls: str) -> str:
    entries = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in urls)
    return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'


def start_requests(instance: GenericSpider) -> list[Request]:
    async def collect() -> list[Request]:
        return [request async for request in instance.start()]

    return asyncio.run(collect())


def read_chain(instance: GenericSpider) -> list[str]:
    """The sitemaps read, in order, when every index lists the next one (`rec?n=N+1`); at
    most 100."""
    read, request = [], Request("https://www.example-news.test/rec?n=0")
    depth = 0
    while request is not None and len(read) < 100:
        url = request.url
        read.append(url)
        number = int(url.rpartition("=")[2])
        index = sitemap_index(f"https://www.example-news.test/rec?n={number + 1}")
        requests = list(instance.parse_sitemap(response(url, index), depth=depth))
        request = requests[0] if requests else None
        depth = request.cb_kwargs["depth"] if request is not None else depth
    return read


def test_an_endless_chain_of_sitemap_indexes_ends_at_the_depth_limit(caplog) -> None:
    assert read_chain(spider()) == [
        f"https://www.example-news.test/rec?n={n}" for n in range(6)
    ]  # the start and five levels below it (NEWSMON_SITEMAP_MAX_DEPTH)
    assert caplog.messages == [
        "https://www.example-news.test/rec?n=5: lists https://www.example-news.test/rec?n=6, "
        "a sitemap 6 levels below the source's own: not read, nor any deeper one of source "
        "'example' in this crawl (NEWSMON_SITEMAP_MAX_DEPTH = 5)"
    ]


def test_the_sitemap_depth_limit_is_a_setting() -> None:
    assert len(read_chain(spider(NEWSMON_SITEMAP_MAX_DEPTH=2))) == 3


def test_a_source_reads_at_most_the_sitemap_limit_in_one_crawl(caplog) -> None:
    instance = spider(NEWSMON_SITEMAP_MAX_COUNT=4)
    assert [request.url for request in start_requests(instance)] == [
        "https://www.example-news.test/sitemap.xml"
    ]
    first = sitemap_index(*(f"https://www.example-news.test/s-{n}.xml" for n in range(5)))
    second = sitemap_index("https://www.example-news.test/s-9.xml")
    requests = [
        *instance.parse_sitemap(response("https://www.example-news.test/sitemap.xml", first)),
        *instance.parse_sitemap(response("https://www.example-news.test/s-0.xml", second)),
    ]
    assert [request.url for request in requests] == [
        "https://www.example-news.test/s-0.xml",
        "https://www.example-news.test/s-1.xml",
        "https://www.example-news.test/s-2.xml",
    ]  # with the configured sitemap.xml, four
    assert caplog.messages == [
        "https://www.example-news.test/sitemap.xml: lists https://www.example-news.test/s-3.xml: "
        "source 'example' has asked for 4 sitemaps in this crawl, the most it may: neither this "
        "one nor any further one is read (NEWSMON_SITEMAP_MAX_COUNT = 4)"
    ]


CHAIN_CONFIG = """
[[sources]]
id = "chain"
home_url = "http://127.0.0.1:{port}/"
sitemaps = ["http://127.0.0.1:{port}/rec?n=0"]
allow_private_addresses = true
"""


def test_a_live_crawl_of_an_endless_sitemap_chain_ends(tmp_path: Path) -> None:
    with serving(SITES) as server:
        base = f"127.0.0.1:{server.port}"
        for n in range(50):
            server.overrides[f"https://{base}/rec?n={n}"] = Answer(
                200,
                sitemap_index(f"http://{base}/rec?n={n + 1}").encode(),
                {"Content-Type": "application/xml"},
            )
        config = tmp_path / "chain.toml"
        config.write_text(CHAIN_CONFIG.format(port=server.port), encoding="utf-8")
        run = newsmon(
            "crawl", "chain", "--config", str(config), "--db", str(tmp_path / "newsmon.db"),
            "--json", "-s", "NEWSMON_SITEMAP_MAX_DEPTH=3", *FAST,
        )  # fmt: skip
    assert summary(run)["chain"]["status"] == "ok"
    assert sorted(url for url in server.requests if "/rec" in url) == [
        f"https://{base}/rec?n={n}" for n in range(4)
    ]
    lines = [line for line in run.stderr.splitlines() if "NEWSMON_SITEMAP_MAX_DEPTH" in line]
    assert len(lines) == 1
    assert lines[0].endswith(
        f"http://{base}/rec?n=3: lists http://{base}/rec?n=4, a sitemap 4 levels below the "
        "source's own: not read, nor any deeper one of source 'chain' in this crawl "
        "(NEWSMON_SITEMAP_MAX_DEPTH = 3)"
    )
