"""The one store writer: drains the item stream into SQLite, acknowledging what committed.

- One writer at a time holds the writer lease (`<prefix>:writer`, renewed at every step, lost
  after `NEWSMON_WRITER_LEASE` seconds without renewal). A second `newsmon writer` waits as a
  standby; `newsmon crawl --redis` stores items itself whenever nobody holds the lease.
- A batch is up to `NEWSMON_WRITER_BATCH` entries of the consumer group. One SQLite
  transaction (`BEGIN IMMEDIATE`) writes their items through a StoreWriter per crawl run
  (dedupe, stories, watches, events), adds the run's store-side counts, and records the ids of
  the batch; only after COMMIT are the entries acknowledged (`XACK`, then `XDEL`: the stream
  keeps only what is not stored yet) and counted stored in their run — one Lua script per run.
- The writer that takes the lease first claims every entry left pending by the one before
  (`XAUTOCLAIM`; the lease's expiry is the idle time that proves the old writer gone), in id
  order, before it reads new ones. Claimed entries whose ids the store recorded as the last
  committed batch were stored already (the old writer died between COMMIT and XACK): they are
  only acknowledged. Anything else is written; writing an item twice would add no appearance
  and no event anyway (the store's uniqueness), only count it twice.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import redis

from newsmon.clock import now_iso
from newsmon.distributed import stream
from newsmon.distributed.connection import DistributedError, Keys, talking_to
from newsmon.distributed.runs import RunInfo, store_identity
from newsmon.store import Store, is_store_fault, write_fault
from newsmon.store.writer import SourceCounts, StoreWriter

logger = logging.getLogger(__name__)

_COUNT_FIELDS = [field.name for field in fields(SourceCounts)]
REPORT_EVERY = 60.0
# KEYS: stream, run hash. ARGV: group, entry ids…
_ACK = """
local done = redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
redis.call('XDEL', KEYS[1], unpack(ARGV, 2))
if done > 0 and redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('HINCRBY', KEYS[2], 'stored', done)
end
return done
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

Entry = tuple[bytes, dict[bytes, bytes]]


class LeaseLost(DistributedError):
    """Another writer took the lease: this one must stop writing."""


def run_counts_key(keys: Keys, crawl_id: int) -> str:
    """The store setting holding a run's store-side counts until the run is finished."""
    return f"distributed/{keys.prefix}/crawl/{crawl_id}/counts"


def load_run_counts(store: Store, keys: Keys, crawl_id: int) -> defaultdict[str, SourceCounts]:
    """A run's store-side counts per source, as the writer committed them."""
    data = json.loads(store.setting(run_counts_key(keys, crawl_id)) or "{}")
    counts: defaultdict[str, SourceCounts] = defaultdict(SourceCounts)
    for source, values in data.items():
        counts[source] = SourceCounts(**values)
    return counts


class WriterLease:
    """The right to be the store writer, held in Redis with an expiry."""

    def __init__(self, server: redis.Redis, keys: Keys, store_id: str, ttl: float) -> None:
        self.server = server
        self.key = keys.writer
        self.ttl_ms = round(ttl * 1000)
        self.value = json.dumps(
            {
                "store": store_id,
                "host": socket.gethostname(),
                "pid": os.getpid(),
                "token": secrets.token_hex(4),
                "since": now_iso(),
            },
            sort_keys=True,
        )
        self.held = False
        self._renew = server.register_script(_RENEW)
        self._release = server.register_script(_RELEASE)

    def acquire(self) -> bool:
        """Take the lease if nobody holds it; whether this writer holds it now."""
        if self.held:
            self.renew()
            return True
        self.held = bool(self.server.set(self.key, self.value, nx=True, px=self.ttl_ms))
        return self.held

    def renew(self) -> None:
        """Keep the lease; LeaseLost when it expired meanwhile."""
        if not self._renew(keys=[self.key], args=[self.value, self.ttl_ms]):
            self.held = False
            raise LeaseLost(f"the writer lease {self.key} expired (another writer may hold it)")

    def release(self) -> None:
        """Let the next writer in at once."""
        if self.held:
            self._release(keys=[self.key], args=[self.value])
            self.held = False

    def holder(self) -> dict[str, Any] | None:
        """Who holds the lease (None: nobody)."""
        value = self.server.get(self.key)
        return json.loads(value) if value else None


