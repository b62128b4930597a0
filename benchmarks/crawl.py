"""Replay crawl speed: `newsmon crawl --replay` against a bare Scrapy anchor (run by hand).

    python benchmarks/corpus.py --pages 10000 --out /work/bench-corpus/10k
    python benchmarks/crawl.py --corpus /work/bench-corpus/1k --corpus /work/bench-corpus/10k
    python benchmarks/crawl.py --profile /work/bench-corpus/10k

For each corpus (made by `benchmarks/corpus.py`), in the same run and alternating, `--repeat`
times each:

- newsmon: a fresh store with the example watch imported (`newsmon watch import
  watches.example.toml`), then the real command as a child process, `newsmon crawl report_az
  ccbsnews --replay DIR --db fresh.db --json` — every pipeline on (normalize, dedupe, story
  index, watches, store; the store writer in a process of its own, as by default);
- the anchor: `benchmarks/anchor.py` on the same files (plain Scrapy, parsel, sqlite-utils).

Each child is measured on its own (`wait4`): wall time, CPU time (with the processes it waited
for: newsmon's store writer), peak RSS (its processes' sum, sampled). Both are also run
once on an empty corpus (feeds and listings without entries) to measure what a run costs
before its first page (imports, reactor, store); "marginal ms/page" is the cost per page
above that. Figures of the fastest of the `--repeat` runs are reported (the machine may be
shared); every run is kept in the JSON. Writes `benchmarks/results/crawl-<YYYYMMDD>.json` and
`.md`.

`--profile DIR` instead runs newsmon once under cProfile (`python -m cProfile -o`), with the
store writer in the crawl's process (`-s NEWSMON_STORE_PROCESS=0`) so that one profile shows
all the work, and writes the top functions by cumulative and by own time to
`benchmarks/results/profile-<YYYYMMDD>.txt`.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pstats
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from statistics import median
from typing import Any

from common import (
    RESULTS,
    ROOT,
    Measured,
    machine_line,
    report_header,
    run_measured,
    write_results,
)
from corpus import Options, write_corpus

ANCHOR = ROOT / "benchmarks" / "anchor.py"
WATCHES = ROOT / "watches.example.toml"
SPIDERS = ("report_az", "ccbsnews")
# Targets (see benchmarks/README.md).
TARGET_RATIO_AT_10K = 0.70
TARGET_GROWTH_100K = 1.3
TARGET_RSS_100K_MIB = 300
PROFILE_TOP = 30


def child_env() -> dict[str, str]:
    """The environment of the crawls: ours without newsmon's variables (no stray config,
    store, replay or resolve settings)."""
    return {key: value for key, value in os.environ.items() if not key.startswith("NEWSMON_")}


def newsmon_command(corpus: Path, db: Path, articles: int) -> list[str]:
    """The crawl command; it follows each site's listing to its last page, where the corpus
    links every one of its articles (a replay of a month of saved pages)."""
    return [
        sys.executable,
        "-m",
        "newsmon",
        "crawl",
        *SPIDERS,
        "--replay",
        str(corpus),
        "--db",
        str(db),
        "--json",
        "-s",
        f"NEWSMON_LISTING_PAGES={articles + 1}",
    ]


def fresh_store(folder: Path) -> Path:
    """A new store in `folder` with the example watch imported."""
    db = folder / "fresh.db"
    run_measured(
        [sys.executable, "-m", "newsmon", "watch", "import", str(WATCHES), "--db", str(db)],
        cwd=folder,
        env=child_env(),
    ).check("newsmon watch import")
    return db


def store_counts(db: Path) -> dict[str, int]:
    """What a newsmon crawl left in its store."""
    queries = {
        "articles_fetched": "SELECT count(*) FROM articles WHERE fetched_at IS NOT NULL",
        "articles": "SELECT count(*) FROM articles",
        "headlines": "SELECT count(*) FROM headlines",
        "appearances": "SELECT count(*) FROM appearances",
        "stories": "SELECT count(*) FROM stories",
        "events": "SELECT count(*) FROM events",
    }
    with sqlite3.connect(db) as conn:
        return {name: conn.execute(sql).fetchone()[0] for name, sql in queries.items()}


def figures(run: Measured, pages: int) -> dict[str, Any]:
    return {
        "pages": pages,
        "wall_s": round(run.wall_s, 3),
        "cpu_s": round(run.cpu_s, 3),
        "pages_per_s": round(pages / run.wall_s, 1),
        "ms_per_page": round(run.wall_s * 1000 / pages, 3) if pages else None,
        "cpu_ms_per_page": round(run.cpu_s * 1000 / pages, 3) if pages else None,
        "peak_rss_mib": round(run.peak_rss_mib, 1),
        "rss_mib_at": {
            f"{share:.0%}": round(mib, 1)
            for share in (0.25, 0.5, 0.75, 1.0)
            if (mib := run.rss_at(share)) is not None
        },
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def run_newsmon(corpus: Path, expected_articles: int) -> dict[str, Any]:
    """One measured newsmon crawl of `corpus` into a fresh store."""
    with tempfile.TemporaryDirectory(prefix="newsmon-bench-") as folder:
        db = fresh_store(Path(folder))
        run = run_measured(
            newsmon_command(corpus, db, expected_articles), cwd=Path(folder), env=child_env()
        )
        run.check("newsmon crawl")
        summary = json.loads(run.stdout)
        pages = sum(source["pages"] for source in summary["sources"])
        counts = store_counts(db)
    result = figures(run, pages)
    result["store"] = counts
    result["summary"] = {
        name: sum(source[name] for source in summary["sources"])
        for name in ("pages", "missing", "errors", "articles", "headlines", "new_appearances")
    }
    totals = result["summary"]
    if totals["articles"] != expected_articles or totals["missing"] or totals["errors"]:
        raise RuntimeError(
            f"newsmon read {totals['articles']} article pages of {expected_articles} "
            f"({totals['missing']} missing, {totals['errors']} errors): {corpus}"
        )
    return result


def run_anchor(corpus: Path, expected_articles: int, *, per_link: bool = False) -> dict[str, Any]:
    """One measured anchor crawl of `corpus` into a fresh database (with `per_link`, every
    link is an item of its own)."""
    with tempfile.TemporaryDirectory(prefix="anchor-bench-") as folder:
        db = Path(folder) / "anchor.db"
        command = [sys.executable, str(ANCHOR), "--corpus", str(corpus), "--db", str(db)]
        if per_link:
            command.append("--item-per-link")
        run = run_measured(command, cwd=Path(folder), env=child_env()).check("anchor crawl")
    output = json.loads(run.stdout)
    result = figures(run, output["pages"])
    result["items"] = output["items"]
    result["rows"] = {"articles": output["articles"], "links": output["links"]}
    if output["articles"] != expected_articles:
        raise RuntimeError(f"anchor stored {output['articles']} of {expected_articles} articles")
    return result


def stage_costs(corpus: Path) -> dict[str, Any]:
    """newsmon's own work per page, in this process and without Scrapy's engine: the spider's
    callbacks on responses built from the corpus's files, the normalize pipeline's function
    and the StoreWriter (example watch imported), timed in CPU ms per page. What a real crawl
    costs beyond their sum is Scrapy's engine, middlewares and item handling."""
    from scrapy.http import Headers, Request
    from scrapy.responsetypes import responsetypes
    from scrapy.utils.test import get_crawler

    from newsmon.extract.readable import page_selector
    from newsmon.fixtures.manifest import FixtureSet
    from newsmon.items import ArticleItem, HeadlineItem
    from newsmon.pipelines.normalize import normalize
    from newsmon.sites import all_sites
    from newsmon.sites.parsing import page_kind
    from newsmon.spiders.site import SITE_SPIDERS
    from newsmon.store import Store
    from newsmon.store.writer import StoreWriter
    from newsmon.watch.watches import import_watches

    clock = time.process_time
    spent = dict.fromkeys(("load", "read", "html", "parse", "normalize", "store"), 0.0)
    started = clock()
    fixtures = FixtureSet.load(corpus)
    spent["load"] = clock() - started
    sites = all_sites()
    crawl_settings = {"NEWSMON_LISTING_PAGES": len(fixtures.fixtures)}
    spiders = {
        name: SITE_SPIDERS[name].from_crawler(get_crawler(SITE_SPIDERS[name], crawl_settings))
        for name in SPIDERS
    }
    counts = {"pages": 0, "items": 0}
    with tempfile.TemporaryDirectory(prefix="stages-") as folder:
        store = Store.open(Path(folder) / "stages.db")
        import_watches(store, WATCHES)
        for name in SPIDERS:
            site = sites[name]
            store.ensure_source(
                name,
                name=site.name,
                home_url=site.home_url,
                lang=site.lang,
                tz=site.tz,
                kind="site",
            )
        writer = StoreWriter(store, store.start_crawl("replay", list(SPIDERS)))
        for fixture in fixtures.fixtures:
            kind = page_kind(sites[fixture.source], fixture.url)
            if kind is None:  # robots.txt
                continue
            started = clock()
            body = fixtures.body(fixture)
            request = Request(
                fixture.url,
                meta={
                    "source": fixture.source,
                    "page_kind": kind,
                    "fetched_at": fixture.fetched_at,
                },
            )
            headers = Headers(fixture.headers)
            response_class = responsetypes.from_args(headers=headers, url=fixture.url, body=body)
            response = response_class(
                url=fixture.url, headers=headers, body=body, request=request, status=200
            )
            read = clock()
            # The callback decodes and parses the page itself: the same parse, timed apart
            # here, is taken off the callback's time below.
            if kind != "feed":
                page_selector(response, sites[fixture.source].lang)
            parsed = clock()
            spider = spiders[fixture.source]
            callback = getattr(spider, f"parse_{kind}")
            items = [
                output
                for output in callback(response)
                if isinstance(output, ArticleItem | HeadlineItem)
            ]
            called = clock()
            normalized = [normalize(item) for item in items]
            normalized_at = clock()
            for item in normalized:
                writer.write(item)
            stored = clock()
            spent["read"] += read - started
            spent["html"] += parsed - read
            spent["parse"] += (called - parsed) - (parsed - read)
            spent["normalize"] += normalized_at - called
            spent["store"] += stored - normalized_at
            counts["pages"] += 1
            counts["items"] += len(items)
        started = clock()
        writer.close()
        spent["store"] += clock() - started
        store.close()
    pages = counts["pages"]
    load = spent.pop("load")
    return {
        **counts,
        "fixture_load_s": round(load, 3),
        "cpu_ms_per_page": {name: round(value * 1000 / pages, 3) for name, value in spent.items()},
    }


