"""Article links on a hand-written home page."""

from __future__ import annotations

from pathlib import Path

import pytest
from parsel import Selector

from newsmon.extract.links import article_links, is_article_url, same_site

LISTING = Path(__file__).resolve().parent / "generic_pages" / "listing.html"
BASE = "https://www.example-news.test/"
SITE = "https://www.example-news.test"

EARTHQUAKE = (
    f"{SITE}/world/2026/03/03/earthquake-shakes-coastal-towns-no-injuries-reported",
    "Earthquake shakes coastal towns, no injuries reported",
)
CENTRAL_BANK = (
    f"{SITE}/business/2026/03/03/central-bank-holds-rates-as-inflation-eases",
    "Central bank holds rates steady as inflation eases for third month",
)
FERRY = (
    f"{SITE}/world/2026/03/03/ferry-operators-add-routes",
    "Ferry operators add summer routes across the strait",
)
SCHOOLS = (f"{SITE}/news/48213", "Schools to reopen after week-long heating outage")
SHIPWRECK = (f"{SITE}/science/2026/03/03/ancient-shipwreck", "Wreck")
DERBY = (
    f"{SITE}/sport/2026/03/02/city-win-derby-in-stoppage-time",
    "City win derby in stoppage time after dramatic comeback",
)
ELECTION = (
    "https://live.example-news.test/2026/03/03/election-results-as-they-come-in",
    "Election results as they come in, district by district",
)
TRAM = (
    f"{SITE}/opinion/why-the-new-tram-line-matters-more-than-you-think",
    "Why the new tram line matters more than you think",
)


@pytest.fixture(scope="module")
def listing() -> Selector:
    return Selector(text=LISTING.read_text(encoding="utf-8"))


def test_heuristics_find_the_article_links_in_page_order(listing: Selector) -> None:
    # Left out: cookie banner, header, nav (even its article link), tag, author, category,
    # pagination, search, PDF, mailto and javascript links, another site, a section page,
    # a one-word anchor, the breadcrumb and the footer.
    assert article_links(listing, BASE) == [
        EARTHQUAKE,
        CENTRAL_BANK,
        FERRY,
        SCHOOLS,
        DERBY,
        ELECTION,
        TRAM,
    ]


def test_duplicates_keep_the_first_position_and_the_longest_text(listing: Selector) -> None:
    links = dict(article_links(listing, BASE))
    # The image link comes first with no text, then the headline, then "12 comments".
    assert links[CENTRAL_BANK[0]] == CENTRAL_BANK[1]
    # "Read more" after the headline; a second spelling of the URL without www.
    assert links[FERRY[0]] == FERRY[1]
    assert links[DERBY[0]] == DERBY[1]


def test_link_selector_of_containers_takes_only_their_links(listing: Selector) -> None:
    assert article_links(listing, BASE, link_selector="article.card h2") == [
        CENTRAL_BANK,
        FERRY,
        SCHOOLS,
        SHIPWRECK,
    ]


def test_link_selector_xpath_skips_the_heuristics(listing: Selector) -> None:
    links = article_links(listing, BASE, link_selector="//section[@class='more-news']//a")
    assert [url for url, _ in links] == [
        f"{SITE}/category/sport",
        DERBY[0],
        ELECTION[0],
        "https://other-paper.test/2026/03/03/rival-story-about-the-derby-result",
        f"{SITE}/files/annual-report-2025-full-version.pdf",
        f"{SITE}/page/2",
        f"{SITE}/search?q=weather+warning+for+the+coast",
    ]


def test_link_selector_may_select_hrefs(listing: Selector) -> None:
    links = article_links(listing, BASE, link_selector="article.card h2 a::attr(href)")
    assert links[0] == (CENTRAL_BANK[0], "")


def test_allow_replaces_the_url_guesses(listing: Selector) -> None:
    assert article_links(listing, BASE, allow=[r"/sport/"]) == [DERBY]
    assert article_links(listing, BASE, allow=r"/sport/") == [DERBY]
    rival = article_links(listing, BASE, allow=[r"/2026/03/03/"])
    assert (
        "https://other-paper.test/2026/03/03/rival-story-about-the-derby-result",
        "Rival paper: our own story about the derby result",
    ) in rival


def test_deny_removes_matching_links(listing: Selector) -> None:
    links = article_links(listing, BASE, deny=[r"//live\.", r"/news/\d+"])
    assert links == [EARTHQUAKE, CENTRAL_BANK, FERRY, DERBY, TRAM]


def test_base_tag_and_relative_links() -> None:
    html = (
        "<html><head><base href='https://www.example-news.test/world/'></head><body>"
        "<a href='2026/03/03/ferry-operators-add-routes'>Ferry operators add summer "
        "routes across the strait</a>"
        "<a href='../news/48213'>Schools to reopen after week-long heating outage</a>"
        "<a href='#top'>Back to the top of this page please</a></body></html>"
    )
    links = article_links(Selector(text=html), "https://www.example-news.test/world")
    assert links == [FERRY, SCHOOLS]


def test_malformed_addresses_are_skipped() -> None:
    html = (
        "<html><head><base href='http://[::1'></head><body>"
        "<a href='http://[::1/2026/03/03/x'>A malformed address of an article link</a>"
        "<a href='/news/48213'>Schools to reopen after week-long heating outage</a>"
        "</body></html>"
    )
    assert article_links(Selector(text=html), "https://www.example-news.test/") == [SCHOOLS]


def test_article_header_is_not_page_chrome() -> None:
    html = (
        "<body><header><a href='/a/2026/1/x-y-z'>Header link of the page itself</a></header>"
        "<article><header><a href='/a/2026/2/x-y-z'>Headline inside an article card</a>"
        "</header></article></body>"
    )
    links = article_links(Selector(text=html), BASE)
    assert links == [(f"{SITE}/a/2026/2/x-y-z", "Headline inside an article card")]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.test/world/2026/03/03/storm-hits-coast", True),
        ("https://example.test/news/48213", True),
        ("https://example.test/48213", True),
        ("https://example.test/politics/storm-hits", True),
        ("https://example.test/storm-hits-the-coast", True),
        ("https://example.test/index.php?id=20940", True),
        ("https://example.test/?p=123", True),
        ("https://example.test/a/b/article.html", True),
        ("https://example.test/", False),
        ("https://example.test/politics", False),
        ("https://example.test/storm-hits", False),
        ("https://example.test/tag/storm-2026", False),
        ("https://example.test/category/world/2026", False),
        ("https://example.test/author/ann-lee", False),
        ("https://example.test/news/page/2", False),
        ("https://example.test/news?page=2", False),
        ("https://example.test/search?q=storm+2026", False),
        ("https://example.test/login", False),
        ("https://example.test/media/2026/03/photo.JPG", False),
        ("https://example.test/files/report-2025.pdf", False),
        ("ftp://example.test/news/48213", False),
    ],
)
def test_is_article_url(url: str, expected: bool) -> None:
    assert is_article_url(url) is expected


@pytest.mark.parametrize(
    ("url", "other", "expected"),
    [
        ("https://www.example.test/a", "https://example.test/b", True),
        ("https://live.example.test/a", "https://www.example.test/", True),
        ("https://example.test/a", "https://other.test/a", False),
        ("https://notexample.test/a", "https://example.test/a", False),
        ("mailto:someone@example.test", "https://example.test/", False),
    ],
)
def test_same_site(url: str, other: str, expected: bool) -> None:
    assert same_site(url, other) is expected
