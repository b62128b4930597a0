"""Freshness on a simulated news web: newsmon's adaptive schedule against fixed polling (run
by hand).

    python benchmarks/freshness.py [--sites 200] [--days 3] [--seed 1] [--no-write]

Three strategies crawl the same simulated web (`tests/simweb`: bursts larger than a feed,
lying validators, updated, rewritten and moved articles, outages, 429s), each site a source
with its RSS feed and its listing's first page, as `newsmon crawl` reads them:

- **adaptive**: newsmon's schedule, with also the news sitemap a site's robots.txt names (as
  `newsmon sources add` finds it; 40 % of the sites). Cron starts a run every minute; a run
  polls the entry points `newsmon.polling.schedule` says are due, with or without validators
  as it says, feeds each answer back into it (`observe_*`, `plan`, `newsmon.polling.hints` for
  `<ttl>`, `max-age` and `Retry-After`), credits what the run's polls brought when it ends
  (`credit`), reads further after an overflow (the listing's next pages until one shows an
  article stored before, at most NEWSMON_POLL_OVERFLOW_PAGES), re-reads at once what a
  sitemap's `<lastmod>` shows changed since its last read (`dated_rereads`, whose "unchanged"
  counts as a read: `record_unchanged`), and re-reads the stored articles of the sources it
  crawls that `newsmon.crawl.rereads.due_rereads` names, on a real newsmon store, with the
  settings' defaults;
- **fixed 5 min** and **fixed 15 min**: every entry point at every run, validators always
  sent and trusted, no re-reads (today's `newsmon crawl` from cron).

Each new article link is fetched once. To fit three strategies × 200 sites × 3 days in
minutes, requests go to the simulated server in process (`SimServer.respond`, counted like
HTTP requests) rather than through Scrapy, pages are read with patterns of their known markup,
and simulated time advances by the minute. The same mechanisms run end to end over HTTP,
through Scrapy and the store, in `tests/test_polling.py` (which also checks that each overflow
and lying feed is told once and no article is missed).

Figures per strategy: completeness (articles recorded / published in the span), detection
latency p50/p95 (publication → recorded), update capture (updates seen — an article page
read, or for headline rewrites and moves a feed or listing showing the new headline — within
24 h and before the next update / updates made), requests and bytes (per recorded article),
lying validators caught and when, wall time; then requests by what they were for (feed,
listing, sitemap polls, validator checks, overflow pages, articles, re-reads) and latency and
requests by kind of site (`<ttl>`, rate band, sitemap, validators, burst). Written to
`benchmarks/results/freshness-<YYYYMMDD>.json` and `.md`.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from common import ROOT, machine_line, report_header, write_results

sys.path.insert(0, str(ROOT))

from scrapy.settings import Settings

from newsmon.crawl.rereads import Reread, dated_rereads, due_rereads, record_unchanged
from newsmon.polling.hints import freshness_hint, retry_after
from newsmon.polling.middleware import policy_from
from newsmon.polling.schedule import (
    Outcome,
    PollState,
    Shown,
    credit,
    observe_failure,
    observe_items,
    observe_not_modified,
    plan,
    same_validators,
    send_validators,
)
from newsmon.settings_table import default, project_settings
from newsmon.store import Store
from tests.simweb import (
    HEADLINE_REWRITE,
    LYING_ETAG,
    PUBLISHED,
    SLUG_MOVE,
    STUCK_LAST_MODIFIED,
    UPDATES,
    SimClock,
    SimServer,
    SimWeb,
    random_sites,
)

START = datetime(2026, 3, 2, tzinfo=UTC)
HISTORY = timedelta(hours=12)
MINUTE = timedelta(minutes=1)
NUMBER = re.compile(r"/(\d+)-[^/]*$")
ADAPTIVE, FIXED_5, FIXED_15 = "adaptive", "fixed 5 min", "fixed 15 min"
STRATEGIES = (ADAPTIVE, FIXED_5, FIXED_15)
# What a request was for; polls sent without the validators they had are also counted as
# validator checks.
REQUEST_KINDS = (
    "feed poll",
    "listing poll",
    "sitemap poll",
    "validator check",
    "overflow page",
    "article",
    "re-read",
    "dated re-read",
)
# Rate bands (items an hour at the site's daytime peak) of the breakdown.
RATE_BANDS = ((0, 0.5), (0.5, 2), (2, 8), (8, 1000))


def article_key(host: str, url: str) -> tuple[str, int] | None:
    """The simulated article a URL names (its number never changes when its slug does)."""
    match = NUMBER.search(url)
    return (host, int(match.group(1))) if match else None


@dataclass
class Entry:
    """One entry point of a source."""

    source: str
    host: str
    path: str
    kind: str

    @property
    def url(self) -> str:
        return f"https://{self.host}{self.path}"


@dataclass
class Strategy:
    """One way of polling the web, and what it saw."""

    name: str
    every: timedelta | None  # None: adaptive
    server: SimServer
    clock: SimClock
    recorded: dict[tuple[str, int], datetime] = field(default_factory=dict)
    # article → (time, "page" | "title", title seen)
    observed: dict[tuple[str, int], list[tuple[datetime, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    validators: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)
    states: dict[str, PollState] = field(default_factory=dict)
    lying_caught: dict[str, datetime] = field(default_factory=dict)
    overflows: int = 0
    rereads: int = 0
    # Requests by what they were for (`REQUEST_KINDS`).
    kinds: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0


# What the simulated pages show, read with patterns of their known markup: newsmon's own
# feed parser (feedparser) costs ~25 ms a feed, which would make the benchmark hours long; its
# parsing is tested on these very pages in tests/test_simweb.py and tests/test_polling.py.
RSS_ITEM = re.compile(
    r"<item>\s*<title>([^<]*)</title>\s*<link>([^<]+)</link>.*?<pubDate>([^<]+)</pubDate>", re.S
)
LISTING_ITEM = re.compile(r'<li><a href="([^"]+)">([^<]*)</a>')
NEXT_PAGE = re.compile(r'<a rel="next" href="([^"]+)"')
SITEMAP_URL = re.compile(
    r"<loc>([^<]+)</loc>\s*<lastmod>([^<]+)</lastmod>.*?<news:publication_date>([^<]+)"
    r"</news:publication_date>\s*<news:title>([^<]*)</news:title>",
    re.S,
)


@dataclass
class Page:
    """What a feed, listing or sitemap page shows."""

    shown: list[Shown]  # items (URL, publication when dated)
    titles: list[str]
    next_url: str | None = None  # a listing's next page
    changes: list[tuple[str, datetime]] = field(default_factory=list)  # URL, last change


class Parser:
    """The items a page shows, memoised on the body (an unchanged page is read once)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, bytes], Page] = {}

    def parse(self, entry: Entry, body: bytes) -> Page:
        key = (entry.url, hashlib.sha1(body).digest())
        if key not in self.cache:
            self.cache[key] = self._parse(entry, body.decode("utf-8"))
        return self.cache[key]

    @staticmethod
    def _parse(entry: Entry, text: str) -> Page:
        if entry.kind == "feed":
            items = RSS_ITEM.findall(text)
            shown = [Shown(unescape(url), parsedate_to_datetime(date)) for _, url, date in items]
            return Page(shown, [unescape(title) for title, _, _ in items])
        if entry.kind == "sitemap":
            urls = SITEMAP_URL.findall(text)
            return Page(
                [Shown(unescape(url), _instant(published)) for url, _, published, _ in urls],
                [unescape(title) for _, _, _, title in urls],
                changes=[(unescape(url), _instant(lastmod)) for url, lastmod, _, _ in urls],
            )
        links = LISTING_ITEM.findall(text)
        following = NEXT_PAGE.search(text)
        next_url = urljoin(entry.url, unescape(following.group(1))) if following else None
        return Page(
            [Shown(unescape(url)) for url, _ in links], [unescape(t) for _, t in links], next_url
        )


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def entry_points(web: SimWeb, sitemaps: bool) -> list[Entry]:
    """Every site as a source (named by its host) with its feed and listing, and with
    `sitemaps` the news sitemap its robots.txt names (as `newsmon sources add` finds it)."""
    entries = []
    for host in web.hosts:
        entries += [Entry(host, host, "/rss.xml", "feed"), Entry(host, host, "/latest", "listing")]
        if sitemaps and web.site(host).spec.news_sitemap:
            entries.append(Entry(host, host, "/news-sitemap.xml", "sitemap"))
    return entries


