"""RSS and Atom feeds: every entry is a headline seen in context `feed`."""

from __future__ import annotations

import calendar
import logging
import re
import time
from collections.abc import Iterator
from datetime import datetime
from xml.sax import SAXException

import feedparser
from w3lib.html import remove_tags, replace_entities

from newsmon.items import HeadlineItem
from newsmon.normalize.dates import (
    NOT_PUBLISHED,
    UTC,
    Published,
    UnusableDate,
    parse_timestamp,
    published_date_only,
    published_exact,
    zoned_timestamp,
)
from newsmon.normalize.text import clean_text, short_lang, shorten
from newsmon.normalize.urls import canonical_url

logger = logging.getLogger(__name__)

# An entity declaration, in the encodings a feed may come in. A feed declaring entities is
# refused whole: an external entity reads local files or the network ("XXE"), nested internal
# ones expand to gigabytes ("billion laughs"); no real feed needs either.
_ENTITY_DECLARATIONS = tuple(
    "<!ENTITY".encode(encoding) for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
# Dates in the shape of ISO 8601 or RFC 2822 that the strict reading refused have impossible
# values (30 February, 25:61): feedparser would roll them over into another day.
_ISO_SHAPE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
_RFC_SHAPE = re.compile(r"\d{1,2}\s+[A-Za-z]{3}[a-z]*\.?\s+\d{2,4}\s+\d{1,2}:\d{1,2}")


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
    kept. Entries without a title are skipped. A feed that declares XML entities is refused;
    an empty or unreadable one, or one read leniently, is logged in one line.
    """
    if not body.strip():
        logger.warning("%s: feed unreadable: empty (%d bytes)", url, len(body))
        return
    if any(declaration in body for declaration in _ENTITY_DECLARATIONS):
        logger.warning(
            "%s: feed refused: it declares XML entities (<!ENTITY), which newsmon never expands",
            url,
        )
        return
    parsed = feedparser.parse(
        body,
        response_headers={"content-location": url},
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    error = parsed.get("bozo_exception")
    problem = " ".join(str(error or "").split())
    if not parsed.entries and isinstance(error, SAXException):
        logger.warning("%s: feed unreadable: %s", url, problem)
        return
    if not parsed.entries and not parsed.get("version"):
        logger.warning("%s: not an RSS or Atom feed (no entries)", url)
        return
    if isinstance(error, SAXException):
        logger.warning(
            "%s: feed is not well-formed XML (%s); read leniently: %d entries",
            url,
            problem,
            len(parsed.entries),
        )
    feed_lang = short_lang(parsed.feed.get("language")) or lang
    for position, entry in enumerate(parsed.entries):
        title = clean_text(_title_text(entry))
        if title is None:
            continue
        where = f"{url}: entry {shorten(title, 80)!r}"
        published = _entry_published(entry, tz, times_known, where)
        tags = [clean_text(tag.get("term")) for tag in entry.get("tags", [])]
        yield HeadlineItem(
            source=source,
            title=title,
            url=_entry_link(entry, url, where),
            page_url=url,
            context="feed",
            seen_at=fetched_at,
            published_at=published.at,
            published_date=published.date,
            published_basis=published.basis,
            modified_at=zoned_timestamp(dict.get(entry, "updated")),
            section=next((tag for tag in tags if tag), None),
            lang=short_lang(entry.get("language")) or feed_lang,
            position=position,
        )


def _title_text(entry: feedparser.FeedParserDict) -> str | None:
    """The entry's title as text: an HTML title (Atom `type="html"`) loses its tags, and
    entities left over from escaping twice (`&amp;#39;`, common in real feeds) are decoded."""
    title = entry.get("title")
    if not title:
        return None
    if entry.get("title_detail", {}).get("type") == "text/html":
        title = remove_tags(title)
    return replace_entities(title)


def _entry_link(entry: feedparser.FeedParserDict, url: str, where: str) -> str | None:
    """The entry's link, canonical; None (logged) when it cannot be used (a bad port)."""
    link = entry.get("link")
    if not link:
        return None
    try:
        return canonical_url(link, url)
    except ValueError as error:
        logger.warning("%s: link unusable: %s", where, error)
        return None


def _entry_published(
    entry: feedparser.FeedParserDict, tz: str, times_known: bool, where: str
) -> Published:
    """The entry's publication time; an unreadable one is logged (`where` names the entry)."""
    raw, parsed = _entry_date(entry)
    if not raw:
        return NOT_PUBLISHED
    moment = parse_timestamp(raw) or _other_format(raw, parsed)
    if moment is None:
        logger.warning("%s: date unreadable: %r", where, raw)
        return NOT_PUBLISHED
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not times_known:  # the date as the feed wrote it, in the feed's own offset
        return published_date_only(moment.date())
    try:
        return published_exact(moment, tz)
    except UnusableDate as error:
        logger.warning("%s: date unusable: %s", where, error)
        return NOT_PUBLISHED


def _entry_date(entry: feedparser.FeedParserDict) -> tuple[str, time.struct_time | None]:
    """The entry's publication (else update) date as written and as feedparser read it.

    Read with `dict.get`: feedparser's own lookup maps a missing `updated` onto `published`
    with a DeprecationWarning."""
    for key in ("published", "updated"):
        raw = dict.get(entry, key)
        if raw:
            return raw.strip(), dict.get(entry, f"{key}_parsed")
    return "", None


def _other_format(raw: str, parsed: time.struct_time | None) -> datetime | None:
    """feedparser's reading of a date in another format (it knows many), unless the text has
    a standard shape (then its values are impossible) or is a bare number."""
    if _ISO_SHAPE.match(raw) or _RFC_SHAPE.search(raw) or raw.isdigit() or not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, OSError, ValueError):  # beyond what a timestamp holds
        return None
