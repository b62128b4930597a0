"""Crawling on many workers through scrapy-redis with one store writer: nothing lost or doubled.

The real commands run in child processes against a redis-server and a fixture server on
127.0.0.1 (each test under its own key prefix), and the store they fill is compared with the
store of a single-process crawl of the same fixtures, table by table, by natural keys.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytest.importorskip("scrapy_redis", reason="Redis support is not installed: pip install '.[redis]'")

# After the skip: Redis support is optional.
import redis
from click.testing import CliRunner
from scrapy.crawler import Crawler

from newsmon.cli import cli
from newsmon.crawl.process import CrawlError
from newsmon.distributed import run as run_module
from newsmon.distributed import stream
from newsmon.distributed.connection import Keys
from newsmon.distributed.politeness import DomainDelayMiddleware
from newsmon.distributed.queue import RUN_META, RunQueue, reclaim_dead
from newsmon.distributed.run import Coordinator
from newsmon.distributed.runs import RunInfo, RunProgress
from newsmon.distributed.worker import worker_settings
from newsmon.distributed.writer import StreamWriter
from newsmon.items import ArticleItem, HeadlineItem
from newsmon.settings_table import project_settings
from newsmon.sites import all_sites
from newsmon.spiders.site import SITE_SPIDERS
from newsmon.store import Store
from tests.conftest import SEEDS
from tests.fixture_server import Answer, FixtureServer, serving
from tests.helpers import FAST, ROOT, child_environment, newsmon
from tests.redis_server import RedisServer, free_port, requires_redis, running_redis
from tests.store_snapshot import Snapshot, assert_same_store, snapshot

SITES = ("report.az", "ccbsnews.info")
# The store keeps the publication time of an article's first headline (a feed's is exact, a
# listing's is resolved against the page), so which page is parsed first shows. Listings answer
# a moment after feeds, so that feeds come first in every crawl, as they do in one process.
LISTINGS = [url for site in all_sites().values() for url in site.listings]
WATCH = ("defense", "{azerbaijan*|azərbaycan*} AND {turkey|türkiye}")
REPORT_FEED = "https://report.az/en/rss/"
REPORT_ARTICLE = "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
REPORT_ROBOTS = "https://report.az/robots.txt"
# Short heartbeats and leases, so that a dead worker or writer is replaced within seconds.
QUICK = (
    *FAST,
    "-s", "NEWSMON_WORKER_HEARTBEAT=1",
    "-s", "NEWSMON_WORKER_POLL=0.1",
    "-s", "NEWSMON_WRITER_LEASE=2",
)  # fmt: skip
# What a crawl counts of the items it read: a request redone after its worker died sends its
# items again (stored once, counted twice).
READ_COUNTS = ("articles", "headlines")


def without(rows: list[tuple[Any, ...]], *positions: int) -> list[tuple[Any, ...]]:
    """The rows with the columns at `positions` left out."""
    return sorted(tuple(value for i, value in enumerate(row) if i not in positions) for row in rows)


# Processes -----------------------------------------------------------------------------------


class Cluster:
    """The workers, writers and crawls of one test, under a key prefix of their own."""

    def __init__(self, redis_url: str, site: FixtureServer, directory: Path, prefix: str) -> None:
        self.url = redis_url
        self.directory = directory
        self.settings = (*QUICK, "-s", f"NEWSMON_REDIS_PREFIX={prefix}")
        self.env = {"NEWSMON_RESOLVE": site.resolve_env(*SITES)}
        self.keys = Keys(prefix)
        self.client = redis.Redis.from_url(redis_url)
        self.processes: list[subprocess.Popen[str]] = []

    def start(self, name: str, *args: str) -> subprocess.Popen[str]:
        """`newsmon ARGS` in the background; its output goes to files named after `name`."""
        environment = child_environment()
        environment.update(self.env)
        with (
            (self.directory / f"{name}.out").open("w") as stdout,
            (self.directory / f"{name}.err").open("w") as stderr,
        ):
            process = subprocess.Popen(
                [sys.executable, "-m", "newsmon", *args, *self.settings],
                stdout=stdout,
                stderr=stderr,
                env=environment,
                cwd=ROOT,
                text=True,
            )
        self.processes.append(process)
        return process

    def worker(self, name: str, *args: str) -> subprocess.Popen[str]:
        return self.start(name, "worker", "--redis", self.url, *args)

    def writer(self, name: str, db: Path, *args: str) -> subprocess.Popen[str]:
        return self.start(name, "writer", "--redis", self.url, "--db", str(db), *args)

    def newsmon(self, command: str, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
        """`newsmon COMMAND --redis URL --db DB ARGS` (`crawl` or `run`), to its end."""
        return newsmon(
            command, "--redis", self.url, "--db", str(db), *self.settings, *args, env=self.env
        )

    def crawl(self, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return self.newsmon("crawl", db, *args)

    def crawl_in_background(self, name: str, db: Path) -> subprocess.Popen[str]:
        return self.start(name, "crawl", "--redis", self.url, "--db", str(db))

    def output(self, name: str) -> str:
        """What a background process wrote to standard error."""
        return (self.directory / f"{name}.err").read_text()

    def workers_alive(self) -> dict[int, str]:
        """pid → worker id, for the workers whose heartbeat is fresh."""
        alive = {}
        for member in self.client.smembers(self.keys.workers):
            beat = self.client.get(self.keys.worker(member.decode()))
            if beat is not None:
                alive[json.loads(beat)["pid"]] = member.decode()
        return alive

    def wait_for_workers(self, count: int) -> dict[int, str]:
        return wait_for(lambda: len(self.workers_alive()) >= count and self.workers_alive())

    def stop(self) -> None:
        """End every process still running (SIGKILL: what they leave in Redis is this test's)."""
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait()


def wait_for(condition: Callable[[], Any], timeout: float = 30.0) -> Any:
    """The first true value `condition()` returns, polling; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"still waiting after {timeout} s for {condition}")


def slow_pages(site: FixtureServer, urls: list[str], seconds: float) -> None:
    """Make the server answer each of `urls` (as it would) after `seconds`."""

    def answer(url: str) -> Callable[[BaseHTTPRequestHandler], None]:
        def respond(handler: Any) -> None:
            time.sleep(seconds)
            fixture = site.fixtures.find(url)
            if fixture is None:
                handler._send(404, {"Content-Type": "text/plain"}, b"no fixture")
            else:
                handler._send(fixture.status, dict(fixture.headers), site.fixtures.body(fixture))

        return respond

    for url in urls:
        site.overrides[url] = answer(url)


def disallowing(url: str) -> Answer:
    """A robots.txt that keeps every robot off `url`'s path (and nothing else)."""
    rules = f"User-agent: *\nDisallow: {urlsplit(url).path}\nAllow: /\n"
    return Answer(headers={"Content-Type": "text/plain; charset=utf-8"}, body=rules.encode())


def crawl_in_one_process(site: FixtureServer, db: Path) -> None:
    """`newsmon crawl` of the seed sites in this one process, without Redis."""
    result = newsmon(
        "crawl", "--db", str(db), *FAST, env={"NEWSMON_RESOLVE": site.resolve_env(*SITES)}
    )
    assert result.returncode == 0, result.stderr


def describe_run(client: redis.Redis, keys: Keys, run: RunInfo) -> None:
    """The run known to Redis, with no request queued yet."""
    with client.pipeline(transaction=True) as pipe:
        run.save(pipe, keys)
        pipe.execute()


def add_watch(db: Path) -> None:
    result = newsmon("watch", "add", *WATCH, "--db", str(db))
    assert result.returncode == 0, result.stderr


# Fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with running_redis(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture(scope="module")
def site() -> Iterator[FixtureServer]:
    with serving(SEEDS) as server:
        pace_listings(server)
        yield server


def pace_listings(site: FixtureServer) -> None:
    """Only the listings answer late (`LISTINGS`)."""
    site.overrides.clear()
    slow_pages(site, LISTINGS, seconds=0.3)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, site: FixtureServer) -> list[Snapshot]:
    """The store after a single-process crawl of the seed sites, then after a second one."""
    db = tmp_path_factory.mktemp("reference") / "newsmon.db"
    add_watch(db)
    snapshots = []
    for _ in range(2):
        crawl_in_one_process(site, db)
        snapshots.append(snapshot(db))
    return snapshots


