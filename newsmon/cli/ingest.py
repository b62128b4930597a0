"""`newsmon ingest`: items from other scrapers."""

from __future__ import annotations

from typing import Any

import click

from newsmon.cli.base import db_option, open_store


@click.command(name="ingest")
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
    from newsmon.progress import Progress

    store = open_store(db_path)
    with Progress("ingest", "lines") as progress:
        result = ingest(store, file, source_name=getattr(file, "name", "-"), progress=progress)
    for number, reason in result.skipped:
        click.echo(f"line {number}: skipped: {reason}", err=True)
    click.echo(
        f"crawl {result.crawl_id} (ingest): {result.items} items from {result.lines} lines, "
        f"{result.new_headlines} new headlines, {result.new_appearances} new appearances, "
        f"{len(result.skipped)} lines skipped"
    )
