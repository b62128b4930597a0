"""Challenge and script-only pages (newsmon.crawl.refusals): told apart from articles by the
markers only they carry, on pages shaped like the real ones (tests/refusal_pages)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from parsel import Selector
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newsmon.crawl.refusals import challenge_reason, refused_page, script_only

PAGES = Path(__file__).parent / "refusal_pages"


def page(name: str) -> Selector:
    return Selector(text=(PAGES / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "status", "vendor"),
    [
        ("cloudflare_challenge.html", 403, "Cloudflare"),
        ("cloudflare_challenge.html", 200, "Cloudflare"),
        ("cloudflare_blocked.html", 403, "Cloudflare"),
        ("datadome_captcha.html", 403, "DataDome"),
        ("perimeterx_block.html", 403, "PerimeterX"),
        ("akamai_denied.html", 403, "Akamai"),
        ("captcha_page.html", 200, "captcha"),
        ("consent_wall.html", 200, "consent wall"),
    ],
)
def test_a_challenge_page_is_named_by_its_vendor_or_kind(name: str, status: int, vendor: str):
    assert challenge_reason(status, {}, page(name)) == vendor
    assert not script_only(page(name))


def test_cloudflare_says_so_in_a_header_whatever_the_page():
    headers = {"cf-mitigated": "challenge", "server": "cloudflare"}
    assert challenge_reason(403, headers, Selector(text="<html><body></body></html>")) == (
        "Cloudflare"
    )
    assert challenge_reason(403, {"server": "cloudflare"}, Selector(text="<p>Hi</p>")) is None


def test_a_plea_for_javascript_is_a_bot_check_only_when_the_site_refused():
    plea = Selector(
        text="<html><head><title>news.example</title></head><body>"
        "<p>Please enable JavaScript and cookies to continue.</p></body></html>"
    )
    assert challenge_reason(403, {}, plea) == "bot check"
    assert challenge_reason(200, {}, plea) is None


@pytest.mark.parametrize("name", ["article_with_scripts.html", "short_article_with_state.html"])
def test_an_article_full_of_scripts_and_vendor_sensors_is_no_refusal(name: str):
    # A framework's state blob, tag manager, DataDome's and Cloudflare's sensors, a newsletter
    # reCAPTCHA and a <noscript> plea: all on a normal page.
    assert challenge_reason(200, {"server": "cloudflare"}, page(name)) is None
    assert not script_only(page(name))


@pytest.mark.parametrize("name", ["script_shell.html", "document_write.html"])
def test_a_page_whose_text_is_only_in_scripts_is_script_only(name: str):
    assert script_only(page(name))
    assert challenge_reason(200, {}, page(name)) is None


def test_a_refused_page_is_counted_for_its_source_and_kind():
    crawler = get_crawler()
    assert crawler.stats is not None
    crawler.stats.open_spider()

    def response(name: str, kind: str, status: int = 200) -> HtmlResponse:
        url = f"https://news.example/{name}"
        meta = {"source": "example", "page_kind": kind}
        body = (PAGES / name).read_bytes()
        return HtmlResponse(url, status=status, body=body, request=Request(url, meta=meta))

    reasons = [
        refused_page(response("cloudflare_challenge.html", "article", 403), None, crawler.stats),
        refused_page(response("script_shell.html", "article"), None, crawler.stats),
        refused_page(response("script_shell.html", "feed"), None, crawler.stats),
        refused_page(response("script_shell.html", "article", 404), None, crawler.stats),
        refused_page(response("article_with_scripts.html", "article"), None, crawler.stats),
    ]
    assert reasons == [
        "a challenge page (Cloudflare), not the page asked for",
        "its text is only inside scripts (a JavaScript-only page)",
        None,
        None,
        None,
    ]
    assert {
        key: value for key, value in crawler.stats.get_stats().items() if key.startswith("newsmon/")
    } == {
        "newsmon/source/example/challenge_pages": 1,
        "newsmon/source/example/challenge/Cloudflare": 1,
        "newsmon/source/example/script_only_pages": 1,
        "newsmon/source/example/script_only/article": 1,
    }


@pytest.mark.parametrize(
    "path",
    sorted((Path(__file__).parent / "extract_pages").glob("*.html.gz")),
    ids=lambda p: p.name,
)
def test_real_publisher_pages_are_no_refusal(path: Path):
    selector = Selector(text=gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
    assert challenge_reason(200, {}, selector) is None
    assert not script_only(selector)
