"""Benchmark of newsmon's generic article extractor against plain trafilatura (run by hand).

    python benchmarks/extraction.py [--pages DIR] [--pages DIR2 ...] [--repeat N]
                                    [--split dev|held-out|all] [--out DIR] [--no-write]
                                    [--tag TAG]

(with newsmon installed, `pip install -e .`; nothing is fetched from the network).

Each `--pages` directory is one page set, in either layout:

- newsmon's: one folder per page holding `page.html` (or `page.html.gz`) and `expected.json`
  with `input.url`, `input.tz` (optional: without it newsmon guesses the zone from the page,
  as `newsmon extract` does for a page of no configured source) and the expected `title`,
  `published_at` (UTC),
  `published_date` (the publisher's day), `authors` and `body` (a list of paragraphs), each
  optional or null when not labelled (not scored then). The default sets are the real
  publisher pages of `benchmarks/data/extraction/` (see its README); `tests/generic_pages` is
  in this layout too;
- the ScrapingHub article-extraction-benchmark's: `ground-truth.json` mapping page ids to
  `{"articleBody": ..., "url": ...}` and `html/<id>.html.gz`. Clone
  github.com/scrapinghub/article-extraction-benchmark and pass its folder:
  `--pages ../article-extraction-benchmark`; `benchmarks/data/extraction/scrapinghub` is a
  slimmed copy of it and one of the default sets. Its truth has bodies only, so titles and
  dates are not scored there.

Every page set is split, once and for all, by its page ids (the folder name, or the
ScrapingHub id): a page is held out when the first byte of the SHA-256 of its id is odd, and
a dev page otherwise. Changes to the extractor are tuned on dev pages only (`--split dev`
runs nothing else); the held-out figures tell how well the extractor does on pages it was not
tuned on. Figures are given for dev, held-out and all pages.

Per page set and split, on the pages labelled for each field: title exact match (after
whitespace folding), published time to the minute (both in UTC), published day, authors as a
set (names case- and whitespace-folded), body precision, recall and F1 over 4-word shingles as
the ScrapingHub benchmark computes them (per page counts normalized, means over pages, F1 of
the means), CPU milliseconds per page and pages per second, for
`newsmon.extract.article.extract_article` and, side by side, trafilatura's `bare_extraction`
with its metadata (title, author, date with its time of day; its text is
`trafilatura.extract`'s) on the raw HTML. With several sets, the pooled figures of all of them
come first. Each page goes through both extractors in turn, `--repeat` times; a page's time is
the least of its repeats (the machine may be shared), its CPU time the process time it took.
The CPU cost is also given on the pages where newsmon's body came from main-text extraction,
the pages where both do the same work. Results go to
`benchmarks/results/extraction-<YYYYMMDD>.json` and `.md` (`-<TAG>` after the date with
`--tag`, for a day's second run) with the machine's details (`--no-write`: printed only);
the `.md` lists newsmon's misses on dev pages (held-out misses are counted, not shown, so
that nobody tunes on them).
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
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from common import machine_line, report_header, write_results
from extraction_data import DATA, SETS, parse_iso, shingles
from trafilatura import bare_extraction

from newsmon.extract.article import MAIN_TEXT, extract_article

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = [DATA / name for name in SETS]
DEV = "dev"
HELD_OUT = "held-out"
ALL = "all"
SPLITS = (DEV, HELD_OUT, ALL)
POOLED = "all sets"
FIELDS = ("title", "published_at", "published_date", "authors")
FIELD_NAMES = {
    "title": "title exact",
    "published_at": "published, to the minute",
    "published_date": "published day",
    "authors": "authors as a set",
}
TRAFILATURA_DATE = {
    "original_date": True,
    "extensive_search": True,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf]")
_TYPOGRAPHIC = re.compile("[\"'‘’‚“”„«»‹›–—]")


@dataclass
class Page:
    """One page of a set, with what is expected of it (None when not labelled)."""

    id: str
    url: str
    html: str
    tz: str | None  # None: the source is unknown, and newsmon guesses the zone from the page
    body: str | None
    title: str | None = None
    published_at: str | None = None
    published_date: str | None = None
    authors: list[str] | None = None
    set_name: str = ""

    @property
    def key(self) -> str:
        """The page's name across sets: `<set>/<id>`."""
        return f"{self.set_name}/{self.id}"

    @property
    def split(self) -> str:
        """DEV or HELD_OUT, by the SHA-256 of the page id: odd first byte, held out."""
        return HELD_OUT if hashlib.sha256(self.id.encode()).digest()[0] % 2 else DEV


