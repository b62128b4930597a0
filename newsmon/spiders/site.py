"""The spider of a site with its own parser: feeds and listings first, then article pages."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from newsmon.dates import parse_iso
from newsmon.feeds import feed_headlines
from newsmon.items import ArticleItem, HeadlineItem
from newsmon.replay import MISSING_FLAG
from newsmon.sites import all_sites
from newsmon.sites.base import Item, Page, Site
from newsmon.text import match_key

logger = logging.getLogger(__name__)


class SiteSpider(scrapy.Spider):
    """Crawls one site: its feeds and listings yield headlines and lead to its articles."""

    site: ClassVar[Site]

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.site.feeds:
            yield self.page_request(url, self.parse_feed, "feed")
        for url in self.site.listings:
            yield self.page_request(url, self.parse_listing, "listing")

    def page_request(self, url: str, callback: Any, kind: str) -> scrapy.Request:
        """A request for one of this site's pages, tagged with source and page kind."""
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.page_failed,
            meta={"source": self.site.id, "page_kind": kind},
        )

    def parse_feed(self, response: Response) -> Iterator[Item | scrapy.Request]:
        """Feed entries are headlines; their article links are followed."""
        headlines = feed_headlines(
            response.body,
            response.url,
            source=self.site.id,
            tz=self.site.tz,
            fetched_at=self.page(response).fetched_iso,
            lang=self.site.lang,
            times_known=self.site.feed_times_known,
        )
        yield from self.with_articles(headlines)

    def parse_listing(self, response: Response) -> Iterator[Item | scrapy.Request]:
        """A listing's headlines; their article links are followed."""
        page = self.page(response)
        if page is None:
            return
        parser = self.site.parser_for(page.fetched_at)
        yield from self.with_articles(parser.parse_listing(page))

    def parse_article(self, response: Response) -> Iterator[Item]:
        """The article and every headline its page shows."""
        page = self.page(response)
        if page is None:
            return
        parser = self.site.parser_for(page.fetched_at)
        yield from unique_items(parser.parse_article(page))

    def with_articles(self, headlines: Iterable[HeadlineItem]) -> Iterator[Item | scrapy.Request]:
        """The headlines, each followed by a request for its article page."""
        for headline in unique_items(headlines):
            yield headline
            if headline.url and self.site.is_article(headline.url):
                yield self.page_request(headline.url, self.parse_article, "article")

    def page(self, response: Response) -> Page | None:
        """The response as a parser's page; None (logged) when it is not text."""
        if not isinstance(response, TextResponse):
            logger.warning(
                "%s: not a text page (%s), skipped",
                response.url,
                response.headers.get("Content-Type", b"?").decode("latin-1"),
            )
            return None
        fetched_at = parse_iso(response.meta["fetched_at"])
        assert fetched_at is not None
        return Page(
            url=response.url, selector=response.selector, fetched_at=fetched_at, source=self.site.id
        )

    def page_failed(self, failure: Failure) -> None:
        """A page that could not be fetched: one line, and the crawl goes on."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if failure.check(HttpError):
            response = failure.value.response
            if MISSING_FLAG not in response.flags:  # replay already said which fixture
                logger.warning("%s: HTTP %d", url, response.status)
            return
        logger.warning("%s: %s", url, failure.getErrorMessage() or failure.type.__name__)


def unique_items(items: Iterable[Item]) -> Iterator[Item]:
    """Items of one page with repeats dropped (a headline shown twice in one place is one)."""
    seen: set[tuple[str, str | None, str]] = set()
    for item in items:
        if isinstance(item, ArticleItem):
            yield item
            continue
        key = (item.context, item.url, match_key(item.title))
        if key not in seen:
            seen.add(key)
            yield item


def _spider_class(site: Site) -> type[SiteSpider]:
    class_name = "".join(part.title() for part in site.id.split("_")) + "Spider"
    return type(
        class_name,
        (SiteSpider,),
        {
            "name": site.id,
            "site": site,
            "allowed_domains": site.allowed_domains,
            "__module__": __name__,
            "__doc__": f"Crawls {site.name} ({site.home_url}).",
        },
    )


SITE_SPIDERS: dict[str, type[SiteSpider]] = {
    site.id: _spider_class(site) for site in all_sites().values()
}
globals().update({spider.__name__: spider for spider in SITE_SPIDERS.values()})
