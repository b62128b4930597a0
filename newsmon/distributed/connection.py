"""Connecting to Redis, the names of newsmon's keys there, and one-line reasons for failures."""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NoReturn
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry
from scrapy_redis import defaults

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "newsmon"
# scrapy-redis' connection defaults, with short retries: a Redis restart of a couple of seconds
# is ridden out, a longer outage is reported (and a worker stops, see `fail_stop`).
REDIS_PARAMS: dict[str, Any] = {
    **defaults.REDIS_PARAMS,
    "socket_connect_timeout": 10,
    "retry": Retry(ExponentialBackoff(cap=1.0, base=0.05), retries=6),
    "retry_on_error": [redis.ConnectionError, redis.TimeoutError],
}
_CONNECT_ERROR = re.compile(r"^Error -?\d+ connecting to \S+?\.? (.+?)\.?$")


class DistributedError(Exception):
    """Redis cannot be used, or the distributed setup is inconsistent; the message says why."""


def connect(url: str, *, check: bool = True) -> redis.Redis:
    """A client of the Redis at `url` (checked with PING unless `check` is false)."""
    try:
        client = redis.Redis.from_url(url, **REDIS_PARAMS)
    except ValueError as error:
        raise DistributedError(
            f"{url!r} is not a Redis URL (redis://HOST:PORT[/DB], rediss://… or unix://PATH)"
        ) from error
    if check:  # once, without the retries: a Redis that is not there is said at once
        with talking_to(url), redis.Redis.from_url(url, **{**REDIS_PARAMS, "retry": None}) as probe:
            probe.ping()
    return client


def text(value: bytes | str) -> str:
    """A Redis reply as text (newsmon's clients do not decode replies)."""
    return value.decode() if isinstance(value, bytes) else value


def problem(url: str, error: BaseException) -> str:
    """`Redis at URL: reason` in one line (the URL without its password)."""
    return f"Redis at {safe_url(url)}: {reason(error)}"


def reason(error: BaseException) -> str:
    """Why a Redis command failed, in a few lowercase words."""
    text = str(error).strip() or type(error).__name__
    found = _CONNECT_ERROR.match(text)
    if found:
        return found.group(1).lower()
    if isinstance(error, redis.TimeoutError):
        return f"timed out ({text})"
    if isinstance(error, redis.ConnectionError):
        return f"connection lost ({text.rstrip('.')})"
    return text


def safe_url(url: str) -> str:
    """`url` with its password masked."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


@contextmanager
def talking_to(url: str) -> Iterator[None]:
    """Turn Redis errors inside the block into DistributedError (`Redis at URL: reason`)."""
    try:
        yield
    except redis.RedisError as error:
        raise DistributedError(problem(url, error)) from error


@contextmanager
def stop_on_error(url: str) -> Iterator[None]:
    """In a worker: a Redis error inside the block ends the process (`fail_stop`)."""
    try:
        yield
    except redis.RedisError as error:
        fail_stop(url, error)


def fail_stop(url: str, error: BaseException) -> NoReturn:
    """End this worker at once: it can no longer record what it did, so it must not go on.

    Whatever it took from the queue goes back there when its heartbeat expires; nothing it
    did after the last checkpoint is acknowledged, so nothing is lost.
    """
    message = problem(url, error)
    logger.critical("%s; this worker stops (its unfinished requests go back to the queue)", message)
    print(f"Error: {message}", file=sys.stderr, flush=True)
    logging.shutdown()
    os._exit(1)


@dataclass(frozen=True)
class Keys:
    """Where newsmon keeps things in Redis, all under one prefix."""

    prefix: str = DEFAULT_PREFIX

    def queue(self, mode: str) -> str:
        """The scrapy-redis queue key pattern of a mode (`live` or `replay`)."""
        return f"{self.prefix}:{mode}:%(spider)s:requests"

    @property
    def sequence(self) -> str:
        """A counter that makes every queued request's member unique."""
        return f"{self.prefix}:sequence"

    @property
    def runs(self) -> str:
        """The set of crawl runs not finished yet."""
        return f"{self.prefix}:runs"

    def run(self, crawl_id: int) -> str:
        """A run's description and counters (hash)."""
        return f"{self.prefix}:run:{crawl_id}"

    def seen(self, crawl_id: int | str) -> str:
        """The request fingerprints a run scheduled (set)."""
        return f"{self.prefix}:run:{crawl_id}:seen"

    def stats(self, crawl_id: int) -> str:
        """A run's per-source page counts (hash of `newsmon/source/…` stats)."""
        return f"{self.prefix}:run:{crawl_id}:stats"

    def validators(self, crawl_id: int) -> str:
        """The ETag / Last-Modified a run's feeds and listings answered with (hash)."""
        return f"{self.prefix}:run:{crawl_id}:validators"

    def failed(self, crawl_id: int) -> str:
        """The sources some request of a run failed for (set)."""
        return f"{self.prefix}:run:{crawl_id}:failed"

    def run_keys(self, crawl_id: int) -> list[str]:
        """Every key of one run."""
        return [
            self.run(crawl_id),
            self.seen(crawl_id),
            self.stats(crawl_id),
            self.validators(crawl_id),
            self.failed(crawl_id),
        ]

    @property
    def items(self) -> str:
        """The stream of scraped items."""
        return f"{self.prefix}:items"

    @property
    def workers(self) -> str:
        """The set of worker ids that registered."""
        return f"{self.prefix}:workers"

    def worker(self, worker_id: str) -> str:
        """A worker's heartbeat (expires when the worker stops refreshing it)."""
        return f"{self.prefix}:worker:{worker_id}"

    def inflight(self, worker_id: str) -> str:
        """The requests a worker took and did not finish yet (hash)."""
        return f"{self.prefix}:inflight:{worker_id}"

    @property
    def writer(self) -> str:
        """The lease of the one store writer."""
        return f"{self.prefix}:writer"

    def domain(self, slot: str) -> str:
        """The next free moment (ms, Redis clock) to send a request to a domain."""
        return f"{self.prefix}:domain:{slot}"

    @property
    def known(self) -> str:
        """URLs of articles already fetched and stored (sorted set, score: fetch time)."""
        return f"{self.prefix}:known"

    @property
    def known_synced(self) -> str:
        """Until when (fetch time) `known` was filled from the store."""
        return f"{self.prefix}:known:synced"
