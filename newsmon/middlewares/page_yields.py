"""What each parsed page gave, per source and page kind: the raw material of source health.

For every page that reached its callback (a 2xx answer) with a `source` and a `page_kind`:
`newsmon/source/<id>/kind/<kind>/parsed`, `…/headlines` (headline items it yielded) and
`…/empty` (pages that yielded no headline at all — a listing that suddenly gives nothing is
the mark of selectors that no longer match).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response

from newsmon.items import HeadlineItem


class PageYieldMiddleware:
    """Counts parsed pages and the headlines they yielded, per source and page kind."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageYieldMiddleware:
        return cls(crawler)

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        headlines = 0
        for output in result:
            headlines += isinstance(output, HeadlineItem)
            yield output
        self._count(response, headlines)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        headlines = 0
        async for output in result:
            headlines += isinstance(output, HeadlineItem)
            yield output
        self._count(response, headlines)

    def _count(self, response: Response, headlines: int) -> None:
        source, kind = response.meta.get("source"), response.meta.get("page_kind")
        if not source or not kind or not 200 <= response.status < 300:
            return
        stats = self.crawler.stats
        assert stats is not None
        prefix = f"newsmon/source/{source}/kind/{kind}/"
        stats.inc_value(prefix + "parsed")
        stats.inc_value(prefix + "headlines", headlines)
        if not headlines:
            stats.inc_value(prefix + "empty")
