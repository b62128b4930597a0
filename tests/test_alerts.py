"""Alert outputs: Atom feeds readable by feed readers, webhooks that never lose an alert."""

from __future__ import annotations

import base64
import json
import logging
import time

import feedparser
import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.crawl.ingest import ingest
from newsmon.store import Store
from newsmon.watch.alerts import (
    alert_json,
    deliver_webhook,
    format_alert,
    group_alerts,
    new_events,
    redact_url,
    write_atom,
)
from newsmon.watch.watches import WatchError, add_watch
from tests.webhook_receiver import BadEndpoint, Receiver

TRICKY = 'Azerbaijan & Türkiye: "<defense>" talks – 5 < 6 & <script>alert(1)</script>'


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "alerts.db") as opened:
        add_watch(opened, "defense", "{azerbaijan*} AND {türkiye|turkey} AND defense*")
        items = [
            {
                "url": "https://news.example/a-1",
                "title": TRICKY,
                "source": "example",
                "published_at": "2026-03-03T10:00:00+04:00",
                "context": "feed",
            },
            {
                "url": "https://other.example/b-2",
                "title": "Weather: sunny in Baku",
                "source": "other",
                "context": "feed",
            },
            {
                "url": "https://other.example/b-3",
                # U+FFFE and U+FFFF are not allowed in XML: they must never reach the feed.
                "title": "Azerbaijan, Turkey sign defense\ufffe deal\uffff",
                "source": "other",
                "context": "listing",
            },
        ]
        ingest(opened, [json.dumps(item) for item in items])
        yield opened


def test_atom_feed_parses_back_with_text_intact(store, tmp_path):
    path = tmp_path / "defense.xml"
    assert write_atom(store, "defense", path) == 2
    feed = feedparser.parse(path.read_bytes())
    assert feed.bozo == 0, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "newsmon: defense"
    titles = [entry.title for entry in feed.entries]
    assert sorted(titles) == sorted([TRICKY, "Azerbaijan, Turkey sign defense deal"])
    assert {entry.link for entry in feed.entries} == {
        "https://news.example/a-1",
        "https://other.example/b-3",
    }
    raw = path.read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;" in raw
    # Entry ids are stable: writing again gives the same ids.
    ids = [entry.id for entry in feed.entries]
    write_atom(store, "defense", path)
    assert [entry.id for entry in feedparser.parse(path.read_bytes()).entries] == ids


def test_webhook_retries_after_a_500_and_delivers_once(store):
    receiver = Receiver([500])
    try:
        result = deliver_webhook(store, "defense", receiver.url, backoff=0, sleep=lambda s: None)
        assert (result.delivered, result.pending, result.error) == (2, 0, None)
        assert len(receiver.payloads) == 2  # the failed attempt and the retry
        payload = receiver.payloads[-1]
        assert payload["watch"] == "defense"
        assert sorted(alert["title"] for alert in payload["alerts"]) == sorted(
            [TRICKY, "Azerbaijan, Turkey sign defense deal"]
        )
        again = deliver_webhook(store, "defense", receiver.url, backoff=0, sleep=lambda s: None)
        assert (again.delivered, again.pending) == (0, 0)
        assert len(receiver.payloads) == 2
    finally:
        receiver.stop()


def test_webhook_down_keeps_alerts_pending_and_logs_no_secret(store, caplog):
    receiver = Receiver([])
    url = receiver.url
    receiver.stop()
    waits: list[float] = []
    result = deliver_webhook(store, "defense", url, deadline=2, backoff=0.5, sleep=waits.append)
    assert (result.delivered, result.pending) == (0, 2)
    assert result.error is not None and result.error.startswith("unreachable")
    assert waits == [0.5, 1.0]
    assert len(new_events(store, "webhook:defense")) == 2
    assert "secret" not in caplog.text
    assert redact_url(url) in caplog.text
    back = Receiver([])
    try:
        delivered = deliver_webhook(store, "defense", back.url, sleep=lambda s: None)
        assert (delivered.delivered, delivered.pending) == (2, 0)
    finally:
        back.stop()


