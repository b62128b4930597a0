"""Reading while a crawl writes: WAL readers never wait for writers, writers wait a bounded time.

A live crawl of a slow stand-in server writes every item in its own transaction for several
seconds. Meanwhile raw sqlite3 connections that wait a moment at most (READ_TIMEOUT), sqlite-utils,
`newsmon appearances` and `newsmon new` (which writes its cursor) read and write the same file.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlite_utils

from newsmon import store as store_module
from newsmon.store import BUSY_TIMEOUT_MS, Store
from tests.conftest import SEEDS
from tests.helpers import FAST, ROOT, child_environment, newsmon
from tests.hostile.slow_server import SlowServer

ANSWER_DELAY = 0.2
# Far shorter than any write transaction of a crawl could last if readers waited for writers;
# but not zero: whenever any connection closes, SQLite takes a lock for an instant to learn
# whether it was the last one, and a reader opening just then must be allowed to retry.
READ_TIMEOUT = 0.5


@dataclass
class Traffic:
    """What the readers and writers around the crawl saw."""

    crawl: subprocess.CompletedProcess[str] | None = None
    db: Path = Path()
    log: str = ""
    counts: list[int] = field(default_factory=list)
    read_errors: list[str] = field(default_factory=list)
    library_counts: list[int] = field(default_factory=list)
    commands: list[subprocess.CompletedProcess[str]] = field(default_factory=list)
    final_count: int = 0


def read_without_waiting(db: Path, traffic: Traffic, done: threading.Event) -> None:
    """Count appearances again and again on connections that fail rather than wait."""
    while not done.is_set():
        try:
            with closing(sqlite3.connect(db, timeout=READ_TIMEOUT)) as conn:
                traffic.counts.append(
                    conn.execute("SELECT count(*) FROM appearances").fetchone()[0]
                )
                conn.execute("SELECT * FROM headlines ORDER BY id DESC LIMIT 20").fetchall()
            traffic.library_counts.append(sqlite_utils.Database(db).table("appearances").count)
        except sqlite3.Error as error:
            traffic.read_errors.append(str(error))
        time.sleep(0.01)


def use_the_cli(db: Path, traffic: Traffic, done: threading.Event) -> None:
    """Ask for appearances and new related appearances (a write) while the crawl runs."""
    while not done.is_set():
        traffic.commands.append(newsmon("appearances", "--db", str(db), "--limit", "5"))
        traffic.commands.append(newsmon("new", "--db", str(db)))


@pytest.fixture(scope="module")
def traffic(tmp_path_factory) -> Traffic:
    directory = tmp_path_factory.mktemp("concurrency")
    result = Traffic(db=directory / "busy.db")
    Store.open(result.db).close()
    assert newsmon("watch", "add", "iran", "iran*", "--db", str(result.db)).returncode == 0
    server = SlowServer(SEEDS, ANSWER_DELAY).start()
    environment = child_environment()
    environment["NEWSMON_RESOLVE"] = server.resolve_env("report.az", "ccbsnews.info")
    log = directory / "crawl.log"
    done = threading.Event()
    workers = [
        threading.Thread(target=read_without_waiting, args=(result.db, result, done)),
        threading.Thread(target=use_the_cli, args=(result.db, result, done)),
    ]
    try:
        crawl = subprocess.Popen(
            [sys.executable, "-m", "newsmon", "crawl", "--db", str(result.db), "--log", str(log),
             *FAST, "-s", "NEWSMON_STORE_BATCH=1"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, cwd=ROOT,
        )  # fmt: skip
        for worker in workers:
            worker.start()
        stdout, stderr = crawl.communicate(timeout=120)
        result.crawl = subprocess.CompletedProcess(crawl.args, crawl.returncode, stdout, stderr)
    finally:
        done.set()
        for worker in workers:
            worker.join(timeout=60)
        server.stop()
    result.log = log.read_text(encoding="utf-8")
    with closing(sqlite3.connect(result.db)) as conn:
        result.final_count = conn.execute("SELECT count(*) FROM appearances").fetchone()[0]
    return result


def test_the_store_is_in_wal_mode(traffic):
    with closing(sqlite3.connect(traffic.db)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_readers_never_wait_for_the_writing_crawl(traffic):
    assert traffic.crawl is not None and traffic.crawl.returncode == 0, traffic.crawl.stderr
    assert traffic.read_errors == []
    assert len(traffic.counts) >= 50
    # The readers saw the crawl's writes arrive as they were committed: the items of one page
    # come within milliseconds, the pages ANSWER_DELAY apart, so at least some of the steps
    # between pages show.
    assert traffic.counts == sorted(traffic.counts)
    assert len(set(traffic.counts)) >= 4
    assert traffic.counts[0] < traffic.final_count == 63
    assert traffic.library_counts == sorted(traffic.library_counts)


def test_commands_read_and_write_beside_the_crawl(traffic):
    assert len(traffic.commands) >= 2
    assert [(c.args[3], c.returncode, c.stderr) for c in traffic.commands if c.returncode] == []
    assert "database is locked" not in traffic.log
    assert "not stored" not in traffic.log


def test_a_writer_waits_for_a_lock_a_bounded_time(tmp_path, monkeypatch):
    """A second writer waits for the first (up to BUSY_TIMEOUT_MS), then gives up with a
    clear error instead of hanging."""
    assert 0 < BUSY_TIMEOUT_MS <= 30_000
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 400)
    path = tmp_path / "locked.db"
    Store.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # holds the write lock
    with Store.open(path) as store:
        started = time.monotonic()
        with (
            pytest.raises(sqlite3.OperationalError, match="database is locked"),
            store.transaction(),
        ):
            store.start_crawl("live", [])
        waited = time.monotonic() - started
        assert 0.35 <= waited < 3
        # Released within the wait, the lock is taken and the write succeeds.
        threading.Timer(0.2, holder.execute, args=("COMMIT",)).start()
        with store.transaction():
            crawl_id = store.start_crawl("live", [])
    holder.close()
    assert crawl_id == 1


def count_in_another_process(db: Path) -> int:
    """Sources counted by a separate process, which opens and closes its own connection."""
    script = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "print(c.execute('SELECT count(*) FROM sources').fetchone()[0]); c.close()"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(db)], capture_output=True, text=True, check=True
    )
    return int(result.stdout)


def test_opening_the_store_twice_in_one_process_keeps_the_first_connection_s_writes(tmp_path):
    """A crawl opens the store several times in one process (a pipeline and a middleware per
    spider). Each open must leave the other connections' locks alone: otherwise a reader that
    closes in another process believes it is the last one, removes the WAL under the crawl,
    and what the crawl writes next is seen by no one else."""
    db = tmp_path / "twice.db"
    first = Store.open(db)
    with first.transaction():
        first.ensure_source(
            "one", name="One", home_url="https://one.test/", lang="en", tz="UTC", kind="site"
        )
    second = Store.open(db)
    assert count_in_another_process(db) == 1
    with first.transaction():
        first.ensure_source(
            "two", name="Two", home_url="https://two.test/", lang="en", tz="UTC", kind="site"
        )
    assert count_in_another_process(db) == 2
    second.close()
    first.close()
    assert count_in_another_process(db) == 2
