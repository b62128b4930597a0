"""Pages of the documentation that are generated from the code and the benchmark results at
build time, so that they cannot drift from them.

- `settings.md`: the marker line `{newsmon-settings-reference}` becomes the settings reference
  that `newsmon.settings_table.reference_markdown()` renders from the one table declaring every
  setting.
- `benchmarks.md`: the marker line `{newsmon-latest-benchmark-results}` becomes the newest
  results file of each benchmark in `benchmarks/results/` (their headings moved two levels
  down so that they sit under the page's own).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "benchmarks" / "results"
SETTINGS_MARKER = "{newsmon-settings-reference}"
RESULTS_MARKER = "{newsmon-latest-benchmark-results}"
# "<benchmark>-<YYYYMMDD>[-<tag>].md"; a benchmark's name may hold digits ("stories-semeval8").
RESULT_NAME = re.compile(r"^(?P<benchmark>[a-z][a-z0-9-]*?)-(?P<day>\d{8})(?:-[\w-]+)?\.md$")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2})?")


def settings_reference() -> str:
    """The settings reference, without its own title (the page has one)."""
    from newsmon.settings_table import reference_markdown

    lines = reference_markdown().splitlines()
    return "\n".join(lines[1:] if lines and lines[0].startswith("# ") else lines)


def latest_results(directory: Path = RESULTS) -> list[Path]:
    """The newest results file of each benchmark: the newest day in its name, and of that day's
    files the one whose title carries the latest time."""
    newest: dict[str, tuple[str, str, Path]] = {}
    for path in directory.glob("*.md"):
        match = RESULT_NAME.match(path.name)
        if match is None:
            continue
        first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
        stamp = TIMESTAMP.search(first_line)
        key = (match["day"], stamp.group() if stamp else "", path)
        if match["benchmark"] not in newest or key > newest[match["benchmark"]]:
            newest[match["benchmark"]] = key
    return [newest[name][2] for name in sorted(newest)]


def results_markdown(directory: Path = RESULTS) -> str:
    """The newest results of every benchmark, each under a heading naming its file."""
    parts = []
    for path in latest_results(directory):
        text = path.read_text(encoding="utf-8")
        demoted = re.sub(r"^(#{1,4}) ", r"\1## ", text, flags=re.MULTILINE)
        parts.append(f"### `benchmarks/results/{path.name}`\n\n{demoted.strip()}\n")
    return "\n".join(parts)


def fill_generated_parts(app: Sphinx, docname: str, source: list[str]) -> None:
    """Replace the markers of generated parts in a page's source as it is read."""
    text = source[0]
    if SETTINGS_MARKER in text:
        text = text.replace(SETTINGS_MARKER, settings_reference())
    if RESULTS_MARKER in text:
        text = text.replace(RESULTS_MARKER, results_markdown())
    source[0] = text


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the generated parts with Sphinx."""
    app.connect("source-read", fill_generated_parts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
