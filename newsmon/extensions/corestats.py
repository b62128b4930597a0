"""Scrapy's core stats, counting items rather than pages.

newsmon hands a page's items through Scrapy as one bundle (`newsmon.items.PageItems`), so
Scrapy's CoreStats would count pages as `item_scraped_count` on its `item_scraped` receiver
(which Scrapy runs as an asyncio task of its own for every bundle). newsmon's last stop of an
item counts the items instead: the store pipeline (`newsmon.pipelines.store`), or a worker's
stream (`newsmon.distributed.worker`). Receivers that need the signal (feed exports, `-O`)
still get it.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.extensions.corestats import CoreStats

ITEM_SCRAPED_COUNT = "item_scraped_count"


class CoreStatsWithoutItemSignal(CoreStats):
    """CoreStats (start and finish times, response and drop counts) minus `item_scraped`."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CoreStatsWithoutItemSignal:
        extension = super().from_crawler(crawler)
        crawler.signals.disconnect(extension.item_scraped, signal=signals.item_scraped)
        return extension
