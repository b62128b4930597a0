"""Polite, incremental crawling: conditional requests, no refetch of stored articles, retries
with backoff, timeouts, and redirects that never leave the source's domains."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler
from twisted.internet.error import TimeoutError as DownloadTimeout

from newsmon.fixtures.manifest import FixtureSet
from newsmon.items import ArticleItem, HeadlineItem, PageItems
from newsmon.middlewares.conditional import (
    ConditionalRequestMiddleware,
    NotModified,
    stored_validators,
)
from newsmon.middlewares.known_articles import KnownArticlesMiddleware
from newsmon.middlewares.page_output import PageOutputMiddleware
from newsmon.middlewares.redirects import OffsiteRedirect, OffsiteRedirectMiddleware
from newsmon.middlewares.retry import BackoffRetryMiddleware, retry_after
from newsmon.normalize.dates import UTC
from newsmon.store import Store
from newsmon.store.writer import StoreWriter
from tests.conftest import SEEDS
from tests.cron_helpers import integrity, row_counts, stall
from tests.fixture_server import Answer, serving
from tests.helpers import FAST, newsmon

FEED = "https://report.az/en/rss/"
LISTING = "https://report.az/en/news-feed/"
ARTICLE = "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
SLOW_ARTICLE = "https://ccbsnews.info/en/news/detail/4210"


def crawler_for(settings: dict | None = None, allowed_domains: list[str] | None = None):
    """A configured crawler with a spider, as middlewares see it during a crawl."""

    class TestSpider(Spider):
        name = "test"

    TestSpider.allowed_domains = allowed_domains or []
    crawler = get_crawler(TestSpider, settings)
    crawler.spider = crawler._create_spider()
    return crawler


def page_request(url: str, kind: str, source: str = "report_az") -> Request:
    return Request(url, meta={"source": source, "page_kind": kind})


# Retries -------------------------------------------------------------------------------------


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 3, 3, 10, 0, 0, tzinfo=UTC)
    assert retry_after(b"120") == 120
    assert retry_after(b"Tue, 03 Mar 2026 10:00:30 GMT", now) == 30
    assert retry_after(b"Tue, 03 Mar 2026 09:00:00 GMT", now) == 0
    assert retry_after(b"soon") is None
    assert retry_after(None) is None


@pytest.fixture
def retrying():
    """A BackoffRetryMiddleware (backoff 0.5 s, at most 10 s) recording its pauses."""
    crawler = crawler_for(
        {"NEWSMON_RETRY_BACKOFF": 0.5, "NEWSMON_RETRY_MAX_DELAY": 10, "RETRY_TIMES": 2}
    )
    middleware = BackoffRetryMiddleware.from_crawler(crawler)
    pauses: list[float] = []

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)

    middleware.sleep = sleep
    return middleware, pauses


def test_retries_back_off_exponentially_then_give_up(retrying):
    middleware, pauses = retrying
    request = page_request(FEED, "feed")
    attempts = []
    while isinstance(request, Request):
        attempts.append(request)
        answer = Response(FEED, status=500, request=request)
        request = asyncio.run(middleware.process_response(request, answer))
    assert len(attempts) == 3
    assert pauses == [0.5, 1.0]
    assert request.status == 500


def test_retry_after_is_honoured_up_to_the_maximum(retrying, caplog):
    middleware, pauses = retrying
    request = page_request(FEED, "feed")
    busy = Response(FEED, status=503, headers={"Retry-After": "3"}, request=request)
    retry = asyncio.run(middleware.process_response(request, busy))
    assert isinstance(retry, Request) and pauses == [3.0]
    asks_too_much = Response(FEED, status=429, headers={"Retry-After": "3600"}, request=retry)
    with caplog.at_level(logging.WARNING):
        final = asyncio.run(middleware.process_response(retry, asks_too_much))
    assert final is asks_too_much and pauses == [3.0]
    assert caplog.messages == [
        f"{FEED}: HTTP 429, the server asks to retry after 3600 s (more than "
        "NEWSMON_RETRY_MAX_DELAY = 10 s): not retried in this run"
    ]


def test_timeouts_are_retried_after_a_pause(retrying):
    middleware, pauses = retrying
    request = page_request(ARTICLE, "article")
    retry = asyncio.run(middleware.process_exception(request, DownloadTimeout()))
    assert isinstance(retry, Request) and retry.meta["retry_times"] == 1
    assert pauses == [0.5]


# Conditional requests ------------------------------------------------------------------------


@pytest.fixture
def conditional(tmp_path):
    """A ConditionalRequestMiddleware on a real store, spider opened."""
    db = tmp_path / "n.db"
    crawler = crawler_for({"NEWSMON_DB": str(db)})
    middleware = ConditionalRequestMiddleware.from_crawler(crawler)
    middleware.spider_opened()
    yield middleware, db
    if middleware.store is not None:
        middleware.store.close()


def saved_validators(db: Path, url: str) -> tuple[str | None, str | None]:
    store = Store.open(db)
    try:
        return stored_validators(store, url)
    finally:
        store.close()


def test_validators_are_kept_at_the_end_and_sent_next_time(conditional):
    middleware, db = conditional
    request = page_request(FEED, "feed")
    middleware.process_request(request)
    assert "If-None-Match" not in request.headers
    answer = Response(
        FEED,
        headers={"ETag": 'W/"abc"', "Last-Modified": "Tue, 03 Mar 2026 10:34:00 GMT"},
        request=request,
    )
    assert middleware.process_response(request, answer) is answer
    assert saved_validators(db, FEED) == (None, None)  # not before the items are stored
    middleware.spider_closed()
    assert saved_validators(db, FEED) == ('W/"abc"', "Tue, 03 Mar 2026 10:34:00 GMT")

    middleware.spider_opened()
    again = page_request(FEED, "feed")
    middleware.process_request(again)
    assert again.headers["If-None-Match"] == b'W/"abc"'
    assert again.headers["If-Modified-Since"] == b"Tue, 03 Mar 2026 10:34:00 GMT"
    with pytest.raises(NotModified):
        middleware.process_response(again, Response(FEED, status=304, request=again))
    assert middleware.stats.get_value("newsmon/source/report_az/not_modified") == 1


def test_article_requests_are_never_conditional(conditional):
    middleware, _ = conditional
    request = page_request(ARTICLE, "article")
    request.headers["If-None-Match"] = 'W/"from a redirected feed"'
    middleware.process_request(request)
    assert request.headers["If-None-Match"] == b'W/"from a redirected feed"'
    answer = Response(ARTICLE, status=304, request=request)
    assert middleware.process_response(request, answer) is answer


def test_a_failed_request_keeps_the_sources_validators_unsaved(conditional):
    middleware, db = conditional
    feed = page_request(FEED, "feed")
    other = page_request("https://ccbsnews.info/en/rss", "feed", "ccbsnews")
    for request in (feed, other):
        middleware.process_response(request, Response(request.url, headers={"ETag": '"1"'}))
    middleware.process_exception(page_request(ARTICLE, "article"), DownloadTimeout())
    middleware.spider_closed()
    assert saved_validators(db, FEED) == (None, None)
    assert saved_validators(db, "https://ccbsnews.info/en/rss") == ('"1"', None)


def test_refresh_sends_no_validators_and_replay_needs_none(tmp_path):
    store = Store.open(tmp_path / "n.db")
    with store.transaction():
        store.conn.execute(
            "INSERT INTO validators (url, etag, updated_at) VALUES (?, 'x', 'now')", (FEED,)
        )
    store.close()
    crawler = crawler_for({"NEWSMON_DB": str(tmp_path / "n.db"), "NEWSMON_REFRESH": True})
    middleware = ConditionalRequestMiddleware.from_crawler(crawler)
    middleware.spider_opened()
    request = page_request(FEED, "feed")
    middleware.process_request(request)
    middleware.spider_closed()
    assert "If-None-Match" not in request.headers
    with pytest.raises(NotConfigured):
        ConditionalRequestMiddleware.from_crawler(crawler_for({"NEWSMON_REPLAY_DIR": "seeds"}))


# Known articles and page counts --------------------------------------------------------------


def test_stored_articles_are_not_requested_again(tmp_path):
    db = tmp_path / "n.db"
    store = Store.open(db)
    store.ensure_source("report_az", name="Report", home_url=None, lang="en", tz="UTC", kind="site")
    writer = StoreWriter(store, store.start_crawl("live", ["report_az"]))
    when = "2026-03-03T10:45:00+00:00"
    writer.write(
        ArticleItem(source="report_az", url=ARTICLE, page_url=ARTICLE, fetched_at=when, title="A")
    )
    only_seen = "https://report.az/en/region/iaea-confirms-damage-to-nuclear-facility-in-iran"
    writer.write(
        HeadlineItem(
            source="report_az",
            title="B",
            url=only_seen,
            page_url=FEED,
            context="feed",
            seen_at=when,
        )
    )
    writer.close()
    store.close()
    crawler = crawler_for({"NEWSMON_DB": str(db)})
    middleware = KnownArticlesMiddleware.from_crawler(crawler)
    middleware.spider_opened()
    requests = [page_request(u, "article") for u in (ARTICLE, only_seen)] + [
        page_request(FEED, "feed")
    ]
    kept = list(middleware.process_spider_output(None, requests))
    middleware.spider_closed()
    assert [request.url for request in kept] == [only_seen, FEED]
    assert crawler.stats.get_value("newsmon/source/report_az/known_articles") == 1
    refresh = crawler_for({"NEWSMON_DB": str(db), "NEWSMON_REFRESH": "1"})
    with pytest.raises(NotConfigured):
        KnownArticlesMiddleware.from_crawler(refresh)


def test_parsed_pages_and_their_headlines_are_counted_per_kind():
    crawler = crawler_for()
    middleware = PageOutputMiddleware.from_crawler(crawler)
    headline = HeadlineItem(
        source="report_az", title="T", url=None, page_url=LISTING, context="listing", seen_at="x"
    )
    article_request = page_request(ARTICLE, "article")
    for items, output in (
        (
            [headline, headline, article_request],
            [article_request, PageItems(LISTING, [headline] * 2)],
        ),
        ([], []),
    ):
        response = HtmlResponse(LISTING, body=b"<html/>", request=page_request(LISTING, "listing"))
        assert list(middleware.process_spider_output(response, items)) == output
    stats = crawler.stats.get_stats()
    prefix = "newsmon/source/report_az/kind/listing/"
    assert {key: stats[key] for key in stats if key.startswith(prefix)} == {
        prefix + "parsed": 2,
        prefix + "headlines": 2,
        prefix + "empty": 1,
    }


def test_an_article_reached_through_redirects_keeps_the_urls_it_moved_from():
    middleware = PageOutputMiddleware.from_crawler(crawler_for())
    old, short = "https://report.az/en/old-slug/", "https://report.az/a/1"
    request = page_request(ARTICLE, "article")
    request.meta["redirect_urls"] = [old, short, ARTICLE]
    response = HtmlResponse(ARTICLE, body=b"<html/>", request=request)
    article = ArticleItem(
        source="report_az", url=ARTICLE, page_url=ARTICLE, fetched_at="2026-11-23T10:00:00+00:00"
    )
    assert list(middleware.process_spider_output(response, [article])) == [
        PageItems(ARTICLE, [article])
    ]
    assert article.previous_urls == [old, short]


def test_a_redirect_off_the_sources_domains_is_refused():
    crawler = crawler_for(allowed_domains=["report.az"])
    middleware = OffsiteRedirectMiddleware.from_crawler(crawler)
    request = page_request(LISTING, "listing")
    inside = Response(LISTING, status=301, headers={"Location": "/en/feed/"}, request=request)
    below = Response(LISTING, status=302, headers={"Location": "https://m.report.az/"})
    assert middleware.process_response(request, inside) is inside
    assert middleware.process_response(request, below) is below
    away = Response(LISTING, status=301, headers={"Location": "https://evil.example/x"})
    with pytest.raises(OffsiteRedirect) as refused:
        middleware.process_response(request, away)
    assert str(refused.value) == (
        "HTTP 301 redirect to https://evil.example/x, outside report.az: not followed"
    )
    assert crawler.stats.get_value("newsmon/source/report_az/offsite_redirects") == 1


# A crawl in trouble ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def troubled(tmp_path_factory):
    """A clean run, then one where report.az's feed answers 500, its listing redirects to a
    foreign domain and a ccbsnews article page stalls past DOWNLOAD_TIMEOUT=1."""
    db = tmp_path_factory.mktemp("polite") / "n.db"
    with serving(SEEDS) as server:
        env = {"NEWSMON_RESOLVE": server.resolve_env("report.az", "ccbsnews.info", "evil.example")}
        clean = newsmon("run", "--db", str(db), *FAST, env=env)
        assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
        before = row_counts(db)
        log_size = Path(f"{db}.log").stat().st_size
        server.requests.clear()
        server.overrides[FEED] = Answer(500, b"down", {"Content-Type": "text/plain"})
        server.overrides[LISTING] = Answer(301, b"", {"Location": "https://evil.example/feed/"})
        server.overrides[SLOW_ARTICLE] = stall(3)
        run = newsmon(
            "run",
            "--db",
            str(db),
            *FAST,
            "-s",
            "DOWNLOAD_TIMEOUT=1",
            "-s",
            "NEWSMON_RETRY_BACKOFF=0.2",
            # the test server's accept queue holds 5 connections: more would time out connecting
            "-s",
            "CONCURRENT_REQUESTS=4",
            # every page again, though nothing is due seconds after the clean run
            "-s",
            "NEWSMON_DUE_ONLY=0",
            env=env,
        )
    log = Path(f"{db}.log").read_text()[log_size:]
    return db, before, run, dict(server.requests), log


def test_trouble_is_reported_once_and_the_run_still_succeeds(troubled):
    _, _, run, _, _ = troubled
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == (
        "[health] report_az: no page answered (HTTP 301 ×1, HTTP 500 ×3; 2 pages given up): "
        "the site may be down or refusing newsmon\n"
    )


def lines_naming(log: str, url: str) -> list[str]:
    """The log's lines that name `url`, from the level on."""
    return [line.split(" ", 3)[3] for line in log.splitlines() if url in line]


