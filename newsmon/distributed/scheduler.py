"""scrapy-redis' scheduler for newsmon workers: per-run fingerprints, leases, checkpoints.

A thin subclass of `scrapy_redis.scheduler.Scheduler` (queue and fingerprints in Redis,
`SCHEDULER_PERSIST`): adding checks the fingerprint and queues in one step (`RunQueue.add`),
taking leases the request, and `checkpoint` — called when the engine is idle, so every request
taken is done — acknowledges the leases together with the per-source counts of those requests,
in one Redis transaction. It also fixes what scrapy-redis 0.9.1 does that Scrapy 2.19 warns
about: passing `spider=` to the stats collector.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy_redis.scheduler import Scheduler

from newsmon.distributed import stream
from newsmon.distributed.connection import Keys, stop_on_error
from newsmon.distributed.queue import RunDupeFilter, RunQueue, keys_from, run_of
from newsmon.distributed.runs import RunBook
from newsmon.distributed.stats import RunStatsCollector, source_of_stat

logger = logging.getLogger(__name__)


class RunScheduler(Scheduler):
    """Schedules through Redis; see the module's description."""

    queue: RunQueue
    df: RunDupeFilter

    def __init__(self, server: Any, **kwargs: Any) -> None:
        super().__init__(server, **kwargs)
        self.crawler: Crawler | None = None
        self.url = ""
        self.keys = Keys()
        self.runs = RunBook(server, self.keys)
        self.source_runs: dict[str, int] = {}
        self.items = stream.ItemBuffer(self.keys)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.url = crawler.settings.get("REDIS_URL") or ""
        scheduler.keys = keys_from(crawler.settings)
        scheduler.runs = RunBook(scheduler.server, scheduler.keys)
        scheduler.items = stream.ItemBuffer(scheduler.keys)
        return scheduler

    def open(self, spider: Spider) -> None:
        with stop_on_error(self.url):
            super().open(spider)
        if not isinstance(self.queue, RunQueue) or not isinstance(self.df, RunDupeFilter):
            raise TypeError(
                "RunScheduler needs SCHEDULER_QUEUE_CLASS = RunQueue and DUPEFILTER_CLASS = "
                "RunDupeFilter (newsmon.distributed.queue)"
            )

    def enqueue_request(self, request: Request) -> bool:
        if run_of(request) is None:
            logger.warning("%s: request without a crawl run, dropped", request.url)
            return False
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        with stop_on_error(self.url):
            added = self.queue.add(request, fingerprint)
        if not added:
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def has_pending_requests(self) -> bool:
        with stop_on_error(self.url):
            return super().has_pending_requests()

    def next_request(self) -> Request | None:
        while True:
            with stop_on_error(self.url):
                request = self.queue.pop()
                if request is None:
                    return None
                crawl_id = run_of(request)
                assert crawl_id is not None  # every queued request has one (`enqueue_request`)
                run = self.runs.get(crawl_id)
            if run is None:
                logger.warning(
                    "%s: crawl %d is not running any more, dropped", request.url, crawl_id
                )
                continue
            prepare = getattr(self.spider, "prepare_run", None)
            if prepare is not None:
                prepare(run)
            source = request.meta.get("source")
            if source:
                self.source_runs[source] = crawl_id
            if self.stats:
                self.stats.inc_value("scheduler/dequeued/redis")
            return request

    def send_items(self) -> None:
        """Put the items kept so far on the stream."""
        if self.items:
            with stop_on_error(self.url), self.server.pipeline(transaction=True) as pipe:
                self.items.write(pipe)
                pipe.execute()

    def checkpoint(self) -> None:
        """Acknowledge every request taken since the last checkpoint, in one transaction with
        the items kept and the page counts of those requests.

        Call it only when every request taken is done (the engine is idle, or closing).
        """
        counts = (
            self.stats.take_source_counts() if isinstance(self.stats, RunStatsCollector) else {}
        )
        if not self.queue.leases and not counts and not self.items:
            return
        with stop_on_error(self.url), self.server.pipeline(transaction=True) as pipe:
            self.items.write(pipe)
            self.queue.ack(pipe)
            for key, count in counts.items():
                crawl_id = self.source_runs.get(source_of_stat(key))
                if crawl_id is not None:
                    pipe.hincrby(self.keys.stats(crawl_id), key, count)
            pipe.execute()

    def close(self, reason: str) -> None:
        self.checkpoint()
        super().close(reason)
