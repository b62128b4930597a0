"""One unattended run, as cron starts it: lock, crawl, judge source health, tell what is new.

`run` takes the database's lock (`newsmon.ops.lock`), rotates the log if it grew too big, crawls
every enabled source with a feed, listing or sitemap due (`newsmon.polling`), but those refusing
newsmon until NEWSMON_REFUSED_RETRY_HOURS after their last attempt
(`newsmon.ops.health.backing_off`), and re-reads the stored articles that are due
(`NEWSMON_REREAD` is on unless set); judges each source's health (`newsmon.ops.health`), hands
`emit` one line per headline not yet reported to the `cron` output (with the places it was seen
in), per health change and per overflow or lying validator found — nothing else, so cron mails
only when there is something to say — and then delivers webhooks, each within
NEWSMON_WEBHOOK_TIMEOUT seconds. Everything else (Scrapy's log and newsmon's) goes to the log
file.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsmon.clock import now, now_iso
from newsmon.config import ConfigError, load_config
from newsmon.crawl.rereads import due_rereads
from newsmon.distributed import coordinator_for
from newsmon.ops.health import (
    Notice,
    Verdict,
    backing_off,
    mark_notified,
    pending_notices,
    update_health,
)
from newsmon.ops.lock import LockHeld, RunLock, acquire, lock_path
from newsmon.ops.logfile import LogFileError, log_failure, open_log
from newsmon.polling.states import (
    asked_to_wait,
    due_sources,
    mark_poll_notices_told,
    next_due,
    pending_poll_notices,
)
from newsmon.settings_table import environment_values, project_settings
from newsmon.store import Store, check_store_path
from newsmon.watch.alerts import (
    WebhookResult,
    deliver_webhook,
    format_alert,
    group_alerts,
    mark_reported,
    new_events,
)
from newsmon.watch.watches import list_watches

if TYPE_CHECKING:
    from scrapy.settings import Settings

    # Scrapy is loaded only when a run crawls: a run with nothing due ends in a blink.
    from newsmon.crawl.process import CrawlSummary

logger = logging.getLogger(__name__)

CRON_OUTPUT = "cron"
LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"

# Exit codes of `newsmon run` (documented in its help and in the README).
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_NOTHING_CRAWLED = 3
EXIT_LOCKED = 75  # EX_TEMPFAIL: try again later


class RunError(Exception):
    """The run cannot start; the message names what is wrong."""


@dataclass
class RunReport:
    """What a run did (`crawl` None: every source was backing off, nothing was crawled)."""

    crawl: CrawlSummary | None
    events: int = 0
    notices: list[Notice] = field(default_factory=list)
    verdicts: dict[str, Verdict] = field(default_factory=dict)
    webhooks: dict[str, WebhookResult] = field(default_factory=dict)

    @property
    def nothing_crawled(self) -> bool:
        """Every source failed: no page of any source could be read."""
        return self.crawl is not None and self.crawl.status == "failed"


def default_log_path(db_path: str) -> str:
    """The log of a database's runs: `<db>.log`, absolute."""
    return os.path.abspath(db_path) + ".log"


