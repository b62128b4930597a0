"""`newsmon worker`: a long-running Scrapy process that crawls what runs put in the queues.

One crawler per spider (every site's own and `generic`), each with scrapy-redis' scheduler
(`RunScheduler`) on its queue `<prefix>:<mode>:<spider>:requests`, the same spider code as a
single-process crawl (minus start requests: the coordinator queues those), the crawl-side
pipeline (normalize) and `WorkerExtension`, which puts items on the stream, keeps the
worker's heartbeat, and acknowledges finished requests whenever the engine is idle.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator
from typing import Any

import redis
from scrapy import Spider, signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy_redis.connection import get_redis_from_settings
from twisted.internet.task import LoopingCall
from twisted.python.failure import Failure

from newsmon.clock import now_iso
from newsmon.distributed.connection import REDIS_PARAMS, Keys, connect, stop_on_error
from newsmon.distributed.queue import keys_from, reclaim_dead, run_of
from newsmon.distributed.runs import LIVE, REPLAY, RunInfo
from newsmon.distributed.scheduler import RunScheduler
from newsmon.extensions.corestats import ITEM_SCRAPED_COUNT
from newsmon.items import ArticleItem, HeadlineItem, PageItems, items_of
from newsmon.settings import replay_settings
from newsmon.settings_table import project_settings
from newsmon.spiders.generic import GenericSpider
from newsmon.spiders.site import SITE_SPIDERS

logger = logging.getLogger(__name__)

# Items go to the stream in groups: at most this many, at most this late (seconds).
ITEMS_AT_ONCE = 500
ITEMS_WAIT = 0.05
_STORE_PIPELINE = "newsmon.pipelines.store.StorePipeline"
# Components that read or write the store, and their worker versions (a worker has no store).
_REPLACED_DOWNLOADER = {
    "newsmon.middlewares.conditional.ConditionalRequestMiddleware": (
        "newsmon.distributed.middlewares.RunConditionalMiddleware"
    ),
    "newsmon.middlewares.robotstxt.EveryWaiterRobotsTxtMiddleware": (
        "newsmon.distributed.middlewares.FreshRobotsTxtMiddleware"
    ),
}
_REPLACED_SPIDER = {
    "newsmon.middlewares.known_articles.KnownArticlesMiddleware": (
        "newsmon.distributed.middlewares.RunKnownArticlesMiddleware"
    ),
}
# Components that read or write the store and have no worker version: off on workers. A crawl
# on Redis reads every entry point of the sources it is given and re-reads nothing; the poll
# schedule (`newsmon.polling`) and re-reads are learned and made by single-process crawls.
_STORE_ONLY = (
    "newsmon.polling.middleware.PollingDownloaderMiddleware",
    "newsmon.polling.middleware.PollingSpiderMiddleware",
    "newsmon.middlewares.rereads.RereadsMiddleware",
)


class WorkerSpider(Spider):
    """What makes a spider a worker's: no start requests of its own, and it waits for work
    (scrapy-redis' RedisSpider does the same; `WorkerExtension` keeps it open when idle)."""

    async def start(self) -> AsyncIterator[Any]:
        return
        yield  # an asynchronous generator that yields nothing

    def prepare_run(self, run: RunInfo) -> None:
        """Get ready for the requests of `run` (called before each request is crawled)."""


class GenericWorkerSpider(WorkerSpider, GenericSpider):
    """The generic spider on a worker: each run brings its own sources file."""

    _run_config: str | None = None

    def prepare_run(self, run: RunInfo) -> None:
        if run.config == self._run_config:
            return
        config = run.sources()
        if config is not None:
            self.use(config)
        self._run_config = run.config


def worker_spiders() -> list[type[Spider]]:
    """A worker's spiders: every site's own and the generic one, as worker spiders."""
    classes: list[type[Spider]] = [
        type(
            spider.__name__,
            (WorkerSpider, spider),
            {"__module__": __name__, "__doc__": spider.__doc__},
        )
        for _, spider in sorted(SITE_SPIDERS.items())
    ]
    return [*classes, GenericWorkerSpider]


class WorkerExtension:
    """A worker's bond with Redis: heartbeat, checkpoints when idle, items onto the stream."""

    def __init__(
        self,
        crawler: Crawler,
        server: redis.Redis,
        keys: Keys,
        worker_id: str,
        url: str,
    ) -> None:
        self.crawler = crawler
        self.server = server
        self.keys = keys
        self.worker_id = worker_id
        self.url = url
        settings = crawler.settings
        self.interval = settings.getfloat("NEWSMON_WORKER_HEARTBEAT")
        self.poll = settings.getfloat("NEWSMON_WORKER_POLL")
        self.description = json.dumps(
            {
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "mode": worker_mode(settings),
                "since": now_iso(),
            }
        )
        self.beating: LoopingCall | None = None
        self.sending: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerExtension:
        settings = crawler.settings
        worker_id = settings.get("NEWSMON_WORKER_ID")
        if not worker_id:
            raise NotConfigured  # not a worker
        extension = cls(
            crawler,
            get_redis_from_settings(settings),
            keys_from(settings),
            worker_id,
            settings.get("REDIS_URL") or "",
        )
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def engine_started(self) -> None:
        # An idle engine asks its scheduler for requests every 5 s (Scrapy's slot heartbeat, a
        # private attribute); a worker waiting for work asks every NEWSMON_WORKER_POLL seconds.
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = self.poll
        self.beat()
        self.beating = LoopingCall(self.beat)
        self.beating.start(self.interval, now=False)
        self.sending = LoopingCall(self.send_items)
        self.sending.start(ITEMS_WAIT, now=False)

    def beat(self) -> None:
        """Say this worker is alive; put back the requests of workers that are not."""
        with stop_on_error(self.url):
            with self.server.pipeline(transaction=True) as pipe:
                pipe.set(
                    self.keys.worker(self.worker_id),
                    self.description,
                    px=round(self.interval * 3000),
                )
                pipe.sadd(self.keys.workers, self.worker_id)
                pipe.execute()
            reclaim_dead(self.server, self.keys, alive=self.worker_id)

    def spider_idle(self) -> None:
        """Every request taken is done: acknowledge them, then wait for more."""
        scheduler = self.crawler.engine.scheduler
        if isinstance(scheduler, RunScheduler):
            scheduler.checkpoint()
        raise DontCloseSpider

    def item_scraped(self, item: Any, response: Response | Failure | None) -> None:
        """Send a page's normalized items to the stream, under the crawl run of the page: kept
        a few milliseconds, so that the items of several pages go in one round trip."""
        assert self.crawler.stats is not None
        items = items_of(item)
        self.crawler.stats.inc_value(ITEM_SCRAPED_COUNT, len(items))  # not done by CoreStats
        request = getattr(response, "request", None)
        crawl_id = run_of(request) if request is not None else None
        scheduler = self.crawler.engine.scheduler
        if crawl_id is None or not isinstance(item, PageItems | ArticleItem | HeadlineItem):
            logger.warning("item without a crawl run dropped: %r", item)
            return
        assert isinstance(scheduler, RunScheduler)
        for one in items:
            scheduler.items.add(crawl_id, one)
        if len(scheduler.items) >= ITEMS_AT_ONCE:
            scheduler.send_items()

    def send_items(self) -> None:
        """Send what `item_scraped` kept (every ITEMS_WAIT seconds)."""
        scheduler = self.crawler.engine.scheduler
        if isinstance(scheduler, RunScheduler):
            scheduler.send_items()

    def spider_closed(self) -> None:
        for loop in (self.beating, self.sending):
            if loop is not None and loop.running:
                loop.stop()


def worker_mode(settings: Settings) -> str:
    """`replay` when the worker serves saved pages, else `live`."""
    return REPLAY if settings.get("NEWSMON_REPLAY_DIR") else LIVE


def worker_settings(
    url: str,
    *,
    concurrency: int | None = None,
    replay: str | None = None,
    overrides: dict[str, Any] | None = None,
    log_file: str | None = None,
    log_level: str = "WARNING",
) -> Settings:
    """The settings of a worker process: newsmon's, scheduling through the Redis at `url`."""
    run: dict[str, Any] = replay_settings(replay) if replay else {}
    project = project_settings(overrides, run)
    project.set("LOG_LEVEL", log_level, priority="cmdline")
    if log_file:
        project.set("LOG_FILE", log_file, priority="cmdline")
    if concurrency:
        project.set("CONCURRENT_REQUESTS", concurrency, priority="cmdline")
    keys = keys_from(project)
    if project.get("NEWSMON_DOMAIN_DELAY") in (None, ""):
        project.set("NEWSMON_DOMAIN_DELAY", project.getfloat("DOWNLOAD_DELAY"), priority="cmdline")
    downloader = {**project.getdict("DOWNLOADER_MIDDLEWARES")}
    for old, new in _REPLACED_DOWNLOADER.items():
        downloader[new] = downloader.get(old) or 100
        downloader[old] = None
    downloader["newsmon.distributed.politeness.DomainDelayMiddleware"] = 990
    spider = {**project.getdict("SPIDER_MIDDLEWARES")}
    for old, new in _REPLACED_SPIDER.items():
        spider[new] = spider.get(old) or 600
        spider[old] = None
    for component in _STORE_ONLY:
        for enabled in (downloader, spider):
            if component in enabled:
                enabled[component] = None
    # closest to the spider: every other middleware sees requests with their crawl run
    spider["newsmon.distributed.middlewares.RunTagMiddleware"] = 950
    project.update(
        {
            "REDIS_URL": url,
            "REDIS_PARAMS": REDIS_PARAMS,
            "SCHEDULER": "newsmon.distributed.scheduler.RunScheduler",
            "SCHEDULER_QUEUE_CLASS": "newsmon.distributed.queue.RunQueue",
            "DUPEFILTER_CLASS": "newsmon.distributed.queue.RunDupeFilter",
            "SCHEDULER_QUEUE_KEY": keys.queue(worker_mode(project)),
            "SCHEDULER_PERSIST": True,
            "STATS_CLASS": "newsmon.distributed.stats.RunStatsCollector",
            "NEWSMON_WORKER_ID": f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}",
            # the spacing of requests to a domain is shared by all workers (politeness.py)
            "DOWNLOAD_DELAY": 0,
            "ITEM_PIPELINES": {**project.getdict("ITEM_PIPELINES"), _STORE_PIPELINE: None},
            "DOWNLOADER_MIDDLEWARES": downloader,
            "SPIDER_MIDDLEWARES": spider,
            "EXTENSIONS": {
                **project.getdict("EXTENSIONS"),
                "newsmon.distributed.worker.WorkerExtension": 100,
            },
        },
        priority="cmdline",
    )
    return project


def run_worker(url: str, settings: Settings) -> None:
    """Crawl for the runs queued in the Redis at `url` until stopped (SIGINT, SIGTERM).

    Raises DistributedError at once when Redis cannot be reached.
    """
    connect(url)  # before Scrapy starts: a one-line error rather than a failing crawler
    process = CrawlerProcess(settings)
    for spider in worker_spiders():
        process.crawl(spider)
    logger.info(
        "worker %s waiting for %s requests at %s",
        settings.get("NEWSMON_WORKER_ID"),
        worker_mode(settings),
        url,
    )
    process.start()
