"""Feed exports (`-O items.jsonl`, `FEEDS`) of newsmon items one by one.

A page's items travel through Scrapy as one `PageItems` (`newsmon.items`); a feed holds the
items themselves, one record each, as `newsmon ingest` and every other reader of a feed expect.
Item filters (`item_classes`) and batches (`batch_item_count`) apply to those items.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.extensions.feedexport import FeedExporter

from newsmon.items import PageItems


class PageItemsFeedExporter(FeedExporter):
    """Scrapy's feed exporter, exporting the items of a page's bundle one by one."""

    def item_scraped(self, item: Any, spider: Spider) -> None:
        if not isinstance(item, PageItems):
            super().item_scraped(item, spider)
            return
        for one in item.items:
            super().item_scraped(one, spider)
