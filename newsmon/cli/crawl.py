"""`newsmon crawl` and `newsmon spiders`."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from newsmon.cli.base import db_option, format_table, json_option, settings_option
from newsmon.cli.distributed import redis_option
from newsmon.cli.sources import config_option

if TYPE_CHECKING:
    from newsmon.crawl.process import CrawlSummary


@click.command(name="crawl")
@click.argument("spiders", nargs=-1)
@click.option(
    "--replay",
    type=click.Path(file_okay=False),
    help="Serve every page from this fixture directory (no network).",
)
@click.option(
    "--record",
    type=click.Path(file_okay=False),
    help="Crawl live and save every response into this fixture directory, for --replay.",
)
@click.option(
    "--log", "log_file", type=click.Path(dir_okay=False), help="Write Scrapy's log to this file."
)
@click.option("-v", "--verbose", is_flag=True, help="Log at INFO level instead of WARNING.")
@redis_option
@config_option
@settings_option
@db_option
@json_option
def crawl_command(
    spiders: Sequence[str],
    replay: str | None,
    record: str | None,
    log_file: str | None,
    verbose: bool,
    redis_url: str | None,
    config: str | None,
    settings: dict[str, str],
    db_path: str,
    as_json: bool,
) -> None:
    """Crawl SPIDERS (default: every enabled source) into the store and print a summary per
    source. A spider is a site's own (`newsmon spiders`), `generic` (every configured source)
    or the id of one configured source.

    Exits 1 when every source failed.

    Example: newsmon crawl report_az --replay seeds --db demo.db
    """
    from newsmon.crawl.process import CrawlError, crawl
    from newsmon.distributed import coordinator_for
    from newsmon.fixtures.manifest import FixtureError
    from newsmon.store import StoreError

    if redis_url:
        settings = {**settings, "NEWSMON_REDIS": redis_url}
    try:
        coordinator = coordinator_for(settings, replay=replay, record=record)
        summary = crawl(
            db_path,
            list(spiders),
            replay=replay,
            record=record,
            settings=settings,
            log_file=log_file,
            log_level="INFO" if verbose else "WARNING",
            config=config,
            coordinator=coordinator,
        )
    except (CrawlError, FixtureError, StoreError) as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(summary.to_json(), sort_keys=True))
    else:
        click.echo(format_summary(summary))
    if summary.status == "failed":
        sys.exit(1)


@click.command(name="spiders")
@config_option
def spiders_command(config: str | None) -> None:
    """List the spiders `newsmon crawl` runs by default (the enabled sources' spiders).

    Example: newsmon spiders
    """
    from newsmon.config import ConfigError, load_config
    from newsmon.crawl.process import available_spiders

    try:
        names = available_spiders(load_config(config))
    except ConfigError as error:
        raise click.ClickException(str(error)) from error
    for name in names:
        click.echo(name)


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
    counted = ["pages", "headlines", "new_headlines", "new_appearances", "errors"]
    if summary.mode == "replay":
        counted.append("missing")  # pages without a fixture: answered 404, each logged at INFO
    totals = ", ".join(f"{summary.total(name)} {name.replace('_', ' ')}" for name in counted)
    return f"crawl {summary.crawl_id} ({summary.mode}): {summary.status}\n{table}\ntotal: {totals}"