class Run:
    """What one cron run of a strategy does."""

    def __init__(self, strategy: Strategy, parser: Parser, settings: Settings, store: Store | None):
        self.strategy = strategy
        self.parser = parser
        self.settings = settings
        self.policy = policy_from(settings)
        self.store = store
        self.brought: list[tuple[PollState, datetime, Outcome]] = []

    def request(
        self, host: str, path: str, kind: str, headers: dict[str, str] | None = None
    ) -> Any:
        self.strategy.kinds[kind] += 1
        return self.strategy.server.respond(host, path, {"user-agent": "bench", **(headers or {})})

    def poll(self, entry: Entry, now: datetime) -> None:
        """Poll one entry point; fetch the new articles it shows."""
        strategy = self.strategy
        adaptive = strategy.every is None
        state = strategy.states.setdefault(
            entry.url, PollState(entry.url, entry.source, entry.kind)
        )
        headers: dict[str, str] = {}
        etag, modified = strategy.validators.get(entry.url, (None, None))
        send = send_validators(state, now, self.policy)[0] if adaptive else True
        if send and etag:
            headers["if-none-match"] = etag
        if send and modified:
            headers["if-modified-since"] = modified
        withheld = not send and bool(etag or modified)
        if withheld:
            strategy.kinds["validator check"] += 1
        answer = self.request(entry.host, entry.path, f"{entry.kind} poll", headers)
        if answer.status == 304:
            observe_not_modified(state, now)
        elif answer.status >= 400:
            observe_failure(state, now, retry_after(answer.headers, now))
        else:
            answered = (answer.headers.get("ETag"), answer.headers.get("Last-Modified"))
            strategy.validators[entry.url] = answered
            page = self.parser.parse(entry, answer.body)
            outcome = observe_items(
                state,
                now,
                page.shown,
                validators_withheld=withheld,
                validators_kept=same_validators((etag, modified), answered),
                hint=freshness_hint(answer.headers, answer.body),
                known=lambda url: self.known_before(entry.host, url, now),
                learn=not adaptive,
            )
            if adaptive:
                self.brought.append((state, now, outcome))
            self.record(entry.host, page.shown, page.titles, now)
            if outcome.caught_lying:
                strategy.lying_caught.setdefault(entry.host, now)
            if outcome.overflowed and adaptive:
                strategy.overflows += 1
                self.recover(entry, page.next_url, now)
            if page.changes and self.store is not None:
                self.dated_rereads(page.changes, now)
        plan(state, now, self.policy)

    def known_before(self, host: str, url: str, now: datetime) -> bool:
        """Whether the article at `url` was recorded before this run (as the crawl asks the
        store of articles stored by earlier crawls)."""
        key = article_key(host, url)
        return (
            key is not None and key in self.strategy.recorded and self.strategy.recorded[key] < now
        )

    def end_run(self) -> None:
        """What the crawl does when it ends: each poll's rate taught what it brought."""
        credit(self.brought, self.policy)
        self.brought.clear()

    def recover(self, entry: Entry, next_page: str | None, now: datetime) -> None:
        """Read the listing (a feed's, or the listing's next pages) until a page shows an
        article recorded before this poll."""
        page = Entry(entry.source, entry.host, "/latest", "listing")
        url = next_page if entry.kind == "listing" else page.url
        for _ in range(self.policy.overflow_pages):
            if url is None:
                return
            page = Entry(
                entry.source, entry.host, url.removeprefix(f"https://{entry.host}"), "listing"
            )
            answer = self.request(page.host, page.path, "overflow page")
            if answer.status != 200:
                return
            read = self.parser.parse(page, answer.body)
            url = read.next_url
            self.record(entry.host, read.shown, read.titles, now)
            if any(self.known_before(entry.host, item.url, now) for item in read.shown):
                return

    def record(self, host: str, shown: list[Shown], titles: list[str], now: datetime) -> None:
        """Headlines seen; the articles not recorded yet are fetched and recorded."""
        strategy = self.strategy
        for item, title in zip(shown, titles, strict=False):
            key = article_key(host, item.url)
            if key is None:
                continue
            strategy.observed[key].append((now, "title", title))
            if key not in strategy.recorded:
                self.fetch_article(host, item.url, key, now, "article")

    def fetch_article(
        self, host: str, url: str, key: tuple[str, int], now: datetime, kind: str
    ) -> None:
        answer = self.request(host, url.removeprefix(f"https://{host}"), kind)
        if answer.status in (301, 302):
            url = answer.headers.get("Location", "")
            answer = self.request(host, url.removeprefix(f"https://{host}"), kind)
        if answer.status != 200:
            return
        first = key not in self.strategy.recorded
        self.strategy.recorded.setdefault(key, now)
        self.strategy.observed[key].append((now, "page", ""))
        if self.store is not None:
            self.store_read(host, url, key, now, first)

    def store_read(
        self, host: str, url: str, key: tuple[str, int], now: datetime, first: bool
    ) -> None:
        """Keep the read in the newsmon store `due_rereads` reads."""
        assert self.store is not None
        stamp = now.isoformat()
        if first:
            article = self.strategy.server.web.truth.article(*key)
            published = article.published_at.isoformat() if article else None
            self.store.conn.execute(
                """INSERT INTO articles (id, source_id, url, story_id, title, match_key,
                     published_at, fetched_at, first_seen, last_seen)
                   VALUES (?, ?, ?, 1, '', '', ?, ?, ?, ?)""",
                (
                    _article_id(key),
                    host,
                    url,
                    published,
                    stamp,
                    stamp,
                    stamp,
                ),
            )
        else:
            self.store.conn.execute(
                "UPDATE articles SET fetched_at = ? WHERE id = ?", (stamp, _article_id(key))
            )
        self.store.conn.execute(
            "INSERT OR IGNORE INTO article_urls (url, article_id, how, first_seen) "
            "VALUES (?, ?, 'page', ?)",
            (url, _article_id(key), stamp),
        )

    def reread(self, sources: list[str], now: datetime) -> None:
        """Read again what `due_rereads` names for the sources this run crawls."""
        assert self.store is not None
        due = due_rereads(
            self.store,
            now,
            factor=self.settings.getfloat("NEWSMON_REREAD_FACTOR"),
            max_age=timedelta(days=self.settings.getfloat("NEWSMON_REREAD_MAX_AGE_DAYS")),
            budget_per_source=self.settings.getint("NEWSMON_REREAD_BUDGET"),
            min_interval=timedelta(minutes=self.settings.getfloat("NEWSMON_REREAD_MIN_MINUTES")),
            sources=sources,
        )
        self.read_again(due, now, "re-read")

    def dated_rereads(self, changes: list[tuple[str, datetime]], now: datetime) -> None:
        """Read again what a sitemap's `<lastmod>` shows changed since its last read; the
        articles it shows unchanged count as read (as `RereadsMiddleware` does)."""
        assert self.store is not None
        dated = dated_rereads(
            self.store, changes, budget_per_source=self.settings.getint("NEWSMON_REREAD_BUDGET")
        )
        record_unchanged(self.store, dict.fromkeys(dated.unchanged, now))
        self.read_again(dated.due, now, "dated re-read")

    def read_again(self, rereads: list[Reread], now: datetime, kind: str) -> None:
        for reread in rereads:
            host = reread.url.split("/")[2]
            key = article_key(host, reread.url)
            if key is not None:
                self.strategy.rereads += 1
                self.fetch_article(host, reread.url, key, now, kind)


