"""The `newsmon` group and what its commands share: options, store opening, output."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from newsmon import __version__
from newsmon.normalize.text import json_line, printable
from newsmon.ops.output_files import OutputError
from newsmon.settings_table import SettingError

if TYPE_CHECKING:
    from newsmon.store import Store

F = TypeVar("F", bound=Callable[..., Any])


def db_option(function: F) -> F:
    """`--db PATH`, defaulting to `NEWSMON_DB` or `./newsmon.db`."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(),  # the store says in one line what is wrong with a directory
        default=_default_db_path,
        show_default="$NEWSMON_DB or ./newsmon.db",
        help="The SQLite store.",
    )(function)


def json_option(function: F) -> F:
    """`--json`: one JSON object a line instead of a table."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON Lines.")(function)


def settings_option(function: F) -> F:
    """`-s NAME=VALUE` (repeatable): a Scrapy or newsmon setting for this run."""

    def to_dict(
        context: click.Context, parameter: click.Parameter, values: tuple[str, ...]
    ) -> dict[str, str]:
        settings = {}
        for value in values:
            name, equals, setting = value.partition("=")
            if not equals or not name:
                raise click.BadParameter(f"{value!r}: expected NAME=VALUE", context, parameter)
            settings[name] = setting
        return settings

    return click.option(
        "-s",
        "--set",
        "settings",
        multiple=True,
        callback=to_dict,
        metavar="NAME=VALUE",
        help="Set a Scrapy or newsmon setting for this run (repeatable), e.g. -s DOWNLOAD_DELAY=2.",
    )(function)


def _default_db_path() -> str:
    # The store module (and SQLite's helpers) is imported only by a command that runs.
    from newsmon.store import default_db_path

    return default_db_path()


def open_store(db_path: str, *, create: bool = False) -> Store:
    """Open the store or exit with `Error: …`.

    Only commands that write new data (`create`) make a missing store: one that only reads
    refuses a mistyped path instead of leaving an empty store behind it.
    """
    from newsmon.store import Store, StoreError

    try:
        return Store.open(db_path, create=create)
    except StoreError as error:
        raise click.ClickException(str(error)) from error


@contextmanager
def output_errors() -> Iterator[None]:
    """A file that cannot be written (`OutputError`) ends the command with `Error: …`."""
    try:
        yield
    except OutputError as error:
        raise click.ClickException(str(error)) from error


# Each command and the module defining it, imported only when the command runs or is listed:
# `newsmon --version` and commands that only read the store start without loading Scrapy.
COMMANDS = {
    "appearances": "newsmon.cli.inspect:appearances_command",
    "crawl": "newsmon.cli.crawl:crawl_command",
    "cron": "newsmon.cli.run:cron_command",
    "export": "newsmon.cli.report:export_command",
    "extract": "newsmon.cli.extract:extract_command",
    "feed": "newsmon.cli.watch:feed_command",
    "fixtures": "newsmon.cli.fixtures:fixtures_group",
    "health": "newsmon.cli.run:health_command",
    "history": "newsmon.cli.history:history_command",
    "ingest": "newsmon.cli.ingest:ingest_command",
    "match": "newsmon.cli.watch:match_command",
    "new": "newsmon.cli.watch:new_command",
    "report": "newsmon.cli.report:report_command",
    "run": "newsmon.cli.run:run_command",
    "schedule": "newsmon.cli.run:schedule_command",
    "search": "newsmon.cli.report:search_command",
    "sources": "newsmon.cli.sources:sources_command",
    "spider": "newsmon.cli.fixtures:spider_group",
    "spiders": "newsmon.cli.crawl:spiders_command",
    "stories": "newsmon.cli.stories:stories_group",
    "watch": "newsmon.cli.watch:watch_group",
    "worker": "newsmon.cli.distributed:worker_command",
    "writer": "newsmon.cli.distributed:writer_command",
}


class NewsmonGroup(click.Group):
    """The `newsmon` group: loads a command's module only when the command is needed
    (click's lazy group), and ends a command with `Error: …` when its settings do not fit or
    the store fails in its middle (disk full, damaged file)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, _, name = COMMANDS[cmd_name].partition(":")
        command = getattr(importlib.import_module(module), name)
        assert isinstance(command, click.Command), COMMANDS[cmd_name]
        return command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SettingError as error:
            raise click.ClickException(str(error)) from error
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # how click ends --help, usage errors and Ctrl-C
        except Exception as error:
            from newsmon.store import StoreError

            if isinstance(error, StoreError):
                raise click.ClickException(str(error)) from error
            raise


@click.group(cls=NewsmonGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsmon")
def cli() -> None:
    """newsmon: tells you each time a headline of a story you follow appears somewhere new.

    Crawl news sites (live, or replaying saved pages), keep every appearance of every headline in
    a SQLite store, group reports of one event into stories, and match them against watches.

    Example: newsmon crawl --replay seeds
    """


def echo_rows(rows: list[dict[str, Any]], as_json: bool, columns: list[str]) -> None:
    """Print rows as JSON Lines or as an aligned table of `columns`."""
    if as_json:
        for row in rows:
            click.echo(json_line(row))
        return
    click.echo(format_table([{name: row.get(name) for name in columns} for row in rows], columns))


def format_table(
    rows: list[dict[str, Any]], columns: list[str], max_width: int | None = None
) -> str:
    """An aligned text table that fits the terminal width (long cells are cut with `…`).

    Output that goes to a file, a pipe or cron mail is not cut, unless COLUMNS asks for a width.
    Widths are those shown on a terminal: CJK characters and emoji take two columns,
    combining marks none; line breaks and tabs inside a cell become spaces, other control
    characters and bidirectional overrides are removed.
    """
    width = max_width or _output_width()
    cells = [[_cell(row.get(name)) for name in columns] for row in rows]
    widths = [
        max([text_width(name)] + [text_width(line[i]) for line in cells])
        for i, name in enumerate(columns)
    ]
    excess = sum(widths) + 2 * (len(widths) - 1) - width
    while excess > 0 and max(widths) > 8:
        widest = widths.index(max(widths))
        cut = min(excess, widths[widest] - 8)
        widths[widest] -= cut
        excess -= cut
    lines = [_line(columns, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(line, widths) for line in cells]
    return "\n".join(lines)


def _output_width() -> int:
    """The terminal's width, COLUMNS when set, and no limit when output is not a terminal."""
    if "COLUMNS" not in os.environ and not sys.stdout.isatty():
        return sys.maxsize
    return shutil.get_terminal_size((120, 24)).columns


def text_width(text: str) -> int:
    """How many terminal columns `text` takes (wide characters 2, combining marks 0)."""
    return sum(_char_width(char) for char in text)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or char in "\u200b\u200c\u200d\u200e\u200f\ufe0f":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _cell(value: Any) -> str:
    return printable(value)


def _fit(text: str, width: int) -> str:
    """`text` cut to `width` columns (ending in `…` when cut), padded to exactly `width`."""
    if text_width(text) > width:
        kept, used = [], 0
        for char in text:
            if used + _char_width(char) > width - 1:
                break
            kept.append(char)
            used += _char_width(char)
        text = "".join(kept) + "…"
    return text + " " * (width - text_width(text))


def _line(values: list[str], widths: list[int]) -> str:
    return "  ".join(
        _fit(value, width) for value, width in zip(values, widths, strict=True)
    ).rstrip()
