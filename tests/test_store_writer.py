"""The store writer's batches: times moved once per batch, watches read afresh for each one."""

from __future__ import annotations

from pathlib import Path

from newsmon.items import HeadlineItem
from newsmon.store import Store
from newsmon.store.writer import StoreWriter
from newsmon.watch.watches import add_watch, backfill_watch

TITLE = "Azerbaijan and Türkiye hold joint military drills"
URL = "https://report.az/en/military/azerbaijan-turkiye-drills"


def shown(page: str, seen_at: str, title: str = TITLE, url: str = URL) -> HeadlineItem:
    """The headline as a listing page shows it at `seen_at`."""
    return HeadlineItem(
        source="report_az",
        title=title,
        url=url,
        page_url=f"https://report.az/en/{page}/",
        context="listing",
        seen_at=seen_at,
    )


def open_store(path: Path) -> Store:
    store = Store.open(path)
    store.ensure_source(
        "report_az",
        name="Report News Agency",
        home_url="https://report.az/en/",
        lang="en",
        tz="Asia/Baku",
        kind="site",
    )
    return store


def test_a_headline_shown_on_many_pages_of_one_batch_keeps_the_latest_time(
    tmp_path: Path,
) -> None:
    store = open_store(tmp_path / "news.db")
    writer = StoreWriter(store, store.start_crawl("live", ["report_az"]))
    for page, seen_at in (
        ("military", "2026-03-03T11:05:00+00:00"),
        ("politics", "2026-03-03T11:00:00+00:00"),
        ("news-feed", "2026-03-03T11:10:00+00:00"),
        ("military", "2026-03-03T11:07:00+00:00"),
    ):
        writer.write(shown(page, seen_at))
    writer.close()

    assert store.rows("SELECT first_seen, last_seen FROM headlines") == [
        {"first_seen": "2026-03-03T11:05:00+00:00", "last_seen": "2026-03-03T11:10:00+00:00"}
    ]
    assert store.rows("SELECT first_seen, last_seen FROM stories") == [
        {"first_seen": "2026-03-03T11:05:00+00:00", "last_seen": "2026-03-03T11:10:00+00:00"}
    ]
    assert store.rows(
        "SELECT page_url, first_seen, last_seen FROM appearances ORDER BY first_seen"
    ) == [
        {
            "page_url": "https://report.az/en/politics/",
            "first_seen": "2026-03-03T11:00:00+00:00",
            "last_seen": "2026-03-03T11:00:00+00:00",
        },
        {
            "page_url": "https://report.az/en/military/",
            "first_seen": "2026-03-03T11:05:00+00:00",
            "last_seen": "2026-03-03T11:05:00+00:00",
        },
        {
            "page_url": "https://report.az/en/news-feed/",
            "first_seen": "2026-03-03T11:10:00+00:00",
            "last_seen": "2026-03-03T11:10:00+00:00",
        },
    ]


def test_a_failed_batch_moves_no_time(tmp_path: Path) -> None:
    store = open_store(tmp_path / "news.db")
    writer = StoreWriter(store, store.start_crawl("live", ["report_az"]))
    writer.write(shown("military", "2026-03-03T11:00:00+00:00"))
    writer.close()
    broken = shown("politics", "2026-03-03T12:00:00+00:00")
    broken.context = None  # type: ignore[assignment]  # appearances.context is NOT NULL

    writer.write(shown("military", "2026-03-03T11:30:00+00:00"))
    writer.write(broken)
    writer.close()

    # The batch is written again item by item: the good item's time moves, the broken one's not.
    assert store.rows("SELECT last_seen FROM headlines") == [
        {"last_seen": "2026-03-03T11:30:00+00:00"}
    ]
    assert store.rows("SELECT last_seen FROM stories") == [
        {"last_seen": "2026-03-03T11:00:00+00:00"}
    ]
    assert writer.counts["report_az"].rejected == 1


def test_a_watch_added_during_a_crawl_gets_the_next_appearances_of_its_stories(
    tmp_path: Path,
) -> None:
    db = tmp_path / "news.db"
    store = open_store(db)
    writer = StoreWriter(store, store.start_crawl("live", ["report_az"]))
    writer.write(shown("military", "2026-03-03T11:00:00+00:00"))
    writer.close()

    # Another process (`newsmon watch add`) adds a watch and marks the stored story.
    other = Store.open(db)
    add_watch(other, "drills", "azerbaijan AND drills")
    assert backfill_watch(other, "drills") == 1
    other.close()

    writer.write(shown("politics", "2026-03-03T11:20:00+00:00"))
    writer.write(shown("news-feed", "2026-03-03T11:25:00+00:00"))
    writer.close()

    events = store.rows(
        "SELECT e.watch, e.kind, ap.page_url FROM events e "
        "JOIN appearances ap ON ap.id = e.appearance_id ORDER BY e.id"
    )
    assert events == [
        {"watch": "drills", "kind": "appearance", "page_url": "https://report.az/en/military/"},
        {"watch": "drills", "kind": "appearance", "page_url": "https://report.az/en/politics/"},
        {"watch": "drills", "kind": "appearance", "page_url": "https://report.az/en/news-feed/"},
    ]


def test_only_appearances_of_watched_stories_are_events(tmp_path: Path) -> None:
    store = open_store(tmp_path / "news.db")
    add_watch(store, "drills", "azerbaijan AND drills")
    writer = StoreWriter(store, store.start_crawl("live", ["report_az"]))
    # The unwatched headline comes first: the watch's match joins the batch's watched stories.
    writer.write(
        shown(
            "military",
            "2026-03-03T11:00:00+00:00",
            title="Baku stock exchange turnover rises",
            url="https://report.az/en/finance/baku-stock-exchange-turnover",
        )
    )
    writer.write(shown("military", "2026-03-03T11:00:00+00:00"))
    writer.write(shown("politics", "2026-03-03T11:05:00+00:00"))
    writer.close()

    assert store.rows(
        "SELECT e.watch, h.title, ap.page_url FROM events e "
        "JOIN appearances ap ON ap.id = e.appearance_id "
        "JOIN headlines h ON h.id = ap.headline_id ORDER BY e.id"
    ) == [
        {"watch": "drills", "title": TITLE, "page_url": "https://report.az/en/military/"},
        {"watch": "drills", "title": TITLE, "page_url": "https://report.az/en/politics/"},
    ]
    assert writer.new_events == 2
