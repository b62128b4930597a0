"""Watch query matching cost as a text grows: every operator, time per MB (run by hand).

    python benchmarks/matching.py [--sizes 25,100,460,1000] [--repeat 3] [--label NAME]

The text is the worst case of issue #25: one page of "drone strike" repeated (460 KB is the
page that held a run for 115 s), so every word is a candidate for every query. Per operator and
size: the least time of `--repeat` matches of the page's folded words (`Query.match_tokens`,
as the store writer calls it; folding is measured on its own as the `fold` row), and the time
per MB. `exponent` is the slope of time against size on a log-log scale, from the smallest to
the largest text: 1 is linear, 2 quadratic (the quadratic NEAR of #25 measured 1.8 from 25 to
100 KB). Caches and a busy machine lift even folding the text, which is linear, above 1: an
operator counts as linear when its exponent is less than halfway from folding's to quadratic
growth (folding's + 0.5). Writes
`benchmarks/results/matching-<YYYYMMDD>[-LABEL].json` and `.md`.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from common import RESULTS, machine_line, report_header, write_results

from newsmon.normalize.text import match_tokens
from newsmon.watch.query import parse_query

SIZES_KB = (25, 100, 460, 1000)
UNIT = "drone strike "
QUERIES = {
    "term": "strike",
    "prefix": "stri*",
    "wildcard": "st?i*e",
    "leading wildcard": "*rike",
    "phrase": '"drone strike"',
    "proximity": '"drone strike"~10',
    "proximity, repeated word": '"drone drone strike"~10',
    "near": "drone NEAR/10 strike",
    "near, nested": "(drone NEAR/10 strike) NEAR/5 drone",
    "near, wide": "drone NEAR/100000 strike",
    "alias group": '{drone|uav|"drone strike"}',
    "boolean": "drone AND NOT missile",
}
# How far an operator's exponent may exceed folding's and still count as linear: halfway
# between linear and quadratic growth.
LINEAR_MARGIN = 0.5


def least_time(function: Callable[[], object], repeat: int) -> float:
    """The least wall time (s) of `repeat` calls."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def measure(sizes_kb: list[int], repeat: int) -> list[dict[str, Any]]:
    """One row per operator (and one for folding): seconds and seconds per MB at each size."""
    texts = {size: UNIT * (size * 1000 // len(UNIT)) for size in sizes_kb}
    words = {size: match_tokens(text) for size, text in texts.items()}
    fold_times = {size: least_time(partial(match_tokens, texts[size]), repeat) for size in sizes_kb}
    rows = [_row("fold", "(match_tokens)", sizes_kb, fold_times)]
    for name, text in QUERIES.items():
        match = parse_query(text).match_tokens
        times = {
            size: least_time(partial(match, {"body": words[size]}), repeat) for size in sizes_kb
        }
        rows.append(_row(name, text, sizes_kb, times))
    linear_below = rows[0]["exponent"] + LINEAR_MARGIN
    for row in rows:
        row["linear"] = row["exponent"] < linear_below
    return rows


def _row(name: str, query: str, sizes_kb: list[int], times: dict[int, float]) -> dict[str, Any]:
    per_mb = {size: times[size] / (size / 1000) for size in sizes_kb}
    smallest, largest = sizes_kb[0], sizes_kb[-1]
    exponent = math.log(times[largest] / times[smallest]) / math.log(largest / smallest)
    return {
        "operator": name,
        "query": query,
        "seconds": {str(size): round(times[size], 6) for size in sizes_kb},
        "seconds_per_mb": {str(size): round(per_mb[size], 6) for size in sizes_kb},
        "exponent": round(exponent, 2),
    }


def to_markdown(report: dict[str, Any]) -> str:
    sizes = report["sizes_kb"]
    header = " | ".join(f"{size} KB s/MB" for size in sizes)
    lines = [
        f"# Query matching per MB of text ({report['date'][:10]})",
        "",
        machine_line(report),
        "",
        f'Text: "{UNIT.strip()}" repeated; least of {report["repeat"]} runs. '
        f"`exponent`: log-log slope of time against size from {sizes[0]} to {sizes[-1]} KB "
        f"(1 linear, 2 quadratic; linear: less than folding's + {LINEAR_MARGIN}).",
        "",
        f"| operator | query | {header} | exponent | linear |",
        "| --- | --- | " + " | ".join("---:" for _ in sizes) + " | ---: | --- |",
    ]
    for row in report["rows"]:
        figures = " | ".join(f"{row['seconds_per_mb'][str(size)]:.4f}" for size in sizes)
        query = row["query"].replace("|", "\\|")
        linear = "yes" if row["linear"] else "**no**"
        lines.append(
            f"| {row['operator']} | `{query}` | {figures} | {row['exponent']:.2f} | {linear} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Measure every operator on growing texts and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(size) for size in SIZES_KB),
        help="text sizes in KB, comma-separated, ascending (default %(default)s)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="keep the least of N runs")
    parser.add_argument("--label", help="added to the result file name (e.g. 'before')")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    sizes_kb = sorted(int(size) for size in args.sizes.split(","))
    report = {
        **report_header(),
        "text_unit": UNIT,
        "sizes_kb": sizes_kb,
        "repeat": args.repeat,
        "rows": measure(sizes_kb, args.repeat),
    }
    markdown = to_markdown(report)
    name = f"matching-{args.label}" if args.label else "matching"
    stem = write_results(name, report, markdown, args.out)
    print(markdown)
    print(f"written: {stem}.json, {stem}.md")


if __name__ == "__main__":
    main()