@dataclass
class Output:
    """What an extractor read from one page."""

    body: str
    title: str | None = None
    published_at: str | None = None
    published_date: str | None = None
    authors: list[str] | None = None
    method: str | None = None


@dataclass
class Run:
    """What one extractor produced for each page (by key), and its least time per page."""

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
        help="a page set directory (repeatable; default the sets of benchmarks/data/extraction)",
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
    parser.add_argument(
        "--tag", default="", help="written as extraction-<YYYYMMDD>-TAG (a day's second run)"
    )
    args = parser.parse_args()
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    logging.getLogger("newsmon").setLevel(logging.ERROR)

    page_sets: dict[str, list[Page]] = {}
    for directory in args.pages or DEFAULT_SETS:
        pages = [page for page in load_pages(directory) if args.split in (ALL, page.split)]
        if not pages:
            parser.error(f"no pages in {directory}")
        page_sets[shown_path(directory)] = pages
    everything = [page for pages in page_sets.values() for page in pages]
    runs = measure(everything, args.repeat)
    splits = SPLITS if args.split == ALL else (args.split,)
    results = (
        [set_results(POOLED, "pooled", everything, runs, splits)] if len(page_sets) > 1 else []
    )
    for directory, pages in page_sets.items():
        layout = "scrapinghub" if is_scrapinghub_set(ROOT / directory) else "newsmon"
        results.append(set_results(directory, layout, pages, runs, splits))

    report = {
        **report_header("trafilatura", "htmldate"),
        "baseline": "trafilatura.bare_extraction(html, url=url, include_comments=False, "
        f"with_metadata=True, date_extraction_params={TRAFILATURA_DATE})",
        "split": "held out: odd first byte of the SHA-256 of the page id; dev: even",
        "repeat": args.repeat,
        "sets": results,
    }
    markdown = to_markdown(report)
    print(markdown)
    if not args.no_write:
        stem = write_results("extraction", report, markdown, args.out, args.tag)
        print(f"written: {stem}.json, {stem}.md")


def set_results(
    name: str, layout: str, pages: list[Page], runs: dict[str, Run], splits: tuple[str, ...]
) -> dict[str, object]:
    """The figures of one page set (or of all pooled), per split, with newsmon's misses."""
    return {
        "pages_dir": name,
        "layout": layout,
        "pages": len(pages),
        "splits": {
            split: figures_by_extractor(in_split(pages, split), runs)
            for split in splits
            if in_split(pages, split)
        },
        "newsmon_body_methods": dict(
            Counter(str(runs["newsmon"].outputs[page.key].method) for page in pages)
        ),
        "main_text": figures_by_extractor(main_text_pages(pages, runs), runs),
        "newsmon_misses": misses(pages, runs["newsmon"]),
        "per_page": per_page(pages, runs),
    }


def shown_path(directory: Path) -> str:
    """A page set's directory as reports name it: relative to the repository when inside."""
    resolved = directory.resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(resolved)


def is_scrapinghub_set(directory: Path) -> bool:
    """Whether a directory holds the ScrapingHub benchmark's layout."""
    return (directory / "ground-truth.json").is_file()


