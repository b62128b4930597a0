"""`newsmon spider new`: a new site's module, fixture, expected JSON and test from one page.

The module has the shape of every site module (a `SiteParser` version with named selector
constants, and a `SITE`); its selectors are pre-filled from what the generic extraction
(`newsmon.extract`) found: fields read from JSON-LD or meta tags keep that generic reading,
a title or body found in the HTML gets a CSS selector derived from the matching element.
"""

from __future__ import annotations

import importlib
import json
import keyword
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from string import Template
from urllib.parse import parse_qsl, urlsplit

from lxml import etree
from parsel import Selector

import newsmon.sites
from newsmon.dates import parse_iso
from newsmon.extract import extract_article, extraction_report
from newsmon.fixture_tools import (
    Fetched,
    add_page,
    check_case,
    scan,
    text_response,
    write_expected,
)
from newsmon.fixtures import FixtureSet
from newsmon.items import ArticleItem
from newsmon.links import absolute_url, same_site
from newsmon.metadata import PageMetadata, json_ld_text, read_metadata
from newsmon.sites import add_sites_dir, all_sites
from newsmon.text import clean_text
from newsmon.urls import site_host

SITE_ID = re.compile(r"[a-z][a-z0-9_]*")
# Fields the comment block of a new module lists, in the order of ArticleItem.
REPORTED_FIELDS = (
    "title",
    "published_at",
    "modified_at",
    "section",
    "lang",
    "authors",
    "lead",
    "body",
    "tags",
    "alternates",
)
_CSS_IDENTIFIER = re.compile(r"-?[_a-zA-Z][_a-zA-Z0-9-]*")
_SLUG_SEGMENT = re.compile(r"[^/]*[-_][^/]*")
# How many ancestors a derived CSS selector may name before it gives up.
MAX_SELECTOR_DEPTH = 4


class ScaffoldError(Exception):
    """The site cannot be scaffolded; the message says what to change."""


@dataclass
class NewSite:
    """What `new_site` wrote, and how each field of the page was read."""

    module_path: Path
    written: list[Path] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)


@dataclass
class _Selectors:
    """Selector constants derived for a page, with a comment per field."""

    constants: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (css, why)
    comments: list[str] = field(default_factory=list)

    def fields(self) -> dict[str, str]:
        return {name.lower(): name for name in self.constants}


def new_site(
    name: str,
    page: Fetched,
    *,
    fixtures_dir: Path,
    package_dir: Path | None = None,
    tests_dir: Path = Path("tests"),
    tz: str = "UTC",
    lang: str | None = None,
) -> NewSite:
    """Write the module, fixture, expected JSON and test of a new site `name` from one of its
    article pages, and check that the fixture passes; ScaffoldError names what is in the way."""
    builtin = package_dir is None
    directory = Path(newsmon.sites.__file__).parent if builtin else package_dir
    assert directory is not None
    module_path = directory / f"{name}.py"
    test_path = tests_dir / f"test_site_{name}.py"
    _check_free(name, page.url, module_path, test_path, fixtures_dir)
    selector = _page_selector(page)
    fetched_at = parse_iso(page.fetched_at)
    assert fetched_at is not None
    try:
        item = extract_article(page.url, selector, fetched_at, source=name, tz=tz, lang=lang)
    except ValueError as error:
        raise ScaffoldError(str(error)) from error
    site_lang = lang or item.lang
    if not site_lang:
        raise ScaffoldError(f"{page.url}: the page names no language; give it with --lang")
    derived = derive_selectors(selector, item)
    module = _render_module(name, page, selector, item, derived, tz, site_lang)
    test = _render_test(name, fixtures_dir, tests_dir, None if builtin else directory)

    directory.mkdir(parents=True, exist_ok=True)
    module_path.write_text(module, encoding="utf-8")
    result = NewSite(module_path, [module_path], derived.comments)
    try:
        _register(name, directory, builtin)
    except ScaffoldError:
        module_path.unlink()
        raise
    fixture = add_page(fixtures_dir, name, page)[-1]
    result.written.append(FixtureSet.open(fixtures_dir).path(fixture))
    case = next(case for case in scan(fixtures_dir, name).cases if case.fixture == fixture)
    if case.kind != "article":
        raise ScaffoldError(f"{page.url}: not an article page of {name} ({case.reason})")
    write_expected(case)
    result.written.append(case.expected_path)
    problems = check_case(case)
    if problems:
        raise ScaffoldError("the new fixture does not pass: " + "; ".join(problems))
    tests_dir.mkdir(parents=True, exist_ok=True)
    test_path.write_text(test, encoding="utf-8")
    result.written.append(test_path)
    return result


