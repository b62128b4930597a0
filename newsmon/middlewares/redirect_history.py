"""Articles remember the URLs that redirected to them, so a moved article stays one article."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response

from newsmon.items import ArticleItem


class RedirectHistoryMiddleware:
    """Copies a response's redirect chain (`redirect_urls`) into its ArticleItems."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectHistoryMiddleware:
        return cls()

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterable[Any]:
        for output in result:
            yield self._with_history(response, output)

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for output in result:
            yield self._with_history(response, output)

    @staticmethod
    def _with_history(response: Response, output: Any) -> Any:
        redirects = response.meta.get("redirect_urls")
        if redirects and isinstance(output, ArticleItem):
            output.previous_urls = [url for url in redirects if url != output.url]
        return output
