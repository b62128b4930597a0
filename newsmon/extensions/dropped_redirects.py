"""Redirects the crawl drops without telling the spider are said so, in one line each.

Two filters drop a redirected request before it is downloaded, so no errback hears of it and
Scrapy only logs at DEBUG: the duplicate filter, when a redirect leads back to a page already
requested (a redirect loop), and the offsite filter, when a meta refresh leads off the spider's
allowed domains (3xx redirects off them are refused earlier, by
`newsmon.middlewares.redirects`). The page named is the one the crawl asked for.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.utils.url import url_is_from_any_domain

from newsmon.middlewares.pages import count_given_up
from newsmon.ops.failures import requested_url

logger = logging.getLogger(__name__)


class DroppedRedirects:
    """Logs redirect loops and redirects off the allowed domains that filters drop."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DroppedRedirects:
        extension = cls(crawler)
        crawler.signals.connect(extension.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(extension.request_scheduled, signal=signals.request_scheduled)
        return extension

    def request_dropped(self, request: Request) -> None:
        if "redirect_urls" in request.meta:
            assert self.crawler.stats is not None
            count_given_up(self.crawler.stats, request)
            logger.warning(
                "%s: redirect loop (back to %s, already requested), given up",
                requested_url(request),
                request.url,
            )

    def request_scheduled(self, request: Request) -> None:
        domains = [d for d in getattr(self.crawler.spider, "allowed_domains", None) or [] if d]
        if (
            "redirect_urls" not in request.meta
            or not domains
            or request.dont_filter
            or request.meta.get("allow_offsite")
            or url_is_from_any_domain(request.url, domains)
        ):
            return
        logger.warning(
            "%s: redirect to %s refused: %s is not one of the source's domains",
            requested_url(request),
            request.url,
            urlsplit(request.url).hostname,
        )
