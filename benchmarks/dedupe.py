"""Store-path cost as the store grows: 10k, 100k and 1M headlines (run by hand).

    python benchmarks/dedupe.py [--sizes 10000,100000,1000000] [--seed 1]

Each size runs in a child process of its own (so that its peak memory is its own) into a fresh
store with the example watch imported: synthetic headlines, generated in publication order,
go through the normalize pipeline's `normalize` and the `StoreWriter` (dedupe, story index,
watches, appearances; batches of 500), as `newsmon ingest` and a crawl store them.

The headlines: twelve sources in English, Azerbaijani and Russian (the vocabulary of
`benchmarks/corpus.py`: real-length titles about invented events), 5,000 a day whatever the
size (a bigger store is a longer history, not a denser one); among them near-duplicates (an
earlier headline of the last days, by another source, with a small edit: the story index has
to find them), re-sightings (an earlier headline seen again on a later fetch of its page: an
appearance is updated, nothing new is stored) and translations of an earlier story.

Per size: µs per item over the last 10,000 items (the store holding size - 10,000 before
them; the final flush included), over all items, peak RSS of the child, the store's size and
row counts. Writes `benchmarks/results/dedupe-<YYYYMMDD>.json` and `.md`.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from common import (
    RESULTS,
    ROOT,
    machine_line,
    report_header,
    run_measured,
    write_results,
)
from corpus import TITLE_EDITS, Writer

WATCHES = ROOT / "watches.example.toml"
SIZES = (10_000, 100_000, 1_000_000)
MEASURED_TAIL = 10_000
PER_DAY = 5_000
START = datetime(2025, 1, 1, 6, 0, tzinfo=UTC)
SOURCES = [
    ("report_en", "en"),
    ("apa_en", "en"),
    ("trend_en", "en"),
    ("azertac_en", "en"),
    ("caspian_en", "en"),
    ("report_az", "az"),
    ("apa_az", "az"),
    ("oxu_az", "az"),
    ("report_ru", "ru"),
    ("trend_ru", "ru"),
    ("vesti_ru", "ru"),
    ("sputnik_ru", "ru"),
]
SHARE_NEAR_DUPLICATE = 0.08
SHARE_SEEN_AGAIN = 0.10
SHARE_TRANSLATED = 0.05
RECENT = 2_000  # earlier headlines a copy, re-sighting or translation is taken from
# Targets (see benchmarks/README.md).
TARGET_GROWTH_1M = 2.0
TARGET_RSS_MIB = 1024


def headlines(count: int, seed: int) -> Iterator[dict[str, Any]]:
    """`count` headline items as JSON-ready dicts, in publication order."""
    rng = random.Random(seed)
    writer = Writer(rng)
    recent: list[dict[str, Any]] = []
    step = timedelta(days=1) / PER_DAY
    for number in range(count):
        seen = START + step * number
        roll = rng.random()
        if recent and roll < SHARE_SEEN_AGAIN:
            yield {**rng.choice(recent), "seen_at": seen.isoformat()}
            continue
        if recent and roll < SHARE_SEEN_AGAIN + SHARE_NEAR_DUPLICATE:
            earlier = rng.choice(recent)
            source, lang = rng.choice([s for s in SOURCES if s[1] == earlier["lang"]])
            title = rng.choice(TITLE_EDITS)(earlier["title"])
            yield _item(number, source, lang, title, earlier["published_at"], seen)
            continue
        if recent and roll < SHARE_SEEN_AGAIN + SHARE_NEAR_DUPLICATE + SHARE_TRANSLATED:
            earlier = rng.choice(recent)
            source, lang = rng.choice([s for s in SOURCES if s[1] != earlier["lang"]])
            slots = earlier["slots"]
            title = writer.title(slots, lang, english_only=False)
            published_at = earlier["published_at"]
        else:
            source, lang = rng.choice(SOURCES)
            slots = writer.slots()
            title = writer.title(slots, lang, english_only=lang == "en" and rng.random() < 0.5)
            published_at = (seen - timedelta(minutes=rng.randint(1, 90))).isoformat()
        item = _item(number, source, lang, title, published_at, seen)
        recent.append({**item, "slots": slots})
        if len(recent) > RECENT:
            recent.pop(0)
        yield item


def _item(
    number: int, source: str, lang: str, title: str, published_at: str, seen: datetime
) -> dict[str, Any]:
    slug = "-".join(title.lower().split()[:6])
    return {
        "source": source,
        "lang": lang,
        "title": title,
        "url": f"https://{source.replace('_', '-')}.example/{lang}/news/{number}-{slug}",
        "page_url": f"https://{source.replace('_', '-')}.example/{lang}/rss",
        "published_at": published_at,
        "seen_at": seen.isoformat(),
    }


def run_size(size: int, seed: int, folder: Path) -> dict[str, Any]:
    """Store `size` headlines into a fresh store in `folder`; the figures as a dict."""
    from newsmon.items import HeadlineItem
    from newsmon.pipelines.normalize import normalize
    from newsmon.store import Store
    from newsmon.store.writer import StoreWriter
    from newsmon.watch.watches import import_watches

    db = folder / "dedupe.db"
    store = Store.open(db)
    import_watches(store, WATCHES)
    with store.transaction():
        for source, lang in SOURCES:
            store.ensure_source(
                source, name=source, home_url=None, lang=lang, tz="Asia/Baku", kind="ingest"
            )
    crawl_id = store.start_crawl("ingest", ["benchmark"])
    writer = StoreWriter(store, crawl_id)
    tail_from = max(0, size - MEASURED_TAIL)
    spent = tail = 0.0
    cpu_from = time.process_time()
    clock = time.perf_counter
    for number, data in enumerate(headlines(size, seed)):
        item = HeadlineItem(
            source=data["source"],
            title=data["title"],
            url=data["url"],
            page_url=data["page_url"],
            context="feed",
            seen_at=data["seen_at"],
            published_at=data["published_at"],
            lang=data["lang"],
        )
        if number == tail_from:
            cpu_from = time.process_time()
        started = clock()
        writer.write(normalize(item))
        took = clock() - started
        spent += took
        if number >= tail_from:
            tail += took
    started = clock()
    writer.close()
    took = clock() - started
    spent, tail = spent + took, tail + took
    cpu_tail = time.process_time() - cpu_from  # the items' generation included (a few µs each)
    store.close()
    tail_items = size - tail_from
    with sqlite3.connect(db) as conn:
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "headlines", "appearances", "stories", "events")
        }
    totals = writer.totals()
    return {
        "items": size,
        "tail_items": tail_items,
        "tail_us_per_item": round(tail * 1e6 / tail_items, 1),
        "tail_cpu_us_per_item": round(cpu_tail * 1e6 / tail_items, 1),
        "all_us_per_item": round(spent * 1e6 / size, 1),
        "store_seconds": round(spent, 1),
        "store_mib": round(
            sum(path.stat().st_size for path in folder.glob("dedupe.db*")) / 2**20, 1
        ),
        "rows": counts,
        "new_headlines": totals["new_headlines"],
        "new_appearances": totals["new_appearances"],
    }


def measure(sizes: list[int], seed: int) -> dict[str, Any]:
    """Every size in a child process of its own; their figures with peak RSS."""
    report = report_header("datasketch", "numpy", "anyascii")
    report.update(
        {
            "seed": seed,
            "per_day": PER_DAY,
            "sources": len(SOURCES),
            "shares": {
                "near_duplicate": SHARE_NEAR_DUPLICATE,
                "seen_again": SHARE_SEEN_AGAIN,
                "translated": SHARE_TRANSLATED,
            },
            "sizes": [],
        }
    )
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="dedupe-bench-", dir=_scratch()) as folder:
            child = run_measured(
                [sys.executable, __file__, "--one", str(size), "--seed", str(seed), folder]
            ).check(f"dedupe benchmark at {size}")
        figures = json.loads(child.stdout)
        figures["peak_rss_mib"] = round(child.peak_rss_mib, 1)
        figures["child_wall_s"] = round(child.wall_s, 1)
        report["sizes"].append(figures)
        print(f"{size:,}: {figures['tail_us_per_item']} µs/item", file=sys.stderr)
    report["targets"] = targets(report["sizes"])
    return report


def _scratch() -> str | None:
    """Where the stores go: /work/bench-corpus when it exists (more room than /tmp)."""
    folder = Path("/work/bench-corpus")
    return str(folder) if folder.is_dir() else None


def targets(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_size = {row["items"]: row for row in rows}
    checks = []
    if 10_000 in by_size and 1_000_000 in by_size:
        for field, what in (
            ("tail_us_per_item", "µs/item"),
            ("tail_cpu_us_per_item", "CPU µs/item"),
        ):
            growth = round(by_size[1_000_000][field] / by_size[10_000][field], 2)
            checks.append(
                {
                    "target": f"{what} at 1M <= {TARGET_GROWTH_1M}x the one at 10k",
                    "value": growth,
                    "met": growth <= TARGET_GROWTH_1M,
                }
            )
    for row in rows:
        checks.append(
            {
                "target": f"peak RSS at {row['items']:,} < {TARGET_RSS_MIB} MiB",
                "value": row["peak_rss_mib"],
                "met": row["peak_rss_mib"] < TARGET_RSS_MIB,
            }
        )
    return checks


def to_markdown(report: dict[str, Any]) -> str:
    lines = [
        f"# Store-path (dedupe) benchmark, {report['date']}",
        "",
        machine_line(report),
        "",
        f"Synthetic headlines from {report['sources']} sources (en/az/ru), {report['per_day']:,} "
        "a day, through `normalize` and `StoreWriter` into a fresh store with the example watch; "
        f"{report['shares']['near_duplicate']:.0%} near-duplicates, "
        f"{report['shares']['seen_again']:.0%} re-sightings, "
        f"{report['shares']['translated']:.0%} translations. Cost per item over the last "
        f"{MEASURED_TAIL:,} items of each size (final flush included), as wall time and as the "
        "process's CPU time (steadier when the machine is shared).",
        "",
        "| items | µs/item (last 10k) | CPU µs/item (last 10k) | µs/item (all) | peak RSS MiB "
        "| store MiB | articles | headlines | appearances | stories | events |",
        "| " + " | ".join(["---:"] * 11) + " |",
    ]
    for row in report["sizes"]:
        rows = row["rows"]
        lines.append(
            f"| {row['items']:,} | {row['tail_us_per_item']} | {row['tail_cpu_us_per_item']} "
            f"| {row['all_us_per_item']} "
            f"| {row['peak_rss_mib']} | {row['store_mib']} | {rows['articles']:,} "
            f"| {rows['headlines']:,} | {rows['appearances']:,} | {rows['stories']:,} "
            f"| {rows['events']:,} |"
        )
    if report["targets"]:
        lines += ["", "Targets:", ""]
        for check in report["targets"]:
            verdict = "met" if check["met"] else "**missed**"
            lines.append(f"- {check['target']}: {check['value']} — {verdict}")
    return "\n".join(lines) + "\n"


def main() -> None:
    """Measure every size (or, with --one, run one size here and print its figures)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="comma-separated numbers of headlines (default 10000,100000,1000000)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("folder", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        json.dump(run_size(args.one, args.seed, args.folder), sys.stdout)
        return
    sizes = sorted(int(size) for size in args.sizes.split(","))
    if any(size < 1 for size in sizes):
        parser.error("--sizes must be positive")
    report = measure(sizes, args.seed)
    markdown = to_markdown(report)
    print(markdown)
    if not args.no_write:
        stem = write_results("dedupe", report, markdown, args.out)
        print(f"written: {stem}.json, {stem}.md")


if __name__ == "__main__":
    main()
