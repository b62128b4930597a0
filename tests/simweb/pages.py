"""What the simulated sites serve, as text: article pages, listings, RSS, Atom, news
sitemaps, robots.txt, and the JavaScript shell a script-only site sends instead of HTML."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from email.utils import format_datetime
from html import escape

from tests.simweb.model import Article, SiteSpec, Version

LISTING_PATH = "/latest"
RSS_PATH = "/rss.xml"
ATOM_PATH = "/atom.xml"
NEWS_SITEMAP_PATH = "/news-sitemap.xml"
NEWS_SITEMAP_SPAN = timedelta(days=2)  # Google News sitemaps list the last two days


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def http_date(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def page_url(spec: SiteSpec, path: str) -> str:
    return f"https://{spec.host}{path}"


def as_read(articles: Sequence[Article], moment: datetime) -> list[tuple[Article, Version]]:
    """Each of `articles` (published by `moment`) with its version at `moment`."""
    read = []
    for article in articles:
        version = article.version_at(moment)
        if version is None:
            raise ValueError(f"article {article.number} of {article.host} is not out at {moment}")
        read.append((article, version))
    return read


def article_page(spec: SiteSpec, article: Article, version: Version) -> str:
    """An article as a news site writes it: `<h1>`, JSON-LD `NewsArticle`, a dateline and
    paragraphs, its canonical address."""
    url = article.url(version.slug)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": version.title,
        "datePublished": iso(article.published_at),
        "dateModified": iso(version.at),
        "articleSection": article.section,
        "author": {"@type": "Person", "name": f"{spec.title} staff"},
        "mainEntityOfPage": url,
        "publisher": {"@type": "Organization", "name": spec.title},
    }
    paragraphs = "\n".join(f"      <p>{escape(text)}</p>" for text in version.body)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{escape(version.title)} | {escape(spec.title)}</title>
  <link rel="canonical" href="{escape(url)}">
  <meta property="og:title" content="{escape(version.title)}">
  <meta property="og:type" content="article">
  <script type="application/ld+json">{_json_in_script(data)}</script>
</head>
<body>
  {_masthead(spec)}
  <main>
    <article>
      <h1>{escape(version.title)}</h1>
      <p class="dateline"><time datetime="{iso(article.published_at)}">\
{article.published_at:%d %B %Y, %H:%M} UTC</time></p>
{paragraphs}
    </article>
  </main>
</body>
</html>
"""


