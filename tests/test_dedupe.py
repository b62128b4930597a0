"""Deduplication: one article however it is linked, one story however often it is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsmon.crawl.ingest import ingest
from newsmon.items import HeadlineItem
from newsmon.store import Store
from newsmon.store.curation import CurationError, merge_by_hand, split_story
from newsmon.store.writer import StoreWriter
from tests.conftest import SEEDS
from tests.helpers import newsmon

SEED_EN = "Azerbaijan, Türkiye discuss expanding defense industry cooperation"
SEED_LEAD = (
    "A delegation led by Azerbaijan's Minister of Defense Industry Vugar Mustafayev is on "
    "an official visit to Ankara, Türkiye, Report informs, citing the ministry."
)
SEED_AZ = "Azərbaycan və Türkiyə müdafiə sənayesi əməkdaşlığının genişləndirilməsini müzakirə edib"
SEED_RU = "Мустафаев и Гюлер обсудили расширение сотрудничества в сфере оборонпрома"
EN_URL = "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
AZ_URL = "https://report.az/az/herbi/azerbaycan-ve-turkiye-mudafie-senayesi-emekdasliginin-genislendirilmesini-muzakire-edib"
RU_URL = "https://report.az/ru/voennye/mustafaev-i-guler-obsudili-rasshirenie-sotrudnichestva-v-sfere-oboronproma"
CCBS_TITLE = "Azerbaijan and Turkey will ramp up military-technical cooperation"
CCBS_LEAD = (
    "Azerbaijan and Turkey intend to ramp up military-technical cooperation, announced on "
    "April 30 Azerbaijani Defense Minister Zakir Hasanov at a meeting with a delegation led "
    "by Ismail Demir, a Chairman of the Turkish Defense Industry Committee."
)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "dedupe.db") as opened:
        yield opened


def run(store: Store, *items: dict) -> None:
    result = ingest(store, [json.dumps(item, ensure_ascii=False) for item in items])
    assert result.skipped == []


def count(store: Store, table: str) -> int:
    return store.one(f"SELECT count(*) FROM {table}")[0]


def story_of(store: Store, url: str) -> int:
    row = store.one(
        "SELECT a.story_id FROM article_urls u JOIN articles a ON a.id = u.article_id "
        "WHERE u.url = ?",
        (url,),
    )
    assert row is not None, url
    return row[0]


def test_url_variants_are_one_article(store):
    variants = [
        EN_URL,
        EN_URL.replace("https://report.az", "HTTPS://Report.AZ:443") + "?utm_source=tw&fbclid=x",
        EN_URL + "/",
        EN_URL + "#comments",
        EN_URL + "/amp",
    ]
    run(
        store,
        *(
            {
                "url": url,
                "title": SEED_EN,
                "source": "report_az",
                "context": "feed",
                "page_url": f"https://aggregator.example/page-{n}",
            }
            for n, url in enumerate(variants)
        ),
    )
    assert count(store, "articles") == 1
    assert count(store, "headlines") == 1
    assert count(store, "appearances") == 5  # one headline seen on five pages


def test_same_source_same_headline_within_a_day_is_one_article(store):
    run(
        store,
        {
            "url": "https://site.example/a?id=1",
            "title": "Big news today!",
            "source": "site",
            "published_at": "2026-03-03T10:00:00+00:00",
        },
        {
            "url": "https://site.example/mobile/a-1",
            "title": "BIG NEWS — today",
            "source": "site",
            "published_at": "2026-03-03T23:00:00+00:00",
        },
        {
            "url": "https://site.example/a?id=9",
            "title": "Big news today",
            "source": "site",
            "published_at": "2026-03-09T10:00:00+00:00",
        },
    )
    assert count(store, "articles") == 2
    assert store.one("SELECT count(*) FROM article_urls")[0] == 3


def test_alternates_join_the_english_story(store):
    run(
        store,
        {
            "url": EN_URL,
            "title": SEED_EN,
            "source": "report_az",
            "lead": SEED_LEAD,
            "fetched_at": "2026-03-03T10:45:00+00:00",
            "alternates": {"az": AZ_URL, "ru": RU_URL},
        },
        {
            "url": AZ_URL,
            "title": SEED_AZ,
            "source": "report_az",
            "lang": "az",
            "context": "alternate",
            "page_url": EN_URL,
        },
        {
            "url": RU_URL,
            "title": SEED_RU,
            "source": "report_az",
            "lang": "ru",
            "context": "alternate",
            "page_url": EN_URL,
        },
    )
    assert story_of(store, EN_URL) == story_of(store, AZ_URL) == story_of(store, RU_URL)
    rules = [row["rule"] for row in store.rows("SELECT rule FROM story_evidence ORDER BY id")]
    assert rules == ["hreflang", "hreflang"]


def test_alternates_seen_first_join_when_the_article_names_them(store):
    run(store, {"url": RU_URL, "title": SEED_RU, "source": "report_az", "lang": "ru"})
    run(
        store,
        {
            "url": EN_URL,
            "title": SEED_EN,
            "source": "report_az",
            "lead": SEED_LEAD,
            "fetched_at": "2026-03-03T10:45:00+00:00",
            "alternates": {"ru": RU_URL},
        },
    )
    assert story_of(store, EN_URL) == story_of(store, RU_URL)
    assert count(store, "stories") == 1


def test_syndicated_copy_from_another_outlet_joins_the_story(store):
    run(
        store,
        {
            "url": EN_URL,
            "title": SEED_EN,
            "source": "report_az",
            "published_at": "2026-03-03T13:41:00+04:00",
        },
        {
            "url": "https://syndicate.example/world/az-tr-defense",
            "source": "syndicate",
            "title": "Azerbaijan, Türkiye discuss expanding defence industry cooperation",
            "published_at": "2026-03-03T15:02:00+04:00",
        },
    )
    assert story_of(store, EN_URL) == story_of(
        store, "https://syndicate.example/world/az-tr-defense"
    )
    evidence = store.rows("SELECT rule, score FROM story_evidence")
    assert [row["rule"] for row in evidence] == ["near-duplicate"]
    assert evidence[0]["score"] >= 0.5


def test_different_events_on_one_topic_stay_apart(store):
    """The ccbsnews report is of 2021-04-30, years before the seed. (On one day, alone in a
    store, the two would share the rare words of their beat and join: test_stories has them
    among other reports of the beat on that day.)"""
    run(
        store,
        {
            "url": EN_URL,
            "title": SEED_EN,
            "source": "report_az",
            "lead": SEED_LEAD,
            "fetched_at": "2026-03-03T10:45:00+00:00",
            "published_at": "2026-03-03T13:41:00+04:00",
        },
        {
            "url": "https://ccbsnews.info/en/news/detail/3293",
            "title": CCBS_TITLE,
            "source": "ccbsnews",
            "lead": CCBS_LEAD,
            "fetched_at": "2026-03-03T11:00:00+00:00",
            "published_at": "2021-04-30T10:00:00+00:00",
        },
    )
    assert count(store, "stories") == 2


def test_reingesting_the_same_items_adds_nothing(store):
    items = [
        {"url": EN_URL, "title": SEED_EN, "source": "report_az", "context": "feed"},
        {"url": AZ_URL, "title": SEED_AZ, "source": "report_az", "context": "feed"},
    ]
    run(store, *items)
    before = {
        table: count(store, table)
        for table in ("articles", "headlines", "appearances", "stories", "story_evidence")
    }
    second = ingest(store, [json.dumps(item) for item in items])
    assert (second.new_headlines, second.new_appearances) == (0, 0)
    assert {table: count(store, table) for table in before} == before
    assert store.one("SELECT times_seen FROM appearances ORDER BY id LIMIT 1")[0] == 2


def test_bad_lines_are_reported_by_number_and_the_rest_is_stored(store):
    lines = [
        json.dumps({"url": EN_URL, "title": SEED_EN}),
        "{not json",
        json.dumps({"title": "no url"}),
        json.dumps({"url": "ftp://x/y", "title": "t"}),
        json.dumps({"url": AZ_URL, "title": "  "}),
        json.dumps({"url": RU_URL, "title": SEED_RU, "published_at": "yesterday"}),
        json.dumps({"url": RU_URL, "title": SEED_RU}),
    ]
    result = ingest(store, lines)
    assert result.skipped == [
        (2, "not JSON (Expecting property name enclosed in double quotes)"),
        (3, "missing or invalid 'url'"),
        (4, "missing or invalid 'url'"),
        (5, "missing or empty 'title'"),
    ]
    # A date that cannot be read is left out; the headline is stored without it.
    assert result.warnings == [(6, "published_at 'yesterday' left out: not a date or time")]
    assert count(store, "articles") == 2


def test_a_wrong_merge_can_be_undone(store):
    run(
        store,
        {"url": EN_URL, "title": SEED_EN, "source": "report_az"},
        {
            "url": "https://ccbsnews.info/en/news/detail/3293",
            "title": CCBS_TITLE,
            "source": "ccbsnews",
        },
    )
    first, second = (
        story_of(store, EN_URL),
        story_of(store, "https://ccbsnews.info/en/news/detail/3293"),
    )
    assert first != second
    kept = merge_by_hand(store, first, second)
    assert story_of(store, "https://ccbsnews.info/en/news/detail/3293") == kept
    ccbs_article = store.one(
        "SELECT article_id FROM article_urls WHERE url = ?",
        ("https://ccbsnews.info/en/news/detail/3293",),
    )[0]
    new_story = split_story(store, kept, [ccbs_article])
    assert story_of(store, "https://ccbsnews.info/en/news/detail/3293") == new_story != kept
    rules = [row["rule"] for row in store.rows("SELECT rule FROM story_evidence ORDER BY id")]
    assert rules == ["manual-merge", "manual-split"]
    with pytest.raises(CurationError, match="at least one article"):
        split_story(store, new_story, [ccbs_article])


def stories_by_id(db: Path, *args: str) -> dict[int, dict]:
    listed = newsmon("stories", "--json", "--db", str(db), *args)
    assert listed.returncode == 0, listed.stderr
    return {story["id"]: story for story in map(json.loads, listed.stdout.splitlines())}


def as_built(story: dict) -> dict:
    """What a story says of itself, without its id and the evidence of how it was curated."""
    return {key: value for key, value in story.items() if key not in ("id", "evidence")}


def test_a_merge_then_a_split_leaves_each_story_as_if_built_that_way(tmp_path):
    db = tmp_path / "newsmon.db"
    assert newsmon("watch", "import", "watches.example.toml", "--db", str(db)).returncode == 0
    crawled = newsmon("crawl", "--replay", str(SEEDS), "--db", str(db))
    assert crawled.returncode == 0, crawled.stderr
    before = stories_by_id(db)
    # Story 1 is ccbsnews' article 1 (2025); story 17 report.az's article in three languages.
    assert [member["article_id"] for member in before[1]["members"]] == [1]
    assert {member["article_id"] for member in before[17]["members"]} == {17, 21, 22}
    assert before[1]["watches"] == before[17]["watches"] == ["az-tr-defense"]

    assert newsmon("stories", "merge", "1", "17", "--db", str(db)).stdout == "merged into story 1\n"
    split = newsmon("stories", "split", "1", "1", "--db", str(db))
    assert split.stdout == "articles 1 are now story 21\n"

    after = stories_by_id(db)
    assert as_built(after[1]) == as_built(before[17])
    assert as_built(after[21]) == as_built(before[1])
    assert after[1]["title"] == "Azerbaijan, Türkiye discuss expanding defense industry cooperation"
    assert (after[21]["first_seen"], after[21]["last_seen"]) == (
        "2025-07-17T12:00:00+00:00",
        "2025-07-17T12:00:00+00:00",
    )
    assert sorted(stories_by_id(db, "--watch", "az-tr-defense")) == [1, 21]


@pytest.mark.parametrize("feed_first", [True, False])
def test_the_best_publication_time_wins_whichever_page_is_read_first(store, feed_first):
    """A listing shows "14:34" (read against the page's date), the feed the exact time: the
    article keeps the feed's, in either order (workers of a distributed crawl race)."""
    seen = {
        "source": "report_az",
        "title": SEED_EN,
        "url": EN_URL,
        "seen_at": "2026-03-03T11:00:00+00:00",
    }
    feed = HeadlineItem(
        **seen,
        page_url="https://report.az/en/rss",
        context="feed",
        published_at="2026-03-03T10:34:12+00:00",
        published_date="2026-03-03",
        published_basis="exact",
    )
    listing = HeadlineItem(
        **seen,
        page_url="https://report.az/en/news-feed",
        context="listing",
        published_at="2026-03-03T10:34:00+00:00",
        published_date="2026-03-03",
        published_basis="page_date",
    )
    undated = HeadlineItem(**seen, page_url="https://report.az/en/", context="latest")
    store.ensure_source(
        "report_az",
        name="Report.az",
        home_url="https://report.az/",
        lang="en",
        tz="Asia/Baku",
        kind="site",
    )
    writer = StoreWriter(store, store.start_crawl("live", []))
    for item in [feed, listing, undated] if feed_first else [undated, listing, feed]:
        writer.write(item)
    writer.close()
    assert store.rows("SELECT published_at, published_date, published_basis FROM articles") == [
        {
            "published_at": "2026-03-03T10:34:12+00:00",
            "published_date": "2026-03-03",
            "published_basis": "exact",
        }
    ]
