"""ccbsnews.info parser, specified by the seed capture and its reconstructed fixtures."""

from __future__ import annotations

from newsmon.items import ArticleItem, HeadlineItem
from newsmon.sites import all_sites
from tests.conftest import CCBSNEWS_CAPTURE, capture_lines, parse_seed_article, seed_page

ARTICLE_URL = "https://ccbsnews.info/en/news/detail/3293"
TITLE = "Azerbaijan and Turkey will ramp up military-technical cooperation"


def sidebar_from_capture() -> list[tuple[str, str]]:
    """(headline, ISO date) pairs of the capture's sidebar."""
    lines = capture_lines(CCBSNEWS_CAPTURE)[5:]
    months = {"Jul": "07"}
    pairs = []
    for title, shown in zip(lines[0::2], lines[1::2], strict=True):
        day, month, year = shown.split(".")
        pairs.append((title, f"{year}-{months[month]}-{day}"))
    return pairs


def test_article_has_no_invented_date(seed_fixtures):
    items = parse_seed_article(seed_fixtures, "ccbsnews", ARTICLE_URL)
    article = next(item for item in items if isinstance(item, ArticleItem))
    lines = capture_lines(CCBSNEWS_CAPTURE)
    assert article.url == ARTICLE_URL
    assert article.title == TITLE == lines[0]
    assert article.body == lines[1:5]
    assert article.published_at is None
    assert article.published_date is None
    assert article.site_article_id == "3293"
    assert article.lang == "en"
    assert article.alternates == {}


def test_sidebar_headlines_carry_their_dates(seed_fixtures):
    items = parse_seed_article(seed_fixtures, "ccbsnews", ARTICLE_URL)
    headlines = [item for item in items if isinstance(item, HeadlineItem)]
    assert [(h.context, h.title) for h in headlines if h.context == "article"] == [
        ("article", TITLE)
    ]
    sidebar = [h for h in headlines if h.context == "sidebar"]
    assert [(h.title, h.published_date) for h in sidebar] == sidebar_from_capture()
    assert {(h.published_at, h.published_basis) for h in sidebar} == {(None, "date_only")}
    assert all(h.url and h.url.startswith("https://ccbsnews.info/en/news/detail/") for h in sidebar)


def test_listing_page(seed_fixtures):
    page = seed_page(seed_fixtures, "https://ccbsnews.info/en/news")
    parser = all_sites()["ccbsnews"].parser_for(page.fetched_at)
    headlines = list(parser.parse_listing(page))
    assert [(h.title, h.published_date) for h in headlines] == [(TITLE, None)] + [
        pair for pair in sidebar_from_capture()
    ]
    assert {h.context for h in headlines} == {"listing"}
