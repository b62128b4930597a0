"""`newsmon ingest`: items from other scrapers."""

from __future__ import annotations

from typing import Any

import click

from newsmon.cli.base import db_option, open_store


@click.command(name="ingest")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--tz",
    default="UTC",
    show_default=True,
    help="The IANA time zone of times without one (and of the calendar dates stored).",
)
@db_option
def ingest_command(file: Any, tz: str, db_path: str) -> None:
    """Store JSON Lines items from FILE (or - for standard input) as one crawl run.

    Each line needs at least `url` and `title`; `source`, `published_at`, `lead`, `body`,
    `lang`, `context` and `page_url` are used when present. `published_at` may be ISO 8601
    (times without a zone are read in --tz), a date alone, RFC 2822 or epoch seconds. Lines
    without a usable `url` or `title` are skipped, other unreadable fields left out: each is
    reported with its line number.

    Example: scrapy crawl report_az -O items.jsonl && newsmon ingest items.jsonl
    """
    from newsmon.crawl.ingest import IngestError, ingest
    from newsmon.ops.progress import Progress

    store = open_store(db_path, create=True)
    try:
        with Progress("ingest", "lines") as progress:
            result = ingest(
                store, file, source_name=getattr(file, "name", "-"), tz=tz, progress=progress
            )
    except IngestError as error:
        raise click.ClickException(str(error)) from error
    notes = [(number, f"skipped: {reason}") for number, reason in result.skipped]
    notes += result.warnings
    for number, note in sorted(notes):
        click.echo(f"line {number}: {note}", err=True)
    naive = (
        f", {result.naive_times} times without a zone read as {result.tz} (--tz)"
        if result.naive_times
        else ""
    )
    click.echo(
        f"crawl {result.crawl_id} (ingest): {result.items} items from {result.lines} lines, "
        f"{result.new_headlines} new headlines, {result.new_appearances} new appearances, "
        f"{len(result.skipped)} lines skipped, {len(result.warnings)} fields left out{naive}"
    )
