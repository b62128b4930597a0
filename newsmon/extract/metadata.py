"""Structured metadata of a page: JSON-LD articles and meta tags, read before any selector."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parsel import Selector

from newsmon.normalize.dates import parse_iso

# Machine-readable times a page gives (its own and others'), each with its UTC offset.
_TIMESTAMP_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//time/@datetime",
)

ARTICLE_TYPES = frozenset(
    {
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "BlogPosting",
        "OpinionNewsArticle",
        "LiveBlogPosting",
        "BackgroundNewsArticle",
        "WebPage",
    }
)
_PREFERRED_TYPES = ("NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "Article")
# A CDATA section around a script's text, as XHTML habits write it (`//` before it too): in
# HTML it is text, not markup.
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")
_JSON = json.JSONDecoder()
_FORGIVING_JSON = json.JSONDecoder(strict=False)
# A `//` comment on a line of its own, or after a value's comma ('"height": "1000", // ...').
_COMMENT_LINE = re.compile(r"^[ \t]*//.*$|(?<=[,{\[])[ \t]*//.*$", re.MULTILINE)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_LOOSE_ADDRESS = re.compile(r"^https?://(?:www\.)?")


@dataclass
class PageMetadata:
    """What a page says about itself: its JSON-LD article, meta tags and links."""

    json_ld: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, list[str]] = field(default_factory=dict)
    canonical: str | None = None
    lang: str | None = None
    alternates: dict[str, str] = field(default_factory=dict)
    feeds: list[str] = field(default_factory=list)
    json_ld_errors: int = 0
    json_ld_nodes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def first_meta(self, *names: str) -> str | None:
        """The first non-empty value among the meta tags `names` (property or name)."""
        for name in names:
            for value in self.meta.get(name.lower(), ()):
                if value.strip():
                    return value.strip()
        return None

    def resolved(self, value: Any) -> Any:
        """A JSON-LD value with its `{"@id": …}` references replaced by the objects of the
        page's JSON-LD that bear that `@id` (a Yoast `@graph` names its author so)."""
        if isinstance(value, list):
            return [self.resolved(item) for item in value]
        if isinstance(value, dict) and set(value) == {"@id"}:
            return self.json_ld_nodes.get(str(value["@id"]), value)
        return value

    def all_meta(self, name: str) -> list[str]:
        """Every non-empty value of meta tag `name`, in page order."""
        return [value.strip() for value in self.meta.get(name.lower(), ()) if value.strip()]


def read_metadata(selector: Selector) -> PageMetadata:
    """Collect JSON-LD, meta tags, canonical link, language and hreflang alternates, in one
    walk over the page's `<script>`, `<meta>` and `<link>` elements."""
    metadata = PageMetadata()
    candidates: list[dict[str, Any]] = []
    root = selector.root.getroottree().getroot()
    for element in root.iter("script", "meta", "link"):
        if element.tag == "script":
            if element.get("type") == "application/ld+json" and element.text:
                try:
                    text = _CDATA.sub("", element.text).strip()
                    candidates.extend(_json_ld_objects(first_json_value(text)))
                except (ValueError, RecursionError):
                    metadata.json_ld_errors += 1
        elif element.tag == "meta":
            _read_meta(element, metadata)
        else:
            _read_link(element, metadata)
    metadata.json_ld = _best_article(candidates)
    for obj in candidates:
        if isinstance(obj.get("@id"), str):
            metadata.json_ld_nodes.setdefault(obj["@id"], obj)
    lang = root.get("lang") if root.tag == "html" else None
    metadata.lang = lang or metadata.first_meta("og:locale")
    return metadata


def first_json_value(text: str) -> Any:
    """The JSON value a script's text starts with; what follows it (a stray closing brace,
    a second object) is left out, so a block with junk after its article still gives it.
    Text that is no JSON is read once more as browsers' script engines forgive it: with line
    breaks inside strings, `//` comments and commas before a closing bracket."""
    try:
        return _JSON.raw_decode(text)[0]
    except ValueError:
        repaired = _TRAILING_COMMA.sub(r"\1", _COMMENT_LINE.sub("", text))
        return _FORGIVING_JSON.raw_decode(repaired)[0]


