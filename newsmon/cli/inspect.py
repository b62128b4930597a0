"""Looking into the store: appearances, sources, stories."""

from __future__ import annotations

import json

import click

from newsmon.cli.base import cli, db_option, echo_rows, format_table, json_option, open_store
from newsmon.store import queries


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
