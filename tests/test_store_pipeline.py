"""The store pipeline: the spiders of one crawl write through one shared writer; a page's items
pass the pipelines together."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scrapy.utils.test import get_crawler

from newsmon.items import HeadlineItem, PageItems
from newsmon.pipelines.normalize import NormalizePipeline
from newsmon.pipelines.store import StorePipeline
from newsmon.spiders.site import SITE_SPIDERS
from newsmon.store import Store


def pipeline_of(spider: str, db: Path, crawl_id: int) -> StorePipeline:
    """The store pipeline of a crawler running `spider` in crawl `crawl_id`, opened."""
    spider_class = SITE_SPIDERS[spider]
    crawler = get_crawler(spider_class, {"NEWSMON_DB": str(db), "NEWSMON_CRAWL_ID": crawl_id})
    crawler.spider = spider_class.from_crawler(crawler)
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline


def headline(source: str, title: str, url: str) -> HeadlineItem:
    return HeadlineItem(
        source=source,
        title=title,
        url=url,
        seen_at="2026-03-03T11:00:00+00:00",
        page_url=url.rsplit("/", 1)[0],
        context="listing",
    )


def crawl_sources(db: Path) -> dict[str, tuple[int, int]]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT source_id, headlines, new_headlines FROM crawl_sources ORDER BY source_id"
        ).fetchall()
    return {source: (headlines, new) for source, headlines, new in rows}


def test_the_spiders_of_one_crawl_share_one_writer_and_count_their_own_sources(
    tmp_path: Path,
) -> None:
    db = tmp_path / "store.db"
    store = Store.open(db)
    crawl_id = store.start_crawl("replay", ["report_az", "ccbsnews"])
    store.close()
    report = pipeline_of("report_az", db, crawl_id)
    ccbs = pipeline_of("ccbsnews", db, crawl_id)
    assert report.writer is ccbs.writer  # one connection, one page cache, one story index

    report.process_item(
        headline("report_az", "Caspian ferry line reopens", "https://report.az/en/a/ferry")
    )
    report.process_item(
        headline("report_az", "Baku hosts energy week", "https://report.az/en/a/energy-week")
    )
    ccbs.process_item(
        headline("ccbsnews", "Tbilisi opens a new bridge", "https://ccbsnews.info/en/news/1")
    )

    report.close_spider()
    # The first spider's close stored every queued item and its own source's counts only;
    # the store stays open for the other spider.
    assert crawl_sources(db) == {"report_az": (2, 2)}
    ccbs.process_item(
        headline("ccbsnews", "Batumi port extends its pier", "https://ccbsnews.info/en/news/2")
    )
    ccbs.close_spider()
    assert crawl_sources(db) == {"ccbsnews": (2, 2), "report_az": (2, 2)}
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM headlines").fetchone() == (4,)


def test_crawls_of_their_own_do_not_share_a_writer(tmp_path: Path) -> None:
    db = tmp_path / "store.db"
    first = pipeline_of("report_az", db, 0)  # 0: no NEWSMON_CRAWL_ID, a crawl run of its own
    second = pipeline_of("report_az", db, 0)
    assert first.crawl_id != second.crawl_id
    assert first.writer is not second.writer
    first.close_spider()
    second.close_spider()


def test_a_pages_items_are_normalized_and_stored_together_and_a_bad_one_is_dropped_alone(
    tmp_path: Path, caplog
) -> None:
    db = tmp_path / "store.db"
    store = Store.open(db)
    crawl_id = store.start_crawl("replay", ["report_az"])
    store.close()
    pipeline = pipeline_of("report_az", db, crawl_id)
    normalize = NormalizePipeline.from_crawler(pipeline.crawler)
    listing = "https://report.az/en/news-feed/"
    page = PageItems(
        listing,
        [
            HeadlineItem(
                source="report_az",
                title="  Caspian ferry\u00a0line reopens ",
                url="https://report.az/en/a/ferry?utm_source=rss",
                page_url=listing,
                context="listing",
                seen_at="2026-03-03T15:00:00+04:00",
            ),
            HeadlineItem(
                source="report_az",
                title=" ",
                url="https://report.az/en/a/empty",
                page_url=listing,
                context="listing",
                seen_at="2026-03-03T15:00:00+04:00",
            ),
        ],
    )
    assert pipeline.process_item(normalize.process_item(page)) is page
    pipeline.close_spider()

    assert [(h.title, h.url, h.seen_at) for h in page.items] == [
        ("Caspian ferry line reopens", "https://report.az/en/a/ferry", "2026-03-03T11:00:00+00:00")
    ]
    assert caplog.messages == [
        "https://report.az/en/news-feed/: headline without text; item dropped"
    ]
    stats = pipeline.crawler.stats
    assert stats.get_value("item_dropped_count") == 1
    assert stats.get_value("item_scraped_count") == 1
    assert crawl_sources(db) == {"report_az": (1, 1)}
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT title FROM headlines").fetchall() == [
            ("Caspian ferry line reopens",)
        ]
