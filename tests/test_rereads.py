"""Stored articles read again on a decaying schedule: which are due (on a real store), and what
live crawls of the simulated web see through them (real HTTP on 127.0.0.1, simulated hours)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newsmon.clock import ManualClock, use_clock
from newsmon.crawl.rereads import (
    DUE_SQL,
    ReadTry,
    Reread,
    dated_rereads,
    due_rereads,
    record_tries,
    record_unchanged,
)
from newsmon.middlewares.rereads import RereadsMiddleware
from newsmon.normalize.dates import utc_iso
from newsmon.spiders.site import SITE_SPIDERS
from newsmon.store import Store
from tests.helpers import FAST, newsmon
from tests.simweb import (
    BODY_EDIT,
    HEADLINE_REWRITE,
    Article,
    SimClock,
    SimServer,
    SimWeb,
    SiteSpec,
    serving,
)
from tests.simweb.sources import SEED_SITES_OFF

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)

# The documented defaults.
SCHEDULE = {
    "factor": 0.2,
    "max_age": timedelta(days=7),
    "budget_per_source": 10,
    "min_interval": timedelta(minutes=10),
}


# Which articles are due ------------------------------------------------------------------


def add_article(
    store: Store,
    name: str,
    *,
    source: str = "daily",
    published: timedelta | None,
    read: timedelta | None,
    first_seen: timedelta = timedelta(0),
) -> int:
    """An article `name` of `source` published and last read that long before NOW (first seen
    when published, or `first_seen` before NOW if it has no publication time)."""
    seen = NOW - (published if published is not None else first_seen)
    with store.transaction():
        store.conn.execute(
            "INSERT OR IGNORE INTO sources (id, name, added_at) VALUES (?, ?, ?)",
            (source, source, utc_iso(NOW - 30 * DAY)),
        )
        story = store.conn.execute(
            "INSERT INTO stories (title, first_seen, last_seen) VALUES (?, ?, ?)",
            (name, utc_iso(seen), utc_iso(seen)),
        ).lastrowid
        cursor = store.conn.execute(
            """INSERT INTO articles (source_id, url, story_id, title, match_key, published_at,
                 fetched_at, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                source,
                f"https://{source}.test/{name}",
                story,
                name,
                name,
                utc_iso(NOW - published) if published is not None else None,
                utc_iso(NOW - read) if read is not None else None,
                utc_iso(seen),
                utc_iso(seen),
            ),
        )
    return int(cursor.lastrowid or 0)


def urls(due: list[Reread]) -> list[str]:
    return [reread.url for reread in due]


def test_an_article_is_due_once_the_time_since_its_last_read_is_a_fifth_of_its_age(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "n.db")
    add_article(store, "read-an-hour-ago-at-10-hours", published=10 * HOUR, read=HOUR)
    add_article(store, "read-3-hours-ago-at-10-hours", published=10 * HOUR, read=3 * HOUR)
    add_article(store, "read-12-hours-ago-at-2-days", published=2 * DAY, read=12 * HOUR)
    add_article(store, "read-6-hours-ago-at-2-days", published=2 * DAY, read=6 * HOUR)
    add_article(
        store, "undated-seen-5-hours-ago", published=None, first_seen=5 * HOUR, read=2 * HOUR
    )
    add_article(store, "eight-days-old", published=8 * DAY, read=7 * DAY)
    add_article(store, "read-8-minutes-ago-at-30", published=30 * MINUTE, read=8 * MINUTE)
    add_article(store, "a-headline-never-read", published=5 * HOUR, read=None)
    due = due_rereads(store, NOW, **SCHEDULE)
    # Most overdue first: the largest time since the last read for the age (2/5, 3/10, 12/48).
    assert urls(due) == [
        "https://daily.test/undated-seen-5-hours-ago",
        "https://daily.test/read-3-hours-ago-at-10-hours",
        "https://daily.test/read-12-hours-ago-at-2-days",
    ]
    assert [reread.why for reread in due] == [
        "5 h old, last read 2 h ago",
        "10 h old, last read 3 h ago",
        "2 d old, last read 12 h ago",
    ]
    assert {reread.source for reread in due} == {"daily"}
    # A minimum interval of 5 minutes lets the young article be read again; a factor of 0.1
    # the 2-day-old one read 6 hours ago too.
    shorter = due_rereads(store, NOW, **{**SCHEDULE, "min_interval": 5 * MINUTE})
    assert "https://daily.test/read-8-minutes-ago-at-30" in urls(shorter)
    lower = due_rereads(store, NOW, **{**SCHEDULE, "factor": 0.1})
    assert "https://daily.test/read-6-hours-ago-at-2-days" in urls(lower)
    store.close()


