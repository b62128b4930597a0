"""Article links on listing and home pages, found without site-specific code."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from lxml import etree
from parsel import Selector

from newsmon.extract.selectors import is_xpath
from newsmon.normalize.text import clean_text
from newsmon.normalize.urls import canonical_url, site_host

# An anchor text at least this long (in words or characters) reads like a headline.
MIN_HEADLINE_WORDS = 4
MIN_HEADLINE_CHARS = 25

# Path segments of pages that list or serve articles rather than being one.
NON_ARTICLE_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "category",
        "categories",
        "author",
        "authors",
        "page",
        "login",
        "logout",
        "signin",
        "sign-in",
        "signup",
        "sign-up",
        "register",
        "search",
        "subscribe",
        "account",
        "profile",
        "feed",
        "rss",
        "cart",
        "contact",
        "about",
        "privacy",
        "terms",
        "cookies",
    }
)
# Query parameters of paginated, search or session pages.
NON_ARTICLE_PARAMETERS = frozenset({"page", "s", "q", "query", "search", "tag", "category"})
STATIC_EXTENSIONS = frozenset(
    {
        ".jpg",
        ".jpeg",
        ".png",
        ".gif",
        ".webp",
        ".svg",
        ".ico",
        ".bmp",
        ".tif",
        ".tiff",
        ".pdf",
        ".zip",
        ".gz",
        ".rar",
        ".7z",
        ".doc",
        ".docx",
        ".xls",
        ".xlsx",
        ".ppt",
        ".pptx",
        ".mp3",
        ".mp4",
        ".m4a",
        ".avi",
        ".mov",
        ".webm",
        ".ogg",
        ".wav",
        ".css",
        ".js",
        ".json",
        ".xml",
        ".rss",
        ".atom",
        ".txt",
        ".csv",
        ".woff",
        ".woff2",
        ".ttf",
        ".exe",
        ".apk",
    }
)
# Page chrome: elements whose links are navigation, notices or tags, not headlines.
_CHROME_TAGS = frozenset({"nav", "header", "footer"})
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "menu", "menubar"})
_CHROME_NAME = re.compile(
    r"(?<![a-z])nav|nav(?![a-z])|menu|footer|breadcrumb|(?<![a-z])tag|cookie|consent",
    re.IGNORECASE,
)
_SLUG = re.compile(r"[^\W_]+(?:[-_][^\W_]+){2,}")
_DIGIT = re.compile(r"\d")


def article_links(
    selector: Selector,
    base_url: str,
    *,
    link_selector: str | None = None,
    allow: Sequence[str] = (),
    deny: Sequence[str] = (),
) -> list[tuple[str, str]]:
    """(canonical URL, anchor text) of the article links on a listing page, in page order.

    Links are deduplicated by URL, keeping the longest anchor text. With `link_selector`
    (CSS, or XPath when it starts with `/` or `(`, selecting `<a>` elements or elements
    containing them) only those links are taken. Otherwise links count when they sit
    outside page chrome (nav, header, footer, menus, breadcrumbs, tag lists), their text
    reads like a headline, and their URL is on the same site and looks like an article.
    `allow` and `deny` are regular expressions searched in the URL, as in Scrapy's
    LinkExtractor; when `allow` is given, it replaces the URL guesses (same site,
    `is_article_url`).
    """
    allowed = _patterns(allow)
    denied = _patterns(deny)
    base = _base_url(selector, base_url)
    page_url = canonical_url(base_url)
    guessing = link_selector is None
    links: dict[str, tuple[str, str]] = {}  # same URL ignoring `www.` -> (URL, anchor text)
    anchors = (
        _anchors(selector) if link_selector is None else _selected_anchors(selector, link_selector)
    )
    for href, text in anchors:
        url = absolute_url(href, base)
        if url is None or url == page_url:
            continue
        if any(pattern.search(url) for pattern in denied):
            continue
        if allowed:
            if not any(pattern.search(url) for pattern in allowed):
                continue
        elif guessing and not (same_site(url, base_url) and is_article_url(url)):
            continue
        key = url.replace("://www.", "://", 1)
        first_url, longest = links.get(key, (url, ""))
        if key not in links or len(text) > len(longest):
            links[key] = (first_url, text)
    if guessing:
        return [(url, text) for url, text in links.values() if _is_headline(text)]
    return list(links.values())


def is_article_url(url: str) -> bool:
    """Whether `url` looks like an article: a slug or an id, not a listing or a file."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    path = unquote(parts.path)
    segments = [segment.lower() for segment in path.split("/") if segment]
    if NON_ARTICLE_SEGMENTS.intersection(segments):
        return False
    last = segments[-1] if segments else ""
    extension = last[last.rfind(".") :] if "." in last else ""
    if extension in STATIC_EXTENSIONS:
        return False
    query = parse_qsl(parts.query)
    if any(key.lower() in NON_ARTICLE_PARAMETERS for key, _ in query):
        return False
    has_id = bool(_DIGIT.search(path)) or any(_DIGIT.search(value) for _, value in query)
    return has_id or len(segments) >= 2 or bool(_SLUG.fullmatch(last.removesuffix(extension)))


