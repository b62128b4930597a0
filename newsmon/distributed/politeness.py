"""Politeness per domain across every worker: each request reserves its moment in Redis.

Scrapy spaces the requests to a domain by `DOWNLOAD_DELAY` within one process; N workers
would each keep their own spacing and give a site N times the rate. Here each request first
reserves the domain's next free moment in Redis, in one Lua script on the Redis clock (so the
workers' clocks do not matter): its moment is max(now, next free), and the next free moment
moves on by the delay. The request waits until its moment, then goes out. Requests to one
domain therefore start at least `NEWSMON_DOMAIN_DELAY` seconds apart, whichever workers send
them. A worker's own `DOWNLOAD_DELAY` is 0 (this spacing replaces it); AutoThrottle still
slows a worker down on a slow site. A request waiting for its moment counts against the
worker's `CONCURRENT_REQUESTS`, as a request waiting in a Scrapy download slot does.
"""

from __future__ import annotations

import redis
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy_redis.connection import get_redis_from_settings
from twisted.internet.task import deferLater

from newsmon.distributed.connection import Keys, stop_on_error
from newsmon.distributed.queue import keys_from

# KEYS: the domain's next free moment. ARGV: the delay (ms). Returns how long to wait (ms).
_RESERVE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local at = math.max(t, tonumber(redis.call('GET', KEYS[1]) or '0'))
local free = at + tonumber(ARGV[1])
redis.call('SET', KEYS[1], free, 'PX', free - t + 60000)
return at - t
"""


class DomainDelayMiddleware:
    """Holds each request until its domain's next free moment, shared by all workers."""

    def __init__(self, server: redis.Redis, keys: Keys, delay: float, url: str) -> None:
        self.server = server
        self.keys = keys
        self.delay_ms = round(delay * 1000)
        self.url = url
        self._reserve = server.register_script(_RESERVE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DomainDelayMiddleware:
        settings = crawler.settings
        delay = settings.getfloat("NEWSMON_DOMAIN_DELAY")
        if delay <= 0:
            raise NotConfigured
        return cls(
            get_redis_from_settings(settings),
            keys_from(settings),
            delay,
            settings.get("REDIS_URL") or "",
        )

    def reserve(self, slot: str) -> float:
        """Reserve the next moment for `slot` (a host); the seconds to wait for it."""
        with stop_on_error(self.url):
            waited = self._reserve(keys=[self.keys.domain(slot)], args=[self.delay_ms])
        return int(waited) / 1000

    async def process_request(self, request: Request) -> None:
        slot = request.meta.get("download_slot") or urlparse_cached(request).hostname or ""
        wait = self.reserve(slot)
        if wait > 0:
            from twisted.internet import reactor  # the one Scrapy installed

            await maybe_deferred_to_future(deferLater(reactor, wait))
