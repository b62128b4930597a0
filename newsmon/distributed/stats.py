"""A worker's stats: Scrapy's, plus the per-source counts not yet handed to their run."""

from __future__ import annotations

from collections import Counter
from typing import Any

from scrapy.crawler import Crawler
from scrapy.statscollectors import MemoryStatsCollector

SOURCE_STATS = "newsmon/source/"


class RunStatsCollector(MemoryStatsCollector):
    """Keeps the increments of `newsmon/source/<id>/…` counts until the scheduler's next
    checkpoint sends them to the run they belong to (`take_source_counts`)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.unsent: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1, start: int = 0, spider: Any = None) -> None:
        super().inc_value(key, count, start)
        if key.startswith(SOURCE_STATS):
            self.unsent[key] += count

    def take_source_counts(self) -> Counter[str]:
        """The per-source increments since the last call."""
        unsent, self.unsent = self.unsent, Counter()
        return unsent


def source_of_stat(key: str) -> str:
    """The source id of a `newsmon/source/<id>/…` stat."""
    return key[len(SOURCE_STATS) :].split("/", 1)[0]
