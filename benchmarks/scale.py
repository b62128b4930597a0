"""Scale-out figures: pages/s of 1 and 2 workers, and items/s of the store writer (by hand).

    python benchmarks/scale.py [--pages 2000] [--corpus DIR] [--workers 1 2] [--repeat 2]

Needs `redis-server` (Debian: `apt-get install redis-server`) and newsmon's Redis extra. Starts
its own Redis on 127.0.0.1 (a free port, no persistence) and a replay corpus made by
`benchmarks/corpus.py` (or `--corpus DIR`), then measures:

- crawl: for each worker count, that many `newsmon worker --replay CORPUS` processes and one
  `newsmon writer`, all started and waiting, then the timed command `newsmon crawl report_az
  ccbsnews --replay CORPUS --redis URL --json` into a fresh store with the example watches —
  pages/s from the crawl's own page count and wall time (its process start included). The
  same crawl in one process (`newsmon crawl --replay`) is the baseline.
- writer: the items a crawl of the corpus gives (the site spiders' callbacks on the corpus
  pages, normalized, in crawl order), put on the stream, drained by one `StreamWriter` in this
  process (batches of `NEWSMON_WRITER_BATCH`, one transaction each, XACK after COMMIT):
  * re-crawl mix: a store that already holds 9 in 10 of the items (from a previous run), then
    every item again as a new run — the shape of a run every few minutes;
  * new items only: every item into a fresh store.
  If the re-crawl mix is slower than the target, the writer is profiled (cProfile) and the
  functions that cost the most are written to the report.

Writes `benchmarks/results/scale-<YYYYMMDD>.json` and `.md`. The machine may be shared: the
fastest of `--repeat` runs is reported, with the load average.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import os
import pstats
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common import ROOT, machine_line, report_header, run_measured, write_results
from corpus import Options, write_corpus

sys.path.insert(0, str(ROOT))

import redis
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.settings import Settings

from newsmon.distributed import stream
from newsmon.distributed.connection import Keys
from newsmon.distributed.runs import RunInfo
from newsmon.distributed.writer import StreamWriter
from newsmon.fixtures.manifest import FixtureSet
from newsmon.items import ArticleItem, HeadlineItem
from newsmon.normalize.dates import parse_iso
from newsmon.pipelines.normalize import normalize
from newsmon.pipelines.store import register_sources
from newsmon.spiders.site import SITE_SPIDERS
from newsmon.store import Store
from newsmon.watch.watches import import_watches
from tests.redis_server import RedisServer

SPIDERS = ("report_az", "ccbsnews")
WATCHES = ROOT / "watches.example.toml"
TARGET_ITEMS_PER_S = 2000
KNOWN_SHARE = 0.9  # of the items of a re-crawl, already stored by the run before
PROFILE_TOP = 25


# Processes -----------------------------------------------------------------------------------


def child_env() -> dict[str, str]:
    """Our environment without newsmon's variables."""
    return {key: value for key, value in os.environ.items() if not key.startswith("NEWSMON_")}


