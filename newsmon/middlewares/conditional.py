"""Conditional requests for feeds, listings and sitemaps: an unchanged page costs no parsing.

The `ETag` and `Last-Modified` of feed, listing and sitemap responses are kept in the store's
`validators` table and sent back as `If-None-Match` / `If-Modified-Since`. A `304 Not
Modified` never reaches the spider's callback: it becomes a `NotModified` (an IgnoreRequest),
counted as `newsmon/source/<id>/not_modified`.

Validators are written when the spider closes, after the store pipeline has written the
crawl's items, and only for sources none of whose requests failed: a crash, or an article
page that could not be fetched (or a callback that raised), means the next run reads the
source's feeds, listings and sitemaps in full again, so nothing they lead to is skipped for
good.
"""

from __future__ import annotations

import logging

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from newsmon.clock import now_iso
from newsmon.store import Store, default_db_path

logger = logging.getLogger(__name__)

CONDITIONAL_KINDS = ("feed", "listing", "sitemap")
_CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since")


class NotModified(IgnoreRequest):
    """The page did not change since the last run; there is nothing to parse."""


class ConditionalRequestMiddleware:
    """Sends stored validators with feed, listing and sitemap requests; 304s: NotModified."""

    def __init__(self, crawler: Crawler, db_path: str, send: bool) -> None:
        assert crawler.stats is not None
        self.crawler = crawler
        self.stats: StatsCollector = crawler.stats
        self.db_path = db_path
        self.send = send
        self.store: Store | None = None
        self.pending: dict[str, tuple[str | None, str | None, str]] = {}
        self.failed_sources: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        settings = crawler.settings
        if settings.get("NEWSMON_REPLAY_DIR"):
            raise NotConfigured  # replay serves saved pages: nothing to revalidate
        middleware = cls(
            crawler,
            settings.get("NEWSMON_DB") or default_db_path(),
            send=not settings.getbool("NEWSMON_REFRESH"),
        )
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(middleware.spider_error, signal=signals.spider_error)
        return middleware

    def spider_opened(self) -> None:
        self.store = Store.open(self.db_path)

    def spider_closed(self) -> None:
        if self.store is None:
            return
        saved = {
            url: values
            for url, values in self.pending.items()
            if values[2] not in self.failed_sources
        }
        for source in sorted(self.failed_sources):
            logger.info(
                "%s: some requests failed, so its feeds, listings and sitemaps are read in full "
                "next run",
                source,
            )
        with self.store.transaction():
            for url, (etag, modified, _) in saved.items():
                save_validators(self.store, url, etag, modified)
        self.store.close()
        self.store = None

    def spider_error(self, response: Response) -> None:
        self.failed_sources.add(response.meta.get("source") or "")

    def process_request(self, request: Request) -> None:
        if request.meta.get("page_kind") not in CONDITIONAL_KINDS:
            return
        for name in _CONDITIONAL_HEADERS:
            request.headers.pop(name, None)
        if not self.send or self.store is None:
            return
        etag, modified = stored_validators(self.store, request.url)
        if etag:
            request.headers["If-None-Match"] = etag
        if modified:
            request.headers["If-Modified-Since"] = modified

    def process_response(self, request: Request, response: Response) -> Response:
        source = request.meta.get("source") or ""
        if response.status >= 500 or response.status == 429:
            self.failed_sources.add(source)
        if request.meta.get("page_kind") not in CONDITIONAL_KINDS:
            return response
        if response.status == 304:
            self.stats.inc_value(f"newsmon/source/{source}/not_modified")
            raise NotModified("not modified since the last run")
        if 200 <= response.status < 300:
            self.pending[request.url] = (
                _header(response, "ETag"),
                _header(response, "Last-Modified"),
                source,
            )
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, IgnoreRequest):
            self.failed_sources.add(request.meta.get("source") or "")


def stored_validators(store: Store, url: str) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified stored for `url` (None when there are none)."""
    row = store.one("SELECT etag, last_modified FROM validators WHERE url = ?", (url,))
    return (row[0], row[1]) if row else (None, None)


def save_validators(store: Store, url: str, etag: str | None, modified: str | None) -> None:
    """Keep `url`'s validators, or forget them when the response carried none."""
    if etag is None and modified is None:
        store.conn.execute("DELETE FROM validators WHERE url = ?", (url,))
        return
    store.conn.execute(
        """INSERT INTO validators (url, etag, last_modified, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(url) DO UPDATE SET etag = excluded.etag,
             last_modified = excluded.last_modified, updated_at = excluded.updated_at""",
        (url, etag, modified, now_iso()),
    )


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
