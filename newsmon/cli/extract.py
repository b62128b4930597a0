"""`newsmon extract`: what newsmon reads from one page, field by field, and how."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click
from parsel import Selector

from newsmon.cli.base import cli, format_table
from newsmon.cli.sources import allow_private_option, config_option, load_sources
from newsmon.config import http_url_problem
from newsmon.dates import UTC, parse_iso
from newsmon.discover import DiscoveryError, PageReading, fetch, read_page
from newsmon.readable import decode_body


@cli.command(name="extract")
@click.argument("target", metavar="URL|FILE")
@click.option("--url", "page_url", help="The page's address (for a FILE: default its canonical).")
@click.option(
    "--fetched-at", help="When the page was fetched, ISO 8601 with a zone (default: now)."
)
@allow_private_option
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def extract_command(
    target: str,
    page_url: str | None,
    fetched_at: str | None,
    allow_private: bool,
    config: str | None,
    as_json: bool,
) -> None:
    """Print every field newsmon extracts from one page and the method that produced it.

    A page of a site with its own parser is read by that parser; any other page by the
    generic extractor, with the selectors of the configured source it belongs to. URL is
    fetched; a saved FILE needs --url unless it has an absolute <link rel=canonical>.

    Example: newsmon extract saved.html --url https://news.test/world/a-story
    """
    when = parse_iso(fetched_at) if fetched_at else datetime.now(UTC)
    if when is None:
        raise click.BadParameter(
            f"{fetched_at!r} is not ISO 8601 with a zone", param_hint="'--fetched-at'"
        )
    if target.startswith(("http://", "https://")):
        try:
            answer = fetch(target, allow_private=allow_private)
        except DiscoveryError as error:
            raise click.ClickException(str(error)) from error
        if not answer.ok:
            raise click.ClickException(f"{answer.url}: HTTP {answer.status}")
        html, url = answer.text, page_url or answer.url
    else:
        html, url = _saved_page(Path(target), page_url)
    reading = read_page(url, html, when, load_sources(config))
    if as_json:
        click.echo(json.dumps(reading.to_json(), ensure_ascii=False, sort_keys=True))
    else:
        click.echo(format_reading(reading))


def _saved_page(path: Path, page_url: str | None) -> tuple[str, str]:
    """The saved page's text and its URL (`--url`, else its canonical link)."""
    try:
        body = path.read_bytes()
    except OSError as error:
        raise click.ClickException(f"{path}: cannot read: {error.strerror}") from error
    html = decode_body(body).text
    if html is None:
        raise click.ClickException(f"{path}: not a web page (empty or binary)")
    url = page_url or Selector(text=html).xpath("//link[@rel='canonical']/@href").get()
    if not url:
        raise click.ClickException(
            f"{path}: give --url: the page has no <link rel=canonical> to take it from"
        )
    if (problem := http_url_problem(url)) is not None:
        source = "--url" if page_url else "its <link rel=canonical>"
        raise click.ClickException(f"{path}: the page's address from {source} {problem}")
    return html, url


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
