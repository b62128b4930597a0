"""`newsmon ingest`: items from another scraper (JSON Lines) through the same store path.

A line is skipped only when it is not a JSON object or its `url` or `title` is missing or
unusable. Any other field that cannot be read is left out of the item, with one warning naming
the line and the field, and the item is stored.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

from newsmon import clock
from newsmon.config import ID_PATTERN, ID_RULE, RESERVED_IDS
from newsmon.crawl.discover import source_id_for
from newsmon.items import BASES, CONTEXTS, ArticleItem, HeadlineItem
from newsmon.normalize.dates import (
    NOT_PUBLISHED,
    UTC,
    Published,
    parse_timestamp,
    published_date_only,
    published_exact,
    zone,
)
from newsmon.normalize.text import clean_text
from newsmon.normalize.urls import canonical_url
from newsmon.ops.progress import ProgressCallback
from newsmon.pipelines.normalize import normalize
from newsmon.store import Store
from newsmon.store.writer import StoreWriter

logger = logging.getLogger(__name__)

_ARTICLE_FIELDS = {f.name for f in fields(ArticleItem)}
_HEADLINE_FIELDS = {f.name for f in fields(HeadlineItem)}
# Epoch seconds written as text (9 digits and more: ISO 8601 reads `20251009` as a date).
_EPOCH_TEXT = re.compile(r"\d{9,}(\.\d+)?")
# Larger epoch numbers are milliseconds (as JavaScript writes them): seconds would be after 5138.
_EPOCH_MILLISECONDS = 10**11
# Years a stored time may have: a day either side stays a valid date.
_YEARS = range(2, 9999)
_SHOWN_LENGTH = 60


class IngestError(Exception):
    """An ingest cannot start (an unknown time zone); the message names it."""


@dataclass
class IngestResult:
    """What an ingest run stored, which lines it skipped and which fields it left out.

    `skipped` and `warnings` are (line number, reason) pairs; `naive_times` counts the times
    without a zone that were read in `tz`.
    """

    crawl_id: int
    tz: str = "UTC"
    lines: int = 0
    items: int = 0
    new_headlines: int = 0
    new_appearances: int = 0
    naive_times: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def ingest(
    store: Store,
    lines: Iterable[str | bytes],
    *,
    source_name: str = "-",
    tz: str = "UTC",
    progress: ProgressCallback | None = None,
) -> IngestResult:
    """Store the items of JSON Lines `lines` (text, or UTF-8 bytes) as one crawl run (mode
    `ingest`).

    A line is a newsmon item as `scrapy crawl … -O items.jsonl` writes it, or any object with
    at least `url` and `title`. Times without a zone are read in `tz`. Bad lines are skipped
    and reported by number; unreadable optional fields are left out with a warning. `progress`
    is called with the number of lines read after each line.
    """
    try:
        zone(tz)
    except (ValueError, KeyError) as error:  # ZoneInfoNotFoundError is a KeyError
        raise IngestError(f"unknown time zone {tz!r}") from error
    crawl_id = store.start_crawl("ingest", [source_name])
    result = IngestResult(crawl_id, tz)
    try:
        _ingest_lines(store, lines, result, progress)
    except BaseException as error:
        # A fault of the store (disk full…) or an interruption: the run did not finish. Saying
        # so may fail too (the disk is still full): the error that stopped it is the one told.
        with contextlib.suppress(Exception):
            _finish(store, result, "failed" if isinstance(error, Exception) else "interrupted", {})
        raise
    return result


def _ingest_lines(
    store: Store,
    lines: Iterable[str | bytes],
    result: IngestResult,
    progress: ProgressCallback | None,
) -> None:
    writer = StoreWriter(store, result.crawl_id)
    now = clock.now_iso()
    known_sources: set[str] = set()
    for number, line in enumerate(lines, start=1):
        result.lines = number
        if progress is not None:
            progress(number, None)
        try:
            data = parse_line(line, first=number == 1)
            if data is None:
                continue
            reading = read_line(data, now, result.tz)
            normalized = [normalize(item) for item in reading.items]
        except ValueError as error:
            result.skipped.append((number, str(error)))
            continue
        result.warnings.extend((number, warning) for warning in reading.warnings)
        result.naive_times += reading.naive_times
        for item in normalized:
            if item.source not in known_sources:
                _ensure_ingest_source(store, item.source)
                known_sources.add(item.source)
            writer.write(item)
            result.items += 1
    writer.close()
    totals = writer.totals()
    result.new_headlines = totals["new_headlines"]
    result.new_appearances = totals["new_appearances"]
    _finish(store, result, "ok", totals)


def _finish(store: Store, result: IngestResult, status: str, totals: dict[str, int]) -> None:
    summary = {
        "lines": result.lines,
        "items": result.items,
        "skipped": len(result.skipped),
        "warnings": len(result.warnings),
        **totals,
    }
    with store.transaction():
        store.finish_crawl(result.crawl_id, status, summary)


def parse_line(line: str | bytes, *, first: bool = False) -> Any:
    """The JSON value of one line; None for a blank line; ValueError naming what is wrong.

    The first line may start with a UTF-8 byte order mark.
    """
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as error:
            byte = error.object[error.start]
            raise ValueError(f"not UTF-8 (byte 0x{byte:02x} at column {error.start + 1})") from None
    if first:
        line = line.removeprefix("\ufeff")
    if not line.strip():
        return None
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg})") from None
    except RecursionError:
        raise ValueError("not read: JSON nested too deeply") from None


@dataclass
class LineReading:
    """The items one line stands for, the warnings about fields left out, and how many of its
    times had no zone."""

    items: list[ArticleItem | HeadlineItem]
    warnings: list[str]
    naive_times: int


def read_line(data: Any, now: str, tz: str) -> LineReading:
    """The items of one JSON value; ValueError when its `url` or `title` is unusable.

    Times without a zone are read in `tz`; `now` stands in for a missing fetch time.
    """
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    url, title = data.get("url"), data.get("title")
    if not isinstance(url, str) or not _is_web_url(url):
        raise ValueError("missing or invalid 'url'")
    if not isinstance(title, str) or clean_text(title) is None:
        raise ValueError("missing or empty 'title'")
    reader = _FieldReader(data, tz)
    values: dict[str, Any] = {
        name: value
        for name, read in _OPTIONAL_FIELDS.items()
        if (value := reader.read(name, read)) is not None
    }
    values.update(
        reader.publication(),
        source=reader.source(url),
        modified_at=reader.read("modified_at", reader.instant),
        url=url,
        title=title,
        page_url=values.get("page_url") or url,
    )
    seen_at = reader.read("seen_at", reader.instant)
    fetched_at = reader.read("fetched_at", reader.instant)
    items: list[ArticleItem | HeadlineItem] = []
    if "fetched_at" in data or "body" in data or "lead" in data:
        article = {key: value for key, value in values.items() if key in _ARTICLE_FIELDS}
        items.append(ArticleItem(**article, fetched_at=fetched_at or now))
    if "seen_at" in data or "context" in data or "fetched_at" not in data:
        headline = {key: value for key, value in values.items() if key in _HEADLINE_FIELDS}
        headline.setdefault("context", "ingest")
        items.append(HeadlineItem(**headline, seen_at=seen_at or fetched_at or now))
    return LineReading(items, reader.warnings, reader.naive_times)


def read_published(value: Any, tz: str) -> tuple[Published, bool]:
    """A publication time as other scrapers write it, and whether it named no zone.

    Accepted: ISO 8601 timestamps, zoned or not; dates alone (`2025-10-09`: basis
    `date_only`); RFC 2822 (`Thu, 09 Oct 2025 10:00:00 +0400`); epoch seconds (or
    milliseconds), as a number or as text. A time without a zone is read in `tz`, and so is
    the calendar date of a zoned one. ValueError when it is none of them or out of range.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"expected a date or time, not {_json_kind(value)}")
    if isinstance(value, str):
        text = value.strip()
        day = _iso_day(text)
        if day is not None:
            return published_date_only(day), False
        moment = parse_timestamp(text)
        if moment is None and _EPOCH_TEXT.fullmatch(text):
            moment = _from_epoch(float(text))
        if moment is None:
            raise ValueError("not a date or time")
    else:
        moment = _from_epoch(value)
    if moment.year not in _YEARS:
        raise ValueError(f"year {moment.year} is out of range")
    naive = moment.tzinfo is None
    return published_exact(moment, tz), naive


