"""Stored articles read again when a page says they changed, else on a decaying schedule
(`NEWSMON_REREAD`), to see their updates.

A spider middleware: after the spider's own start requests, one article request per re-read
due for the sources the spider crawls (`newsmon.crawl.rereads.due_rereads`, within
`NEWSMON_REREAD_BUDGET` per source); after each page that dates changes (a feed whose entries
carry `<updated>`, a news sitemap's `<lastmod>`), one per stored article it shows changed since
its last read (`dated_rereads`, at most the budget per page), while the articles it shows unchanged
count as read for the decaying schedule (recorded when the spider closes). Each is marked
`meta["reread"]` so that `KnownArticlesMiddleware` lets it through. The page is parsed like
any article page: the store records what changed (a headline rewrite, a body edit, a move) as
history and alerts, and an unchanged page only moves `articles.fetched_at`. What each re-read
answered is recorded when the spider closes; a 404 or 410 marks the article gone, never read
again. Counted per source as `newsmon/source/<id>/rereads`. Off in replay and with
`NEWSMON_REFRESH` (which reads every article again anyway).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from newsmon import clock
from newsmon.crawl.rereads import (
    GONE_STATUSES,
    ReadTry,
    Reread,
    dated_rereads,
    due_rereads,
    record_tries,
    record_unchanged,
)
from newsmon.items import HeadlineItem, items_of
from newsmon.normalize.dates import parse_iso
from newsmon.settings_table import default
from newsmon.spiders.base import NewsSpider
from newsmon.store import Store, default_db_path

logger = logging.getLogger(__name__)

ARTICLE_ID = "reread_article_id"


class RereadsMiddleware:
    """Appends the due re-reads of stored articles to a spider's start requests."""

    def __init__(
        self,
        crawler: Crawler,
        db_path: str,
        *,
        factor: float,
        max_age: timedelta,
        budget: int,
        min_interval: timedelta,
    ) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.factor = factor
        self.max_age = max_age
        self.budget = budget
        self.min_interval = min_interval
        self.tries: dict[int, ReadTry] = {}
        self.requested: set[int] = set()
        # Articles pages dating changes showed unchanged, and when.
        self.unchanged: dict[int, datetime] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RereadsMiddleware:
        settings = crawler.settings
        if not settings.getbool("NEWSMON_REREAD"):
            raise NotConfigured
        if settings.get("NEWSMON_REPLAY_DIR") or settings.getbool("NEWSMON_REFRESH"):
            raise NotConfigured  # saved pages do not change; a refresh reads everything

        def number(name: str) -> float:
            return settings.getfloat(name, default(name))

        middleware = cls(
            crawler,
            settings.get("NEWSMON_DB") or default_db_path(),
            factor=number("NEWSMON_REREAD_FACTOR"),
            max_age=timedelta(days=number("NEWSMON_REREAD_MAX_AGE_DAYS")),
            budget=int(number("NEWSMON_REREAD_BUDGET")),
            min_interval=timedelta(minutes=number("NEWSMON_REREAD_MIN_MINUTES")),
        )
        crawler.signals.connect(middleware.left_downloader, signal=signals.request_left_downloader)
        crawler.signals.connect(middleware.response_received, signal=signals.response_received)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for request_or_item in start:
            yield request_or_item
        spider = self.crawler.spider
        if not isinstance(spider, NewsSpider):
            return
        assert self.crawler.stats is not None
        with Store.open(self.db_path) as store:
            due = due_rereads(
                store,
                clock.now(),
                factor=self.factor,
                max_age=self.max_age,
                budget_per_source=self.budget,
                min_interval=self.min_interval,
                sources=spider.crawled_sources(),
            )
        for reread in due:
            yield self._request(spider, reread)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        outputs = list(result)
        yield from outputs
        changes = [
            (item.url, moment)
            for output in outputs
            for item in items_of(output)
            if isinstance(item, HeadlineItem)
            and item.url
            and item.modified_at
            and (moment := parse_iso(item.modified_at)) is not None
        ]
        spider = self.crawler.spider
        if not changes or not isinstance(spider, NewsSpider):
            return
        with Store.open(self.db_path) as store:
            dated = dated_rereads(store, changes, budget_per_source=self.budget)
        moment = clock.now()
        for article_id in dated.unchanged:
            self.unchanged[article_id] = moment
        for reread in dated.due:
            if reread.article_id not in self.requested:
                yield self._request(spider, reread)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        outputs = [output async for output in result]
        for output in self.process_spider_output(response, outputs):
            yield output

    def _request(self, spider: NewsSpider, reread: Reread) -> Request:
        """The article request of a re-read, counted for its source."""
        assert self.crawler.stats is not None
        logger.debug("re-reading %s (%s)", reread.url, reread.why)
        self.crawler.stats.inc_value(f"newsmon/source/{reread.source}/rereads")
        request = spider.page_request(reread.url, spider.parse_article, "article", reread.source)
        request.meta["reread"] = True
        request.meta[ARTICLE_ID] = reread.article_id
        self.requested.add(reread.article_id)
        return request

    def left_downloader(self, request: Request) -> None:
        """A re-read tried, answered or not (a redirect's every hop comes here too)."""
        article_id = request.meta.get(ARTICLE_ID)
        if article_id is not None and article_id not in self.tries:
            self.tries[article_id] = ReadTry(article_id, clock.now_iso(), None)

    def response_received(self, response: Response, request: Request) -> None:
        """What a re-read answered (after redirects); a gone page is said once, here."""
        article_id = request.meta.get(ARTICLE_ID)
        if article_id is None:
            return
        tried_at = request.meta.get("fetched_at") or clock.now_iso()
        self.tries[article_id] = ReadTry(article_id, tried_at, response.status)
        if response.status in GONE_STATUSES:
            logger.warning(
                "%s: a stored article answers %d: gone, not read again",
                response.url,
                response.status,
            )

    def spider_closed(self) -> None:
        if not self.tries and not self.unchanged:
            return
        with Store.open(self.db_path) as store:
            record_tries(store, self.tries.values())
            record_unchanged(store, self.unchanged)
        self.tries.clear()
        self.unchanged.clear()
