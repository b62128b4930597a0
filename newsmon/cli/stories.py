"""Stories: list them, look at one, and correct a wrong grouping by hand."""

from __future__ import annotations

import click

from newsmon.cli.base import db_option, format_table, json_option, open_store
from newsmon.normalize.text import json_line, printable


@click.group(name="stories", invoke_without_command=True)
@click.option(
    "--since",
    help="Only stories seen since this crawl (its id) or ISO 8601 date or date/time "
    "(UTC unless it has an offset).",
)
@click.option("--source", help="Only stories with an article from this source.")
@click.option("--watch", help="Only stories this watch matched.")
@db_option
@json_option
@click.pass_context
def stories_group(
    context: click.Context,
    since: str | None,
    source: str | None,
    watch: str | None,
    db_path: str,
    as_json: bool,
) -> None:
    """List stories: reports of one event from all sources and languages.

    With --json, each story comes with its member headlines, sources, languages, appearance
    count and the evidence that grouped it (rule and score).

    Example: newsmon stories --json
    """
    if context.invoked_subcommand is not None:
        return
    from newsmon.store import queries
    from newsmon.store.since import SinceError, parse_since

    store = open_store(db_path)
    try:
        moment = parse_since(store, since).moment if since else None
    except SinceError as error:
        raise click.ClickException(str(error)) from error
    rows = queries.stories(store, since=moment, source=source, watch=watch)
    if as_json:
        for row in rows:
            click.echo(json_line(row))
        return
    for row in rows:
        row["members"] = len(row["members"])
        row["sources"] = ",".join(row["sources"])
        row["languages"] = ",".join(row["languages"])
    columns = ["id", "last_seen", "members", "appearances", "sources", "languages", "title"]
    click.echo(format_table(rows, columns))


@stories_group.command(name="show")
@click.argument("story_id", type=int)
@db_option
def stories_show(story_id: int, db_path: str) -> None:
    """Show one story: its headlines and why they were grouped.

    Example: newsmon stories show 17
    """
    from newsmon.store import queries

    rows = queries.stories(open_store(db_path), story_id=story_id)
    if not rows:
        raise click.ClickException(f"no story {story_id}")
    story = rows[0]
    click.echo(f"story {story['id']}: {printable(story['title'])}")
    click.echo(
        f"first seen {story['first_seen']}, last seen {story['last_seen']}, "
        f"{story['appearances']} appearances, watches: {', '.join(story['watches']) or '-'}"
    )
    click.echo(
        format_table(
            story["members"], ["article_id", "source", "lang", "first_seen", "title", "url"]
        )
    )
    if story["evidence"]:
        click.echo("grouped by:")
        click.echo(
            format_table(story["evidence"], ["article_id", "other_article_id", "rule", "score"])
        )


@stories_group.command(name="merge")
@click.argument("first", type=int)
@click.argument("second", type=int)
@db_option
def stories_merge(first: int, second: int, db_path: str) -> None:
    """Merge story SECOND into FIRST (the older id is kept).

    Example: newsmon stories merge 12 17
    """
    from newsmon.store.curation import CurationError, merge_by_hand

    try:
        kept = merge_by_hand(open_store(db_path), first, second)
    except CurationError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"merged into story {kept}")


@stories_group.command(name="split")
@click.argument("story_id", type=int)
@click.argument("article_ids", type=int, nargs=-1, required=True)
@db_option
def stories_split(story_id: int, article_ids: tuple[int, ...], db_path: str) -> None:
    """Move ARTICLE_IDS out of STORY_ID into a new story (undoes a wrong merge).

    Example: newsmon stories split 17 42 43
    """
    from newsmon.store.curation import CurationError, split_story

    try:
        new_id = split_story(open_store(db_path), story_id, list(article_ids))
    except CurationError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"articles {', '.join(map(str, article_ids))} are now story {new_id}")
