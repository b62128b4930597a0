"""The anchor: a bare Scrapy crawl of a replay corpus, with no newsmon code at all.

    python benchmarks/anchor.py --corpus DIR --db anchor.db

What the cheapest useful crawler of the same pages costs: a plain Scrapy spider that starts
from the corpus's feeds and listings, follows every article link, reads each article with a
handful of parsel selectors (title, date, body paragraphs, latest-news links) and inserts rows
with sqlite-utils in batches of 500. Pages are served by a tiny download handler from the
corpus's files (its `manifest.json`, gzip-compressed bodies decompressed on the fly), with the
concurrency newsmon uses in replay (16 requests, no delays, no retries). Prints one JSON line:
pages, items, rows and Scrapy's own elapsed time. `--item-per-link` yields every link as an
item of its own, as newsmon yields every headline: the difference is Scrapy's cost per item.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy import signals
from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes
from sqlite_utils import Database

START_URLS = (
    "https://report.az/en/rss/",
    "https://report.az/en/news-feed/",
    "https://ccbsnews.info/en/rss",
    "https://ccbsnews.info/en/news",
)
ARTICLE_HOSTS = ("https://report.az/", "https://ccbsnews.info/")
BATCH = 500


class CorpusHandler(BaseDownloadHandler):
    """Answers every request from the corpus directory named by `ANCHOR_CORPUS`."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        root = Path(crawler.settings["ANCHOR_CORPUS"])
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        self.files = {
            entry["url"]: (root / entry["file"], entry.get("headers", {}))
            for entry in manifest["fixtures"]
        }

    async def download_request(self, request: Request) -> Response:
        found = self.files.get(request.url)
        if found is None:
            return Response(request.url, status=404, request=request)
        path, headers = found
        body = path.read_bytes()
        if path.suffix == ".gz":
            body = gzip.decompress(body)
        cls = responsetypes.from_args(headers=Headers(headers), url=request.url, body=body)
        return cls(url=request.url, headers=headers, body=body, request=request)


class AnchorSpider(scrapy.Spider):
    """Feeds and listings lead to articles; an article page gives its fields and the latest
    news it links."""

    name = "anchor"

    async def start(self) -> Any:
        for url in START_URLS:
            callback = self.parse_feed if "rss" in url else self.parse_listing
            yield scrapy.Request(url, callback=callback)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        links = [
            (item.xpath("link/text()").get(), item.xpath("title/text()").get())
            for item in response.xpath("//item")
        ]
        yield from self.page(response, links, {})

    def parse_listing(self, response: Response) -> Iterator[Any]:
        yield from self.page(response, self.news_links(response), {})
        older = response.css('link[rel~="next"]::attr(href)').get()
        if older:  # after this page's articles, as newsmon does
            yield response.follow(older, callback=self.parse_listing, priority=-1)

    def parse_article(self, response: Response) -> Iterator[Any]:
        published = response.css('meta[property="article:published_time"]::attr(content)')
        paragraphs = response.css("div.news-detail-text p::text").getall()
        article = {
            "url": response.url,
            "title": response.css("h1.news-detail-title::text").get(),
            "published": published.get() or response.css("span.article-date::text").get(),
            "body": "\n\n".join(text.strip() for text in paragraphs if text.strip()),
        }
        yield from self.page(response, self.news_links(response), article, follow=False)

    def news_links(self, response: Response) -> list[tuple[str | None, str | None]]:
        return [
            (entry.attrib.get("href"), entry.css("::text").get())
            for entry in response.css("li.news-item a.news-title")
        ]

    def page(
        self,
        response: Response,
        links: list[tuple[str | None, str | None]],
        article: dict[str, Any],
        *,
        follow: bool = True,
    ) -> Iterator[Any]:
        """One item per page (its article, if any, and the links it shows), or with
        `ANCHOR_ITEM_PER_LINK` one more item per link (as newsmon yields one per headline);
        feeds and listings lead to the articles they link."""
        if self.settings.getbool("ANCHOR_ITEM_PER_LINK"):
            yield {"page_url": response.url, "article": article, "links": []}
            for link in links:
                yield {"page_url": response.url, "article": {}, "links": [link]}
        else:
            yield {"page_url": response.url, "article": article, "links": links}
        if follow:
            for url, _ in links:
                if url and url.startswith(ARTICLE_HOSTS):
                    yield response.follow(url, callback=self.parse_article)


class SqlitePipeline:
    """Inserts articles and links with sqlite-utils, `BATCH` rows at a time per table."""

    def __init__(self, path: str) -> None:
        self.db = Database(path)
        self.db.enable_wal()  # as newsmon's store: no sync on every commit
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.pending: dict[str, list[dict[str, Any]]] = {}
        self.rows = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SqlitePipeline:
        pipeline = cls(crawler.settings["ANCHOR_DB"])
        crawler.signals.connect(pipeline.flush_all, signal=signals.spider_closed)
        return pipeline

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if item["article"]:
            self.add("articles", item["article"])
        for url, title in item["links"]:
            self.add("links", {"page_url": item["page_url"], "url": url, "title": title})
        return item

    def add(self, table: str, row: dict[str, Any]) -> None:
        rows = self.pending.setdefault(table, [])
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush(table)

    def flush(self, table: str) -> None:
        rows, self.pending[table] = self.pending[table], []
        self.db.table(table).insert_all(rows, batch_size=BATCH)
        self.rows += len(rows)

    def flush_all(self) -> None:
        for table in list(self.pending):
            self.flush(table)
        self.db.close()


def main() -> None:
    """Crawl the corpus and print what was done as one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument(
        "--item-per-link",
        action="store_true",
        help="yield every link as its own item (to measure Scrapy's cost per item)",
    )
    args = parser.parse_args()
    if args.db.exists():
        parser.error(f"--db {args.db}: exists; the anchor writes a fresh database")
    process = CrawlerProcess(
        {
            "ANCHOR_CORPUS": str(args.corpus.resolve()),
            "ANCHOR_DB": str(args.db),
            "ANCHOR_ITEM_PER_LINK": args.item_per_link,
            "DOWNLOAD_HANDLERS": {"http": CorpusHandler, "https": CorpusHandler},
            "ITEM_PIPELINES": {SqlitePipeline: 800},
            "CONCURRENT_REQUESTS": 16,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
            "DOWNLOAD_DELAY": 0,
            "RETRY_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": "WARNING",
        }
    )
    crawler = process.create_crawler(AnchorSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    db = Database(args.db)
    report = {
        "pages": stats.get("response_received_count", 0),
        "items": stats.get("item_scraped_count", 0),
        "articles": db.table("articles").count if db.table("articles").exists() else 0,
        "links": db.table("links").count if db.table("links").exists() else 0,
        "elapsed_s": stats.get("elapsed_time_seconds"),
    }
    json.dump(report, sys.stdout)
    print()


if __name__ == "__main__":
    main()