def load_pages(directory: Path) -> Iterator[Page]:
    """The pages of a set in newsmon's or the ScrapingHub benchmark's layout."""
    if is_scrapinghub_set(directory):
        truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
        for page_id, expected in sorted(truth.items()):
            with gzip.open(directory / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8") as f:
                html = f.read()
            body = expected.get("articleBody") or ""
            yield Page(page_id, expected["url"], html, None, body, set_name=directory.name)
        return
    for expected_file in sorted(directory.glob("*/expected.json")):
        expected = json.loads(expected_file.read_text(encoding="utf-8"))
        html = read_page(expected_file.parent)
        body = expected.get("body")
        yield Page(
            expected_file.parent.name,
            expected["input"]["url"],
            html,
            expected["input"].get("tz"),
            "\n".join(body) if body is not None else None,
            expected.get("title"),
            expected.get("published_at"),
            expected.get("published_date"),
            expected.get("authors"),
            set_name=directory.name,
        )


def read_page(folder: Path) -> str:
    """A page folder's HTML: `page.html`, else the gzipped `page.html.gz`."""
    page = folder / "page.html"
    if page.is_file():
        return page.read_text(encoding="utf-8")
    return gzip.decompress((folder / "page.html.gz").read_bytes()).decode("utf-8")


def newsmon_extractor(page: Page) -> Output:
    """newsmon's generic extractor on one page."""
    item = extract_article(page.url, page.html, datetime.now(UTC), source="benchmark", tz=page.tz)
    return Output(
        "\n".join(item.body),
        item.title,
        item.published_at,
        item.published_date,
        list(item.authors),
        item.methods.get("body"),
    )


def trafilatura_extractor(page: Page) -> Output:
    """trafilatura's extraction with its metadata on one page."""
    document = bare_extraction(
        page.html,
        url=page.url,
        include_comments=False,
        with_metadata=True,
        date_extraction_params=TRAFILATURA_DATE,
    )
    if document is None or isinstance(document, dict):
        return Output("")
    date = document.date or None
    return Output(
        document.text or "",
        document.title or None,
        date,
        date[:10] if date else None,
        [name.strip() for name in (document.author or "").split(";") if name.strip()],
    )


EXTRACTORS: dict[str, Callable[[Page], Output]] = {
    "newsmon": newsmon_extractor,
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
                run.outputs[page.key] = extractor(page)
                cpu = time.process_time() - cpu_started
                wall = time.perf_counter() - wall_started
                run.cpu_seconds[page.key] = min(cpu, run.cpu_seconds.get(page.key, cpu))
                run.wall_seconds[page.key] = min(wall, run.wall_seconds.get(page.key, wall))
    return runs


def in_split(pages: list[Page], split: str) -> list[Page]:
    """The pages of a split (ALL: every page)."""
    return [page for page in pages if split in (ALL, page.split)]


def main_text_pages(pages: list[Page], runs: dict[str, Run]) -> list[Page]:
    """The pages whose body newsmon took from main-text extraction."""
    return [page for page in pages if runs["newsmon"].outputs[page.key].method == MAIN_TEXT]


def figures_by_extractor(pages: list[Page], runs: dict[str, Run]) -> dict[str, object]:
    """Each extractor's figures on some pages."""
    return {"pages": len(pages), **{name: score(pages, runs[name]) for name in EXTRACTORS}}


def score(pages: list[Page], run: Run) -> dict[str, object]:
    """Body and metadata figures and speed of one extractor on some pages of a set."""
    if not pages:
        return {}
    figures: dict[str, object] = {
        "cpu_ms_per_page": round(1000 * statistics.mean(run.cpu_seconds[p.key] for p in pages), 2),
        "pages_per_second": round(len(pages) / sum(run.wall_seconds[p.key] for p in pages), 1),
    }
    with_body = [page for page in pages if page.body is not None]
    if with_body:
        counts = [shingle_counts(page.body or "", run.outputs[page.key].body) for page in with_body]
        precisions = [tp / (tp + fp) if fp or fn else 1.0 for tp, fp, fn in counts if tp + fp > 0]
        recalls = [tp / (tp + fn) if fp or fn else 1.0 for tp, fp, fn in counts if tp + fn > 0]
        precision = statistics.mean(precisions) if precisions else 0.0
        recall = statistics.mean(recalls) if recalls else 0.0
        figures["body_pages"] = len(with_body)
        figures["body_precision"] = round(precision, 4)
        figures["body_recall"] = round(recall, 4)
        figures["body_f1"] = (
            round(2 * precision * recall / (precision + recall), 4) if precision else 0.0
        )
    for name in FIELDS:
        labelled = [page for page in pages if getattr(page, name) is not None]
        if labelled:
            hits = sum(field_matches(name, page, run.outputs[page.key]) for page in labelled)
            figures[name] = {"hits": hits, "pages": len(labelled)}
    return figures


def field_matches(name: str, page: Page, output: Output) -> bool:
    """Whether an extractor's value of a field is the expected one (see the module doc)."""
    if name == "title":
        return fold(output.title) == fold(page.title)
    if name == "published_at":
        return to_minute(output.published_at, page.tz or "UTC") == to_minute(
            page.published_at, "UTC"
        )
    if name == "published_date":
        return output.published_date == page.published_date
    return author_set(output.authors) == author_set(page.authors)


def fold(text: str | None) -> str | None:
    """NFC text with whitespace runs made single spaces (None stays None)."""
    return " ".join(unicodedata.normalize("NFC", text).split()) if text is not None else None


def author_set(names: list[str] | None) -> frozenset[str]:
    """Names as a set, case- and whitespace-folded."""
    return frozenset(folded.casefold() for name in names or [] if (folded := fold(name)))


def to_minute(value: str | None, tz: str) -> str | None:
    """An ISO 8601 time in UTC to the minute (`YYYY-MM-DDTHH:MM`); a time without an offset
    is read in `tz`. None for None or an unreadable value."""
    moment = parse_iso(value)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz))
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M")


