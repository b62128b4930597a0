"""Language of headlines: from the page, feed or hreflang first; detected only as a fallback."""

from __future__ import annotations

import json

from newsmon.ingest import ingest
from newsmon.lang import detect_language
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
