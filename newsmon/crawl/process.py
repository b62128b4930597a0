"""Run spiders in this process as one crawl run of the store."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, Protocol

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from newsmon.config import GENERIC, SITE, Config, ConfigError, load_config
from newsmon.crawl import CrawlError
from newsmon.fixtures.manifest import FixtureSet
from newsmon.fixtures.replay import replay_fixtures
from newsmon.ops.logfile import LogFile, LogFileError, log_failure, open_log, scrapy_log
from newsmon.pipelines.store import STORE_FAULT
from newsmon.settings import replay_settings
from newsmon.settings_table import project_settings
from newsmon.spiders.base import NewsSpider
from newsmon.spiders.generic import GenericSpider
from newsmon.spiders.site import SITE_SPIDERS
from newsmon.store import Store, StoreError

logger = logging.getLogger(__name__)


class Coordinator(Protocol):
    """Runs a crawl's spiders elsewhere than in this process (`newsmon.distributed`'s
    coordinator, on workers through Redis)."""

    def crawl(self, project: Settings, crawl_id: int, plan: dict[str, list[str]]) -> None:
        """Run crawl `crawl_id` (recorded in the store) by its plan; CrawlError on failure."""


@dataclass
class SourceSummary:
    """One source's line of a crawl summary."""

    source: str
    pages: int
    missing: int
    errors: int
    articles: int
    headlines: int
    new_headlines: int
    new_appearances: int
    status: str


@dataclass
class CrawlSummary:
    """What a crawl run did, per source, as the store recorded it."""

    crawl_id: int
    mode: str
    status: str
    sources: list[SourceSummary] = field(default_factory=list)

    def total(self, name: str) -> int:
        """The sum of one counter over all sources."""
        return sum(getattr(source, name) for source in self.sources)

    def to_json(self) -> dict[str, Any]:
        """The summary as JSON-ready data."""
        return {
            "crawl_id": self.crawl_id,
            "mode": self.mode,
            "status": self.status,
            "sources": [vars(source) for source in self.sources],
        }


def available_spiders(config: Config | None = None) -> list[str]:
    """The spiders `newsmon crawl` runs by default: the enabled sites' own, and `generic` when
    the sources file (default: `load_config()`) has enabled generic sources."""
    config = config or _config(None)
    names = [source.id for source in config.of_kind(SITE, enabled_only=True)]
    if config.of_kind(GENERIC, enabled_only=True):
        names.append(GenericSpider.name)
    return sorted(names)


def crawl_plan(config: Config, names: list[str]) -> dict[str, list[str]]:
    """Spider name → the generic sources it is limited to ([]: no limit) for `names`: spider
    names or ids of generic sources (none: `available_spiders`)."""
    plan: dict[str, list[str]] = {}
    chosen: list[str] = []
    for name in names or available_spiders(config):
        source = config.source(name)
        if name == GenericSpider.name:
            if not config.of_kind(GENERIC, enabled_only=True):
                raise CrawlError(_nothing_for_generic(config))
            plan[name] = []
        elif source is None:
            # `generic` is a name to crawl only when there are configured sources for it.
            generic = [GenericSpider.name] if config.of_kind(GENERIC) else []
            known = sorted([*(other.id for other in config.sources), *generic])
            raise CrawlError(f"unknown spider or source {name!r} (known: {', '.join(known)})")
        elif not source.enabled:
            raise CrawlError(f"source {name!r} is disabled in {config.where} (enabled = false)")
        elif source.kind == SITE:
            plan[name] = []
        else:
            chosen.append(name)
    if chosen and GenericSpider.name not in plan:
        plan[GenericSpider.name] = chosen
    if not plan:
        raise CrawlError(f"nothing to crawl: every source of {config.where} is disabled")
    return plan


def _nothing_for_generic(config: Config) -> str:
    where = (
        f"{config.path} enables none"
        if config.path
        else "there is no sources file (newsmon.toml, --config or $NEWSMON_CONFIG)"
    )
    return (
        f"nothing to crawl with {GenericSpider.name}: it crawls configured sources, and {where}; "
        "add one with `newsmon sources add URL`"
    )