def test_the_budget_caps_each_source_and_the_rest_come_in_later_runs(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "n.db")
    for name, hours in (("a1", 3), ("a2", 4), ("a3", 5), ("a4", 2.5)):
        add_article(store, name, source="alpha", published=10 * HOUR, read=hours * HOUR)
    add_article(store, "b1", source="beta", published=DAY, read=10 * HOUR)
    schedule = {**SCHEDULE, "budget_per_source": 2}
    first = due_rereads(store, NOW, **schedule)
    # Time since the last read for the age: a3 5/10, b1 10/24, a2 4/10 (a1 3/10, a4 2.5/10).
    assert urls(first) == [
        "https://alpha.test/a3",
        "https://beta.test/b1",
        "https://alpha.test/a2",
    ]
    # Those are read (the store moves their `fetched_at`); the next run reads the others.
    with store.transaction():
        store.conn.executemany(
            "UPDATE articles SET fetched_at = ? WHERE id = ?",
            [(utc_iso(NOW), reread.article_id) for reread in first],
        )
    second = due_rereads(store, NOW + 15 * MINUTE, **schedule)
    assert urls(second) == ["https://alpha.test/a1", "https://alpha.test/a4"]
    only_beta = due_rereads(store, NOW + DAY, **schedule, sources=["beta"])
    assert urls(only_beta) == ["https://beta.test/b1"]
    assert due_rereads(store, NOW + DAY, **{**schedule, "budget_per_source": 0}) == []
    store.close()


def test_a_failed_try_waits_like_a_read_and_a_gone_page_is_never_tried_again(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "n.db")
    failing = add_article(store, "failing", published=10 * HOUR, read=5 * HOUR)
    gone = add_article(store, "gone", published=10 * HOUR, read=5 * HOUR)
    add_article(store, "fine", published=10 * HOUR, read=5 * HOUR)
    assert len(due_rereads(store, NOW, **SCHEDULE)) == 3
    record_tries(
        store,
        [ReadTry(failing, utc_iso(NOW - HOUR), 503), ReadTry(gone, utc_iso(NOW - HOUR), 410)],
    )
    assert urls(due_rereads(store, NOW, **SCHEDULE)) == ["https://daily.test/fine"]
    # Tried an hour ago at 10 hours old: due again 2.5 hours later, like a read.
    later = urls(due_rereads(store, NOW + 3 * HOUR, **SCHEDULE))
    assert later == ["https://daily.test/fine", "https://daily.test/failing"]
    # A gone page stays gone, whatever a later try answers.
    record_tries(store, [ReadTry(gone, utc_iso(NOW + 3 * HOUR), 200)])
    assert store.one("SELECT gone_since FROM article_reads WHERE article_id = ?", (gone,)) == (
        utc_iso(NOW - HOUR),
    )
    store.close()


def test_a_page_dating_a_change_after_the_last_read_makes_a_reread_due_at_once(
    tmp_path: Path,
) -> None:
    store = Store.open(tmp_path / "n.db")
    ids = {
        name: add_article(store, name, published=10 * HOUR, read=2 * HOUR)
        for name in ("edited", "unchanged", "edited-too", "gone")
    }
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO article_urls (url, article_id, how, first_seen) VALUES (?, ?, 'page', ?)",
            [(f"https://daily.test/{name}", id_, utc_iso(NOW)) for name, id_ in ids.items()],
        )
    record_tries(store, [ReadTry(ids["gone"], utc_iso(NOW - HOUR), 404)])
    dated = dated_rereads(
        store,
        [
            ("https://daily.test/edited", NOW - HOUR),
            ("https://daily.test/unchanged", NOW - 3 * HOUR),
            ("https://daily.test/edited-too", NOW - 30 * MINUTE),
            ("https://daily.test/gone", NOW - MINUTE),
            ("https://daily.test/never-stored", NOW),
        ],
        budget_per_source=1,
    )
    # One re-read within the budget (the other edited article waits for a later page);
    # a gone page and an unknown address are left out.
    assert urls(dated.due) == ["https://daily.test/edited"]
    assert dated.due[0].why == (
        "changed 2026-03-05T11:00:00+00:00, after its last read 2026-03-05T10:00:00+00:00"
    )
    assert dated.unchanged == [ids["unchanged"]]
    # Shown unchanged now counts as a read: no longer due on the decaying schedule.
    assert "https://daily.test/unchanged" in urls(due_rereads(store, NOW, **SCHEDULE))
    record_unchanged(store, {ids["unchanged"]: NOW})
    assert "https://daily.test/unchanged" not in urls(due_rereads(store, NOW, **SCHEDULE))
    store.close()