@pytest.fixture
def cluster(
    request: pytest.FixtureRequest, redis_server: RedisServer, site: FixtureServer, tmp_path: Path
) -> Iterator[Cluster]:
    group = Cluster(redis_server.url, site, tmp_path, prefix=request.node.name)
    try:
        yield group
    finally:
        group.stop()
        pace_listings(site)


# Crawling on workers -------------------------------------------------------------------------


@requires_redis
def test_three_workers_and_one_writer_store_what_one_process_stores(
    cluster: Cluster, reference: list[Snapshot], site: FixtureServer, tmp_path: Path
) -> None:
    db = tmp_path / "newsmon.db"
    add_watch(db)
    for number in range(3):
        cluster.worker(f"worker{number}", "-s", "NEWSMON_DOMAIN_DELAY=0.05")
    writer = cluster.writer("writer", db)
    cluster.wait_for_workers(3)
    fetched_before = site.requests[REPORT_FEED]

    first = cluster.crawl(db)
    assert first.returncode == 0, first.stderr
    assert_same_store(snapshot(db), reference[0])
    second = cluster.newsmon("run", db)  # what cron calls: crawl, then tell what is new
    assert second.returncode == 0, second.stderr
    assert_same_store(snapshot(db), reference[1])

    # Each related appearance is told once: those of the first crawl (the second found none),
    # one line per headline (article) of each watch.
    told = second.stdout.splitlines()
    headlines = {(event[0], event[3]) for event in reference[1]["events"]}
    assert len(told) == len(set(told)) == len(headlines) > 0

    # Fingerprints are kept per run: the second run asked for the feed again (and got a 304).
    assert site.requests[REPORT_FEED] == fetched_before + 2
    assert site.not_modified[REPORT_FEED] >= 1
    # Every request reserved its moment with its site in Redis (politeness across workers).
    domains = [cluster.keys.domain(host) for host in SITES]
    assert cluster.client.exists(*domains) == len(SITES)
    # The writer stored every item; nothing of the two runs is left in Redis.
    writer.terminate()
    assert writer.wait(timeout=15) == 0
    stored = sum(row[5] + row[6] for row in snapshot(db)["crawl_sources"])
    assert cluster.output("writer").strip().endswith(f"writer stopped: {stored} items stored")
    assert cluster.client.keys(f"{cluster.keys.prefix}:run:*") == []
    assert cluster.client.xlen(cluster.keys.items) == 0


