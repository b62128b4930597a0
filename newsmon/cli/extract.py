"""`newsmon extract`: what newsmon reads from pages, field by field, and how."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from newsmon import clock
from newsmon.cli.base import format_table
from newsmon.cli.sources import allow_private_option, config_option, load_sources
from newsmon.normalize.dates import parse_iso
from newsmon.normalize.text import json_line

if TYPE_CHECKING:
    from newsmon.crawl.discover import PageReading


@click.command(name="extract")
@click.argument("targets", metavar="URL|FILE...", nargs=-1, required=True)
@click.option("--url", "page_url", help="The page's address (for one FILE: default its canonical).")
@click.option(
    "--fetched-at", help="When the page was fetched, ISO 8601 with a zone (default: now)."
)
@allow_private_option
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per page.")
def extract_command(
    targets: tuple[str, ...],
    page_url: str | None,
    fetched_at: str | None,
    allow_private: bool,
    config: str | None,
    as_json: bool,
) -> None:
    """Print every field newsmon extracts from a page and the method that produced it.

    A page of a site with its own parser is read by that parser; any other page by the
    generic extractor, with the selectors and time zone of the configured source it belongs
    to (a page of no configured source: the zone its language tag or country-code domain
    gives, else UTC). URL is
    fetched (from a private address too when its configured source allows it); a saved FILE
    (HTML, or gzip-compressed HTML: page.html.gz) needs --url unless it has an absolute
    <link rel=canonical>.

    Several pages give JSON Lines, one object per page with its `input`; a page that cannot
    be read gives one `Error:` line on stderr and the others are read. Exit 1 when any failed.

    Example: newsmon extract saved.html --url https://news.test/world/a-story
    """
    from newsmon.crawl.page_inputs import PageInputError, read_input

    when = parse_iso(fetched_at) if fetched_at else clock.now()
    if when is None:
        raise click.BadParameter(
            f"{fetched_at!r} is not ISO 8601 with a zone", param_hint="'--fetched-at'"
        )
    if page_url is not None and len(targets) > 1:
        raise click.UsageError("--url gives the address of one FILE: give it with one FILE only")
    sources = load_sources(config)
    failed = False
    for target in targets:
        try:
            reading = read_input(
                target, sources, when, page_url=page_url, allow_private=allow_private
            )
        except PageInputError as error:
            click.echo(f"Error: {error}", err=True)
            failed = True
            continue
        if as_json or len(targets) > 1:
            click.echo(json_line({"input": target, **reading.to_json()}))
        else:
            click.echo(format_reading(reading))
    if failed:
        sys.exit(1)


def format_reading(reading: PageReading) -> str:
    """The reading as text: parser, a table of fields, the body, the headlines."""
    data = reading.to_json()
    rows = []
    for name, field in data["fields"].items():
        value = field["value"]
        if name == "body":
            value = f"{len(value)} paragraph(s), below" if value else ""
        elif isinstance(value, list):
            value = "; ".join(value)
        elif isinstance(value, dict):
            value = ", ".join(f"{key}: {url}" for key, url in value.items())
        rows.append({"field": name, "method": field["method"], "value": value})
    lines = [f"parser: {reading.parser}  source: {reading.source}", ""]
    lines.append(format_table(rows, ["field", "method", "value"]))
    body = data["fields"].get("body", {}).get("value") or []
    if body:
        lines += ["", "body:", *(f"  {paragraph}" for paragraph in body)]
    if reading.headlines:
        lines += ["", f"headlines ({len(reading.headlines)}):"]
        headline_rows = [vars(headline) for headline in reading.headlines]
        lines.append(format_table(headline_rows, ["context", "position", "title", "url"]))
    return "\n".join(lines)
