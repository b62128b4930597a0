"""Recording: every response of a live crawl saved as a fixture set that `--replay` serves.

Enabled by the setting `NEWSMON_RECORD_DIR` (`newsmon crawl --record DIR`). Responses are
saved under `DIR/<source>/` with file names derived from their URLs, listed in
`DIR/manifest.json` with status, headers and fetch time (see `newsmon.fixtures`); recording
into a directory that already holds a fixture set merges (a URL saved again is replaced).

Two downloader middlewares share the work, because Scrapy follows a redirect before it
decodes a compressed body: `RecordRedirectsMiddleware` (before `RedirectMiddleware`) saves
each redirect as received, so that replay goes through the same redirect chain, and
`RecordMiddleware` (after `HttpCompressionMiddleware`) saves every other response with its
body decoded, as the spider reads it. Transfer and session headers (`Set-Cookie`, `Date`, …)
are not saved, and a `304 Not Modified` keeps the response saved before. Recording is off in
replay (`NEWSMON_REPLAY_DIR`): replayed pages are fixtures already.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.statscollectors import StatsCollector

from newsmon.dates import UTC, utc_iso
from newsmon.fixtures import Fixture, FixtureError, FixtureSet, saved_headers

logger = logging.getLogger(__name__)

# The manifest is written after this many new responses, and when each spider closes.
SAVE_EVERY = 50
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class Recording:
    """The fixture set being recorded into one directory, shared by every crawler of the
    process that records there (a crawl runs one crawler per spider)."""

    _open: ClassVar[dict[Path, Recording]] = {}

    def __init__(self, fixtures: FixtureSet) -> None:
        self.fixtures = fixtures
        self.users = 0
        self.unsaved = 0

    @classmethod
    def attach(cls, directory: str) -> Recording:
        """The recording of `directory` (its existing fixtures loaded), with one more user."""
        root = Path(directory).resolve()
        recording = cls._open.get(root)
        if recording is None:
            recording = cls._open[root] = cls(FixtureSet.open(root))
        recording.users += 1
        return recording

    def detach(self) -> None:
        """One user is done: the manifest is written; the last one closes the recording."""
        self.save()
        self.users -= 1
        if self.users == 0:
            self._open.pop(self.fixtures.root, None)

    def save(self) -> None:
        """Write the manifest of everything recorded so far."""
        self.fixtures.save()
        self.unsaved = 0

    def record(self, response: Response, source: str, fetched_at: str) -> Fixture:
        """Save one response (replacing an earlier one of its URL)."""
        headers = saved_headers(
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items()
            for value in values
        )
        fixture = self.fixtures.put(
            response.url,
            source,
            response.body,
            fetched_at=fetched_at,
            status=response.status,
            headers=headers,
            extension=_extension(response),
        )
        self.unsaved += 1
        if self.unsaved >= SAVE_EVERY:
            self.save()
        return fixture


def _extension(response: Response) -> str | None:
    """The file extension of the kind of page Scrapy took the response for (None: unknown)."""
    if isinstance(response, HtmlResponse):
        return ".html"
    if isinstance(response, XmlResponse):
        return ".xml"
    return None


class RecordMiddleware:
    """Saves every response that reaches it, its body decoded as the spider reads it."""

    def __init__(self, crawler: Crawler, recording: Recording, stats: StatsCollector) -> None:
        self.crawler = crawler
        self.recording = recording
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordMiddleware:
        directory = crawler.settings.get("NEWSMON_RECORD_DIR")
        if not directory:
            raise NotConfigured
        if crawler.settings.get("NEWSMON_REPLAY_DIR"):
            logger.warning("record: NEWSMON_RECORD_DIR ignored in replay (pages are fixtures)")
            raise NotConfigured
        assert crawler.stats is not None
        middleware = cls(crawler, Recording.attach(directory), crawler.stats)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_closed(self) -> None:
        try:
            self.recording.detach()
        except (OSError, FixtureError) as error:
            logger.error(
                "record: manifest of %s not written: %s", self.recording.fixtures.root, error
            )

    def process_response(self, request: Request, response: Response) -> Response:
        if self.wanted(request, response):
            self.save(request, response)
        return response

    def wanted(self, request: Request, response: Response) -> bool:
        """Whether this middleware saves the response."""
        return response.status != 304

    def save(self, request: Request, response: Response) -> None:
        """Save one response; a failure is logged and counted, and the crawl goes on."""
        spider = self.crawler.spider
        source = request.meta.get("source") or (spider.name if spider else "unknown")
        fetched_at = request.meta.get("fetched_at") or utc_iso(datetime.now(UTC))
        try:
            self.recording.record(response, source, fetched_at)
        except (OSError, FixtureError) as error:
            self.stats.inc_value("newsmon/record/errors")
            logger.error("record: %s not saved: %s", response.url, error)
            return
        self.stats.inc_value("newsmon/record/saved")


class RecordRedirectsMiddleware(RecordMiddleware):
    """Saves the redirects that `RedirectMiddleware` is about to follow, as received."""

    def wanted(self, request: Request, response: Response) -> bool:
        return response.status in REDIRECT_STATUSES and b"Location" in response.headers