@requires_redis
def test_a_worker_killed_mid_crawl_loses_nothing(
    cluster: Cluster, reference: list[Snapshot], site: FixtureServer, tmp_path: Path
) -> None:
    db = tmp_path / "newsmon.db"
    add_watch(db)
    slow_pages(site, [row[0] for row in reference[0]["articles"]], seconds=2.0)
    cluster.worker("worker0")
    cluster.worker("worker1")
    workers = cluster.wait_for_workers(2)
    crawl = cluster.crawl_in_background("crawl", db)
    feeds_and_listings = 9 + 9 + 11 + 11  # the headlines they give

    def busy_worker() -> int | None:
        """A worker with article pages in flight, once every feed and listing was read."""
        progress = RunProgress.load(cluster.client, cluster.keys, 1)
        if progress is None or progress.items < feeds_and_listings:
            return None
        for pid, worker_id in workers.items():
            if cluster.client.hlen(cluster.keys.inflight(worker_id)):
                return pid
        return None

    victim = wait_for(busy_worker)
    os.kill(victim, signal.SIGKILL)
    assert crawl.wait(timeout=120) == 0, cluster.output("crawl")

    found, expected = snapshot(db), reference[0]
    assert_same_store(found, expected, skip=("crawl_sources",))
    # Page counts and what is new are exact; the items of requests the dead worker had done
    # but not acknowledged were sent again: read twice (articles, headlines and the articles'
    # missing fields, columns 5, 6, 11-13), stored once.
    read = (5, 6, 11, 12, 13)
    assert without(found["crawl_sources"], *read) == without(expected["crawl_sources"], *read)
    for got, want in zip(found["crawl_sources"], expected["crawl_sources"], strict=True):
        assert all(got[column] >= want[column] for column in read)
    survivors = [
        name for name in ("worker0", "worker1") if "back in the queue" in cluster.output(name)
    ]
    assert survivors, "no worker put the dead worker's requests back"


