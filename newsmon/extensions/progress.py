"""A crawl's progress on one updating line of standard error: pages, items, pages/s.

Active only when standard error is a terminal (`NEWSMON_PROGRESS = "auto"`, the default), so
cron runs stay silent; `NEWSMON_PROGRESS = True/False` forces it on or off. Several spiders of
one process share the line, which shows their totals; it is redrawn every
`NEWSMON_PROGRESS_INTERVAL` seconds and cleared when the last spider closes.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from newsmon.ops.progress import DEFAULT_INTERVAL, StatusLine, progress_line
from newsmon.settings_table import default


class CrawlProgress:
    """Counts pages and items of every running crawler of the process on a `StatusLine`."""

    def __init__(self, crawler: Crawler, stream: TextIO, interval: float) -> None:
        self.crawler = crawler
        self.stream = stream
        self.interval = interval
        self.board: ProgressBoard | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        setting = str(crawler.settings.get("NEWSMON_PROGRESS", default("NEWSMON_PROGRESS"))).lower()
        stream = sys.stderr
        wanted = (
            stream.isatty() if setting == "auto" else crawler.settings.getbool("NEWSMON_PROGRESS")
        )
        if not wanted:
            raise NotConfigured  # without a reason: Scrapy logs none, cron logs stay clean
        interval = crawler.settings.getfloat("NEWSMON_PROGRESS_INTERVAL", DEFAULT_INTERVAL)
        extension = cls(crawler, stream, interval)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        self.board = ProgressBoard.shared(self.stream, self.interval)
        self.board.join(self.crawler)

    def engine_stopped(self) -> None:
        if self.board is not None:
            self.board.leave(self.crawler)


class ProgressBoard:
    """The one progress line of a process, summing the stats of the crawlers that joined it."""

    _shared: ProgressBoard | None = None

    def __init__(self, stream: TextIO, interval: float) -> None:
        self.line = StatusLine(stream, enabled=True)
        self.interval = interval
        self.crawlers: list[Crawler] = []
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def shared(cls, stream: TextIO, interval: float) -> ProgressBoard:
        """The board of the crawlers running in this process (a new one when none is)."""
        if cls._shared is None or (not cls._shared.crawlers and cls._shared.loop is None):
            cls._shared = cls(stream, interval)
        return cls._shared

    def join(self, crawler: Crawler) -> None:
        """Count this crawler; the first one starts the redrawing."""
        self.crawlers.append(crawler)
        if self.loop is None:
            self.started = time.monotonic()
            self.line.open()
            self.loop = task.LoopingCall(self.draw)
            self.loop.start(self.interval, now=False)

    def leave(self, crawler: Crawler) -> None:
        """Stop counting this crawler; after the last one the line is cleared."""
        if crawler in self.crawlers:
            self.crawlers.remove(crawler)
        if not self.crawlers and self.loop is not None:
            if self.loop.running:
                self.loop.stop()
            self.loop = None
            self.line.close()

    def text(self) -> str:
        """The line as it stands: pages and items of all crawlers, pages/s, elapsed time."""
        pages = items = 0
        for crawler in self.crawlers:
            if crawler.stats is not None:
                pages += crawler.stats.get_value("response_received_count", 0)
                items += crawler.stats.get_value("item_scraped_count", 0)
        label = "crawl" if len(self.crawlers) <= 1 else f"crawl ({len(self.crawlers)} spiders)"
        elapsed = time.monotonic() - self.started
        return progress_line(label, [(pages, "pages"), (items, "items")], elapsed)

    def draw(self) -> None:
        """Redraw the line."""
        self.line.show(self.text())