def test_500s_are_retried_then_given_up_with_one_line(troubled):
    _, _, _, requests, log = troubled
    assert requests[FEED] == 3
    assert lines_naming(log, FEED) == [f"WARNING: {FEED}: HTTP 500, given up after 3 attempts"]
    assert "Gave up retrying" not in log
    assert "Traceback" not in log


def test_timeouts_are_retried_then_given_up_with_one_line(troubled):
    _, _, _, requests, log = troubled
    assert requests[SLOW_ARTICLE] == 3
    assert lines_naming(log, SLOW_ARTICLE) == [
        f"WARNING: {SLOW_ARTICLE}: no complete answer within 1 s (DOWNLOAD_TIMEOUT), "
        "given up after 3 attempts"
    ]


def test_every_page_given_up_is_an_error_of_its_source_once(troubled):
    """report.az: its feed (500 three times) and its listing (a refused 301); ccbsnews: the
    page that timed out three times and every article page the live site answered 404."""
    db, _, _, requests, log = troubled
    with closing(sqlite3.connect(db)) as conn:
        counts = conn.execute(
            "SELECT source_id, pages, missing, errors FROM crawl_sources "
            "WHERE crawl_id = (SELECT max(id) FROM crawls) ORDER BY source_id"
        ).fetchall()
    served = FixtureSet.load(SEEDS)
    not_found = [
        url
        for url in requests
        if "ccbsnews" in url and url != SLOW_ARTICLE and not served.find(url)
    ]
    assert len(not_found) >= 8
    assert all(lines_naming(log, url) == [f"WARNING: {url}: HTTP 404"] for url in not_found)
    # Pages are answers, retries included: the page that timed out gave none.
    pages = {
        site: sum(n for url, n in requests.items() if site in url and "robots.txt" not in url)
        for site in ("ccbsnews", "report.az")
    }
    pages["ccbsnews"] -= requests[SLOW_ARTICLE]
    assert counts == [
        ("ccbsnews", pages["ccbsnews"], 0, len(not_found) + 1),
        ("report_az", pages["report.az"], 0, 2),
    ]


def test_a_redirect_to_a_foreign_domain_is_not_followed(troubled):
    _, _, _, requests, log = troubled
    assert requests[LISTING] == 1
    assert not [url for url in requests if "evil.example" in url]
    assert (
        f"WARNING: {LISTING}: HTTP 301 redirect to https://evil.example/feed/, outside report.az:"
        " not followed"
    ) in log


def test_nothing_stored_is_lost(troubled):
    db, before, _, _, _ = troubled
    assert row_counts(db) == before
    assert integrity(db) == "ok"
