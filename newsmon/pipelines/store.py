"""The store side of a crawl: every item goes through the StoreWriter into SQLite."""

from __future__ import annotations

import json

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from newsmon.items import ArticleItem, HeadlineItem
from newsmon.store import Store, default_db_path
from newsmon.store.writer import StoreWriter


class StorePipeline:
    """Writes items in batches; records the crawl's per-source counts when the spider closes.

    `NEWSMON_CRAWL_ID` names the crawl run the items belong to (set by `newsmon crawl`); when
    it is not set (a plain `scrapy crawl`), the pipeline records a crawl run of its own.
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
        self.writer.write(item)
        return item

    def close_spider(self) -> None:
        assert self.writer is not None and self.store is not None and self.crawl_id is not None
        self.writer.close()
        stats = self.crawler.stats
        assert stats is not None
        with self.store.transaction():
            record_source_counts(self.store, self.crawl_id, self.writer, stats)
            if self.owns_crawl:
                totals = dict(self.writer.totals())
                self.store.finish_crawl(self.crawl_id, "ok", totals)
        self.store.close()

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


def record_source_counts(
    store: Store, crawl_id: int, writer: StoreWriter, stats: StatsCollector
) -> None:
    """Per source: pages, missing fixtures, errors, status codes and the store-side counts."""
    values = stats.get_stats()
    sources = set(writer.counts) | {
        key.split("/")[2] for key in values if key.startswith("newsmon/source/")
    }
    for source in sorted(sources):
        prefix = f"newsmon/source/{source}/"
        codes = {
            key.rsplit("/", 1)[1]: value
            for key, value in values.items()
            if key.startswith(prefix + "status/")
        }
        counts = writer.counts[source]
        pages = values.get(prefix + "pages", 0)
        errors = values.get(prefix + "errors", 0)
        missing = values.get(prefix + "missing", 0)
        answered = sum(n for code, n in codes.items() if code.startswith("2") or code == "304")
        failed = counts.headlines == 0 and answered - missing <= 0 and (pages or errors)
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
