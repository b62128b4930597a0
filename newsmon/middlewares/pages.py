"""Every response gets its fetch time, and every source its page counts."""

from __future__ import annotations

from datetime import datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from newsmon.dates import UTC, utc_iso

# The message of the IgnoreRequest of Scrapy's RobotsTxtMiddleware.
ROBOTS_REFUSAL = "Forbidden by robots.txt"


class PageAccountingMiddleware:
    """Stamps `fetched_at` on responses (unless replay did) and counts pages per source."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageAccountingMiddleware:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response) -> Response:
        request.meta.setdefault("fetched_at", utc_iso(datetime.now(UTC)))
        source = request.meta.get("source")
        if source:
            self.stats.inc_value(f"newsmon/source/{source}/pages")
            self.stats.inc_value(f"newsmon/source/{source}/status/{response.status}")
            if "replay-missing" in response.flags:
                self.stats.inc_value(f"newsmon/source/{source}/missing")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        source = request.meta.get("source")
        if not source:
            return
        if isinstance(exception, IgnoreRequest) and str(exception) == ROBOTS_REFUSAL:
            # The site asked not to be read there: obeyed, not a failure of the site.
            self.stats.inc_value(f"newsmon/source/{source}/robots_disallowed")
            return
        self.stats.inc_value(f"newsmon/source/{source}/errors")
