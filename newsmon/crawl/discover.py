"""Looking at a site before adding it: `newsmon sources add` and `newsmon extract`.

`sources add` finds a news site's feeds and sitemaps and adds it to the sources file.
From the home page: its `<link rel=alternate>` feeds, the `Sitemap:` lines of its robots.txt,
and, when those give nothing, the usual places (/rss, /feed, /sitemap.xml, …). Every
candidate is fetched and kept only if it is a feed or a sitemap. Name, language and time zone
are taken from what the site says; the entry is appended to the sources file as text, so the
user's own text and comments stay as they are.

`extract` reads one page as a crawl would: with the site's own parser when one matches its
URL, else with the generic extractor (and the selectors of the configured source it belongs
to), reporting which method produced each field.

Fetching here is a plain HTTP client (urllib) with timeouts and newsmon's User-Agent, that
refuses private addresses unless told otherwise, like the crawler. `sources add` has one
deadline for everything it fetches (a slow site cannot hold it longer) and tries at most so
many of the feeds and sitemaps a site names; what it tried and did not take is noted.
"""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from http.client import HTTPMessage
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

import feedparser
from parsel import Selector
from scrapy.utils.sitemap import sitemap_urls_from_robots

from newsmon.config import (
    DEFAULT_CONFIG,
    GENERIC,
    ID_PATTERN,
    ID_RULE,
    Config,
    ConfigError,
    SourceConfig,
    config_path,
    http_url_problem,
    parse_config,
)
from newsmon.extract.article import (
    SITE_NAME_META,
    extract_article,
    extraction_report,
    language_code,
)
from newsmon.extract.links import article_links
from newsmon.extract.metadata import page_timestamps, read_metadata
from newsmon.extract.readable import decode_body
from newsmon.extract.sitemaps import INDEX, URLSET, read_sitemap, sitemap_body
from newsmon.items import ArticleItem, HeadlineItem
from newsmon.middlewares.private import private_address, refusal
from newsmon.normalize.dates import parse_iso
from newsmon.normalize.text import clean_text
from newsmon.normalize.urls import site_host
from newsmon.normalize.zones import guess_time_zone
from newsmon.pipelines.normalize import normalize
from newsmon.settings_table import current_user_agent, default
from newsmon.sites import site_for_url
from newsmon.sites.base import Page

TIMEOUT = 15.0
PROBE_TIMEOUT = 5.0
DOWNLOAD_MAXSIZE: int = default("DOWNLOAD_MAXSIZE")  # the largest page a crawl accepts too
FEED_PATHS = ("rss", "feed", "rss.xml", "feed.xml", "atom.xml", "index.xml", "rss/", "feed/")
SITEMAP_PATHS = ("sitemap.xml", "news-sitemap.xml", "sitemap_index.xml", "sitemap-news.xml")
NEW_FILE_HEADER = "# newsmon's sources: see sources.example.toml for every key.\n"


class DiscoveryError(Exception):
    """A site cannot be fetched or added; the message says which URL and why."""


@dataclass
class Fetched:
    """One HTTP answer (after redirects): final URL, status, headers, body."""

    url: str
    status: int
    headers: Message
    body: bytes

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        """The body as text, decoded as crawls decode it (`decode_body`); "" when not text."""
        return decode_body(self.body, self.headers.get("Content-Type") or "").text or ""


class Deadline:
    """A moment by which all fetching must be done, `seconds` from its creation."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (0 or less once it has passed)."""
        return self.at - time.monotonic()

    @property
    def problem(self) -> str:
        """What a fetch that did not end in time is told."""
        return (
            f"no complete answer within the {self.seconds:g} s deadline of `sources add` "
            "(--deadline)"
        )


def fetch(
    url: str,
    *,
    timeout: float = TIMEOUT,
    allow_private: bool = False,
    deadline: Deadline | None = None,
) -> Fetched:
    """GET `url` (following redirects) with newsmon's User-Agent.

    HTTP error statuses are returned, not raised. DiscoveryError when the address is private
    (unless `allow_private`), cannot be reached, answers more than DOWNLOAD_MAXSIZE bytes, or
    has not answered in full when `deadline` passes (however slowly it sends).
    """
    if deadline is None:
        return _fetch(url, timeout, allow_private)
    remaining = deadline.remaining()
    outcome: list[Fetched | DiscoveryError] = []

    def attempt() -> None:
        try:
            outcome.append(_fetch(url, min(timeout, remaining), allow_private))
        except DiscoveryError as error:
            outcome.append(error)

    # A socket timeout bounds each read, not the answer: a site sending a byte a second would
    # never time out. The fetch runs aside and is abandoned (a daemon thread) at the deadline.
    if remaining > 0:
        worker = threading.Thread(target=attempt, name=f"fetch {url}", daemon=True)
        worker.start()
        worker.join(remaining)
    if not outcome:
        raise DiscoveryError(f"{url}: {deadline.problem}")
    if isinstance(outcome[0], DiscoveryError):
        raise outcome[0]
    return outcome[0]