_IDS: dict[tuple[str, int], int] = {}


def _article_id(key: tuple[str, int]) -> int:
    return _IDS.setdefault(key, len(_IDS) + 1)


def run_strategy(
    strategy: Strategy, entries: list[Entry], parser: Parser, settings: Settings, end: datetime
) -> None:
    """Cron over the span: every minute (adaptive, due entry points only) or every `every`."""
    began = time.perf_counter()
    store = None
    with tempfile.TemporaryDirectory() as directory:
        if strategy.every is None:
            store = Store.open(Path(directory) / "newsmon.db")
            for host in sorted({entry.host for entry in entries}):
                store.ensure_source(
                    host,
                    name=host,
                    home_url=f"https://{host}/",
                    lang=None,
                    tz="UTC",
                    kind="generic",
                )
            store.conn.execute(
                "INSERT INTO stories (id, title, first_seen, last_seen) VALUES (1, '', '', '')"
            )
        run = Run(strategy, parser, settings, store)
        step = strategy.every or MINUTE
        sources = {entry.source for entry in entries}
        moment = START
        while moment < end:
            strategy.clock.set(moment)
            due = [e for e in entries if strategy.every is not None or _due(strategy, e, moment)]
            for entry in due:
                run.poll(entry, moment)
            run.end_run()
            if store is not None:
                # As `newsmon run`: the re-reads due of every source not asked to wait.
                run.reread(sorted(sources - _asked_to_wait(strategy, moment)), moment)
                store.conn.commit()
            moment += step
        if store is not None:
            store.close()
    strategy.seconds = time.perf_counter() - began


