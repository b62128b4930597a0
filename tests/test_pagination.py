"""Listings read page after page through their `rel="next"` link, up to NEWSMON_LISTING_PAGES."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newsmon.config import parse_config
from newsmon.spiders.generic import GenericSpider
from tests.helpers import ROOT, newsmon

LISTING = "https://report.az/en/news-feed/"
STORED = "https://report.az/en/news-feed"  # as stored: canonical
SEED_LISTING = ROOT / "seeds" / "report_az" / "news-feed.html"
GENERIC_SITES = ROOT / "tests" / "generic_sites"


def older_page(html: str, number: int) -> str:
    """The seed listing as its page `number`: other headlines, linking the page after it."""
    html = html.replace(
        'class="news-title" href="https://report.az/en/',
        f'class="news-title" href="https://report.az/en/page-{number}-',
    )
    html = html.replace(
        'class="news-title" href="/en/', f'class="news-title" href="/en/page-{number}-'
    )
    return html.replace(
        '<h1 class="page-title">All News Feed</h1>',
        f'<h1 class="page-title">All News Feed</h1>\n'
        f'<a class="pager" rel="next" href="/en/news-feed/?page={number + 1}">Older news</a>',
    )


@pytest.fixture(scope="module")
def paged_replay(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """report.az's seed pages, its listing three pages deep (pages 2 and 3 link other headlines)."""
    folder = tmp_path_factory.mktemp("paged")
    shutil.copytree(ROOT / "seeds" / "report_az", folder / "report_az")
    manifest = json.loads((ROOT / "seeds" / "manifest.json").read_text(encoding="utf-8"))
    fixtures = [entry for entry in manifest["fixtures"] if entry["source"] == "report_az"]
    seed_html = SEED_LISTING.read_text(encoding="utf-8")
    (folder / "report_az" / "news-feed.html").write_text(
        seed_html.replace(
            '<h1 class="page-title">All News Feed</h1>',
            '<h1 class="page-title">All News Feed</h1>\n'
            '<a class="pager" rel="next" href="?page=2">Older news</a>',
        ),
        encoding="utf-8",
    )
    listing_entry = next(entry for entry in fixtures if entry["url"] == LISTING)
    for number in (2, 3):
        name = f"report_az/news-feed-{number}.html"
        (folder / name).write_text(older_page(seed_html, number), encoding="utf-8")
        fixtures.append({**listing_entry, "url": f"{LISTING}?page={number}", "file": name})
    (folder / "manifest.json").write_text(json.dumps({"fixtures": fixtures}), encoding="utf-8")
    return folder


def listing_headlines(replay: Path, db: Path, *settings: str) -> dict[str, int]:
    """The listing headlines a replay crawl of report.az stored, counted per page."""
    run = newsmon("crawl", "report_az", "--replay", str(replay), "--db", str(db), *settings)
    assert run.returncode == 0, run.stderr
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT page_url, count(*) FROM appearances WHERE context = 'listing' "
            "GROUP BY page_url ORDER BY page_url"
        ).fetchall()
    return dict(rows)


def test_a_crawl_reads_the_first_page_of_a_listing_by_default(paged_replay, tmp_path) -> None:
    assert listing_headlines(paged_replay, tmp_path / "one.db") == {STORED: 9}


def test_listing_pages_follows_next_links_that_far_and_no_further(paged_replay, tmp_path) -> None:
    pages = listing_headlines(paged_replay, tmp_path / "two.db", "-s", "NEWSMON_LISTING_PAGES=2")
    assert pages == {STORED: 9, f"{STORED}?page=2": 9}


def test_the_last_page_of_a_listing_ends_the_walk(paged_replay, tmp_path) -> None:
    pages = listing_headlines(paged_replay, tmp_path / "all.db", "-s", "NEWSMON_LISTING_PAGES=10")
    # Page 3's next link leads to a page the site does not have: one missing page, no more.
    assert pages == {STORED: 9, f"{STORED}?page=2": 9, f"{STORED}?page=3": 9}


GENERIC_CONFIG = """
[[sources]]
id = "example"
home_url = "https://www.example-news.test/"
tz = "Europe/London"
listings = [{url = "https://www.example-news.test/latest", links = "ul.latest a"}]
"""


def generic_listing(url: str, next_href: str | None) -> HtmlResponse:
    pager = f'<link rel="next" href="{next_href}">' if next_href else ""
    body = f"""<html><head>{pager}</head><body><ul class="latest">
      <li><a href="/news/2026/03/03/budget-passes">Budget passes first reading</a></li>
    </ul></body></html>"""
    meta = {"source": "example", "page_kind": "listing", "fetched_at": "2026-03-03T12:00:00+00:00"}
    return HtmlResponse(url, body=body.encode(), request=Request(url, meta=meta), encoding="utf-8")


def test_a_configured_listing_follows_its_head_next_link_too() -> None:
    config = parse_config(GENERIC_CONFIG, "test.toml")
    crawler = get_crawler(GenericSpider, {"NEWSMON_LISTING_PAGES": 3})
    spider = GenericSpider.from_crawler(crawler, config=str(GENERIC_SITES / "sources.toml"))
    spider.use(config)
    listing = spider.by_id["example"].listings[0]

    output = list(spider.parse_listing(generic_listing(listing.url, "/latest?p=2"), listing))
    pages = [request for request in output if isinstance(request, Request)]
    next_page = pages[-1]
    assert [request.url for request in pages] == [
        "https://www.example-news.test/news/2026/03/03/budget-passes",
        "https://www.example-news.test/latest?p=2",
    ]
    assert next_page.meta["listing_page"] == 2
    assert next_page.meta["page_kind"] == "listing"
    assert next_page.cb_kwargs == {"listing": listing}
    assert next_page.priority < pages[0].priority  # the page's articles go first

    third = generic_listing(next_page.url, "/latest?p=3")
    third.request.meta["listing_page"] = 3
    assert [r for r in spider.parse_listing(third, listing) if isinstance(r, Request)][-1].url == (
        "https://www.example-news.test/news/2026/03/03/budget-passes"
    )
