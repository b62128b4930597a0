"""Compiled selectors read what parsel reads, from a Selector or an lxml element."""

from __future__ import annotations

import pytest
from parsel import Selector

from newsmon.extract.selectors import elements, first, link, select, strings

PAGE = Selector(
    text="""<html><body>
    <section class="latest-news"><ul>
      <li class="news-item" data-id="1"><span class="news-time">14:34</span>
        <a class="news-title" href="/en/a"><b>Azerbaijan</b> and Türkiye sign a deal</a>
        <span class="news-badge">Photo</span><span class="news-badge">Video</span></li>
      <li class="news-item featured" data-id="2">
        <a class="news-title">No link here</a></li>
      <li class="news-item" data-id="3"></li>
    </ul></section>
    <p class="news-item">not in the section</p>
    </body></html>""",
    type="html",
)
ENTRIES = "section.latest-news li.news-item"


def test_the_same_strings_as_parsel() -> None:
    assert [entry.get("data-id") for entry in elements(PAGE, ENTRIES)] == ["1", "2", "3"]
    for css in ("span.news-time::text", "span.news-badge::text", "a.news-title::attr(href)"):
        assert strings(PAGE, css) == PAGE.css(css).getall()
        assert first(PAGE, css) == PAGE.css(css).get()
    entry = elements(PAGE, ENTRIES)[0]
    assert strings(entry, "span.news-badge::text") == ["Photo", "Video"]
    assert first(entry, "span.news-time::text") == "14:34"
    assert first(elements(PAGE, ENTRIES)[2], "span.news-time::text") is None


def test_a_link_is_its_first_text_and_its_href() -> None:
    first_entry, second_entry, empty_entry = elements(PAGE, ENTRIES)
    assert link(first_entry, "a.news-title") == ("Azerbaijan", "/en/a")
    assert link(second_entry, "a.news-title") == ("No link here", None)
    assert link(empty_entry, "a.news-title") == (None, None)


def test_xpath_and_css_both_select() -> None:
    assert select(PAGE, "//li[@data-id='2']/a/text()") == ["No link here"]
    assert select(PAGE, "(//li)[last()]/@data-id") == ["3"]
    assert select(PAGE, "(count(//li))") == ["3.0"]
    assert [node.get("data-id") for node in select(PAGE, "li.featured")] == ["2"]  # type: ignore[union-attr]
    assert select(PAGE, "//li[re:test(@data-id, '^[13]$')]/@data-id") == ["1", "3"]


@pytest.mark.parametrize(
    ("expression", "named"),
    [("li..news-item", "li..news-item"), ("//li[", "//li["), ("//li[nope(1)]", "nope")],
)
def test_an_invalid_selector_is_named(expression: str, named: str) -> None:
    with pytest.raises(ValueError, match="invalid selector") as error:
        select(PAGE, expression)
    assert named in str(error.value)


def test_exslt_sets_and_has_class_work_too() -> None:
    assert select(PAGE, "//li[not(set:has-same-node(., //li[1]))]/@data-id") == ["2", "3"]
    assert [node.get("data-id") for node in select(PAGE, "//li[has-class('featured')]")] == ["2"]  # type: ignore[union-attr]


def test_the_sources_file_check_accepts_what_a_crawl_runs() -> None:
    from newsmon.config import check_selector

    assert check_selector("//li[re:test(@data-id, '^[13]$')]/@data-id") is None
    assert check_selector("li.news-item a::attr(href)") is None
    assert check_selector("li..news-item") == (
        "'li..news-item' is not valid CSS: Expected ident, got <DELIM '.' at 3>"
    )
    assert check_selector("//li[") == "'//li[' is not valid XPath: Invalid expression"
