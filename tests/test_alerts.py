"""Alert outputs: Atom feeds readable by feed readers, webhooks that never lose an alert."""

from __future__ import annotations

import json

import feedparser
import pytest

from newsmon.alerts import deliver_webhook, new_events, redact_url, write_atom
from newsmon.ingest import ingest
from newsmon.store import Store
from newsmon.watches import add_watch
from tests.webhook_receiver import Receiver

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
        assert sorted(event["title"] for event in payload["events"]) == sorted(
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
    result = deliver_webhook(store, "defense", url, timeout=2, backoff=0.5, sleep=waits.append)
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


def test_redact_url_drops_credentials_and_query():
    assert redact_url("https://user:pw@hooks.example:8443/x/y?token=abc") == (
        "https://hooks.example:8443/x/…"
    )
