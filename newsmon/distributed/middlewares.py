"""Worker versions of the components that read or write the store: a worker has no store.

- `RunTagMiddleware`: every request a page leads to belongs to the page's crawl run.
- `RunConditionalMiddleware`: validators come with the feed and listing requests (the
  coordinator read them from the store); what the pages answered goes to the run in Redis,
  and the coordinator saves it when the run is done (only for sources none of whose requests
  failed, as in a single-process crawl).
- `RunKnownArticlesMiddleware`: stored articles are looked up in the `known` sorted set the
  coordinator fills from the store.
- `FreshRobotsTxtMiddleware`: a worker runs for days; robots.txt is read again every
  `NEWSMON_ROBOTSTXT_TTL` seconds instead of once per process, and every request that arrives
  while it is read is checked against it (`newsmon.middlewares.robotstxt`).
"""

from __future__ import annotations

import json
import time

import redis
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.robotstxt import RobotParser
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.utils.httpobj import urlparse_cached
from scrapy_redis.connection import get_redis_from_settings
from twisted.internet.defer import Deferred

from newsmon.distributed.connection import Keys, stop_on_error
from newsmon.distributed.queue import RUN_META, keys_from, run_of
from newsmon.distributed.runs import RunBook
from newsmon.middlewares.conditional import CONDITIONAL_KINDS, ConditionalRequestMiddleware
from newsmon.middlewares.known_articles import KnownArticlesMiddleware
from newsmon.middlewares.robotstxt import EveryWaiterRobotsTxtMiddleware
from newsmon.settings_table import default

VALIDATORS_META = "newsmon_validators"
_CONDITIONAL_HEADERS = ("If-None-Match", "If-Modified-Since")


class RunTagMiddleware(BaseSpiderMiddleware):
    """Requests yielded for a response get the response's crawl run."""

    def get_processed_request(self, request: Request, response: Response | None) -> Request:
        if response is not None and RUN_META not in request.meta:
            request.meta[RUN_META] = response.meta.get(RUN_META)
        return request


class RunConditionalMiddleware(ConditionalRequestMiddleware):
    """Conditional requests with validators from the request; what answered goes to Redis."""

    server: redis.Redis
    keys: Keys
    url: str

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunConditionalMiddleware:
        middleware = super().from_crawler(crawler)
        assert isinstance(middleware, RunConditionalMiddleware)
        middleware.server = get_redis_from_settings(crawler.settings)
        middleware.keys = keys_from(crawler.settings)
        middleware.url = crawler.settings.get("REDIS_URL") or ""
        return middleware

    def spider_opened(self) -> None:
        """Nothing to open: the validators come with the requests."""

    def spider_closed(self) -> None:
        """Nothing to save: the coordinator saves each run's validators."""

    def spider_error(self, response: Response) -> None:
        super().spider_error(response)
        self._forward(response.meta.get(RUN_META))

    def process_request(self, request: Request) -> None:
        if request.meta.get("page_kind") not in CONDITIONAL_KINDS:
            return
        for name in _CONDITIONAL_HEADERS:
            request.headers.pop(name, None)
        etag, modified = request.meta.get(VALIDATORS_META) or (None, None)
        if etag:
            request.headers["If-None-Match"] = etag
        if modified:
            request.headers["If-Modified-Since"] = modified

    def process_response(self, request: Request, response: Response) -> Response:
        try:
            return super().process_response(request, response)
        finally:
            self._forward(run_of(request))

    def process_exception(self, request: Request, exception: Exception) -> None:
        super().process_exception(request, exception)
        self._forward(run_of(request))

    def _forward(self, crawl_id: int | None) -> None:
        """Hand what the parent class noted (validators, failed sources) to the run."""
        pending, failed = self.pending, self.failed_sources
        self.pending, self.failed_sources = {}, set()
        if crawl_id is None or not (pending or failed):
            return
        with stop_on_error(self.url), self.server.pipeline(transaction=True) as pipe:
            for url, (etag, modified, source) in pending.items():
                pipe.hset(self.keys.validators(crawl_id), url, json.dumps([etag, modified, source]))
            if failed:
                pipe.sadd(self.keys.failed(crawl_id), *sorted(failed))
            pipe.execute()


class RunKnownArticlesMiddleware(KnownArticlesMiddleware):
    """Drops requests for article pages whose URL is in Redis' `known` set (unless the run
    fetches everything again, `--refresh`)."""

    server: redis.Redis
    keys: Keys
    url: str
    runs: RunBook

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunKnownArticlesMiddleware:
        middleware = super().from_crawler(crawler)
        assert isinstance(middleware, RunKnownArticlesMiddleware)
        middleware.server = get_redis_from_settings(crawler.settings)
        middleware.keys = keys_from(crawler.settings)
        middleware.url = crawler.settings.get("REDIS_URL") or ""
        middleware.runs = RunBook(middleware.server, middleware.keys)
        return middleware

    def spider_opened(self) -> None:
        """Nothing to open: known articles are in Redis."""

    def spider_closed(self) -> None:
        """Nothing to close."""

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if request.meta.get("page_kind") != "article":
            return request
        crawl_id = run_of(request)
        with stop_on_error(self.url):
            run = self.runs.get(crawl_id) if crawl_id is not None else None
            if run is None or run.refresh:
                return request
            if self.server.zscore(self.keys.known, request.url) is None:
                return request
        assert self.crawler.stats is not None
        source = request.meta.get("source") or ""
        self.crawler.stats.inc_value(f"newsmon/source/{source}/known_articles")
        return None


class FreshRobotsTxtMiddleware(EveryWaiterRobotsTxtMiddleware):
    """The robots.txt middleware, reading each site's robots.txt again after a while."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.ttl = crawler.settings.getfloat(
            "NEWSMON_ROBOTSTXT_TTL", default("NEWSMON_ROBOTSTXT_TTL")
        )
        self.read_at: dict[str, float] = {}

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        now = time.monotonic()
        # Scrapy keeps parsers per netloc in `_parsers` (a Deferred while one is being read).
        parser = self._parsers.get(netloc)
        expired = now - self.read_at.get(netloc, now) >= self.ttl
        if netloc in self._parsers and not isinstance(parser, Deferred) and expired:
            del self._parsers[netloc]
        if netloc not in self._parsers:
            self.read_at[netloc] = now
        return await super().robot_parser(request)