def _asked_to_wait(strategy: Strategy, now: datetime) -> set[str]:
    return {
        state.source
        for state in strategy.states.values()
        if state.retry_at is not None and state.retry_at > now
    }


def _due(strategy: Strategy, entry: Entry, now: datetime) -> bool:
    state = strategy.states.get(entry.url)
    return state is None or state.due(now)


def figures(strategy: Strategy, web: SimWeb, end: datetime) -> dict[str, Any]:
    """What a strategy achieved against the truth."""
    events = web.truth.events_between(START, end)
    published = [event for event in events if event.kind == PUBLISHED]
    # The last hours' articles may still be waiting for a poll when the span ends (the longest
    # wait is NEWSMON_POLL_MAX_MINUTES).
    cut = end - timedelta(minutes=default("NEWSMON_POLL_MAX_MINUTES"))
    judged = [event for event in published if event.at < cut]
    latencies, unhinted = [], []
    by_group: dict[str, list[float]] = defaultdict(list)
    recorded = 0
    for event in judged:
        at = strategy.recorded.get((event.host, event.number))
        if at is not None:
            recorded += 1
            latencies.append((at - event.at) / MINUTE)
            for group in site_groups(web, event.host):
                by_group[group].append(latencies[-1])
            # Sites whose feed asks for no shortest wait (<ttl>, max-age).
            if web.site(event.host).spec.feed_ttl_minutes is None:
                unhinted.append(latencies[-1])
    updates = [e for e in events if e.kind in UPDATES and e.at < end - timedelta(days=1)]
    captured = sum(_captured(strategy, web, event) for event in updates)
    requests = sum(strategy.server.requests.values())
    total_bytes = sum(strategy.server.bytes.values())
    liars = [
        t.host for t in web.sites.values() if t.spec.validators in (LYING_ETAG, STUCK_LAST_MODIFIED)
    ]
    return {
        "articles_published": len(judged),
        "articles_recorded": recorded,
        "completeness": round(recorded / max(1, len(judged)), 4),
        "latency_minutes_p50": round(statistics.median(latencies), 1) if latencies else None,
        "latency_minutes_p95": round(_percentile(latencies, 0.95), 1) if latencies else None,
        "latency_minutes_p95_without_hints": round(_percentile(unhinted, 0.95), 1)
        if unhinted
        else None,
        "updates_made": len(updates),
        "updates_captured": captured,
        "update_capture": round(captured / max(1, len(updates)), 4),
        "requests": requests,
        "bytes": total_bytes,
        "requests_per_article": round(requests / max(1, recorded), 2),
        "bytes_per_article": round(total_bytes / max(1, recorded)),
        "rereads": strategy.rereads,
        "requests_without_rereads": requests - strategy.rereads,
        "overflows_recovered": strategy.overflows,
        "lying_feeds": len(liars),
        "lying_caught": len([host for host in liars if host in strategy.lying_caught]),
        "lying_caught_within_hours_max": round(
            max(
                (
                    (strategy.lying_caught[h] - START) / timedelta(hours=1)
                    for h in liars
                    if h in strategy.lying_caught
                ),
                default=0,
            ),
            1,
        ),
        "requests_by_kind": {kind: strategy.kinds[kind] for kind in REQUEST_KINDS},
        "by_site": _by_site(strategy, web, by_group),
        "seconds": round(strategy.seconds, 1),
    }


