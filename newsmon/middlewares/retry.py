"""Scrapy's retries with a pause between attempts.

A server that answers 429/503 with `Retry-After` is waited for (up to
`NEWSMON_RETRY_MAX_DELAY` seconds; when it asks for longer, the page is not retried in this
run). Otherwise the n-th retry waits `NEWSMON_RETRY_BACKOFF × 2^(n-1)` seconds, also capped.
Only the request being retried waits; the rest of the crawl goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.asyncio import sleep as reactor_sleep

from newsmon import clock
from newsmon.normalize.dates import UTC
from newsmon.settings_table import default

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before each retry (Retry-After, else exponential backoff)."""

    def __init__(self, settings: BaseSettings, sleep: Sleep = reactor_sleep) -> None:
        super().__init__(settings)
        self.backoff = settings.getfloat("NEWSMON_RETRY_BACKOFF", default("NEWSMON_RETRY_BACKOFF"))
        self.max_delay = settings.getfloat(
            "NEWSMON_RETRY_MAX_DELAY", default("NEWSMON_RETRY_MAX_DELAY")
        )
        self.sleep = sleep

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        asked = retry_after(response.headers.get("Retry-After"))
        if (
            asked is not None
            and asked > self.max_delay
            and response.status in self.retry_http_codes
            and not request.meta.get("dont_retry", False)
        ):
            logger.warning(
                "%s: HTTP %d, the server asks to retry after %d s (more than "
                "NEWSMON_RETRY_MAX_DELAY = %d s): not retried in this run",
                request.url,
                response.status,
                asked,
                self.max_delay,
            )
            return response
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self.sleep(self.delay(result, asked))
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self.sleep(self.delay(result, None))
        return result

    def delay(self, retry: Request, asked: float | None) -> float:
        """Seconds to wait before sending `retry`."""
        if asked is not None:
            return min(asked, self.max_delay)
        return min(self.backoff * 2 ** (retry.meta["retry_times"] - 1), self.max_delay)


def retry_after(value: bytes | None, now: datetime | None = None) -> float | None:
    """The seconds a `Retry-After` header asks for (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or clock.now())).total_seconds())