class StreamWriter:
    """Consumes the item stream into one store (see the module's description)."""

    def __init__(
        self,
        server: redis.Redis,
        keys: Keys,
        store: Store,
        *,
        url: str,
        batch_size: int = 500,
        lease_ttl: float = 10.0,
        ack_delay: float = 0.0,
    ) -> None:
        self.server = server
        self.keys = keys
        self.store = store
        self.url = url
        self.batch_size = batch_size
        self.ack_delay = ack_delay
        self.store_id = store_identity(store)
        self.lease = WriterLease(server, keys, self.store_id, lease_ttl)
        self.consumer = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.last_batch_key = f"distributed/{keys.prefix}/last_batch"
        self.writers: dict[int, StoreWriter] = {}
        self.written = 0
        self._claim_from: bytes | None = None
        self._checked_runs = time.monotonic()
        self._ack = server.register_script(_ACK)

    # Lease ------------------------------------------------------------------------------------

    def take_lease(self) -> bool:
        """Become the writer if nobody is; the new writer first claims what was left pending."""
        with talking_to(self.url):
            if self.lease.held:
                return True
            holder = self.lease.holder()
            if holder is not None and holder.get("store") != self.store_id:
                raise DistributedError(
                    f"the writer of another store ({holder.get('host')}, pid {holder.get('pid')})"
                    f" holds {self.keys.writer}: give each store its own NEWSMON_REDIS_PREFIX"
                )
            if not self.lease.acquire():
                return False
            stream.ensure_group(self.server, self.keys)
        self._claim_from = b"0-0"
        logger.info("store writer %s took the lease", self.consumer)
        return True

    def close(self) -> None:
        """Give up the lease (every batch read was acknowledged)."""
        with talking_to(self.url):
            self.lease.release()

    # Batches ----------------------------------------------------------------------------------

    def step(self, block_ms: int = 1000) -> int:
        """Write one batch (waiting up to `block_ms` for one); the number of entries read."""
        with talking_to(self.url):
            self.lease.renew()
            entries = self._read(block_ms)
        if entries:
            self.write_batch(entries)
        self._forget_finished_runs()
        return len(entries)

    def serve(self, should_stop: Callable[[], bool], block_ms: int = 1000) -> None:
        """Be the writer until `should_stop()`: wait for the lease, then write batch after batch."""
        waiting = False
        reported, reported_at = self.written, time.monotonic()
        while not should_stop():
            if time.monotonic() - reported_at >= REPORT_EVERY and self.written != reported:
                logger.info("stored %d items in the last minute", self.written - reported)
                reported, reported_at = self.written, time.monotonic()
            if not self.take_lease():
                if not waiting:
                    logger.info("another writer holds %s: waiting for it", self.keys.writer)
                    waiting = True
                time.sleep(min(1.0, self.lease.ttl_ms / 3000))
                continue
            waiting = False
            try:
                self.step(block_ms)
            except LeaseLost as lost:  # paused longer than the lease: the other writer goes on
                logger.warning("%s; waiting to take over again", lost)
        self.close()

    def write_batch(self, entries: list[Entry]) -> None:
        """Write the entries' items in one transaction, then acknowledge them."""
        committed = set(json.loads(self.store.setting(self.last_batch_key) or "[]"))
        by_run: defaultdict[int | None, list[str]] = defaultdict(list)
        items: defaultdict[int, list[stream.Item]] = defaultdict(list)
        for raw_id, entry in entries:
            entry_id = raw_id.decode()
            crawl_id = stream.crawl_of(entry)
            by_run[crawl_id].append(entry_id)
            if crawl_id is None or entry_id in committed:
                continue
            try:
                items[crawl_id].append(stream.decode(entry))
            except ValueError as error:
                logger.error("stream entry %s (crawl %s) not stored: %s", entry_id, crawl_id, error)
        self._commit(items, [raw_id.decode() for raw_id, _ in entries])
        if self.ack_delay:
            time.sleep(self.ack_delay)  # NEWSMON_WRITER_ACK_DELAY: a test's window to kill us
        with talking_to(self.url):
            for crawl_id, ids in by_run.items():
                run_key = self.keys.run(crawl_id if crawl_id is not None else 0)
                self._ack(keys=[self.keys.items, run_key], args=[stream.GROUP, *ids])
        self.written += sum(len(batch) for batch in items.values())

    def _commit(self, items: dict[int, list[stream.Item]], ids: list[str]) -> None:
        writers = {crawl_id: self._writer_for(crawl_id) for crawl_id in items}
        conn = self.store.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for crawl_id, batch in items.items():
                writer = writers[crawl_id]
                before = _copy(writer.counts)
                for item in batch:
                    writer.write(item)
                writer.flush()
                self._add_counts(crawl_id, before, writer.counts)
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (self.last_batch_key, json.dumps(ids)),
            )
            with talking_to(self.url):
                self.lease.renew()  # a writer that lost its lease must not commit
            conn.execute("COMMIT")
        except BaseException as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            self.writers.clear()  # their counts include what was rolled back
            if is_store_fault(error):
                raise write_fault(self.store.path, error) from error
            raise

    def _writer_for(self, crawl_id: int) -> StoreWriter:
        writer = self.writers.get(crawl_id)
        if writer is not None:
            return writer
        with talking_to(self.url):
            run = RunInfo.load(self.server, self.keys, crawl_id)
        if run is not None and run.store != self.store_id:
            raise DistributedError(
                f"items of crawl {crawl_id} belong to another store than {self.store.path}: "
                "give each store its own NEWSMON_REDIS_PREFIX"
            )
        if self.store.one("SELECT 1 FROM crawls WHERE id = ?", (crawl_id,)) is None:
            raise DistributedError(
                f"items of crawl {crawl_id}, which {self.store.path} does not have: they belong "
                "to another store; give each store its own NEWSMON_REDIS_PREFIX"
            )
        writer = StoreWriter(self.store, crawl_id, batch_size=self.batch_size)
        self.writers[crawl_id] = writer
        return writer

    def _add_counts(
        self,
        crawl_id: int,
        before: dict[str, SourceCounts],
        after: defaultdict[str, SourceCounts],
    ) -> None:
        """Add what a batch did to the run's counts kept in the store (same transaction)."""
        totals = load_run_counts(self.store, self.keys, crawl_id)
        for source, counts in after.items():
            old = before.get(source, SourceCounts())
            total = totals[source]
            for name in _COUNT_FIELDS:
                setattr(
                    total, name, getattr(total, name) + getattr(counts, name) - getattr(old, name)
                )
        self.store.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (
                run_counts_key(self.keys, crawl_id),
                json.dumps({source: vars(counts) for source, counts in totals.items()}),
            ),
        )

    def _read(self, block_ms: int) -> list[Entry]:
        if self._claim_from is not None:
            start, entries, _ = self.server.xautoclaim(
                self.keys.items,
                stream.GROUP,
                self.consumer,
                min_idle_time=0,
                start_id=self._claim_from,
                count=self.batch_size,
            )
            self._claim_from = None if start == b"0-0" else start
            claimed = [(raw_id, entry) for raw_id, entry in entries if entry is not None]
            if claimed:
                logger.warning(
                    "claimed %d items a previous writer left unacknowledged",
                    len(claimed),
                )
            if claimed or self._claim_from is not None:
                return claimed
        found: Any = self.server.xreadgroup(
            stream.GROUP,
            self.consumer,
            {self.keys.items: ">"},
            count=self.batch_size,
            block=block_ms if block_ms > 0 else None,
        )
        return list(found[0][1]) if found else []

    def _forget_finished_runs(self) -> None:
        """Drop the StoreWriters of runs that are finished (their watches may have changed)."""
        if time.monotonic() - self._checked_runs < 10 or not self.writers:
            return
        self._checked_runs = time.monotonic()
        with talking_to(self.url):
            for crawl_id in list(self.writers):
                if not self.server.sismember(self.keys.runs, str(crawl_id)):
                    del self.writers[crawl_id]


def _copy(counts: dict[str, SourceCounts]) -> dict[str, SourceCounts]:
    return {source: SourceCounts(**vars(value)) for source, value in counts.items()}
