"""Language of headlines: from the page, feed or hreflang first; detected only as a fallback."""

from __future__ import annotations

import json

from newsmon.crawl.ingest import ingest
from newsmon.items import HeadlineItem
from newsmon.normalize.lang import detect_language
from newsmon.pipelines.normalize import normalize
from newsmon.store import Store


def test_short_headlines_in_the_languages_users_follow():
    assert (
        detect_language("Energy minister: Azerbaijan to commission four upstream projects") == "en"
    )
    assert (
        detect_language("Azərbaycan və Türkiyə müdafiə sənayesi əməkdaşlığını müzakirə edib")
        == "az"
    )
    assert detect_language("Türkiye ile Azerbaycan savunma sanayii işbirliğini görüştü") == "tr"
    assert detect_language("Мустафаев и Гюлер обсудили расширение сотрудничества") == "ru"


def test_no_guess_without_words():
    assert detect_language("12:45") is None
    assert detect_language("") is None


def test_ingested_headlines_without_language_are_detected_and_given_ones_kept(tmp_path):
    with Store.open(tmp_path / "lang.db") as store:
        ingest(
            store,
            [
                json.dumps(
                    {
                        "url": "https://a.example/1",
                        "title": "Мустафаев и Гюлер обсудили расширение сотрудничества",
                    }
                ),
                json.dumps(
                    {
                        "url": "https://a.example/2",
                        "title": "Türkiye ile Azerbaycan savunma sanayii işbirliğini görüştü",
                    }
                ),
                json.dumps({"url": "https://a.example/3", "title": "Breaking", "lang": "de-AT"}),
            ],
        )
        langs = [row[0] for row in store.conn.execute("SELECT lang FROM headlines ORDER BY id")]
    assert langs == ["ru", "tr", "de"]


ENGLISH = "Energy minister: Azerbaijan to commission four upstream projects this year. "
RUSSIAN = "Мустафаев и Гюлер обсудили расширение сотрудничества в оборонной сфере. "


def test_only_the_beginning_of_a_long_text_is_read():
    assert detect_language(ENGLISH * 6 + RUSSIAN * 5000) == "en"


def test_a_long_headline_is_cut_before_its_language_is_detected(caplog):
    headline = HeadlineItem(
        source="wire",
        title=ENGLISH * 4 + RUSSIAN * 10,
        url="https://wire.example/news/1",
        page_url="https://wire.example/rss",
        context="feed",
        seen_at="2026-03-03T10:45:00+00:00",
    )
    item = normalize(headline)
    assert len(item.title) <= 300 and item.title.endswith("…")
    assert item.lang == "en"
