"""The command starts without loading what it does not need (timings: benchmarks/startup.py)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import click
import pytest

from newsmon.cli.base import COMMANDS, cli
from newsmon.store import Store
from tests.helpers import ROOT, newsmon

HEAVY = ("scrapy", "twisted", "trafilatura", "lingua", "parsel", "lxml", "feedparser")

# Runs the command as `newsmon` does, then prints the top-level packages it had imported.
IMPORTED = """
import sys
from newsmon.cli import main
try:
    main()
except SystemExit:
    pass
print(" ".join(sorted({name.split(".")[0] for name in sys.modules})), file=sys.stderr)
"""


def imported_packages(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", IMPORTED, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        input="Azerbaijan and Türkiye discuss defense\n",
        check=False,
    )
    return set(result.stderr.splitlines()[-1].split())


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("startup") / "n.db")
    Store.open(path).close()
    return path


@pytest.mark.parametrize(
    "args",
    [("new",), ("appearances",), ("stories",), ("match", "azerbaijan AND defense")],
    ids=lambda args: " ".join(args),
)
def test_commands_reading_the_store_load_no_crawler_parser_or_language_detector(args, db) -> None:
    assert imported_packages(*args, "--db", db) & set(HEAVY) == set()


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("crawl", "--help")])
def test_version_and_help_load_neither_the_crawler_nor_the_store(args) -> None:
    assert imported_packages(*args) & {*HEAVY, "sqlite_utils", "numpy"} == set()


def test_help_lists_every_command_with_its_short_help() -> None:
    result = newsmon("--help")
    assert result.returncode == 0, result.stderr
    listed = result.stdout.split("Commands:\n", 1)[1].splitlines()
    assert [line.split()[0] for line in listed] == sorted(COMMANDS)
    assert "  new          List related appearances not reported before (then..." in listed
    assert "  crawl        Crawl SPIDERS (default: every enabled source) into the..." in listed


def test_every_command_the_cli_modules_define_is_in_the_group() -> None:
    defined = set()
    for path in (ROOT / "newsmon" / "cli").glob("*.py"):
        module = importlib.import_module(f"newsmon.cli.{path.stem}")
        commands = [value for value in vars(module).values() if isinstance(value, click.Command)]
        subcommands = [sub for group in commands for sub in getattr(group, "commands", {}).values()]
        defined |= {command.name for command in commands if command not in subcommands}
    defined.discard("cli")
    assert defined == set(COMMANDS)
    context = click.Context(cli)
    assert {name: cli.get_command(context, name).name for name in COMMANDS} == {  # type: ignore[union-attr]
        name: name for name in COMMANDS
    }
