"""RSS and Atom feeds: every entry is a headline seen in context `feed`."""

from __future__ import annotations

import calendar
import logging
from collections.abc import Iterator
from datetime import datetime

import feedparser

from newsmon.dates import UTC, Published, published_date_only, published_exact, zone
from newsmon.items import HeadlineItem
from newsmon.text import clean_text, short_lang
from newsmon.urls import canonical_url

logger = logging.getLogger(__name__)


def feed_headlines(
    body: bytes,
    url: str,
    *,
    source: str,
    tz: str,
    fetched_at: str,
    lang: str | None = None,
    times_known: bool = True,
) -> Iterator[HeadlineItem]:
    """The headlines of an RSS/Atom feed, in feed order.

    `times_known=False` is for sites whose feeds put midnight on every entry: only the date is
    kept. Entries without a title are skipped.
    """
    parsed = feedparser.parse(
        body,
        response_headers={"content-location": url},
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    if parsed.get("bozo") and not parsed.entries:
        logger.warning("feed %s unreadable: %s", url, parsed.get("bozo_exception"))
        return
    feed_lang = short_lang(parsed.feed.get("language")) or lang
    for position, entry in enumerate(parsed.entries):
        title = clean_text(entry.get("title"))
        if title is None:
            continue
        link = entry.get("link")
        published = _entry_published(entry, tz, times_known)
        tags = [clean_text(tag.get("term")) for tag in entry.get("tags", [])]
        yield HeadlineItem(
            source=source,
            title=title,
            url=canonical_url(link, url) if link else None,
            page_url=url,
            context="feed",
            seen_at=fetched_at,
            published_at=published.at,
            published_date=published.date,
            published_basis=published.basis,
            section=next((tag for tag in tags if tag), None),
            lang=short_lang(entry.get("language")) or feed_lang,
            position=position,
        )


def _entry_published(entry: feedparser.FeedParserDict, tz: str, times_known: bool) -> Published:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed is None:
        return Published(None, None, None)
    moment = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    if not times_known:
        raw = entry.get("published") or entry.get("updated") or ""
        offset_moment = _with_original_offset(raw) or moment.astimezone(zone(tz))
        return published_date_only(offset_moment.date())
    return published_exact(moment, tz)


def _with_original_offset(raw: str) -> datetime | None:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