def best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run (wall time), with the median wall time and the least CPU time of all
    of them (on a shared machine the least CPU time is the steadiest figure of cost)."""
    chosen = dict(min(runs, key=lambda run: run["wall_s"]))
    chosen["median_wall_s"] = round(median(run["wall_s"] for run in runs), 3)
    chosen["least_cpu_s"] = min(run["cpu_s"] for run in runs)
    return chosen


def marginal(run: dict[str, Any], empty: dict[str, Any], key: str) -> float | None:
    """ms per page of `key` (wall_s, least_cpu_s) above what the empty corpus's run took."""
    pages = run["pages"] - empty["pages"]
    return round((run[key] - empty[key]) * 1000 / pages, 3) if pages > 0 else None


def measure(corpora: list[Path], repeat: int, detail_max: int, large_repeat: int) -> dict[str, Any]:
    """Every corpus crawled by newsmon and the anchor, `repeat` times each (`large_repeat`
    times above `detail_max` articles), alternating, after the empty corpus; for corpora of
    up to `detail_max` articles also the anchor with an item per link and newsmon's stage
    costs."""
    report = report_header("feedparser", "datasketch", "numpy")
    report["repeat"] = repeat
    report["large_repeat"] = large_repeat
    report["detail_max"] = detail_max
    report["command"] = (
        f"newsmon crawl {' '.join(SPIDERS)} --replay DIR --db fresh.db --json "
        "-s NEWSMON_LISTING_PAGES=<articles + 1>"
    )
    with tempfile.TemporaryDirectory(prefix="empty-corpus-") as folder:
        empty_dir = Path(folder) / "empty"
        write_corpus(Options(pages=0), empty_dir)
        empty = {
            "newsmon": best([run_newsmon(empty_dir, 0) for _ in range(repeat)]),
            "anchor": best([run_anchor(empty_dir, 0) for _ in range(repeat)]),
        }
    empty["anchor_per_link"] = empty["anchor"]
    report["empty"] = empty
    report["corpora"] = []
    for corpus in corpora:
        described = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))
        articles = described["articles"]
        crawls: dict[str, Callable[[], dict[str, Any]]] = {
            "anchor": partial(run_anchor, corpus, articles),
            "newsmon": partial(run_newsmon, corpus, articles),
        }
        if articles <= detail_max:
            crawls["anchor_per_link"] = partial(run_anchor, corpus, articles, per_link=True)
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in crawls}
        for attempt in range(repeat if articles <= detail_max else large_repeat):
            names = list(crawls) if attempt % 2 == 0 else list(reversed(crawls))
            for name in names:
                runs[name].append(crawls[name]())
                print(f"{corpus.name} {name}: {runs[name][-1]['wall_s']} s", file=sys.stderr)
        row: dict[str, Any] = {
            "corpus": str(corpus),
            "articles": articles,
            "corpus_counts": described["counts"],
            "mean_article_kib": described["mean_article_kib"],
        }
        for name, tool_runs in runs.items():
            chosen = best(tool_runs)
            chosen["marginal_ms_per_page"] = marginal(chosen, empty[name], "wall_s")
            chosen["marginal_cpu_ms_per_page"] = marginal(chosen, empty[name], "least_cpu_s")
            row[name] = chosen
            row[f"{name}_runs"] = tool_runs
        anchor, newsmon = row["anchor"], row["newsmon"]
        row["ratio"] = round(newsmon["pages_per_s"] / anchor["pages_per_s"], 3)
        row["cpu_ratio"] = round(
            anchor["marginal_cpu_ms_per_page"] / newsmon["marginal_cpu_ms_per_page"], 3
        )
        if "anchor_per_link" in row:
            extra_items = row["anchor_per_link"]["items"] - anchor["items"]
            extra_cpu = row["anchor_per_link"]["least_cpu_s"] - anchor["least_cpu_s"]
            row["scrapy_us_per_item"] = round(extra_cpu * 1e6 / extra_items, 1)
            stages = [stage_costs(corpus) for _ in range(repeat)]
            row["stages"] = {
                **stages[0],
                "cpu_ms_per_page": {
                    name: min(stage["cpu_ms_per_page"][name] for stage in stages)
                    for name in stages[0]["cpu_ms_per_page"]
                },
            }
            spent = sum(row["stages"]["cpu_ms_per_page"].values())
            row["stages"]["rest_cpu_ms_per_page"] = round(
                newsmon["marginal_cpu_ms_per_page"] - spent, 3
            )
        report["corpora"].append(row)
    report["targets"] = targets(report["corpora"])
    return report


