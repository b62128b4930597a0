"""The generic spider: every configured source of kind `generic`, without site code.

Feeds, sitemaps (indexes, gzipped, Google News) and listing pages yield headlines and lead
to article pages, which the generic extractor reads (with the source's selectors, if any).
Each source only follows links on its own domains, through its allow/deny patterns.

    scrapy crawl generic [-a source=ID[,ID…]] [-a config=PATH]
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.sitemap import sitemap_urls_from_robots

from newsmon.config import Config, Listing, SourceConfig, load_config
from newsmon.extract.article import extract_article
from newsmon.extract.links import article_links
from newsmon.extract.sitemaps import (
    INDEX,
    URLSET,
    read_sitemap,
    recent_entries,
    sitemap_body,
    sitemap_headlines,
)
from newsmon.normalize.dates import parse_iso
from newsmon.normalize.urls import canonical_url
from newsmon.settings_table import default
from newsmon.sites.base import Item
from newsmon.sites.parsing import unique_items
from newsmon.spiders.base import NewsSpider

logger = logging.getLogger(__name__)


class GenericSpider(NewsSpider):
    """Crawls the enabled configured sources (or those named by `-a source=ID,…`)."""

    name = "generic"

    def __init__(self, *args: Any, source: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.only = [name.strip() for name in (source or "").split(",") if name.strip()]
        self.sources: list[SourceConfig] = []
        self.by_id: dict[str, SourceConfig] = {}
        self.max_age_days = 0.0
        # Sitemaps asked for in this crawl (canonical URLs): an index listing one again is a loop.
        self.sitemaps_requested: set[str] = set()
        # An index can list a new sitemap at every level (`rec?n=N+1`): how deep and how many
        # sitemaps a source may have read in one crawl, how many it has, and the sources told
        # so (each limit is logged once a source).
        self.max_sitemap_depth: int = default("NEWSMON_SITEMAP_MAX_DEPTH")
        self.max_sitemaps: int = default("NEWSMON_SITEMAP_MAX_COUNT")
        self.sitemaps_read: Counter[str] = Counter()
        self.sitemap_limits_logged: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> GenericSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        path = kwargs.get("config") or crawler.settings.get("NEWSMON_CONFIG") or None
        spider.max_age_days = crawler.settings.getfloat("NEWSMON_SITEMAP_MAX_AGE_DAYS")
        spider.max_sitemap_depth = crawler.settings.getint(
            "NEWSMON_SITEMAP_MAX_DEPTH", default("NEWSMON_SITEMAP_MAX_DEPTH")
        )
        spider.max_sitemaps = crawler.settings.getint(
            "NEWSMON_SITEMAP_MAX_COUNT", default("NEWSMON_SITEMAP_MAX_COUNT")
        )
        spider.use(load_config(path))
        return spider

    def use(self, config: Config) -> None:
        """Crawl the chosen generic sources of `config`."""
        self.sources = config.select_generic(self.only)
        self.by_id = {source.id: source for source in self.sources}
        domains = [domain for source in self.sources for domain in source.allowed_domains]
        self.allowed_domains = list(dict.fromkeys(domains))

    def allows_private_address(self, url: str) -> bool:
        """Whether `url` belongs to a source that allows private addresses (for the guard)."""
        return any(s.allow_private_addresses and s.on_site(url) for s in self.sources)

    def crawled_sources(self) -> list[str]:
        return [source.id for source in self.sources]

    def entry_requests(self, source: str) -> Iterator[scrapy.Request]:
        config = self.by_id[source]
        for url in config.feeds:
            yield self.page_request(url, self.parse_feed, "feed", source)
        for url in config.sitemaps:
            self.sitemaps_requested.add(canonical_url(url))
            self.sitemaps_read[source] += 1
            yield self.page_request(url, self.parse_sitemap, "sitemap", source)
        for listing in config.listings:
            yield self.page_request(
                listing.url, self.parse_listing, "listing", source, listing=listing
            )

    def source_of(self, response: Response) -> SourceConfig:
        return self.by_id[response.meta["source"]]

    def parse_sitemap(self, response: Response, depth: int = 0) -> Iterator[Item | scrapy.Request]:
        """A robots.txt's sitemaps, an index's recent sitemaps, or a URL set's recent
        articles (with the headlines of a Google News sitemap). `depth`: how many levels
        below one of the source's own sitemaps this one was listed."""
        source = self.source_of(response)
        if response.url.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                if source.on_site(url):
                    yield from self._sitemap_request(response, source, url, depth + 1)
            return
        try:
            body = sitemap_body(response.body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
        except ValueError as error:
            logger.warning("%s: not a sitemap (%s), skipped", response.url, error)
            return
        sitemap = read_sitemap(body)
        if sitemap.kind not in (INDEX, URLSET):
            logger.warning("%s: not a sitemap (root <%s>), skipped", response.url, sitemap.kind)
            return
        fetched_at = parse_iso(response.meta["fetched_at"])
        assert fetched_at is not None
        entries = sitemap.entries
        max_age = source.max_age_days or self.max_age_days
        if max_age:
            entries = recent_entries(entries, fetched_at, max_age, source.tz)
            logger.info(
                "%s: %d of %d entries changed in the last %g days",
                response.url,
                len(entries),
                len(sitemap.entries),
                max_age,
            )
        if sitemap.kind == INDEX:
            for entry in entries:
                if source.on_site(entry.url):
                    yield from self._sitemap_request(response, source, entry.url, depth + 1)
            return
        headlines = sitemap_headlines(
            entries,
            response.url,
            source=source.id,
            tz=source.tz,
            fetched_at=response.meta["fetched_at"],
            lang=source.lang,
        )
        yield from self.with_articles(source, headlines)
        for entry in entries:
            if entry.news_title is None and source.is_article(entry.url):
                yield self.page_request(entry.url, self.parse_article, "article", source.id)

    def _sitemap_request(
        self, response: Response, source: SourceConfig, url: str, depth: int
    ) -> Iterator[scrapy.Request]:
        """A request for a sitemap that `response` lists `depth` levels below the source's own,
        unless this crawl asked for it already or the source has reached a sitemap limit."""
        try:
            canonical = canonical_url(url)
        except ValueError as error:
            logger.warning("%s: lists a sitemap at an unusable address: %s", response.url, error)
            return
        if canonical in self.sitemaps_requested:
            logger.warning(
                "%s: lists %s, a sitemap already read (a loop): not read again", response.url, url
            )
            return
        if depth > self.max_sitemap_depth:
            self._sitemap_limit(
                source,
                "depth",
                f"{response.url}: lists {url}, a sitemap {depth} levels below the source's own: "
                f"not read, nor any deeper one of source {source.id!r} in this crawl "
                f"(NEWSMON_SITEMAP_MAX_DEPTH = {self.max_sitemap_depth})",
            )
            return
        if self.sitemaps_read[source.id] >= self.max_sitemaps:
            self._sitemap_limit(
                source,
                "count",
                f"{response.url}: lists {url}: source {source.id!r} has asked for "
                f"{self.sitemaps_read[source.id]} sitemaps in this crawl, the most it may: "
                "neither this one nor any further one is read "
                f"(NEWSMON_SITEMAP_MAX_COUNT = {self.max_sitemaps})",
            )
            return
        self.sitemaps_requested.add(canonical)
        self.sitemaps_read[source.id] += 1
        yield self.page_request(url, self.parse_sitemap, "sitemap", source.id, depth=depth)

    def _sitemap_limit(self, source: SourceConfig, limit: str, line: str) -> None:
        """Log `line` the first time `source` reaches `limit` in this crawl."""
        if (source.id, limit) not in self.sitemap_limits_logged:
            self.sitemap_limits_logged.add((source.id, limit))
            logger.warning("%s", line)

    def parse_listing(
        self, response: Response, listing: Listing
    ) -> Iterator[Item | scrapy.Request]:
        """The article links of a listing page as headlines; the articles are followed."""
        page = self.page(response)
        if page is None:
            return
        source = self.source_of(response)
        links = article_links(
            page.selector,
            page.url,
            link_selector=listing.links,
            allow=[pattern.pattern for pattern in source.allow],
            deny=[pattern.pattern for pattern in source.deny],
        )
        headlines = []
        for position, (url, text) in enumerate(links):
            headline = page.headline(text, url, "listing", position, lang=page.lang or source.lang)
            if headline:
                headlines.append(headline)
        yield from unique_items(headlines)
        for url, _ in links:
            if source.is_article(url):
                yield self.page_request(url, self.parse_article, "article", source.id)
        yield from self.next_listing_page(response, page, self.parse_listing, listing=listing)

    def parse_article(self, response: Response) -> Iterator[Item]:
        """The article, read by the generic extractor, and its own `article` headline."""
        page = self.page(response)
        if page is None:
            return
        source = self.source_of(response)
        article = extract_article(
            page.url,
            page.selector,
            page.fetched_at,
            source=source.id,
            tz=source.tz,
            lang=source.lang,
            selectors=source.selectors,
        )
        yield article
        yield from page.article_headline(article)
