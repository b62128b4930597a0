"""`newsmon run` polls what is due, over simulated hours of a simulated news web: real runs over
HTTP on 127.0.0.1, cron every ten minutes, the clock set by NEWSMON_NOW."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

from tests.helpers import FAST, newsmon
from tests.simweb import (
    LYING_ETAG,
    ROUTINE_ACTIONS,
    Burst,
    SimClock,
    SimServer,
    SimWeb,
    SiteSpec,
    Throttle,
    serving,
)
from tests.simweb.sources import SEED_SITES_OFF

START = datetime(2026, 3, 2, tzinfo=UTC)
HOUR = timedelta(hours=1)
CRON = timedelta(minutes=10)
FIRST_RUN, LAST_RUN = START + HOUR, START + 6 * HOUR
# Daytime at every site during the runs (local 10:00 to 16:00).
LOCAL = 9
SITES = {
    "burst": SiteSpec(
        "burst.test",
        rate_per_hour=2,
        utc_offset_hours=LOCAL,
        feed_size=10,
        page_size=10,
        update_probability=0,
        bursts=(Burst(3 * HOUR, 30, timedelta(minutes=20)),),
    ),
    "liar": SiteSpec(
        "liar.test",
        rate_per_hour=8,
        utc_offset_hours=LOCAL,
        validators=LYING_ETAG,
        update_probability=0,
    ),
    "throttled": SiteSpec(
        "throttled.test",
        rate_per_hour=4,
        utc_offset_hours=LOCAL,
        update_probability=0,
        throttles=(Throttle(2 * HOUR, HOUR, retry_after=1800),),
    ),
    "quiet": SiteSpec(
        "quiet.test", rate_per_hour=0.1, utc_offset_hours=LOCAL, update_probability=0
    ),
    "busy": SiteSpec(
        "busy.test",
        rate_per_hour=30,
        utc_offset_hours=LOCAL,
        feed_size=30,
        update_probability=0,
    ),
    # A busy site whose feed asks to be read at most hourly (<ttl> and max-age).
    "hinted": SiteSpec(
        "hinted.test",
        rate_per_hour=12,
        utc_offset_hours=LOCAL,
        feed_ttl_minutes=60,
        update_probability=0,
    ),
}
# The sources with a listing besides their feed.
WITH_LISTING = ("burst", "hinted")


def sources_file(path: Path) -> None:
    """Every simulated site as a generic source (the seed sites off); burst.test and
    hinted.test with their listing too."""
    lines = [SEED_SITES_OFF]
    for source, spec in SITES.items():
        lines += [
            "[[sources]]",
            f'id = "{source}"',
            f'home_url = "https://{spec.host}/"',
            'lang = "en"',
            f'feeds = ["https://{spec.host}/rss.xml"]',
            "allow_private_addresses = true",
        ]
        if source in WITH_LISTING:
            lines.append(f'listings = ["https://{spec.host}/latest"]')
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


@dataclass
class Scenario:
    """What six simulated hours of cron runs did."""

    web: SimWeb
    server: SimServer
    db: Path
    outputs: dict[datetime, str] = field(default_factory=dict)
    crawls: int = 0
    schedule_after_first_run: list[dict[str, object]] = field(default_factory=list)
    feed_hits: dict[str, list[datetime]] = field(default_factory=dict)

    def polls(self, kind: str = "feed") -> dict[str, dict[str, object]]:
        """Source → the poll state of its entry point of `kind`."""
        with sqlite3.connect(self.db) as connection:
            connection.row_factory = sqlite3.Row
            rows = connection.execute("SELECT * FROM polls WHERE kind = ?", (kind,))
            return {row["source_id"]: dict(row) for row in rows}

    def stored(self, source: str) -> set[str]:
        with sqlite3.connect(self.db) as connection:
            rows = connection.execute(
                "SELECT u.url FROM article_urls u JOIN articles a ON a.id = u.article_id "
                "WHERE a.source_id = ?",
                (source,),
            ).fetchall()
        return {url for (url,) in rows}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    directory = tmp_path_factory.mktemp("polling")
    config, db = directory / "sources.toml", directory / "newsmon.db"
    sources_file(config)
    web = SimWeb(list(SITES.values()), seed=4, start=START)
    clock = SimClock(START)
    command = ("run", "--db", str(db), "--config", str(config), *FAST)
    command += ("-s", "NEWSMON_POLL_CHECK_AFTER=3")
    # Every routine headline of the simulated sites names one of these actions.
    watched = newsmon("watch", "add", "routine", " OR ".join(ROUTINE_ACTIONS), "--db", str(db))
    assert watched.returncode == 0, watched.stderr
    with serving(web, clock) as server:
        result = Scenario(web, server, db)
        env = {"NEWSMON_RESOLVE": server.resolve_env()}
        moment = FIRST_RUN
        while moment <= LAST_RUN:
            clock.set(moment)
            before = dict(server.hits)
            run = newsmon(*command, env={**env, "NEWSMON_NOW": moment.isoformat()})
            assert (run.returncode, run.stderr) == (0, ""), run.stderr
            result.outputs[moment] = run.stdout
            for source, spec in SITES.items():
                feed = f"https://{spec.host}/rss.xml"
                if server.hits[feed] > before.get(feed, 0):
                    result.feed_hits.setdefault(source, []).append(moment)
            if moment == FIRST_RUN:
                listed = newsmon(
                    "schedule", "--db", str(db), "--json", env={"NEWSMON_NOW": moment.isoformat()}
                )
                result.schedule_after_first_run = [
                    json.loads(line) for line in listed.stdout.splitlines()
                ]
            moment += CRON
    return result


def published(scenario: Scenario, source: str, start: datetime, end: datetime) -> set[str]:
    host = SITES[source].host
    return {event.url for event in scenario.web.truth.published_between(start, end, [host])}


def test_a_new_source_is_polled_at_once_then_at_the_minimum(scenario: Scenario) -> None:
    feeds = {
        row["source"]: row for row in scenario.schedule_after_first_run if row["kind"] == "feed"
    }
    assert set(feeds) == set(SITES)
    for source, row in feeds.items():
        if source == "hinted":  # its feed asks for an hour
            assert row["next_poll"] == "2026-03-02T02:00:00Z", row
            continue
        assert (row["next_poll"], row["due"]) == ("2026-03-02T01:02:00Z", False), row
        assert row["why"] == "new: polled at the minimum for its first 3 polls"
        # The first three polls come every cron run (10 minutes > the 2-minute minimum).
        assert scenario.feed_hits[source][:3] == [FIRST_RUN + n * CRON for n in range(3)]


def test_a_quiet_source_is_polled_less_often_than_a_busy_one(scenario: Scenario) -> None:
    runs = (LAST_RUN - FIRST_RUN) // CRON + 1
    assert len(scenario.feed_hits["busy"]) == runs  # due at every cron run
    assert len(scenario.feed_hits["quiet"]) <= runs // 3
    assert "new items/day expected" in scenario.polls()["quiet"]["reason"] or (
        "quiet" in scenario.polls()["quiet"]["reason"]
    )
    # Nothing of the quiet site was missed for it: all it published until its last poll.
    last_poll = scenario.feed_hits["quiet"][-1]
    assert published(scenario, "quiet", FIRST_RUN, last_poll) <= scenario.stored("quiet")


def test_runs_with_nothing_due_start_no_crawl(scenario: Scenario) -> None:
    with sqlite3.connect(scenario.db) as connection:
        (crawls,) = connection.execute("SELECT count(*) FROM crawls").fetchone()
    runs = (LAST_RUN - FIRST_RUN) // CRON + 1
    assert crawls == runs  # busy.test is due every run; the others only when due
    with sqlite3.connect(scenario.db) as connection:
        crawled = connection.execute(
            "SELECT count(*) FROM crawl_sources WHERE source_id = 'quiet'"
        ).fetchone()[0]
    assert crawled == len(scenario.feed_hits["quiet"])


def test_an_overflowing_burst_is_recovered_from_the_listing(scenario: Scenario) -> None:
    # The listing and the feed are polled in the same runs: whichever is read first shows the
    # burst's items first, and overflows.
    feed, listing = scenario.polls()["burst"], scenario.polls("listing")["burst"]
    assert (feed["overflow_at"], listing["overflow_at"]) != (None, None), (feed, listing)
    last_poll = datetime.fromisoformat(min(feed["last_at"], listing["last_at"]))
    missed = published(scenario, "burst", FIRST_RUN, last_poll) - scenario.stored("burst")
    assert missed == set()
    told = [line for out in scenario.outputs.values() for line in out.splitlines()
            if line.startswith("! burst:")]  # fmt: skip
    assert len(told) == 1 and "showed only items never seen before" in told[0]


def test_a_lying_etag_is_caught_and_loses_conditional_get(scenario: Scenario) -> None:
    polls = scenario.polls()["liar"]
    # Its ETag stayed the same while the feed changed: the first check with something new
    # proves it, without waiting for an item dated before a 304.
    assert (
        polls["lying"]
        == "answered 304 Not Modified to validators it kept while it showed new items"
    )
    caught = datetime.fromisoformat(polls["lying_at"])
    assert caught - FIRST_RUN < timedelta(hours=2)
    told = [line for out in scenario.outputs.values() for line in out.splitlines()
            if line.startswith("! liar:")]  # fmt: skip
    assert len(told) == 1 and "conditional GET is off for it" in told[0]
    last_poll = datetime.fromisoformat(polls["last_at"])
    assert published(scenario, "liar", FIRST_RUN, last_poll) <= scenario.stored("liar")
    health = newsmon("health", "--db", str(scenario.db), "--json").stdout.splitlines()
    liar = next(row for row in map(json.loads, health) if row["source"] == "liar")
    assert liar["conditional_get"].startswith("off: https://liar.test/rss.xml answered 304")


def test_a_429_with_retry_after_is_backed_off(scenario: Scenario) -> None:
    throttled = SITES["throttled"].host
    assert scenario.server.statuses[throttled, 429] >= 1
    # An hour of 429 with Retry-After: 1800: the feed asked again after half an hour, not at
    # every run (the run that met the first 429 had asked for re-reads too).
    polled = scenario.feed_hits["throttled"]
    during = [moment for moment in polled if START + 2 * HOUR <= moment < START + 3 * HOUR]
    assert len(during) <= 3
    # Rate-limited on every request of a run, the source is then left alone for
    # NEWSMON_REFUSED_RETRY_HOURS; nothing it showed before was lost.
    last_read = datetime.fromisoformat(scenario.polls()["throttled"]["full_at"])
    assert published(scenario, "throttled", FIRST_RUN, last_read) <= scenario.stored("throttled")


def test_each_headline_is_alerted_once_over_all_runs(scenario: Scenario) -> None:
    alerts = Counter(
        line.split(" ", 2)[2]  # without the watch and the time: source, places, headline
        for out in scenario.outputs.values()
        for line in out.splitlines()
        if line.startswith("[routine]")
    )
    assert len(alerts) > 100
    assert [line for line, count in alerts.items() if count > 1] == []


def test_a_busy_source_whose_feed_asks_for_an_hour_is_seen_through_its_listing(
    scenario: Scenario,
) -> None:
    # The feed is read as often as it asks, no more.
    hits = scenario.feed_hits["hinted"]
    assert min(later - earlier for earlier, later in pairwise(hits)) >= HOUR
    # The listing learned the rate and is polled at it: each article (after the first hour)
    # is stored by the first run after its publication, not an hour later.
    with sqlite3.connect(scenario.db) as connection:
        stored = dict(
            connection.execute(
                "SELECT u.url, a.first_seen FROM article_urls u JOIN articles a "
                "ON a.id = u.article_id WHERE a.source_id = 'hinted'"
            ).fetchall()
        )
    events = scenario.web.truth.published_between(
        FIRST_RUN + HOUR, LAST_RUN - CRON, [SITES["hinted"].host]
    )
    assert len(events) > 40
    late = [
        event.url for event in events if datetime.fromisoformat(stored[event.url]) - event.at > CRON
    ]
    assert late == []
    assert scenario.polls("listing")["hinted"]["reason"].endswith("~0.1 new item(s) per poll")
