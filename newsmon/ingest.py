"""`newsmon ingest`: items from another scraper (JSON Lines) through the same store path."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from newsmon.dates import UTC, utc_iso
from newsmon.items import ArticleItem, HeadlineItem
from newsmon.pipelines.normalize import normalize
from newsmon.progress import ProgressCallback
from newsmon.store import Store
from newsmon.store.writer import StoreWriter
from newsmon.urls import site_host

logger = logging.getLogger(__name__)

_ARTICLE_FIELDS = {f.name for f in fields(ArticleItem)}
_HEADLINE_FIELDS = {f.name for f in fields(HeadlineItem)}


@dataclass
class IngestResult:
    """What an ingest run stored, and which lines it skipped (line number, reason)."""

    crawl_id: int
    lines: int = 0
    items: int = 0
    new_headlines: int = 0
    new_appearances: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)


def ingest(
    store: Store,
    lines: Iterable[str],
    *,
    source_name: str = "-",
    progress: ProgressCallback | None = None,
) -> IngestResult:
    """Store the items of JSON Lines `lines` as one crawl run (mode `ingest`).

    A line is a newsmon item as `scrapy crawl … -O items.jsonl` writes it, or any object with
    at least `url` and `title`. Bad lines are skipped and reported by number. `progress` is
    called with the number of lines read after each line.
    """
    crawl_id = store.start_crawl("ingest", [source_name])
    writer = StoreWriter(store, crawl_id)
    result = IngestResult(crawl_id)
    now = utc_iso(datetime.now(UTC))
    known_sources: set[str] = set()
    for number, line in enumerate(lines, start=1):
        result.lines = number
        if progress is not None:
            progress(number, None)
        if not line.strip():
            continue
        try:
            items = list(items_from_json(json.loads(line), now))
            normalized = [normalize(item) for item in items]
        except (ValueError, TypeError) as error:
            result.skipped.append((number, _reason(error)))
            continue
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
    with store.transaction():
        store.finish_crawl(
            crawl_id,
            "ok",
            {
                "lines": result.lines,
                "items": result.items,
                "skipped": len(result.skipped),
                **totals,
            },
        )
    return result


def items_from_json(data: Any, now: str) -> Iterator[ArticleItem | HeadlineItem]:
    """The items one JSON object stands for; ValueError when it is not usable."""
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    url, title = data.get("url"), data.get("title")
    if not isinstance(url, str) or not url.lower().startswith(("http://", "https://")):
        raise ValueError("missing or invalid 'url'")
    if not isinstance(title, str) or not title.strip():
        raise ValueError("missing or empty 'title'")
    source = data.get("source") or site_host(url)
    page_url = data.get("page_url") or url
    if "fetched_at" in data or "body" in data or "lead" in data:
        article = {key: value for key, value in data.items() if key in _ARTICLE_FIELDS}
        body = article.get("body")
        if isinstance(body, str):
            article["body"] = [part for part in body.split("\n\n") if part.strip()]
        article.update(source=source, page_url=page_url, fetched_at=data.get("fetched_at") or now)
        yield ArticleItem(**article)
    if "seen_at" in data or "context" in data or "fetched_at" not in data:
        headline = {key: value for key, value in data.items() if key in _HEADLINE_FIELDS}
        headline.update(
            source=source,
            page_url=page_url,
            context=data.get("context") or "ingest",
            seen_at=data.get("seen_at") or data.get("fetched_at") or now,
        )
        yield HeadlineItem(**headline)


def _ensure_ingest_source(store: Store, source: str) -> None:
    if store.one("SELECT 1 FROM sources WHERE id = ?", (source,)) is None:
        with store.transaction():
            store.ensure_source(
                source, name=source, home_url=None, lang=None, tz="UTC", kind="ingest"
            )


def _reason(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"not JSON ({error.msg})"
    return str(error)
