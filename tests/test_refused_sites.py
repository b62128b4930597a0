"""Sites that refuse newsmon, crawled by `newsmon run` over simulated days (tests/simweb, real
HTTP on 127.0.0.1): health tells each refusal once with its reason and the end of one once,
the run leaves a refusing site alone for NEWSMON_REFUSED_RETRY_HOURS, and nothing a refusing
site served is stored as an article."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.helpers import FAST, newsmon
from tests.simweb import Answer, SimClock, SimServer, SimWeb, SiteSpec, Throttle
from tests.simweb.sources import SEED_SITES_OFF

HTML = {"Content-Type": "text/html; charset=UTF-8"}
CHALLENGE = (Path(__file__).parent / "refusal_pages" / "cloudflare_challenge.html").read_bytes()

START = datetime(2026, 3, 2, 8, tzinfo=UTC)
HOUR = timedelta(hours=1)
SITES = {
    "blocked": SiteSpec("blocked.test", blocks_newsmon=True),
    "shell": SiteSpec("shell.test", rate_per_hour=4, feed_size=4, js_shell=True),
    "throttled": SiteSpec(
        "throttled.test", feed_size=3, throttles=(Throttle(-HOUR, 5 * HOUR, 3600),)
    ),
    "challenged": SiteSpec("challenged.test", rate_per_hour=4, page_size=4),
    "fine": SiteSpec("fine.test", rate_per_hour=4, feed_size=3),
}
SOURCES = SEED_SITES_OFF + (
    "".join(
        f"""
[[sources]]
id = "{source}"
home_url = "https://{spec.host}/"
lang = "en"
feeds = ["https://{spec.host}/rss.xml"]
listings = ["https://{spec.host}/latest"]
allow_private_addresses = true
"""
        for source, spec in SITES.items()
    )
)
BACKING_OFF = "not crawled in this run, as they refuse newsmon"


class ChallengingServer(SimServer):
    """The simulated web, but challenged.test answers its feed and its articles with
    Cloudflare's interstitial: at 200, and every other article at 403 with `cf-mitigated`
    (its listing is left alone)."""

    def respond(self, host: str, target: str, headers: Mapping[str, str]) -> Answer:
        answer = super().respond(host, target, headers)
        if host != "challenged.test" or answer.status != 200 or target.startswith("/latest"):
            return answer
        page = target.rsplit("/", 1)[-1]
        if page == "rss.xml" or page.split("-", 1)[0].isdigit():
            if page[0].isdigit() and int(page.split("-", 1)[0]) % 2:
                return Answer(403, CHALLENGE, {**HTML, "cf-mitigated": "challenge"})
            return Answer(200, CHALLENGE, HTML)
        return answer


def articles_read(db: Path) -> dict[str, int]:
    """Source → the articles whose page the store has read."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT source_id, count(*) FROM articles WHERE parser IS NOT NULL GROUP BY source_id"
        ).fetchall()
    return dict(rows)


def headlines_titled(db: Path, title: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(
            "SELECT count(*) FROM headlines WHERE title = ?", (title,)
        ).fetchone()[0]


def test_refusing_sites_are_told_once_left_alone_and_never_stored(tmp_path: Path) -> None:
    web = SimWeb(list(SITES.values()), seed=4, start=START)
    clock = SimClock(START)
    config, db = tmp_path / "sources.toml", tmp_path / "newsmon.db"
    config.write_text(SOURCES, encoding="utf-8")
    log = Path(f"{db}.log")
    command = ("run", "--config", str(config), "--db", str(db), *FAST)
    command += ("-s", "NEWSMON_LISTING_PAGES=1")
    told: list[list[str]] = []
    requests: list[dict[str, int]] = []
    backing_off: list[int] = []
    server = ChallengingServer(web, clock).start()
    try:
        env = {"NEWSMON_RESOLVE": server.resolve_env()}
        # Hours after the start: at 1 and 2 (both within the throttle), 8 (the refusing sites
        # tried again after 6 h, the throttle over), 9.
        for hours in (1, 2, 8, 9):
            clock.set(START + hours * HOUR)
            env["NEWSMON_NOW"] = clock.now.isoformat()
            before = log.read_text(encoding="utf-8") if log.exists() else ""
            result = newsmon(*command, env=env)
            assert result.returncode == 0, result.stderr
            told.append(result.stdout.splitlines())
            requests.append(dict(server.requests))
            backing_off.append(log.read_text(encoding="utf-8")[len(before) :].count(BACKING_OFF))
    finally:
        server.stop()
    shell_articles = 4  # the feed's, each a JavaScript shell (the listing shows the same)
    # Besides health, a run may only say that a feed read again after hours overflowed.
    other = [line for lines in told for line in lines if not line.startswith("[health]")]
    assert all("showed only items never seen before" in line for line in other), other
    told = [[line for line in lines if line.startswith("[health]")] for lines in told]
    assert told[0] == [
        "[health] blocked: refuses newsmon: 403 on 2 of 2 requests",
        "[health] challenged: challenge page (Cloudflare) on 5 pages",
        "[health] shell: pages carry their text only in scripts (JavaScript-only): "
        f"{shell_articles} article pages not stored, 1 listing page not read",
        "[health] throttled: rate-limited: 429 on 2 of 2 requests",
    ]
    assert told[1] == []
    assert len(told[2]) == 1 and told[2][0].startswith("[health] throttled: working again (")
    assert told[3] == []
    assert backing_off == [0, 1, 0, 1]
    # Left alone within the 6 hours, tried again after them; the site that works every run.
    for host in ("blocked.test", "challenged.test", "shell.test", "throttled.test"):
        assert requests[1][host] == requests[0][host], host
        assert requests[2][host] > requests[1][host], host
    assert requests[3]["blocked.test"] == requests[2]["blocked.test"]
    assert requests[3]["shell.test"] == requests[2]["shell.test"]
    assert requests[3]["throttled.test"] > requests[2]["throttled.test"]
    assert requests[1]["fine.test"] > requests[0]["fine.test"]
    stored = articles_read(db)
    assert "blocked" not in stored and "shell" not in stored and "challenged" not in stored
    assert headlines_titled(db, "Just a moment...") == 0
    assert stored["fine"] > 0 and stored["throttled"] > 0
