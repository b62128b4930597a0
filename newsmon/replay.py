"""Replay: a download handler that answers every request from a fixture set.

Installed for http and https when `NEWSMON_REPLAY_DIR` is set, so in replay mode no request
can reach the network. A URL without a fixture is answered 404 and counted as missing (the
crawl summary's `missing`): a replay of pages never captured is expected, so each such URL is
one INFO line, once.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scrapy import Request
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes

from newsmon.fixtures import MANIFEST, FixtureError, FixtureSet

logger = logging.getLogger(__name__)

MISSING_FLAG = "replay-missing"

# The fixture set read last, by directory and its manifest's version: every spider of a crawl
# has a download handler per scheme, and a manifest of 100,000 pages is worth reading once.
_loaded: dict[tuple[Path, int, int], FixtureSet] = {}


def replay_fixtures(directory: str | Path) -> FixtureSet:
    """The fixture set in `directory`, read once per process while its manifest is unchanged
    (never modified by replay)."""
    root = Path(directory).resolve()
    try:
        stat = (root / MANIFEST).stat()
    except OSError:
        return FixtureSet.load(root)  # raises the error that names the manifest
    key = (root, stat.st_mtime_ns, stat.st_size)
    if key not in _loaded:
        _loaded.clear()
        _loaded[key] = FixtureSet.load(root)
    return _loaded[key]


class ReplayDownloadHandler(BaseDownloadHandler):
    """Serves responses from the manifest in `NEWSMON_REPLAY_DIR`."""

    def __init__(self, crawler: Crawler, fixtures: FixtureSet) -> None:
        super().__init__(crawler)
        self.fixtures = fixtures
        self.missing: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplayDownloadHandler:
        directory = crawler.settings.get("NEWSMON_REPLAY_DIR")
        if not directory:
            raise NotConfigured
        return cls(crawler, replay_fixtures(directory))

    async def download_request(self, request: Request) -> Response:
        stats = self.crawler.stats
        assert stats is not None
        fixture = self.fixtures.find(request.url)
        if fixture is None:
            stats.inc_value("newsmon/replay/missing")
            if request.url not in self.missing:
                self.missing.add(request.url)
                logger.info("replay: no fixture for %s (answered 404)", request.url)
            return Response(request.url, status=404, request=request, flags=[MISSING_FLAG])
        try:
            body = self.fixtures.body(fixture)
        except (OSError, FixtureError) as error:
            stats.inc_value("newsmon/replay/unreadable")
            logger.error(
                "replay: fixture %s for %s unreadable: %s", fixture.file, request.url, error
            )
            return Response(request.url, status=404, request=request, flags=[MISSING_FLAG])
        stats.inc_value("newsmon/replay/served")
        request.meta["fetched_at"] = fixture.fetched_at
        request.meta["source"] = request.meta.get("source") or fixture.source
        headers = Headers(fixture.headers)
        response_class = responsetypes.from_args(headers=headers, url=request.url, body=body)
        return response_class(
            url=request.url,
            status=fixture.status,
            headers=headers,
            body=body,
            request=request,
            flags=["replay"],
        )