def derive_selectors(selector: Selector, item: ArticleItem) -> _Selectors:
    """Selector constants for the fields the generic extraction found in the page's HTML
    (title from an `<h1>`, body by main-text extraction), and a comment for every field."""
    derived = _Selectors()
    if item.methods.get("title") == "html" and item.title:
        css = _title_css(selector, item.title)
        if css:
            derived.constants["TITLE"] = (css, "the <h1> the generic reading found")
    if item.methods.get("body") == "main-text" and item.body:
        css = _body_css(selector, item.body)
        if css:
            derived.constants["BODY"] = (css, "the container of the main text's paragraphs")
    constants = derived.fields()
    for name, value, method in extraction_report(item):
        if name not in REPORTED_FIELDS:
            continue
        if name in constants:
            reading = f"{method} -> {constants[name]} below"
        elif method:
            reading = f"{method} (generic reading kept)"
        else:
            reading = "not found"
        derived.comments.append(f"{name}: {reading}{_preview(value)}")
    return derived


def article_url_pattern(url: str) -> str:
    """A regular expression for the site's article URLs, generalized from one of them:
    numeric path segments become `\\d+`, slugs `[\\w-]+`, the rest stays literal."""
    parts = urlsplit(url)
    segments = [segment for segment in parts.path.split("/") if segment]
    pattern = []
    for number, segment in enumerate(segments):
        if segment.isdigit():
            pattern.append(r"\d+")
        elif _SLUG_SEGMENT.fullmatch(segment) or number == len(segments) - 1:
            pattern.append(r"[\w.-]+" if "." in segment else r"[\w-]+")
        else:
            pattern.append(re.escape(segment))
    number_value, any_value = r"\d+", "[^&]+"
    parameters = parse_qsl(parts.query)
    query = "&".join(
        f"{re.escape(key)}={number_value if value.isdigit() else any_value}"
        for key, value in parameters
    )
    if any(value.isdigit() for _, value in parameters) and segments:
        # The id is in the query (`index.php?id=123`): the path names the script, keep it.
        pattern[-1] = r"\d+" if segments[-1].isdigit() else re.escape(segments[-1])
    path = "/".join(pattern)
    tail = rf"\?{query}" if query else "/?"
    return rf"^https?://{re.escape(parts.netloc)}/{path}{tail}$"


def article_id_pattern(url: str) -> str | None:
    """A regular expression capturing the article's id, when its URL ends in a number
    (`/news/detail/3293`); numbers earlier in the path are usually dates, not ids."""
    segments = [segment for segment in urlsplit(url).path.split("/") if segment]
    if len(segments) >= 2 and segments[-1].isdigit():
        return rf"/{re.escape(segments[-2])}/(\d+)"
    return None


def _check_free(name: str, url: str, module: Path, test: Path, fixtures_dir: Path) -> None:
    if not SITE_ID.fullmatch(name) or keyword.iskeyword(name) or name == "base":
        raise ScaffoldError(
            f"{name!r}: a site name is lower-case letters, digits and _ (a Python module name)"
        )
    if name in all_sites():
        raise ScaffoldError(f"{name!r}: a site of that name is already registered")
    for path in (module, test):
        if path.exists():
            raise ScaffoldError(f"{path}: already exists (not overwritten)")
    existing = FixtureSet.open(fixtures_dir).find(url)
    if existing is not None and existing.url == url:
        raise ScaffoldError(f"{url}: already a fixture of {existing.source} ({existing.file})")


def _page_selector(page: Fetched) -> Selector:
    """The page decoded as a crawl decodes it."""
    response = text_response(page.url, page.headers, page.body)
    if response is None:
        raise ScaffoldError(f"{page.url}: not an HTML page")
    return response.selector


def _register(name: str, directory: Path, builtin: bool) -> None:
    """Make the new module part of the registry, and check it yields its SITE."""
    if builtin:
        importlib.invalidate_caches()
        all_sites.cache_clear()
    else:
        add_sites_dir(directory)
    if name not in all_sites():
        raise ScaffoldError(f"{directory / (name + '.py')}: the new module did not load")


def _title_css(selector: Selector, title: str) -> str | None:
    for node in selector.xpath("//h1"):
        if clean_text(" ".join(node.xpath(".//text()").getall())) == title:
            css = _css_path(selector, node.root)
            if css and clean_text(" ".join(selector.css(f"{css} ::text").getall())) == title:
                return f"{css}::text" if not len(node.root) else css
    return None


def _body_css(selector: Selector, body: list[str]) -> str | None:
    """`<container> > p` for the element holding most of the body's paragraphs."""
    wanted = set(body)
    parents: Counter[etree._Element] = Counter()
    for node in selector.xpath("//p"):
        if _text(node.root) in wanted and node.root.getparent() is not None:
            parents[node.root.getparent()] += 1
    if not parents:
        return None
    container, count = parents.most_common(1)[0]
    if count < min(2, len(body)):
        return None
    container_css = _css_path(selector, container)
    if container_css is None:
        return None
    own = [_text(child) for child in container.iterchildren("p")]
    expected = [text for text in own if text in wanted]
    for css in (f"{container_css} > p", f"{container_css} > p:not([class])"):
        found = [text for node in selector.css(css) if (text := _text(node.root))]
        if found == expected:
            return css
    return f"{container_css} > p"