def test_the_due_articles_are_found_through_the_age_index(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "n.db")
    plan = store.conn.execute(
        "EXPLAIN QUERY PLAN " + DUE_SQL,
        {
            "now": utc_iso(NOW),
            "oldest": utc_iso(NOW - 7 * DAY),
            "factor": 0.2,
            "minute": 1 / 1440,
            "min_interval": 0.01,
            "budget": 10,
            "sources": "[]",
        },
    ).fetchall()
    store.close()
    details = [row[-1] for row in plan]
    assert any("SEARCH a USING INDEX articles_age" in detail for detail in details), details


# The middleware -----------------------------------------------------------------------------


def test_the_middleware_appends_the_due_rereads_of_the_spiders_sources(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    store = Store.open(db)
    due = add_article(store, "due", source="report_az", published=10 * HOUR, read=8 * HOUR)
    add_article(store, "read-lately", source="report_az", published=10 * HOUR, read=HOUR)
    add_article(store, "elsewhere", source="ccbsnews", published=10 * HOUR, read=8 * HOUR)
    store.close()
    settings = {"NEWSMON_DB": str(db), "NEWSMON_REREAD": True}  # due at 0.7 of the age
    crawler = get_crawler(SITE_SPIDERS["report_az"], settings)
    crawler.spider = spider = crawler._create_spider()
    middleware = RereadsMiddleware.from_crawler(crawler)

    async def start() -> AsyncIterator[Request]:
        yield Request("https://report.az/rss")

    async def requests() -> list[Request]:
        return [request async for request in middleware.process_start(start())]

    with use_clock(ManualClock(NOW)):
        sent = asyncio.run(requests())
    assert [request.url for request in sent] == [
        "https://report.az/rss",
        "https://report_az.test/due",
    ]
    reread = sent[1]
    assert reread.meta == {
        "source": "report_az",
        "page_kind": "article",
        "reread": True,
        "reread_article_id": due,
    }
    assert reread.callback == spider.parse_article
    assert crawler.stats is not None
    assert crawler.stats.get_value("newsmon/source/report_az/rereads") == 1
    assert crawler.stats.get_value("newsmon/source/ccbsnews/rereads") is None


def test_the_middleware_is_off_unless_asked_and_in_replay_or_refresh(tmp_path: Path) -> None:
    spider = SITE_SPIDERS["report_az"]
    db = str(tmp_path / "n.db")
    for settings in (
        {"NEWSMON_DB": db},
        {"NEWSMON_DB": db, "NEWSMON_REREAD": True, "NEWSMON_REPLAY_DIR": str(tmp_path)},
        {"NEWSMON_DB": db, "NEWSMON_REREAD": True, "NEWSMON_REFRESH": True},
    ):
        with pytest.raises(NotConfigured):
            RereadsMiddleware.from_crawler(get_crawler(spider, settings))


# Live crawls of the simulated web -----------------------------------------------------------

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)

SOURCE = (
    SEED_SITES_OFF
    + """
[[sources]]
id = "gazette"
name = "Harbor Gazette"
home_url = "https://harbor-gazette.test/"
lang = "en"
feeds = ["https://harbor-gazette.test/rss.xml"]
allow_private_addresses = true
"""
)


