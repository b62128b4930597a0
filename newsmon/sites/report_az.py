"""report.az (Report News Agency), English edition. Times on the site are Baku time."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date

from lxml.etree import _Element

from newsmon.extract.selectors import elements, first, link, strings
from newsmon.items import HeadlineItem
from newsmon.normalize.dates import (
    Published,
    published_last_time_of_day,
    published_on_page_date,
    shown_date,
    shown_time,
)
from newsmon.sites.base import Item, Page, Site, SiteParser

logger = logging.getLogger(__name__)

DATE_FORMAT = "%d %B, %Y"  # "03 March, 2026"


class ReportAzV1(SiteParser):
    """The layout in use at the seed capture (March 2026)."""

    version = "1"

    TITLE = "h1.news-detail-title::text"
    SECTION = "ul.article-meta a.article-category::text"
    DATE = "ul.article-meta span.article-date::text"
    TIME = "ul.article-meta span.article-time::text"
    BODY = "div.article-body > p"
    TAGS = "div.article-tags a.tag::text"
    OTHER_LANGUAGES = "div.other-languages li.other-language-item"
    OTHER_LANGUAGE_TITLE = "a.other-language-title"
    LATEST = "section.latest-news li.news-item"
    FEED_DAYS = "section.news-feed div.news-feed-day"
    FEED_DAY_DATE = "h2.news-feed-date::text"
    FEED_ITEMS = "li.news-item"
    ITEM_TIME = "span.news-time::text"
    ITEM_TITLE = "a.news-title"
    ITEM_SECTION = "a.news-category::text"
    ITEM_BADGES = "span.news-badge::text"

    def parse_article(self, page: Page) -> Iterator[Item]:
        article = self.article_fields(
            page,
            {"title": self.TITLE, "section": self.SECTION, "body": self.BODY, "tags": self.TAGS},
        )
        if article.published_at is None:
            self.set_published(article, self._shown_published(page), "selector")
        yield article
        yield from self.own_headline(page, article)
        for position, entry in enumerate(elements(page.selector, self.OTHER_LANGUAGES)):
            title, href = link(entry, self.OTHER_LANGUAGE_TITLE)
            headline = page.headline(
                title,
                href,
                "alternate",
                position,
                lang=entry.get("lang"),
                badges=strings(entry, self.ITEM_BADGES),
            )
            if headline:
                yield headline
        for position, entry in enumerate(elements(page.selector, self.LATEST)):
            time_of_day = shown_time(first(entry, self.ITEM_TIME))
            published = (
                published_last_time_of_day(time_of_day, page.fetched_at, self.site.tz)
                if time_of_day
                else None
            )
            headline = self._entry_headline(page, entry, "latest", position, published)
            if headline:
                yield headline

    def parse_listing(self, page: Page) -> Iterator[HeadlineItem]:
        position = 0
        for day_block in elements(page.selector, self.FEED_DAYS):
            day = shown_date(first(day_block, self.FEED_DAY_DATE), DATE_FORMAT)
            for entry in elements(day_block, self.FEED_ITEMS):
                time_of_day = shown_time(first(entry, self.ITEM_TIME))
                published = (
                    published_on_page_date(day, time_of_day, self.site.tz)
                    if day and time_of_day
                    else None
                )
                headline = self._entry_headline(page, entry, "listing", position, published)
                if headline:
                    position += 1
                    yield headline

    def _entry_headline(
        self,
        page: Page,
        entry: _Element,
        context: str,
        position: int,
        published: Published | None,
    ) -> HeadlineItem | None:
        title, href = link(entry, self.ITEM_TITLE)
        return page.headline(
            title,
            href,
            context,
            position,
            published=published,
            section=first(entry, self.ITEM_SECTION),
            badges=strings(entry, self.ITEM_BADGES),
        )

    def _shown_published(self, page: Page) -> Published | None:
        day_text, time_text = first(page.selector, self.DATE), first(page.selector, self.TIME)
        day = shown_date(day_text, DATE_FORMAT)
        time_of_day = shown_time(time_text)
        if day is None or time_of_day is None:
            if day_text or time_text:
                logger.warning(
                    "%s: publication date unreadable: %r %r", page.url, day_text, time_text
                )
            return None
        shown = published_on_page_date(day, time_of_day, self.site.tz)
        return Published(shown.at, shown.date, "exact")


class ReportAzV2(ReportAzV1):
    """The layout from June 2026 (reconstructed, see seeds/README.md): the "Latest News" block
    is a `section.news-stream` of `li.stream-item`s, and the article's date is only in its
    JSON-LD (read first anyway; the visible date and time are gone). The older block is still
    read: during a redesign's rollout (and from caches) a site serves both layouts."""

    version = "2"
    valid_from = date(2026, 6, 1)

    LATEST = "section.news-stream li.stream-item, section.latest-news li.news-item"


SITE = Site(
    id="report_az",
    name="Report News Agency",
    home_url="https://report.az/en/",
    lang="en",
    tz="Asia/Baku",
    feeds=["https://report.az/en/rss/"],
    listings=["https://report.az/en/news-feed/"],
    article_url=re.compile(r"^https://report\.az/(?:en|az|ru)/(?!tags/)[\w-]+/[\w-]+/?$"),
    parsers=[ReportAzV1, ReportAzV2],
)