def run(
    db_path: str,
    *,
    emit: Callable[[str], None],
    log_file: str | None = None,
    replay: str | None = None,
    settings: dict[str, Any] | None = None,
    refresh: bool = False,
    verbose: bool = False,
    config: str | None = None,
) -> RunReport:
    """Crawl the enabled sources with a feed, listing or sitemap due (all of them with
    `refresh`) into the store at `db_path` and emit what is new.

    Raises LockHeld at once when another run holds the database's lock (the attempt is
    logged); crawl and store errors propagate after being logged.
    """
    db = os.path.abspath(db_path)
    log = os.path.abspath(log_file) if log_file else default_log_path(db)
    overrides = dict(settings or {})
    if refresh:
        overrides["NEWSMON_REFRESH"] = True
    # Saved pages say nothing of time: a replay reads them all.
    overrides.setdefault("NEWSMON_DUE_ONLY", not refresh and replay is None)
    if "NEWSMON_REREAD" not in environment_values():  # unattended runs see updates by default
        overrides.setdefault("NEWSMON_REREAD", True)
    options = project_settings(overrides)
    check_store_path(db)  # before the lock and log files are made next to it
    try:
        lock = acquire(lock_path(db))
    except LockHeld as held:
        with run_log(log):
            logger.warning("run not started: %s", held)
        raise
    with lock:
        rotate_log(
            log, options.getint("NEWSMON_LOG_MAX_BYTES"), options.getint("NEWSMON_LOG_BACKUPS")
        )
        with run_log(log):
            logger.info("run started (pid %d) on %s", os.getpid(), db)
            if lock.previous:
                close_interrupted(db, lock)
            try:
                spiders = sources_to_crawl(db, config, options)
                summary = (
                    None
                    if spiders == []
                    else _crawl(db, spiders, replay, overrides, log, verbose, config, lock)
                )
            except Exception as error:
                logger.error("run failed: %s", error)
                raise
            # Scrapy's handlers stay installed once its reactor has stopped, and do nothing then:
            # a SIGTERM (or Ctrl-C) while the run tells and delivers must still end it.
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            report = RunReport(summary)
            store = Store.open(db)
            try:
                if summary is not None:
                    report.verdicts = update_health(
                        store, summary.crawl_id, history=options.getint("NEWSMON_HEALTH_HISTORY")
                    )
                report.events, report.notices = tell(store, emit)
                report.webhooks = deliver_webhooks(
                    store, deadline=options.getfloat("NEWSMON_WEBHOOK_TIMEOUT")
                )
            finally:
                store.close()
            logger.info("run done: %s", describe(report))
    return report


def sources_to_crawl(db: str, config: str | None, options: Settings) -> list[str] | None:
    """The enabled sources this run crawls: with a feed, listing or sitemap or a re-read due
    (all, without NEWSMON_DUE_ONLY), but those refusing newsmon until
    NEWSMON_REFUSED_RETRY_HOURS after their last attempt (one log line names them); None:
    every enabled source. A store not made yet is left for the crawl to make, once it has
    checked everything: everything is new, hence due."""
    due_only = options.getbool("NEWSMON_DUE_ONLY")
    rereading = options.getbool("NEWSMON_REREAD")
    retry_hours = options.getfloat("NEWSMON_REFUSED_RETRY_HOURS")
    if not os.path.exists(db) or not os.path.getsize(db):
        return None
    store = Store.open(db, create=False)
    try:
        waiting = backing_off(store, timedelta(hours=retry_hours))
        if not waiting and not due_only:
            return None
        if waiting:
            logger.warning(
                "not crawled in this run, as they refuse newsmon (NEWSMON_REFUSED_RETRY_HOURS): %s",
                "; ".join(f"{source}: {why}" for source, why in sorted(waiting.items())),
            )
        try:
            sources = load_config(config).sources
        except ConfigError as error:
            raise RunError(str(error)) from error
        chosen = [source.id for source in sources if source.enabled and source.id not in waiting]
        if due_only:
            moment = now()
            polls = due_sources(store, chosen, moment)
            rereads = rereads_due(store, chosen, moment, options) if rereading else set()
            rereads -= asked_to_wait(store, rereads, moment)
            chosen = [source for source in chosen if source in polls or source in rereads]
            if not chosen:
                soonest = next_due(store)
                when = f"; the next poll is at {soonest:%Y-%m-%d %H:%M} UTC" if soonest else ""
                logger.info("nothing due%s", when)
        return chosen
    finally:
        store.close()


def rereads_due(store: Store, sources: list[str], moment: datetime, options: Settings) -> set[str]:
    """Those of `sources` with a stored article due to be read again (`newsmon.crawl.rereads`)."""
    due = due_rereads(
        store,
        moment,
        factor=options.getfloat("NEWSMON_REREAD_FACTOR"),
        max_age=timedelta(days=options.getfloat("NEWSMON_REREAD_MAX_AGE_DAYS")),
        budget_per_source=1,
        min_interval=timedelta(minutes=options.getfloat("NEWSMON_REREAD_MIN_MINUTES")),
        sources=sources,
    )
    return {reread.source for reread in due}


def _crawl(
    db: str,
    spiders: list[str] | None,
    replay: str | None,
    overrides: dict[str, Any],
    log: str,
    verbose: bool,
    config: str | None,
    lock: RunLock,
) -> CrawlSummary:
    """The run's crawl of `spiders` (None: every enabled source)."""
    from newsmon.crawl.process import crawl

    coordinator = coordinator_for(overrides, replay=replay)
    return crawl(
        db,
        spiders,
        replay=replay,
        settings=overrides,
        log_file=log,
        log_level="INFO" if verbose else "WARNING",
        config=config,
        on_start=lambda crawl_id: lock.note(crawl_id=crawl_id),
        coordinator=coordinator,
    )