class Crawls:
    """newsmon runs against one simulated site, each at the simulated clock's time."""

    def __init__(self, tmp_path: Path, web: SimWeb, clock: SimClock, server: SimServer) -> None:
        self.config = tmp_path / "sources.toml"
        self.config.write_text(SOURCE, encoding="utf-8")
        self.db = tmp_path / "newsmon.db"
        self.web, self.clock, self.server = web, clock, server

    def env(self) -> dict[str, str]:
        return {
            "NEWSMON_RESOLVE": self.server.resolve_env(),
            "NEWSMON_NOW": self.clock.now.isoformat(),
        }

    def run(self, at: datetime, *settings: str) -> list[str]:
        """`newsmon run` at `at` (with these `-s` options); its output lines."""
        self.clock.set(at)
        result = newsmon(
            "run", "--db", str(self.db), "--config", str(self.config), *FAST, *FACTOR,
            *settings, env=self.env(),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        # Runs hours apart may also tell that a feed overflowed (`newsmon.polling`): not the
        # subject here.
        return [line for line in result.stdout.splitlines() if not line.startswith("! ")]

    def crawl(self, at: datetime, *settings: str) -> None:
        """`newsmon crawl` at `at` with re-reads on and these `-s` settings."""
        self.clock.set(at)
        options = [
            option for setting in ("NEWSMON_REREAD=1", *settings) for option in ("-s", setting)
        ] + list(FACTOR)
        result = newsmon(
            "crawl", "--db", str(self.db), "--config", str(self.config), *FAST, *options,
            env=self.env(),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.db) as connection:
            return connection.execute(sql, params).fetchall()

    def hits(self, article: Article) -> int:
        """How often the article's first address was asked for."""
        return self.server.hits[article.url(article.versions[0].slug)]


# The times of these tests were chosen for re-reads at 1.25 times the age (diffengine's 0.2).
FACTOR = ("-s", "NEWSMON_REREAD_FACTOR=0.2")


def updated_out_of_feed(web: SimWeb, host: str, kind: str, after: datetime) -> Article:
    """The first article published after `after` whose first update (of `kind`) comes at least
    20 minutes after its publication and once the feed no longer shows it (only a re-read of
    the article page can see that update), and is its last for 4 hours."""
    site = web.site(host).until(after + DAY)
    for article in site.articles:
        if article.published_at <= after or len(article.versions) < 2:
            continue
        update = article.versions[1]
        newer = site.published_count(update.at) - site.published_count(article.published_at)
        late = update.at - article.published_at >= 20 * MINUTE
        last = len(article.versions) == 2 or article.versions[2].at - update.at > 4 * HOUR
        if update.kind == kind and late and last and newer >= site.spec.feed_size:
            return article
    raise AssertionError(f"no article of {host} is updated that way")


GAZETTE = SiteSpec("harbor-gazette.test", rate_per_hour=8, feed_size=4, update_probability=1.0)


def test_a_rewritten_headline_is_seen_by_a_reread_and_alerted_once(tmp_path: Path) -> None:
    web, clock = SimWeb([GAZETTE], seed=11, start=START), SimClock(START)
    article = updated_out_of_feed(web, GAZETTE.host, HEADLINE_REWRITE, START + HOUR)
    original, rewrite = article.versions[0], article.versions[1]
    with serving(web, clock) as server:
        crawls = Crawls(tmp_path, web, clock, server)
        watch = newsmon("watch", "add", "story", f'"{original.title}"', "--db", str(crawls.db))
        assert watch.returncode == 0, watch.stderr
        first = crawls.run(original.at + 5 * MINUTE)
        assert any(original.title in line for line in first)
        assert crawls.hits(article) == 1
        # The feed no longer shows it; the run re-reads the stored page and sees the rewrite.
        second = crawls.run(rewrite.at + MINUTE)
        assert crawls.hits(article) == 2
        changed = [line for line in second if "changed a headline" in line]
        assert len(changed) == 1
        assert f"{original.title!r} -> {rewrite.title!r}" in changed[0]
        # Two more runs: the first too soon to read it again, the second reads it unchanged.
        assert crawls.run(rewrite.at + 3 * MINUTE) == []
        assert crawls.hits(article) == 2
        assert crawls.run(rewrite.at + 3 * HOUR) == []
        assert crawls.hits(article) == 3
    url = article.url(original.slug)
    assert crawls.query(
        "SELECT old_title, new_title FROM headline_revisions h JOIN articles a "
        "ON a.id = h.article_id WHERE a.url = ?",
        (url,),
    ) == [(original.title, rewrite.title)]
    assert crawls.query("SELECT count(*) FROM events WHERE kind = 'revision'") == [(1,)]
    # The unchanged read moved the article's last read, and nothing else.
    assert crawls.query("SELECT fetched_at FROM articles WHERE url = ?", (url,)) == [
        (utc_iso(rewrite.at + 3 * HOUR),)
    ]


def test_a_body_edit_seen_by_a_reread_is_a_revision_of_the_content(tmp_path: Path) -> None:
    web, clock = SimWeb([GAZETTE], seed=11, start=START), SimClock(START)
    article = updated_out_of_feed(web, GAZETTE.host, BODY_EDIT, START + HOUR)
    original, edit = article.versions[0], article.versions[1]
    added = (set(edit.body) - set(original.body)).pop()
    with serving(web, clock) as server:
        crawls = Crawls(tmp_path, web, clock, server)
        crawls.crawl(original.at + 5 * MINUTE)
        crawls.crawl(edit.at + MINUTE)
        crawls.crawl(edit.at + 3 * HOUR)
        assert crawls.hits(article) == 3
    url = article.url(original.slug)
    versions = crawls.query(
        "SELECT v.diff FROM article_versions v JOIN articles a ON a.id = v.article_id "
        "WHERE a.url = ? ORDER BY v.id",
        (url,),
    )
    assert len(versions) == 2 and versions[0] == (None,)
    assert f"+{added}" in str(versions[1][0]).splitlines()
    changes = crawls.query(
        "SELECT c.kind FROM article_changes c JOIN articles a ON a.id = c.article_id "
        "WHERE a.url = ?",
        (url,),
    )
    assert changes == [("content",)]


QUIET = SiteSpec("harbor-gazette.test", rate_per_hour=4, feed_size=10, update_probability=0)


def first_read(crawls: Crawls, web: SimWeb, at: datetime) -> list[Article]:
    """Crawl at `at`; the articles the feed showed then (all stored, read once)."""
    crawls.crawl(at)
    shown = web.site(QUIET.host).newest(at, QUIET.feed_size)
    assert [crawls.hits(article) for article in shown] == [1] * len(shown)
    return shown


def test_an_article_older_than_the_maximum_age_is_never_read_again(tmp_path: Path) -> None:
    web, clock = SimWeb([QUIET], seed=4, start=START), SimClock(START)
    with serving(web, clock) as server:
        crawls = Crawls(tmp_path, web, clock, server)
        shown = first_read(crawls, web, START + 2 * HOUR)
        six_days = START + 2 * HOUR + 6 * DAY
        crawls.crawl(six_days)
        young = [a for a in shown if a.published_at > six_days - 7 * DAY]
        assert young == shown  # all younger than 7 days: read again
        assert [crawls.hits(article) for article in shown] == [2] * len(shown)
        crawls.crawl(START + 2 * HOUR + 8 * DAY)
        assert [crawls.hits(article) for article in shown] == [2] * len(shown)


def test_the_budget_spreads_rereads_over_runs(tmp_path: Path) -> None:
    web, clock = SimWeb([QUIET], seed=4, start=START), SimClock(START)
    with serving(web, clock) as server:
        crawls = Crawls(tmp_path, web, clock, server)
        shown = first_read(crawls, web, START + 2 * HOUR)
        assert len(shown) == 10
        read: list[set[str]] = []
        for run in range(4):
            before = {article.number: crawls.hits(article) for article in shown}
            crawls.crawl(START + 6 * HOUR + run * MINUTE, "NEWSMON_REREAD_BUDGET=3")
            read.append({str(a.number) for a in shown if crawls.hits(a) == before[a.number] + 1})
            assert all(crawls.hits(a) <= before[a.number] + 1 for a in shown)
    assert [len(numbers) for numbers in read] == [3, 3, 3, 1]
    assert set().union(*read) == {str(article.number) for article in shown}
    # The youngest first: the same time since their last read is a larger share of their age.
    youngest = sorted(shown, key=lambda article: article.published_at)[-3:]
    assert read[0] == {str(article.number) for article in youngest}
    tried = crawls.query("SELECT status, count(*) FROM article_reads GROUP BY status")
    assert tried == [(200, 10)]
    assert crawls.query("SELECT count(*) FROM article_changes") == [(0,)]


def test_a_gone_article_is_tried_once_and_crawl_reads_again_only_when_asked(
    tmp_path: Path,
) -> None:
    web, clock = SimWeb([QUIET], seed=4, start=START), SimClock(START)
    with serving(web, clock) as server:
        crawls = Crawls(tmp_path, web, clock, server)
        shown = first_read(crawls, web, START + 2 * HOUR)
        # The site deletes the newest: the store's address for it now answers 404.
        gone = "https://harbor-gazette.test/local/deleted-article"
        with sqlite3.connect(crawls.db) as connection:
            connection.execute(
                "UPDATE articles SET url = ? WHERE url = ?",
                (gone, shown[0].url(shown[0].versions[0].slug)),
            )
        # Without `-s NEWSMON_REREAD=1`, `newsmon crawl` reads nothing again.
        clock.set(START + 6 * HOUR)
        plain = newsmon(
            "crawl", "--db", str(crawls.db), "--config", str(crawls.config), *FAST,
            env=crawls.env(),
        )  # fmt: skip
        assert plain.returncode == 0, plain.stderr
        assert server.hits[gone] == 0 and [crawls.hits(a) for a in shown[1:]] == [1] * 9
        crawls.crawl(START + 6 * HOUR + MINUTE)
        assert server.hits[gone] == 1 and [crawls.hits(a) for a in shown[1:]] == [2] * 9
        crawls.crawl(START + 12 * HOUR)
        assert server.hits[gone] == 1
    assert crawls.query(
        "SELECT r.status, r.gone_since FROM article_reads r JOIN articles a "
        "ON a.id = r.article_id WHERE a.url = ?",
        (gone,),
    ) == [(404, utc_iso(START + 6 * HOUR + MINUTE))]


# Pages that date changes ------------------------------------------------------------------

DATED = SiteSpec(
    "harbor-gazette.test", rate_per_hour=2, feed_size=50, news_sitemap=True, update_probability=1
)
# Blind re-reads never due (the time since a read would have to be 100 times the age): only
# what a page dates makes one. The page is polled at every run.
DATED_ONLY = ("-s", "NEWSMON_REREAD_FACTOR=100", "-s", "NEWSMON_POLL_MAX_MINUTES=2")


def rewritten_in_window(web: SimWeb) -> Article:
    """The first article published after START + 1 h whose first update rewrites its headline
    at least 20 minutes after publication and is its last for 4 hours."""
    site = web.site(DATED.host).until(START + DAY)
    for article in site.articles:
        if article.published_at <= START + HOUR or len(article.versions) < 2:
            continue
        update = article.versions[1]
        late = update.at - article.published_at >= 20 * MINUTE
        last = len(article.versions) == 2 or article.versions[2].at - update.at > 4 * HOUR
        if update.kind == HEADLINE_REWRITE and late and last:
            return article
    raise AssertionError("no article is rewritten that way")


@pytest.mark.parametrize(
    "entry_point",
    [
        'feeds = ["https://harbor-gazette.test/atom.xml"]',
        'sitemaps = ["https://harbor-gazette.test/news-sitemap.xml"]',
    ],
    ids=["atom-updated", "sitemap-lastmod"],
)
def test_an_article_dated_changed_after_its_last_read_is_read_again_at_once(
    tmp_path: Path, entry_point: str
) -> None:
    web, clock = SimWeb([DATED], seed=11, start=START), SimClock(START)
    article = rewritten_in_window(web)
    original, rewrite = article.versions[0], article.versions[1]
    with serving(web, clock) as server:
        crawls = Crawls(tmp_path, web, clock, server)
        crawls.config.write_text(
            crawls.config.read_text(encoding="utf-8").replace(
                'feeds = ["https://harbor-gazette.test/rss.xml"]', entry_point
            ),
            encoding="utf-8",
        )
        watch = newsmon("watch", "add", "story", f'"{original.title}"', "--db", str(crawls.db))
        assert watch.returncode == 0, watch.stderr

        def run(at: datetime) -> list[str]:
            return crawls.run(at, *DATED_ONLY)

        assert any(original.title in line for line in run(original.at + 5 * MINUTE))
        assert crawls.hits(article) == 1
        # Before the rewrite the page dates it unchanged: nothing is read again.
        assert run(rewrite.at - 5 * MINUTE) == []
        assert crawls.hits(article) == 1
        # The page dates it changed after its last read: read again in this very run.
        changed = [line for line in run(rewrite.at + MINUTE) if "changed a headline" in line]
        assert crawls.hits(article) == 2
        assert len(changed) == 1
        assert f"{original.title!r} -> {rewrite.title!r}" in changed[0]
        # Read since the change: not again, nothing told twice.
        assert run(rewrite.at + 10 * MINUTE) == []
        assert crawls.hits(article) == 2
    assert crawls.query("SELECT count(*) FROM events WHERE kind = 'revision'") == [(1,)]
    # The last run's page showed it unchanged since its read: as good as a read.
    assert crawls.query(
        "SELECT d.unchanged_at FROM article_dates d JOIN articles a ON a.id = d.article_id "
        "WHERE a.url = ?",
        (article.url(original.slug),),
    ) == [(utc_iso(rewrite.at + 10 * MINUTE),)]
