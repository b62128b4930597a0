"""A crawl run as Redis knows it: what workers need of it, and its three counters.

The coordinator writes the run's hash and queues its start requests in one transaction (a run
is never known without its requests); workers read it the first time they take one of its
requests. The counters say when the run is done:

- `open`: requests queued or taken and not finished (up when added, down when acknowledged);
- `items`: items workers put on the stream for it;
- `stored`: those items the writer committed to SQLite and acknowledged.

The run is done when nothing is open and every item sent is stored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import redis

from newsmon.config import Config, parse_config
from newsmon.distributed.connection import Keys, text
from newsmon.store import Store

LIVE = "live"
REPLAY = "replay"
STORE_ID = "distributed/store_id"


def store_identity(store: Store) -> str:
    """The store's own random id (made on first use): runs and writers name their store by it,
    so that items never reach another store that shares the Redis."""
    value = store.setting(STORE_ID)
    if value is None:
        with store.transaction():
            store.conn.execute(
                "INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)",
                (STORE_ID, uuid.uuid4().hex),
            )
        value = store.setting(STORE_ID)
        assert value is not None
    return value


@dataclass(frozen=True)
class RunInfo:
    """What a worker needs to know about a run."""

    crawl_id: int
    store: str
    mode: str
    refresh: bool = False
    config: str = ""
    config_path: str = ""

    def save(self, pipe: redis.client.Pipeline, keys: Keys) -> None:
        """Add to `pipe` the run's description (counters at 0) and its listing among unfinished
        runs; the caller queues the run's start requests in the same transaction."""
        pipe.hset(
            keys.run(self.crawl_id),
            mapping={
                "crawl_id": self.crawl_id,
                "store": self.store,
                "mode": self.mode,
                "refresh": int(self.refresh),
                "config": self.config,
                "config_path": self.config_path,
                "open": 0,
                "items": 0,
                "stored": 0,
            },
        )
        pipe.sadd(keys.runs, self.crawl_id)

    @classmethod
    def load(cls, server: redis.Redis, keys: Keys, crawl_id: int) -> RunInfo | None:
        """The run's description, or None when Redis does not know it."""
        data = {text(key): text(value) for key, value in server.hgetall(keys.run(crawl_id)).items()}
        if "store" not in data:
            return None
        return cls(
            crawl_id=crawl_id,
            store=data["store"],
            mode=data.get("mode", LIVE),
            refresh=data.get("refresh") == "1",
            config=data.get("config", ""),
            config_path=data.get("config_path", ""),
        )

    def sources(self) -> Config | None:
        """The run's sources file, parsed (None when the run had none)."""
        if not self.config:
            return None
        return parse_config(self.config, self.config_path or f"<crawl {self.crawl_id}>")


@dataclass(frozen=True)
class RunProgress:
    """A run's counters."""

    open: int
    items: int
    stored: int

    @property
    def done(self) -> bool:
        """Nothing left to fetch, and every item stored."""
        return self.open <= 0 and self.stored >= self.items

    @classmethod
    def load(cls, server: redis.Redis, keys: Keys, crawl_id: int) -> RunProgress | None:
        """The counters of a run, or None when Redis does not know the run."""
        values = server.hmget(keys.run(crawl_id), ["store", "open", "items", "stored"])
        if values[0] is None:
            return None
        return cls(*(int(value or 0) for value in values[1:]))


class RunBook:
    """The runs one process met lately, read from Redis once each."""

    KEEP = 16

    def __init__(self, server: redis.Redis, keys: Keys) -> None:
        self.server = server
        self.keys = keys
        self._runs: dict[int, RunInfo | None] = {}

    def get(self, crawl_id: int) -> RunInfo | None:
        """The run (None when Redis does not know it: finished, or never started)."""
        if crawl_id not in self._runs:
            if len(self._runs) >= self.KEEP:
                del self._runs[next(iter(self._runs))]
            self._runs[crawl_id] = RunInfo.load(self.server, self.keys, crawl_id)
        return self._runs[crawl_id]
