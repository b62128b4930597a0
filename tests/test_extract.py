"""The generic article extractor on hand-written pages, field by field."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import trafilatura
from lxml.html import HtmlElement
from parsel import Selector

from newsmon.extract.article import extract_article, extraction_report, language_code
from newsmon.extract.given_names import is_given_name
from newsmon.extract.metadata import first_json_value
from newsmon.items import ArticleItem
from newsmon.normalize.text import strip_site_name

PAGES = Path(__file__).resolve().parent / "generic_pages"
CASES = sorted(path.name for path in PAGES.iterdir() if (path / "expected.json").is_file())
FETCHED = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
URL = "https://www.example-news.test/world/2026/03/03/some-story"
BODY = (
    "<p>The first paragraph of the story is long enough to read as real article text, with "
    "several clauses, numbers such as 42 and 2026, and a closing remark from a spokesperson.</p>"
    "<p>The second paragraph adds more detail about what happened next, who said what, and "
    "why it matters to readers who follow this story closely from day to day.</p>"
    "<p>The third paragraph ends the story with the outlook for the coming weeks.</p>"
)


def page(head: str = "", body: str = BODY, html_attributes: str = "") -> str:
    """A small article page with `head` markup and `body` inside its <article>."""
    return (
        f"<!DOCTYPE html><html {html_attributes}><head>{head}</head><body>"
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Page heading</h1>{body}</article>"
        f"<footer><p>Copyright 2026 Example News</p></footer></body></html>"
    )


def json_ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def extract(html: str | Selector, **options: object) -> ArticleItem:
    return extract_article(URL, html, FETCHED, source="example", **options)  # type: ignore[arg-type]


def load_case(name: str) -> tuple[ArticleItem, dict]:
    expected = json.loads((PAGES / name / "expected.json").read_text(encoding="utf-8"))
    given = expected.pop("input")
    html = (PAGES / name / "page.html").read_text(encoding="utf-8")
    item = extract_article(
        given["url"],
        html,
        datetime.fromisoformat(given["fetched_at"]),
        source=given["source"],
        tz=given["tz"],
        lang=given["lang"],
    )
    return item, expected


@pytest.mark.parametrize("name", CASES)
def test_generic_pages_match_expected_fields(name: str) -> None:
    item, expected = load_case(name)
    assert {field: getattr(item, field) for field in expected} == expected


def test_there_are_six_generic_pages() -> None:
    assert CASES == [
        "broken_jsonld",
        "dublin_core_parsely",
        "jsonld_graph",
        "no_metadata",
        "opengraph_meta",
        "time_only",
    ]


def test_every_item_records_page_url_source_and_parser() -> None:
    item, _ = load_case("jsonld_graph")
    assert item.page_url.endswith("?utm_source=tw")
    assert item.source == "jsonld_graph"
    assert item.fetched_at == "2026-03-03T12:00:00+00:00"
    assert item.parser == "generic@1"
    assert item.site_article_id is None


def test_json_ld_article_body_is_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_main_text(*args: object, **kwargs: object) -> str:
        raise AssertionError("trafilatura must not run when JSON-LD has the body")

    monkeypatch.setattr(trafilatura, "extract", no_main_text)
    item, expected = load_case("jsonld_graph")
    assert item.body == expected["body"]
    assert item.methods["body"] == "json-ld"


def test_short_json_ld_article_body_falls_back_to_main_text() -> None:
    html = page(json_ld({"@type": "NewsArticle", "articleBody": "Too short to be the body."}))
    item = extract(html)
    assert item.methods["body"] == "main-text"
    assert len(item.body) == 3


@pytest.mark.parametrize(
    "article_body",
    [
        "A teaser of the article that stops in the middle of a sentence. " * 4 + "And then\u2026",
        "A teaser of the article that stops in the middle of a sentence. " * 4 + "And then&hellip;",
    ],
)
def test_cut_json_ld_article_body_falls_back_to_main_text(article_body: str) -> None:
    item = extract(page(json_ld({"@type": "NewsArticle", "articleBody": article_body})))
    assert item.methods["body"] == "main-text"


def test_json_ld_article_body_much_shorter_than_the_page_falls_back_to_main_text() -> None:
    teaser = "A teaser of the article without an ellipsis at its end, repeated. " * 4
    item = extract(page(json_ld({"@type": "NewsArticle", "articleBody": teaser}), BODY * 6))
    assert item.methods["body"] == "main-text"


def test_main_text_gets_the_parsed_tree_and_leaves_a_given_selector_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    received = []
    real_extract = trafilatura.extract

    def spy(tree: object, **kwargs: object) -> str | None:
        received.append(tree)
        return real_extract(tree, **kwargs)

    monkeypatch.setattr(trafilatura, "extract", spy)
    html = page(body=BODY.replace("several clauses,", "several <!-- ad --> clauses,"))
    selector = Selector(text=html)
    item = extract(selector)
    assert isinstance(received[0], HtmlElement)
    assert "with several clauses, numbers" in item.body[0]
    assert selector.xpath("//comment()")  # the caller's tree still has its comment
    assert extract(html).body == item.body


def test_an_article_in_plain_divs_keeps_its_headings_and_lists_and_the_tree_is_left_alone() -> None:
    html = (
        "<!DOCTYPE html><html><head></head><body><div class='nav'><a href='/'>Home</a></div>"
        "<div class='wrap'><div class='rich'>"
        f"{BODY}<h2>What comes next</h2><ul><li>A first point of the list, told in full.</li>"
        "<li>A second point of the list, told in full.</li></ul>"
        f"{BODY.replace('first', 'fourth')}</div></div>"
        "<div class='foot'><p>Copyright 2026 Example News</p></div></body></html>"
    )
    selector = Selector(text=html)
    body = extract(selector).body
    assert body[3:6] == [
        "What comes next",
        "- A first point of the list, told in full.",
        "- A second point of the list, told in full.",
    ]
    assert not selector.xpath("//@itemprop")


def test_a_heading_linking_to_another_site_is_kept_one_linking_within_it_is_not() -> None:
    body = (
        f"<div>{BODY}<h2><a href='https://maker.example/coat-hooks'>Quick Coat Hooks</a></h2>"
        "<p>These coat hooks are perfect for little kids, and a project of an afternoon.</p>"
        f"{BODY.replace('first', 'fourth')}"
        "<h2><a href='/world/2026/03/02/another-story'>Another story of the site</a></h2></div>"
    )
    selector = Selector(text=page(body=body))
    item = extract(selector)
    assert item.body[3:5] == [
        "Quick Coat Hooks",
        "These coat hooks are perfect for little kids, and a project of an afternoon.",
    ]
    assert "Another story of the site" not in item.body
    assert selector.xpath("//h2/a/text()").get() == "Quick Coat Hooks"


def test_a_line_pointing_to_another_story_of_the_site_is_no_part_of_the_body() -> None:
    body = (
        f"{BODY}<p><strong>Related: <a href='/world/2026/03/01/earlier-story'>An earlier story "
        "of the site about the same storm</a></strong></p>"
        "<p>Related: <a href='https://other.example/report'>The weather service's report on "
        "the storm</a></p>"
        f"{BODY.replace('first', 'fourth')}"
    )
    item = extract(page(body=body))
    assert not any("earlier story" in paragraph for paragraph in item.body)
    assert item.body[3] == "Related: The weather service's report on the storm"
    assert item.body[4].startswith("The fourth paragraph")


def test_a_label_heading_the_site_s_stories_is_left_out_with_them() -> None:
    body = (
        f"{BODY}<p><strong>DON'T MISS</strong><br>"
        "<a href='/world/2026/03/01/earlier-story'>An earlier story of the site</a> [NEWS]<br>"
        "<a href='/world/2026/02/27/other-story'>Another story of the site</a> [INSIGHT]</p>"
        f"{BODY.replace('first', 'fourth')}"
    )
    item = extract(page(body=body))
    assert not any("story of the site" in paragraph for paragraph in item.body)
    assert "DON'T MISS" not in item.body
    assert item.body[3].startswith("The fourth paragraph")


def test_main_text_drops_the_headline_and_a_byline_line() -> None:
    body = "<h2>Page heading</h2><p>By Ann Lee and Bo Chan</p>" + BODY
    item = extract(page(json_ld({"@type": "NewsArticle", "author": "Ann Lee, Bo Chan"}), body))
    assert item.body[0].startswith("The first paragraph")
    assert item.lead == item.body[0]
    assert item.methods["lead"] == "main-text"


@pytest.mark.parametrize(
    ("body", "logged"),
    [
        ("<div>" * 255 + BODY + "</div>" * 255, "markup nested deeper than 256 levels"),
        ("<span>x</span>" * 20_000 + BODY, "more than 20000 elements"),
    ],
)
def test_main_text_is_not_extracted_from_markup_too_deep_or_too_big(
    body: str, logged: str, caplog: pytest.LogCaptureFixture
) -> None:
    item = extract(page('<meta property="og:title" content="Still read">', body))
    assert item.body == []
    assert item.title == "Still read"
    assert f"{URL}: {logged}; main text not extracted" in caplog.text


def test_markup_just_within_the_limits_has_its_main_text() -> None:
    deep = extract(page(body="<div>" * 250 + BODY + "</div>" * 250))
    big = extract(page(body="<span>x</span>" * 19_900 + BODY))
    assert deep.methods["body"] == big.methods["body"] == "main-text"


# Titles


@pytest.mark.parametrize(
    ("title", "names", "expected"),
    [
        (
            "Azerbaijan, Türkiye discuss defense ties | Report.az",
            ["report.az"],
            "Azerbaijan, Türkiye discuss defense ties",
        ),
        ("Storm hits coast - BBC News", ["BBC News"], "Storm hits coast"),
        ("BBC News - Storm hits coast", ["BBC News"], "Storm hits coast"),
        (
            "Storm hits coast \u2013 Politics \u2014 BBC News",
            ["bbc news", "politics"],
            "Storm hits coast",
        ),
        ("Rain - or shine", ["BBC News"], "Rain - or shine"),
        ("BBC News", ["BBC News"], "BBC News"),
        ("Covid-19 cases fall | Report.az", ["report.az"], "Covid-19 cases fall"),
        # unspaced, as Chinese and Japanese titles write it
        ("記事の見出し：朝日新聞デジタル", ["朝日新聞デジタル"], "記事の見出し"),
        ("文章标题--人民网", ["人民网"], "文章标题"),
        ("文章标题_新浪网", ["新浪网"], "文章标题"),
        ("速報：地震の情報", ["朝日新聞デジタル"], "速報：地震の情報"),  # no site's name
        ("snake_case explained", ["case explained"], "snake_case explained"),
    ],
)
def test_strip_site_name(title: str, names: list[str], expected: str) -> None:
    assert strip_site_name(title, names) == expected


def test_title_suffix_from_og_site_name() -> None:
    head = (
        '<meta property="og:title" content="Storm hits coast - Coastal Daily">'
        '<meta property="og:site_name" content="Coastal Daily">'
    )
    item = extract(page(head))
    assert item.title == "Storm hits coast"
    assert item.methods["title"] == "meta"


@pytest.mark.parametrize(
    ("og_title", "title"),
    [
        # the site's name and its section or edition, as aeon.co's "... | Aeon Essays" of "Aeon"
        ("Storm hits coast | Coastal Daily Opinion", "Storm hits coast"),
        ("Storm hits coast | Coastal Daily Weekend Edition", "Storm hits coast"),
        # more words than an edition's: a headline's part
        (
            "Storm hits coast | Coastal Daily readers count the damage",
            "Storm hits coast | Coastal Daily readers count the damage",
        ),
    ],
)
def test_title_suffix_naming_the_site_and_its_section(og_title: str, title: str) -> None:
    head = (
        f'<meta property="og:title" content="{og_title}">'
        '<meta property="og:site_name" content="Coastal Daily">'
    )
    assert extract(page(head)).title == title


def test_a_header_h1_rewording_the_og_title_is_the_headline() -> None:
    # as remotewize.com shows its post: the <h1> in the page's <header>, the og:title without
    # one of its words
    html = (
        '<html><head><meta property="og:title" content="Top 11 Slack Alternatives That Are '
        'Actually Reliable (2026)"></head><body><header><a href="/">Remotewize</a>'
        '<h1 class="article-title">Top 11 Affordable Slack Alternatives That Are Actually '
        f"Reliable (2026)</h1></header><div>{BODY}</div></body></html>"
    )
    item = extract(html)
    assert item.title == "Top 11 Affordable Slack Alternatives That Are Actually Reliable (2026)"
    assert item.seo_title == "Top 11 Slack Alternatives That Are Actually Reliable (2026)"


def test_title_suffix_from_host_name() -> None:
    head = '<meta property="og:title" content="Storm hits coast | Example-News.test">'
    item = extract(page(head))
    assert item.title == "Storm hits coast"


def test_title_suffix_repeated_after_the_h1_in_title_tag() -> None:
    head = (
        "<title>Page heading :: The Morning Star Ledger</title>"
        '<meta property="og:title" content="Page heading :: The Morning Star Ledger">'
    )
    assert extract(page(head)).title == "Page heading"


def test_title_tag_is_the_last_resort() -> None:
    html = (
        "<html><head><title>Lonely title - Example News</title>"
        '<meta property="og:site_name" content="Example News"></head>'
        f"<body>{BODY}</body></html>"
    )
    item = extract(html)
    assert item.title == "Lonely title"
    assert item.methods["title"] == "html"


def test_h1_in_page_header_is_not_the_title() -> None:
    html = (
        "<html><head><title>Real headline here - Example News</title></head><body>"
        "<header><h1>Example News</h1></header>"
        f"<div class='post'><h1>Real headline here</h1>{BODY}</div></body></html>"
    )
    assert extract(html).title == "Real headline here"


# Languages


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("en-US", "en"),
        ("en_GB", "en"),
        ("AZ", "az"),
        ("ru", "ru"),
        ("tr-TR", "tr"),
        ("zh-Hant-TW", "zh"),
        ("fil", "fil"),
        (" de ", "de"),
        ("English", None),
        ("und", None),
        ("x-default", None),
        ("", None),
        (None, None),
    ],
)
def test_language_code(value: str | None, expected: str | None) -> None:
    assert language_code(value) == expected


def test_lang_order_json_ld_then_html_then_meta_then_argument() -> None:
    meta = '<meta property="og:locale" content="az_AZ">'
    ld = json_ld(
        {
            "@type": "NewsArticle",
            "inLanguage": {"@type": "Language", "name": "Russian", "alternateName": "ru-RU"},
        }
    )
    cases = [
        (page(ld + meta, html_attributes='lang="en-US"'), "ru", "json-ld"),
        (page(meta, html_attributes='lang="en-US"'), "en", "html"),
        (page(meta), "az", "meta"),
        (page(), "tr", "default"),
    ]
    for html, lang, method in cases:
        item = extract(html, lang="tr-TR")
        assert (item.lang, item.methods["lang"]) == (lang, method)


def test_no_language_at_all() -> None:
    item = extract(page(html_attributes='lang="English"'))
    assert item.lang is None
    assert "lang" not in item.methods


# Dates


def test_impossible_dates_are_none_not_errors() -> None:
    head = json_ld(
        {
            "@type": "NewsArticle",
            "datePublished": "2026-02-30T10:00:00+03:00",
            "dateModified": "2026-13-01T00:00:00Z",
        }
    )
    head += '<meta property="article:published_time" content="0000-00-00 00:00:00">'
    head += '<meta property="article:modified_time" content="0001-01-01T00:00:00+05:00">'
    item = extract(page(head), tz="Asia/Baku")
    # passed over for the day the page's address shows (.../2026/03/03/...)
    assert (item.published_at, item.published_date, item.published_basis) == (
        None,
        "2026-03-03",
        "date_only",
    )
    assert item.methods["published_at"] == "htmldate"
    assert item.modified_at is None


def test_impossible_date_falls_through_to_the_next_source() -> None:
    head = json_ld({"@type": "NewsArticle", "datePublished": "yesterday"})
    body = '<time datetime="2026-03-02T23:30:00">2 March</time>' + BODY
    item = extract(page(head, body), tz="Asia/Baku")
    assert item.published_at == "2026-03-02T19:30:00+00:00"
    assert item.published_date == "2026-03-02"
    assert item.methods["published_at"] == "time"


def test_date_only_is_kept_as_a_date_without_an_instant() -> None:
    item = extract(page('<meta name="dc.date" content="2026-03-01">'))
    assert (item.published_at, item.published_date, item.published_basis) == (
        None,
        "2026-03-01",
        "date_only",
    )


def test_published_time_element_prefers_the_marked_one() -> None:
    body = (
        '<time datetime="2026-03-03">Today</time>'
        '<time class="entry-published" datetime="2026-03-01T08:00:00Z">1 March</time>' + BODY
    )
    html = f"<html><body><div class='top'>{body}</div></body></html>"
    assert extract(html).published_at == "2026-03-01T08:00:00+00:00"


def test_rfc_2822_meta_date() -> None:
    item = extract(page('<meta name="pubdate" content="Tue, 03 Mar 2026 13:41:00 +0400">'))
    assert item.published_at == "2026-03-03T09:41:00+00:00"


@pytest.mark.parametrize(
    "tag",
    [
        '<meta property="article:published" content="2026-03-03T09:41:00Z">',
        '<meta name="publish-date" content="2026-03-03T09:41:00Z">',
        '<meta name="publish_date" content="2026-03-03T09:41:00Z">',
        '<meta property="og:published_time" content="2026-03-03T09:41:00Z">',
        '<meta itemprop="datePublished dateCreated" content="2026-03-03T09:41:00Z">',
        '<meta property="og:title twitter:title" content="A">'
        '<meta name="published-date" content="2026-03-03T09:41:00Z">',
    ],
)
def test_publication_meta_tags_of_other_names(tag: str) -> None:
    assert extract(page(tag)).published_at == "2026-03-03T09:41:00+00:00"


def test_an_article_a_web_page_holds_as_its_main_entity_is_the_page_s() -> None:
    item = extract(
        page(
            json_ld(
                {
                    "@context": "https://schema.org",
                    "@type": "WebPage",
                    "mainEntity": {
                        "@type": "NewsArticle",
                        "headline": "Page heading",
                        "datePublished": "2026-03-03T09:41:00Z",
                        "author": {"@type": "Person", "name": "Jane Doe"},
                    },
                }
            )
        )
    )
    assert (item.published_at, item.authors) == ("2026-03-03T09:41:00+00:00", ["Jane Doe"])


def test_a_json_ld_person_without_a_name_is_named_by_given_and_family_name() -> None:
    person = {"@type": "Person", "givenName": "Jane", "familyName": "Doe"}
    item = extract(page(json_ld({"@type": "NewsArticle", "author": [person]})))
    assert item.authors == ["Jane Doe"]


def test_unknown_time_zone_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="time zone"):
        extract(page(), tz="Mars/Olympus")


# Selector overrides


def test_selector_overrides_win_over_metadata() -> None:
    head = json_ld(
        {
            "@type": "NewsArticle",
            "headline": "JSON-LD headline",
            "datePublished": "2026-01-01T00:00:00Z",
            "author": "Someone Else",
            "articleBody": "x" * 300,
        }
    )
    body = (
        '<h2 class="headline">Selected <em>headline</em></h2>'
        '<span class="when" data-ts="2026-03-02T10:00:00+04:00">2 March</span>'
        '<a rel="author">Ann Lee</a><a rel="author">Bo Chan</a><a rel="author">ann lee</a>'
        '<div class="txt"><p>First selected paragraph.</p><p>Second <b>one</b>.</p></div>'
        '<ul class="kw"><li>Energy, Oil</li><li>Gas</li></ul>'
    )
    selectors = {
        "title": "h2.headline",
        "published_at": "span.when::attr(data-ts)",
        "authors": "//a[@rel='author']/text()",
        "body": "//div[@class='txt']//p",
        "tags": "ul.kw li::text",
        "section": "(//nav/a)[2]",
    }
    item = extract(page(head, body), selectors=selectors)
    assert item.title == "Selected headline"
    assert item.published_at == "2026-03-02T06:00:00+00:00"
    assert item.authors == ["Ann Lee", "Bo Chan"]
    assert item.body == ["First selected paragraph.", "Second one."]
    assert item.tags == ["Energy", "Oil", "Gas"]
    assert item.section == "World"
    assert {item.methods[field] for field in selectors} == {"selector"}


def test_selector_matching_nothing_falls_back() -> None:
    head = json_ld({"@type": "NewsArticle", "headline": "JSON-LD headline"})
    item = extract(page(head), selectors={"title": "h1.missing::text"})
    assert item.title == "JSON-LD headline"
    assert item.methods["title"] == "json-ld"


def test_selector_title_is_not_stripped() -> None:
    body = "<h2>Storm hits coast | Example News</h2>" + BODY
    item = extract(
        page('<meta property="og:site_name" content="Example News">', body),
        selectors={"title": "h2::text"},
    )
    assert item.title == "Storm hits coast | Example News"


def test_metadata_first_puts_selectors_between_metadata_and_fallbacks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    selectors = {"title": "h2.headline", "body": "div.txt p", "published_at": "time::attr(dt)"}
    body = (
        '<h2 class="headline">Selected headline</h2><time dt="2026-03-02T10:00:00Z">x</time>'
        '<div class="txt"><p>Selected paragraph.</p></div>'
    )
    article_body = "The JSON-LD body of the article, long enough to be taken as it is. " * 4
    head = json_ld(
        {"@type": "NewsArticle", "headline": "JSON-LD headline", "articleBody": article_body}
    )
    item = extract(page(head, body), selectors=selectors, metadata_first=True)
    assert (item.title, item.methods["title"]) == ("JSON-LD headline", "json-ld")
    assert item.methods["body"] == "json-ld"
    assert (item.published_at, item.methods["published_at"]) == (
        "2026-03-02T10:00:00+00:00",
        "selector",
    )

    def no_main_text(*args: object, **kwargs: object) -> str:
        raise AssertionError("a selected body must spare the main-text extraction")

    monkeypatch.setattr(trafilatura, "extract", no_main_text)
    item = extract(page(body=body), selectors=selectors, metadata_first=True)
    assert (item.title, item.methods["title"]) == ("Selected headline", "selector")
    assert (item.body, item.methods["body"]) == (["Selected paragraph."], "selector")


@pytest.mark.parametrize(
    "selectors",
    [{"headline": "h1"}, {"title": "h1[["}, {"title": "//h1[@"}],
)
def test_bad_selector_configuration_raises(selectors: dict[str, str]) -> None:
    with pytest.raises(ValueError):
        extract(page(), selectors=selectors)


# Bad input


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   ",
        "\x00\x00\x00",
        "\ud800 lone surrogate <p>text</p>",
        bytes(range(256)).decode("latin-1") * 20,
        "<html>" * 5000,
        "<p>just a fragment</p>",
    ],
)
def test_bad_html_never_raises(html: str) -> None:
    item = extract(html)
    assert item.url == URL
    assert item.title is None or isinstance(item.title, str)
    assert isinstance(item.body, list)


def test_xhtml_page_with_an_xml_declaration_is_read_as_html() -> None:
    xhtml = 'xmlns="http://www.w3.org/1999/xhtml" lang="en"'
    item = extract('<?xml version="1.0" encoding="utf-8"?>\n' + page(html_attributes=xhtml))
    assert (item.title, item.lang, len(item.body)) == ("Page heading", "en", 3)


def test_control_characters_in_attribute_names_never_raise() -> None:
    html = page('<meta na\x01me="author" content="Ann Lee"><meta name="x" content="y\x02">')
    assert extract(html).title == "Page heading"
    assert extract(Selector(text=html)).title == "Page heading"


@pytest.mark.parametrize(
    "article",
    [
        {"headline": 2026, "author": 7, "datePublished": 20260303, "keywords": 5},
        {
            "headline": ["a", "b"],
            "author": [{"@type": "Person"}, {"name": None}],
            "datePublished": {"@value": "garbage"},
            "description": {"text": 1},
        },
        {
            "headline": None,
            "author": {"name": ["Ann Lee"]},
            "articleSection": {"x": 1},
            "inLanguage": 3,
            "articleBody": ["not", "text"],
            "dateModified": [],
        },
        {
            "headline": {"@value": "Value headline"},
            "author": "By Ann Lee, https://x.test/a",
            "keywords": [["nested", "list"], {"name": "obj"}, None],
        },
    ],
)
def test_json_ld_with_wrong_types_never_raises(article: dict) -> None:
    item = extract(page(json_ld({"@type": "NewsArticle", **article})))
    assert item.title in ("Page heading", "Value headline")
    assert item.published_at is None
    assert all(isinstance(name, str) and name for name in item.authors)


def test_json_ld_wrong_types_yield_what_can_be_read() -> None:
    article = {
        "@type": "NewsArticle",
        "headline": {"@value": "Value headline"},
        "author": "By Ann Lee, https://x.test/a",
        "keywords": [["a", "b"], {"name": "c"}],
    }
    item = extract(page(json_ld(article)))
    assert item.title == "Value headline"
    assert item.authors == ["Ann Lee"]
    assert item.tags == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("other_page", "published_at"),
    [
        # the same page under its `#article` id: the CMS's article gives the date
        (f"{URL}#article", "2025-12-19T09:28:15+00:00"),
        # a related story's article: its date is not this page's
        ("https://www.example-news.test/world/2026/03/01/another-story", None),
    ],
)
def test_an_article_given_twice_in_json_ld_is_read_from_both(
    other_page: str, published_at: str | None
) -> None:
    # an SEO plugin's Article (preferred, saying the most) without dates, beside the CMS's
    # BlogPosting with them, as blog.pangeanic.com gives its post
    seo = {
        "@type": "Article",
        "mainEntityOfPage": {"@type": "WebPage", "@id": URL},
        "headline": "Page heading",
        "description": "What the post is about.",
        "keywords": ["one", "two"],
        "author": {"@type": "Organization", "name": "Example News"},
    }
    cms = {
        "@type": "BlogPosting",
        "@id": other_page,
        "headline": "Page heading",
        "datePublished": "2025-12-19T09:28:15.000Z",
    }
    item = extract(page(json_ld(cms) + json_ld(seo)))
    assert item.published_at == published_at


def test_malformed_links_never_raise() -> None:
    head = (
        '<link rel="canonical" href="http://[::1/story">'
        '<link rel="alternate" hreflang="en" href="https://example-news.test:port/en">'
        '<link rel="alternate" hreflang="ru" href="/ru/story">'
    )
    item = extract(page(head))
    assert item.url == URL
    assert item.alternates == {"ru": "https://www.example-news.test/ru/story"}


def test_html_in_metadata_text_is_stripped() -> None:
    head = (
        '<meta property="og:description" '
        'content="&lt;p&gt;Prices &lt;b&gt;rose&lt;/b&gt; &amp;amp; fell.&lt;/p&gt;">'
    )
    assert extract(page(head)).lead == "Prices rose & fell."


def test_html_article_body_is_split_into_paragraphs() -> None:
    sentence = "A long first paragraph of the JSON-LD body."
    text = f"<p>{sentence * 5}</p><p>Second &amp; last.<br>Third.</p>"
    item = extract(page(json_ld({"@type": "NewsArticle", "articleBody": text})))
    assert item.body == [sentence * 5, "Second & last.", "Third."]
    assert item.methods["body"] == "json-ld"


# URLs


@pytest.mark.parametrize(
    ("canonical", "expected", "method"),
    [
        ("/world/2026/03/03/some-story/?utm_medium=x", URL, "html"),
        ("https://example-news.test/world/2026/03/03/some-story", URL.replace("www.", ""), "html"),
        ("https://syndicated-from.test/original-story", URL, None),
        ("https://www.example-news.test/", URL, None),
        ("javascript:void(0)", URL, None),
    ],
)
def test_url_is_the_canonical_link_on_the_same_site(
    canonical: str, expected: str, method: str | None
) -> None:
    item = extract(page(f'<link rel="canonical" href="{canonical}">'))
    assert item.url == expected
    assert item.methods.get("url") == method


def test_authors_skip_profile_urls_and_handles() -> None:
    head = (
        '<meta property="article:author" content="https://facebook.com/someone">'
        '<meta name="author" content="By Ann Lee; @annlee; Bo Chan">'
    )
    item = extract(page(head))
    assert item.authors == ["Ann Lee", "Bo Chan"]
    assert item.methods["authors"] == "meta"


@pytest.mark.parametrize(
    ("value", "authors"),
    [
        # the writer, then the outlet after a bar: no second author
        ("Nathan Bernier | KUT", ["Nathan Bernier"]),
        # two writers a bar separates
        ("Jane Doe | John Roe", ["Jane Doe", "John Roe"]),
    ],
)
def test_a_bar_in_a_metadata_author_separates_names(value: str, authors: list[str]) -> None:
    item = extract(page(f'<meta name="author" content="{value}">'))
    assert item.authors == authors


@pytest.mark.parametrize(
    ("value", "authors"),
    [
        # a media company (dn.pt), an advertiser (aryanews.com), a publisher in Japanese
        # ("Impress Corporation", watch.impress.co.jp)
        ("Global Media Group", []),
        ("Arya Group", []),
        ("株式会社インプレス", []),
        ("Jane Doe", ["Jane Doe"]),
    ],
)
def test_a_company_in_a_metadata_author_is_no_author(value: str, authors: list[str]) -> None:
    item = extract(page(f'<meta name="author" content="{value}">'))
    assert item.authors == authors


@pytest.mark.parametrize(
    ("address", "head", "authors"),
    [
        # a personal site's owner, whom the host spells: the author
        (
            "https://johanna.lambert.test/a-post",
            '<meta name="author" content="Johanna Lambert">',
            ["Johanna Lambert"],
        ),
        (
            "https://janedoe.blog.test/p/a-post",
            '<meta name="author" content="Jane Doe">',
            ["Jane Doe"],
        ),
        # a brand the host spells and the site names: the publisher, no author
        (
            "https://www.marketingland.test/a-story",
            '<meta name="author" content="Marketing Land">'
            '<meta property="og:site_name" content="Marketing Land">',
            [],
        ),
    ],
)
def test_a_person_the_host_spells_is_an_author_unless_the_site_bears_the_name(
    address: str, head: str, authors: list[str]
) -> None:
    item = extract_article(address, page(head), FETCHED, source="example")
    assert item.authors == authors


# Report


def test_extraction_report_lists_every_field_with_its_method() -> None:
    item, _ = load_case("opengraph_meta")
    rows = {field: (value, method) for field, value, method in extraction_report(item)}
    assert list(rows) == [
        "source",
        "url",
        "page_url",
        "fetched_at",
        "title",
        "seo_title",
        "published_at",
        "published_date",
        "published_basis",
        "modified_at",
        "section",
        "lang",
        "authors",
        "lead",
        "body",
        "tags",
        "alternates",
        "site_article_id",
        "previous_urls",
        "parser",
    ]
    assert rows["published_date"] == ("2026-02-18", "meta")
    assert rows["body"][1] == "main-text"
    assert rows["parser"] == ("generic@1", "")


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        # forbes.com: a badge set right after the name
        (
            '<span class="fs-author-name"><a class="contrib-link--name" href="/sites/mm/">'
            'Marla Milling</a><span class="contrib-byline-type">Contributor</span></span>',
            ["Marla Milling"],
        ),
        # thewest.com.au: a funding label after the name
        (
            '<a href="/profile/matt-birney"><span itemProp="author name">Matt Birney</span></a>'
            '<span class="StyledFundingLabel"><span>Sponsored</span></span>',
            ["Matt Birney"],
        ),
        # a label written in small letters
        ('<a href="/by/jdoe">Jane Doe</a><span>contributor</span>', ["Jane Doe"]),
        # instructables.com: a member's handle, then the link to the site the member keeps
        (
            '<span class="author-name">By <a rel="author" href="/member/MixmasterFred/">'
            'MixmasterFred</a></span><a class="author-site" href="http://www.ebenisteriefl.ca">'
            "ebenisterie Frederic Lauziere</a>",
            [],
        ),
    ],
)
def test_a_byline_s_name_is_read_apart_from_a_label_glued_after_it(
    byline: str, authors: list[str]
) -> None:
    assert byline_authors(byline, "byline") == authors


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        # a section after "in", even of two capitalized words, is no author
        (
            'Written by <a href="/a/jd">Jane Doe</a> in <a href="/s/rp">Raspberry Pi</a>',
            ["Jane Doe"],
        ),
        # Dutch "en" is "and": both are authors
        (
            'Geschreven door <a href="/a/jj">Jan Jansen</a> en <a href="/a/pv">Piet Vries</a>'
            " op 3 maart",
            ["Jan Jansen", "Piet Vries"],
        ),
    ],
)
def test_a_byline_s_links_are_people_unless_filed_in_a_section(
    byline: str, authors: list[str]
) -> None:
    assert byline_authors(byline, "author") == authors


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        # simplyfound.com: the weekday opening the date after the name
        ("<span>Joe Wee</span> <span>Monday, February 29, 2016 @ 11:10 PM UTC</span>", ["Joe Wee"]),
        ("By Jane Doe on Tue, Mar 11, 2025, 11:52 AM", ["Jane Doe"]),
        ("Von Erika Mustermann am Montag, 3. März 2026", ["Erika Mustermann"]),
        # a shortened weekday has a stop or comma after it; without, it is a name's
        ("By Yang Sun Jan 22, 2025", ["Yang Sun"]),
    ],
)
def test_a_byline_s_name_ends_before_the_weekday_of_its_date(
    byline: str, authors: list[str]
) -> None:
    assert byline_authors(byline, "byline") == authors


@pytest.mark.parametrize(
    ("shown", "authors"),
    [
        ("<div><span>By Jane Doe</span> | <span>March 2, 2026</span></div>", ["Jane Doe"]),
        ("<div><small>posted on March 2, 2026</small> by Jane Doe</div>", ["Jane Doe"]),
        # "por", "par" and "von" open many a sentence
        ("<div>HUBO UN PROBLEMA<br>POR FAVOR, VUELVA A INTENTARLO</div>", []),
        ("<div><span>By clicking on Subscribe</span></div>", []),
    ],
)
def test_a_short_text_opening_with_by_is_a_byline(shown: str, authors: list[str]) -> None:
    assert shown_authors(shown) == authors


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        # the date, then the post's categories and its comments
        ("By Jane Doe | Feb 6, 2025 | Business Tips, CRM | 0 comments", ["Jane Doe"]),
        # a date before the credit does not end it
        ("Feb 6, 2025 | By Jane Doe | John Roe", ["Jane Doe", "John Roe"]),
    ],
)
def test_a_byline_s_text_ends_at_the_date_after_its_credit(byline: str, authors: list[str]) -> None:
    assert byline_authors(byline, "byline") == authors


def byline_authors(byline: str, css_class: str) -> list[str]:
    """The authors of an article page with no metadata whose byline is `byline` in a `<div>`
    of class `css_class`."""
    return shown_authors(f'<div class="{css_class}">{byline}</div>')


def shown_authors(shown: str) -> list[str]:
    """The authors of an article page with no metadata that shows `shown` under its
    headline."""
    html = (
        f"<html><body><article><h1>A headline</h1>{shown}"
        f"<p>{'A sentence of the article. ' * 20}</p></article></body></html>"
    )
    item = extract_article(
        "https://example.test/a", html, datetime(2026, 3, 3, tzinfo=UTC), source="x"
    )
    return item.authors


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"headline": "A\nB"}', {"headline": "A\nB"}),  # a line break inside a string
        ('{"keywords": ["a", "b", ],}', {"keywords": ["a", "b"]}),
        (
            '{\n\t"headline": "A",\n\t//"count": "",\n\t"height": "1000", // px\n'
            '\t"url": "https://site.test/a"\n}',
            {"headline": "A", "height": "1000", "url": "https://site.test/a"},
        ),
        ('{"headline": "A"} }', {"headline": "A"}),  # a stray brace after the value
    ],
)
def test_a_json_ld_block_is_read_as_browsers_forgive_it(text: str, value: object) -> None:
    assert first_json_value(text) == value


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        # an author box's heading (flatironschool.com, hatawtabloid.com)
        ("About Peter Bell", ["Peter Bell"]),
        ("About the author: Jane Doe", ["Jane Doe"]),
        ("About Me", []),
        ("More About Me", []),
        # a video player's button in a byline's class (cnbc.com)
        ("WATCH LIVE", []),
        # a date's label after the name, the date in the next element (renofi.com)
        ("Richard Garner Updated", ["Richard Garner"]),
        ("By Jane Doe Published on", ["Jane Doe"]),
        # a source's label without its colon (theverge.com), share links (habr.com)
        ("Source The Information", []),
        ("Telegram ВКонтакте Twitter", []),
        # the visible name and the screen reader's side by side (bloomberg.com)
        ("Andrea WongAndrea Wong", ["Andrea Wong"]),
        # Arabic "wrote" (elbaladtv.net)
        ("كتب ضحى عرفة", ["ضحى عرفة"]),
    ],
)
def test_a_byline_s_headings_and_labels_are_no_part_of_a_name(
    byline: str, authors: list[str]
) -> None:
    assert byline_authors(byline, "author") == authors


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ('By <a href="/author/paul/">Paul</a>', ["Paul"]),
        # a news agency in capitals, though "Efe" is a given name
        ("By EFE", []),
        # a word that is no given name
        ("By Editorial", []),
    ],
)
def test_a_byline_may_name_a_given_name_alone(byline: str, authors: list[str]) -> None:
    assert byline_authors(byline, "byline") == authors


@pytest.mark.parametrize(
    ("word", "given"),
    [
        ("Elizabeth", True),
        ("johannes", True),  # compared without case
        ("Polly", True),
        ("Business", False),
        # rare US given names that are words, as in brands ("Royal Road", "Berlin Art Link")
        ("Royal", False),
        ("Berlin", False),
    ],
)
def test_given_names_are_those_of_many_locales_not_rare_words(word: str, given: bool) -> None:
    assert is_given_name(word) is given