def misses(pages: list[Page], run: Run) -> dict[str, object]:
    """An extractor's misses: counted per kind (see `miss_kind`) and split, listed with what
    was expected and found for dev pages only."""
    kinds: dict[str, Counter[str]] = {}
    listed: list[dict[str, object]] = []
    for page in pages:
        output = run.outputs[page.key]
        for name in FIELDS:
            expected = getattr(page, name)
            if expected is None or field_matches(name, page, output):
                continue
            kind = miss_kind(name, page, output)
            kinds.setdefault(kind, Counter())[page.split] += 1
            if page.split == DEV:
                found = getattr(output, name)
                listed.append(
                    {"page": page.key, "kind": kind, "expected": expected, "found": found}
                )
    return {
        "kinds": {
            kind: {split: kinds[kind][split] for split in (DEV, HELD_OUT)} for kind in sorted(kinds)
        },
        "dev": sorted(listed, key=lambda miss: (str(miss["kind"]), str(miss["page"]))),
    }


def miss_kind(name: str, page: Page, output: Output) -> str:
    """What kind of miss a wrong field is, told from the expected and the found value."""
    if name == "title":
        return title_miss(fold(page.title) or "", fold(output.title))
    if name == "published_at":
        found, expected = (
            to_minute(output.published_at, page.tz or "UTC"),
            to_minute(page.published_at, "UTC"),
        )
        if found is None:
            return "published time: none found"
        if expected and found[:10] == expected[:10]:
            return "published time: right day, another time of day"
        return "published time: another date"
    if name == "published_date":
        if not output.published_date:
            return "published day: none found"
        days = abs(
            datetime.fromisoformat(output.published_date)
            - datetime.fromisoformat(page.published_date or "")
        )
        if days.days == 1:
            return "published day: one day off (source zone unknown: UTC; or the page disagrees)"
        return "published day: another date"
    return authors_miss(author_set(page.authors), output.authors or [])


def title_miss(expected: str, found: str | None) -> str:
    """The kind of a title miss."""
    if not found:
        return "title: none found"
    if _MOJIBAKE.search(found) and not _MOJIBAKE.search(expected):
        return "title: mojibake (UTF-8 decoded twice)"
    if _TYPOGRAPHIC.sub("'", found) == _TYPOGRAPHIC.sub("'", expected):
        return "title: quotes or dashes changed"
    if found.startswith(expected):
        return "title: site name or suffix kept after the headline"
    if found.endswith(expected):
        return "title: kicker or topline kept before the headline"
    if found in expected:
        return "title: headline cut short"
    return "title: another title than the shown headline (SEO, site or section title)"


