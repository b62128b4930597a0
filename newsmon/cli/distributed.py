"""`newsmon worker` and `newsmon writer`: crawling on many workers through Redis.

`newsmon crawl --redis URL` and `newsmon run --redis URL` (`redis_option`) queue a run for the
workers instead of crawling in their own process. Redis support is optional
(`pip install 'newsmon[redis]'`), so this module imports it only when a command runs.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, TypeVar

import click

from newsmon.cli.base import db_option, open_store, settings_option

F = TypeVar("F", bound=Callable[..., Any])
REDIS_HELP = "Crawl on workers through the Redis at URL (default: $NEWSMON_REDIS)."


def redis_option(function: F) -> F:
    """`--redis URL`: the crawl runs on workers through this Redis."""
    return click.option("--redis", "redis_url", metavar="URL", default=None, help=REDIS_HELP)(
        function
    )


def _required_redis(function: F) -> F:
    return click.option(
        "--redis",
        "redis_url",
        metavar="URL",
        envvar="NEWSMON_REDIS",
        required=True,
        help="The Redis the coordinator, workers and writer share (default: $NEWSMON_REDIS).",
    )(function)


@contextmanager
def _redis_errors() -> Iterator[None]:
    """Redis support missing, Redis or the store unusable: `Error: …`, exit 1."""
    try:
        from newsmon.distributed.connection import DistributedError
    except ImportError as error:
        raise click.ClickException(
            f"Redis support is not installed: pip install 'newsmon[redis]' ({error})"
        ) from error
    from newsmon.store import StoreError

    try:
        yield
    except (DistributedError, StoreError) as error:
        raise click.ClickException(str(error)) from error


@click.command(name="worker")
@_required_redis
@click.option(
    "-c",
    "--concurrency",
    type=click.IntRange(min=1),
    default=None,
    help="Requests in flight at once in this worker (default: CONCURRENT_REQUESTS, 16).",
)
@click.option(
    "--replay",
    type=click.Path(file_okay=False),
    help="Serve every page from this fixture directory (for `crawl --replay DIR --redis`).",
)
@click.option(
    "--log", "log_file", type=click.Path(dir_okay=False), help="Write Scrapy's log to this file."
)
@click.option("-v", "--verbose", is_flag=True, help="Log at INFO level instead of WARNING.")
@settings_option
def worker_command(
    redis_url: str,
    concurrency: int | None,
    replay: str | None,
    log_file: str | None,
    verbose: bool,
    settings: dict[str, str],
) -> None:
    """Crawl the requests that `newsmon crawl --redis` queues, until stopped (Ctrl-C or
    SIGTERM finish what is in flight first). Start any number, on any machines that reach the
    Redis; each needs no store and no sources file. Exits 1 with one line when Redis goes away
    (its unfinished requests go back to the queue): run it under a supervisor.

    Example: newsmon worker --redis redis://localhost:6379 --concurrency 32
    """
    with _redis_errors():
        from newsmon.distributed.connection import connect
        from newsmon.distributed.worker import run_worker, worker_settings

        connect(redis_url)
        project = worker_settings(
            redis_url,
            concurrency=concurrency,
            replay=replay,
            overrides=settings,
            log_file=log_file,
            log_level="INFO" if verbose else "WARNING",
        )
        run_worker(redis_url, project)


@click.command(name="writer")
@_required_redis
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Log what the writer does (lease, claims, items stored per minute) to stderr.",
)
@settings_option
@db_option
def writer_command(redis_url: str, verbose: bool, settings: dict[str, str], db_path: str) -> None:
    """Store the items the workers put in Redis into the store, until stopped (Ctrl-C or
    SIGTERM). Only one writer writes at a time (a second waits as a standby); without any,
    `newsmon crawl --redis` stores the items itself. Items are acknowledged in Redis only
    after their transaction committed: a writer that dies loses nothing.

    Example: newsmon writer --redis redis://localhost:6379 --db ~/news/newsmon.db
    """
    with _redis_errors():
        from newsmon.distributed.connection import connect
        from newsmon.distributed.queue import keys_from
        from newsmon.distributed.writer import StreamWriter
        from newsmon.settings_table import project_settings

        server = connect(redis_url)
        store = open_store(db_path, create=True)
        options = project_settings(settings)
        logging.basicConfig(
            level=logging.INFO if verbose else logging.WARNING,
            format="%(asctime)s [%(name)s] %(levelname)s: %(message)s",
        )
        stopping: list[int] = []

        def stop(number: int, frame: FrameType | None) -> None:
            stopping.append(number)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        writer = StreamWriter(
            server,
            keys_from(options),
            store,
            url=redis_url,
            batch_size=options.getint("NEWSMON_WRITER_BATCH"),
            lease_ttl=options.getfloat("NEWSMON_WRITER_LEASE"),
            ack_delay=options.getfloat("NEWSMON_WRITER_ACK_DELAY"),
        )
        try:
            writer.serve(lambda: bool(stopping))
        finally:
            store.close()
        click.echo(f"writer stopped: {writer.written} items stored", err=True)
