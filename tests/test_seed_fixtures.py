"""The offline seed fixtures under seeds/ must stay faithful to the two text captures.

The captures (seeds/000_*.txt, seeds/003_*.txt) are the only real data; the HTML/RSS pages
around them are reconstructed. These tests check that every captured line is visible, in
order, in the reconstructed article page, that the feeds list exactly the captured headlines,
and that the replay manifest covers every fixture file once.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from parsel import Selector

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CCBS_CAPTURE = SEEDS / "000_3a305b344a0804e6.txt"
REPORT_CAPTURE = SEEDS / "003_91c3a99edbbec7d6.txt"
REPORT_PREFIX = " date 2026-03-03 "  # written by the capture tool, not page text
REPORT_URL = "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
CCBS_URL = "https://ccbsnews.info/en/news/detail/3293"
SOURCE_DIRS = ("report_az", "ccbsnews")
_WS = re.compile(r"\s+")
_TIME = re.compile(r"\d\d:\d\d")


def collapse(text: str) -> str:
    return _WS.sub(" ", text).strip()


def capture_lines(path: Path, prefix: str = "") -> list[str]:
    """The capture's non-empty lines, whitespace collapsed, with the tool's prefix removed."""
    raw = path.read_text(encoding="utf-8").split("\n")
    if prefix:
        assert raw[0].startswith(prefix), f"{path.name} does not start with {prefix!r}"
        raw[0] = raw[0][len(prefix) :]
    return [collapse(line) for line in raw if line.strip()]


def selector(relative: str) -> Selector:
    return Selector(text=(SEEDS / relative).read_text(encoding="utf-8"))


def visible_text(sel: Selector) -> str:
    nodes = sel.xpath("//body//text()[not(ancestor::script) and not(ancestor::style)]").getall()
    return collapse(" ".join(nodes))


def report_latest(lines: list[str]) -> list[dict[str, object]]:
    """The captured "Latest News" entries: time, Photo badge, headline, section."""
    rest = lines[lines.index("Latest News") + 1 :]
    assert rest[-1] == "All News Feed"
    rest = rest[:-1]
    entries, i = [], 0
    while i < len(rest):
        assert _TIME.fullmatch(rest[i]), rest[i]
        time, i = rest[i], i + 1
        photo = rest[i] == "Photo"
        i += photo
        entries.append({"time": time, "photo": photo, "title": rest[i], "section": rest[i + 1]})
        i += 2
    return entries


def ccbs_sidebar(lines: list[str]) -> list[tuple[str, str]]:
    """The captured sidebar: (headline, date) pairs after the four article paragraphs."""
    side = lines[5:]
    assert len(side) % 2 == 0
    return list(zip(side[0::2], side[1::2], strict=True))


REPORT_LINES = capture_lines(REPORT_CAPTURE, REPORT_PREFIX)
CCBS_LINES = capture_lines(CCBS_CAPTURE)


@pytest.mark.parametrize(
    ("lines", "fixture"),
    [
        (REPORT_LINES, "report_az/article-2026-03-03.html"),
        (CCBS_LINES, "ccbsnews/article-3293.html"),
    ],
    ids=["report_az", "ccbsnews"],
)
def test_capture_lines_visible_in_order(lines: list[str], fixture: str) -> None:
    # Padded with spaces so that a line only matches whole words ("Photo" not inside "Photos").
    text = f" {visible_text(selector(fixture))} "
    position = 0
    for number, line in enumerate(lines, 1):
        found = text.find(f" {line} ", position)
        assert found >= 0, (
            f"{fixture}: capture line {number} not found after offset {position}: {line!r}"
        )
        position = found + len(line) + 1


def test_capture_shapes() -> None:
    assert len(report_latest(REPORT_LINES)) == 9
    assert len(ccbs_sidebar(CCBS_LINES)) == 10
    # The trending bar appears twice in the capture (desktop and mobile copies on the page).
    assert (
        REPORT_LINES[0]
        == REPORT_LINES[1]
        == "Ilham Aliyev WUF13 Airstrikes on Iran SGC Advisory Council"
    )


def _rss_items(relative: str) -> list[ET.Element]:
    root = ET.parse(SEEDS / relative).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    return channel.findall("item")


def test_report_rss_matches_latest_news() -> None:
    items = _rss_items("report_az/rss.xml")
    latest = report_latest(REPORT_LINES)
    assert len(items) == 9
    assert [item.findtext("title") for item in items] == [entry["title"] for entry in latest]
    assert [item.findtext("category") for item in items] == [entry["section"] for entry in latest]
    for item, entry in zip(items, latest, strict=True):
        moment = parsedate_to_datetime(item.findtext("pubDate"))
        assert moment.strftime("%Y-%m-%d %H:%M %z") == f"2026-03-03 {entry['time']} +0400"
        assert item.findtext("guid") == item.findtext("link")
    page_links = (
        selector("report_az/article-2026-03-03.html")
        .css(".latest-news .news-item a.news-title::attr(href)")
        .getall()
    )
    assert [item.findtext("link") for item in items] == page_links
    feed_links = (
        selector("report_az/news-feed.html").css(".news-item a.news-title::attr(href)").getall()
    )
    assert feed_links == page_links
    seed = [item for item in items if item.findtext("pubDate").endswith("13:41:00 +0400")]
    assert [item.findtext("link") for item in seed] == [REPORT_URL]


def test_report_listing_blocks_match_capture() -> None:
    latest = report_latest(REPORT_LINES)
    for fixture, scope in (
        ("report_az/article-2026-03-03.html", ".latest-news"),
        ("report_az/news-feed.html", ".news-feed"),
    ):
        nodes = selector(fixture).css(f"{scope} .news-item")
        assert len(nodes) == 9, fixture
        for node, entry in zip(nodes, latest, strict=True):
            assert node.css(".news-time::text").get() == entry["time"]
            assert bool(node.css(".badge-photo")) == entry["photo"]
            assert node.css(".news-title::text").get() == entry["title"]
            assert node.css(".news-category::text").get() == entry["section"]


def test_ccbs_rss_matches_sidebar() -> None:
    items = _rss_items("ccbsnews/rss.xml")
    sidebar = ccbs_sidebar(CCBS_LINES)
    assert len(items) == 11
    assert [item.findtext("title") for item in items] == [CCBS_LINES[0]] + [
        title for title, _ in sidebar
    ]
    assert items[0].findtext("link") == CCBS_URL
    assert items[0].find("pubDate") is None
    for item, (_, shown) in zip(items[1:], sidebar, strict=True):
        moment = parsedate_to_datetime(item.findtext("pubDate"))
        assert moment.strftime("%d.%b.%Y %H:%M %z") == f"{shown} 00:00 +0400"
    page = selector("ccbsnews/article-3293.html")
    sidebar_links = page.css("aside.sidebar .news-item a.news-title::attr(href)").getall()
    assert [item.findtext("link") for item in items[1:]] == sidebar_links
    assert page.css("aside.sidebar .news-item .news-date::text").getall() == [
        date for _, date in sidebar
    ]
    listing = selector("ccbsnews/news.html").css(".news-item a.news-title::attr(href)").getall()
    assert listing == [CCBS_URL, *sidebar_links]


def _json_ld(sel: Selector) -> list[dict]:
    return [
        json.loads(script)
        for script in sel.xpath('//script[@type="application/ld+json"]/text()').getall()
    ]


def test_report_article_metadata() -> None:
    page = selector("report_az/article-2026-03-03.html")
    assert page.xpath("/html/@lang").get() == "en"
    assert page.xpath('//link[@rel="canonical"]/@href').get() == REPORT_URL
    assert (
        page.xpath('//meta[@property="article:published_time"]/@content').get()
        == "2026-03-03T13:41:00+04:00"
    )
    (article,) = _json_ld(page)
    assert article["@type"] == "NewsArticle"
    assert article["datePublished"] == article["dateModified"] == "2026-03-03T13:41:00+04:00"
    assert article["headline"] == page.css("h1::text").get()
    alternates = dict(
        zip(
            page.xpath('//link[@rel="alternate"][@hreflang]/@hreflang').getall(),
            page.xpath('//link[@rel="alternate"][@hreflang]/@href').getall(),
            strict=True,
        )
    )
    assert alternates["en"] == REPORT_URL
    other = page.css(".other-languages a::attr(href)").getall()
    assert other == [alternates["az"], alternates["ru"]]


def test_ccbs_article_carries_no_publication_date() -> None:
    page = selector("ccbsnews/article-3293.html")
    assert page.xpath('//link[@rel="canonical"]/@href').get() == CCBS_URL
    (article,) = _json_ld(page)
    assert article["@type"] == "NewsArticle"
    assert not {"datePublished", "dateModified", "dateCreated"} & article.keys()
    assert not page.xpath('//meta[contains(@property, "time") or contains(@name, "date")]')
    assert not page.xpath("//time")
    assert not page.css("article .news-date")


def test_manifest_covers_every_fixture_once() -> None:
    manifest_path = SEEDS / "manifest.json"
    raw = manifest_path.read_text(encoding="utf-8")
    manifest = json.loads(raw)
    assert raw == json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    fixtures = manifest["fixtures"]
    listed = [entry["file"] for entry in fixtures]
    on_disk = sorted(
        path.relative_to(SEEDS).as_posix()
        for directory in SOURCE_DIRS
        for path in (SEEDS / directory).rglob("*")
        if path.is_file() and not path.name.endswith(".expected.json")  # parser outputs
    )
    assert sorted(listed) == on_disk
    assert len(set(listed)) == len(listed)
    assert listed == sorted(listed), "entries are sorted by file, as FixtureSet.save() writes them"
    for entry in fixtures:
        assert set(entry) == {"fetched_at", "file", "headers", "source", "status", "url"}
        path = (SEEDS / entry["file"]).resolve()
        assert path.is_relative_to(SEEDS.resolve()) and path.is_file(), entry["file"]
        assert entry["source"] == entry["file"].split("/")[0]
        assert entry["status"] == 200
        assert entry["url"].startswith("https://")
        assert "Content-Type" in entry["headers"]
    urls = {entry["file"]: entry["url"] for entry in fixtures}
    assert urls["report_az/article-2026-03-03.html"] == REPORT_URL
    assert urls["ccbsnews/article-3293.html"] == CCBS_URL