def absolute_url(href: str, base: str) -> str | None:
    """`href` resolved against `base` and made canonical; None unless it is a valid
    http(s) address."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    try:
        url = canonical_url(href, base=base)
    except ValueError:  # a malformed address, e.g. a bad IPv6 host or port
        return None
    return url if url.startswith(("http://", "https://")) else None


def same_site(url: str, other: str) -> bool:
    """Whether two URLs are on one site: the same host ignoring `www.`, or a subdomain."""
    host, other_host = site_host(url), site_host(other)
    if not host or not other_host:
        return False
    return host == other_host or host.endswith("." + other_host) or other_host.endswith("." + host)


def _base_url(selector: Selector, page_url: str) -> str:
    """The address relative links resolve against: the page's `<base href>` or its URL."""
    href = selector.xpath("//base/@href").get(default="").strip()
    try:
        return urljoin(page_url, href)
    except ValueError:  # a malformed <base href>
        return page_url


def _patterns(values: Sequence[str]) -> list[re.Pattern[str]]:
    if isinstance(values, str):  # a single pattern, as LinkExtractor accepts
        values = (values,)
    return [re.compile(value) for value in values]


def _anchors(selector: Selector) -> Iterator[tuple[str, str]]:
    """(href, text) of every link outside page chrome, in page order."""
    chrome: dict[etree._Element, bool] = {}
    for node in selector.xpath("//a[@href]"):
        if not _in_chrome(node.root, chrome):
            yield node.root.get("href"), _anchor_text(node)


def _selected_anchors(selector: Selector, expression: str) -> Iterator[tuple[str, str]]:
    """(href, text) of the links a configured selector picks, in page order."""
    nodes = selector.xpath(expression) if is_xpath(expression) else selector.css(expression)
    for node in nodes:
        if isinstance(node.root, str):  # an attribute such as `a::attr(href)`
            yield node.root, ""
            continue
        anchors = [node] if node.root.tag == "a" else node.xpath(".//a[@href]")
        for anchor in anchors:
            if anchor.root.get("href"):
                yield anchor.root.get("href"), _anchor_text(anchor)


def _anchor_text(anchor: Selector) -> str:
    texts = anchor.xpath(".//text()[not(ancestor::script or ancestor::style)]").getall()
    return clean_text(" ".join(texts)) or clean_text(anchor.root.get("title")) or ""


def _in_chrome(element: etree._Element, memo: dict[etree._Element, bool]) -> bool:
    """Whether `element` sits in navigation, a page header or footer, a menu or a tag list."""
    path = []
    node = element.getparent()
    verdict = False
    while node is not None:
        if node in memo:
            verdict = memo[node]
            break
        path.append(node)
        if _is_chrome(node):
            verdict = True
            break
        node = node.getparent()
    for visited in path:
        memo[visited] = verdict
    return verdict


def _is_chrome(element: etree._Element) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _CHROME_TAGS:
        # An <article>'s own header or footer frames a headline, not the page.
        return not any(ancestor.tag == "article" for ancestor in element.iterancestors())
    if element.get("role", "").lower() in _CHROME_ROLES:
        return True
    if tag in ("html", "body"):  # page-wide classes ("has-sticky-nav") say nothing of a link
        return False
    names = f"{element.get('class', '')} {element.get('id', '')}"
    return bool(_CHROME_NAME.search(names))


def _is_headline(text: str) -> bool:
    return len(text.split()) >= MIN_HEADLINE_WORDS or len(text) >= MIN_HEADLINE_CHARS
