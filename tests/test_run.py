"""`newsmon run` from cron: incremental, quiet unless something is new, webhooks delivered."""

from __future__ import annotations

import json
import re
import shutil
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsmon.ops.run import rotate_log
from newsmon.watch.alerts import redact_url
from tests.conftest import SEEDS
from tests.cron_helpers import integrity, start_newsmon
from tests.fixture_server import serving
from tests.helpers import FAST, newsmon
from tests.webhook_receiver import BadEndpoint

EXAMPLE_WATCH = (
    "{azerbaijan*|azərbaycan*|азербайджан*|aliyev} AND {turkey|türkiye*|turkish|ankara|турци*} "
    "AND {defen*|military*|müdafiə*|hərbi*|оборон*|воен*|army}"
)
FEED = "https://report.az/en/rss/"
LISTING = "https://report.az/en/news-feed/"
STORED_ARTICLES = (
    "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation",
    "https://ccbsnews.info/en/news/detail/3293",
)
NEW_ITEM = """    <item>
      <title>Azerbaijan and Türkiye hold joint military exercises in Nakhchivan</title>
      <link>https://report.az/en/military/azerbaijan-and-turkiye-hold-joint-military-exercises</link>
      <pubDate>Tue, 03 Mar 2026 15:05:00 +0400</pubDate>
      <category>Military</category>
    </item>
"""
# What the first run on the seeds prints: one line per headline per source, with its places.
SEED_LINES = [
    "[az-tr-defense] 2025-07-17T12:00:00+00:00 ccbsnews (feed, listing, article) [en]: Azerbaijan "
    "and Turkey will ramp up military-technical cooperation <https://ccbsnews.info/en/news/detail/3293>",
    "[az-tr-defense] 2026-03-03T09:41:00+00:00 report_az (feed, listing, article, latest) [en]: "
    "Azerbaijan, Türkiye discuss expanding defense industry cooperation <https://report.az/en/"
    "military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation>",
    "[az-tr-defense] 2026-03-03T10:45:00+00:00 report_az (alternate) [az]: Azərbaycan və Türkiyə "
    "müdafiə sənayesi əməkdaşlığının genişləndirilməsini müzakirə edib <https://report.az/az/herbi/"
    "azerbaycan-ve-turkiye-mudafie-senayesi-emekdasliginin-genislendirilmesini-muzakire-edib>",
    "[az-tr-defense] 2026-03-03T10:45:00+00:00 report_az (alternate) [ru]: Мустафаев и Гюлер "
    "обсудили расширение сотрудничества в сфере оборонпрома <https://report.az/ru/voennye/"
    "mustafaev-i-guler-obsudili-rasshirenie-sotrudnichestva-v-sfere-oboronproma>",
]
NEW_LINE = (
    "[az-tr-defense] 2026-03-03T11:05:00+00:00 report_az (feed) [en]: Azerbaijan and Türkiye "
    "hold joint military exercises in Nakhchivan "
    "<https://report.az/en/military/azerbaijan-and-turkiye-hold-joint-military-exercises>"
)


