"""ccbsnews.info (CCBS News), English edition. The site shows dates only, never times."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.etree import _Element

from newsmon.extract.selectors import elements, first, link
from newsmon.items import HeadlineItem
from newsmon.normalize.dates import published_date_only, shown_date
from newsmon.sites.base import Item, Page, Site, SiteParser

DATE_FORMAT = "%d.%b.%Y"  # "17.Jul.2025"


class CcbsNewsV1(SiteParser):
    """The layout in use at the seed capture (July 2025)."""

    version = "1"

    TITLE = "h1.news-detail-title::text"
    BODY = "div.news-detail-text > p"
    SIDEBAR = "aside.sidebar li.news-item"
    LISTING = "section.news-listing li.news-item"
    ITEM_TITLE = "a.news-title"
    ITEM_DATE = "span.news-date::text"

    def parse_article(self, page: Page) -> Iterator[Item]:
        article = self.article_fields(page, {"title": self.TITLE, "body": self.BODY})
        yield article
        yield from self.own_headline(page, article)
        yield from self._entries(page, self.SIDEBAR, "sidebar")

    def parse_listing(self, page: Page) -> Iterator[HeadlineItem]:
        yield from self._entries(page, self.LISTING, "listing")

    def _entries(self, page: Page, selector: str, context: str) -> Iterator[HeadlineItem]:
        for position, entry in enumerate(elements(page.selector, selector)):
            headline = self._entry_headline(page, entry, context, position)
            if headline:
                yield headline

    def _entry_headline(
        self, page: Page, entry: _Element, context: str, position: int
    ) -> HeadlineItem | None:
        title, href = link(entry, self.ITEM_TITLE)
        day = shown_date(first(entry, self.ITEM_DATE), DATE_FORMAT)
        return page.headline(
            title,
            href,
            context,
            position,
            published=published_date_only(day) if day else None,
        )


SITE = Site(
    id="ccbsnews",
    name="CCBS News",
    home_url="https://ccbsnews.info/en",
    lang="en",
    tz="Asia/Baku",
    feeds=["https://ccbsnews.info/en/rss"],
    listings=["https://ccbsnews.info/en/news"],
    article_url=re.compile(r"^https://ccbsnews\.info/(?:en|az|ru)/news/detail/\d+"),
    article_id=re.compile(r"/news/detail/(\d+)"),
    parsers=[CcbsNewsV1],
    feed_times_known=False,
)