def _css_path(selector: Selector, element: etree._Element) -> str | None:
    """The shortest selector whose first match is `element`: its `tag#id` or `tag.class`,
    preceded by as few ancestors with an id or a class as needed (up to MAX_SELECTOR_DEPTH
    steps); None when there is none."""
    steps = [_css_step(element)]
    ancestors = (
        ancestor
        for ancestor in element.iterancestors()
        if isinstance(ancestor.tag, str) and _css_step(ancestor) != ancestor.tag
    )
    while True:
        css = " ".join(steps)
        matches = selector.css(css)
        if matches and matches[0].root is element:
            return css
        ancestor = next(ancestors, None)
        if ancestor is None or len(steps) == MAX_SELECTOR_DEPTH:
            return None
        steps.insert(0, _css_step(ancestor))


def _css_step(element: etree._Element) -> str:
    identifier = element.get("id", "")
    if _CSS_IDENTIFIER.fullmatch(identifier):
        return f"{element.tag}#{identifier}"
    classes = [name for name in element.get("class", "").split() if _CSS_IDENTIFIER.fullmatch(name)]
    return element.tag + "".join(f".{name}" for name in classes)


def _text(element: etree._Element) -> str:
    return clean_text(" ".join(element.itertext())) or ""


def _preview(value: object) -> str:
    if value in (None, "", [], {}):
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return f" ({text[:57]}...)" if len(text) > 60 else f" ({text})"


def _site_name(selector: Selector, item: ArticleItem, metadata: PageMetadata) -> str | None:
    """The site's name: OpenGraph's, the JSON-LD publisher's, or what follows the headline in
    the page's `<title>` ("Headline - Harbor Town Gazette")."""
    named = metadata.first_meta("og:site_name") or json_ld_text(metadata.json_ld.get("publisher"))
    if named:
        return clean_text(named)
    title_tag = clean_text(selector.xpath("string(//title)").get()) or ""
    if item.title and title_tag.startswith(item.title):
        return clean_text(title_tag[len(item.title) :].strip(" -|:\u2013\u2014\u00b7"))
    return None


def _template(name: str) -> Template:
    return Template(files("newsmon").joinpath("templates", name).read_text(encoding="utf-8"))


def _render_module(
    name: str,
    page: Fetched,
    selector: Selector,
    item: ArticleItem,
    derived: _Selectors,
    tz: str,
    lang: str,
) -> str:
    metadata = read_metadata(selector)
    parts = urlsplit(page.url)
    home_url = f"{parts.scheme}://{parts.netloc}/"
    site_name = _site_name(selector, item, metadata) or site_host(page.url) or name
    feeds = [
        url
        for href in metadata.feeds
        if (url := absolute_url(href, page.url)) and same_site(url, page.url)
    ]
    article_id = article_id_pattern(page.url)
    constants = "".join(
        f"    {constant} = {json.dumps(css)}  # {why}\n"
        for constant, (css, why) in derived.constants.items()
    )
    selectors = (
        "{"
        + ", ".join(
            f'"{field_name}": self.{constant}' for field_name, constant in derived.fields().items()
        )
        + "}"
    )
    return _template("site.py.tmpl").substitute(
        site_id=name,
        class_name="".join(part.title() for part in name.split("_")),
        site_name=_docstring_text(site_name),
        name_literal=json.dumps(site_name, ensure_ascii=False),
        home_url=home_url,
        page_url=page.url,
        fetched_at=page.fetched_at,
        fetched_date=page.fetched_at[:10],
        field_comments="\n".join(f"    #   {line}" for line in derived.comments),
        selector_constants=constants,
        selectors=selectors,
        lang=lang,
        tz=tz,
        feeds=json.dumps(feeds),
        article_url=article_url_pattern(page.url),
        article_id=f'\n    article_id=re.compile(r"{article_id}"),' if article_id else "",
    )


def _render_test(name: str, fixtures_dir: Path, tests_dir: Path, sites_dir: Path | None) -> str:
    def relative(path: Path) -> str:
        return Path(os.path.relpath(path.resolve(), tests_dir.resolve())).as_posix()

    return _template("test_site.py.tmpl").substitute(
        site_id=name,
        fixtures_dir=relative(fixtures_dir),
        sites_dir=f', sites_dir=HERE / "{relative(sites_dir)}"' if sites_dir else "",
    )


def _docstring_text(text: str) -> str:
    return text.replace("\\", "/").replace('"""', "'''")
