"""The simulated news web (tests/simweb): deterministic, honest about what it serves, and
crawlable by newsmon's generic spider over real HTTP on 127.0.0.1."""

from __future__ import annotations

import http.client
import json
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path

from tests.helpers import FAST, newsmon
from tests.simweb import (
    ABSENT,
    HEADLINE_REWRITE,
    HONEST,
    LYING_ETAG,
    PUBLISHED,
    SLUG_MOVE,
    STUCK_LAST_MODIFIED,
    UPDATES,
    Burst,
    RobotsChange,
    SimClock,
    SimServer,
    SimWeb,
    SiteSpec,
    Throttle,
    Window,
    random_sites,
    serving,
)
from tests.simweb.sources import SEED_SITES_OFF

START = datetime(2026, 3, 2, tzinfo=UTC)
HOUR = timedelta(hours=1)
NEWSMON_AGENT = "newsmon/0.1 (news monitor; +https://example.org/newsmon)"
FEED_LINK = re.compile(r"<link>([^<]+)</link>")


def web_of(*specs: SiteSpec, seed: int = 1) -> tuple[SimWeb, SimClock]:
    clock = SimClock(START)
    return SimWeb(specs, seed=seed, start=START), clock


@dataclass
class Fetched:
    """A response of the simulated web over HTTP."""

    status: int
    headers: Message
    text: str


def get(server: SimServer, host: str, target: str, **headers: str) -> Fetched:
    """GET `target` from the running server as `host` (redirects are not followed)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", target, headers={"Host": host, **headers})
        response = connection.getresponse()
        return Fetched(response.status, response.headers, response.read().decode("utf-8"))
    finally:
        connection.close()


def body_of(server: SimServer, host: str, target: str, **headers: str) -> tuple[int, str]:
    """The status and text of `get`."""
    fetched = get(server, host, target, **headers)
    return fetched.status, fetched.text


def feed_urls(rss: str) -> list[str]:
    """The item links of an RSS feed (its channel link, the first, left out)."""
    return FEED_LINK.findall(rss)[1:]


# The model -----------------------------------------------------------------------------------


def test_the_web_is_the_same_for_a_seed_whatever_is_asked_first() -> None:
    specs = random_sites(12, seed=5)
    end = START + timedelta(days=2)
    first = SimWeb(specs, seed=5, start=START)
    everything = first.truth.events_between(START - timedelta(days=1), end)
    second = SimWeb(random_sites(12, seed=5), seed=5, start=START)
    for hour in range(48, 0, -7):  # late hours first, then earlier ones
        second.truth.published_between(START, START + hour * HOUR)
    assert second.truth.events_between(START - timedelta(days=1), end) == everything
    assert {event.kind for event in everything} == {PUBLISHED, *UPDATES}
    other = SimWeb(random_sites(12, seed=6), seed=6, start=START)
    assert other.truth.events_between(START - timedelta(days=1), end) != everything


def test_sites_publish_less_at_night_and_update_a_share_of_their_articles() -> None:
    spec = SiteSpec("busy.test", rate_per_hour=10, update_probability=0.5)
    web, _ = web_of(spec)
    published = web.truth.published_between(START, START + timedelta(days=6))
    by_hour = [sum(1 for event in published if event.at.hour == hour) for hour in range(24)]
    night, day = sum(by_hour[0:6]), sum(by_hour[12:18])
    assert night * 3 < day
    articles = web.site("busy.test").articles
    updated = [article for article in articles if len(article.versions) > 1]
    assert 0.4 < len(updated) / len(articles) < 0.6
    gaps = [
        (later.at - earlier.at)
        for article in updated
        for earlier, later in zip(article.versions, article.versions[1:], strict=False)
    ]
    assert all(gap > timedelta(0) for gap in gaps)


def test_a_burst_publishes_more_in_an_hour_than_the_feed_holds() -> None:
    spec = SiteSpec("burst.test", rate_per_hour=1, feed_size=10, bursts=(Burst(5 * HOUR, 30),))
    web, clock = web_of(spec)
    in_burst = web.truth.published_between(START + 5 * HOUR, START + 6 * HOUR)
    assert len(in_burst) >= 30
    with serving(web, clock) as server:
        clock.advance(6 * HOUR)
        _, rss = body_of(server, "burst.test", "/rss.xml")
    shown = set(feed_urls(rss))
    assert len(shown) == 10
    assert len({event.url for event in in_burst} - shown) >= 20


# Validators ----------------------------------------------------------------------------------


def advance_to_next_publication(web: SimWeb, clock: SimClock, host: str) -> None:
    """Move the clock just past the site's next publication (within a day)."""
    count = web.site(host).published_count(clock.now)
    for _ in range(24 * 6):
        clock.advance(timedelta(minutes=10))
        if web.site(host).published_count(clock.now) > count:
            return
    raise AssertionError(f"{host} published nothing in a day")