def _iso_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _from_epoch(number: float) -> datetime:
    try:
        if not math.isfinite(number):
            raise ValueError("not a finite number")
        seconds = number / 1000 if abs(number) >= _EPOCH_MILLISECONDS else number
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError):  # an integer too large for a float, a year past 9999
        raise ValueError("out of range as epoch seconds") from None


class _FieldReader:
    """Reads the optional fields of one line, keeping a warning for each one left out."""

    def __init__(self, data: dict[str, Any], tz: str) -> None:
        self.data = data
        self.tz = tz
        self.warnings: list[str] = []
        self.naive_times = 0

    def read(self, name: str, read: Callable[[Any], Any]) -> Any:
        """The field `name` read by `read`; None when it is absent, null, "" or unreadable."""
        value = self.data.get(name)
        if value is None or value == "":
            return None
        try:
            return read(value)
        except ValueError as error:
            self.warnings.append(f"{name} {_shown(value)} left out: {error}")
            return None

    def source(self, url: str) -> str:
        """The line's source id; one that breaks the rule of the sources file is replaced by
        the id of the URL's site (`report_az` for report.az)."""
        warnings = len(self.warnings)
        source = self.read("source", _source_id)
        if source is not None:
            return str(source)
        source = source_id_for(url)
        if len(self.warnings) > warnings:
            self.warnings[-1] += f"; stored as {source}"
        return source

    def published(self, value: Any) -> Published:
        published, naive = read_published(value, self.tz)
        self.naive_times += naive
        return published

    def instant(self, value: Any) -> str:
        """A moment (a fetch or modification time): a date alone is not one."""
        published = self.published(value)
        if published.at is None:
            raise ValueError("a date without a time of day")
        return published.at

    def publication(self) -> dict[str, Any]:
        """`published_at`, `published_date` and `published_basis` as the store takes them.

        A date or basis the line gives (as newsmon's own items do) wins over the one read
        from `published_at`; a line with no time of day has basis `date_only`.
        """
        read = self.read("published_at", self.published) or NOT_PUBLISHED
        day = self.read("published_date", _calendar_date) or read.date
        basis = self.read("published_basis", _basis) or read.basis
        if read.at is None:
            basis = "date_only" if day else None
        return {
            "published_at": read.at,
            "published_date": day,
            "published_basis": basis,
        }


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, not {_json_kind(value)}")
    return value