def authors_miss(expected: frozenset[str], found: list[str]) -> str:
    """The kind of an authors miss."""
    names = author_set(found)
    if not names:
        return "authors: none found"
    if any("@" in name or "/" in name or " " not in name for name in names):
        return "authors: a handle, address or single word"
    if names < expected:
        return "authors: some of the names"
    if (
        len(names) == 1
        and len(expected) > 1
        and all(name in next(iter(names)) for name in expected)
    ):
        return "authors: several names in one string"
    if names & expected:
        return "authors: the names and others"
    return "authors: another name (publisher, site or someone else)"


def per_page(pages: list[Page], runs: dict[str, Run]) -> dict[str, dict[str, object]]:
    """Each page's split, newsmon's body method, and both extractors' body F1 and CPU ms."""
    rows: dict[str, dict[str, object]] = {}
    for page in pages:
        row: dict[str, object] = {
            "split": page.split,
            "newsmon_method": runs["newsmon"].outputs[page.key].method,
        }
        for name in EXTRACTORS:
            run = runs[name]
            if page.body is not None:
                counts = shingle_counts(page.body, run.outputs[page.key].body)
                row[f"{name}_body_f1"] = round(f1(*counts), 3)
            row[f"{name}_cpu_ms"] = round(1000 * run.cpu_seconds[page.key], 2)
        rows[page.key] = row
    return rows


def f1(tp: float, fp: float, fn: float) -> float:
    """F1 of normalized true positive, false positive and false negative counts."""
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def shingle_counts(true: str, predicted: str) -> tuple[float, float, float]:
    """True positive, false positive and false negative shingles, normalized to sum to 1."""
    expected, found = shingles(true), shingles(predicted)
    tp = sum((expected & found).values())
    fp = sum(found.values()) - tp
    fn = sum(expected.values()) - tp
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def rate(figure: object) -> str:
    """A field's `{"hits", "pages"}` as `0.93 (40/43)`, or `-` when not scored."""
    if not isinstance(figure, dict):
        return "-"
    return f"{figure['hits'] / figure['pages']:.2f} ({figure['hits']}/{figure['pages']})"


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
            "| pages | extractor | title exact | published, minute | published day "
            "| authors as a set | body P | body R | body F1 | CPU ms/page | pages/s |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for split, row in result["splits"].items():
            for name in EXTRACTORS:
                figures = row[name]
                body = [
                    f"{figures[key]:.3f}" if key in figures else "-"
                    for key in ("body_precision", "body_recall", "body_f1")
                ]
                lines.append(
                    f"| {split} ({row['pages']}) | {name} "
                    + "".join(f"| {rate(figures.get(field))} " for field in FIELDS)
                    + "".join(f"| {value} " for value in body)
                    + f"| {figures['cpu_ms_per_page']:.1f} | {figures['pages_per_second']} |"
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
        lines += misses_markdown(result["newsmon_misses"], listed=result["layout"] != "pooled")
    return "\n".join(lines) + "\n"


def misses_markdown(found: dict, *, listed: bool) -> list[str]:
    """newsmon's misses: a count per kind and split, then (`listed`) each dev miss."""
    if not found["kinds"]:
        return []
    lines = ["", "| newsmon misses, by kind | dev | held-out |", "| --- | --- | --- |"]
    lines += [
        f"| {kind} | {counts[DEV]} | {counts[HELD_OUT]} |"
        for kind, counts in found["kinds"].items()
    ]
    if listed and found["dev"]:
        lines += ["", "| dev page | kind | expected | newsmon |", "| --- | --- | --- | --- |"]
        lines += [
            f"| {miss['page']} | {miss['kind']} | {cell(miss['expected'])} "
            f"| {cell(miss['found'])} |"
            for miss in found["dev"]
        ]
    return lines


def cell(value: object) -> str:
    """A value for a markdown table cell."""
    text = "; ".join(value) if isinstance(value, list) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    main()
