"""`newsmon crawl --redis URL`: the coordinator of a crawl run spread over workers.

`Coordinator.connect` checks, before anything is written, that Redis answers and that a
worker of the run's mode (live or replay) is waiting. `Coordinator.crawl` then:

1. carries on with the runs of this store an earlier coordinator left unfinished (killed, or
   Redis went away): waits for them and records them;
2. records the sources, refreshes the `known` articles in Redis from the store, then in one
   Redis transaction describes the run and queues the start requests of every spider of the
   plan (feeds and listings carry their stored validators);
3. waits until the run is done (`RunProgress.done`), storing items itself whenever no
   `newsmon writer` holds the writer lease;
4. records the per-source counts (workers' page counts, the writer's store-side counts) and the
   validators of the sources none of whose requests failed, then forgets the run in Redis.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import redis
from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.utils.log import configure_logging

from newsmon import clock
from newsmon.crawl.process import CrawlError, crawl_summary
from newsmon.distributed.connection import (
    DistributedError,
    Keys,
    connect,
    safe_url,
    talking_to,
    text,
)
from newsmon.distributed.middlewares import VALIDATORS_META
from newsmon.distributed.queue import RUN_META, RunDupeFilter, RunQueue, keys_from
from newsmon.distributed.runs import LIVE, REPLAY, RunInfo, RunProgress, store_identity
from newsmon.distributed.writer import (
    LeaseLost,
    StreamWriter,
    load_run_counts,
    run_counts_key,
)
from newsmon.middlewares.conditional import CONDITIONAL_KINDS, save_validators, stored_validators
from newsmon.normalize.dates import parse_iso, utc_iso
from newsmon.pipelines.store import record_counts, register_sources
from newsmon.settings_table import project_settings
from newsmon.spiders.generic import GenericSpider
from newsmon.spiders.site import SITE_SPIDERS
from newsmon.store import Store

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 10.0


class Coordinator:
    """Runs crawls through the Redis at `url` (see the module's description)."""

    def __init__(self, url: str, server: redis.Redis, keys: Keys, settings: Settings) -> None:
        self.url = url
        self.server = server
        self.keys = keys
        self.settings = settings

    @classmethod
    def connect(
        cls, url: str, overrides: Mapping[str, Any], *, replay: str | None, record: str | None
    ) -> Coordinator:
        """A coordinator for the Redis at `url`; CrawlError when the run cannot start there."""
        if record is not None:
            raise CrawlError("--record cannot be used with --redis: record on one process")
        settings = project_settings(overrides)
        try:
            coordinator = cls(url, connect(url), keys_from(settings), settings)
            coordinator.check_workers(REPLAY if replay else LIVE)
        except DistributedError as error:
            raise CrawlError(str(error)) from error
        return coordinator

    # Before the run ---------------------------------------------------------------------------

    def check_workers(self, mode: str) -> None:
        """DistributedError unless a worker of `mode` is waiting for work."""
        with talking_to(self.url):
            if self.workers(mode):
                return
        flag = " --replay DIR" if mode == REPLAY else ""
        raise DistributedError(
            f"no {mode} newsmon worker is waiting at {safe_url(self.url)}: start one with "
            f"`newsmon worker --redis {safe_url(self.url)}{flag}`"
        )

    def workers(self, mode: str) -> list[str]:
        """The workers of `mode` whose heartbeat is fresh."""
        ids = sorted(text(member) for member in self.server.smembers(self.keys.workers))
        alive = []
        for worker_id, value in zip(
            ids, self.server.mget([self.keys.worker(i) for i in ids]) if ids else [], strict=True
        ):
            if value is not None and json.loads(value).get("mode") == mode:
                alive.append(worker_id)
        return alive

    # The run ------------------------------------------------------------------------------------

    def crawl(self, project: Settings, crawl_id: int, plan: dict[str, list[str]]) -> None:
        """Run crawl `crawl_id` (recorded in the store) on the workers; CrawlError on failure,
        after marking the crawl failed (what was stored stays; the next run carries on)."""
        configure_logging(project)  # as a crawl in this process does (LOG_FILE, LOG_LEVEL)
        store = Store.open(project["NEWSMON_DB"])
        try:
            self._crawl(store, project, crawl_id, plan)
        except DistributedError as error:
            with store.transaction():
                store.finish_crawl(crawl_id, "failed", {"error": str(error)})
            raise CrawlError(str(error)) from error
        finally:
            store.close()

    def _crawl(
        self, store: Store, project: Settings, crawl_id: int, plan: dict[str, list[str]]
    ) -> None:
        mode = REPLAY if project.get("NEWSMON_REPLAY_DIR") else LIVE
        refresh = project.getbool("NEWSMON_REFRESH")
        with talking_to(self.url):
            self.carry_on(store, exclude=crawl_id)
            spiders = start_spiders(project, plan)
            with store.transaction():
                for spider, _ in spiders:
                    register_sources(store, spider)
            if mode == LIVE and not refresh:
                self.sync_known(store, project.getfloat("NEWSMON_KNOWN_DAYS"))
            config_path = project.get("NEWSMON_CONFIG") or ""
            run = RunInfo(
                crawl_id=crawl_id,
                store=store_identity(store),
                mode=mode,
                refresh=refresh,
                config=Path(config_path).read_text(encoding="utf-8") if config_path else "",
                config_path=config_path,
            )
            queued = self.start(store, run, spiders)
            logger.info("crawl %d: %d start requests queued at %s", crawl_id, queued, self.url)
        self.wait(store, crawl_id, mode)
        self.finish(store, crawl_id)

    def start(self, store: Store, run: RunInfo, spiders: list[tuple[Spider, list[Request]]]) -> int:
        """Describe `run` in Redis and queue each spider's start requests, in one transaction:
        a coordinator killed on the way leaves either both or nothing, never a run with nothing
        queued (which the next crawl would carry on as empty). How many requests were queued."""
        with self.server.pipeline(transaction=True) as pipe:
            run.save(pipe, self.keys)
            for spider, requests in spiders:
                queue = RunQueue(self.server, spider, self.keys.queue(run.mode))
                fingerprints = RunDupeFilter(self.server, self.keys)
                for request in requests:
                    request.meta[RUN_META] = run.crawl_id
                    conditional = request.meta.get("page_kind") in CONDITIONAL_KINDS
                    if conditional and run.mode == LIVE and not run.refresh:
                        validators = stored_validators(store, request.url)
                        if any(validators):
                            request.meta[VALIDATORS_META] = validators
                    fingerprint = (
                        "" if request.dont_filter else fingerprints.request_fingerprint(request)
                    )
                    queue.add_in(pipe, request, fingerprint)
            replies = pipe.execute()
        return sum(int(reply) for reply in replies[2:])  # after the run's hash and listing

    def wait(self, store: Store, crawl_id: int, mode: str) -> None:
        """Wait until the run is done, storing items meanwhile whenever no writer runs."""
        settings = self.settings
        writer = StreamWriter(
            self.server,
            self.keys,
            store,
            url=self.url,
            batch_size=settings.getint("NEWSMON_WRITER_BATCH"),
            lease_ttl=settings.getfloat("NEWSMON_WRITER_LEASE"),
        )
        patience = settings.getfloat("NEWSMON_WORKER_WAIT")
        last_worker = last_report = time.monotonic()
        try:
            while True:
                with talking_to(self.url):
                    progress = RunProgress.load(self.server, self.keys, crawl_id)
                if progress is None:
                    raise DistributedError(
                        f"crawl {crawl_id} is gone from Redis at {safe_url(self.url)} (was it "
                        "restarted without persistence, or flushed?)"
                    )
                if progress.done:
                    return
                if writer.take_lease():
                    try:
                        writer.step(block_ms=200)
                    except LeaseLost as lost:  # a `newsmon writer` took over: let it write
                        logger.info("%s", lost)
                else:
                    time.sleep(0.2)
                now = time.monotonic()
                with talking_to(self.url):
                    if self.workers(mode):
                        last_worker = now
                if now - last_worker > patience:
                    raise DistributedError(
                        f"no {mode} worker left at {safe_url(self.url)} for {patience:g} s; "
                        f"crawl {crawl_id} has {progress.open} requests open, which the next "
                        "run carries on with"
                    )
                if now - last_report >= PROGRESS_EVERY:
                    last_report = now
                    logger.info(
                        "crawl %d: %d requests open, %d items sent, %d stored",
                        crawl_id,
                        progress.open,
                        progress.items,
                        progress.stored,
                    )
        finally:
            try:
                writer.close()
            except DistributedError as error:  # Redis is gone: the lease expires by itself
                logger.info("writer lease not released: %s", error)

    def finish(self, store: Store, crawl_id: int) -> None:
        """Record a done run's counts and validators in the store, then forget it in Redis."""
        with talking_to(self.url):
            stats = {
                text(key): int(value)
                for key, value in self.server.hgetall(self.keys.stats(crawl_id)).items()
            }
            answered = self.server.hgetall(self.keys.validators(crawl_id))
            failed = {text(source) for source in self.server.smembers(self.keys.failed(crawl_id))}
        recorded = store.one("SELECT 1 FROM crawl_sources WHERE crawl_id = ?", (crawl_id,))
        if recorded is None:  # else a coordinator recorded it and died before forgetting it
            counts = load_run_counts(store, self.keys, crawl_id)
            with store.transaction():
                record_counts(store, crawl_id, counts, stats)
                for url, value in answered.items():
                    etag, modified, source = json.loads(value)
                    if source not in failed:
                        save_validators(store, text(url), etag, modified)
                store.conn.execute(
                    "DELETE FROM settings WHERE key = ?", (run_counts_key(self.keys, crawl_id),)
                )
        with talking_to(self.url), self.server.pipeline(transaction=True) as pipe:
            pipe.delete(*self.keys.run_keys(crawl_id))
            pipe.srem(self.keys.runs, crawl_id)
            pipe.execute()

    def carry_on(self, store: Store, *, exclude: int) -> None:
        """Finish the runs of this store that an earlier coordinator left in Redis."""
        identity = store_identity(store)
        for crawl_id in sorted(int(member) for member in self.server.smembers(self.keys.runs)):
            if crawl_id == exclude:
                continue
            run = RunInfo.load(self.server, self.keys, crawl_id)
            if run is None:
                self.server.srem(self.keys.runs, crawl_id)
                continue
            if run.store != identity:
                continue
            logger.warning("crawl %d was left unfinished: carrying on with it first", crawl_id)
            self.wait(store, crawl_id, run.mode)
            self.finish(store, crawl_id)
            summary = crawl_summary(store, crawl_id)
            status = (
                "ok" if any(source.status != "failed" for source in summary.sources) else "failed"
            )
            with store.transaction():
                store.finish_crawl(crawl_id, status, summary.to_json())

    def sync_known(self, store: Store, days: float) -> int:
        """Add to Redis' `known` set the URLs of the articles fetched since the last sync (with
        an hour of overlap, for the workers' clocks), and drop those older than `days`."""
        synced = self.server.get(self.keys.known_synced)
        latest = text(synced) if synced else ""
        moment = parse_iso(latest) if latest else None
        since = utc_iso(moment - timedelta(hours=1)) if moment else ""
        cutoff = clock.now() - timedelta(days=days)
        rows = store.conn.execute(
            """SELECT u.url, a.fetched_at FROM article_urls u JOIN articles a ON a.id = u.article_id
               WHERE a.fetched_at IS NOT NULL AND a.fetched_at >= ?
                 AND (a.fetched_at > ? OR u.first_seen > ?)""",
            (utc_iso(cutoff), since, since),
        ).fetchall()
        with self.server.pipeline(transaction=False) as pipe:
            for start in range(0, len(rows), 1000):
                chunk = rows[start : start + 1000]
                pipe.zadd(self.keys.known, {url: _epoch(fetched) for url, fetched in chunk})
                latest = max([latest, *(fetched for _, fetched in chunk)])
            pipe.zremrangebyscore(self.keys.known, "-inf", cutoff.timestamp())
            if latest:
                pipe.set(self.keys.known_synced, latest)
            pipe.execute()
        return len(rows)


def start_spiders(
    project: Settings, plan: dict[str, list[str]]
) -> list[tuple[Spider, list[Request]]]:
    """Each spider of the plan with its start requests (as a single-process crawl starts)."""
    started: list[tuple[Spider, list[Request]]] = []
    for name in sorted(plan):
        spider_class = SITE_SPIDERS.get(name) or GenericSpider
        limit = {"source": ",".join(plan[name])} if plan[name] else {}
        spider = spider_class.from_crawler(Crawler(spider_class, project), **limit)
        started.append((spider, asyncio.run(_requests(spider.start()))))
    return started


async def _requests(start: AsyncIterator[Any]) -> list[Request]:
    return [request async for request in start if isinstance(request, Request)]


def _epoch(moment: str) -> float:
    parsed = parse_iso(moment)
    assert parsed is not None
    return parsed.timestamp()