def tell(store: Store, emit: Callable[[str], None]) -> tuple[int, list[Notice]]:
    """Emit the alerts and health changes not reported yet, then mark them; returns the number
    of related appearances told and the notices.

    Lines are emitted before they are marked: a run that dies in between repeats them next
    time rather than losing them.
    """
    events = new_events(store, CRON_OUTPUT)
    notices = pending_notices(store)
    poll_notices = pending_poll_notices(store)
    for alert in group_alerts(events):
        emit(format_alert(alert))
    for notice in notices:
        emit(notice.line())
    for poll_notice in poll_notices:
        emit(poll_notice.line())
    mark_reported(store, CRON_OUTPUT, events)
    mark_notified(store, notices)
    mark_poll_notices_told(store, poll_notices)
    return len(events), notices


def deliver_webhooks(store: Store, *, deadline: float) -> dict[str, WebhookResult]:
    """POST each watch with a `webhook` option its undelivered alerts, each within `deadline`
    seconds (failures stay pending, one log line each)."""
    results = {}
    for watch in list_watches(store):
        url = watch.options.get("webhook")
        if url:
            results[watch.name] = deliver_webhook(store, watch.name, url, deadline=deadline)
    return results


def close_interrupted(db: str, lock: RunLock) -> None:
    """Record that the previous run ended without releasing the lock (it was killed)."""
    previous = lock.previous
    crawl_id = previous.get("crawl_id")
    logger.warning(
        "the previous run (pid %s, since %s) ended without releasing %s (killed?); taking over",
        previous.get("pid", "?"),
        previous.get("since", "?"),
        lock.path,
    )
    if not isinstance(crawl_id, int):
        return
    store = Store.open(db)
    try:
        with store.transaction():
            updated = store.conn.execute(
                "UPDATE crawls SET status = 'interrupted', finished_at = ? "
                "WHERE id = ? AND status = 'running'",
                (now_iso(), crawl_id),
            ).rowcount
    finally:
        store.close()
    if updated:
        logger.warning("crawl %d of that run is marked interrupted", crawl_id)


def describe(report: RunReport) -> str:
    """The run in one log line."""
    if report.crawl is None:
        return (
            f"no crawl (nothing due, or every due source backing off); {report.events} related "
            f"appearances and {len(report.notices)} health notices told"
        )
    sources = ", ".join(
        f"{source.source} {report.verdicts[source.source].state} "
        f"({source.pages} pages, {source.new_appearances} new appearances)"
        for source in report.crawl.sources
    )
    return (
        f"crawl {report.crawl.crawl_id} {report.crawl.status}: {sources or 'no source'}; "
        f"{report.events} related appearances and {len(report.notices)} health notices told"
    )


def rotate_log(path: str, max_bytes: int, backups: int) -> bool:
    """Rotate `path` to `path.1` (… `path.<backups>`) when it is larger than `max_bytes`."""
    log = Path(path)
    try:
        if max_bytes <= 0 or log.stat().st_size <= max_bytes:
            return False
    except FileNotFoundError:
        return False
    for number in range(backups - 1, 0, -1):
        older = Path(f"{path}.{number}")
        if older.exists():
            older.replace(f"{path}.{number + 1}")
    if backups > 0:
        log.replace(f"{path}.1")
    else:
        log.unlink()
    return True


@contextmanager
def run_log(path: str) -> Iterator[None]:
    """Send newsmon's own log records (INFO and up) to the run log, and only there. RunError
    naming the log when it cannot be written (`newsmon.ops.logfile`)."""
    try:
        handler = open_log(path)
    except LogFileError as error:
        raise RunError(str(error)) from error
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.setLevel(logging.INFO)
    newsmon_logger = logging.getLogger("newsmon")
    saved = newsmon_logger.level, newsmon_logger.propagate
    newsmon_logger.addHandler(handler)
    newsmon_logger.setLevel(logging.INFO)
    newsmon_logger.propagate = False  # Scrapy's root handler writes the same file
    try:
        yield
    finally:
        newsmon_logger.removeHandler(handler)
        newsmon_logger.setLevel(saved[0])
        newsmon_logger.propagate = saved[1]
        handler.close()
    failure = log_failure(path)
    if failure is not None:
        raise RunError(failure)
