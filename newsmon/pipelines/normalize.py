"""Normalize every item once: clean text, canonical URLs, UTC timestamps, short language codes.

Three things a page says are not taken on trust: a title longer than `NEWSMON_MAX_TITLE_LENGTH`
characters is cut (with an ellipsis) before its language is detected, a publication time
later than the page's fetch time plus `NEWSMON_FUTURE_TOLERANCE_HOURS` is dropped (the item is
kept without one), and so is a publication or modification time too near the calendar's ends
to be converted (year 1, year 9999). Each is logged in one line naming the page.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from typing import TypedDict

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from newsmon.items import CONTEXTS, ArticleItem, HeadlineItem, PageItems
from newsmon.normalize.dates import UnusableDate, parse_iso, usable, utc_iso
from newsmon.normalize.lang import detect_language
from newsmon.normalize.text import clean_text, short_lang, shorten
from newsmon.normalize.urls import canonical_url
from newsmon.settings_table import default

logger = logging.getLogger(__name__)

Item = ArticleItem | HeadlineItem

MAX_TITLE_LENGTH: int = default("NEWSMON_MAX_TITLE_LENGTH")
FUTURE_TOLERANCE = timedelta(hours=24)


class NormalizePipeline:
    """Cleans items in place; items that cannot be made valid are dropped with one line.

    A page's bundle (`PageItems`) keeps its valid items; each one dropped from it is logged
    and counted as Scrapy counts a dropped item (`item_dropped_count`).
    """

    def __init__(
        self,
        max_title_length: int = MAX_TITLE_LENGTH,
        future_tolerance: timedelta = FUTURE_TOLERANCE,
        stats: StatsCollector | None = None,
    ) -> None:
        self.max_title_length = max_title_length
        self.future_tolerance = future_tolerance
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        settings = crawler.settings
        return cls(
            settings.getint("NEWSMON_MAX_TITLE_LENGTH", MAX_TITLE_LENGTH),
            timedelta(
                hours=settings.getfloat(
                    "NEWSMON_FUTURE_TOLERANCE_HOURS", default("NEWSMON_FUTURE_TOLERANCE_HOURS")
                )
            ),
            crawler.stats,
        )

    def process_item(self, item: object) -> PageItems | Item:
        if isinstance(item, PageItems):
            item.items = [valid for one in item.items if (valid := self._valid(one)) is not None]
            return item
        if not isinstance(item, ArticleItem | HeadlineItem):
            raise DropItem(f"not a newsmon item: {type(item).__name__}")
        try:
            return self._normalize(item)
        except ValueError as error:
            raise DropItem(f"{ItemAdapter(item).get('page_url', '?')}: {error}") from error

    def _normalize(self, item: Item) -> Item:
        return normalize(
            item, max_title_length=self.max_title_length, future_tolerance=self.future_tolerance
        )

    def _valid(self, item: Item) -> Item | None:
        """The item normalized, or None (logged, counted) when it cannot be made valid."""
        try:
            return self._normalize(item)
        except ValueError as error:
            logger.warning("%s: %s; item dropped", item.page_url, error)
            if self.stats is not None:
                self.stats.inc_value("item_dropped_count")
                self.stats.inc_value("item_dropped_reasons_count/ValueError")
            return None


def normalize(
    item: Item,
    *,
    max_title_length: int = MAX_TITLE_LENGTH,
    future_tolerance: timedelta = FUTURE_TOLERANCE,
) -> Item:
    """The item with text cleaned, URLs canonical and times in UTC; ValueError if unusable.

    Titles are cut to `max_title_length` characters (then a missing language is detected);
    a publication time more than `future_tolerance` after the fetch is dropped (both logged).
    """
    if isinstance(item, HeadlineItem):
        item = _normalize_headline(item)
        seen = item.seen_at
    else:
        item = _normalize_article(item)
        seen = item.fetched_at
        if item.title is None:
            logger.warning("%s: article without a title", item.page_url)
    quiet = _repeats_its_article(item)
    if item.title and len(item.title) > max_title_length:
        if not quiet:
            logger.warning(
                "%s: title of %d characters cut to %d (NEWSMON_MAX_TITLE_LENGTH)",
                item.page_url,
                len(item.title),
                max_title_length,
            )
        item = replace(item, title=shorten(item.title, max_title_length))
    if item.lang is None:  # detected on the title as cut: detection time grows with length
        texts = (item.title, item.lead) if isinstance(item, ArticleItem) else (item.title,)
        item = replace(item, lang=detect_language(" ".join(filter(None, texts))))
    return _without_future_date(item, seen, future_tolerance, quiet)


def _repeats_its_article(item: Item) -> bool:
    """Whether `item` is an article page's own headline, which repeats its article: a problem
    of both is said once, for the article."""
    return isinstance(item, HeadlineItem) and item.context == "article"


def _without_future_date(item: Item, seen: str, tolerance: timedelta, quiet: bool) -> Item:
    """The item without its publication time when that lies after the fetch (+ tolerance):
    no page can report news from the future, so the date is the page's mistake."""
    seen_moment = parse_iso(seen)
    assert seen_moment is not None
    latest = seen_moment + tolerance
    published = parse_iso(item.published_at) if item.published_at else None
    if published is not None and published > latest:
        shown = item.published_at
    elif item.published_date and item.published_date > latest.date().isoformat():
        shown = item.published_date
    else:
        return item
    if not quiet:
        logger.warning(
            "%s: publication time %s is after the page was fetched (%s): not trusted, "
            "stored without",
            item.page_url,
            shown,
            seen,
        )
    return replace(item, published_at=None, published_date=None, published_basis=None)


