"""scrapy-redis' shared priority queue and fingerprint filter, made safe for workers that die.

- Every request belongs to a crawl run (`request.meta["newsmon_crawl"]`); its fingerprint is
  kept in that run's set, so the next run fetches every feed and listing again.
- Adding a request is one Lua script: record the fingerprint, queue the request, count it open
  in its run. A worker killed between the two steps can never leave a fingerprint without its
  request (which would lose the page for the whole run).
- Taking a request is a lease: the same script that removes it from the queue keeps it in the
  worker's in-flight hash. The worker acknowledges its leases at checkpoints (when its engine
  is idle, so every request it took is done, see `scheduler.py`); the run's open count goes
  down then. A worker whose heartbeat expired has its leases put back in the queue by any
  other worker (`reclaim`).

Queue members are `<sequence>:<crawl id>:<scrapy-redis encoded request>`: unique, so a request
put back never merges with an equal one, and the run is known without unpickling.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

import redis
from scrapy import Request, Spider
from scrapy.settings import BaseSettings
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue

from newsmon.distributed.connection import Keys, text

logger = logging.getLogger(__name__)

RUN_META = "newsmon_crawl"

# KEYS: fingerprints of the run, queue, run hash, sequence. ARGV: fingerprint ('' when the
# request is not filtered), score, crawl id, encoded request.
_ADD = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
local member = redis.call('INCR', KEYS[4]) .. ':' .. ARGV[3] .. ':' .. ARGV[4]
redis.call('ZADD', KEYS[2], ARGV[2], member)
redis.call('HINCRBY', KEYS[3], 'open', 1)
return 1
"""
# KEYS: queue, in-flight hash. ARGV: lease id. The in-flight value says where to put it back.
_POP = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #found == 0 then return false end
redis.call('ZREM', KEYS[1], found[1])
redis.call('HSET', KEYS[2], ARGV[1], KEYS[1] .. '\\n' .. found[2] .. '\\n' .. found[1])
return found[1]
"""
# KEYS: in-flight hash. ARGV: lease id, run hash, lease id, run hash, … A lease already put
# back by another worker (this one was taken for dead) is not counted twice, and a run that
# is gone is not brought back.
_ACK = """
local done = 0
for i = 1, #ARGV, 2 do
  if redis.call('HDEL', KEYS[1], ARGV[i]) == 1 then
    if redis.call('EXISTS', ARGV[i + 1]) == 1 then
      redis.call('HINCRBY', ARGV[i + 1], 'open', -1)
    end
    done = done + 1
  end
end
return done
"""
# KEYS: workers set, the worker's heartbeat, its in-flight hash. ARGV: worker id.
_RECLAIM = """
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local entries = redis.call('HGETALL', KEYS[3])
for i = 2, #entries, 2 do
  local value = entries[i]
  local first = string.find(value, '\\n', 1, true)
  local second = string.find(value, '\\n', first + 1, true)
  redis.call('ZADD', string.sub(value, 1, first - 1), string.sub(value, first + 1, second - 1),
             string.sub(value, second + 1))
end
redis.call('DEL', KEYS[3])
redis.call('SREM', KEYS[1], ARGV[1])
return #entries / 2
"""


def run_of(request: Request) -> int | None:
    """The crawl run a request belongs to."""
    value = request.meta.get(RUN_META)
    return int(value) if value is not None else None


def keys_from(settings: BaseSettings) -> Keys:
    """The key names of the prefix the settings name."""
    return Keys(settings.get("NEWSMON_REDIS_PREFIX") or Keys.prefix)


class RunDupeFilter(RFPDupeFilter):
    """scrapy-redis' fingerprint filter with one set per crawl run instead of one per spider."""

    def __init__(self, server: redis.Redis, keys: Keys, debug: bool = False) -> None:
        super().__init__(server, key=keys.seen("*"), debug=debug)
        self.keys = keys

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> RunDupeFilter:
        return cls(
            get_redis_from_settings(settings),
            keys_from(settings),
            debug=settings.getbool("DUPEFILTER_DEBUG"),
        )

    @classmethod
    def from_spider(cls, spider: Spider) -> RunDupeFilter:
        return cls.from_settings(spider.settings)

    def key_for(self, request: Request) -> str:
        """The fingerprint set of the request's run."""
        crawl_id = run_of(request)
        if crawl_id is None:
            raise ValueError(f"{request.url}: request without a crawl run ({RUN_META})")
        return self.keys.seen(crawl_id)

    def request_seen(self, request: Request) -> bool:
        return self.server.sadd(self.key_for(request), self.request_fingerprint(request)) == 0

    def clear(self) -> None:
        """Nothing to clear here: a run's fingerprints go when the run is finished."""