def test_a_lying_etag_answers_304_while_the_feed_changed() -> None:
    web, clock = web_of(
        SiteSpec("liar.test", rate_per_hour=6, validators=LYING_ETAG),
        SiteSpec("honest.test", rate_per_hour=6, validators=HONEST),
    )
    clock.advance(3 * HOUR)
    with serving(web, clock) as server:
        first = {host: get(server, host, "/rss.xml") for host in ("liar.test", "honest.test")}
        _, before = body_of(server, "liar.test", "/rss.xml")
        advance_to_next_publication(web, clock, "liar.test")
        advance_to_next_publication(web, clock, "honest.test")
        etag = first["liar.test"].headers["ETag"]
        assert get(server, "liar.test", "/rss.xml", **{"If-None-Match": etag}).status == 304
        status, after = body_of(server, "liar.test", "/rss.xml")
        assert status == 200 and after != before
        honest_etag = first["honest.test"].headers["ETag"]
        again = get(server, "honest.test", "/rss.xml", **{"If-None-Match": honest_etag})
        assert again.status == 200 and again.headers["ETag"] != honest_etag
        unchanged = {"If-None-Match": again.headers["ETag"]}
        assert get(server, "honest.test", "/rss.xml", **unchanged).status == 304


def test_a_stuck_last_modified_answers_304_for_ever_and_absent_validators_never() -> None:
    web, clock = web_of(
        SiteSpec("stuck.test", rate_per_hour=6, validators=STUCK_LAST_MODIFIED),
        SiteSpec("plain.test", rate_per_hour=6, validators=ABSENT),
    )
    clock.advance(2 * HOUR)
    with serving(web, clock) as server:
        modified = get(server, "stuck.test", "/atom.xml").headers["Last-Modified"]
        plain = get(server, "plain.test", "/atom.xml")
        assert plain.headers["ETag"] is None and plain.headers["Last-Modified"] is None
        clock.advance(12 * HOUR)
        later = get(server, "stuck.test", "/atom.xml", **{"If-Modified-Since": modified})
        assert later.status == 304 and later.headers["Last-Modified"] == modified
        assert get(server, "plain.test", "/atom.xml", **{"If-None-Match": '"x"'}).status == 200


def test_a_feed_may_announce_how_long_it_stays_fresh() -> None:
    web, clock = web_of(
        SiteSpec("ttl.test", rate_per_hour=3, feed_ttl_minutes=30), SiteSpec("plain.test")
    )
    clock.advance(2 * HOUR)
    with serving(web, clock) as server:
        rss, plain = get(server, "ttl.test", "/rss.xml"), get(server, "plain.test", "/rss.xml")
        atom = get(server, "ttl.test", "/atom.xml")
    assert "<ttl>30</ttl>" in rss.text and "<ttl>" not in plain.text
    assert rss.headers["Cache-Control"] == atom.headers["Cache-Control"] == "max-age=1800"
    assert plain.headers["Cache-Control"] is None


# Articles: moves, updates, the truth ---------------------------------------------------------


def test_a_moved_article_answers_301_to_its_new_slug() -> None:
    web, clock = web_of(SiteSpec("moves.test", rate_per_hour=8, update_probability=1.0))
    moves = web.truth.events_between(START, START + timedelta(days=1), kinds=[SLUG_MOVE])
    move = moves[0]
    assert move.old_url and move.old_url != move.url
    old_path, new_path = (
        url.removeprefix("https://moves.test") for url in (move.old_url, move.url)
    )
    with serving(web, clock) as server:
        clock.set(move.at - timedelta(seconds=1))
        assert get(server, "moves.test", old_path).status == 200
        assert get(server, "moves.test", new_path).status == 404
        clock.set(move.at)
        moved = get(server, "moves.test", old_path)
        assert moved.status == 301 and moved.headers["Location"] == move.url
        status, page = body_of(server, "moves.test", new_path)
    assert status == 200
    assert f"<h1>{move.title}</h1>" in page.replace("&#x27;", "'")