def _fetch(url: str, timeout: float, allow_private: bool) -> Fetched:
    if (problem := http_url_problem(url)) is not None:
        raise DiscoveryError(problem)
    _refuse_private(url, allow_private)
    opener = urllib.request.build_opener(_GuardedRedirects(allow_private))
    request = urllib.request.Request(
        url, headers={"User-Agent": current_user_agent(), "Accept": "*/*"}
    )
    try:
        with opener.open(request, timeout=timeout) as answer:
            return Fetched(answer.geturl(), answer.status, answer.headers, _read(answer, url))
    except urllib.error.HTTPError as error:
        with error:
            return Fetched(error.geturl() or url, error.code, error.headers, _read(error, url))
    except DiscoveryError:
        raise
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise DiscoveryError(f"{url}: cannot fetch: {reason}") from error


@dataclass
class Discovery:
    """What `sources add` found out about a site."""

    source_id: str
    home_url: str
    name: str
    lang: str | None
    tz: str | None
    tz_reason: str
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    allow_private: bool = False
    notes: list[str] = field(default_factory=list)

    def toml(self) -> str:
        """The `[[sources]]` table for the sources file (preceded by a blank line)."""
        lines = [
            "",
            "# Added by `newsmon sources add`: review it, then `newsmon crawl ID` to try it.",
            "[[sources]]",
            f"id = {_toml(self.source_id)}",
            f"name = {_toml(self.name)}",
            f"home_url = {_toml(self.home_url)}",
        ]
        if self.lang:
            lines.append(f"lang = {_toml(self.lang)}")
        lines.append(f"tz = {_toml(self.tz or 'UTC')}  # {self.tz_reason}")
        lines.append("enabled = true")
        if self.feeds:
            lines.append(f"feeds = {_toml_list(self.feeds)}")
        if self.sitemaps:
            lines.append(f"sitemaps = {_toml_list(self.sitemaps)}")
        if not self.feeds and not self.sitemaps:
            lines.append("# No feed or sitemap found: article links are taken from the home page.")
            lines.append(f"listings = {_toml_list([self.home_url])}")
        if self.allow_private:
            lines.append("allow_private_addresses = true")
        return "\n".join(lines) + "\n"


def discover(
    url: str,
    *,
    source_id: str | None = None,
    allow_private: bool = False,
    deadline: float,
    max_candidates: int,
) -> Discovery:
    """Fetch the home page at `url` and find the site's feeds, sitemaps, name, language and
    time zone, all within `deadline` seconds, trying at most `max_candidates` of the feeds
    (and of the sitemaps) the site names. DiscoveryError when the home page cannot be
    fetched."""
    if source_id is not None and not ID_PATTERN.fullmatch(source_id):
        raise DiscoveryError(f"id {source_id!r}: {ID_RULE}")
    prober = _Prober(allow_private, Deadline(deadline), max_candidates)
    home = fetch(url, allow_private=allow_private, deadline=prober.deadline)
    if not home.ok:
        raise DiscoveryError(f"{home.url}: HTTP {home.status}")
    selector = Selector(text=home.text)
    metadata = read_metadata(selector)
    feeds: list[str] = []
    feed_titles: list[str] = []
    languages = [metadata.lang, metadata.first_meta("og:locale")]
    timestamps = page_timestamps(selector)
    linked = [urljoin(home.url, href) for href in metadata.feeds]
    if linked:
        candidates = prober.each(prober.capped(linked, "feed link"), "feed link")
    else:
        candidates = prober.each(_probes(home.url, FEED_PATHS), "usual feed place")
    for candidate in candidates:
        parsed = prober.feed(candidate, probing=not linked)
        if parsed is None:
            continue
        feeds.append(candidate)
        feed_titles.append(clean_text(parsed.feed.get("title")) or "")
        languages.append(parsed.feed.get("language"))
        timestamps += _feed_timestamps(parsed)
        if not linked:  # one working probe is enough: /rss and /feed are the same feed
            break
    listed = prober.robots_sitemaps(home.url)
    if listed:
        candidates = prober.each(prober.capped(listed, "robots.txt sitemap"), "robots.txt sitemap")
    else:
        candidates = prober.each(_probes(home.url, SITEMAP_PATHS), "usual sitemap place")
    sitemaps = [
        candidate for candidate in candidates if prober.is_sitemap(candidate, probing=not listed)
    ]
    tags = [tag for tag in languages if tag and language_code(tag)]
    tz, tz_reason = guess_time_zone(home.url, tags, timestamps)
    titles = [*feed_titles, clean_text(selector.xpath("string(//title)").get())]
    name = clean_text(metadata.first_meta(*SITE_NAME_META)) or next(
        (_site_part(title) for title in titles if title), site_host(home.url)
    )
    return Discovery(
        source_id=source_id or source_id_for(home.url),
        home_url=home.url,
        name=name,
        lang=language_code(tags[0]) if tags else None,
        tz=tz,
        tz_reason=tz_reason,
        feeds=feeds,
        sitemaps=sitemaps,
        allow_private=allow_private
        and private_address(urlsplit(home.url).hostname or "") is not None,
        notes=prober.all_notes(),
    )