def listing_page(
    spec: SiteSpec, articles: Sequence[Article], moment: datetime, page: int, has_next: bool
) -> str:
    """Page `page` of the site's latest articles (as of `moment`), with a `rel="next"` link
    when there are older ones."""
    items = "\n".join(
        _listing_item(article, version) for article, version in as_read(articles, moment)
    )
    pager = (
        f'<a rel="next" href="{LISTING_PATH}?page={page + 1}">Older stories</a>' if has_next else ""
    )
    head_next = (
        f'<link rel="next" href="{page_url(spec, f"{LISTING_PATH}?page={page + 1}")}">'
        if has_next
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Latest news, page {page} | {escape(spec.title)}</title>
  {head_next}
</head>
<body>
  {_masthead(spec)}
  <main>
    <h1>Latest news</h1>
    <ul class="stories">
{items}
    </ul>
    <nav class="pager">{pager}</nav>
  </main>
</body>
</html>
"""


def js_shell(spec: SiteSpec, state: dict[str, object]) -> str:
    """A page whose text exists only inside a script (a client-side rendered site)."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{escape(spec.title)}</title>
  <script src="/static/app.js" defer></script>
</head>
<body>
  <div id="root"></div>
  <noscript>Please enable JavaScript to read {escape(spec.title)}.</noscript>
  <script>window.__INITIAL_STATE__ = {_json_in_script(state)};</script>
</body>
</html>
"""


def article_state(article: Article, version: Version) -> dict[str, object]:
    """What a JavaScript shell embeds for an article."""
    return {
        "article": {
            "headline": version.title,
            "datePublished": iso(article.published_at),
            "dateModified": iso(version.at),
            "paragraphs": list(version.body),
        }
    }


def listing_state(articles: Sequence[Article], moment: datetime) -> dict[str, object]:
    """What a JavaScript shell embeds for a listing."""
    return {
        "stories": [
            {"title": version.title, "url": article.url(version.slug)}
            for article, version in as_read(articles, moment)
        ]
    }


def rss(spec: SiteSpec, articles: Sequence[Article], moment: datetime) -> str:
    """RSS 2.0 of `articles` (newest first) as they read at `moment`."""
    items = []
    for article, version in as_read(articles, moment):
        url = escape(article.url(version.slug))
        items.append(
            f"""    <item>
      <title>{escape(version.title)}</title>
      <link>{url}</link>
      <guid isPermaLink="false">{spec.host}/{article.number}</guid>
      <pubDate>{http_date(article.published_at)}</pubDate>
      <category>{article.section}</category>
      <description>{escape(version.body[0])}</description>
    </item>"""
        )
    built = articles[0].published_at if articles else moment
    ttl = f"\n    <ttl>{spec.feed_ttl_minutes}</ttl>" if spec.feed_ttl_minutes else ""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>{escape(spec.title)}</title>
    <link>{page_url(spec, "/")}</link>
    <description>Latest news from {escape(spec.title)}</description>
    <lastBuildDate>{http_date(built)}</lastBuildDate>{ttl}
{chr(10).join(items)}
  </channel>
</rss>
"""


def atom(spec: SiteSpec, articles: Sequence[Article], moment: datetime) -> str:
    """Atom of `articles` (newest first) as they read at `moment`."""
    entries = []
    read = as_read(articles, moment)
    for article, version in read:
        url = escape(article.url(version.slug))
        entries.append(
            f"""  <entry>
    <title>{escape(version.title)}</title>
    <link rel="alternate" href="{url}"/>
    <id>tag:{spec.host},2026:{article.number}</id>
    <published>{iso(article.published_at)}</published>
    <updated>{iso(version.at)}</updated>
    <summary>{escape(version.body[0])}</summary>
  </entry>"""
        )
    newest = max((version.at for _, version in read), default=moment)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>{escape(spec.title)}</title>
  <link rel="alternate" href="{page_url(spec, "/")}"/>
  <link rel="self" href="{page_url(spec, ATOM_PATH)}"/>
  <id>tag:{spec.host},2026:feed</id>
  <updated>{iso(newest)}</updated>
{chr(10).join(entries)}
</feed>
"""


def news_sitemap(spec: SiteSpec, articles: Sequence[Article], moment: datetime) -> str:
    """A Google News sitemap of `articles` as they read at `moment`."""
    urls = []
    for article, version in as_read(articles, moment):
        urls.append(
            f"""  <url>
    <loc>{escape(article.url(version.slug))}</loc>
    <lastmod>{iso(version.at)}</lastmod>
    <news:news>
      <news:publication><news:name>{escape(spec.title)}</news:name>\
<news:language>en</news:language></news:publication>
      <news:publication_date>{iso(article.published_at)}</news:publication_date>
      <news:title>{escape(version.title)}</news:title>
    </news:news>
  </url>"""
        )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{chr(10).join(urls)}
</urlset>
"""


def robots(spec: SiteSpec, disallow: Sequence[str]) -> str:
    """robots.txt: `disallow` for every agent, and the news sitemap if the site has one."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in disallow)]
    if not disallow:
        lines.append("Disallow:")
    if spec.news_sitemap:
        lines.append(f"Sitemap: {page_url(spec, NEWS_SITEMAP_PATH)}")
    return "\n".join(lines) + "\n"


def _listing_item(article: Article, version: Version) -> str:
    return (
        f'      <li><a href="{escape(article.url(version.slug))}">{escape(version.title)}</a> '
        f'<time datetime="{iso(article.published_at)}">{article.published_at:%H:%M}</time></li>'
    )


def _masthead(spec: SiteSpec) -> str:
    return (
        f'<header><a href="{page_url(spec, "/")}">{escape(spec.title)}</a> '
        f'<nav><a href="{LISTING_PATH}">Latest</a> <a href="{RSS_PATH}">RSS</a></nav></header>'
    )


def _json_in_script(data: object) -> str:
    """JSON safe inside a `<script>` element."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