def test_the_truth_matches_what_the_server_serves_at_the_clocks_time() -> None:
    spec = SiteSpec("truth.test", rate_per_hour=6, feed_size=15, update_probability=0.8)
    web, clock = web_of(spec)
    clock.advance(30 * HOUR)
    now = clock.now
    published = web.truth.published_between(START - timedelta(days=1), now, hosts=["truth.test"])
    newest = published[-15:][::-1]
    with serving(web, clock) as server:
        _, rss = body_of(server, "truth.test", "/rss.xml")
        assert feed_urls(rss) == [web.truth.url_at("truth.test", e.number, now) for e in newest]
        checked_rewrites = 0
        for event in newest:
            changes = web.truth.events_between(
                event.at, now + timedelta(seconds=1), hosts=["truth.test"]
            )
            latest = [change for change in changes if change.number == event.number][-1]
            path = latest.url.removeprefix("https://truth.test")
            status, page = body_of(server, "truth.test", path)
            found = re.search(r'ld\+json">(.*?)</script>', page)
            assert status == 200 and found is not None
            data = json.loads(found.group(1))
            assert data["headline"] == latest.title
            assert data["dateModified"] == latest.at.isoformat().replace("+00:00", "Z")
            assert data["datePublished"] == event.at.isoformat().replace("+00:00", "Z")
            checked_rewrites += latest.kind in (HEADLINE_REWRITE, SLUG_MOVE)
        # Nothing published after the clock's time is served.
        future = web.truth.published_between(now + timedelta(seconds=1), now + 5 * HOUR)
        path = future[0].url.removeprefix("https://truth.test")
        assert get(server, "truth.test", path).status == 404
    assert checked_rewrites


def test_listings_page_through_everything_published() -> None:
    spec = SiteSpec("pages.test", rate_per_hour=4, page_size=10, update_probability=0)
    web, clock = web_of(spec)
    clock.advance(10 * HOUR)
    total = web.site("pages.test").published_count(clock.now)
    seen: list[str] = []
    with serving(web, clock) as server:
        target: str | None = "/latest"
        while target:
            status, page = body_of(server, "pages.test", target)
            assert status == 200
            seen += re.findall(r'<li><a href="([^"]+)"', page)
            found = re.search(r'<a rel="next" href="([^"]+)"', page)
            target = found.group(1) if found else None
        assert get(server, "pages.test", "/latest?page=999").status == 404
    published = web.truth.published_between(START - timedelta(days=1), clock.now)
    assert len(seen) == total
    assert seen == [event.url for event in reversed(published)]


def test_a_news_sitemap_lists_the_last_two_days() -> None:
    web, clock = web_of(SiteSpec("sitemap.test", rate_per_hour=3, news_sitemap=True))
    clock.advance(timedelta(days=3))
    with serving(web, clock) as server:
        _, robots = body_of(server, "sitemap.test", "/robots.txt")
        _, sitemap = body_of(server, "sitemap.test", "/news-sitemap.xml")
    assert "Sitemap: https://sitemap.test/news-sitemap.xml" in robots
    listed = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    second = timedelta(seconds=1)
    recent = web.truth.published_between(clock.now - timedelta(days=2) + second, clock.now + second)
    assert sorted(listed) == sorted(
        str(web.truth.url_at(e.host, e.number, clock.now)) for e in recent
    )


# Faults --------------------------------------------------------------------------------------


def test_faults_answer_in_their_windows_only() -> None:
    web, clock = web_of(
        SiteSpec("down.test", outages=(Window(2 * HOUR),)),
        SiteSpec("busy.test", throttles=(Throttle(HOUR, HOUR, retry_after=900),)),
        SiteSpec("blocks.test", blocks_newsmon=True),
        SiteSpec("closes.test", robots_changes=(RobotsChange(3 * HOUR, ("/",)),)),
    )
    with serving(web, clock) as server:
        clock.advance(HOUR + timedelta(minutes=30))
        assert get(server, "down.test", "/rss.xml").status == 200
        throttled = get(server, "busy.test", "/rss.xml")
        assert throttled.status == 429 and throttled.headers["Retry-After"] == "900"
        assert get(server, "blocks.test", "/", **{"User-Agent": NEWSMON_AGENT}).status == 403
        assert get(server, "blocks.test", "/", **{"User-Agent": "Mozilla/5.0"}).status == 200
        _, robots = body_of(server, "closes.test", "/robots.txt")
        assert "Disallow: /" not in robots.replace("Disallow:\n", "")
        clock.advance(HOUR)
        assert get(server, "down.test", "/rss.xml").status == 503
        assert get(server, "busy.test", "/rss.xml").status == 200
        clock.advance(HOUR)
        assert get(server, "down.test", "/rss.xml").status == 200
        _, robots = body_of(server, "closes.test", "/robots.txt")
        assert "Disallow: /\n" in robots


def test_a_javascript_shell_has_its_text_only_inside_a_script() -> None:
    web, clock = web_of(SiteSpec("shell.test", rate_per_hour=4, js_shell=True))
    clock.advance(4 * HOUR)
    article = web.site("shell.test").newest(clock.now, 1)[0]
    version = article.version_at(clock.now)
    assert version is not None
    with serving(web, clock) as server:
        status, page = body_of(server, "shell.test", article.path(version.slug))
        _, rss = body_of(server, "shell.test", "/rss.xml")
    assert status == 200
    outside_scripts = re.sub(r"<script.*?</script>", "", page, flags=re.S)
    assert version.body[0] not in outside_scripts and "<h1>" not in outside_scripts
    assert json.dumps(version.body[0]) in page
    assert article.url(version.slug) in rss  # the feed still works


