"""Every response gets its fetch time, and every source its page counts.

`pages` and the status codes count every answer, retries included (a page that answered 500
three times is three pages, "HTTP 500 ×3"); `errors` counts the pages given up, once each,
whatever the reason: a download error, an HTTP error status (a 404 of a live site included), a
redirect refused or looping. `missing` counts the pages a replay has no fixture for (answered
404, not an error). A page robots.txt forbids, or one unchanged since the last run, is neither.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from newsmon import clock

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
        request.meta.setdefault("fetched_at", clock.now_iso())
        source = request.meta.get("source")
        if source:
            self.stats.inc_value(f"newsmon/source/{source}/pages")
            self.stats.inc_value(f"newsmon/source/{source}/status/{response.status}")
            if "replay-missing" in response.flags:
                self.stats.inc_value(f"newsmon/source/{source}/missing")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        source = request.meta.get("source")
        if source and is_robots_refusal(exception):
            # The site asked not to be read there: obeyed, not a failure of the site.
            self.stats.inc_value(f"newsmon/source/{source}/robots_disallowed")


def is_robots_refusal(error: BaseException) -> bool:
    """Whether `error` is robots.txt forbidding a page."""
    return isinstance(error, IgnoreRequest) and str(error) == ROBOTS_REFUSAL


def count_given_up(stats: StatsCollector, request: Request) -> None:
    """Count `request`'s page as given up (an error of its source)."""
    source = request.meta.get("source")
    if source:
        stats.inc_value(f"newsmon/source/{source}/errors")
