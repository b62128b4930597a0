"""Benchmark of newsmon's generic article extractor against plain trafilatura (run by hand).

    python benchmarks/extraction.py [--pages DIR] [--pages DIR2 ...] [--repeat N] [--out DIR]

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

Per page set: title exact match and published_at accuracy (where expected), body
precision, recall and F1 over 4-word shingles as the ScrapingHub benchmark computes them
(per page counts normalized, means over pages, F1 of the means), and pages per second, for
`newsmon.extract.extract_article` and, side by side, `trafilatura.extract(html,
include_comments=False)` on the raw HTML. Results go to
`benchmarks/results/extraction-<YYYYMMDD>.json` and `.md` with the machine's details.
"""

from __future__ import annotations

import argparse
import gzip
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

from newsmon.extract import extract_article

ROOT = Path(__file__).resolve().parent.parent
SHINGLE_WORDS = 4
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


@dataclass
class Run:
    """What one extractor produced for a page set, and how long it took."""

    bodies: dict[str, str]
    titles: dict[str, str | None]
    published: dict[str, str | None]
    methods: dict[str, str | None]
    seconds: float


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
        default=1,
        help="extract every page this many times for steadier speed figures",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

    results = []
    for directory in args.pages or [ROOT / "tests" / "generic_pages"]:
        pages = list(load_pages(directory))
        if not pages:
            parser.error(f"no pages in {directory}")
        ours = run(pages, args.repeat, newsmon_extractor)
        baseline = run(pages, args.repeat, trafilatura_extractor)
        results.append(
            {
                "pages_dir": str(directory),
                "layout": "scrapinghub" if is_scrapinghub_set(directory) else "newsmon",
                "pages": len(pages),
                "newsmon": score(pages, ours, args.repeat),
                "trafilatura": score(pages, baseline, args.repeat),
            }
        )

    report = {
        **report_header("trafilatura"),
        "baseline": "trafilatura.extract(html, include_comments=False)",
        "sets": results,
    }
    markdown = to_markdown(report)
    stem = write_results("extraction", report, markdown, args.out)
    print(markdown)
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
        )


def newsmon_extractor(page: Page) -> tuple[str, str | None, str | None, str | None]:
    item = extract_article(page.url, page.html, datetime.now(UTC), source="benchmark", tz=page.tz)
    return "\n".join(item.body), item.title, item.published_at, item.methods.get("body")


def trafilatura_extractor(page: Page) -> tuple[str, str | None, str | None, str | None]:
    return trafilatura.extract(page.html, include_comments=False) or "", None, None, None


def run(
    pages: list[Page],
    repeat: int,
    extractor: Callable[[Page], tuple[str, str | None, str | None, str | None]],
) -> Run:
    """Every page through `extractor`, `repeat` times, timing the whole set."""
    result = Run({}, {}, {}, {}, 0.0)
    started = time.perf_counter()
    for _ in range(repeat):
        for page in pages:
            body, title, published, method = extractor(page)
            result.bodies[page.id] = body
            result.titles[page.id] = title
            result.published[page.id] = published
            result.methods[page.id] = method
    result.seconds = time.perf_counter() - started
    return result


def score(pages: list[Page], result: Run, repeat: int) -> dict[str, object]:
    """Body, title and date figures and speed of one extractor on one page set."""
    counts = [shingle_counts(page.body, result.bodies[page.id]) for page in pages]
    precisions = [tp / (tp + fp) if fp or fn else 1.0 for tp, fp, fn in counts if tp + fp > 0]
    recalls = [tp / (tp + fn) if fp or fn else 1.0 for tp, fp, fn in counts if tp + fn > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    titled = [page for page in pages if page.title is not None]
    dated = [page for page in pages if page.published_at is not None]
    figures: dict[str, object] = {
        "body_precision": round(precision, 4),
        "body_recall": round(recall, 4),
        "body_f1": round(2 * precision * recall / (precision + recall), 4) if precision else 0.0,
        "pages_per_second": round(len(pages) * repeat / result.seconds, 1),
        "body_methods": dict(Counter(str(method) for method in result.methods.values())),
        "body_f1_per_page": {
            page.id: round(f1(*count), 3) for page, count in zip(pages, counts, strict=True)
        },
    }
    if any(result.titles.values()):
        figures["title_exact"] = ratio(sum(result.titles[p.id] == p.title for p in titled), titled)
        figures["published_at_exact"] = ratio(
            sum(result.published[p.id] == p.published_at for p in dated), dated
        )
    return figures


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
        f"Baseline: `{report['baseline']}`.",
    ]
    for result in report["sets"]:
        lines += [
            "",
            f"## {result['pages_dir']} ({result['pages']} pages, {result['layout']} layout)",
            "",
            "| extractor | body P | body R | body F1 | title exact | date exact | pages/s |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for name in ("newsmon", "trafilatura"):
            figures = result[name]
            lines.append(
                f"| {name} | {figures['body_precision']:.3f} | {figures['body_recall']:.3f} "
                f"| {figures['body_f1']:.3f} | {figures.get('title_exact') or '-'} "
                f"| {figures.get('published_at_exact') or '-'} "
                f"| {figures['pages_per_second']} |"
            )
        counts = sorted(result["newsmon"]["body_methods"].items())
        methods = ", ".join(f"{method}: {count}" for method, count in counts)
        lines += ["", f"newsmon body methods: {methods}."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
