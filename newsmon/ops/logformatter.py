"""Scrapy's line for every page crawled and every item scraped, only when someone reads them.

Scrapy logs both at DEBUG and builds each log record before the handler's level drops it; at
about 14 items a page that is a measurable part of a crawl's cost. newsmon keeps them when the
crawl logs at DEBUG (`-s LOG_LEVEL=DEBUG`) and does not make them otherwise. A page's items
(`newsmon.items.PageItems`) are one message: the count and source, then one line per item.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure

from newsmon.items import PageItems


class NewsmonLogFormatter(LogFormatter):
    """Scrapy's log formatter, without the per-page and per-item lines unless logging at DEBUG."""

    def __init__(self, debug: bool) -> None:
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NewsmonLogFormatter:
        level = crawler.settings.get("LOG_LEVEL")
        number = level if isinstance(level, int) else logging.getLevelName(str(level).upper())
        return cls(debug=isinstance(number, int) and number <= logging.DEBUG)

    # Scrapy skips a message for which a formatter method returns None (documented).
    def crawled(  # type: ignore[override]
        self, request: Request, response: Response, spider: Spider
    ) -> LogFormatterResult | None:
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(  # type: ignore[override]
        self, item: Any, response: Response | Failure | None, spider: Spider
    ) -> LogFormatterResult | None:
        if not self.debug:
            return None
        if not isinstance(item, PageItems):
            return super().scraped(item, response, spider)
        source = response.getErrorMessage() if isinstance(response, Failure) else response
        return {
            "level": logging.DEBUG,
            "msg": "Scraped %(count)d items from %(source)s" + os.linesep + "%(items)s",
            "args": {
                "count": len(item.items),
                "source": source,
                "items": os.linesep.join(repr(one) for one in item.items),
            },
        }