@pytest.mark.parametrize(
    ("url", "logged"),
    [
        ("https://user:pw@hooks.example:8443/x/y?token=abc", "https://hooks.example:8443/…?…"),
        ("https://api.telegram.org/bot123456:AAE-SECRET/sendMessage", "https://api.telegram.org/…"),
        ("https://hc-ping.com/0b6f3c0e-5a3b-4a56-9c3e-2f1d7c9a8b11", "https://hc-ping.com/…"),
        ("http://[::1]:8124/hook", "http://[::1]:8124/…"),
        ("http://127.0.0.1:99999/x", "http://127.0.0.1:99999/…"),
        ("https://hooks.example", "https://hooks.example"),
        ("https://hooks.example/", "https://hooks.example/"),
    ],
)
def test_redact_url_keeps_only_scheme_and_host(url, logged):
    assert redact_url(url) == logged


# One headline seen in four places of one source in one run, as the quick start sees it.
PLACES = [
    ("feed", "https://news.example/rss", "2026-03-03T10:00:00+04:00"),
    ("listing", "https://news.example/", None),
    ("article", "https://news.example/a-1", "2026-03-03T10:00:00+04:00"),
    ("latest", "https://news.example/b-9", None),
]


@pytest.fixture
def seen_everywhere(tmp_path):
    with Store.open(tmp_path / "places.db") as opened:
        add_watch(opened, "defense", "defense")
        items = [
            {
                "url": "https://news.example/a-1",
                "title": "Defense talks in Baku",
                "source": "example",
                "context": context,
                "page_url": page_url,
                **({"published_at": published} if published else {}),
            }
            for context, page_url, published in PLACES
        ]
        ingest(opened, [json.dumps(item) for item in items])
        other = {**items[0], "url": "https://news.example/a-2", "title": "Defense budget passed"}
        ingest(opened, [json.dumps(other)])
        yield opened


def test_a_headline_seen_in_several_places_is_one_line(seen_everywhere):
    events = new_events(seen_everywhere, "terminal")
    assert len(events) == 5  # every appearance is an event of its own
    lines = [format_alert(alert) for alert in group_alerts(events)]
    assert lines == [
        "[defense] 2026-03-03T06:00:00+00:00 example (feed, listing, article, latest) [en]: "
        "Defense talks in Baku <https://news.example/a-1>",
        "[defense] 2026-03-03T06:00:00+00:00 example (feed) [en]: "
        "Defense budget passed <https://news.example/a-2>",
    ]


def test_a_headline_seen_again_in_a_later_run_is_a_line_of_that_run(seen_everywhere):
    ingest(
        seen_everywhere,
        [
            json.dumps(
                {
                    "url": "https://news.example/a-1",
                    "title": "Defense talks in Baku",
                    "source": "example",
                    "context": "latest",
                    "page_url": "https://news.example/c-3",
                }
            )
        ],
    )
    alerts = group_alerts(new_events(seen_everywhere, "terminal"))
    assert [(alert.contexts, alert.first["crawl_id"]) for alert in alerts] == [
        (["feed", "listing", "article", "latest"], 1),
        (["feed"], 2),
        (["latest"], 3),
    ]


def test_the_json_of_an_alert_lists_every_appearance(seen_everywhere):
    alert = group_alerts(new_events(seen_everywhere, "terminal"))[0]
    data = alert_json(alert)
    assert data["contexts"] == ["feed", "listing", "article", "latest"]
    assert [
        (appearance["context"], appearance["page_url"]) for appearance in data["appearances"]
    ] == [(context, page_url) for context, page_url, _ in PLACES]
    assert [appearance["event_id"] for appearance in data["appearances"]] == [1, 2, 3, 4]
    assert (data["watch"], data["source"], data["title"], data["url"]) == (
        "defense",
        "example",
        "Defense talks in Baku",
        "https://news.example/a-1",
    )
    assert data["published_at"] == "2026-03-03T06:00:00+00:00"
    assert "context" not in data and "page_url" not in data and "event_id" not in data


