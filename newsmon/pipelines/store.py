"""The store side of a crawl: every item goes through the StoreWriter into SQLite."""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from newsmon.extensions.corestats import ITEM_SCRAPED_COUNT
from newsmon.items import ArticleItem, HeadlineItem, PageItems, items_of
from newsmon.ops.health import record_page_counts
from newsmon.settings_table import default
from newsmon.store import Store, StoreError, default_db_path
from newsmon.store.background import BackgroundWriter
from newsmon.store.writer import SourceCounts, StoreWriter

logger = logging.getLogger(__name__)

Item = ArticleItem | HeadlineItem

# The stat naming the store's failure, when it stopped the crawl.
STORE_FAULT = "newsmon/store_fault"


@dataclass
class SharedWriter:
    """The one writer of a store and crawl run in this process, and how many spiders use it:
    each writer keeps its own page cache (32 MiB) and story index, and a crawl of several
    spiders needs them once. `store` is this process's connection (sources, counts)."""

    key: tuple[str, int]
    store: Store
    writer: StoreWriter | BackgroundWriter
    users: int = 0


_shared: dict[tuple[str, int], SharedWriter] = {}


def shared_writer(
    db_path: str,
    crawl_id: int,
    batch_size: int,
    store: Store | None = None,
    *,
    background: bool = True,
    meaning: bool | None = None,
) -> SharedWriter:
    """The writer of `crawl_id` into `db_path`, opened for its first user: in a process of its
    own (`background`) or on `store` (if given, else a new connection)."""
    key = (os.path.abspath(db_path), crawl_id)
    shared = _shared.get(key)
    if shared is None:
        store = store or Store.open(db_path)
        writer: StoreWriter | BackgroundWriter = (
            BackgroundWriter(store.path, crawl_id, batch_size=batch_size, meaning=meaning)
            if background
            else StoreWriter(store, crawl_id, batch_size=batch_size, meaning=meaning)
        )
        shared = _shared[key] = SharedWriter(key, store, writer)
    shared.users += 1
    return shared


def release_writer(shared: SharedWriter) -> None:
    """One user less; the last one closes the writer and the store."""
    shared.users -= 1
    if shared.users == 0:
        del _shared[shared.key]
        try:
            shared.writer.close()
        finally:
            shared.store.close()


class StorePipeline:
    """Writes items in batches; records the crawl's per-source counts when the spider closes.

    `NEWSMON_CRAWL_ID` names the crawl run the items belong to (set by `newsmon crawl`); the
    spiders of that run share one writer (`SharedWriter`), in a process of its own unless
    `NEWSMON_STORE_PROCESS` is off (`newsmon.store.background`). Without a crawl id (a plain
    `scrapy crawl`), the pipeline records a crawl run of its own. When the store itself fails (disk
    full, damaged file), the crawl stops with one log line: nothing more could be stored.
    """

    def __init__(
        self,
        crawler: Crawler,
        db_path: str,
        crawl_id: int | None,
        mode: str,
        batch_size: int,
        background: bool = True,
        meaning: bool = True,
    ) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.crawl_id = crawl_id
        self.owns_crawl = crawl_id is None
        self.mode = mode
        self.batch_size = batch_size
        self.background = background
        self.meaning = meaning
        self.shared: SharedWriter | None = None
        self.writer: StoreWriter | BackgroundWriter | None = None
        self.sources: set[str] = set()
        self.fault: StoreError | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        settings = crawler.settings
        crawl_id = settings.getint("NEWSMON_CRAWL_ID") or None
        mode = "replay" if settings.get("NEWSMON_REPLAY_DIR") else "live"
        pipeline = cls(
            crawler,
            settings.get("NEWSMON_DB") or default_db_path(),
            crawl_id,
            mode,
            settings.getint("NEWSMON_STORE_BATCH", default("NEWSMON_STORE_BATCH")),
            settings.getbool("NEWSMON_STORE_PROCESS", default("NEWSMON_STORE_PROCESS")),
            settings.getbool("NEWSMON_STORY_MEANING", default("NEWSMON_STORY_MEANING")),
        )
        crawler.signals.connect(pipeline.spider_error, signal=signals.spider_error)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        assert spider is not None
        store = None
        if self.crawl_id is None:
            store = Store.open(self.db_path)
            self.crawl_id = store.start_crawl(self.mode, [spider.name])
        self.shared = shared_writer(
            self.db_path,
            self.crawl_id,
            self.batch_size,
            store,
            background=self.background,
            meaning=self.meaning,
        )
        self.writer = self.shared.writer
        self.sources = register_sources(self.shared.store, spider)

    def process_item(self, output: PageItems | Item) -> PageItems | Item:
        assert self.writer is not None and self.crawler.stats is not None
        items = items_of(output)
        self.crawler.stats.inc_value(ITEM_SCRAPED_COUNT, len(items))  # an item's last stop
        if self.fault is None:
            try:
                for item in items:
                    self.writer.write(item)
            except StoreError as error:
                self._fail(error)
                engine = self.crawler.engine
                assert engine is not None
                deferred_from_coro(engine.close_spider_async(reason="store_failed"))
        return output

    def close_spider(self) -> None:
        assert self.shared is not None and self.writer is not None and self.crawl_id is not None
        stats = self.crawler.stats
        assert stats is not None
        store = self.shared.store
        try:
            if self.fault is None:
                self.writer.flush()
                own = defaultdict(
                    SourceCounts,
                    {source: self.writer.counts[source] for source in self.sources},
                )
                with store.transaction():
                    record_counts(store, self.crawl_id, own, stats.get_stats())
                    if self.owns_crawl:
                        totals = dict(self.writer.totals())
                        store.finish_crawl(self.crawl_id, "ok", totals)
        except StoreError as error:
            self._fail(error)
        finally:
            release_writer(self.shared)

    def _fail(self, error: StoreError) -> None:
        """The store failed: said once; nothing more is written."""
        self.fault = error
        logger.error("store: %s; the crawl stops", error)
        assert self.crawler.stats is not None
        self.crawler.stats.set_value(STORE_FAULT, str(error))

    def spider_error(self) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("newsmon/spider_errors")


