"""Time taken by long hostile texts as they grow (run by hand).

    python benchmarks/long_texts.py [--lengths 1000,10000,100000,1000000] [--no-write]

Per length (characters), the seconds newsmon spends on:

- **feed entry**: one RSS entry with a title of that length read by the feed reader and
  normalized (cut to 300 characters, then its language detected: `newsmon.pipelines.normalize`);
- **site name**: `strip_site_name` on a page title of that length made of `word - ` segments
  with the site's name around it (the separator pattern and the search for the name);
- **spaces**: `strip_site_name` on a title that is one long run of spaces;
- **body language**: `detect_language` on an article text of that length.

Each must grow at most linearly with the length (a 400 KB title took 50 s before). Writes
`benchmarks/results/long-texts-<YYYYMMDD>.json` and `.md`.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from common import machine_line, report_header, write_results

from newsmon.extract.feeds import feed_headlines
from newsmon.normalize.lang import detect_language
from newsmon.normalize.text import strip_site_name
from newsmon.pipelines.normalize import normalize

LENGTHS = (1_000, 10_000, 100_000, 1_000_000)
SENTENCE = "Energy ministers meet in Baku to discuss new pipeline projects. "


def feed_entry(length: int) -> Callable[[], object]:
    title = ("W" * length).encode()
    body = (
        b'<rss version="2.0"><channel><title>Wire</title><item><title>'
        + title
        + b"</title><link>https://wire.example/news/1</link></item></channel></rss>"
    )

    def run() -> object:
        return [
            normalize(headline)
            for headline in feed_headlines(
                body,
                "https://wire.example/rss",
                source="wire",
                tz="UTC",
                fetched_at="2026-03-03T10:45:00+00:00",
            )
        ]

    return run


def site_name(length: int) -> Callable[[], object]:
    title = "Report.az | " + "word - " * (length // 7) + "| Report.az"
    return lambda: strip_site_name(title, ["Report.az"])


def spaces(length: int) -> Callable[[], object]:
    title = "Storm" + " " * length + "x | Report.az"
    return lambda: strip_site_name(title, ["Report.az"])


def body_language(length: int) -> Callable[[], object]:
    text = (SENTENCE * (length // len(SENTENCE) + 1))[:length]
    return lambda: detect_language(text)


CASES: dict[str, Callable[[int], Callable[[], object]]] = {
    "feed entry": feed_entry,
    "site name": site_name,
    "spaces": spaces,
    "body language": body_language,
}


def seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", default=",".join(map(str, LENGTHS)))
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    lengths = [int(part) for part in args.lengths.split(",")]
    detect_language("warm up the language models once")
    figures: dict[str, dict[str, float]] = {}
    for name, case in CASES.items():
        figures[name] = {str(length): round(seconds(case(length)), 4) for length in lengths}
    report: dict[str, Any] = {**report_header("lingua-language-detector"), "seconds": figures}
    header = "| case | " + " | ".join(f"{length:,} chars" for length in lengths) + " |"
    rows = [
        f"| {name} | " + " | ".join(f"{value:.3f} s" for value in row.values()) + " |"
        for name, row in figures.items()
    ]
    markdown = "\n".join(
        [
            "# Long texts",
            "",
            machine_line(report),
            "",
            header,
            "| --- |" + " --- |" * len(lengths),
            *rows,
            "",
        ]
    )
    print(markdown)
    if not args.no_write:
        print(f"written: {write_results('long-texts', report, markdown)}.json/.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