class RunQueue(PriorityQueue):
    """scrapy-redis' priority queue (one sorted set per spider) where taking is a lease."""

    _lease_numbers = itertools.count(1)

    def __init__(
        self, server: redis.Redis, spider: Spider, key: str, serializer: Any = None
    ) -> None:
        super().__init__(server, spider, key, serializer)
        self.keys = keys_from(spider.settings)
        self.worker_id = spider.settings.get("NEWSMON_WORKER_ID") or ""
        self.leases: list[tuple[str, int]] = []
        self._add = server.register_script(_ADD)
        self._pop = server.register_script(_POP)
        self._ack = server.register_script(_ACK)

    def add(self, request: Request, fingerprint: str = "") -> bool:
        """Queue `request` unless its fingerprint was seen in its run ('': not filtered)."""
        keys, args = self._add_arguments(request, fingerprint)
        return bool(self._add(keys=keys, args=args))

    def add_in(self, pipe: redis.client.Pipeline, request: Request, fingerprint: str = "") -> None:
        """Add to `pipe` the queueing of `request` (as `add`; its reply, 1 or 0, comes with the
        pipeline's replies)."""
        keys, args = self._add_arguments(request, fingerprint)
        self._add(keys=keys, args=args, client=pipe)

    def _add_arguments(self, request: Request, fingerprint: str) -> tuple[list[str], list[Any]]:
        crawl_id = run_of(request)
        if crawl_id is None:
            raise ValueError(f"{request.url}: request without a crawl run ({RUN_META})")
        keys = [
            self.keys.seen(crawl_id),
            self.key,
            self.keys.run(crawl_id),
            self.keys.sequence,
        ]
        args = [fingerprint, -request.priority, crawl_id, self._encode_request(request)]
        return keys, args

    def push(self, request: Request) -> None:
        """Queue `request` whatever its fingerprint (scrapy-redis' queue interface)."""
        self.add(request)

    def pop(self, timeout: int = 0) -> Request | None:
        """The next request, leased to this worker until `ack`; None when the queue is empty.

        A request that cannot be decoded (e.g. a callback this version of newsmon lacks) is
        logged and counted done.
        """
        while True:
            lease = f"{self.spider.name}:{next(self._lease_numbers)}"
            member = self._pop(keys=[self.key, self.keys.inflight(self.worker_id)], args=[lease])
            if member is None:
                return None
            _, crawl_id, data = member.split(b":", 2)
            self.leases.append((lease, int(crawl_id)))
            try:
                return self._decode_request(data)
            except Exception as error:
                logger.error("%s: a queued request cannot be read, dropped: %s", self.key, error)

    def ack(self, pipe: redis.client.Pipeline) -> None:
        """Add to `pipe` the acknowledgement of every lease taken since the last one."""
        if not self.leases:
            return
        args: list[str] = []
        for lease, crawl_id in self.leases:
            args += [lease, self.keys.run(crawl_id)]
        self._ack(keys=[self.keys.inflight(self.worker_id)], args=args, client=pipe)
        self.leases = []


def reclaim(server: redis.Redis, keys: Keys, worker_id: str) -> int:
    """Put a dead worker's leases back in their queues; -1 when the worker is alive."""
    script = server.register_script(_RECLAIM)
    keys_ = [keys.workers, keys.worker(worker_id), keys.inflight(worker_id)]
    return int(script(keys=keys_, args=[worker_id]))


def reclaim_dead(server: redis.Redis, keys: Keys, alive: str = "") -> int:
    """Put back the leases of every registered worker whose heartbeat expired (not `alive`)."""
    requeued = 0
    for member in server.smembers(keys.workers):
        worker_id = text(member)
        if worker_id == alive:
            continue
        count = reclaim(server, keys, worker_id)
        if count > 0:
            logger.warning(
                "worker %s stopped answering: %d of its requests are back in the queue",
                worker_id,
                count,
            )
        requeued += max(count, 0)
    return requeued