def test_atom_and_webhook_follow_the_grouping(seen_everywhere, tmp_path):
    path = tmp_path / "defense.xml"
    assert write_atom(seen_everywhere, "defense", path) == 2
    entries = feedparser.parse(path.read_bytes()).entries
    assert [entry.id for entry in entries] == ["urn:newsmon:event:5", "urn:newsmon:event:1"]
    assert [tag.term for tag in entries[1].tags] == ["feed", "listing", "article", "latest"]
    assert entries[1].summary == (
        "example [en]: feed (https://news.example/rss), listing (https://news.example/), "
        "article (https://news.example/a-1), latest (https://news.example/b-9)"
    )
    receiver = Receiver([])
    try:
        deliver_webhook(seen_everywhere, "defense", receiver.url, sleep=lambda s: None)
    finally:
        receiver.stop()
    sent = receiver.payloads[0]["alerts"]
    assert [(alert["url"], alert["contexts"]) for alert in sent] == [
        ("https://news.example/a-1", ["feed", "listing", "article", "latest"]),
        ("https://news.example/a-2", ["feed"]),
    ]


def test_the_atom_feed_keeps_whole_groups_when_it_is_cut(seen_everywhere, tmp_path):
    path = tmp_path / "defense.xml"
    # The newest entry alone: the older headline is left out, never shown with part of its places.
    assert write_atom(seen_everywhere, "defense", path, limit=1) == 1
    assert [entry.id for entry in feedparser.parse(path.read_bytes()).entries] == [
        "urn:newsmon:event:5"
    ]


def test_the_atom_feed_links_to_itself_when_its_url_is_given(store, tmp_path):
    path = tmp_path / "defense.xml"
    write_atom(store, "defense", path, self_url="https://example.org/feeds/defense.xml")
    feed = feedparser.parse(path.read_bytes())
    assert [(link.rel, link.href) for link in feed.feed.links] == [
        ("self", "https://example.org/feeds/defense.xml")
    ]
    write_atom(store, "defense", path)
    assert feedparser.parse(path.read_bytes()).feed.get("links", []) == []


def test_feed_url_option_is_the_self_link_and_refuses_a_file_path(store, tmp_path):
    db, path = str(store.path), str(tmp_path / "defense.xml")
    url = "https://example.org/feeds/defense.xml"
    written = CliRunner().invoke(cli, ["feed", "defense", "-o", path, "--url", url, "--db", db])
    assert (written.exit_code, written.output) == (0, f"{path}: 2 entries\n")
    assert feedparser.parse(path).feed.links[0].href == url
    refused = CliRunner().invoke(
        cli, ["feed", "defense", "-o", path, "--url", "defense.xml", "--db", db]
    )
    assert (refused.exit_code, refused.output) == (
        1,
        "Error: --url 'defense.xml': expected an http:// or https:// URL (the feed's own "
        "address)\n",
    )


def test_webhook_credentials_become_basic_auth_and_stay_out_of_the_log(store, caplog):
    receiver = Receiver([500])
    url = receiver.url.replace("http://", "http://news%40mon:pa%3Ass@")
    try:
        result = deliver_webhook(store, "defense", url, backoff=0, sleep=lambda s: None)
    finally:
        receiver.stop()
    assert (result.delivered, result.pending) == (2, 0)
    expected = "Basic " + base64.b64encode(b"news@mon:pa:ss").decode("ascii")
    assert [headers["Authorization"] for headers in receiver.headers] == [expected, expected]
    assert "news" not in caplog.text and "pa" not in caplog.text.replace("pending", "")