def site_groups(web: SimWeb, host: str) -> list[str]:
    """The kinds of site `host` belongs to in the breakdown."""
    spec = web.site(host).spec
    low, high = next(band for band in RATE_BANDS if band[0] <= spec.rate_per_hour < band[1])
    rate = f"rate {low:g}+ /h" if high >= 1000 else f"rate {low:g}–{high:g} /h"
    return [
        f"ttl {spec.feed_ttl_minutes} min" if spec.feed_ttl_minutes else "no ttl",
        rate,
        "news sitemap" if spec.news_sitemap else "no sitemap",
        f"validators {spec.validators}",
        "burst beyond feed" if any(b.count > spec.feed_size for b in spec.bursts) else "no burst",
    ]


def _by_site(
    strategy: Strategy, web: SimWeb, latencies: dict[str, list[float]]
) -> dict[str, dict[str, Any]]:
    """Latency and requests per kind of site."""
    requests: Counter[str] = Counter()
    sites: Counter[str] = Counter()
    for host in web.hosts:
        for group in site_groups(web, host):
            requests[group] += strategy.server.requests[host]
            sites[group] += 1
    return {
        group: {
            "sites": sites[group],
            "articles": len(latencies[group]),
            "latency_minutes_p50": round(statistics.median(latencies[group]), 1)
            if latencies[group]
            else None,
            "latency_minutes_p95": round(_percentile(latencies[group], 0.95), 1)
            if latencies[group]
            else None,
            "requests": requests[group],
        }
        for group in sorted(sites, key=_group_order)
    }