def _normalize_headline(item: HeadlineItem) -> HeadlineItem:
    title = clean_text(item.title)
    if title is None:
        raise ValueError("headline without text")
    if item.context not in CONTEXTS:
        raise ValueError(f"unknown context {item.context!r}")
    page_url = canonical_url(item.page_url)
    return replace(
        item,
        **_published_fields(item, page_url, _repeats_its_article(item)),
        title=title,
        url=canonical_url(item.url, item.page_url) if item.url else None,
        page_url=page_url,
        seen_at=_required_utc(item.seen_at, "seen_at"),
        modified_at=_usable_utc(item.modified_at, "modified_at", page_url, quiet=True),
        section=clean_text(item.section),
        lang=short_lang(item.lang),
        badges=[badge for badge in map(clean_text, item.badges) if badge],
    )


def _normalize_article(item: ArticleItem) -> ArticleItem:
    page_url = canonical_url(item.page_url)
    return replace(
        item,
        **_published_fields(item, page_url),
        url=canonical_url(item.url, page_url) if item.url else page_url,
        page_url=page_url,
        fetched_at=_required_utc(item.fetched_at, "fetched_at"),
        title=clean_text(item.title),
        seo_title=clean_text(item.seo_title),
        modified_at=_usable_utc(item.modified_at, "modified_at", page_url),
        section=clean_text(item.section),
        lang=short_lang(item.lang),
        authors=_unique_texts(item.authors),
        lead=clean_text(item.lead),
        body=[paragraph for paragraph in map(clean_text, item.body) if paragraph],
        tags=_unique_texts(item.tags),
        previous_urls=[canonical_url(url, page_url) for url in item.previous_urls],
        alternates={
            lang: canonical_url(url, page_url)
            for lang, url in ((short_lang(key), value) for key, value in item.alternates.items())
            if lang and url
        },
    )


def _utc(value: str | None, name: str, *, publication: bool = False) -> str | None:
    """`value` in UTC; a `publication` time must also be usable (UnusableDate)."""
    if value is None:
        return None
    moment = parse_iso(value)
    if moment is None:
        raise ValueError(f"{name} {value!r} is not a zoned ISO 8601 timestamp")
    return utc_iso(usable(moment) if publication else moment)


def _usable_utc(value: str | None, name: str, page_url: str, quiet: bool = False) -> str | None:
    """`_utc` of a publication time; one too near the calendar's ends is left out with one
    line."""
    try:
        return _utc(value, name, publication=True)
    except UnusableDate as error:
        if not quiet:
            logger.warning("%s: %s unusable: %s; stored without", page_url, name, error)
        return None


def _required_utc(value: str | None, name: str) -> str:
    moment = _utc(value, name)
    if moment is None:
        raise ValueError(f"missing {name}")
    return moment


class _Published(TypedDict):
    published_at: str | None
    published_date: str | None
    published_basis: str | None


def _published_fields(item: Item, page_url: str, quiet: bool = False) -> _Published:
    """The item's publication time in UTC with its date (items from other scrapers often give
    only the time); an unusable time is left out with its date."""
    published_at = _usable_utc(item.published_at, "published_at", page_url, quiet)
    if published_at is None:
        if item.published_at is not None:
            return {"published_at": None, "published_date": None, "published_basis": None}
        return {
            "published_at": None,
            "published_date": item.published_date,
            "published_basis": item.published_basis,
        }
    return {
        "published_at": published_at,
        "published_date": item.published_date or published_at[:10],
        "published_basis": item.published_basis or "exact",
    }


def _unique_texts(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in map(clean_text, values):
        if value:
            seen.setdefault(value, None)
    return list(seen)