@requires_redis
def test_a_writer_killed_between_commit_and_ack_stores_and_reports_each_appearance_once(
    cluster: Cluster, reference: list[Snapshot], tmp_path: Path
) -> None:
    db = tmp_path / "newsmon.db"
    add_watch(db)
    cluster.worker("worker")
    doomed = cluster.writer(
        "doomed", db, "-s", "NEWSMON_WRITER_ACK_DELAY=60", "-s", "NEWSMON_WRITER_BATCH=10"
    )
    cluster.wait_for_workers(1)
    wait_for(lambda: cluster.client.exists(cluster.keys.writer))
    crawl = cluster.crawl_in_background("crawl", db)

    def committed_batch() -> str | None:
        with Store.open(db) as store:
            return store.setting(f"distributed/{cluster.keys.prefix}/last_batch")

    batch = json.loads(wait_for(committed_batch))
    pending = cluster.client.xpending(cluster.keys.items, stream.GROUP)["pending"]
    assert 1 <= len(batch) <= pending  # committed, not acknowledged
    doomed.kill()
    cluster.writer("writer", db)
    assert crawl.wait(timeout=120) == 0, cluster.output("crawl")

    # Every appearance, event and count exactly as one process stores them: the claimed batch
    # was recognised as committed and only acknowledged.
    assert_same_store(snapshot(db), reference[0])
    claims = cluster.output("writer") + cluster.output("crawl")
    assert "claimed" in claims and "previous writer" in claims
    assert cluster.client.xpending(cluster.keys.items, stream.GROUP)["pending"] == 0


@requires_redis
def test_a_killed_coordinator_leaves_a_run_that_the_next_crawl_finishes_first(
    cluster: Cluster, reference: list[Snapshot], site: FixtureServer, tmp_path: Path
) -> None:
    db = tmp_path / "newsmon.db"
    add_watch(db)
    slow_pages(site, [row[0] for row in reference[0]["articles"]], seconds=0.5)
    cluster.worker("worker")
    cluster.wait_for_workers(1)
    crawl = cluster.crawl_in_background("crawl", db)
    wait_for(lambda: cluster.client.smembers(cluster.keys.runs))
    crawl.kill()
    pace_listings(site)

    second = cluster.crawl(db)
    assert second.returncode == 0, second.stderr
    assert "crawl 1 was left unfinished: carrying on with it first" in second.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT id, status FROM crawls ORDER BY id").fetchall() == [
            (1, "ok"),
            (2, "ok"),
        ]
    assert_same_store(snapshot(db), reference[1])


