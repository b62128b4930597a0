"""The documentation site: it builds without a warning, offline, and its shell examples print
what the pages say they print."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

DOCS = ROOT / "docs"
# The pages whose `console` examples are run, each in a fresh directory holding the seeds and
# the example files, commands of one page in order (a page's later commands see its earlier ones).
EXECUTED_PAGES = ["getting-started.md", "watches.md"]
EXAMPLE_FILES = ["watches.example.toml", "sources.example.toml"]
NEWSMON = str(Path(sys.executable).with_name("newsmon"))


@dataclass(frozen=True)
class Example:
    """One `$ command` of a console block and the lines it must print."""

    page: str
    line: int
    command: str
    expected: list[str]


def console_examples(page: Path) -> list[Example]:
    """Every `$ …` command of the page's ```console blocks, with the lines up to the next one."""
    examples: list[Example] = []
    inside = False
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("```"):
            inside = line.strip() == "```console" and not inside
            continue
        if not inside:
            continue
        if line.startswith("$ "):
            examples.append(Example(page.name, number, line[2:], []))
        elif examples:
            examples[-1].expected.append(line)
    return examples


def matches(expected: str, actual: str) -> bool:
    """An expected line matches exactly, except that `...` in it stands for any text."""
    pattern = ".*".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, actual) is not None


def test_console_examples_are_found_with_their_output() -> None:
    page = DOCS / "getting-started.md"
    examples = console_examples(page)
    assert examples, "getting-started.md has no ```console example"
    assert all(example.command.startswith("newsmon ") for example in examples)


@pytest.mark.parametrize("page", EXECUTED_PAGES)
def test_the_pages_shell_examples_print_what_the_page_says(page: str, tmp_path: Path) -> None:
    shutil.copytree(SEEDS, tmp_path / "seeds")
    for name in EXAMPLE_FILES:
        shutil.copy(ROOT / name, tmp_path / name)
    # Not a terminal and no COLUMNS: tables are printed whole, as the pages show them.
    env = {name: value for name, value in os.environ.items() if name != "COLUMNS"}
    env |= {"NEWSMON_DB": "", "NEWSMON_CONFIG": "", "NEWSMON_REDIS": ""}
    examples = console_examples(DOCS / page)
    assert examples, f"{page} has no ```console example"
    for example in examples:
        words = shlex.split(example.command)
        assert words[0] == "newsmon", f"{page}:{example.line}: only newsmon commands are run"
        result = subprocess.run(
            [NEWSMON, *words[1:]],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
        )
        actual = (result.stdout + result.stderr).splitlines()
        where = f"{page}:{example.line}: $ {example.command}"
        assert len(actual) == len(example.expected), f"{where}\nprinted:\n" + "\n".join(actual)
        for expected, line in zip(example.expected, actual, strict=True):
            assert matches(expected, line), f"{where}\nexpected: {expected}\nprinted:  {line}"


def test_the_docs_build_offline_without_a_warning(tmp_path: Path) -> None:
    build = ["-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(tmp_path / "html")]
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *build],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "html" / "cli.html").is_file()


def test_the_version_is_the_newest_entry_of_the_changelog() -> None:
    from newsmon import __version__

    entries = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", (ROOT / "CHANGELOG.md").read_text(), re.M)
    assert entries, "CHANGELOG.md has no released entry"
    assert entries[0] == __version__


def test_the_latest_results_are_the_newest_file_of_each_benchmark(tmp_path: Path) -> None:
    sys.path.insert(0, str(DOCS / "_ext"))
    try:
        import newsmon_docs
    finally:
        sys.path.remove(str(DOCS / "_ext"))
    written = {
        "extraction-20261207-round9.md": "2026-12-07T01:00:00+00:00",
        "extraction-20261207-round13-final.md": "2026-12-07T11:30:00+00:00",
        "extraction-20261206.md": "2026-12-06T23:00:00+00:00",
        "stories-20261207-round9-separation.md": "2026-12-07T10:40:00+00:00",
        "stories-semeval8-20261207-round8-languages.md": "2026-12-07T08:29:09+00:00",
        "stories-semeval8-20261207-round9-separation.md": "2026-12-07T10:37:00+00:00",
        "notes.md": "2026-12-08T00:00:00+00:00",
    }
    for name, stamp in written.items():
        (tmp_path / name).write_text(f"# A benchmark — {stamp}\n", encoding="utf-8")

    latest = [path.name for path in newsmon_docs.latest_results(tmp_path)]

    assert latest == [
        "extraction-20261207-round13-final.md",
        "stories-20261207-round9-separation.md",
        "stories-semeval8-20261207-round9-separation.md",
    ]
