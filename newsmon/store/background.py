"""The store writer in a process of its own, beside the crawl.

Once pages are parsed, writing them is most of a crawl's CPU time (the story index, the
watches, SQLite's indexes). In a process of its own the writer runs on a second core while
Scrapy reads and parses the next pages. Items cross a pipe in chunks, in the order they were
scraped, to a `StoreWriter` that writes them exactly as it would in the crawl's process, so
the store ends up the same.

The writer process ignores Ctrl-C and SIGTERM (the crawl's own shutdown flushes and ends it)
and, on Linux, dies with the crawl: a killed crawl leaves no writer behind, and the
transaction it had open rolls back. Its log records go to the crawl's log.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
from collections import Counter, defaultdict
from multiprocessing.connection import Connection
from typing import Any

from newsmon import clock
from newsmon.items import ArticleItem, HeadlineItem
from newsmon.store import Store, StoreError
from newsmon.store.writer import SourceCounts, StoreWriter, added_up

Item = ArticleItem | HeadlineItem

# Items sent at once: a few pages' worth (fewer, larger messages; the writer never waits long),
# never more than a batch: a batch is written as soon as its last item is scraped, as in-process.
CHUNK_SIZE = 64
# Chunks received and not yet written, at most (the crawl waits beyond: memory stays bounded).
RECEIVED_CHUNKS = 32
FLUSH = "flush"
CLOSE = "close"
# How long the end of the writer process is awaited once it was told to close.
CLOSE_TIMEOUT_S = 60.0
_PR_SET_PDEATHSIG = 1


class BackgroundWriter:
    """A `StoreWriter` of `crawl_id` into `db_path`, run in a child process.

    Same use as a StoreWriter: `write` items, `flush` (after which `counts` are the writer's),
    `close`. A fault of the store (disk full, damaged file) raises StoreError from the next
    `write` or `flush` after the writer met it, with the writer's message.
    """

    def __init__(
        self, db_path: str, crawl_id: int, *, batch_size: int = 500, meaning: bool | None = None
    ) -> None:
        items_read, items_write = os.pipe()
        replies_read, replies_write = os.pipe()
        level = logging.getLogger("newsmon").getEffectiveLevel()
        compare = "" if meaning is None else int(meaning)  # empty: the environment decides
        pipes = (items_read, replies_write)
        arguments = (*pipes, db_path, crawl_id, batch_size, compare, level, os.getpid())
        self._process = subprocess.Popen(
            [sys.executable, "-m", "newsmon.store.background", *map(str, arguments)],
            stdin=subprocess.DEVNULL,
            pass_fds=(items_read, replies_write),
            env=clock.child_environment(),  # the writer's "now" is the crawl's
        )
        os.close(items_read)
        os.close(replies_write)
        self._items = Connection(items_write, readable=False)
        self._replies = Connection(replies_read, writable=False)
        self.counts: defaultdict[str, SourceCounts] = defaultdict(SourceCounts)
        self._chunk_size = min(CHUNK_SIZE, batch_size)
        self._chunk: list[Item] = []
        self._fault: str | None = None
        self._answers: queue.SimpleQueue[dict[str, SourceCounts] | None] = queue.SimpleQueue()
        self._listener = threading.Thread(
            target=self._listen, name="newsmon-store-writer-replies", daemon=True
        )
        self._listener.start()

    @property
    def pid(self) -> int:
        """The writer process's id."""
        return self._process.pid

    def write(self, item: Item) -> None:
        """Queue an item; a full chunk goes to the writer."""
        self._chunk.append(item)
        if len(self._chunk) >= self._chunk_size:
            chunk, self._chunk = self._chunk, []
            self._send(chunk)

    def flush(self) -> None:
        """Have everything written so far committed; then `counts` are up to date."""
        if self._chunk:
            chunk, self._chunk = self._chunk, []
            self._send(chunk)
        self._send(FLUSH)
        counts = self._answers.get()
        if counts is None:
            raise self._error()
        self.counts = defaultdict(SourceCounts, counts)

    def close(self) -> None:
        """Write what is queued and end the writer process (after a fault, only end it)."""
        try:
            if self._fault is None and self._process.poll() is None:
                self.flush()
                self._send(CLOSE)
        finally:
            self._items.close()
            try:
                self._process.wait(CLOSE_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._listener.join()
            self._replies.close()

    def totals(self) -> Counter[str]:
        """All sources' counts added up (as of the last flush)."""
        return added_up(self.counts)

    def _send(self, message: list[Item] | str) -> None:
        if self._fault is not None:
            raise self._error()
        try:
            self._items.send(message)
        except OSError:  # the writer ended: its reply says why
            self._listener.join()
            raise self._error() from None

    def _error(self) -> StoreError:
        if self._fault is not None:
            return StoreError(self._fault)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._process.wait(CLOSE_TIMEOUT_S)  # it is ending: its exit code says how
        code = self._process.returncode
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return StoreError(f"the store writer process ended unexpectedly ({how})")

    def _listen(self) -> None:
        """Pass on what the writer says: log records, counts after a flush, its fault."""
        while True:
            try:
                kind, value = self._replies.recv()
            except (EOFError, OSError):
                break
            if kind == "log":
                level, name, message = value
                logging.getLogger(name).log(level, "%s", message)
            elif kind == "counts":
                self._answers.put(value)
            else:
                self._fault = value
                break
        self._answers.put(None)  # the writer is gone: a flush waiting for counts fails


class _RelayHandler(logging.Handler):
    """Sends the writer process's log records to the crawl's process."""

    def __init__(self, replies: Connection) -> None:
        super().__init__()
        self.replies = replies

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(OSError):  # the crawl is gone
            self.replies.send(("log", (record.levelno, record.name, record.getMessage())))


def serve(
    items: Connection,
    replies: Connection,
    db_path: str,
    crawl_id: int,
    batch_size: int,
    log_level: int,
    meaning: bool | None = None,
) -> None:
    """The writer process: write the items received until told to close."""
    root = logging.getLogger()
    root.handlers[:] = [_RelayHandler(replies)]
    root.setLevel(log_level)
    # Received apart from writing: the crawl goes on sending while a batch is written.
    received: queue.Queue[Any] = queue.Queue(maxsize=RECEIVED_CHUNKS)
    threading.Thread(target=_receive, args=(items, received), daemon=True).start()
    try:
        with Store.open(db_path) as store:
            writer = StoreWriter(store, crawl_id, batch_size=batch_size, meaning=meaning)
            while (message := received.get()) is not None:
                if isinstance(message, list):
                    for item in message:
                        writer.write(item)
                    continue
                writer.flush()
                replies.send(("counts", dict(writer.counts)))
                if message == CLOSE:
                    return
            # The crawl ended without closing: what was not committed is dropped.
    except StoreError as error:
        replies.send(("fault", str(error)))
    except Exception as error:  # a fault of the writer itself: the crawl must hear of it
        replies.send(("fault", f"store writer: {type(error).__name__}: {error}"))


def _receive(items: Connection, received: queue.Queue[Any]) -> None:
    """Move messages from the pipe to `received` until CLOSE, or None when the pipe ends."""
    while True:
        try:
            message = items.recv()
        except (EOFError, OSError):
            received.put(None)
            return
        received.put(message)
        if message == CLOSE:
            return


def _die_with(parent_pid: int) -> None:
    """Have the kernel kill this process when the crawl's process ends (Linux only)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # it ended before the kernel was told
        sys.exit(1)


def main(argv: list[str]) -> None:
    """`python -m newsmon.store.background ITEMS_FD REPLIES_FD DB CRAWL_ID BATCH MEANING LEVEL
    PARENT` (MEANING 1 or 0, empty for the environment's `NEWSMON_STORY_MEANING`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    items_fd, replies_fd, db_path, crawl_id, batch_size, meaning, level, parent_pid = argv
    _die_with(int(parent_pid))
    serve(
        Connection(int(items_fd), writable=False),
        Connection(int(replies_fd), readable=False),
        db_path,
        int(crawl_id),
        int(batch_size),
        int(level),
        bool(int(meaning)) if meaning else None,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
