"""Watches and alerts: `watch …`, `match`, `new`, `feed`."""

from __future__ import annotations

import io
import json
import sys

import click

from newsmon.cli.base import db_option, echo_rows, json_option, open_store, output_errors
from newsmon.normalize.text import json_line, printable


@click.group(name="watch")
def watch_group() -> None:
    """Manage watches: named queries for the stories you follow (kept in the store).

    Example: newsmon watch add defense '{azerbaijan*|azərbaycan*} AND {turkey|türkiye}'
    """


@watch_group.command(name="add")
@click.argument("name")
@click.argument("query")
@click.option("--replace", is_flag=True, help="Change the watch if it exists.")
@click.option(
    "--alert-moves/--no-alert-moves",
    default=None,
    help="Also alert when an article moves to a new URL (default: no; --replace keeps it).",
)
@click.option(
    "--webhook",
    metavar="URL",
    help="POST new related appearances to this http(s) URL ('' for none; --replace keeps it). "
    "user:password@ in it is sent as Basic auth.",
)
@db_option
def watch_add(
    name: str,
    query: str,
    replace: bool,
    alert_moves: bool | None,
    webhook: str | None,
    db_path: str,
) -> None:
    """Add the watch NAME with the boolean QUERY.

    Example: newsmon watch add defense '"defense industry" AND {turkey|türkiye}'
    """
    from newsmon.watch.watches import WatchError, add_watch

    options: dict[str, object] = {}
    if alert_moves is not None:
        options["alert_moves"] = alert_moves
    if webhook is not None:
        options["webhook"] = webhook or None
    try:
        watch = add_watch(open_store(db_path, create=True), name, query, options, replace=replace)
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
    from newsmon.watch.watches import list_watches

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
    from newsmon.store import queries
    from newsmon.watch.watches import WatchError, get_watch

    store = open_store(db_path)
    try:
        watch = get_watch(store, name)
    except WatchError as error:
        raise click.ClickException(str(error)) from error
    matched = queries.stories(store, watch=name)
    if as_json:
        click.echo(json_line({**watch.to_json(), "stories": matched}))
        return
    click.echo(
        f"watch {watch.name}\nquery: {watch.query.text}\noptions: "
        f"{json.dumps(watch.options, sort_keys=True)}\nstories: {len(matched)}"
    )
    for story in matched:
        click.echo(
            f"  #{story['id']} {printable(story['title'])} ({len(story['members'])} headlines, "
            f"{story['appearances']} appearances)"
        )


@watch_group.command(name="rm")
@click.argument("name")
@db_option
def watch_rm(name: str, db_path: str) -> None:
    """Remove a watch (with its matches and pending alerts).

    Example: newsmon watch rm defense
    """
    from newsmon.watch.watches import WatchError, remove_watch

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
    from newsmon.ops.progress import Progress
    from newsmon.watch.watches import WatchError, backfill_watch

    try:
        with Progress(f"backfill {name}", "texts") as progress:
            created = backfill_watch(open_store(db_path), name, progress=progress)
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
    from newsmon.watch.watches import WatchError, import_watches

    try:
        imported = import_watches(open_store(db_path, create=True), path)
    except WatchError as error:
        raise click.ClickException(str(error)) from error
    for watch in imported:
        click.echo(f"watch {watch.name}: {watch.query.text}")


@click.command(name="match")
@click.argument("query", required=False)
@click.option("--watch", "watch_name", help="Use this stored watch's query.")
@db_option
def match_command(query: str | None, watch_name: str | None, db_path: str) -> None:
    """Test a QUERY (or a stored --watch) on headlines read from standard input.

    Input: one headline a line, or JSON Lines with a `title` (and optional `lead`, `body`).
    Output: one JSON object a line: the headline, `related`, and the terms that matched.

    Example: echo "Azerbaijan, Türkiye discuss defense" | newsmon match 'azerbaijan türkiye'
    """
    from newsmon.watch.query import Query
    from newsmon.watch.watches import WatchError, compile_query, get_watch

    if (query is None) == (watch_name is None):
        raise click.UsageError("give either QUERY or --watch NAME")
    try:
        compiled: Query = (
            compile_query(query)
            if query is not None
            else get_watch(open_store(db_path), watch_name or "").query
        )
    except WatchError as error:
        raise click.ClickException(str(error)) from error
    # Undecodable bytes become U+FFFD: one bad line must not stop the others being matched.
    for line in io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace"):
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


@click.command(name="new")
@click.option("--watch", "watch_name", help="Only this watch.")
@click.option(
    "--since",
    help="After this crawl (its id; 0: all) or since this ISO 8601 date or date/time "
    "(does not mark anything).",
)
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

    One line per headline per source and run, with the places it was seen in
    (`feed, listing, article, latest`); with --json, one object per such line, whose
    `appearances` list each related appearance.

    Example: newsmon new --watch defense --json
    """
    from newsmon.store.since import SinceError, parse_since
    from newsmon.watch.alerts import (
        alert_json,
        events_since,
        format_alert,
        group_alerts,
        mark_reported,
        new_events,
    )
    from newsmon.watch.watches import WatchError, get_watch

    store = open_store(db_path)
    try:
        if watch_name is not None:
            get_watch(store, watch_name)
        events = (
            events_since(store, parse_since(store, since), watch=watch_name)
            if since
            else new_events(store, output, watch=watch_name)
        )
    except (SinceError, WatchError) as error:
        raise click.ClickException(str(error)) from error
    for alert in group_alerts(events):
        click.echo(json_line(alert_json(alert)) if as_json else format_alert(alert))
    if not since:
        mark_reported(store, output, events)


@click.command(name="feed")
@click.argument("watch_name")
@click.option(
    "-o",
    "--output",
    "path",
    required=True,
    type=click.Path(dir_okay=False),
    help="The Atom file to write.",
)
@click.option(
    "--url",
    "self_url",
    metavar="URL",
    help='The address the feed is served at (its rel="self" link), e.g. '
    "https://example.org/feeds/defense.xml.",
)
@db_option
def feed_command(watch_name: str, path: str, self_url: str | None, db_path: str) -> None:
    """Write an Atom feed of the latest related appearances of a watch.

    One entry per headline per source and run, as `newsmon new` prints them.

    Example: newsmon feed defense -o defense.xml --url https://example.org/feeds/defense.xml
    """
    from newsmon.watch.alerts import http_url_problem, write_atom
    from newsmon.watch.watches import WatchError, get_watch

    problem = self_url is not None and http_url_problem(self_url)
    if problem:
        raise click.ClickException(f"--url {self_url!r}: {problem} (the feed's own address)")
    store = open_store(db_path)
    try:
        get_watch(store, watch_name)
    except WatchError as error:
        raise click.ClickException(str(error)) from error
    with output_errors():
        count = write_atom(store, watch_name, path, self_url=self_url)
    click.echo(f"{path}: {count} entries")


def _headline_fields(line: str) -> dict[str, str | None]:
    text = line.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # not JSON, or nested beyond reading: a headline
            data = None
        if isinstance(data, dict):
            return {
                key: data[key]
                for key in ("title", "lead", "body")
                if isinstance(data.get(key), str)
            }
    return {"title": text}
