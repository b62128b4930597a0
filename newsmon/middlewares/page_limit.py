"""No page may flood the crawl: at most `NEWSMON_MAX_PAGE_HEADLINES` headlines (and as many
links followed) from one page.

A listing of 10,000 links is a site's mistake or an attack; without a bound it turns one page
into thousands of requests and store writes. Once a page has yielded more headlines or more
requests than the bound, the rest of it is not read (newsmon's parsers yield the article
first), and one line says so.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from newsmon.items import HeadlineItem

logger = logging.getLogger(__name__)

MAX_PAGE_HEADLINES = 500


class PageLimitMiddleware:
    """Passes a page's output on until it exceeds `limit` headlines or `limit` requests."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageLimitMiddleware:
        return cls(crawler.settings.getint("NEWSMON_MAX_PAGE_HEADLINES", MAX_PAGE_HEADLINES))

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        counts = {HeadlineItem: 0, Request: 0}
        for output in result:
            if self._over(output, counts):
                self._report(response)
                return
            yield output

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        counts = {HeadlineItem: 0, Request: 0}
        async for output in result:
            if self._over(output, counts):
                self._report(response)
                return
            yield output

    def _over(self, output: Any, counts: dict[type, int]) -> bool:
        for kind in counts:
            if isinstance(output, kind):
                counts[kind] += 1
                return counts[kind] > self.limit
        return False

    def _report(self, response: Response) -> None:
        logger.warning(
            "%s: more than %d headlines or links on one page; the rest of it is not read "
            "(NEWSMON_MAX_PAGE_HEADLINES)",
            response.url,
            self.limit,
        )