def _identifier(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value)


def _texts(value: Any) -> list[str]:
    """A list of texts; one text is a list of one."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(one, str) for one in value):
        raise ValueError(f"expected a list of texts, not {_json_kind(value)}")
    return value


def _body(value: Any) -> list[str]:
    """Paragraphs: a list of texts, or one text with paragraphs apart by blank lines."""
    if isinstance(value, str):
        return [part for part in value.split("\n\n") if part.strip()]
    return _texts(value)


def _url(value: Any) -> str:
    if not isinstance(value, str) or not _is_web_url(value):
        raise ValueError("not an http(s) URL")
    return value


def _urls(value: Any) -> list[str]:
    return [_url(one) for one in _texts(value)]


def _text_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(one, str) for one in value.values()):
        raise ValueError(f"expected an object of texts, not {_json_kind(value)}")
    return value


def _alternates(value: Any) -> dict[str, str]:
    return {lang: _url(url) for lang, url in _text_map(value).items()}


def _position(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("expected a whole number from 0")
    return value


def _context(value: Any) -> str:
    if value not in CONTEXTS:
        raise ValueError(f"expected one of {', '.join(CONTEXTS)}")
    return str(value)


def _basis(value: Any) -> str:
    if value not in BASES:
        raise ValueError(f"expected one of {', '.join(BASES)}")
    return str(value)


def _calendar_date(value: Any) -> str:
    day = _iso_day(_text(value).strip())
    if day is None:
        raise ValueError("not a date (YYYY-MM-DD)")
    return day.isoformat()


def _source_id(value: Any) -> str:
    """A source id, by the rule of the sources file."""
    if not isinstance(value, str) or not ID_PATTERN.fullmatch(value) or value in RESERVED_IDS:
        raise ValueError(f"a source id {ID_RULE}")
    return value


# The optional fields read by type alone (source and times need more).
_OPTIONAL_FIELDS: dict[str, Callable[[Any], Any]] = {
    "page_url": _url,
    "context": _context,
    "section": _text,
    "lang": _text,
    "position": _position,
    "badges": _texts,
    "authors": _texts,
    "lead": _text,
    "body": _body,
    "tags": _texts,
    "alternates": _alternates,
    "site_article_id": _identifier,
    "previous_urls": _urls,
    "parser": _text,
    "methods": _text_map,
}


def _is_web_url(value: str) -> bool:
    """An http(s) URL that canonicalizes (the store keeps every URL canonical)."""
    if not value.lower().startswith(("http://", "https://")):
        return False
    try:
        canonical_url(value)
    except ValueError:
        return False
    return True


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "an object"
    return "a list" if isinstance(value, list) else type(value).__name__


def _shown(value: Any) -> str:
    """A value as a warning quotes it: short, and escaped (it reaches a terminal)."""
    text = json.dumps(value, ensure_ascii=True) if not isinstance(value, str) else repr(value)
    if len(text) > _SHOWN_LENGTH:
        text = text[: _SHOWN_LENGTH - 1] + "…"
    return text


def _ensure_ingest_source(store: Store, source: str) -> None:
    if store.one("SELECT 1 FROM sources WHERE id = ?", (source,)) is None:
        with store.transaction():
            store.ensure_source(
                source, name=source, home_url=None, lang=None, tz="UTC", kind="ingest"
            )