def test_requests_and_bytes_are_counted_per_site_and_url() -> None:
    web, clock = web_of(SiteSpec("a.test", rate_per_hour=5), SiteSpec("b.test"))
    clock.advance(2 * HOUR)
    with serving(web, clock) as server:
        sizes = [len(body_of(server, "a.test", "/rss.xml")[1].encode()) for _ in range(3)]
        sizes.append(len(body_of(server, "a.test", "/latest")[1].encode()))
        get(server, "b.test", "/robots.txt")
        get(server, "nowhere.test", "/")
    assert server.requests == {"a.test": 4, "b.test": 1, "nowhere.test": 1}
    assert server.bytes["a.test"] == sum(sizes)
    assert server.hits["https://a.test/rss.xml"] == 3
    assert server.statuses["nowhere.test", 404] == 1


# newsmon crawling the simulated web ----------------------------------------------------------

SOURCES = (
    SEED_SITES_OFF
    + """
[[sources]]
id = "harbor_gazette"
name = "Harbor Gazette"
home_url = "https://harbor-gazette.test/"
lang = "en"
feeds = ["https://harbor-gazette.test/rss.xml"]
allow_private_addresses = true

[[sources]]
id = "northfield_courier"
name = "Northfield Courier"
home_url = "https://northfield-courier.test/"
lang = "en"
listings = ["https://northfield-courier.test/latest"]
allow_private_addresses = true
"""
)


def stored_articles(db: Path) -> dict[str, dict[str, str]]:
    """Source → article URL → title, of the article pages the store has read."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT source_id, url, title FROM articles WHERE parser IS NOT NULL"
        ).fetchall()
    found: dict[str, dict[str, str]] = {}
    for source, url, title in rows:
        found.setdefault(source, {})[url] = title
    return found


def test_newsmon_crawls_the_simulated_web_and_stores_what_it_showed(tmp_path: Path) -> None:
    # Times before the real clock: newsmon keeps no article dated in the future.
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=2)
    gazette = SiteSpec(
        "harbor-gazette.test",
        rate_per_hour=3,
        feed_size=10,
        update_probability=0,
        bursts=(Burst(3 * HOUR, 25),),
    )
    courier = SiteSpec(
        "northfield-courier.test", rate_per_hour=4, page_size=10, update_probability=0
    )
    web = SimWeb([gazette, courier], seed=3, start=start)
    clock = SimClock(start)
    config, db = tmp_path / "sources.toml", tmp_path / "newsmon.db"
    config.write_text(SOURCES, encoding="utf-8")
    sources = {"harbor_gazette": gazette.host, "northfield_courier": courier.host}
    expected: dict[str, set[str]] = {source: set() for source in sources}
    # A live crawl, the listing's first page only.
    command: tuple[str, ...] = ("crawl", "--config", str(config), "--db", str(db), "--json", *FAST)
    command += ("-s", "NEWSMON_LISTING_PAGES=1")
    with serving(web, clock) as server:
        env = {"NEWSMON_RESOLVE": server.resolve_env()}
        previous = None
        for moment in (start + HOUR, start + 5 * HOUR):
            clock.set(moment)
            run = newsmon(*command, env=env)
            assert run.returncode == 0, run.stderr
            for source, host in sources.items():  # the feed's or listing's 10 newest
                so_far = web.truth.published_between(start - timedelta(days=1), moment, [host])
                expected[source] |= {event.url for event in so_far[-10:]}
            # More published since the last crawl than the listing shows (how many depends on
            # the hour of day): newsmon reads its next pages until it meets a stored article.
            # The gazette's feed overflows too, but it has no listing or sitemap to read.
            if previous is not None:
                since = web.truth.published_between(previous, moment, [courier.host])
                if len(since) > 10:
                    expected["northfield_courier"] |= {event.url for event in since}
            previous = moment
            stored = stored_articles(db)
            assert {source: set(urls) for source, urls in stored.items()} == expected
        assert server.requests[gazette.host] > 0 and server.requests[courier.host] > 0
    # Titles are the truth's; the burst overflowed the gazette's feed between the crawls.
    for source, host in sources.items():
        for url, title in stored[source].items():
            number = int(url.rsplit("/", 1)[1].split("-", 1)[0])
            article = web.truth.article(host, number)
            assert article is not None and article.versions[0].title == title
    between = web.truth.published_between(start + HOUR, start + 5 * HOUR, hosts=[gazette.host])
    missed = {event.url for event in between} - set(stored["harbor_gazette"])
    assert len(missed) >= 15
