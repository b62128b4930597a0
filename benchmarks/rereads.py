"""How long choosing the due re-reads takes on a large store (run by hand).

    python benchmarks/rereads.py [--articles 100000] [--sources 200] [--days 60] [--runs 30]

`newsmon run` asks `newsmon.crawl.rereads.due_rereads` once per spider at every run, from cron
every minute or five: it must stay cheap as the store grows. The store holds `--articles`
articles of `--sources` sources published evenly over the last `--days` days, each last read a
random share (0 to 0.3) of its age ago, so about a third of those younger than 7 days are due.
The median of `--runs` calls (default settings: factor 0.2, 7 days, 10 per source, 10 minutes)
for every source at once (the generic spider crawling 200 sources) and for one source (a site
spider), against a target of 0.1 s: a small share of a run, whose start-up alone takes a
second or more. The machine's load average is reported beside the figures.
Writes `benchmarks/results/rereads-<YYYYMMDD>.json` and `.md`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from common import RESULTS, machine_line, report_header, write_results

from newsmon.crawl.rereads import due_rereads
from newsmon.normalize.dates import utc_iso
from newsmon.store import Store

TARGET_S = 0.1
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
MAX_AGE = timedelta(days=7)


def build(path: Path, articles: int, sources: int, days: float) -> None:
    """A store of `articles` articles, as described in the module's help."""
    rng = random.Random(1)
    store = Store.open(path)
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO sources (id, name, added_at) VALUES (?, ?, ?)",
            [(f"s{n}", f"Source {n}", utc_iso(NOW - timedelta(days=days))) for n in range(sources)],
        )
        store.conn.execute(
            "INSERT INTO stories (id, title, first_seen, last_seen) VALUES (1, 's', ?, ?)",
            (utc_iso(NOW), utc_iso(NOW)),
        )
        rows = []
        for number in range(articles):
            age = timedelta(days=days) * rng.random()
            published = utc_iso(NOW - age)
            read = utc_iso(NOW - age * rng.random() * 0.3)
            source = f"s{number % sources}"
            rows.append((source, f"https://{source}.example/{number}", published, read, published))
        store.conn.executemany(
            """INSERT INTO articles (source_id, url, story_id, title, match_key, published_at,
                 fetched_at, first_seen, last_seen) VALUES (?, ?, 1, 't', 't', ?, ?, ?, ?3)""",
            rows,
        )
    store.conn.execute("ANALYZE")
    store.close()


def median_call(store: Store, runs: int, sources: list[str]) -> tuple[float, int]:
    """The median seconds of `runs` calls for `sources`, and how many re-reads they give."""
    walls, found = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        due = due_rereads(
            store,
            NOW,
            factor=0.2,
            max_age=MAX_AGE,
            budget_per_source=10,
            min_interval=timedelta(minutes=10),
            sources=sources,
        )
        found = len(due)
        walls.append(time.perf_counter() - started)
    return statistics.median(walls), found


def measure(articles: int, sources: int, days: float, runs: int) -> dict[str, Any]:
    report = report_header()
    report.update(articles=articles, sources=sources, days=days, runs=runs, target_s=TARGET_S)
    report["load_average"] = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rereads.db"
        build(path, articles, sources, days)
        store = Store.open(path)
        young = store.one(
            "SELECT count(*) FROM articles WHERE coalesce(published_at, first_seen) > ?",
            (utc_iso(NOW - MAX_AGE),),
        )
        report["younger_than_max_age"] = young[0] if young else 0
        everyone = [f"s{n}" for n in range(sources)]
        for name, chosen in (("all sources", everyone), ("one source", everyone[:1])):
            median, found = median_call(store, runs, chosen)
            report[name] = {
                "median_s": round(median, 4),
                "rereads": found,
                "target_met": median <= TARGET_S,
            }
        store.close()
    return report


def to_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Choosing the due re-reads ({report['date'][:10]})",
        "",
        machine_line(report),
        "",
        f"{report['articles']} articles of {report['sources']} sources over {report['days']} "
        f"days ({report['younger_than_max_age']} younger than 7 days); median of "
        f"{report['runs']} calls of `due_rereads`; target ≤ {report['target_s']} s. Load average "
        f"(1, 5, 15 min) when measured: {', '.join(f'{x:.1f}' for x in report['load_average'])}.",
        "",
        "| Sources asked for | Median (s) | Re-reads due (≤ 10 a source) | Target met |",
        "| --- | --- | --- | --- |",
    ]
    for name in ("all sources", "one source"):
        figures = report[name]
        met = "yes" if figures["target_met"] else "**no**"
        lines.append(f"| {name} | {figures['median_s']} | {figures['rereads']} | {met} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Build the store, measure, write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--days", type=float, default=60)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    report = measure(args.articles, args.sources, args.days, args.runs)
    markdown = to_markdown(report)
    print(markdown)
    if not args.no_write:
        stem = write_results("rereads", report, markdown, args.out)
        print(f"written: {stem}.json, {stem}.md")


if __name__ == "__main__":
    main()
