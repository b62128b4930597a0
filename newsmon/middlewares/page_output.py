"""One pass over everything a parsed page yields: its bound, its tally, its redirect history.

- No page may flood the crawl: at most `NEWSMON_MAX_PAGE_HEADLINES` headlines (and as many
  links followed) from one page. A listing of 10,000 links is a site's mistake or an attack;
  without a bound it turns one page into thousands of requests and store writes. Once a page
  has yielded more headlines or more requests than the bound, the rest of it is not read
  (newsmon's parsers yield the article first), and one line says so.
- What each parsed page gave, per source and page kind, is the raw material of source health:
  for every page that reached its callback (a 2xx answer) with a `source` and a `page_kind`,
  `newsmon/source/<id>/kind/<kind>/parsed`, `…/headlines` (headline items it yielded) and
  `…/empty` (pages that yielded no headline at all: a listing that suddenly gives nothing is
  the mark of selectors that no longer match).
- Articles remember the URLs that redirected to them (`redirect_urls`), so a moved article
  stays one article.
- The page's items leave as one `PageItems`, after its requests: Scrapy's cost per item
  (every spider middleware, the pipeline chain, signals) is then paid once a page instead of
  for each of its dozen headlines. The middleware sits nearest the spider
  (`SPIDER_MIDDLEWARES`), so that the other middlewares see the bundle too.

All of it is one middleware because Scrapy wraps every spider middleware around everything a
page yields (one layer instead of three saved a sixth of a replay crawl's CPU time).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from newsmon.items import ArticleItem, HeadlineItem, PageItems
from newsmon.settings_table import default

logger = logging.getLogger(__name__)


class PageOutputMiddleware:
    """Bounds, counts and completes the output of each parsed page."""

    def __init__(self, crawler: Crawler | None, limit: int) -> None:
        self.crawler = crawler
        self.limit = limit

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageOutputMiddleware:
        limit = crawler.settings.getint(
            "NEWSMON_MAX_PAGE_HEADLINES", default("NEWSMON_MAX_PAGE_HEADLINES")
        )
        return cls(crawler, limit)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        page = _PageOutput(self, response)
        for output in result:
            if not page.admit(output):
                break
            if not page.keep(output):
                yield output
        yield from page.finish()

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        page = _PageOutput(self, response)
        async for output in result:
            if not page.admit(output):
                break
            if not page.keep(output):
                yield output
        for bundle in page.finish():
            yield bundle


class _PageOutput:
    """The running tally of one page's output."""

    def __init__(self, middleware: PageOutputMiddleware, response: Response) -> None:
        self.middleware = middleware
        self.response = response
        # A response built by hand (tests, tools) has no request, hence no meta.
        self.meta = response.request.meta if response.request is not None else {}
        self.redirects = self.meta.get("redirect_urls")
        self.headlines = 0
        self.requests = 0
        self.items: list[ArticleItem | HeadlineItem] = []

    def admit(self, output: Any) -> bool:
        """Whether `output` may pass (within the page's bound), completing it on the way."""
        limit = self.middleware.limit
        if isinstance(output, HeadlineItem):
            self.headlines += 1
            if self.headlines > limit:
                return self._over()
        elif isinstance(output, ArticleItem):
            if self.redirects:
                output.previous_urls = [url for url in self.redirects if url != output.url]
        elif isinstance(output, Request):
            self.requests += 1
            if self.requests > limit:
                return self._over()
        return True

    def keep(self, output: Any) -> bool:
        """Whether `output` is an item, kept for the page's bundle."""
        if isinstance(output, ArticleItem | HeadlineItem):
            self.items.append(output)
            return True
        return False

    def _over(self) -> bool:
        self.headlines = min(self.headlines, self.middleware.limit)
        logger.warning(
            "%s: more than %d headlines or links on one page; the rest of it is not read "
            "(NEWSMON_MAX_PAGE_HEADLINES)",
            self.response.url,
            self.middleware.limit,
        )
        return False

    def finish(self) -> Iterator[PageItems]:
        """The page's items as one bundle (if it had any); counts the page and its headlines
        for source health."""
        if self.items:
            yield PageItems(self.response.url, self.items)
        self._count()

    def _count(self) -> None:
        crawler = self.middleware.crawler
        source, kind = self.meta.get("source"), self.meta.get("page_kind")
        if crawler is None or not source or not kind or not 200 <= self.response.status < 300:
            return
        stats = crawler.stats
        assert stats is not None
        prefix = f"newsmon/source/{source}/kind/{kind}/"
        stats.inc_value(prefix + "parsed")
        stats.inc_value(prefix + "headlines", self.headlines)
        if not self.headlines:
            stats.inc_value(prefix + "empty")
