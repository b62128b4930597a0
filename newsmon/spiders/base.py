"""What newsmon's spiders share: requests tagged with their source, feeds, pages, failures."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any

import scrapy
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newsmon.crawl.refusals import refused_page
from newsmon.extract.readable import page_selector
from newsmon.fixtures.replay import MISSING_FLAG
from newsmon.items import HeadlineItem
from newsmon.middlewares.conditional import NotModified
from newsmon.middlewares.pages import count_given_up, is_robots_refusal
from newsmon.middlewares.private import PrivateAddressRefused
from newsmon.normalize.dates import parse_iso
from newsmon.ops.failures import failure_reason, requested_url
from newsmon.settings_table import default
from newsmon.sites.base import Item, Page
from newsmon.sites.parsing import Source, feed_items, unique_items

logger = logging.getLogger(__name__)

# HTML's own pagination link, in the head or on a pager link.
NEXT_PAGE_LINK = 'link[rel~="next"]::attr(href), a[rel~="next"]::attr(href)'


class NewsSpider(scrapy.Spider):
    """Base of newsmon's spiders: every request names its source and page kind in `meta`."""

    def source_of(self, response: Response) -> Source:
        """The source a response belongs to."""
        raise NotImplementedError

    def parse_article(self, response: Response) -> Iterator[Item]:
        """The article of an article page and the headlines the page shows."""
        raise NotImplementedError

    def entry_requests(self, source: str) -> Iterator[scrapy.Request]:
        """Requests for the entry points (feeds, sitemaps, listings) of one of the spider's
        sources: its start, and what an overflowing poll reads further."""
        raise NotImplementedError

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.crawled_sources():
            for request in self.entry_requests(source):
                yield request

    def crawled_sources(self) -> list[str]:
        """The ids of the sources this spider crawls."""
        raise NotImplementedError

    def page_request(
        self, url: str, callback: Callable[..., Any], kind: str, source: str, **cb_kwargs: Any
    ) -> scrapy.Request:
        """A request for one of `source`'s pages, tagged with source and page kind."""
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.page_failed,
            meta={"source": source, "page_kind": kind},
            cb_kwargs=cb_kwargs,
        )

    def parse_feed(self, response: Response) -> Iterator[Item | scrapy.Request]:
        """Feed entries are headlines; their article links are followed."""
        if isinstance(response, HtmlResponse) and refused_page(response, None, self.crawler.stats):
            return  # a challenge page served in place of the feed
        source = self.source_of(response)
        headlines = feed_items(source, response.url, response.body, response.meta["fetched_at"])
        yield from self.with_articles(source, headlines)

    def with_articles(
        self, source: Source, headlines: Iterable[HeadlineItem]
    ) -> Iterator[Item | scrapy.Request]:
        """The headlines, each followed by a request for its article page."""
        for headline in unique_items(headlines):
            yield headline
            if headline.url and source.is_article(headline.url):
                yield self.page_request(headline.url, self.parse_article, "article", source.id)

    def next_listing_page(
        self, response: Response, page: Page, callback: Callable[..., Any], **cb_kwargs: Any
    ) -> Iterator[scrapy.Request]:
        """The listing's next page (its `rel="next"` link), while this crawl has read fewer
        than `NEWSMON_LISTING_PAGES` pages of the listing."""
        number = response.meta.get("listing_page", 1)
        pages = self.settings.getint("NEWSMON_LISTING_PAGES", default("NEWSMON_LISTING_PAGES"))
        # A poll of the listing may read further (`newsmon.polling.middleware`).
        if number >= max(pages, response.meta.get("listing_pages", 0)):
            return
        href = page.selector.css(NEXT_PAGE_LINK).get()
        if not href:
            return
        request = self.page_request(
            response.urljoin(href.strip()), callback, "listing", page.source, **cb_kwargs
        )
        request.meta["listing_page"] = number + 1
        # After the articles this page links: pending requests stay a page's worth, not the
        # whole archive's.
        request.priority = -1
        yield request

    def page(self, response: Response) -> Page | None:
        """The response as a parser's page; None (logged) when it is not text, or a challenge
        or script-only page (`newsmon.crawl.refusals`: counted, nothing of it is stored)."""
        if not isinstance(response, TextResponse):
            logger.warning(
                "%s: not a text page (%s), skipped",
                response.url,
                (response.headers.get("Content-Type") or b"?").decode("latin-1"),
            )
            return None
        selector = page_selector(response, self.source_of(response).lang)
        if selector is None:  # empty or binary: logged
            return None
        if refused_page(response, selector, self.crawler.stats):
            return None
        fetched_at = parse_iso(response.meta["fetched_at"])
        assert fetched_at is not None
        return Page(
            url=response.url,
            selector=selector,
            fetched_at=fetched_at,
            source=response.meta["source"],
        )

    def page_failed(self, failure: Failure) -> None:
        """A page that could not be fetched: one line, counted as an error of its source (see
        `newsmon.middlewares.pages`), and the crawl goes on."""
        request = getattr(failure, "request", None)
        if failure.check(NotModified):  # unchanged since the last run: counted, nothing to parse
            return
        if failure.check(HttpError) and MISSING_FLAG in failure.value.response.flags:
            return  # replay already said which fixture, and counted it missing
        if failure.check(HttpError):  # a challenge page often comes as a 403 or 503
            refused_page(failure.value.response, None, self.crawler.stats)
        if request is None:
            logger.warning("?: %s", failure.getErrorMessage() or failure.type.__name__)
            return
        if not is_robots_refusal(failure.value):
            assert self.crawler.stats is not None
            count_given_up(self.crawler.stats, request)
        if failure.check(PrivateAddressRefused):  # the guard already said why
            return
        reason = failure_reason(failure, request, self.settings)
        logger.warning("%s: %s", requested_url(request), reason)
