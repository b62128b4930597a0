"""The store side of a crawl: every item goes through the StoreWriter into SQLite."""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import deferred_from_coro

from newsmon.health import record_page_counts
from newsmon.items import ArticleItem, HeadlineItem
from newsmon.store import Store, StoreError, default_db_path
from newsmon.store.writer import SourceCounts, StoreWriter

logger = logging.getLogger(__name__)

# The stat naming the store's failure, when it stopped the crawl.
STORE_FAULT = "newsmon/store_fault"


class StorePipeline:
    """Writes items in batches; records the crawl's per-source counts when the spider closes.

    `NEWSMON_CRAWL_ID` names the crawl run the items belong to (set by `newsmon crawl`); when
    it is not set (a plain `scrapy crawl`), the pipeline records a crawl run of its own. When
    the store itself fails (disk full, damaged file), the crawl stops with one log line:
    nothing more could be stored.
    """

    def __init__(
        self, crawler: Crawler, db_path: str, crawl_id: int | None, mode: str, batch_size: int
    ) -> None:
        self.crawler = crawler
        self.db_path = db_path
        self.crawl_id = crawl_id
        self.owns_crawl = crawl_id is None
        self.mode = mode
        self.batch_size = batch_size
        self.store: Store | None = None
        self.writer: StoreWriter | None = None
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
            settings.getint("NEWSMON_STORE_BATCH", 500),
        )
        crawler.signals.connect(pipeline.spider_error, signal=signals.spider_error)
        return pipeline

    def open_spider(self) -> None:
        self.store = Store.open(self.db_path)
        spider = self.crawler.spider
        assert spider is not None
        if self.crawl_id is None:
            self.crawl_id = self.store.start_crawl(self.mode, [spider.name])
        register_sources(self.store, spider)
        self.writer = StoreWriter(self.store, self.crawl_id, batch_size=self.batch_size)

    def process_item(self, item: ArticleItem | HeadlineItem) -> ArticleItem | HeadlineItem:
        assert self.writer is not None
        if self.fault is None:
            try:
                self.writer.write(item)
            except StoreError as error:
                self._fail(error)
                engine = self.crawler.engine
                assert engine is not None
                deferred_from_coro(engine.close_spider_async(reason="store_failed"))
        return item

    def close_spider(self) -> None:
        assert self.writer is not None and self.store is not None and self.crawl_id is not None
        stats = self.crawler.stats
        assert stats is not None
        try:
            if self.fault is None:
                self.writer.close()
                with self.store.transaction():
                    record_source_counts(self.store, self.crawl_id, self.writer, stats)
                    if self.owns_crawl:
                        totals = dict(self.writer.totals())
                        self.store.finish_crawl(self.crawl_id, "ok", totals)
        except StoreError as error:
            self._fail(error)
        finally:
            self.store.close()

    def _fail(self, error: StoreError) -> None:
        """The store failed: said once; nothing more is written."""
        self.fault = error
        logger.error("store: %s; the crawl stops", error)
        assert self.crawler.stats is not None
        self.crawler.stats.set_value(STORE_FAULT, str(error))

    def spider_error(self) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("newsmon/spider_errors")


def register_sources(store: Store, spider: object) -> None:
    """Record the sources a spider crawls (its site, or its configured sources)."""
    site = getattr(spider, "site", None)
    if site is not None:
        store.ensure_source(
            site.id, name=site.name, home_url=site.home_url, lang=site.lang, tz=site.tz, kind="site"
        )
    for source in getattr(spider, "sources", ()):
        store.ensure_source(
            source.id,
            name=source.name,
            home_url=source.home_url,
            lang=source.lang,
            tz=source.tz,
            kind=source.kind,
        )


def record_source_counts(
    store: Store, crawl_id: int, writer: StoreWriter, stats: StatsCollector
) -> None:
    """Per source: pages, missing fixtures, errors, status codes and the store-side counts."""
    record_counts(store, crawl_id, writer.counts, stats.get_stats())


def record_counts(
    store: Store,
    crawl_id: int,
    store_counts: defaultdict[str, SourceCounts],
    values: Mapping[str, Any],
) -> None:
    """`record_source_counts` from the counts themselves: the store side's per source, and the
    crawl's stats (a crawl spread over workers gathers both in Redis, `newsmon.distributed`)."""
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
