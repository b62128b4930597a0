"""Scrapy's core stats without a receiver on every scraped item.

Scrapy runs each receiver of `item_scraped` as an asyncio task of its own, for every item; when
Scrapy's CoreStats is the only receiver, those tasks count one number at 7 % of a replay
crawl's time (sampled with py-spy). newsmon's last stop of an item counts `item_scraped_count`
instead: the store pipeline (`newsmon.pipelines.store`), or a worker's stream
(`newsmon.distributed.worker`). Receivers that need the signal (feed exports, `-O`) still get
it.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.extensions.corestats import CoreStats

ITEM_SCRAPED_COUNT = "item_scraped_count"


class CoreStatsWithoutItemSignal(CoreStats):
    """CoreStats (start and finish times, response, item and drop counts) minus `item_scraped`."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CoreStatsWithoutItemSignal:
        extension = super().from_crawler(crawler)
        crawler.signals.disconnect(extension.item_scraped, signal=signals.item_scraped)
        return extension
