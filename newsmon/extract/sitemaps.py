"""Sitemaps: sitemap indexes, URL sets and Google News sitemaps, gzipped or not.

Reads what Scrapy's `Sitemap` reads (`loc`, `lastmod`, namespace-agnostic, entities never
resolved) plus the `news:news` block of Google News sitemaps (title, publication date,
language), which `Sitemap` flattens away. Entries can be kept to those changed in the last days,
judged against the sitemap's fetch time, never the clock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from lxml import etree
from scrapy.utils.gz import gunzip

from newsmon.items import HeadlineItem
from newsmon.normalize.dates import (
    NOT_PUBLISHED,
    Published,
    UnusableDate,
    parse_iso,
    published_date_only,
    published_exact,
    zone,
    zoned_timestamp,
)
from newsmon.normalize.text import clean_text, short_lang, shorten
from newsmon.normalize.urls import canonical_url

logger = logging.getLogger(__name__)

INDEX = "sitemapindex"
URLSET = "urlset"
_GZIP_MAGIC = b"\x1f\x8b\x08"
_PARSER = etree.XMLParser(
    recover=True,
    remove_comments=True,
    remove_pis=True,
    resolve_entities=False,
    no_network=True,
    collect_ids=False,
)


@dataclass(frozen=True)
class SitemapEntry:
    """One `<url>` or `<sitemap>` of a sitemap, with its Google News block when it has one."""

    url: str
    lastmod: str | None = None
    news_title: str | None = None
    news_published: str | None = None
    news_language: str | None = None


@dataclass
class Sitemap:
    """A parsed sitemap: its kind (`sitemapindex`, `urlset`, or what the root is) and entries."""

    kind: str
    entries: list[SitemapEntry] = field(default_factory=list)


def sitemap_body(body: bytes, *, max_size: int = 0) -> bytes:
    """The XML of a sitemap response: gunzipped when it is a gzip file (`sitemap.xml.gz`).

    ValueError when the body is neither or decompresses beyond `max_size` (0: no limit).
    """
    if body[:3] == _GZIP_MAGIC:
        try:
            return gunzip(body, max_size=max_size)
        except (OSError, EOFError) as error:
            raise ValueError(f"broken gzip data: {error}") from error
        except ValueError as error:  # scrapy's size check
            raise ValueError(f"larger than {max_size} bytes once decompressed") from error
    if body.lstrip()[:1] != b"<":
        raise ValueError("not XML")
    return body


def read_sitemap(body: bytes) -> Sitemap:
    """The kind and entries of a sitemap's XML; kind "" when the body is not XML at all."""
    try:
        root = etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        return Sitemap("")
    sitemap = Sitemap(_local_name(root))
    for element in root:
        if _local_name(element) in ("url", "sitemap"):
            entry = _entry(element)
            if entry is not None:
                sitemap.entries.append(entry)
    return sitemap


def is_recent(entry: SitemapEntry, since: datetime, tz: str) -> bool:
    """Whether the entry was published or changed at or after `since` (aware). An entry that
    gives no date, or no usable one, counts as recent: nothing says it is old."""
    value = entry.news_published or entry.lastmod
    try:
        published = _published(value, tz)
    except UnusableDate:
        return True
    moment = parse_iso(published.at) if published.at else None
    if moment is not None:
        return moment >= since
    if published.date is not None:
        return published.date >= since.astimezone(zone(tz)).date().isoformat()
    return True


def recent_entries(
    entries: Iterable[SitemapEntry], fetched_at: datetime, max_age_days: float, tz: str
) -> list[SitemapEntry]:
    """The entries changed in the `max_age_days` before the sitemap was fetched."""
    since = fetched_at - timedelta(days=max_age_days)
    return [entry for entry in entries if is_recent(entry, since, tz)]


def sitemap_headlines(
    entries: Iterable[SitemapEntry],
    url: str,
    *,
    source: str,
    tz: str,
    fetched_at: str,
    lang: str | None = None,
) -> Iterator[HeadlineItem]:
    """The Google News entries as headlines seen in context `sitemap`, in sitemap order.

    An entry whose address is unusable is skipped, an unusable date left out (each logged)."""
    position = 0
    for entry in entries:
        title = clean_text(entry.news_title)
        if title is None:
            continue
        where = f"{url}: entry {shorten(title, 80)!r}"
        try:
            entry_url = canonical_url(entry.url, url)
        except ValueError as error:
            logger.warning("%s skipped: %s", where, error)
            continue
        try:
            published = _published(entry.news_published, tz)
        except UnusableDate as error:
            logger.warning("%s: date unusable: %s", where, error)
            published = NOT_PUBLISHED
        yield HeadlineItem(
            source=source,
            title=title,
            url=entry_url,
            page_url=url,
            context="sitemap",
            seen_at=fetched_at,
            published_at=published.at,
            published_date=published.date,
            published_basis=published.basis,
            modified_at=zoned_timestamp(entry.lastmod),
            lang=short_lang(entry.news_language) or lang,
            position=position,
        )
        position += 1


def _entry(element: etree._Element) -> SitemapEntry | None:
    values: dict[str, str] = {}
    for child in element:
        name = _local_name(child)
        if name == "news":
            for news_child in child:
                news_name = _local_name(news_child)
                if news_name == "publication":
                    for publication_child in news_child:
                        if _local_name(publication_child) == "language":
                            values["news_language"] = _text(publication_child)
                elif news_name in ("title", "publication_date"):
                    values[f"news_{news_name}"] = _text(news_child)
        elif name in ("loc", "lastmod"):
            values[name] = _text(child)
    if not values.get("loc"):
        return None
    return SitemapEntry(
        url=values["loc"],
        lastmod=values.get("lastmod") or None,
        news_title=values.get("news_title") or None,
        news_published=values.get("news_publication_date") or None,
        news_language=values.get("news_language") or None,
    )


def _published(value: str | None, tz: str) -> Published:
    """A W3C datetime (`2026-03-03`, `2026-03-03T10:00:00+04:00`) as Published; UnusableDate
    when it is too near the calendar's ends."""
    text = (value or "").strip()
    if len(text) == 10:
        try:
            return published_date_only(date.fromisoformat(text))
        except ValueError:
            return Published(None, None, None)
    return published_exact(text or None, tz)


def _local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()
