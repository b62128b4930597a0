"""Looking into the store: appearances (sources: `newsmon/cli/sources.py`)."""

from __future__ import annotations

import click

from newsmon.cli.base import db_option, echo_rows, json_option, open_store


@click.command(name="appearances")
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
    from newsmon.store import queries

    store = open_store(db_path)
    crawl_id = queries.latest_crawl_id(store) if new_only else None
    if new_only and crawl_id is None:
        return
    rows = queries.appearances(store, crawl_id=crawl_id, source=source, limit=limit)
    echo_rows(rows, as_json, ["first_seen", "source", "context", "title", "page_url"])