def register_sources(store: Store, spider: object) -> set[str]:
    """Record the sources a spider crawls (its site, or its configured sources); their ids."""
    site = getattr(spider, "site", None)
    if site is not None:
        store.ensure_source(
            site.id, name=site.name, home_url=site.home_url, lang=site.lang, tz=site.tz, kind="site"
        )
    sources = getattr(spider, "sources", ())
    for source in sources:
        store.ensure_source(
            source.id,
            name=source.name,
            home_url=source.home_url,
            lang=source.lang,
            tz=source.tz,
            kind=source.kind,
        )
    return {site.id} if site is not None else {source.id for source in sources}


def record_counts(
    store: Store,
    crawl_id: int,
    store_counts: defaultdict[str, SourceCounts],
    values: Mapping[str, Any],
) -> None:
    """Per source: pages, missing fixtures, errors, status codes and the store-side counts,
    from the store side's counts and the crawl's stats (a crawl spread over workers gathers
    both in Redis, `newsmon.distributed`)."""
    sources = set(store_counts) | {
        key.split("/")[2] for key in values if key.startswith("newsmon/source/")
    }
    for source in sorted(sources):
        prefix = f"newsmon/source/{source}/"
        codes = {
            key.rsplit("/", 1)[1]: value
            for key, value in values.items()
            if key.startswith(prefix + "status/")
        }
        counts = store_counts[source]
        pages = values.get(prefix + "pages", 0)
        errors = values.get(prefix + "errors", 0)
        missing = values.get(prefix + "missing", 0)
        answered = sum(n for code, n in codes.items() if code.startswith("2") or code == "304")
        failed = counts.headlines == 0 and answered == 0 and bool(pages or errors)
        store.conn.execute(
            """INSERT INTO crawl_sources (crawl_id, source_id, pages, missing, errors, articles,
                 headlines, new_headlines, new_appearances, status_codes, status)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(crawl_id, source_id) DO UPDATE SET
                 pages = pages + excluded.pages, missing = missing + excluded.missing,
                 errors = errors + excluded.errors, articles = articles + excluded.articles,
                 headlines = headlines + excluded.headlines,
                 new_headlines = new_headlines + excluded.new_headlines,
                 new_appearances = new_appearances + excluded.new_appearances,
                 status_codes = excluded.status_codes, status = excluded.status""",
            (
                crawl_id,
                source,
                pages,
                missing,
                errors,
                counts.articles,
                counts.headlines,
                counts.new_headlines,
                counts.new_appearances,
                json.dumps(codes, sort_keys=True),
                "failed" if failed else "ok",
            ),
        )
        record_page_counts(store, crawl_id, source, counts, values)
