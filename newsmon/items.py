"""The two kinds of item every spider yields, and `newsmon ingest` reads.

Parsers fill them with text as shown on the page; the normalize pipeline cleans text, turns
dates into UTC ISO 8601 and canonicalizes URLs, so parsers never repeat that work. On their way
through Scrapy the items of one page travel together, as one `PageItems`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Where on a page a headline was seen (`ingest`: handed over by another scraper; `sitemap`: a
# Google News sitemap's entry).
CONTEXTS = ("article", "latest", "sidebar", "listing", "feed", "alternate", "ingest", "sitemap")

# How a published time was obtained: a full timestamp; a time of day resolved against the
# page's date; a relative time resolved against the fetch time; a calendar date only.
BASES = ("exact", "page_date", "fetch_time", "date_only")


@dataclass(kw_only=True)
class HeadlineItem:
    """One headline as seen at one place of one page."""

    source: str
    title: str
    url: str | None
    page_url: str
    context: str
    seen_at: str
    published_at: str | None = None
    published_date: str | None = None
    published_basis: str | None = None
    # When the page says the article last changed (an Atom entry's `<updated>`, a sitemap's
    # `<lastmod>`).
    modified_at: str | None = None
    section: str | None = None
    lang: str | None = None
    position: int = 0
    badges: list[str] = field(default_factory=list)


@dataclass(kw_only=True)
class ArticleItem:
    """One article page: its fields as the site publishes them."""

    source: str
    url: str
    page_url: str
    fetched_at: str
    title: str | None = None
    # The title the page gives search engines and feeds (JSON-LD, OpenGraph), when it is worded
    # otherwise than the headline the page shows readers (`title`).
    seo_title: str | None = None
    published_at: str | None = None
    published_date: str | None = None
    published_basis: str | None = None
    modified_at: str | None = None
    section: str | None = None
    lang: str | None = None
    authors: list[str] = field(default_factory=list)
    lead: str | None = None
    body: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    alternates: dict[str, str] = field(default_factory=dict)
    site_article_id: str | None = None
    previous_urls: list[str] = field(default_factory=list)
    parser: str | None = None
    methods: dict[str, str] = field(default_factory=dict)


@dataclass
class PageItems:
    """Everything one page yielded, in page order, handed through Scrapy as one item.

    Scrapy pays its cost per item (spider middlewares, the pipeline chain, signals) once a page
    rather than a dozen times. Item pipelines take it apart; feed exports (`-O items.jsonl`)
    and distributed workers see its items one by one (`items_of`).
    """

    page_url: str
    items: list[ArticleItem | HeadlineItem]


def items_of(output: object) -> list[ArticleItem | HeadlineItem]:
    """The newsmon items in `output` (a page's bundle or one item); none for anything else."""
    if isinstance(output, PageItems):
        return output.items
    if isinstance(output, ArticleItem | HeadlineItem):
        return [output]
    return []
