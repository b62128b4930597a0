"""What every site module is made of: the source's description and its parser versions.

A parser takes a page (URL, parsed HTML, fetch time) and returns items; it never imports
Scrapy, so it can be tested, reused by `newsmon extract` and replaced by a newer version
when the site changes its layout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import ClassVar

from parsel import Selector

from newsmon.extract.article import extract_article
from newsmon.items import ArticleItem, HeadlineItem
from newsmon.normalize.dates import NOT_PUBLISHED, Published, parse_iso, utc_iso
from newsmon.normalize.text import clean_text, short_lang
from newsmon.normalize.urls import canonical_url, site_host

Item = ArticleItem | HeadlineItem


@dataclass
class Page:
    """One fetched page as a parser sees it."""

    url: str
    selector: Selector
    fetched_at: datetime
    source: str

    @classmethod
    def from_html(cls, url: str, html: str, fetched_at: datetime | str, source: str) -> Page:
        """A page from raw HTML (for tools and tests that have no Scrapy response)."""
        when = parse_iso(fetched_at) if isinstance(fetched_at, str) else fetched_at
        if when is None:
            raise ValueError(f"fetch time {fetched_at!r} is not a zoned ISO 8601 timestamp")
        return cls(url=url, selector=Selector(text=html), fetched_at=when, source=source)

    @property
    def fetched_iso(self) -> str:
        """The fetch time as UTC ISO 8601."""
        return utc_iso(self.fetched_at)

    @cached_property
    def lang(self) -> str | None:
        """The page's language (`<html lang>`): the default for the headlines it shows."""
        return short_lang(self.selector.xpath("/html/@lang").get())

    def absolute(self, href: str | None) -> str | None:
        """`href` resolved against the page URL and made canonical."""
        return canonical_url(href, self.url) if href else None

    def article_headline(self, article: ArticleItem) -> Iterator[HeadlineItem]:
        """The article's own title as this page's `article` headline (none without a title)."""
        headline = self.headline(
            article.title,
            article.url,
            "article",
            0,
            published=Published(
                article.published_at, article.published_date, article.published_basis
            ),
            section=article.section,
            lang=article.lang,
        )
        if headline:
            yield headline

    def headline(
        self,
        title: str | None,
        href: str | None,
        context: str,
        position: int,
        *,
        published: Published | None = None,
        section: str | None = None,
        lang: str | None = None,
        badges: list[str] | None = None,
    ) -> HeadlineItem | None:
        """A headline seen on this page; None when it has no text."""
        text = clean_text(title)
        if text is None:
            return None
        when = published or NOT_PUBLISHED
        return HeadlineItem(
            source=self.source,
            title=text,
            url=self.absolute(href),
            page_url=self.url,
            context=context,
            seen_at=self.fetched_iso,
            position=position,
            published_at=when.at,
            published_date=when.date,
            published_basis=when.basis,
            section=clean_text(section),
            lang=lang or self.lang,
            badges=[badge for badge in map(clean_text, badges or []) if badge],
        )


class SiteParser:
    """Base of a site's parser versions. Subclasses set selectors and override fields."""

    version: ClassVar[str] = "1"
    valid_from: ClassVar[date] = date.min

    def __init__(self, site: Site) -> None:
        self.site = site

    @property
    def name(self) -> str:
        """`<site id>@<version>`, recorded with every article it parsed."""
        return f"{self.site.id}@{self.version}"

    def parse_article(self, page: Page) -> Iterator[Item]:
        """The article of an article page, then every headline the page shows."""
        raise NotImplementedError

    def article_fields(self, page: Page, selectors: dict[str, str]) -> ArticleItem:
        """The article's fields: JSON-LD and meta first, this site's `selectors` second, the
        generic fallbacks (`<time>`, `<h1>`, main text) last."""
        article = extract_article(
            page.url,
            page.selector,
            page.fetched_at,
            source=self.site.id,
            tz=self.site.tz,
            lang=self.site.lang,
            selectors=selectors,
            metadata_first=True,
        )
        article.parser = self.name
        article.site_article_id = self.site.site_article_id(article.url)
        article.alternates = {
            lang: url for lang, url in article.alternates.items() if url != article.url
        }
        return article

    def set_published(self, article: ArticleItem, published: Published | None, method: str) -> None:
        """Fill the article's publication time from a site-specific reading."""
        if published is None:
            return
        article.published_at = published.at
        article.published_date = published.date
        article.published_basis = published.basis
        article.methods["published_at"] = method

    def own_headline(self, page: Page, article: ArticleItem) -> Iterator[HeadlineItem]:
        """The article's own title as the page's `article` headline (once, however often shown)."""
        yield from page.article_headline(article)

    def parse_listing(self, page: Page) -> Iterator[HeadlineItem]:
        """The headlines of a section or news-feed listing page."""
        raise NotImplementedError


@dataclass
class Site:
    """A source with a site-specific spider: where to start and how to parse."""

    id: str
    name: str
    home_url: str
    lang: str
    tz: str
    feeds: list[str]
    listings: list[str]
    article_url: re.Pattern[str]
    parsers: list[type[SiteParser]]
    allowed_domains: list[str] = field(default_factory=list)
    article_id: re.Pattern[str] | None = None
    feed_times_known: bool = True

    def __post_init__(self) -> None:
        if not self.allowed_domains:
            self.allowed_domains = [site_host(self.home_url)]
        self.parsers = sorted(self.parsers, key=lambda parser: parser.valid_from)

    def parser_for(self, fetched_at: datetime) -> SiteParser:
        """The parser version valid on the page's fetch date."""
        day = fetched_at.date()
        chosen = self.parsers[0]
        for parser in self.parsers:
            if parser.valid_from <= day:
                chosen = parser
        return chosen(self)

    def parser_version(self, version: str) -> SiteParser:
        """A parser by version, to check a fixture against an older or newer layout."""
        for parser in self.parsers:
            if parser.version == version:
                return parser(self)
        raise KeyError(f"{self.id} has no parser version {version!r}")

    def site_article_id(self, url: str) -> str | None:
        """The site's own id of the article at `url`, when its URLs carry one."""
        found = self.article_id.search(url) if self.article_id else None
        return found.group(1) if found else None

    def is_article(self, url: str | None) -> bool:
        """Whether `url` is one of this site's article pages."""
        return bool(url) and self.article_url.search(url) is not None  # type: ignore[arg-type]
