"""Article pages already in the store are not fetched again (unless `NEWSMON_REFRESH`).

A spider middleware: requests for article pages whose URL belongs to a stored article that
was fetched (`articles.fetched_at` set) are dropped before they are scheduled, and counted as
`newsmon/source/<id>/known_articles`; a re-read that is due (`meta["reread"]`, from
`newsmon.middlewares.rereads`) goes through. Off in replay, where pages are re-read on purpose.
"""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from newsmon.store import Store, default_db_path


class KnownArticlesMiddleware(BaseSpiderMiddleware):
    """Drops requests for article pages the store already has."""

    def __init__(self, crawler: Crawler, db_path: str) -> None:
        super().__init__(crawler)
        self.db_path = db_path
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> KnownArticlesMiddleware:
        settings = crawler.settings
        if settings.get("NEWSMON_REPLAY_DIR"):
            raise NotConfigured  # replay re-reads saved pages on purpose
        if settings.getbool("NEWSMON_REFRESH"):
            raise NotConfigured  # every article page is fetched again
        middleware = cls(crawler, settings.get("NEWSMON_DB") or default_db_path())
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self) -> None:
        self.store = Store.open(self.db_path)

    def spider_closed(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    def get_processed_request(self, request: Request, response: Response | None) -> Request | None:
        if request.meta.get("page_kind") != "article" or request.meta.get("reread"):
            return request
        if self.store is None:
            return request
        if not is_fetched_article(self.store, request.url):
            return request
        assert self.crawler.stats is not None
        source = request.meta.get("source") or ""
        self.crawler.stats.inc_value(f"newsmon/source/{source}/known_articles")
        return None


def is_fetched_article(store: Store, url: str) -> bool:
    """Whether `url` is one of the URLs of an article whose page was fetched and stored."""
    return (
        store.one(
            """SELECT 1 FROM article_urls u JOIN articles a ON a.id = u.article_id
               WHERE u.url = ? AND a.fetched_at IS NOT NULL""",
            (url,),
        )
        is not None
    )