def test_a_webhook_goes_through_the_proxy_the_environment_names(store, monkeypatch):
    proxy = Receiver([])
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setenv(
        "http_proxy", proxy.url.replace("http://", "http://px:pw@").split("/hook")[0]
    )
    try:
        result = deliver_webhook(
            store, "defense", "http://hooks.example/hook?token=secret", sleep=lambda s: None
        )
    finally:
        proxy.stop()
    assert (result.delivered, result.pending) == (2, 0)
    assert proxy.targets == ["http://hooks.example/hook?token=secret"]
    assert proxy.headers[0]["Proxy-Authorization"] == "Basic " + base64.b64encode(b"px:pw").decode(
        "ascii"
    )


@pytest.mark.parametrize(
    ("webhook", "error"),
    [
        ("http://127.0.0.1:99999/x", "webhook http://127.0.0.1:99999/…: port 99999 is not 1–65535"),
        ("http://127.0.0.1:abc/x", "webhook http://127.0.0.1:abc/…: port 'abc' is not 1–65535"),
        (
            "ftp://hooks.example/x",
            "webhook ftp://hooks.example/…: expected an http:// or https:// URL",
        ),
        ("http:///x", "webhook http:///…: no host"),
        (
            "http://hooks.example/a b",
            "webhook http://hooks.example/…: spaces or control characters",
        ),
    ],
)
def test_a_webhook_is_checked_when_it_is_saved(tmp_path, webhook, error):
    with Store.open(tmp_path / "w.db") as opened, pytest.raises(WatchError) as raised:
        add_watch(opened, "defense", "defense", {"webhook": webhook})
    assert str(raised.value) == error


def _deliver_and_log(store, url, caplog, **options):
    caplog.set_level(logging.WARNING, logger="newsmon.watch.alerts")
    return deliver_webhook(store, "defense", url, sleep=lambda s: None, **options)


def test_a_webhook_saved_with_a_bad_port_leaves_its_events_pending(store, caplog):
    with store.transaction():
        store.conn.execute(
            "UPDATE watches SET options = ? WHERE name = 'defense'",
            (json.dumps({"webhook": "http://127.0.0.1:99999/x"}),),
        )
    result = _deliver_and_log(store, "http://127.0.0.1:99999/x", caplog)
    assert (result.delivered, result.pending) == (0, 2)
    assert [record.getMessage() for record in caplog.records] == [
        "webhook http://127.0.0.1:99999/… for watch defense: port 99999 is not 1–65535; "
        "2 event(s) stay pending"
    ]


def test_an_endpoint_that_does_not_speak_http_leaves_events_pending(store, caplog):
    endpoint = BadEndpoint([b"HELLO THERE\r\n\r\n"])
    try:
        result = _deliver_and_log(store, endpoint.url, caplog, backoff=0)
    finally:
        endpoint.stop()
    assert (result.delivered, result.pending) == (0, 2)
    assert endpoint.connections == 3
    assert [record.getMessage() for record in caplog.records] == [
        f"webhook {redact_url(endpoint.url)} for watch defense: not an HTTP answer "
        "(BadStatusLine); 2 event(s) stay pending"
    ]
    assert len(new_events(store, "webhook:defense")) == 2


def test_a_trickling_endpoint_is_cut_at_the_total_deadline(store, caplog):
    # One header line every 0.1 s: no single read ever waits long, the answer never ends.
    endpoint = BadEndpoint([b"HTTP/1.1 200 OK\r\n", b"X-Slow: 1\r\n"], pause=0.1, endless=True)
    started = time.monotonic()
    try:
        result = _deliver_and_log(store, endpoint.url, caplog, deadline=1)
    finally:
        endpoint.stop()
    assert time.monotonic() - started < 2
    assert (result.delivered, result.pending) == (0, 2)
    assert [record.getMessage() for record in caplog.records] == [
        f"webhook {redact_url(endpoint.url)} for watch defense: no complete answer within 1 s "
        "(NEWSMON_WEBHOOK_TIMEOUT); 2 event(s) stay pending"
    ]
