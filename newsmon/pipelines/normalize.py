"""Normalize every item once: clean text, canonical URLs, UTC timestamps, short language codes."""

from __future__ import annotations

import logging
from dataclasses import replace

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from newsmon.dates import parse_iso, utc_iso
from newsmon.items import CONTEXTS, ArticleItem, HeadlineItem
from newsmon.lang import detect_language
from newsmon.text import clean_text, short_lang
from newsmon.urls import canonical_url

logger = logging.getLogger(__name__)

Item = ArticleItem | HeadlineItem


class NormalizePipeline:
    """Cleans items in place; items that cannot be made valid are dropped with one line."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls()

    def process_item(self, item: object) -> Item:
        if not isinstance(item, ArticleItem | HeadlineItem):
            raise DropItem(f"not a newsmon item: {type(item).__name__}")
        try:
            return normalize(item)
        except ValueError as error:
            raise DropItem(f"{ItemAdapter(item).get('page_url', '?')}: {error}") from error


def normalize(item: Item) -> Item:
    """The item with text cleaned, URLs canonical and times in UTC; ValueError if unusable."""
    if isinstance(item, HeadlineItem):
        return _normalize_headline(item)
    return _normalize_article(item)


def _normalize_headline(item: HeadlineItem) -> HeadlineItem:
    title = clean_text(item.title)
    if title is None:
        raise ValueError("headline without text")
    if item.context not in CONTEXTS:
        raise ValueError(f"unknown context {item.context!r}")
    published_at = _utc(item.published_at, "published_at")
    return replace(
        item,
        **_published_fields(published_at, item.published_date, item.published_basis),
        title=title,
        url=canonical_url(item.url, item.page_url) if item.url else None,
        page_url=canonical_url(item.page_url),
        seen_at=_required_utc(item.seen_at, "seen_at"),
        section=clean_text(item.section),
        lang=short_lang(item.lang) or detect_language(title),
        badges=[badge for badge in map(clean_text, item.badges) if badge],
    )


def _normalize_article(item: ArticleItem) -> ArticleItem:
    page_url = canonical_url(item.page_url)
    published_at = _utc(item.published_at, "published_at")
    return replace(
        item,
        **_published_fields(published_at, item.published_date, item.published_basis),
        url=canonical_url(item.url, page_url) if item.url else page_url,
        page_url=page_url,
        fetched_at=_required_utc(item.fetched_at, "fetched_at"),
        title=clean_text(item.title),
        modified_at=_utc(item.modified_at, "modified_at"),
        section=clean_text(item.section),
        lang=short_lang(item.lang)
        or detect_language(" ".join(filter(None, (item.title, item.lead)))),
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


def _utc(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    moment = parse_iso(value)
    if moment is None:
        raise ValueError(f"{name} {value!r} is not a zoned ISO 8601 timestamp")
    return utc_iso(moment)


def _required_utc(value: str | None, name: str) -> str:
    moment = _utc(value, name)
    if moment is None:
        raise ValueError(f"missing {name}")
    return moment


def _published_fields(
    published_at: str | None, published_date: str | None, basis: str | None
) -> dict[str, str | None]:
    """A publication time with its date: items from other scrapers often give only the time."""
    if published_at is None:
        return {"published_at": None, "published_date": published_date, "published_basis": basis}
    return {
        "published_at": published_at,
        "published_date": published_date or published_at[:10],
        "published_basis": basis or "exact",
    }


def _unique_texts(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in map(clean_text, values):
        if value:
            seen.setdefault(value, None)
    return list(seen)
