"""Benchmark of newsmon's generic article extractor against plain trafilatura (run by hand).

    python benchmarks/extraction.py [--pages DIR] [--pages DIR2 ...] [--repeat N]
                                    [--split dev|held-out|all] [--out DIR]

(with newsmon installed, `pip install -e .`; nothing is fetched from the network).

Each `--pages` directory is one page set, in either layout:

- newsmon's (the default, `tests/generic_pages`): one folder per page holding `page.html`
  and `expected.json` with `input.url`, `input.tz` and the expected `title`,
  `published_at` and `body` (a list of paragraphs);
- the ScrapingHub article-extraction-benchmark's: `ground-truth.json` mapping page ids to
  `{"articleBody": ..., "url": ...}` and `html/<id>.html.gz`. Clone
  github.com/scrapinghub/article-extraction-benchmark and pass its folder:
  `--pages ../article-extraction-benchmark`. Its truth has bodies only, so titles and dates
  are not scored there.

Every page set is split, once and for all, by its page ids (the folder name, or the
ScrapingHub id): a page is held out when the first byte of the SHA-256 of its id is odd, and
a dev page otherwise. Changes to the extractor are tuned on dev pages only (`--split dev`
runs nothing else); the held-out figures tell how well the extractor does on pages it was not
tuned on. Figures are given for dev, held-out and all pages.

Per page set and split: title exact match, published_at accuracy and authors as a set (where
expected), body precision, recall and F1 over 4-word shingles as the ScrapingHub benchmark
computes them (per page counts normalized, means over pages, F1 of the means), CPU
milliseconds per page and pages per second, for `newsmon.extract.extract_article`, the same
without its fallback to trafilatura's full extraction (`newsmon-fast-only`: what the
fallback costs and brings) and, side by side, `trafilatura.extract(html,
include_comments=False)` on the raw HTML. Each page goes through every extractor in turn,
`--repeat` times; a page's time is the least of its repeats (the machine may be shared), its
CPU time the process time it took. The CPU cost is also given on the pages where newsmon's
body came from main-text extraction, the pages where both do the same work. Results go to
`benchmarks/results/extraction-<YYYYMMDD>.json` and `.md` with the machine's details.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import trafilatura
from common import machine_line, report_header, write_results

import newsmon.extract as generic_extractor
from newsmon.extract import MAIN_TEXT, extract_article

ROOT = Path(__file__).resolve().parent.parent
SHINGLE_WORDS = 4
DEV = "dev"
HELD_OUT = "held-out"
ALL = "all"
SPLITS = (DEV, HELD_OUT, ALL)
_TOKEN = re.compile(r"\w+")


@dataclass
class Page:
    """One page of a set, with what is expected of it (None when unknown)."""

    id: str
    url: str
    html: str
    tz: str
    body: str
    title: str | None = None
    published_at: str | None = None
    authors: list[str] | None = None

    @property
    def split(self) -> str:
        """DEV or HELD_OUT, by the SHA-256 of the page id: odd first byte, held out."""
        return HELD_OUT if hashlib.sha256(self.id.encode()).digest()[0] % 2 else DEV


@dataclass
class Output:
    """What an extractor read from one page (None: not read by this extractor)."""

    body: str
    title: str | None = None
    published_at: str | None = None
    method: str | None = None
    authors: list[str] | None = None


@dataclass
class Run:
    """What one extractor produced for each page of a set, and its least time per page."""

    outputs: dict[str, Output]
    cpu_seconds: dict[str, float]
    wall_seconds: dict[str, float]


def main() -> None:
    """Run the benchmark on every page set and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pages",
        type=Path,
        action="append",
        help="a page set directory (repeatable; default tests/generic_pages)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="extract every page this many times and keep its least time (default 3)",
    )
    parser.add_argument(
        "--split",
        choices=SPLITS,
        default=ALL,
        help="run only the dev or the held-out pages (default all; tune on dev only)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

    results = []
    for directory in args.pages or [ROOT / "tests" / "generic_pages"]:
        pages = [page for page in load_pages(directory) if args.split in (ALL, page.split)]
        if not pages:
            parser.error(f"no pages in {directory}")
        runs = measure(pages, args.repeat)
        results.append(
            {
                "pages_dir": str(directory),
                "layout": "scrapinghub" if is_scrapinghub_set(directory) else "newsmon",
                "pages": len(pages),
                "splits": {
                    split: figures_by_extractor(in_split(pages, split), runs)
                    for split in (SPLITS if args.split == ALL else (args.split,))
                    if in_split(pages, split)
                },
                "newsmon_body_methods": dict(
                    Counter(str(runs["newsmon"].outputs[page.id].method) for page in pages)
                ),
                "main_text": figures_by_extractor(main_text_pages(pages, runs), runs),
                "full_fallback_pages": fallback_pages(pages, runs),
                "per_page": per_page(pages, runs),
            }
        )

    report = {
        **report_header("trafilatura"),
        "baseline": "trafilatura.extract(html, include_comments=False)",
        "split": "held out: odd first byte of the SHA-256 of the page id; dev: even",
        "repeat": args.repeat,
        "sets": results,
    }
    markdown = to_markdown(report)
    print(markdown)
    if not args.no_write:
        stem = write_results("extraction", report, markdown, args.out)
        print(f"written: {stem}.json, {stem}.md")


def is_scrapinghub_set(directory: Path) -> bool:
    return (directory / "ground-truth.json").is_file()


def load_pages(directory: Path) -> Iterator[Page]:
    """The pages of a set in newsmon's or the ScrapingHub benchmark's layout."""
    if is_scrapinghub_set(directory):
        truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
        for page_id, expected in sorted(truth.items()):
            with gzip.open(directory / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8") as f:
                html = f.read()
            yield Page(page_id, expected["url"], html, "UTC", expected.get("articleBody") or "")
        return
    for expected_file in sorted(directory.glob("*/expected.json")):
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        html = (expected_file.parent / "page.html").read_text(encoding="utf-8")
        yield Page(
            expected_file.parent.name,
            expected["input"]["url"],
            html,
            expected["input"].get("tz", "UTC"),
            "\n".join(expected.get("body", [])),
            expected.get("title"),
            expected.get("published_at"),
            expected.get("authors"),
        )


def newsmon_extractor(page: Page) -> Output:
    item = extract_article(page.url, page.html, datetime.now(UTC), source="benchmark", tz=page.tz)
    return Output(
        "\n".join(item.body),
        item.title,
        item.published_at,
        item.methods.get("body"),
        item.authors,
    )


def newsmon_fast_only_extractor(page: Page) -> Output:
    """newsmon without the fallback to trafilatura's full extraction, to measure its cost."""
    share = generic_extractor.FULL_TEXT_SHARE
    generic_extractor.FULL_TEXT_SHARE = 0.0
    try:
        return newsmon_extractor(page)
    finally:
        generic_extractor.FULL_TEXT_SHARE = share


def trafilatura_extractor(page: Page) -> Output:
    return Output(trafilatura.extract(page.html, include_comments=False) or "")


EXTRACTORS: dict[str, Callable[[Page], Output]] = {
    "newsmon": newsmon_extractor,
    "newsmon-fast-only": newsmon_fast_only_extractor,
    "trafilatura": trafilatura_extractor,
}


def measure(pages: list[Page], repeat: int) -> dict[str, Run]:
    """Every page through each extractor in turn, `repeat` times; per page and extractor the
    output and the least CPU and wall time of the repeats."""
    runs = {name: Run({}, {}, {}) for name in EXTRACTORS}
    for _ in range(repeat):
        for page in pages:
            for name, extractor in EXTRACTORS.items():
                run = runs[name]
                cpu_started, wall_started = time.process_time(), time.perf_counter()
                run.outputs[page.id] = extractor(page)
                cpu = time.process_time() - cpu_started
                wall = time.perf_counter() - wall_started
                run.cpu_seconds[page.id] = min(cpu, run.cpu_seconds.get(page.id, cpu))
                run.wall_seconds[page.id] = min(wall, run.wall_seconds.get(page.id, wall))
    return runs


def in_split(pages: list[Page], split: str) -> list[Page]:
    return [page for page in pages if split in (ALL, page.split)]


def fallback_pages(pages: list[Page], runs: dict[str, Run]) -> list[str]:
    """The pages whose body the fallback to trafilatura's full extraction changed."""
    return [
        page.id
        for page in pages
        if runs["newsmon"].outputs[page.id].body != runs["newsmon-fast-only"].outputs[page.id].body
    ]


def main_text_pages(pages: list[Page], runs: dict[str, Run]) -> list[Page]:
    """The pages whose body newsmon took from main-text extraction."""
    return [page for page in pages if runs["newsmon"].outputs[page.id].method == MAIN_TEXT]


def figures_by_extractor(pages: list[Page], runs: dict[str, Run]) -> dict[str, object]:
    return {"pages": len(pages), **{name: score(pages, runs[name]) for name in EXTRACTORS}}


def score(pages: list[Page], run: Run) -> dict[str, object]:
    """Body, title and date figures and speed of one extractor on some pages of a set."""
    if not pages:
        return {}
    counts = [shingle_counts(page.body, run.outputs[page.id].body) for page in pages]
    precisions = [tp / (tp + fp) if fp or fn else 1.0 for tp, fp, fn in counts if tp + fp > 0]
    recalls = [tp / (tp + fn) if fp or fn else 1.0 for tp, fp, fn in counts if tp + fn > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    outputs = [run.outputs[page.id] for page in pages]
    figures: dict[str, object] = {
        "body_precision": round(precision, 4),
        "body_recall": round(recall, 4),
        "body_f1": round(2 * precision * recall / (precision + recall), 4) if precision else 0.0,
        "cpu_ms_per_page": round(1000 * statistics.mean(run.cpu_seconds[p.id] for p in pages), 2),
        "pages_per_second": round(len(pages) / sum(run.wall_seconds[p.id] for p in pages), 1),
    }
    if any(output.title for output in outputs):
        titled = [page for page in pages if page.title is not None]
        dated = [page for page in pages if page.published_at is not None]
        figures["title_exact"] = ratio(
            sum(run.outputs[p.id].title == p.title for p in titled), titled
        )
        figures["published_at_exact"] = ratio(
            sum(run.outputs[p.id].published_at == p.published_at for p in dated), dated
        )
        bylined = [page for page in pages if page.authors is not None]
        figures["authors_exact"] = ratio(
            sum(set(run.outputs[p.id].authors or []) == set(p.authors or []) for p in bylined),
            bylined,
        )
    return figures


def per_page(pages: list[Page], runs: dict[str, Run]) -> dict[str, dict[str, object]]:
    """Each page's split, newsmon's body method, and both extractors' body F1 and CPU ms."""
    rows: dict[str, dict[str, object]] = {}
    for page in pages:
        row: dict[str, object] = {
            "split": page.split,
            "newsmon_method": runs["newsmon"].outputs[page.id].method,
        }
        for name in EXTRACTORS:
            run = runs[name]
            row[f"{name}_body_f1"] = round(
                f1(*shingle_counts(page.body, run.outputs[page.id].body)), 3
            )
            row[f"{name}_cpu_ms"] = round(1000 * run.cpu_seconds[page.id], 2)
        rows[page.id] = row
    return rows


def f1(tp: float, fp: float, fn: float) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def ratio(hits: int, pages: list[Page]) -> str | None:
    return f"{hits}/{len(pages)}" if pages else None


def shingle_counts(true: str, predicted: str) -> tuple[float, float, float]:
    """True positive, false positive and false negative shingles, normalized to sum to 1."""
    expected, found = shingles(true), shingles(predicted)
    tp = sum((expected & found).values())
    fp = sum(found.values()) - tp
    fn = sum(expected.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    spans = range(max(1, len(tokens) - SHINGLE_WORDS + 1))
    return Counter(shingle for i in spans if (shingle := tuple(tokens[i : i + SHINGLE_WORDS])))


def to_markdown(report: dict) -> str:
    """The results as a short markdown report."""
    lines = [
        f"# Article extraction benchmark, {report['date']}",
        "",
        machine_line(report),
        f"Baseline: `{report['baseline']}`. Split: {report['split']}. "
        f"Times: the least of {report['repeat']} runs of each page.",
    ]
    for result in report["sets"]:
        lines += [
            "",
            f"## {result['pages_dir']} ({result['pages']} pages, {result['layout']} layout)",
            "",
            "| pages | extractor | body P | body R | body F1 | title exact | date exact "
            "| authors exact | CPU ms/page | pages/s |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for split, row in result["splits"].items():
            for name in EXTRACTORS:
                figures = row[name]
                lines.append(
                    f"| {split} ({row['pages']}) | {name} | {figures['body_precision']:.3f} "
                    f"| {figures['body_recall']:.3f} | {figures['body_f1']:.3f} "
                    f"| {figures.get('title_exact') or '-'} "
                    f"| {figures.get('published_at_exact') or '-'} "
                    f"| {figures.get('authors_exact') or '-'} "
                    f"| {figures['cpu_ms_per_page']:.1f} | {figures['pages_per_second']} |"
                )
        counts = sorted(result["newsmon_body_methods"].items())
        methods = ", ".join(f"{method}: {count}" for method, count in counts)
        lines += ["", f"newsmon body methods: {methods}."]
        main_text = result["main_text"]
        if main_text["pages"]:
            lines.append(
                f"CPU ms a page where newsmon extracts main text ({main_text['pages']} pages): "
                f"newsmon {main_text['newsmon']['cpu_ms_per_page']:.1f}, "
                f"trafilatura {main_text['trafilatura']['cpu_ms_per_page']:.1f}."
            )
        fallback = result["full_fallback_pages"]
        lines.append(
            f"Pages whose body the full-extraction fallback changed: {len(fallback)}"
            + (f" ({', '.join(fallback)})." if fallback else ".")
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