def _group_order(group: str) -> tuple[int, float, str]:
    """Groups of one kind together (ttl, rate, sitemap, validators, burst), in order."""
    prefixes = ("no ttl", "ttl", "rate", "news", "no sitemap", "validators", "burst", "no burst")
    kind = next(index for index, prefix in enumerate(prefixes) if group.startswith(prefix))
    number = re.search(r"\d+(\.\d+)?", group)
    return kind, float(number.group(0)) if number else 0.0, group


def _captured(strategy: Strategy, web: SimWeb, event: Any) -> bool:
    """Whether the strategy saw the version an update made, within 24 h and before the next."""
    article = web.truth.article(event.host, event.number)
    assert article is not None
    later = [version.at for version in article.versions if version.at > event.at]
    until = min([event.at + timedelta(days=1), *later[:1]])
    for at, how, title in strategy.observed.get((event.host, event.number), []):
        if not event.at <= at < until:
            continue
        if how == "page":
            return True
        if event.kind in (HEADLINE_REWRITE, SLUG_MOVE) and title == event.title:
            return True
    return False


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def markdown(report: dict[str, Any]) -> str:
    options = report["options"]
    rows = report["strategies"]
    fixed5 = rows[FIXED_5]
    lines = [
        f"# Freshness on a simulated news web — {report['date'][:10]}",
        "",
        machine_line(report),
        "",
        f"{options['sites']} sites, {options['days']} simulated days, seed {options['seed']}; "
        f"{report['web']['bursts_beyond_feed']} sites with a burst larger than their feed, "
        f"{report['web']['lying']} with lying validators, "
        f"{report['web']['updated_share']:.0%} of articles updated "
        "(`python benchmarks/freshness.py`). Each site is a source with its RSS feed and "
        "listing; the adaptive schedule also polls the news sitemap robots.txt names "
        f"({report['web']['sitemaps']} sites).",
        "",
        "| strategy | completeness | latency p50 / p95 (min) | p95 on sites without a "
        "`<ttl>`/`max-age` | update capture (24 h) | requests (share of fixed 5 min) | without "
        "re-reads | requests / article | bytes / article | lying feeds caught (latest, h) "
        "| wall s |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in rows.items():
        share = row["requests"] / max(1, fixed5["requests"])
        polls_share = row["requests_without_rereads"] / max(1, fixed5["requests"])
        lines.append(
            f"| {name} | {row['completeness']:.2%} ({row['articles_recorded']}/"
            f"{row['articles_published']}) | {row['latency_minutes_p50']} / "
            f"{row['latency_minutes_p95']} | {row['latency_minutes_p95_without_hints']} | "
            f"{row['update_capture']:.1%} ({row['updates_captured']}/{row['updates_made']}) | "
            f"{row['requests']} ({share:.0%}) | {row['requests_without_rereads']} "
            f"({polls_share:.0%}) | {row['requests_per_article']} | {row['bytes_per_article']} | "
            f"{row['lying_caught']}/{row['lying_feeds']} "
            f"({row['lying_caught_within_hours_max']}) | {row['seconds']} |"
        )
    adaptive = rows[ADAPTIVE]
    caught = (
        adaptive["lying_caught"] == adaptive["lying_feeds"]
        and adaptive["lying_caught_within_hours_max"] <= 24
    )
    lines += [
        "",
        "Against the targets of the adaptive schedule: completeness 100 % — "
        f"{_met(adaptive['completeness'] >= 1)}; p95 latency no worse than fixed 5 min — "
        f"{_met(adaptive['latency_minutes_p95'] <= fixed5['latency_minutes_p95'])} (what is "
        "late comes from sites publishing up to 2 items an hour, polled at the rate they "
        "learned, where fixed polling reads every source every 5 minutes); at most 30 % of fixed "
        f"5 min's requests — {_met(adaptive['requests'] <= 0.3 * fixed5['requests'])} "
        "(re-reads, which fixed polling does not make, included; "
        f"{_met(adaptive['requests_without_rereads'] <= 0.3 * fixed5['requests'])} without "
        f"them); update capture ≥ 95 % — {_met(adaptive['update_capture'] >= 0.95)}; every "
        "lying validator caught within a day — "
        f"{_met(caught)}; within 10 minutes — {_met(report['seconds'] <= 600)}.",
    ]
    lines += ["", *breakdown(rows)]
    lines += ["", f"Whole benchmark: {report['seconds']} s.", ""]
    return "\n".join(lines)


def breakdown(rows: dict[str, dict[str, Any]]) -> list[str]:
    """Where the adaptive schedule's requests and latency come from, beside fixed 5 min's."""
    adaptive, fixed5 = rows[ADAPTIVE], rows[FIXED_5]
    lines = [
        "Requests by what they were for (validator checks: polls sent without the validators "
        "they had, also counted as polls):",
        "",
        f"| request | {' | '.join(rows)} |",
        f"| --- |{' --- |' * len(rows)}",
    ]
    for kind in REQUEST_KINDS:
        lines.append(
            f"| {kind} | {' | '.join(str(r['requests_by_kind'][kind]) for r in rows.values())} |"
        )
    lines += [
        "",
        "Latency (min) and requests by kind of site (rate: items an hour at the daytime peak):",
        "",
        "| sites | count | articles | adaptive p50 / p95 | fixed 5 min p95 | adaptive requests "
        "| fixed 5 min requests |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for group, row in adaptive["by_site"].items():
        fixed = fixed5["by_site"][group]
        lines.append(
            f"| {group} | {row['sites']} | {row['articles']} | {row['latency_minutes_p50']} / "
            f"{row['latency_minutes_p95']} | {fixed['latency_minutes_p95']} | {row['requests']} "
            f"| {fixed['requests']} |"
        )
    return lines


def _met(met: bool) -> str:
    return "met" if met else "**not met**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--days", type=float, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a newsmon setting for the adaptive schedule (NEWSMON_POLL_*, NEWSMON_REREAD_*)",
    )
    parser.add_argument(
        "--strategy",
        action="append",
        choices=STRATEGIES,
        help="only these strategies (repeatable; implies --no-write)",
    )
    parser.add_argument("--no-write", action="store_true", help="print, write no result files")
    options = parser.parse_args(argv)
    began = time.perf_counter()
    end = START + timedelta(days=options.days)
    settings = project_settings(dict(item.split("=", 1) for item in options.set))
    report: dict[str, Any] = {**report_header(), "options": vars(options), "strategies": {}}
    report["settings"] = {
        name: settings.get(name)
        for name in sorted(settings.attributes)
        if name.startswith(("NEWSMON_POLL_", "NEWSMON_REREAD"))
    }
    for name, every in (
        (ADAPTIVE, None),
        (FIXED_5, timedelta(minutes=5)),
        (FIXED_15, timedelta(minutes=15)),
    ):
        if options.strategy and name not in options.strategy:
            continue
        sites = random_sites(options.sites, seed=options.seed, days=options.days)
        web = SimWeb(sites, seed=options.seed, start=START, history=HISTORY)
        clock = SimClock(START)
        strategy = Strategy(name, every, SimServer(web, clock), clock)
        entries = entry_points(web, sitemaps=every is None)
        run_strategy(strategy, entries, Parser(), settings, end)
        report["strategies"][name] = figures(strategy, web, end)
        print(name, report["strategies"][name], flush=True)
    specs = [timeline.spec for timeline in web.sites.values()]
    events = web.truth.events_between(START, end)
    published = {(e.host, e.number) for e in events if e.kind == PUBLISHED}
    updated = {(e.host, e.number) for e in events if e.kind in UPDATES}
    report["web"] = {
        "bursts_beyond_feed": sum(any(b.count > s.feed_size for b in s.bursts) for s in specs),
        "sitemaps": sum(s.news_sitemap for s in specs),
        "lying": sum(s.validators in (LYING_ETAG, STUCK_LAST_MODIFIED) for s in specs),
        "updated_share": len(updated & published) / max(1, len(published)),
    }
    report["seconds"] = round(time.perf_counter() - began, 1)
    if options.strategy:
        return 0
    text = markdown(report)
    print(text)
    if not options.no_write:
        print(f"written: {write_results('freshness', report, text)}.json/.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