def targets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The targets that the measured sizes allow checking."""
    by_size = {row["articles"]: row for row in rows}
    checks = []
    if 10_000 in by_size:
        ratio = by_size[10_000]["ratio"]
        checks.append(
            {
                "target": f"newsmon >= {TARGET_RATIO_AT_10K:.0%} of the anchor's pages/s at 10k",
                "value": ratio,
                "met": ratio >= TARGET_RATIO_AT_10K,
            }
        )
    if 1_000 in by_size and 100_000 in by_size:
        small = by_size[1_000]["newsmon"]["marginal_ms_per_page"]
        large = by_size[100_000]["newsmon"]["marginal_ms_per_page"]
        growth = round(large / small, 3)
        checks.append(
            {
                "target": f"marginal ms/page at 100k <= {TARGET_GROWTH_100K}x the one at 1k",
                "value": growth,
                "met": growth <= TARGET_GROWTH_100K,
            }
        )
    if 100_000 in by_size:
        rss = by_size[100_000]["newsmon"]["peak_rss_mib"]
        checks.append(
            {
                "target": f"newsmon peak RSS at 100k < {TARGET_RSS_100K_MIB} MiB",
                "value": rss,
                "met": rss < TARGET_RSS_100K_MIB,
            }
        )
    return checks


def to_markdown(report: dict[str, Any]) -> str:
    """The results as a short Markdown report."""
    empty = report["empty"]
    lines = [
        f"# Replay crawl benchmark, {report['date']}",
        "",
        machine_line(report),
        "",
        f"newsmon: `{report['command']}` (example watch imported, every pipeline on). "
        "Anchor: `benchmarks/anchor.py` (plain Scrapy + parsel + sqlite-utils, same files). "
        f"Fastest of {report['repeat']} alternating runs ({report['large_repeat']} above "
        f"{report['detail_max']:,} articles); wall time of the whole child process "
        "(start-up included); CPU time and peak RSS of newsmon are its crawl and store writer "
        "processes' together; marginal = above a run of the empty corpus.",
        "",
        "| articles | pages | anchor pages/s | anchor ms/page | newsmon pages/s "
        "| newsmon ms/page | newsmon/anchor pages/s | anchor marginal ms/page "
        "| newsmon marginal ms/page | anchor peak RSS MiB | newsmon peak RSS MiB |",
        "| " + " | ".join(["---:"] * 11) + " |",
    ]
    for row in report["corpora"]:
        anchor, newsmon = row["anchor"], row["newsmon"]
        lines.append(
            f"| {row['articles']:,} | {newsmon['pages']:,} | {anchor['pages_per_s']} "
            f"| {anchor['ms_per_page']} | {newsmon['pages_per_s']} | {newsmon['ms_per_page']} "
            f"| {row['ratio']:.2f} | {anchor['marginal_ms_per_page']} "
            f"| {newsmon['marginal_ms_per_page']} | {anchor['peak_rss_mib']} "
            f"| {newsmon['peak_rss_mib']} |"
        )
    lines += [
        "",
        "CPU time (least of the runs; steadier than wall time on a shared machine), marginal "
        "ms per page:",
        "",
        "| articles | anchor CPU ms/page | newsmon CPU ms/page | anchor/newsmon | load average |",
        "| ---: | ---: | ---: | ---: | --- |",
    ]
    for row in report["corpora"]:
        anchor, newsmon = row["anchor"], row["newsmon"]
        load = ", ".join(f"{value:.1f}" for value in newsmon["load_average"])
        lines.append(
            f"| {row['articles']:,} | {anchor['marginal_cpu_ms_per_page']} "
            f"| {newsmon['marginal_cpu_ms_per_page']} | {row['cpu_ratio']:.2f} | {load} |"
        )
    detailed = [row for row in report["corpora"] if "stages" in row]
    if detailed:
        lines += [
            "",
            "Where newsmon's CPU time goes, ms per page (stages measured in-process without "
            "Scrapy's engine; `rest` = the crawl's marginal CPU ms/page minus the stages: "
            "Scrapy's engine, middlewares and item handling, and passing items to the store "
            "writer's process):",
            "",
            "| articles | read + response | HTML parse | callbacks (parse) | normalize | store "
            "| rest (Scrapy) | Scrapy µs per item (anchor) | items per page |",
            "| " + " | ".join(["---:"] * 9) + " |",
        ]
        for row in detailed:
            stages = row["stages"]
            cost = stages["cpu_ms_per_page"]
            lines.append(
                f"| {row['articles']:,} | {cost['read']} | {cost['html']} | {cost['parse']} "
                f"| {cost['normalize']} | {cost['store']} | {stages['rest_cpu_ms_per_page']} "
                f"| {row['scrapy_us_per_item']} | {stages['items'] / stages['pages']:.1f} |"
            )
        lines += [
            "",
            "Scrapy µs per item: the anchor's extra CPU time when it yields every link as an item "
            "of its own (`anchor.py --item-per-link`), per extra item.",
        ]
    lines += [
        "",
        f"Empty corpus (start pages without entries): newsmon {empty['newsmon']['wall_s']} s, "
        f"{empty['newsmon']['peak_rss_mib']} MiB; anchor {empty['anchor']['wall_s']} s, "
        f"{empty['anchor']['peak_rss_mib']} MiB.",
        "",
    ]
    for row in report["corpora"]:
        store = row["newsmon"]["store"]
        lines.append(
            f"- {row['articles']:,} articles: newsmon stored {store['articles']:,} articles, "
            f"{store['headlines']:,} headlines, {store['appearances']:,} appearances, "
            f"{store['stories']:,} stories, {store['events']:,} events; the anchor "
            f"{row['anchor']['rows']['articles']:,} articles and "
            f"{row['anchor']['rows']['links']:,} links. newsmon's RSS at 25/50/75/100 % of "
            f"the run: {' / '.join(str(mib) for mib in row['newsmon']['rss_mib_at'].values())}"
            " MiB."
        )
    if report["targets"]:
        lines += ["", "Targets:", ""]
        for check in report["targets"]:
            verdict = "met" if check["met"] else "**missed**"
            lines.append(f"- {check['target']}: {check['value']} — {verdict}")
    return "\n".join(lines) + "\n"


def profile(corpus: Path, out: Path) -> Path:
    """One newsmon crawl of `corpus` under cProfile; the summary goes to profile-<date>.txt."""
    header = report_header("feedparser", "datasketch", "numpy")
    with tempfile.TemporaryDirectory(prefix="newsmon-profile-") as folder:
        db = fresh_store(Path(folder))
        stats_file = Path(folder) / "crawl.prof"
        articles = json.loads((corpus / "corpus.json").read_text(encoding="utf-8"))["articles"]
        command = [*newsmon_command(corpus, db, articles), "-s", "NEWSMON_STORE_PROCESS=0"]
        profiled = [sys.executable, "-m", "cProfile", "-o", str(stats_file), *command[1:]]
        run = run_measured(profiled, cwd=Path(folder), env=child_env()).check("profiled crawl")
        text = io.StringIO()
        stats = pstats.Stats(str(stats_file), stream=text)
        total = stats.total_tt  # type: ignore[attr-defined]
        sections = [
            f"# Profile of one newsmon replay crawl, {header['date']}",
            machine_line(header),
            f"Corpus: {corpus} ({articles:,} articles)",
            "Command: python -m cProfile -o crawl.prof -m newsmon "
            + " ".join(command[3:]).replace(str(db), "fresh.db"),
            f"Wall time under the profiler: {run.wall_s:.1f} s (profiled CPU {total:.1f} s); "
            f"peak RSS {run.peak_rss_mib:.0f} MiB. Paths: `newsmon/` is the project, others are "
            "site-packages or the standard library (`~`).",
        ]
        listings = (
            ("all functions by cumulative time", "cumulative", ()),
            ("all functions by own time", "tottime", ()),
            ("newsmon's functions by cumulative time", "cumulative", ("/newsmon/",)),
            ("newsmon's functions by own time", "tottime", ("/newsmon/",)),
        )
        for title, key, restrictions in listings:
            text.seek(0)
            text.truncate()
            stats.sort_stats(key).print_stats(*restrictions, PROFILE_TOP)
            sections.append(f"\n## Top {PROFILE_TOP}: {title}\n\n{_table(text)}")
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"profile-{header['date'][:10].replace('-', '')}.txt"
    path.write_text("\n".join(sections) + "\n", encoding="utf-8")
    return path


def _table(text: io.StringIO) -> str:
    """The rows of a pstats listing, from its column header on, with short paths."""
    lines = text.getvalue().splitlines()
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
    prefixes = (
        (str(ROOT) + "/", ""),
        (str(Path(pstats.__file__).parent) + "/", "~/"),
        (str(Path(sqlite3.__file__).parent.parent / "site-packages") + "/", ""),
        (str(Path(sys.prefix) / "lib") + "/", ""),
    )
    table = []
    for line in lines[start:]:
        for prefix, short in prefixes:
            line = line.replace(prefix, short)
        if line.strip():
            table.append(re.sub(r"python3\.\d+/site-packages/", "", line.rstrip()))
    return "\n".join(table)


def main() -> None:
    """Measure every corpus (or profile one) and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, action="append", default=[])
    parser.add_argument("--repeat", type=int, default=2, help="runs per tool and corpus")
    parser.add_argument(
        "--detail-max",
        type=int,
        default=10_000,
        help="largest corpus (articles) that also gets stage costs and the per-link anchor",
    )
    parser.add_argument(
        "--large-repeat", type=int, default=1, help="runs per tool above --detail-max"
    )
    parser.add_argument("--profile", type=Path, metavar="CORPUS", help="profile one crawl")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    for corpus in [*args.corpus, *([args.profile] if args.profile else [])]:
        described = corpus / "corpus.json"
        if not described.is_file():
            parser.error(f"{corpus}: not a corpus of benchmarks/corpus.py (no corpus.json)")
        if not json.loads(described.read_text(encoding="utf-8")).get("complete"):
            parser.error(f"{corpus}: an incomplete corpus (its generation was interrupted)")
    if args.profile:
        print(f"written: {profile(args.profile.resolve(), args.out)}")
        return
    if not args.corpus:
        parser.error("give at least one --corpus (or --profile CORPUS)")
    corpora = sorted(
        (corpus.resolve() for corpus in args.corpus),
        key=lambda corpus: json.loads((corpus / "corpus.json").read_text())["articles"],
    )
    report = measure(corpora, args.repeat, args.detail_max, args.large_repeat)
    markdown = to_markdown(report)
    print(markdown)
    if not args.no_write:
        stem = write_results("crawl", report, markdown, args.out)
        print(f"written: {stem}.json, {stem}.md")


if __name__ == "__main__":
    main()
