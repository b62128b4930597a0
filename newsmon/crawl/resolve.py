"""Send a site's requests to another address, like curl's `--resolve`.

`NEWSMON_RESOLVE = {"report.az": "127.0.0.1:8123"}` (or, with `-s` or the environment
variable, `NEWSMON_RESOLVE="report.az=127.0.0.1:8123,…"`, read by `newsmon.settings_table`)
makes every request for report.az go to that address over plain HTTP, with the original
`Host` header. It works at download time, so robots rules, allowed domains, redirects, spiders
and the store all see the original URLs. It is how a mirror, a staging copy of a site or a
test server stands in for the real one.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response


class ResolvingDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP handler, fetching mapped hosts from their stand-in address."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        mapping = crawler.settings.getdict("NEWSMON_RESOLVE")
        self.mapping = {host.lower(): address for host, address in mapping.items()}

    async def download_request(self, request: Request) -> Response:
        parts = urlsplit(request.url)
        address = self.mapping.get((parts.hostname or "").lower())
        if address is None:
            return await super().download_request(request)
        headers = request.headers.copy()
        headers["Host"] = parts.netloc
        stand_in = request.replace(
            url=urlunsplit(("http", address, parts.path or "/", parts.query, "")),
            headers=headers,
        )
        response = await super().download_request(stand_in)
        location = response.headers.get("Location")
        if location is not None:
            response.headers["Location"] = self._original_location(
                location.decode("latin-1"), parts.scheme, parts.netloc, address
            )
        return response.replace(url=request.url)

    @staticmethod
    def _original_location(location: str, scheme: str, netloc: str, address: str) -> str:
        """A redirect to the stand-in address points back to the original host."""
        parts = urlsplit(location)
        if parts.netloc == address:
            return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))
        return location
