"""The command starts without loading what it does not need (timings: benchmarks/startup.py)."""

from __future__ import annotations

import importlib
import sqlite3
import subprocess
import sys
from contextlib import closing

import click
import pytest

from newsmon.cli.base import COMMANDS, cli
from newsmon.store import Store
from newsmon.store.schema import MIGRATIONS
from tests.helpers import ROOT, newsmon

HEAVY = ("scrapy", "twisted", "trafilatura", "lingua", "parsel", "lxml", "feedparser")
# sqlite-utils loads numpy, which alone takes most of a reading command's start-up: only a
# migration or a write through sqlite-utils' API needs it.
STORE_LIBRARIES = ("sqlite_utils", "numpy", "datasketch")

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


def run_listing_imports(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """The result of `newsmon ARGS` and the top-level packages the command had imported."""
    result = subprocess.run(
        [sys.executable, "-c", IMPORTED, *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        input="Azerbaijan and Türkiye discuss defense\n",
        check=False,
    )
    return result, set(result.stderr.splitlines()[-1].split())


def imported_packages(*args: str) -> set[str]:
    return run_listing_imports(*args)[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A real store: the example watches and a replay crawl of the seeds."""
    path = str(tmp_path_factory.mktemp("startup") / "n.db")
    for args in (("watch", "import", "watches.example.toml"), ("crawl", "--replay", "seeds")):
        result = newsmon(*args, "--db", path)
        assert result.returncode == 0, result.stderr
    return path


# `new` first, while it has appearances to report (and to mark as reported: a write).
@pytest.mark.parametrize(
    "args",
    [
        ("new",),
        ("new", "--since", "0"),
        ("appearances",),
        ("stories",),
        ("match", "azerbaijan AND defense"),
    ],
    ids=lambda args: " ".join(args),
)
def test_commands_reading_the_store_load_no_crawler_parser_detector_or_sqlite_utils(
    args, db
) -> None:
    result, imported = run_listing_imports(*args, "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip(), "the command printed nothing: the store is not a real one"
    assert imported & {*HEAVY, *STORE_LIBRARIES} == set()


def test_a_store_with_a_pending_migration_is_still_migrated_when_opened(tmp_path) -> None:
    path = tmp_path / "n.db"
    Store.open(path).close()
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.execute("DROP INDEX events_story")
        connection.execute("DELETE FROM _sqlite_migrations WHERE name = '0009_events_by_story'")
    result, imported = run_listing_imports("appearances", "--db", str(path))
    assert result.returncode == 0, result.stderr
    assert "sqlite_utils" in imported
    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'events_story'"
        ).fetchone()
    with Store.open(path) as store:  # every migration applied (the mended one last)
        assert sorted(store.schema_version()) == sorted(MIGRATIONS.names)


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