def crawl(
    db_path: str,
    spiders: list[str] | None = None,
    *,
    replay: str | None = None,
    record: str | None = None,
    settings: dict[str, Any] | None = None,
    log_file: str | None = None,
    log_level: str = "WARNING",
    config: str | None = None,
    on_start: Callable[[int], None] | None = None,
    coordinator: Coordinator | None = None,
) -> CrawlSummary:
    """Run `spiders` (default: every enabled one) into the store at `db_path` and return the
    summary. `spiders` may name generic sources too; `config` is the sources file (default:
    `$NEWSMON_CONFIG` or `./newsmon.toml`). `on_start` is called with the crawl's id once it
    is recorded. `record` saves every response into that fixture directory
    (`newsmon.fixtures.record`). With a `coordinator` (`newsmon.distributed.coordinator_for`)
    the spiders run on its workers.

    Runs the Twisted reactor, so it can be called once per process.
    """
    sources = _config(config)
    plan = crawl_plan(sources, spiders or [])
    names = sorted(plan)
    if replay is not None:
        replay_fixtures(replay)
    if record is not None:
        if replay is not None:
            raise CrawlError("--record and --replay cannot be used together")
        FixtureSet.open(record)  # an existing manifest must be sound before anything is saved
    # Every setting is checked, and NEWSMON_REDIS (on workers through Redis) too, before
    # anything is written.
    project = crawl_settings(db_path, replay, settings or {}, log_level)
    project.set("NEWSMON_CONFIG", str(sources.path or ""), priority="cmdline")
    if record is not None:
        project.set("NEWSMON_RECORD_DIR", record, priority="cmdline")
    log = _open_log(log_file) if log_file else None
    mode = "replay" if replay else "live"
    store = Store.open(db_path)
    crawl_id = store.start_crawl(mode, names)
    store.close()
    if on_start is not None:
        on_start(crawl_id)
    project.set("NEWSMON_CRAWL_ID", crawl_id, priority="cmdline")
    crawlers: list[Crawler] = []
    with scrapy_log(project, log) if log is not None else nullcontext():
        if coordinator is not None:
            coordinator.crawl(project, crawl_id, plan)
        else:
            process = CrawlerProcess(project)
            for name in names:
                spider: type[NewsSpider] = SITE_SPIDERS.get(name) or GenericSpider
                limit = {"source": ",".join(plan[name])} if plan[name] else {}
                crawler = process.create_crawler(spider)
                crawlers.append(crawler)
                process.crawl(crawler, **limit)
            process.start()
    # The store failing mid-crawl (disk full…) stopped the spiders: the crawl failed. A log
    # that could not be written (disk full…) fails it too: nobody could tell what it did.
    fault = next(filter(None, (c.stats.get_value(STORE_FAULT) for c in crawlers if c.stats)), None)
    unlogged = log_failure(log_file) if log_file else None

    store = Store.open(db_path)
    try:
        summary = crawl_summary(store, crawl_id)
        summary.status = (
            "ok"
            if not fault
            and not unlogged
            and any(source.status != "failed" for source in summary.sources)
            else "failed"
        )
        with store.transaction():
            store.finish_crawl(crawl_id, summary.status, summary.to_json())
    finally:
        store.close()
    if fault:
        raise StoreError(fault)
    if unlogged:
        raise CrawlError(unlogged)
    return summary


def crawl_settings(
    db_path: str,
    replay: str | None,
    overrides: dict[str, Any],
    log_level: str,
) -> Settings:
    """The project settings for one crawl run, checked (SettingError names what is wrong); its
    log file is `newsmon.ops.logfile`'s."""
    run: dict[str, Any] = {"NEWSMON_DB": db_path, "LOG_LEVEL": log_level}
    if replay:
        run.update(replay_settings(replay))
    return project_settings(overrides, run)


def crawl_summary(store: Store, crawl_id: int) -> CrawlSummary:
    """The summary of a crawl run from the store."""
    crawl_row = store.rows("SELECT mode, status FROM crawls WHERE id = ?", (crawl_id,))
    if not crawl_row:
        raise CrawlError(f"no crawl run {crawl_id}")
    rows = store.rows(
        """SELECT source_id AS source, pages, missing, errors, articles, headlines, new_headlines,
             new_appearances, status FROM crawl_sources WHERE crawl_id = ? ORDER BY source_id""",
        (crawl_id,),
    )
    return CrawlSummary(
        crawl_id,
        crawl_row[0]["mode"],
        crawl_row[0]["status"],
        [SourceSummary(**row) for row in rows],
    )


def _open_log(path: str) -> LogFile:
    try:
        return open_log(path)
    except LogFileError as error:
        raise CrawlError(str(error)) from error


def _config(path: str | None) -> Config:
    try:
        return load_config(path)
    except ConfigError as error:
        raise CrawlError(str(error)) from error
