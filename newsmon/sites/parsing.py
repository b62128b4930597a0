"""Which parse applies to a page of a site, and the items it gives.

Shared by the site spider (`newsmon.spiders.site`) and the fixture tools
(`newsmon.fixtures.tools`), so that a fixture's expected items are exactly what a crawl of the
page yields: a site's feed URLs are parsed as feeds, its listing URLs as listings, its article
URLs as articles (`page_kind`), each by the same function the spider's callback calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, cast

from newsmon.extract.feeds import feed_headlines
from newsmon.items import ArticleItem, HeadlineItem
from newsmon.normalize.text import match_key
from newsmon.normalize.urls import canonical_url
from newsmon.sites.base import Item, Page, Site, SiteParser

FEED = "feed"
LISTING = "listing"
ARTICLE = "article"


class Source(Protocol):
    """What a spider needs of a source: a site with its own parser, or a configured one."""

    @property
    def id(self) -> str: ...

    @property
    def tz(self) -> str: ...

    @property
    def lang(self) -> str | None: ...

    @property
    def feed_times_known(self) -> bool: ...

    def is_article(self, url: str | None) -> bool: ...


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


def page_kind(site: Site, url: str) -> str | None:
    """`feed`, `listing` or `article` for one of the site's pages; None for any other URL."""
    canonical = canonical_url(url)
    if any(canonical_url(feed) == canonical for feed in site.feeds):
        return FEED
    if any(canonical_url(listing) == canonical for listing in site.listings):
        return LISTING
    if site.is_article(url):
        return ARTICLE
    return None


def feed_items(source: Source, url: str, body: bytes, fetched_at: str) -> Iterator[HeadlineItem]:
    """The headlines of one of the source's feeds, repeats dropped."""
    headlines = feed_headlines(
        body,
        url,
        source=source.id,
        tz=source.tz,
        fetched_at=fetched_at,
        lang=source.lang,
        times_known=source.feed_times_known,
    )
    return cast(Iterator[HeadlineItem], unique_items(headlines))


def listing_items(
    site: Site, page: Page, parser: SiteParser | None = None
) -> Iterator[HeadlineItem]:
    """The headlines of one of the site's listing pages, repeats dropped.

    `parser` forces a parser version (default: the one valid on the page's fetch date).
    """
    chosen = parser or site.parser_for(page.fetched_at)
    return cast(Iterator[HeadlineItem], unique_items(chosen.parse_listing(page)))


def article_items(site: Site, page: Page, parser: SiteParser | None = None) -> Iterator[Item]:
    """The article of one of the site's article pages and the headlines it shows, repeats
    dropped. `parser` forces a parser version (default: the one valid on the fetch date)."""
    chosen = parser or site.parser_for(page.fetched_at)
    return unique_items(chosen.parse_article(page))
