"""The `newsmon` command: a thin layer over the library; each command calls one function."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from newsmon import __version__
from newsmon.crawl import CrawlError, CrawlSummary, available_spiders, crawl
from newsmon.fixtures import FixtureError
from newsmon.store import Store, StoreError, default_db_path, queries

F = TypeVar("F", bound=Callable[..., Any])


def db_option(function: F) -> F:
    """`--db PATH`, defaulting to `NEWSMON_DB` or `./newsmon.db`."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False),
        default=default_db_path,
        show_default="$NEWSMON_DB or ./newsmon.db",
        help="The SQLite store.",
    )(function)


def json_option(function: F) -> F:
    """`--json`: one JSON object a line instead of a table."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON Lines.")(function)


def open_store(db_path: str) -> Store:
    """Open the store or exit with `Error: …`."""
    try:
        return Store.open(db_path)
    except StoreError as error:
        raise click.ClickException(str(error)) from error


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsmon")
def cli() -> None:
    """newsmon: tells you each time a headline of a story you follow appears somewhere new.

    Crawl news sites (live, or replaying saved pages), keep every appearance of every headline in
    a SQLite store, group reports of one event into stories, and match them against watches.

    Example: newsmon crawl --replay seeds
    """


@cli.command(name="crawl")
@click.argument("spiders", nargs=-1)
@click.option(
    "--replay",
    type=click.Path(file_okay=False),
    help="Serve every page from this fixture directory (no network).",
)
@click.option(
    "--log", "log_file", type=click.Path(dir_okay=False), help="Write Scrapy's log to this file."
)
@click.option("-v", "--verbose", is_flag=True, help="Log at INFO level instead of WARNING.")
@db_option
@json_option
def crawl_command(
    spiders: Sequence[str],
    replay: str | None,
    log_file: str | None,
    verbose: bool,
    db_path: str,
    as_json: bool,
) -> None:
    """Crawl SPIDERS (default: all) into the store and print a summary per source.

    Exits 1 when every source failed.

    Example: newsmon crawl report_az --replay seeds --db demo.db
    """
    try:
        summary = crawl(
            db_path,
            list(spiders),
            replay=replay,
            log_file=log_file,
            log_level="INFO" if verbose else "WARNING",
        )
    except (CrawlError, FixtureError, StoreError) as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(summary.to_json(), sort_keys=True))
    else:
        click.echo(format_summary(summary))
    if summary.status == "failed":
        sys.exit(1)


@cli.command(name="spiders")
def spiders_command() -> None:
    """List the spiders `newsmon crawl` can run.

    Example: newsmon spiders
    """
    for name in available_spiders():
        click.echo(name)


@cli.command(name="appearances")
@click.option("--new", "new_only", is_flag=True, help="Only those first seen in the latest crawl.")
@click.option("--source", help="Only this source.")
@click.option("--limit", type=int, default=None, help="At most this many.")
@db_option
@json_option
def appearances_command(
    new_only: bool, source: str | None, limit: int | None, db_path: str, as_json: bool
) -> None:
    """List appearances of headlines, newest first.

    Example: newsmon appearances --new --json
    """
    store = open_store(db_path)
    crawl_id = queries.latest_crawl_id(store) if new_only else None
    if new_only and crawl_id is None:
        return
    rows = queries.appearances(store, crawl_id=crawl_id, source=source, limit=limit)
    echo_rows(rows, as_json, ["first_seen", "source", "context", "title", "page_url"])


@cli.command(name="sources")
@db_option
@json_option
def sources_command(db_path: str, as_json: bool) -> None:
    """List the sources in the store with their counts.

    Example: newsmon sources
    """
    rows = queries.sources(open_store(db_path))
    echo_rows(rows, as_json, ["id", "name", "kind", "articles", "appearances", "last_crawl"])


@cli.command(name="ingest")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@db_option
def ingest_command(file: Any, db_path: str) -> None:
    """Store JSON Lines items from FILE (or - for standard input) as one crawl run.

    Each line needs at least `url` and `title`; `source`, `published_at`, `lead`, `body`,
    `lang`, `context` and `page_url` are used when present. Bad lines are reported by number
    and skipped.

    Example: scrapy crawl report_az -O items.jsonl && newsmon ingest items.jsonl
    """
    from newsmon.ingest import ingest

    store = open_store(db_path)
    result = ingest(store, file, source_name=getattr(file, "name", "-"))
    for number, reason in result.skipped:
        click.echo(f"line {number}: skipped: {reason}", err=True)
    click.echo(
        f"crawl {result.crawl_id} (ingest): {result.items} items from {result.lines} lines, "
        f"{result.new_headlines} new headlines, {result.new_appearances} new appearances, "
        f"{len(result.skipped)} lines skipped"
    )


@cli.command(name="stories")
@click.option("--since", help="Only stories seen since this ISO 8601 date/time.")
@click.option("--source", help="Only stories with an article from this source.")
@click.option("--watch", help="Only stories this watch matched.")
@db_option
@json_option
def stories_command(
    since: str | None, source: str | None, watch: str | None, db_path: str, as_json: bool
) -> None:
    """List stories: reports of one event from all sources and languages.

    Example: newsmon stories --json
    """
    rows = queries.stories(open_store(db_path), since=since, source=source, watch=watch)
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, sort_keys=True))
        return
    for row in rows:
        row["members"] = len(row["members"])
        row["sources"] = ",".join(row["sources"])
        row["languages"] = ",".join(row["languages"])
    click.echo(
        format_table(
            rows, ["id", "last_seen", "members", "appearances", "sources", "languages", "title"]
        )
    )


@cli.group(name="watch")
def watch_group() -> None:
    """Manage watches: named queries for the stories you follow (kept in the store).

    Example: newsmon watch add defense '{azerbaijan*|azərbaycan*} AND {turkey|türkiye}'
    """


@watch_group.command(name="add")
@click.argument("name")
@click.argument("query")
@click.option("--replace", is_flag=True, help="Change the watch if it exists.")
@click.option("--alert-moves", is_flag=True, help="Also alert when an article moves to a new URL.")
@db_option
def watch_add(name: str, query: str, replace: bool, alert_moves: bool, db_path: str) -> None:
    """Add the watch NAME with the boolean QUERY.

    Example: newsmon watch add defense '"defense industry" AND {turkey|türkiye}'
    """
    from newsmon.watches import WatchError, add_watch

    try:
        watch = add_watch(
            open_store(db_path), name, query, {"alert_moves": alert_moves}, replace=replace
        )
    except WatchError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"watch {watch.name}: {watch.query.text}")


@watch_group.command(name="list")
@db_option
@json_option
def watch_list(db_path: str, as_json: bool) -> None:
    """List the watches.

    Example: newsmon watch list
    """
    from newsmon.watches import list_watches

    rows = [watch.to_json() for watch in list_watches(open_store(db_path))]
    echo_rows(rows, as_json, ["name", "query", "created_at"])


@watch_group.command(name="show")
@click.argument("name")
@db_option
@json_option
def watch_show(name: str, db_path: str, as_json: bool) -> None:
    """Show a watch and the stories it matched.

    Example: newsmon watch show defense
    """
    from newsmon.watches import WatchError, get_watch

    store = open_store(db_path)
    try:
        watch = get_watch(store, name)
    except WatchError as error:
        raise click.ClickException(str(error)) from error
    matched = queries.stories(store, watch=name)
    if as_json:
        click.echo(
            json.dumps({**watch.to_json(), "stories": matched}, ensure_ascii=False, sort_keys=True)
        )
        return
    click.echo(
        f"watch {watch.name}\nquery: {watch.query.text}\noptions: "
        f"{json.dumps(watch.options, sort_keys=True)}\nstories: {len(matched)}"
    )
    for story in matched:
        click.echo(
            f"  #{story['id']} {story['title']} ({len(story['members'])} headlines, "
            f"{story['appearances']} appearances)"
        )


@watch_group.command(name="rm")
@click.argument("name")
@db_option
def watch_rm(name: str, db_path: str) -> None:
    """Remove a watch (with its matches and pending alerts).

    Example: newsmon watch rm defense
    """
    from newsmon.watches import WatchError, remove_watch

    try:
        remove_watch(open_store(db_path), name)
    except WatchError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"removed watch {name}")


@watch_group.command(name="backfill")
@click.argument("name")
@db_option
def watch_backfill(name: str, db_path: str) -> None:
    """Run the watch NAME over everything already stored.

    Example: newsmon watch backfill defense
    """
    from newsmon.watches import WatchError, backfill_watch

    try:
        created = backfill_watch(open_store(db_path), name)
    except WatchError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"watch {name}: {created} new related appearances")


@watch_group.command(name="import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@db_option
def watch_import(path: str, db_path: str) -> None:
    """Add or update the watches of a TOML file (`[watches.NAME]` with `query = "…"`).

    Example: newsmon watch import watches.example.toml
    """
    from newsmon.watches import WatchError, import_watches

    try:
        imported = import_watches(open_store(db_path), path)
    except WatchError as error:
        raise click.ClickException(str(error)) from error
    for watch in imported:
        click.echo(f"watch {watch.name}: {watch.query.text}")


@cli.command(name="match")
@click.argument("query", required=False)
@click.option("--watch", "watch_name", help="Use this stored watch's query.")
@db_option
def match_command(query: str | None, watch_name: str | None, db_path: str) -> None:
    """Test a QUERY (or a stored --watch) on headlines read from standard input.

    Input: one headline a line, or JSON Lines with a `title` (and optional `lead`, `body`).
    Output: one JSON object a line: the headline, `related`, and the terms that matched.

    Example: echo "Azerbaijan, Türkiye discuss defense" | newsmon match 'azerbaijan türkiye'
    """
    from newsmon.watches import WatchError, compile_query, get_watch

    if (query is None) == (watch_name is None):
        raise click.UsageError("give either QUERY or --watch NAME")
    try:
        compiled = (
            compile_query(query)
            if query is not None
            else get_watch(open_store(db_path), watch_name or "").query
        )
    except WatchError as error:
        raise click.ClickException(str(error)) from error
    for line in click.get_text_stream("stdin"):
        if not line.strip():
            continue
        fields = _headline_fields(line)
        found = compiled.match(fields)
        click.echo(
            json.dumps(
                {
                    "title": fields.get("title"),
                    "related": found is not None,
                    "terms": list(found.terms) if found else [],
                    "fields": list(found.fields) if found else [],
                },
                ensure_ascii=False,
            )
        )


@cli.command(name="new")
@click.option("--watch", "watch_name", help="Only this watch.")
@click.option("--since", help="Since a crawl id or an ISO 8601 time (does not mark anything).")
@click.option(
    "--output",
    default="terminal",
    show_default=True,
    help="The name under which what was reported is remembered.",
)
@db_option
@json_option
def new_command(
    watch_name: str | None, since: str | None, output: str, db_path: str, as_json: bool
) -> None:
    """List related appearances not reported before (then remember them as reported).

    Example: newsmon new --watch defense --json
    """
    from newsmon.alerts import (
        AlertError,
        Since,
        event_json,
        events_since,
        format_event,
        mark_reported,
        new_events,
    )

    store = open_store(db_path)
    try:
        events = (
            events_since(store, Since.parse(since), watch=watch_name)
            if since
            else new_events(store, output, watch=watch_name)
        )
    except AlertError as error:
        raise click.ClickException(str(error)) from error
    for event in events:
        click.echo(
            json.dumps(event_json(event), ensure_ascii=False, sort_keys=True)
            if as_json
            else format_event(event)
        )
    if not since:
        mark_reported(store, output, events)


@cli.command(name="feed")
@click.argument("watch_name")
@click.option(
    "-o",
    "--output",
    "path",
    required=True,
    type=click.Path(dir_okay=False),
    help="The Atom file to write.",
)
@db_option
def feed_command(watch_name: str, path: str, db_path: str) -> None:
    """Write an Atom feed of the latest related appearances of a watch.

    Example: newsmon feed defense -o defense.xml
    """
    from newsmon.alerts import write_atom
    from newsmon.watches import WatchError, get_watch

    store = open_store(db_path)
    try:
        get_watch(store, watch_name)
    except WatchError as error:
        raise click.ClickException(str(error)) from error
    count = write_atom(store, watch_name, path)
    click.echo(f"{path}: {count} entries")


def _headline_fields(line: str) -> dict[str, str | None]:
    text = line.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict):
            return {
                key: data[key]
                for key in ("title", "lead", "body")
                if isinstance(data.get(key), str)
            }
    return {"title": text}


def echo_rows(rows: list[dict[str, Any]], as_json: bool, columns: list[str]) -> None:
    """Print rows as JSON Lines or as an aligned table of `columns`."""
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False, sort_keys=True))
        return
    click.echo(format_table([{name: row.get(name) for name in columns} for row in rows], columns))


def format_table(
    rows: list[dict[str, Any]], columns: list[str], max_width: int | None = None
) -> str:
    """An aligned text table that fits the terminal width (long cells are cut with `…`)."""
    import shutil

    width = max_width or shutil.get_terminal_size((120, 24)).columns
    cells = [[_cell(row.get(name)) for name in columns] for row in rows]
    widths = [max([len(name)] + [len(line[i]) for line in cells]) for i, name in enumerate(columns)]
    excess = sum(widths) + 2 * (len(widths) - 1) - width
    while excess > 0 and max(widths) > 8:
        widest = widths.index(max(widths))
        cut = min(excess, widths[widest] - 8)
        widths[widest] -= cut
        excess -= cut
    lines = [_line(columns, widths), _line(["-" * w for w in widths], widths)]
    lines += [_line(line, widths) for line in cells]
    return "\n".join(lines)


def format_summary(summary: CrawlSummary) -> str:
    """The crawl summary table and its totals line."""
    columns = [
        "source",
        "pages",
        "missing",
        "errors",
        "articles",
        "headlines",
        "new_headlines",
        "new_appearances",
        "status",
    ]
    table = format_table([vars(source) for source in summary.sources], columns)
    totals = ", ".join(
        f"{summary.total(name)} {name.replace('_', ' ')}"
        for name in ("pages", "headlines", "new_headlines", "new_appearances", "errors")
    )
    return f"crawl {summary.crawl_id} ({summary.mode}): {summary.status}\n{table}\ntotal: {totals}"


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _line(values: list[str], widths: list[int]) -> str:
    return "  ".join(
        (value if len(value) <= width else value[: width - 1] + "…").ljust(width)
        for value, width in zip(values, widths, strict=True)
    ).rstrip()


def main() -> None:
    """Console-script entry point."""
    cli()
