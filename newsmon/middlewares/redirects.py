"""A redirect off the source's allowed domains is refused, and said so.

Scrapy (2.19) already never follows such a redirect: its OffsiteMiddleware drops the
redirected request, but only with a DEBUG line, so a feed that moved to another domain would
silently stop being read. This middleware sees the 3xx first and turns it into an
IgnoreRequest whose message the spider's errback logs (one WARNING line), counted as
`newsmon/source/<id>/offsite_redirects`.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

REDIRECTS = (301, 302, 303, 307, 308)


class OffsiteRedirect(IgnoreRequest):
    """A redirect to a host outside the spider's allowed domains."""


class OffsiteRedirectMiddleware:
    """Refuses, with one log line, redirects leaving the spider's `allowed_domains`."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OffsiteRedirectMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        location = response.headers.get("Location")
        if (
            response.status not in REDIRECTS
            or not location
            or request.dont_filter
            or request.meta.get("dont_redirect")
            or request.meta.get("allow_offsite")
        ):
            return response
        domains = [d for d in getattr(self.crawler.spider, "allowed_domains", None) or [] if d]
        target = urljoin(request.url, location.decode("latin-1"))
        if not domains or on_domains(target, domains):
            return response
        assert self.crawler.stats is not None
        source = request.meta.get("source") or ""
        self.crawler.stats.inc_value(f"newsmon/source/{source}/offsite_redirects")
        raise OffsiteRedirect(
            f"HTTP {response.status} redirect to {target}, outside {', '.join(domains)}: "
            "not followed"
        )


def on_domains(url: str, domains: list[str]) -> bool:
    """Whether `url`'s host is one of `domains` or below one (Scrapy's offsite rule)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain.lower() or host.endswith("." + domain.lower()) for domain in domains)
