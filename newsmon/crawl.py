"""Run spiders in this process as one crawl run of the store."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from newsmon.fixtures import FixtureSet
from newsmon.settings import replay_settings
from newsmon.spiders.site import SITE_SPIDERS
from newsmon.store import Store

logger = logging.getLogger(__name__)


class CrawlError(Exception):
    """The crawl cannot start; the message names what is wrong."""


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


def available_spiders() -> list[str]:
    """The names of the spiders `newsmon crawl` can run."""
    return sorted(SITE_SPIDERS)


def crawl(
    db_path: str,
    spiders: list[str] | None = None,
    *,
    replay: str | None = None,
    settings: dict[str, Any] | None = None,
    log_file: str | None = None,
    log_level: str = "WARNING",
) -> CrawlSummary:
    """Run `spiders` (default: all) into the store at `db_path` and return the summary.

    Runs the Twisted reactor, so it can be called once per process.
    """
    names = spiders or available_spiders()
    unknown = sorted(set(names) - set(available_spiders()))
    if unknown:
        raise CrawlError(
            f"unknown spider(s): {', '.join(unknown)} (known: {', '.join(available_spiders())})"
        )
    if replay is not None:
        FixtureSet.load(replay)
    mode = "replay" if replay else "live"
    store = Store.open(db_path)
    crawl_id = store.start_crawl(mode, names)
    store.close()

    project = crawl_settings(db_path, crawl_id, replay, settings or {}, log_file, log_level)
    process = CrawlerProcess(project)
    for name in names:
        process.crawl(SITE_SPIDERS[name])
    process.start()

    store = Store.open(db_path)
    try:
        summary = crawl_summary(store, crawl_id)
        summary.status = (
            "ok" if any(source.status != "failed" for source in summary.sources) else "failed"
        )
        with store.transaction():
            store.finish_crawl(crawl_id, summary.status, summary.to_json())
    finally:
        store.close()
    return summary


def crawl_settings(
    db_path: str,
    crawl_id: int,
    replay: str | None,
    overrides: dict[str, Any],
    log_file: str | None,
    log_level: str,
) -> Settings:
    """The project settings for one crawl run."""
    project = get_project_settings()
    project.set("NEWSMON_DB", db_path, priority="cmdline")
    project.set("NEWSMON_CRAWL_ID", crawl_id, priority="cmdline")
    project.set("LOG_LEVEL", log_level, priority="cmdline")
    if log_file:
        project.set("LOG_FILE", log_file, priority="cmdline")
    if replay:
        project.update(replay_settings(replay), priority="cmdline")
    project.update(overrides, priority="cmdline")
    return project


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
