"""Inspecting the store: `search`, `export`, `report`."""

from __future__ import annotations

from typing import Any

import click

from newsmon.cli.base import db_option, json_option, open_store, output_errors
from newsmon.inspect.export import COLUMNS, FORMATS
from newsmon.inspect.search import DEFAULT_LIMIT
from newsmon.normalize.text import json_line, printable
from newsmon.ops.output_files import replace_atomically


@click.command(name="search")
@click.argument("query")
@click.option("--watch", help="Only stories this watch matched.")
@click.option("--source", help="Only articles of this source (its id).")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=DEFAULT_LIMIT,
    show_default=True,
    help="At most this many.",
)
@db_option
@json_option
def search_command(
    query: str, watch: str | None, source: str | None, limit: int, db_path: str, as_json: bool
) -> None:
    """Full-text search of headlines and article text, best match first.

    QUERY is SQLite FTS5 syntax: words (all must match), "a phrase", prefix*, OR, NOT,
    NEAR(a b, 5), column filters title:, lead:, body:. Case and accents are ignored.

    Example: newsmon search 'drone* AND (turkiye OR ankara)' --watch drones
    """
    from newsmon.inspect.report import short_time
    from newsmon.inspect.search import SearchError, search

    store = open_store(db_path)
    try:
        results = search(store, query, watch=watch, source=source, limit=limit)
    except SearchError as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        for result in results:
            click.echo(json_line(result))
        return
    if not results:
        click.echo(f"no matches for {query!r}", err=True)
    for result in results:
        click.echo(
            f"{result['rank']}. {printable(result['title'])}\n"
            f"   {printable(result['source'])} · story {result['story']} · first seen "
            f"{short_time(result['first_seen'])} · {printable(result['url'])}\n"
            f"   {_one_line(result['snippet'])}"
        )


@click.command(name="export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS))
@click.argument("kind", metavar="WHAT", type=click.Choice(list(COLUMNS)))
@click.option("--watch", help="Only stories this watch matched (and their appearances).")
@click.option(
    "--since",
    help="Only stories seen / appearances first seen since this crawl (its id) or ISO 8601 "
    "date or date/time (UTC unless it has an offset).",
)
@click.option(
    "-o",
    "--output",
    "path",
    default="-",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write to this file (replaced only once complete) instead of standard output.",
)
@db_option
def export_command(
    fmt: str, kind: str, watch: str | None, since: str | None, path: str, db_path: str
) -> None:
    """Export stories or appearances (newest first) as CSV, JSON or JSON Lines.

    FORMAT is csv (with a header; lists comma-separated), json (one array) or jsonl (one
    object a line); WHAT is stories or appearances. Rows are streamed, not held in memory.

    Example: newsmon export csv appearances --watch drones --since 2026-03-01 -o drones.csv
    """
    from newsmon.inspect.export import ExportError, export_records, write_records
    from newsmon.store.since import SinceError, parse_since

    store = open_store(db_path)
    try:
        moment = parse_since(store, since).moment if since else None
        records = export_records(store, kind, watch=watch, since=moment)
    except (ExportError, SinceError) as error:
        raise click.ClickException(str(error)) from error
    if path == "-":
        with click.open_file("-", "w", encoding="utf-8") as out:
            write_records(records, fmt, COLUMNS[kind], out)
        return
    with output_errors(), replace_atomically(path) as out:
        count = write_records(records, fmt, COLUMNS[kind], out)
    click.echo(f"{path}: {count} {kind}")


@click.command(name="report")
@click.option("--watch", help="The stories this watch matched.")
@click.option("--story", "story_id", type=int, help="Only this story (its id).")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="At most this many stories (the most recently seen).",
)
@click.option(
    "-o",
    "--output",
    "path",
    required=True,
    type=click.Path(dir_okay=False),
    help="The HTML file to write.",
)
@db_option
def report_command(
    watch: str | None, story_id: int | None, limit: int, path: str, db_path: str
) -> None:
    """Write a self-contained HTML report: per story, a timeline of where and when it appeared.

    Without --watch or --story: the stories any watch matched (every story when the store
    has no watch). The file makes no network request; open it in any browser.

    Example: newsmon report --watch drones -o drones.html
    """
    from newsmon.inspect.report import ReportError, build_report, render_report

    store = open_store(db_path)
    try:
        report = build_report(store, watch=watch, story_id=story_id, limit=limit)
    except ReportError as error:
        raise click.ClickException(str(error)) from error
    with output_errors(), replace_atomically(path) as out:
        out.write(render_report(report))
    click.echo(f"{path}: {_count(report.stories, 'story', 'stories')}, {report.marks} marks")


def _one_line(text: Any) -> str:
    return " ".join(printable(text).split())


def _count(items: list[Any], one: str, many: str) -> str:
    return f"{len(items)} {one if len(items) == 1 else many}"
