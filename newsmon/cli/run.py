"""Unattended use: `newsmon run` (what cron calls), `newsmon cron` and `newsmon health`."""

from __future__ import annotations

import sys

import click

from newsmon.cli.base import db_option, echo_rows, json_option, open_store, settings_option
from newsmon.cli.distributed import redis_option
from newsmon.cli.sources import config_option
from newsmon.ops.schedule import DEFAULT_EVERY


@click.command(name="run")
@click.option(
    "--log",
    "log_file",
    type=click.Path(dir_okay=False),
    help="The log file (rotated when it grows big). Default: the database path + .log.",
)
@click.option(
    "--replay",
    type=click.Path(file_okay=False),
    help="Serve every page from this fixture directory (no network).",
)
@click.option("--refresh", is_flag=True, help="Fetch stored articles and unchanged pages again.")
@click.option("-v", "--verbose", is_flag=True, help="Log Scrapy at INFO level instead of WARNING.")
@redis_option
@settings_option
@config_option
@db_option
def run_command(
    log_file: str | None,
    replay: str | None,
    refresh: bool,
    verbose: bool,
    redis_url: str | None,
    settings: dict[str, str],
    config: str | None,
    db_path: str,
) -> None:
    """Poll what is due of every enabled source and print only what is new: for cron.

    Prints one line per headline of a watch not reported to cron before, per source and run,
    with the places it was seen in (`feed, listing, article, latest`), and one line when a
    source turns unhealthy or recovers; nothing else (the log file gets the rest), so cron
    mails only when there is news. Webhooks are sent after these lines, each within
    NEWSMON_WEBHOOK_TIMEOUT seconds (-s NEWSMON_WEBHOOK_TIMEOUT=20); a failing one is a log
    line and never changes the exit code. Runs never overlap: a second one exits at once.

    Exit codes: 0 done; 1 the run failed (reason on stderr); 3 done, but no source could be
    crawled; 75 another run holds the database's lock.

    Example: newsmon run --db ~/news/newsmon.db
    """
    from newsmon.crawl import CrawlError
    from newsmon.fixtures.manifest import FixtureError
    from newsmon.ops.lock import LockError, LockHeld
    from newsmon.ops.run import EXIT_LOCKED, EXIT_NOTHING_CRAWLED, RunError, run
    from newsmon.store import StoreError

    if redis_url:
        settings = {**settings, "NEWSMON_REDIS": redis_url}
    try:
        report = run(
            db_path,
            emit=click.echo,
            log_file=log_file,
            replay=replay,
            settings=settings,
            refresh=refresh,
            verbose=verbose,
            config=config,
        )
    except LockHeld as held:
        click.echo(str(held), err=True)
        sys.exit(EXIT_LOCKED)
    except (CrawlError, FixtureError, LockError, RunError, StoreError) as error:
        raise click.ClickException(str(error)) from error
    if report.nothing_crawled:
        sys.exit(EXIT_NOTHING_CRAWLED)


def _check_every(context: click.Context, parameter: click.Parameter, value: str) -> str:
    from newsmon.ops.schedule import ScheduleError, cron_schedule

    try:
        cron_schedule(value)
    except ScheduleError as error:
        raise click.BadParameter(str(error), context, parameter) from error
    return value


@click.command(name="cron")
@click.option(
    "--every",
    default=DEFAULT_EVERY,
    show_default=True,
    callback=_check_every,
    help="How often to run: 1m (a run polls only what is due), 5m, 15m, 1h, 1d, 1w…",
)
@click.option(
    "--log",
    "log_file",
    type=click.Path(dir_okay=False),
    help="The log file. Default: the database path + .log.",
)
@click.option("--install", is_flag=True, help="Add the line to your crontab (or replace it).")
@config_option
@db_option
def cron_command(
    every: str, log_file: str | None, install: bool, config: str | None, db_path: str
) -> None:
    """Print the crontab line that runs `newsmon run` every --every; --install adds it.

    The line uses absolute paths (cron runs jobs from your home directory). Installing replaces
    an existing newsmon entry for the same database instead of adding a second one, and keeps
    every other line of your crontab. `NEWSMON_CRONTAB` names another crontab program.

    Example: newsmon cron --every 1m --db ~/news/newsmon.db --install
    """
    from newsmon.config import config_path
    from newsmon.ops.schedule import ScheduleError, cron_line
    from newsmon.ops.schedule import install as install_line

    sources = config_path(config)
    line = cron_line(every, db_path, log_file, str(sources) if sources else None)
    if not install:
        click.echo(line)
        return
    try:
        installed = install_line(line, db_path)
    except ScheduleError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{installed.action}: {installed.line}")


@click.command(name="health")
@db_option
@json_option
def health_command(db_path: str, as_json: bool) -> None:
    """Show each source's health: state, last success, last run's counts, the reason, and
    whether conditional GET is off for a feed caught answering 304 while it changed.

    Example: newsmon health --db ~/news/newsmon.db
    """
    from newsmon.ops.health import health_report
    from newsmon.polling.states import source_polling

    store = open_store(db_path)
    rows = health_report(store)
    polling = source_polling(store)
    for row in rows:
        row["conditional_get"] = polling.get(row["source"], {}).get("conditional_get", "on")
    if not as_json:
        rows = [{**row, "last_run": row["last_run_summary"]} for row in rows]
    columns = ["source", "state", "since", "last_success", "last_run", "reason", "conditional_get"]
    echo_rows(rows, as_json, columns)


@click.command(name="schedule")
@db_option
@json_option
def schedule_command(db_path: str, as_json: bool) -> None:
    """Show when each feed, listing and sitemap is polled next, and why.

    `newsmon run` polls only what is due: each entry point's next poll is learned from what
    its polls found (new items per hour, by hour of day), bounded by NEWSMON_POLL_MIN_MINUTES
    and NEWSMON_POLL_MAX_MINUTES, and honours <ttl>, sy:updatePeriod, Cache-Control max-age
    and Retry-After. `conditional_get` says whether validators are sent (off for an entry
    point caught answering 304 while it changed). Soonest first.

    Example: newsmon schedule --db ~/news/newsmon.db
    """
    from newsmon.clock import now
    from newsmon.polling.states import schedule_rows

    rows = schedule_rows(open_store(db_path), now())
    columns = ["next_poll", "source", "kind", "url", "why", "conditional_get"]
    echo_rows(rows, as_json, columns)