@requires_redis
def test_a_coordinator_killed_while_starting_its_run_leaves_no_run_without_its_requests(
    redis_server: RedisServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = Keys("starting")
    client = redis.Redis.from_url(redis_server.url)
    db = tmp_path / "newsmon.db"
    project = project_settings(
        {"NEWSMON_DB": str(db), "NEWSMON_REDIS_PREFIX": keys.prefix, "NEWSMON_WORKER_WAIT": 0}
    )
    coordinator = Coordinator(redis_server.url, client, keys, project)
    store = Store.open(db)
    with store.transaction():
        crawl_ids = [store.start_crawl("live", ["report_az"]) for _ in range(2)]
    store.close()

    def killed(*args: object) -> None:
        raise KeyboardInterrupt  # the coordinator dies while it queues its start requests

    with monkeypatch.context() as patched:
        patched.setattr(run_module, "stored_validators", killed)
        with pytest.raises(KeyboardInterrupt):
            coordinator.crawl(project, crawl_ids[0], {"report_az": []})
    # Nothing of the run reached Redis: the next crawl has no empty run to carry on with.
    assert client.keys(f"{keys.prefix}:*") == []

    # Started for good (and left for want of workers), a run is known with all its requests.
    with pytest.raises(CrawlError, match="no live worker left"):
        coordinator.crawl(project, crawl_ids[1], {"report_az": []})
    queued = client.zrange(keys.queue("live") % {"spider": "report_az"}, 0, -1)
    assert client.smembers(keys.runs) == {str(crawl_ids[1]).encode()}
    assert RunProgress.load(client, keys, crawl_ids[1]) == RunProgress(
        open=len(queued), items=0, stored=0
    )
    assert len(queued) == 2  # report.az: its feed and its listing


@requires_redis
def test_workers_never_fetch_a_page_that_robots_txt_disallows(
    cluster: Cluster, site: FixtureServer, tmp_path: Path
) -> None:
    site.overrides[REPORT_ROBOTS] = disallowing(REPORT_ARTICLE)
    for number in range(2):
        cluster.worker(f"worker{number}")
    alone = tmp_path / "alone.db"
    before = site.requests.copy()
    crawl_in_one_process(site, alone)  # while the workers start: they fetch nothing yet
    fetched_alone = site.requests - before
    cluster.wait_for_workers(2)

    db = tmp_path / "newsmon.db"
    before = site.requests.copy()
    crawl = cluster.crawl(db)
    assert crawl.returncode == 0, crawl.stderr
    fetched = site.requests - before

    # No worker asked for the article; they fetched what one process fetches: both robots.txt,
    # the 2 feeds and 2 listings, and the 19 other article pages they link to.
    assert REPORT_ARTICLE not in fetched
    assert sorted(fetched) == sorted(fetched_alone)
    assert len(fetched) == 2 + 4 + 19
    # The store is the one process's: the article is only what the feed and the listing say
    # of it (title and time, no text), and nothing of its page (no headline it shows).
    assert_same_store(snapshot(db), snapshot(alone))
    with sqlite3.connect(db) as conn:
        article = conn.execute(
            """SELECT title, published_at, published_basis, body, fetched_at, parser
               FROM articles WHERE url = ?""",
            (REPORT_ARTICLE,),
        ).fetchall()
        seen_on = conn.execute(
            """SELECT page_url, context FROM appearances JOIN articles ON articles.id = article_id
               WHERE url = ? ORDER BY page_url""",
            (REPORT_ARTICLE,),
        ).fetchall()
        shown = conn.execute(
            "SELECT count(*) FROM appearances WHERE page_url = ?", (REPORT_ARTICLE,)
        ).fetchone()
        errors = conn.execute(
            "SELECT source_id, errors FROM crawl_sources ORDER BY source_id"
        ).fetchall()
    # Obeying robots.txt is not a failure of the site; a page the site answers 404 is.
    not_found = {
        host: len([url for url in fetched if host in url and not site.fixtures.find(url)])
        for host in ("ccbsnews.info", "report.az")
    }
    assert not_found == {"ccbsnews.info": 10, "report.az": 8}
    assert errors == [("ccbsnews", 10), ("report_az", 8)]
    assert article == [
        (
            "Azerbaijan, Türkiye discuss expanding defense industry cooperation",
            "2026-03-03T09:41:00+00:00",
            "exact",
            None,
            None,
            None,
        )
    ]
    assert seen_on == [
        ("https://report.az/en/news-feed", "listing"),
        ("https://report.az/en/rss", "feed"),
    ]
    assert shown == (0,)


@requires_redis
def test_a_long_running_worker_obeys_robots_txt_changed_since_it_read_it(
    cluster: Cluster, site: FixtureServer, tmp_path: Path
) -> None:
    ttl = 1.0
    db = tmp_path / "newsmon.db"
    worker = cluster.worker("worker", "-s", f"NEWSMON_ROBOTSTXT_TTL={ttl}")
    cluster.wait_for_workers(1)
    before = site.requests.copy()
    first = cluster.crawl(db)
    assert first.returncode == 0, first.stderr
    fetched_first = site.requests - before
    assert fetched_first[REPORT_ARTICLE] == 1

    site.overrides[REPORT_ROBOTS] = disallowing(REPORT_ARTICLE)
    time.sleep(ttl)  # the robots.txt the worker read in the first run is now out of date
    before = site.requests.copy()
    second = cluster.crawl(db, "-s", "NEWSMON_REFRESH=1")  # stored articles fetched again too
    assert second.returncode == 0, second.stderr
    fetched_second = site.requests - before

    # The same worker read both robots.txt again and fetched every page again, but the article.
    assert worker.poll() is None
    assert sorted(fetched_second) == sorted(set(fetched_first) - {REPORT_ARTICLE})


# Redis unreachable or going away -------------------------------------------------------------


def test_an_unreachable_redis_is_one_line_and_nothing_is_written(tmp_path: Path) -> None:
    url = f"redis://127.0.0.1:{free_port()}"
    db = tmp_path / "newsmon.db"
    for args in (
        ("crawl", "--redis", url, "--db", str(db)),
        ("run", "--redis", url, "--db", str(db)),
        ("worker", "--redis", url),
        ("writer", "--redis", url, "--db", str(db)),
    ):
        result = CliRunner().invoke(cli, args)
        assert (result.exit_code, result.stderr) == (
            1,
            f"Error: Redis at {url}: connection refused\n",
        )
    assert not db.exists()


@requires_redis
def test_a_crawl_without_any_worker_says_how_to_start_one(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    db = tmp_path / "newsmon.db"
    result = CliRunner().invoke(cli, ["crawl", "--redis", redis_server.url, "--db", str(db)])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: no live newsmon worker is waiting at {redis_server.url}: start one with "
        f"`newsmon worker --redis {redis_server.url}`\n",
    )
    assert not db.exists()


@requires_redis
def test_redis_going_away_fails_the_run_cleanly_and_the_next_run_carries_on(
    reference: list[Snapshot], site: FixtureServer, tmp_path: Path
) -> None:
    server = RedisServer(tmp_path / "redis").start()
    cluster = Cluster(server.url, site, tmp_path, prefix="away")
    db = tmp_path / "newsmon.db"
    try:
        add_watch(db)
        slow_pages(site, [row[0] for row in reference[0]["articles"]], seconds=2.0)
        worker = cluster.worker("worker")
        cluster.wait_for_workers(1)
        crawl = cluster.crawl_in_background("crawl", db)
        wait_for(
            lambda: (
                (RunProgress.load(cluster.client, cluster.keys, 1) or RunProgress(0, 0, 0)).stored
            )
        )
        server.kill()

        refused = f"Error: Redis at {server.url}: connection refused"
        assert crawl.wait(timeout=60) == 1
        assert cluster.output("crawl").strip() == refused
        assert worker.wait(timeout=60) == 1
        assert cluster.output("worker").strip().splitlines()[-1] == refused
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            status, summary = conn.execute("SELECT status, summary FROM crawls").fetchone()
        assert (status, json.loads(summary)) == ("failed", {"error": refused[len("Error: ") :]})

        server = RedisServer(tmp_path / "redis", port=server.port).start()  # its data is gone
        cluster.client = redis.Redis.from_url(server.url)
        cluster.worker("worker-again")
        cluster.wait_for_workers(1)
        pace_listings(site)
        again = cluster.crawl(db)
        assert again.returncode == 0, again.stderr
        found, expected = snapshot(db), reference[0]
        assert_same_store(found, expected, skip=("appearances", "crawl_sources"))
        times_seen = 6  # what the failed run stored was seen again
        assert without(found["appearances"], times_seen) == without(
            expected["appearances"], times_seen
        )
    finally:
        cluster.stop()
        pace_listings(site)
        server.stop()


# The parts, in this process ------------------------------------------------------------------


def test_items_go_through_the_stream_unchanged() -> None:
    article = ArticleItem(
        source="report_az",
        url="https://report.az/en/a",
        page_url="https://report.az/en/a",
        fetched_at="2026-03-03T10:45:00Z",
        title="Azerbaijan, Türkiye discuss defense",
        body=["First.", "Second."],
        alternates={"az": "https://report.az/a"},
        methods={"title": "json-ld"},
    )
    headline = HeadlineItem(
        source="report_az",
        title="Azerbaijan, Türkiye discuss defense",
        url=None,
        page_url="https://report.az/en/",
        context="latest",
        seen_at="2026-03-03T10:45:00Z",
        badges=["video"],
    )
    for item in (article, headline):
        entry = {b"crawl": b"7", b"item": stream.encode(item).encode()}
        assert (stream.crawl_of(entry), stream.decode(entry)) == (7, item)
    with pytest.raises(ValueError, match="unknown item kind 'page'"):
        stream.item_from_json({"kind": "page", "url": "x"})
    with pytest.raises(ValueError, match="headline: unknown fields colour"):
        stream.item_from_json({**stream.item_to_json(headline), "colour": "red"})


@requires_redis
def test_a_dead_workers_leases_go_back_to_the_queue_and_count_once(
    redis_server: RedisServer,
) -> None:
    keys = Keys("leases")
    client = redis.Redis.from_url(redis_server.url)
    describe_run(client, keys, RunInfo(crawl_id=1, store="s", mode="live"))

    def queue_of(worker_id: str) -> RunQueue:
        spider_class = SITE_SPIDERS["report_az"]
        settings = {"NEWSMON_WORKER_ID": worker_id, "NEWSMON_REDIS_PREFIX": keys.prefix}
        spider = spider_class.from_crawler(Crawler(spider_class, settings))
        return RunQueue(client, spider, keys.queue("live"))

    dead, alive = queue_of("dead"), queue_of("alive")
    for url in ("https://report.az/en/rss/", "https://report.az/en/news-feed/"):
        request = dead.spider.page_request(url, dead.spider.parse_feed, "feed", "report_az")
        request.meta[RUN_META] = 1
        assert dead.add(request, fingerprint=url)
        assert not dead.add(request, fingerprint=url)  # seen in this run
    taken = dead.pop()
    assert taken is not None and taken.callback == dead.spider.parse_feed
    client.sadd(keys.workers, "dead")  # registered, and its heartbeat never came (or expired)
    assert RunProgress.load(client, keys, 1) == RunProgress(open=2, items=0, stored=0)

    assert reclaim_dead(client, keys, alive="alive") == 1
    assert len(alive) == 2 and client.hlen(keys.inflight("dead")) == 0
    assert sorted(alive.pop().url for _ in range(2)) == [
        "https://report.az/en/news-feed/",
        "https://report.az/en/rss/",
    ]
    with client.pipeline(transaction=True) as pipe:
        alive.ack(pipe)
        dead.ack(pipe)  # the dead worker's lease was put back: not counted again
        pipe.execute()
    assert RunProgress.load(client, keys, 1) == RunProgress(open=0, items=0, stored=0)


@requires_redis
def test_requests_to_one_domain_are_spaced_across_workers(redis_server: RedisServer) -> None:
    client = redis.Redis.from_url(redis_server.url)
    keys = Keys("politeness")
    workers = [DomainDelayMiddleware(client, keys, 0.25, redis_server.url) for _ in range(2)]
    moments = []
    waits = []
    for number in range(6):
        waits.append(workers[number % 2].reserve("report.az"))
        moments.append(int(client.get(keys.domain("report.az"))))
    assert [b - a for a, b in itertools.pairwise(moments)] == [250] * 5
    assert waits[0] == 0 and all(0.2 <= b - a <= 0.3 for a, b in itertools.pairwise(waits))
    assert workers[0].reserve("ccbsnews.info") == 0  # another domain has its own spacing


@requires_redis
def test_writing_the_same_items_again_adds_no_appearance_and_no_event(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    keys = Keys("again")
    client = redis.Redis.from_url(redis_server.url)
    db = tmp_path / "newsmon.db"
    add_watch(db)
    store = Store.open(db)
    with store.transaction():
        crawl_id = store.start_crawl("live", ["report_az"])
        store.ensure_source(
            "report_az",
            name="Report.az",
            home_url="https://report.az/en/",
            lang="en",
            tz="Asia/Baku",
            kind="site",
        )
    writer = StreamWriter(client, keys, store, url=redis_server.url, batch_size=50)
    describe_run(client, keys, RunInfo(crawl_id=crawl_id, store=writer.store_id, mode="live"))
    items = [
        HeadlineItem(
            source="report_az",
            title="Azerbaijan, Türkiye discuss expanding defense industry cooperation",
            url="https://report.az/en/military/defense",
            page_url=page,
            context="listing",
            seen_at="2026-03-03T10:45:00Z",
        )
        for page in ("https://report.az/en/news-feed/", "https://report.az/en/military/")
    ]
    assert writer.take_lease()
    counts = []
    for _ in range(2):
        for item in items:
            stream.push(client, keys, crawl_id, item)
        while writer.step(block_ms=100):
            pass
        counts.append(
            store.one("SELECT (SELECT count(*) FROM appearances), (SELECT count(*) FROM events)")
        )
    writer.close()
    store.close()
    assert counts == [(2, 2), (2, 2)]
    assert RunProgress.load(client, keys, crawl_id) == RunProgress(open=0, items=4, stored=4)


def test_a_worker_runs_no_component_that_needs_the_store() -> None:
    settings = worker_settings("redis://127.0.0.1:1")
    downloader = settings.getdict("DOWNLOADER_MIDDLEWARES")
    spider = settings.getdict("SPIDER_MIDDLEWARES")
    assert downloader["newsmon.polling.middleware.PollingDownloaderMiddleware"] is None
    assert spider["newsmon.polling.middleware.PollingSpiderMiddleware"] is None
    assert spider["newsmon.middlewares.rereads.RereadsMiddleware"] is None
    assert downloader["newsmon.middlewares.conditional.ConditionalRequestMiddleware"] is None
    assert downloader["newsmon.distributed.middlewares.RunConditionalMiddleware"] == 540