def _read_meta(element: Any, metadata: PageMetadata) -> None:
    """A meta tag's content under each name it has (`<meta name="created-date"
    itemprop="datePublished">` is both, `<meta itemprop="datePublished dateCreated">` too)."""
    content = element.get("content")
    if content is None:
        return
    values = (element.get(attribute) for attribute in ("property", "name", "itemprop"))
    # an attribute may hold several names ('itemprop="datePublished dateCreated"',
    # 'property="og:title twitter:title"')
    keys = (key.lower() for value in values if value for key in value.split())
    for key in dict.fromkeys(keys):
        metadata.meta.setdefault(key, []).append(content)


def _read_link(element: Any, metadata: PageMetadata) -> None:
    rel, href = element.get("rel"), element.get("href")
    if rel == "canonical" and href is not None and metadata.canonical is None:
        metadata.canonical = href
    elif rel == "alternate" and href:
        if element.get("hreflang"):
            metadata.alternates[element.get("hreflang").lower()] = href
        elif "rss" in (kind := element.get("type", "")) or "atom" in kind:
            metadata.feeds.append(href)


def json_ld_text(value: Any) -> str | None:
    """A JSON-LD value as text: strings as they are, `{"name": …}` objects by name (a Person
    without one by its `givenName` and `familyName`)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        parts = (value.get("givenName"), value.get("familyName"))
        given_and_family = " ".join(part for part in parts if isinstance(part, str)) or None
        return json_ld_text(value.get("name") or value.get("@value") or given_and_family)
    if isinstance(value, list) and value:
        return json_ld_text(value[0])
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def json_ld_list(value: Any) -> list[str]:
    """A JSON-LD value that may be a string, a comma list, an object or a list of either."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [text for item in value for text in json_ld_list(item)]
    text = json_ld_text(value)
    return [text] if text else []


def _json_ld_objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_objects(item)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _json_ld_objects(data["@graph"])
        if "@type" in data:
            yield data
            # a WebPage holding its article as its main entity
            if isinstance(data.get("mainEntity"), dict | list):
                yield from _json_ld_objects(data["mainEntity"])


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {item for item in kind if isinstance(item, str)}
    return set()


def _best_article(candidates: list[dict[str, Any]]) -> dict[str, Any]:
    """The page's article among its JSON-LD objects (`_chosen_article`), with what it leaves
    out taken from the page's other articles about the same page: a page may give its article
    twice, by its CMS with its dates and by an SEO plugin without them."""
    chosen = _chosen_article(candidates)
    identity = _addresses(chosen)
    if not identity:
        return chosen
    merged = dict(chosen)
    for obj in candidates:
        if obj is chosen or not _types(obj) & ARTICLE_TYPES - {"WebPage"}:
            continue
        if _addresses(obj) & identity:
            for key, value in obj.items():
                merged.setdefault(key, value)
    return merged


def _chosen_article(candidates: list[dict[str, Any]]) -> dict[str, Any]:
    """The page's article among its JSON-LD objects: of the most preferred type, the one that
    says the most (a page may give its article twice, once in brief)."""
    for wanted in _PREFERRED_TYPES:
        found = [obj for obj in candidates if wanted in _types(obj)]
        if found:
            return max(found, key=len)
    # a BlogPosting before the WebPage holding it (a Yoast-like @graph lists the page first)
    for obj in candidates:
        if _types(obj) & ARTICLE_TYPES - {"WebPage"}:
            return obj
    for obj in candidates:
        if _types(obj) & ARTICLE_TYPES:
            return obj
    return {}


def _addresses(obj: dict[str, Any]) -> set[str]:
    """The addresses a JSON-LD article names itself by (`url`, `@id`, `mainEntityOfPage`),
    without scheme, fragment or trailing slash."""
    page = obj.get("mainEntityOfPage")
    named = [obj.get("url"), obj.get("@id"), page.get("@id") if isinstance(page, dict) else page]
    return {
        _LOOSE_ADDRESS.sub("", value.split("#")[0]).rstrip("/")
        for value in named
        if isinstance(value, str) and value.startswith(("http://", "https://"))
    }


def page_timestamps(selector: Selector) -> list[datetime]:
    """The page's publication meta time and `<time datetime>` values that carry an offset."""
    values = [value for xpath in _TIMESTAMP_XPATHS for value in selector.xpath(xpath).getall()]
    return [moment for value in values if (moment := parse_iso(value)) is not None]