def newsmon(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsmon", *args]


def fresh_store(folder: Path) -> Path:
    """A new store in `folder` with the example watches imported."""
    db = folder / "fresh.db"
    run_measured(
        newsmon("watch", "import", str(WATCHES), "--db", str(db)), cwd=folder, env=child_env()
    ).check("newsmon watch import")
    return db


@contextmanager
def background(commands: list[list[str]], folder: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Processes running for the duration of a `with` block (SIGTERM, then SIGKILL, at the end)."""
    processes = []
    try:
        for number, command in enumerate(commands):
            with (folder / f"bg{number}.err").open("wb") as errors:
                processes.append(
                    subprocess.Popen(
                        command,
                        cwd=folder,
                        env=child_env(),
                        stdout=subprocess.DEVNULL,
                        stderr=errors,
                    )
                )
        yield processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for_workers(client: redis.Redis, keys: Keys, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ids = [member.decode() for member in client.smembers(keys.workers)]
        if sum(client.exists(keys.worker(worker_id)) for worker_id in ids) >= count:
            return
        time.sleep(0.2)
    raise RuntimeError(f"{count} workers did not start within {timeout} s")


# Crawl ---------------------------------------------------------------------------------------


def crawl_figures(run: Any, summary: dict[str, Any], db: Path) -> dict[str, Any]:
    """Pages/s over the crawl as the store recorded it (start to finish: the command's own
    start-up left out), and over the command's wall time."""
    pages = sum(source["pages"] for source in summary["sources"])
    with sqlite3.connect(db) as conn:
        started, finished = conn.execute(
            "SELECT started_at, finished_at FROM crawls WHERE id = ?", (summary["crawl_id"],)
        ).fetchone()
    crawl_s = (parse_iso(finished) - parse_iso(started)).total_seconds()
    return {
        "pages": pages,
        "items": sum(source["headlines"] + source["articles"] for source in summary["sources"]),
        "crawl_s": round(crawl_s, 1),
        "pages_per_s": round(pages / max(crawl_s, 1), 1),
        "wall_s": round(run.wall_s, 2),
        "pages_per_wall_s": round(pages / run.wall_s, 1),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def crawl_single(corpus: Path, listing_pages: int) -> dict[str, Any]:
    """The baseline: the same crawl in one process."""
    with tempfile.TemporaryDirectory(prefix="newsmon-scale-") as name:
        folder = Path(name)
        db = fresh_store(folder)
        command = newsmon(
            "crawl", *SPIDERS, "--replay", str(corpus), "--db", str(db), "--json",
            "-s", f"NEWSMON_LISTING_PAGES={listing_pages}",
        )  # fmt: skip
        run = run_measured(command, cwd=folder, env=child_env()).check("newsmon crawl")
        figures = crawl_figures(run, json.loads(run.stdout), db)
        return {**figures, "cpu_ms_per_page": round(run.cpu_s * 1000 / figures["pages"], 2)}


def crawl_distributed(corpus: Path, listing_pages: int, workers: int, url: str) -> dict[str, Any]:
    """`workers` workers and one writer, waiting; then the timed `newsmon crawl --redis`."""
    prefix = f"scale{workers}-{time.monotonic_ns()}"
    keys = Keys(prefix)
    settings = [
        "-s",
        f"NEWSMON_REDIS_PREFIX={prefix}",
        "-s",
        f"NEWSMON_LISTING_PAGES={listing_pages}",
    ]
    with tempfile.TemporaryDirectory(prefix="newsmon-scale-") as name:
        folder = Path(name)
        db = fresh_store(folder)
        commands = [
            newsmon("worker", "--redis", url, "--replay", str(corpus), *settings)
            for _ in range(workers)
        ]
        commands.append(newsmon("writer", "--redis", url, "--db", str(db), *settings))
        with background(commands, folder) as processes:
            wait_for_workers(redis.Redis.from_url(url), keys, workers)
            before = [cpu_seconds(process.pid) for process in processes]
            command = newsmon(
                "crawl", *SPIDERS, "--replay", str(corpus), "--redis", url, "--db", str(db),
                "--json", *settings,
            )  # fmt: skip
            run = run_measured(command, cwd=folder, env=child_env()).check("newsmon crawl --redis")
            used = [cpu_seconds(p.pid) - start for p, start in zip(processes, before, strict=True)]
        figures = crawl_figures(run, json.loads(run.stdout), db)
        return {
            "workers": workers,
            **figures,
            "worker_cpu_ms_per_page": round(sum(used[:-1]) * 1000 / figures["pages"], 2),
            "writer_cpu_ms_per_item": round(used[-1] * 1000 / figures["items"], 3),
            "coordinator_cpu_s": round(run.cpu_s, 2),
        }


def cpu_seconds(pid: int) -> float:
    """The CPU time (user + system) a running process used so far (Linux `/proc`)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# Writer --------------------------------------------------------------------------------------


def corpus_items(corpus: Path) -> list[stream.Item]:
    """The normalized items a crawl of the corpus gives, in crawl order (each page once)."""
    fixtures = FixtureSet.load(corpus)
    settings = Settings()
    settings.setmodule("newsmon.settings")
    queue: list[Request] = []
    for name in SPIDERS:
        spider_class = SITE_SPIDERS[name]
        spider = spider_class.from_crawler(Crawler(spider_class, settings))
        queue += [request for request in _start(spider)]
    seen: set[str] = set()
    items: list[stream.Item] = []
    while queue:
        request = queue.pop(0)
        fixture = fixtures.find(request.url)
        if request.url in seen or fixture is None or request.callback is None:
            continue
        seen.add(request.url)
        request.meta["fetched_at"] = fixture.fetched_at
        headers = Headers(fixture.headers)
        body = fixtures.body(fixture)
        response = responsetypes.from_args(headers=headers, url=request.url, body=body)(
            url=request.url, status=fixture.status, headers=headers, body=body, request=request
        )
        for output in request.callback(response, **request.cb_kwargs) or ():
            if isinstance(output, Request):
                queue.append(output)
            else:
                items.append(normalize(output))
    return items


def _start(spider: Any) -> list[Request]:
    import asyncio

    async def collect() -> list[Request]:
        return [request async for request in spider.start()]

    return asyncio.run(collect())


def prepared_store(folder: Path, name: str) -> Store:
    store = Store.open(folder / name)
    with store.transaction():
        import_watches(store, WATCHES)
        for spider_name in SPIDERS:
            spider_class = SITE_SPIDERS[spider_name]
            register_sources(store, spider_class)
    return store


def drain(
    client: redis.Redis,
    keys: Keys,
    store: Store,
    items: list[stream.Item],
    url: str,
    batch: int,
    profiler: cProfile.Profile | None = None,
) -> float:
    """Put `items` on the stream as one new run, then time one writer storing them all."""
    with store.transaction():
        crawl_id = store.start_crawl("replay", list(SPIDERS))
    writer = StreamWriter(client, keys, store, url=url, batch_size=batch)
    RunInfo(crawl_id=crawl_id, store=writer.store_id, mode="replay").save(client, keys)
    with client.pipeline(transaction=False) as pipe:
        for item in items:
            pipe.xadd(keys.items, {"crawl": crawl_id, "item": stream.encode(item)})
        pipe.hincrby(keys.run(crawl_id), "items", len(items))
        pipe.execute()
    assert writer.take_lease()
    if profiler is not None:
        profiler.enable()
    started = time.perf_counter()
    while writer.step(block_ms=50):
        pass
    elapsed = time.perf_counter() - started
    if profiler is not None:
        profiler.disable()
    writer.close()
    return elapsed


def _identity(item: stream.Item) -> tuple[Any, ...]:
    """What makes an item already stored: its article page, or its appearance."""
    if isinstance(item, ArticleItem):
        return ("article", item.url)
    return ("appearance", item.url, item.title, item.page_url, item.context)


def recrawl(
    items: list[stream.Item], new_share: float
) -> tuple[list[stream.Item], list[stream.Item]]:
    """(What the previous run stored, what this run sends), as the writer sees a run every few
    minutes over many sources: every headline again (feeds, listings and pages keep showing
    them), and the article pages of a few new articles. New articles are added, in a random
    order, until `new_share` of the items sent were not stored before (articles, headlines
    about them, what their pages show)."""
    articles = sorted({item.url for item in items if isinstance(item, ArticleItem)})
    random.Random(1).shuffle(articles)
    step = max(1, len(articles) // 200)
    for count in range(step, len(articles) + 1, step):
        new = set(articles[:count])
        previous = [item for item in items if item.url not in new and item.page_url not in new]
        sent = [item for item in items if isinstance(item, HeadlineItem) or item.url in new]
        stored = {_identity(item) for item in previous}
        if sum(_identity(item) not in stored for item in sent) >= new_share * len(sent):
            return previous, sent
    raise ValueError("the corpus has too few articles for the re-crawl mix")


def writer_figures(items: list[stream.Item], url: str, batch: int, profile: bool) -> dict[str, Any]:
    """Items/s of one writer: every item new, and the re-crawl mix."""
    client = redis.Redis.from_url(url)
    previous, sent = recrawl(items, 1 - KNOWN_SHARE)
    results: dict[str, Any] = {"items": len(items), "batch": batch}
    with tempfile.TemporaryDirectory(prefix="newsmon-scale-") as name:
        folder = Path(name)
        store = prepared_store(folder, "new.db")
        elapsed = drain(client, Keys(f"new-{time.monotonic_ns()}"), store, items, url, batch)
        results["new_only"] = {
            "items": len(items),
            "wall_s": round(elapsed, 2),
            "items_per_s": round(len(items) / elapsed),
        }
        store.close()
        store = prepared_store(folder, "recrawl.db")
        keys = Keys(f"mix-{time.monotonic_ns()}")
        drain(client, keys, store, previous, url, batch)
        before = store.one("SELECT count(*) FROM appearances")[0]
        profiler = cProfile.Profile() if profile else None
        elapsed = drain(client, keys, store, sent, url, batch, profiler)
        stored = {_identity(item) for item in previous}
        new_items = sum(_identity(item) not in stored for item in sent)
        results["recrawl_mix"] = {
            "items": len(sent),
            "already_stored": len(sent) - new_items,
            "new": new_items,
            "new_articles": sum(isinstance(item, ArticleItem) for item in sent),
            "new_appearances": store.one("SELECT count(*) FROM appearances")[0] - before,
            "wall_s": round(elapsed, 2),
            "items_per_s": round(len(sent) / elapsed),
        }
        store.close()
        if profiler is not None:
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(PROFILE_TOP)
            results["profile"] = text.getvalue()
    return results


# Report --------------------------------------------------------------------------------------


def markdown(report: dict[str, Any]) -> str:
    lines = [
        "# Scale-out: workers through Redis, one store writer",
        "",
        machine_line(report),
        "",
        f"Corpus: {report['corpus']['articles']} article pages (+4 start pages, 2 robots.txt), "
        "`benchmarks/corpus.py`. Fastest of the repeats; load average at the end of each run.",
        "",
        "## Crawl (replay): pages per second",
        "",
        "| setup | pages | items | crawl s | pages/s | CPU ms/page (crawl) | CPU ms/item "
        "(store) | load avg |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    single = report["crawl"]["single_process"]
    lines.append(
        f"| one process (`newsmon crawl --replay`) | {single['pages']} | {single['items']} | "
        f"{single['crawl_s']} | {single['pages_per_s']} | {single['cpu_ms_per_page']} "
        f"(crawl and store) | | {single['load_average']} |"
    )
    for run in report["crawl"]["workers"]:
        lines.append(
            f"| {run['workers']} worker(s) + writer | {run['pages']} | {run['items']} | "
            f"{run['crawl_s']} | {run['pages_per_s']} | {run['worker_cpu_ms_per_page']} | "
            f"{run['writer_cpu_ms_per_item']} | {run['load_average']} |"
        )
    lines += [
        "",
        "Crawl s: from the crawl's start to its end as the store recorded them (the command's "
        "start-up left out). CPU: the workers' (all together) per page, the writer's per item, "
        f"from `/proc`; this machine has {report['machine']['cpu_count']} CPUs.",
    ]
    writer = report["writer"]
    mix, new = writer["recrawl_mix"], writer["new_only"]
    verdict = "meets" if mix["items_per_s"] >= TARGET_ITEMS_PER_S else "misses"
    lines += [
        "",
        "## Store writer: items per second",
        "",
        f"The corpus gives {writer['items']} items; one writer, batches of {writer['batch']}.",
        "",
        "| run | items | already stored | new | wall s | items/s |",
        "|---|---:|---:|---:|---:|---:|",
        f"| re-crawl (every headline again, {mix['new_articles']} new article pages) | "
        f"{mix['items']} | {mix['already_stored']} | {mix['new']} | {mix['wall_s']} | "
        f"{mix['items_per_s']} |",
        f"| first crawl (every item new) | {new['items']} | 0 | {new['items']} | "
        f"{new['wall_s']} | {new['items_per_s']} |",
        "",
        f"The re-crawl mix {verdict} the target of {TARGET_ITEMS_PER_S} items/s; new items "
        f"alone are stored at {new['items_per_s']} items/s.",
    ]
    if "profile" in writer:
        lines += [
            "",
            "Profile of the re-crawl mix (cumulative):",
            "",
            "```",
            writer["profile"].strip(),
            "```",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000, help="article pages of the corpus")
    parser.add_argument("--corpus", type=Path, help="an existing corpus (benchmarks/corpus.py)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500, help="NEWSMON_WRITER_BATCH")
    parser.add_argument("--profile", action="store_true", help="profile the writer anyway")
    parser.add_argument("--no-write", action="store_true", help="print, do not save results")
    args = parser.parse_args()
    logging.getLogger("newsmon").setLevel(logging.ERROR)  # the corpus's dates are judged
    with tempfile.TemporaryDirectory(prefix="newsmon-scale-") as name:
        corpus = args.corpus or Path(name) / "corpus"
        if args.corpus is None:
            write_corpus(Options(pages=args.pages), corpus)
        described = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))
        listing_pages = described["articles"] + 1  # every page of the listings
        server = RedisServer(Path(name) / "redis").start()
        try:
            report: dict[str, Any] = {**report_header("scrapy-redis", "redis"), "corpus": described}
            singles = [crawl_single(corpus, listing_pages) for _ in range(args.repeat)]
            runs = []
            for count in args.workers:
                tries = [
                    crawl_distributed(corpus, listing_pages, count, server.url)
                    for _ in range(args.repeat)
                ]
                runs.append(max(tries, key=lambda run: run["pages_per_s"]))
            report["crawl"] = {
                "single_process": max(singles, key=lambda run: run["pages_per_s"]),
                "workers": runs,
            }
            items = corpus_items(corpus)
            writers = [
                writer_figures(items, server.url, args.batch, False) for _ in range(args.repeat)
            ]
            best = max(writers, key=lambda run: run["recrawl_mix"]["items_per_s"])
            if args.profile or best["recrawl_mix"]["items_per_s"] < TARGET_ITEMS_PER_S:
                best["profile"] = writer_figures(items, server.url, args.batch, True)["profile"]
            report["writer"] = best
        finally:
            server.stop()
    text = markdown(report)
    if args.no_write:
        print(text)
        return
    stem = write_results("scale", report, text)
    print(text)
    print(f"written: {stem}.json, {stem}.md")


if __name__ == "__main__":
    main()