def add_source(discovery: Discovery, config: str | None = None) -> Path:
    """Append the discovered source to the sources file (created when missing) and return
    its path. DiscoveryError when the id is taken or the file is not valid as it is."""
    path = config_path(config) or Path(DEFAULT_CONFIG)
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if existing:
        try:
            current = parse_config(existing, path)
        except ConfigError as error:
            raise DiscoveryError(f"fix the sources file first:\n{error}") from error
        _check_id_free(current, discovery.source_id)
        addition = ("" if existing.endswith("\n") else "\n") + discovery.toml()
    else:
        addition = NEW_FILE_HEADER + discovery.toml()
    try:
        parse_config(existing + addition, path)
    except ConfigError as error:
        raise DiscoveryError(f"the new entry would not be valid:\n{error}") from error
    with path.open("a", encoding="utf-8") as handle:
        handle.write(addition)
    return path


@dataclass
class PageReading:
    """What newsmon reads from one page: the parser used, the article, the headlines."""

    parser: str
    source: str
    article: ArticleItem | None
    headlines: list[HeadlineItem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Every field with its value and method, and the headlines, as JSON-ready data."""
        fields = {
            name: {"value": value, "method": method}
            for name, value, method in (extraction_report(self.article) if self.article else [])
        }
        return {
            "parser": self.parser,
            "source": self.source,
            "fields": fields,
            "headlines": [asdict(headline) for headline in self.headlines],
        }


def read_page(
    url: str, html: str, fetched_at: datetime, config: Config | None = None
) -> PageReading:
    """Read the page at `url` as a crawl would, normalized as the store receives it: the
    site's own parser when one matches the URL, else the generic extractor with the
    selectors, time zone and language of the configured source the URL belongs to."""
    site = site_for_url(url)
    if site is not None:
        parser = site.parser_for(fetched_at)
        page = Page.from_html(url, html, fetched_at, site.id)
        items: list[ArticleItem | HeadlineItem] = list(parser.parse_article(page))
        name, source_id = parser.name, site.id
    else:
        generic = config.of_kind(GENERIC) if config else []
        source = next((source for source in generic if source.on_site(url)), None)
        source_id = source.id if source else source_id_for(url)
        article = extract_article(
            url,
            html,
            fetched_at,
            source=source_id,
            tz=source.tz if source else None,
            lang=source.lang if source else None,
            selectors=source.selectors if source else None,
        )
        items, name = [article], article.parser or ""
    normalized = [normalize(item) for item in items]
    return PageReading(
        parser=name,
        source=source_id,
        article=next((item for item in normalized if isinstance(item, ArticleItem)), None),
        headlines=[item for item in normalized if isinstance(item, HeadlineItem)],
    )


@dataclass
class StartCheck:
    """One start URL of a configured source, fetched: what it holds."""

    source: str
    kind: str
    url: str
    status: int | None
    entries: int = 0
    articles: int = 0
    problem: str | None = None


def check_sources(
    sources: list[SourceConfig], *, allow_private: bool = False
) -> Iterator[StartCheck]:
    """Fetch every feed, sitemap and listing of `sources` and count its entries and the
    article links among them (those the source would follow)."""
    for source in sources:
        private = allow_private or source.allow_private_addresses
        starts: list[tuple[str, str, str | None]] = [("feed", url, None) for url in source.feeds]
        starts += [("sitemap", url, None) for url in source.sitemaps]
        starts += [("listing", listing.url, listing.links) for listing in source.listings]
        for kind, url, links in starts:
            check = StartCheck(source.id, kind, url, None)
            try:
                answer = fetch(url, allow_private=private)
            except DiscoveryError as error:
                check.problem = str(error).removeprefix(f"{url}: ")
                yield check
                continue
            check.status = answer.status
            if not answer.ok:
                check.problem = f"HTTP {answer.status}"
            else:
                urls = _start_links(kind, answer, source, links)
                check.entries = len(urls) if urls is not None else 0
                check.articles = sum(1 for link in urls or [] if source.is_article(link))
                if urls is None:
                    check.problem = f"not a {'feed' if kind == 'feed' else kind}"
                elif not urls:
                    check.problem = "nothing found"
            yield check


def _start_links(
    kind: str, answer: Fetched, source: SourceConfig, links: str | None
) -> list[str] | None:
    """The links a start page holds (a sitemap index's: its sitemaps); None when the page is
    not of its kind."""
    if kind == "feed":
        parsed = feedparser.parse(answer.body)
        if not parsed.get("version"):
            return None
        return [entry.get("link", "") for entry in parsed.entries]
    if kind == "sitemap":
        if answer.url.endswith("/robots.txt"):
            return list(sitemap_urls_from_robots(answer.body, base_url=answer.url))
        try:
            sitemap = read_sitemap(sitemap_body(answer.body, max_size=DOWNLOAD_MAXSIZE))
        except ValueError:
            return None
        if sitemap.kind not in (INDEX, URLSET):
            return None
        return [entry.url for entry in sitemap.entries]
    return [
        url
        for url, _ in article_links(
            Selector(text=answer.text),
            answer.url,
            link_selector=links,
            allow=[pattern.pattern for pattern in source.allow],
            deny=[pattern.pattern for pattern in source.deny],
        )
    ]


def source_id_for(url: str) -> str:
    """A source id from a URL's host: `www.report.az` → `report_az`."""
    host = site_host(url)
    return re.sub(r"[^a-z0-9]+", "_", host).strip("_") or "source"


# Helpers ------------------------------------------------------------------------------------


class _GuardedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects, refusing those that lead to a private address."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        _refuse_private(newurl, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _refuse_private(url: str, allow_private: bool) -> None:
    host = urlsplit(url).hostname or ""
    if allow_private or not host:
        return
    address = private_address(host)
    if address is not None:
        reason = refusal(host, address)
        raise DiscoveryError(f"{url}: refused: {reason} (--allow-private allows it)")


def _read(answer: IO[bytes], url: str) -> bytes:
    body = answer.read(DOWNLOAD_MAXSIZE + 1)
    if len(body) > DOWNLOAD_MAXSIZE:
        raise DiscoveryError(f"{url}: larger than {DOWNLOAD_MAXSIZE} bytes")
    return body


def _probes(home_url: str, paths: tuple[str, ...]) -> list[str]:
    """The usual places of `paths` at the site's root and, for a home page below the root
    (`/en/`), under it."""
    parts = urlsplit(home_url)
    roots = [f"{parts.scheme}://{parts.netloc}/"]
    if parts.path.strip("/"):
        roots.append(f"{parts.scheme}://{parts.netloc}/{parts.path.strip('/')}/")
    return list(dict.fromkeys(root + path for root in reversed(roots) for path in paths))


class _Prober:
    """Fetches the candidate feeds and sitemaps of `sources add` within its deadline and notes
    each one not taken: those the site names one line each, the usual places it did not name
    one line per reason."""

    def __init__(self, allow_private: bool, deadline: Deadline, max_candidates: int) -> None:
        self.allow_private = allow_private
        self.deadline = deadline
        self.max_candidates = max_candidates
        self.notes: list[str] = []
        self.misses: dict[str, list[str]] = {}  # reason → usual places that gave it

    def capped(self, urls: list[str], kind: str) -> list[str]:
        """The first `max_candidates` of `urls`; the rest is noted."""
        if len(urls) > self.max_candidates:
            self._untried(
                urls[self.max_candidates :], kind, f"--max-candidates {self.max_candidates}"
            )
        return urls[: self.max_candidates]

    def each(self, urls: list[str], kind: str) -> Iterator[str]:
        """`urls` one by one until the deadline passes; the rest is noted."""
        for position, url in enumerate(urls):
            if self.deadline.remaining() <= 0:
                self._untried(
                    urls[position:], kind, f"the {self.deadline.seconds:g} s deadline passed"
                )
                return
            yield url

    def feed(self, url: str, *, probing: bool) -> feedparser.FeedParserDict | None:
        """The feed at `url`; None (noted) when it is none."""
        answer = self._fetch(url, probing)
        if answer is None:
            return None
        parsed = feedparser.parse(answer.body)
        if not parsed.get("version"):
            self._miss(url, "not an RSS or Atom feed", probing)
            return None
        return parsed

    def is_sitemap(self, url: str, *, probing: bool) -> bool:
        """Whether `url` is a sitemap (noted when not)."""
        answer = self._fetch(url, probing)
        if answer is None:
            return False
        try:
            kind = read_sitemap(sitemap_body(answer.body, max_size=DOWNLOAD_MAXSIZE)).kind
        except ValueError:
            kind = ""
        if kind not in (INDEX, URLSET):
            self._miss(url, "not a sitemap", probing)
            return False
        return True

    def robots_sitemaps(self, home_url: str) -> list[str]:
        """The sitemaps the site's robots.txt lists."""
        parts = urlsplit(home_url)
        robots = f"{parts.scheme}://{parts.netloc}/robots.txt"
        if self.deadline.remaining() <= 0:
            self.notes.append(f"robots.txt not tried ({self._deadline_passed}): {robots}")
            return []
        answer = self._fetch(robots, probing=True)
        if answer is None:
            return []
        return list(dict.fromkeys(sitemap_urls_from_robots(answer.body, base_url=robots)))

    @property
    def _deadline_passed(self) -> str:
        return f"the {self.deadline.seconds:g} s deadline passed"

    def all_notes(self) -> list[str]:
        """The notes, then one line per reason the usual places were not taken."""
        grouped = [
            f"usual places tried, {reason}: {_shortened(urls)}"
            for reason, urls in self.misses.items()
        ]
        return self.notes + grouped

    def _fetch(self, url: str, probing: bool) -> Fetched | None:
        try:
            answer = fetch(
                url,
                timeout=PROBE_TIMEOUT,
                allow_private=self.allow_private,
                deadline=self.deadline,
            )
        except DiscoveryError as error:
            self._miss(url, str(error).removeprefix(f"{url}: "), probing)
            return None
        if not answer.ok:
            self._miss(url, f"HTTP {answer.status}", probing)
            return None
        return answer

    def _miss(self, url: str, reason: str, probing: bool) -> None:
        if probing:
            self.misses.setdefault(reason, []).append(url)
        else:
            self.notes.append(f"{url}: {reason}")

    def _untried(self, urls: list[str], kind: str, why: str) -> None:
        shown = urls[0] + (", …" if len(urls) > 1 else "")
        self.notes.append(f"{len(urls)} more {kind}(s) not tried ({why}): {shown}")


def _shortened(urls: list[str]) -> str:
    """`urls` in one line: the first in full, the others on its site by their path."""
    first = urlsplit(urls[0])
    site = f"{first.scheme}://{first.netloc}"
    rest = [url.removeprefix(site) if url.startswith(site + "/") else url for url in urls[1:]]
    return ", ".join([urls[0], *rest])


def _feed_timestamps(parsed: feedparser.FeedParserDict) -> list[datetime]:
    moments = []
    for entry in parsed.entries:
        raw = entry.get("published") or entry.get("updated") or ""
        moment = parse_iso(raw)
        if moment is None:
            try:
                moment = parsedate_to_datetime(raw)
            except (TypeError, ValueError, IndexError):
                continue
        if moment.tzinfo is not None:
            moments.append(moment)
    return moments


def _site_part(title: str) -> str:
    """The site's part of a title: "Example News – Latest headlines" → "Example News"."""
    return re.split(r"\s+[|\-\u2013\u2014:]\s+", title.strip(), maxsplit=1)[0]


def _check_id_free(config: Config, source_id: str) -> None:
    existing = config.source(source_id)
    if existing is not None:
        where = f"{config.path}:{existing.line}" if existing.line else "the site registry"
        raise DiscoveryError(
            f"a source {source_id!r} exists already ({where}); choose another with --id"
        )


def _toml(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def _toml_list(values: list[str]) -> str:
    if len(values) == 1:
        return f"[{_toml(values[0])}]"
    return "[\n" + "".join(f"    {_toml(value)},\n" for value in values) + "]"
