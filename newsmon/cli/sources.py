"""`newsmon sources`: list the sources, add one by its home page, check the sources file."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from newsmon.cli.base import F, db_option, echo_rows, format_table, json_option

if TYPE_CHECKING:
    from newsmon.config import Config

# How `enabled` reads in the table; None: a source in the store that the configuration lost.
ENABLED_SHOWN = {True: "yes", False: "no", None: "not configured"}


def config_option(function: F) -> F:
    """`--config PATH`: the sources file (default `$NEWSMON_CONFIG`, else ./newsmon.toml)."""
    return click.option(
        "--config",
        type=click.Path(dir_okay=False),
        default=None,
        help="The sources file (TOML). Default: $NEWSMON_CONFIG, else ./newsmon.toml if present.",
    )(function)


def allow_private_option(function: F) -> F:
    """`--allow-private`: fetch from private, loopback and link-local addresses too."""
    return click.option(
        "--allow-private",
        is_flag=True,
        help="Allow private, loopback and link-local addresses (e.g. a local test server).",
    )(function)


def load_sources(config: str | None) -> Config:
    """The sources file, or exit with every problem it has."""
    from newsmon.config import ConfigError, load_config

    try:
        return load_config(config)
    except ConfigError as error:
        raise click.ClickException(str(error)) from error


@click.group(name="sources", invoke_without_command=True)
@config_option
@db_option
@json_option
@click.pass_context
def sources_command(
    context: click.Context, config: str | None, db_path: str, as_json: bool
) -> None:
    """List every source (sites with their own spider and configured ones) with its counts.

    `sources add` adds a news site by its home page; `sources check` checks the sources file.

    Example: newsmon sources --config newsmon.toml
    """
    from newsmon.config import source_table
    from newsmon.store import NoStoreError, Store, StoreError, queries

    if context.invoked_subcommand is not None:
        return
    loaded = load_sources(config)
    # The sources file alone says what is configured: a store is needed only for the counts.
    try:
        stored = queries.sources(Store.open(db_path, create=False))
    except NoStoreError:
        stored = []
        click.echo(f"note: no store at {db_path} yet: the counts are empty", err=True)
    except StoreError as error:
        raise click.ClickException(str(error)) from error
    rows = source_table(loaded, stored)
    polling = _polling(db_path)
    for row in rows:
        row.update(polling.get(row["id"], {"next_poll": None, "conditional_get": "on"}))
    if not as_json:
        for row in rows:
            row["enabled"] = ENABLED_SHOWN[row["enabled"]]
    columns = ["id", "name", "kind", "enabled", "articles", "appearances", "last_crawl"]
    echo_rows(rows, as_json, [*columns, "conditional_get"])


def _polling(db_path: str) -> dict[str, dict[str, object]]:
    """Each source's next poll and conditional GET (none without a store)."""
    from newsmon.polling.states import source_polling
    from newsmon.store import NoStoreError, Store

    try:
        store = Store.open(db_path, create=False)
    except NoStoreError:
        return {}
    try:
        return source_polling(store)
    finally:
        store.close()


@sources_command.command(name="add")
@click.argument("url")
@click.option("--id", "source_id", help="The source's id (default: from the host name).")
@click.option("--dry-run", is_flag=True, help="Print the new entry without adding it.")
@click.option(
    "--deadline",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds for everything fetched; what is left untried then is noted.",
)
@click.option(
    "--max-candidates",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many of the feeds (and of the sitemaps) the site names are tried.",
)
@allow_private_option
@config_option
def add_command(
    url: str,
    source_id: str | None,
    dry_run: bool,
    deadline: float,
    max_candidates: int,
    allow_private: bool,
    config: str | None,
) -> None:
    """Add the news site whose home page is URL to the sources file.

    Finds its feeds (<link rel=alternate>, /rss, /feed, …) and sitemaps (robots.txt,
    /sitemap.xml, …), guesses name, language and time zone from what the site says, and
    appends a [[sources]] table to the file (created when missing), leaving the rest as is.
    Everything is fetched within --deadline seconds; each place tried and not taken (and any
    left untried) is noted on stderr.

    Example: newsmon sources add https://www.example-news.test/ --id example
    """
    from newsmon.crawl.discover import DiscoveryError, add_source, discover

    try:
        found = discover(
            url,
            source_id=source_id,
            allow_private=allow_private,
            deadline=deadline,
            max_candidates=max_candidates,
        )
        path = None if dry_run else add_source(found, config)
    except DiscoveryError as error:
        raise click.ClickException(str(error)) from error
    for note in found.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(found.toml().lstrip("\n"), nl=False)
    if path is not None:
        click.echo(
            f"added source {found.source_id!r} to {path}: {len(found.feeds)} feed(s), "
            f"{len(found.sitemaps)} sitemap(s)"
        )


@sources_command.command(name="check")
@click.option(
    "--fetch",
    "fetch_pages",
    is_flag=True,
    help="Also fetch the feeds, sitemaps and listings of the enabled configured sources.",
)
@allow_private_option
@config_option
def check_command(fetch_pages: bool, allow_private: bool, config: str | None) -> None:
    """Check the sources file: every problem is printed with its line (exit 1).

    With --fetch, each start page of the enabled configured sources is fetched and the links
    it holds counted; exit 1 when one fails or holds nothing.

    Example: newsmon sources check --fetch
    """
    from newsmon.config import GENERIC, SITE
    from newsmon.crawl.discover import check_sources

    loaded = load_sources(config)
    counts = []
    for kind, label in ((SITE, "site(s) with their own spider"), (GENERIC, "configured source(s)")):
        every, enabled = loaded.of_kind(kind), loaded.of_kind(kind, enabled_only=True)
        counts.append(f"{len(every)} {label} ({len(enabled)} enabled)")
    click.echo(f"{loaded.where}: ok: {', '.join(counts)}")
    if not fetch_pages:
        return
    checks = list(
        check_sources(loaded.of_kind(GENERIC, enabled_only=True), allow_private=allow_private)
    )
    columns = ["source", "kind", "url", "status", "entries", "articles", "problem"]
    click.echo(format_table([vars(check) for check in checks], columns))
    if any(check.problem for check in checks):
        sys.exit(1)