@contextmanager
def webhook_receiver() -> Iterator[tuple[str, list[dict]]]:
    """A local endpoint collecting the JSON documents POSTed to it."""
    received: list[dict] = []

    class Receiver(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    finally:
        server.shutdown()
        server.server_close()


def add_rss_item(fixtures: Path) -> None:
    """Publish one more item in report.az's feed, with new validators."""
    feed = fixtures / "report_az" / "rss.xml"
    text = feed.read_text(encoding="utf-8")
    feed.write_text(text.replace("    <item>\n", NEW_ITEM + "    <item>\n", 1), encoding="utf-8")
    manifest = json.loads((fixtures / "manifest.json").read_text())
    for entry in manifest["fixtures"]:
        if entry["url"] == FEED:
            entry["headers"]["ETag"] = 'W/"with-the-new-item"'
            entry["headers"]["Last-Modified"] = "Tue, 03 Mar 2026 11:05:00 GMT"
    (fixtures / "manifest.json").write_text(json.dumps(manifest))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Four runs on one store with a watch posting to a webhook: the seeds twice, the seeds
    with one more RSS item, then the same with --refresh."""
    directory = tmp_path_factory.mktemp("run")
    fixtures = directory / "seeds"
    shutil.copytree(SEEDS, fixtures)
    db = directory / "n.db"
    results, requests, not_modified = [], [], []
    with webhook_receiver() as (hook, posted):
        added = newsmon(
            "watch", "add", "az-tr-defense", EXAMPLE_WATCH, "--webhook", hook, "--db", str(db)
        )
        assert added.returncode == 0, added.stderr
        posts = []
        # Each run ten minutes after the one before: a run polls only what is due.
        start = datetime.now(UTC)
        for number, step in enumerate(("seeds", "again", "new item", "refresh")):
            if step == "new item":
                add_rss_item(fixtures)
            with serving(fixtures) as server:
                env = {
                    "NEWSMON_RESOLVE": server.resolve_env("report.az", "ccbsnews.info"),
                    "NEWSMON_NOW": f"{(start + number * timedelta(minutes=10)).isoformat()} running",
                }
                extra = ("--refresh",) if step == "refresh" else ()
                results.append(newsmon("run", "--db", str(db), *FAST, *extra, env=env))
            requests.append(server.requests)
            not_modified.append(server.not_modified)
            posts.append(list(posted))
            posted.clear()
    return db, results, requests, not_modified, posts


def move_article(fixtures: Path, old: str, new: str) -> None:
    """The article now lives at `new` (its page, the feed) and `old` answers 301; the news-feed
    listing, unchanged, still links `old`."""
    for name in ("article-2026-03-03.html", "rss.xml"):
        page = fixtures / "report_az" / name
        page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    (fixtures / "report_az" / "moved.html").write_text("", encoding="utf-8")
    manifest = json.loads((fixtures / "manifest.json").read_text())
    for entry in manifest["fixtures"]:
        if entry["url"] == old:
            entry["url"] = new
        if entry["url"] == FEED:
            entry["headers"]["ETag"] = 'W/"with-the-new-url"'
    manifest["fixtures"].append(
        {
            "url": old,
            "file": "report_az/moved.html",
            "source": "report_az",
            "fetched_at": "2026-03-03T12:00:00+00:00",
            "status": 301,
            "headers": {"Location": new},
        }
    )
    (fixtures / "manifest.json").write_text(json.dumps(manifest))


def test_an_article_that_moved_is_the_same_place_and_alerts_nothing_again(tmp_path):
    fixtures = tmp_path / "seeds"
    shutil.copytree(SEEDS, fixtures)
    db = tmp_path / "n.db"
    added = newsmon("watch", "add", "az-tr-defense", EXAMPLE_WATCH, "--db", str(db))
    assert added.returncode == 0, added.stderr
    old, new = STORED_ARTICLES[0], f"{STORED_ARTICLES[0]}-moved"

    moments = iter(datetime.now(UTC) + number * timedelta(minutes=10) for number in range(3))

    def run(*extra: str) -> tuple[str, list[tuple]]:
        with serving(fixtures) as server:
            env = {
                "NEWSMON_RESOLVE": server.resolve_env("report.az", "ccbsnews.info"),
                "NEWSMON_NOW": f"{next(moments).isoformat()} running",
            }
            result = newsmon("run", "--db", str(db), *FAST, *extra, env=env)
        assert (result.returncode, result.stderr) == (0, ""), result.stderr
        with sqlite3.connect(db) as conn:
            places = conn.execute(
                """SELECT h.title, ap.page_url, ap.context FROM appearances ap
                   JOIN headlines h ON h.id = ap.headline_id ORDER BY ap.id"""
            ).fetchall()
        return result.stdout, places

    printed, places = run()
    assert "report_az (alternate) [az]" in printed and "article, latest) [en]" in printed
    move_article(fixtures, old, new)
    # The feed links the new URL, read at once; a refresh reads the old one too (301).
    for extra in ((), ("--refresh",)):
        assert run(*extra) == ("", places)
    with sqlite3.connect(db) as conn:
        moves = conn.execute("SELECT old_url, new_url FROM article_moves").fetchall()
        times_seen = conn.execute(
            """SELECT context, times_seen, count(*) FROM appearances WHERE page_url = ?
               GROUP BY context, times_seen ORDER BY context""",
            (old,),
        ).fetchall()
    assert moves == [(old, new)]
    # Its page was read in the first run and, at its new URL, in the refresh.
    assert times_seen == [("alternate", 2, 2), ("article", 2, 1), ("latest", 2, 9)]
    assert f"moved  {old} -> {new}" in newsmon("history", new, "--db", str(db)).stdout


def test_every_run_succeeds_and_writes_only_news_to_stdout(runs):
    _, results, _, _, _ = runs
    assert [(run.returncode, run.stderr) for run in results] == [(0, "")] * 4
    first = results[0].stdout.splitlines()
    assert SEED_LINES[1] in first  # report_az's own publication time
    # A live crawl dates what its page leaves undated (ccbsnews, the alternates) by the clock.
    assert sorted(_without_time(first)) == sorted(_without_time(SEED_LINES))


def _without_time(lines: list[str]) -> list[tuple[str, str]]:
    return [(line.split(" ", 2)[0], line.split(" ", 2)[2]) for line in lines]


def test_a_second_run_fetches_only_what_may_have_changed_and_says_nothing(runs):
    db, results, requests, not_modified, _ = runs
    assert results[1].stdout == ""
    for url in STORED_ARTICLES:
        assert requests[0][url] == 1
        assert requests[1][url] == 0
    assert not_modified[1] == {FEED: 1, LISTING: 1}
    assert requests[1]["https://ccbsnews.info/en/rss"] == 1  # no validators: fetched in full
    with sqlite3.connect(db) as conn:
        counted = conn.execute(
            """SELECT source_id, not_modified, known_articles, headlines FROM crawl_sources
               WHERE crawl_id = 2 ORDER BY source_id"""
        ).fetchall()
    assert counted == [("ccbsnews", 0, 2, 22), ("report_az", 2, 0, 0)]


def test_a_new_feed_item_is_the_one_line_printed(runs):
    db, results, requests, not_modified, _ = runs
    assert results[2].stdout == NEW_LINE + "\n"
    assert not_modified[2] == {LISTING: 1}
    assert requests[2][FEED] == 1
    with sqlite3.connect(db) as conn:
        new = conn.execute(
            "SELECT context, page_url FROM appearances WHERE first_crawl_id = 3"
        ).fetchall()
    assert new == [("feed", "https://report.az/en/rss")]
    assert integrity(db) == "ok"


def test_refresh_fetches_everything_again(runs):
    _, results, requests, not_modified, _ = runs
    assert results[3].stdout == ""
    assert not_modified[3] == {}
    for url in STORED_ARTICLES:
        assert requests[3][url] == 1


def test_webhooks_get_each_related_appearance_once(runs):
    _, results, _, _, posts = runs
    assert [len(post) for post in posts] == [1, 0, 1, 0]
    first, third = posts[0][0], posts[2][0]
    assert first["watch"] == "az-tr-defense"
    # One alert per line printed, with every related appearance of its headline.
    assert len(first["alerts"]) == len(results[0].stdout.splitlines())
    assert sorted(len(alert["appearances"]) for alert in first["alerts"]) == [1, 1, 3, 4]
    assert [alert["title"] for alert in third["alerts"]] == [
        "Azerbaijan and Türkiye hold joint military exercises in Nakhchivan"
    ]


def test_the_log_is_next_to_the_database(runs):
    db, _, _, _, _ = runs
    log = Path(f"{db}.log").read_text()
    assert log.count("[newsmon.ops.run] INFO: run started") == 4
    assert log.count("[newsmon.ops.run] INFO: run done: crawl ") == 4
    # How many pages a run reads depends on the re-reads due then (`newsmon.crawl.rereads`).
    assert re.search(
        r"crawl 3 ok: ccbsnews ok \(1\d pages, 0 new appearances\), report_az ok \(", log
    )


def test_a_run_that_cannot_start_says_why(tmp_path):
    db = tmp_path / "missing" / "n.db"
    run = newsmon("run", "--db", str(db))
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr == f"Error: {db}: directory {db.parent} does not exist\n"
    assert not db.parent.exists()


def test_logs_rotate_when_they_grow_too_big(tmp_path):
    log = tmp_path / "n.db.log"
    log.write_text("x" * 100)
    assert not rotate_log(str(log), 100, 2)
    for generation in ("a", "b", "c"):
        log.write_text(generation * 101)
        assert rotate_log(str(log), 100, 2)
    assert not log.exists()
    assert Path(f"{log}.1").read_text() == "c" * 101
    assert Path(f"{log}.2").read_text() == "b" * 101
    assert not Path(f"{log}.3").exists()


# Endpoints that misbehave: the run still prints its lines first, exits 0, and the webhook's
# alerts stay pending with one log line.
FAULTY_WEBHOOKS = {
    "not http": ([b"HELLO THERE\r\n\r\n"], False, "not an HTTP answer (BadStatusLine)"),
    # One header line every 0.2 s: each read is quick, the answer never ends.
    "trickle": (
        [b"HTTP/1.1 200 OK\r\n", b"X-Slow: 1\r\n"],
        True,
        "no complete answer within 1 s (NEWSMON_WEBHOOK_TIMEOUT)",
    ),
}


def _watch_with_webhook(db: Path, url: str) -> None:
    imported = newsmon("watch", "import", "watches.example.toml", "--db", str(db))
    assert imported.returncode == 0, imported.stderr
    with sqlite3.connect(db) as conn:  # as a store made before webhooks were checked may hold
        conn.execute("UPDATE watches SET options = ?", (json.dumps({"webhook": url}),))


def _pending_for_webhook(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT count(*) FROM events WHERE id > coalesce((SELECT last_event_id FROM "
            "output_cursors WHERE output = 'webhook:az-tr-defense'), 0)"
        ).fetchone()[0]


@pytest.mark.parametrize("kind", sorted(FAULTY_WEBHOOKS))
def test_a_faulty_webhook_never_hides_the_output_nor_fails_the_run(tmp_path, kind):
    lines, endless, error = FAULTY_WEBHOOKS[kind]
    endpoint = BadEndpoint(lines, pause=0.2 if endless else 0.0, endless=endless)
    db = tmp_path / "n.db"
    try:
        _watch_with_webhook(db, endpoint.url)
        run = newsmon(
            "run", "--replay", str(SEEDS), "-s", "NEWSMON_WEBHOOK_TIMEOUT=1", "--db", str(db)
        )
    finally:
        endpoint.stop()
    assert (run.returncode, run.stderr) == (0, "")
    assert sorted(run.stdout.splitlines()) == sorted(SEED_LINES)
    assert endpoint.connections >= 1
    log = Path(f"{db}.log").read_text()
    assert "Traceback" not in log
    assert [
        line.split("] ", 1)[1] for line in log.splitlines() if "[newsmon.watch.alerts]" in line
    ] == [
        f"WARNING: webhook {redact_url(endpoint.url)} for watch az-tr-defense: {error}; "
        "9 event(s) stay pending"
    ]
    assert _pending_for_webhook(db) == 9


def test_a_webhook_with_a_bad_port_saved_before_it_was_checked_is_one_log_line(tmp_path):
    db = tmp_path / "n.db"
    _watch_with_webhook(db, "http://127.0.0.1:99999/x")
    run = newsmon("run", "--replay", str(SEEDS), "--db", str(db))
    assert (run.returncode, run.stderr) == (0, "")
    assert sorted(run.stdout.splitlines()) == sorted(SEED_LINES)
    assert (
        "WARNING: webhook http://127.0.0.1:99999/… for watch az-tr-defense: port 99999 is not "
        "1–65535; 9 event(s) stay pending"
    ) in Path(f"{db}.log").read_text()
    assert _pending_for_webhook(db) == 9


def test_a_bad_webhook_is_refused_when_the_watch_is_added(tmp_path):
    db = str(tmp_path / "n.db")
    added = newsmon(
        "watch", "add", "w", "defense", "--webhook", "http://127.0.0.1:abc/x", "--db", db
    )
    assert (added.returncode, added.stderr) == (
        1,
        "Error: webhook http://127.0.0.1:abc/…: port 'abc' is not 1–65535\n",
    )


def test_sigterm_ends_a_run_held_by_its_webhook(tmp_path):
    endpoint = BadEndpoint([b"HTTP/1.1 200 OK\r\n", b"X-Slow: 1\r\n"], pause=0.5, endless=True)
    db = tmp_path / "n.db"
    try:
        _watch_with_webhook(db, endpoint.url)
        process = start_newsmon(
            "run",
            "--replay",
            str(SEEDS),
            "-s",
            "NEWSMON_WEBHOOK_TIMEOUT=600",
            "--db",
            str(db),
            env={},
        )
        waited = time.monotonic()
        while endpoint.connections == 0:
            assert process.poll() is None and time.monotonic() - waited < 90
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        stdout, _ = process.communicate(timeout=10)
    finally:
        endpoint.stop()
    assert process.returncode == -signal.SIGTERM
    assert sorted(stdout.splitlines()) == sorted(SEED_LINES)  # printed before the webhook
    assert _pending_for_webhook(db) == 9
