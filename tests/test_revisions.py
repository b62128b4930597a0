"""Headline rewrites, slug moves and content updates, replayed from edited seed fixtures."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tests.helpers import newsmon

REPORT_AZ_URL = "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
OLD_TITLE = "Azerbaijan, Türkiye discuss expanding defense industry cooperation"
NEW_TITLE = "Azerbaijan, Türkiye agree to expand defense industry cooperation"
CCBS_URL = "https://ccbsnews.info/en/news/detail/3293"
CCBS_NEW_URL = (
    "https://ccbsnews.info/en/news/detail/3293/azerbaijan-and-turkey-military-cooperation"
)
ADDED_PARAGRAPH = "The next meeting of the commission will be held in Baku in the autumn."


def later_copy(tmp_path: Path, name: str, fetched_at: str) -> Path:
    """The seed fixtures copied, every fixture fetched at `fetched_at`."""
    target = tmp_path / name
    shutil.copytree(SEEDS, target)
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["fixtures"]:
        entry["fetched_at"] = fetched_at
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return target


def edit(path: Path, old: str, new: str, count: int = -1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def crawl(db: Path, replay: Path) -> None:
    run = newsmon("crawl", "--replay", str(replay), "--db", str(db))
    assert run.returncode == 0, run.stderr


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def rewritten(tmp_path_factory):
    """Seeds; then the report.az article and feed with a new headline while the news-feed
    listing still shows the old one; then the listing alone catching up a day later."""
    tmp_path = tmp_path_factory.mktemp("revision")
    db = tmp_path / "newsmon.db"
    assert newsmon("watch", "import", "watches.example.toml", "--db", str(db)).returncode == 0
    crawl(db, SEEDS)
    assert newsmon("new", "--db", str(db)).returncode == 0  # the first sightings, reported
    second = later_copy(tmp_path, "second", "2026-03-03T12:00:00+00:00")
    edit(second / "report_az" / "article-2026-03-03.html", OLD_TITLE, NEW_TITLE)
    edit(second / "report_az" / "rss.xml", OLD_TITLE, NEW_TITLE)
    crawl(db, second)
    return db


def test_a_rewritten_headline_is_one_revision(rewritten):
    rows = query(rewritten, "SELECT source, old_title, new_title, context FROM headline_revisions")
    # The feed shows the new headline first; the article page confirms it: one revision.
    assert rows == [("report_az", OLD_TITLE, NEW_TITLE, "feed")]
    assert query(rewritten, "SELECT title FROM articles WHERE url = ?", (REPORT_AZ_URL,)) == [
        (NEW_TITLE,)
    ]


def test_the_old_headline_still_on_the_listing_is_a_sighting_not_a_change(rewritten):
    listing = query(
        rewritten,
        """SELECT h.title, ap.times_seen, ap.last_seen FROM appearances ap
           JOIN headlines h ON h.id = ap.headline_id
           WHERE ap.context = 'listing' AND h.article_id =
             (SELECT article_id FROM article_urls WHERE url = ?)""",
        (REPORT_AZ_URL,),
    )
    assert listing == [(OLD_TITLE, 2, "2026-03-03T12:00:00+00:00")]
    assert len(query(rewritten, "SELECT * FROM article_changes WHERE kind = 'headline'")) == 1


def test_the_revision_is_reported_once(rewritten):
    first = newsmon("new", "--db", str(rewritten))
    lines = first.stdout.splitlines()
    revisions = [line for line in lines if "changed a headline" in line]
    assert revisions == [
        f"[az-tr-defense] {revisions[0].split()[1]} report_az changed a headline: "
        f"{OLD_TITLE!r} -> {NEW_TITLE!r} <{REPORT_AZ_URL}>"
    ]
    # The new headline's own appearances (article page, feed, latest) are new too: one line.
    others = [line for line in lines if "changed" not in line]
    assert len(others) == 1
    assert sorted(others[0].split(" (")[1].split(")")[0].split(", ")) == [
        "article",
        "feed",
        "latest",
    ]
    assert newsmon("new", "--db", str(rewritten)).stdout == ""


def test_history_shows_the_revision_in_time_order(rewritten):
    run = newsmon("history", REPORT_AZ_URL, "--json", "--db", str(rewritten))
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    times = [row["at"] for row in rows]
    assert times == sorted(times)
    assert {row["kind"] for row in rows} == {"appearance", "revision"}
    revision = [row for row in rows if row["kind"] == "revision"]
    assert [(row["old"], row["new"]) for row in revision] == [(OLD_TITLE, NEW_TITLE)]
    assert rows[-1]["at"] == "2026-03-03T12:00:00+00:00"


def test_history_of_the_story_covers_its_articles_in_every_outlet(rewritten):
    story = query(rewritten, "SELECT story_id FROM articles WHERE url = ?", (REPORT_AZ_URL,))[0][0]
    run = newsmon("history", str(story), "--db", str(rewritten))
    lines = run.stdout.splitlines()
    assert lines[0] == f"history of story {story}"
    # The story's three articles: the English one under both headlines, its two translations.
    seen = {line.split("): ", 1)[1] for line in lines if line.split()[1] == "seen"}
    assert seen == {
        OLD_TITLE,
        NEW_TITLE,
        "Azərbaycan və Türkiyə müdafiə sənayesi əməkdaşlığının genişləndirilməsini müzakirə edib",
        "Мустафаев и Гюлер обсудили расширение сотрудничества в сфере оборонпрома",
    }
    assert [line.split("  ", 1)[1] for line in lines if "headline changed" in line] == [
        f"headline changed on report_az (feed): {OLD_TITLE!r} -> {NEW_TITLE!r}"
    ]
    missing = newsmon("history", "99999", "--db", str(rewritten))
    assert (missing.returncode, missing.stderr) == (1, "Error: no story 99999\n")


def test_a_trivial_change_is_not_a_revision(tmp_path):
    db = tmp_path / "newsmon.db"
    crawl(db, SEEDS)
    second = later_copy(tmp_path, "second", "2026-03-03T12:00:00+00:00")
    page = second / "report_az" / "article-2026-03-03.html"
    edit(page, f">{OLD_TITLE}</h1>", f">  {OLD_TITLE.upper()} | Report.az </h1>")
    edit(page, f'"headline": "{OLD_TITLE}"', f'"headline": "{OLD_TITLE} | Report.az"')
    edit(
        page,
        f'<meta property="og:title" content="{OLD_TITLE}">',
        f'<meta property="og:title" content="{OLD_TITLE} - Report.az">',
    )
    crawl(db, second)
    assert query(db, "SELECT count(*) FROM article_changes") == [(0,)]
    assert query(
        db,
        "SELECT count(*) FROM headlines WHERE article_id = "
        "(SELECT article_id FROM article_urls WHERE url = ?)",
        (REPORT_AZ_URL,),
    ) == [(1,)]


FEED_TITLE = "Azerbaijan and Türkiye to widen defence industry ties"


def test_a_first_read_of_the_article_page_is_not_a_rewrite_but_a_later_change_is(tmp_path):
    """The feed's title differs from the page's; the page is read only in the next run (it was
    not reached in the first, as after a kill): no revision, no alert, until the page changes."""
    db = tmp_path / "newsmon.db"
    assert newsmon("watch", "import", "watches.example.toml", "--db", str(db)).returncode == 0
    first = tmp_path / "first"
    shutil.copytree(SEEDS, first)
    manifest = json.loads((first / "manifest.json").read_text(encoding="utf-8"))
    manifest["fixtures"] = [
        entry for entry in manifest["fixtures"] if entry["url"] != REPORT_AZ_URL
    ]
    (first / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    second = later_copy(tmp_path, "second", "2026-03-03T12:00:00+00:00")
    third = later_copy(tmp_path, "third", "2026-03-04T09:00:00+00:00")
    for copy in (first, second, third):
        edit(
            copy / "report_az" / "rss.xml",
            f"<title>{OLD_TITLE}</title>",
            f"<title>{FEED_TITLE}</title>",
        )
    edit(third / "report_az" / "article-2026-03-03.html", OLD_TITLE, NEW_TITLE)

    crawl(db, first)
    assert newsmon("new", "--db", str(db)).returncode == 0
    crawl(db, second)
    assert query(db, "SELECT count(*) FROM article_changes WHERE kind = 'headline'") == [(0,)]
    assert query(db, "SELECT title, fetched_at FROM articles WHERE url = ?", (REPORT_AZ_URL,)) == [
        (OLD_TITLE, "2026-03-03T12:00:00+00:00")
    ]
    lines = newsmon("new", "--db", str(db)).stdout.splitlines()
    assert [line for line in lines if "changed a headline" in line] == []

    crawl(db, third)
    assert query(db, "SELECT old_title, new_title, context FROM headline_revisions") == [
        (OLD_TITLE, NEW_TITLE, "article")
    ]
    lines = newsmon("new", "--db", str(db)).stdout.splitlines()
    assert [line.split(" ", 2)[2] for line in lines if "changed a headline" in line] == [
        f"report_az changed a headline: {OLD_TITLE!r} -> {NEW_TITLE!r} <{REPORT_AZ_URL}>"
    ]


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    """The ccbsnews article moved to a new slug: the old URL answers 301."""
    tmp_path = tmp_path_factory.mktemp("move")
    db = tmp_path / "newsmon.db"
    assert (
        newsmon("watch", "add", "quiet", "azerbaijan AND turkey", "--db", str(db)).returncode == 0
    )
    assert (
        newsmon(
            "watch", "add", "moves", "azerbaijan AND turkey", "--alert-moves", "--db", str(db)
        ).returncode
        == 0
    )
    crawl(db, SEEDS)
    assert newsmon("new", "--db", str(db)).returncode == 0
    second = later_copy(tmp_path, "second", "2025-07-18T12:00:00+00:00")
    manifest = json.loads((second / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["fixtures"]:
        if entry["url"] == CCBS_URL:
            entry["url"] = CCBS_NEW_URL
    manifest["fixtures"].append(
        {
            "url": CCBS_URL,
            "file": "ccbsnews/moved.html",
            "source": "ccbsnews",
            "fetched_at": "2025-07-18T12:00:00+00:00",
            "status": 301,
            "headers": {"Location": CCBS_NEW_URL},
        }
    )
    (second / "ccbsnews" / "moved.html").write_text("", encoding="utf-8")
    (second / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    page = second / "ccbsnews" / "article-3293.html"
    edit(page, f'href="{CCBS_URL}"', f'href="{CCBS_NEW_URL}"')
    edit(page, f'"{CCBS_URL}"', f'"{CCBS_NEW_URL}"')
    crawl(db, second)
    return db


def test_a_moved_article_is_one_article_with_both_urls(moved):
    urls = query(
        moved,
        "SELECT url, how FROM article_urls WHERE article_id = "
        "(SELECT article_id FROM article_urls WHERE url = ?) ORDER BY url",
        (CCBS_URL,),
    )
    assert urls == [(CCBS_URL, "canonical"), (CCBS_NEW_URL, "canonical")]
    assert query(
        moved, "SELECT old_url, new_url, json_extract(details, '$.via') FROM article_moves"
    ) == [(CCBS_URL, CCBS_NEW_URL, "redirect")]
    assert query(
        moved, "SELECT count(*) FROM stories WHERE title LIKE 'Azerbaijan and Turkey%'"
    ) == [(1,)]
    assert query(
        moved,
        "SELECT count(*) FROM articles WHERE source_id = 'ccbsnews' AND site_article_id = '3293'",
    ) == [(1,)]


def test_a_move_is_alerted_only_to_watches_that_ask(moved):
    lines = newsmon("new", "--db", str(moved)).stdout.splitlines()
    # The page read at its new URL is the article's own page seen again, not a new appearance:
    # the watch that did not ask for moves hears nothing.
    assert lines == [
        f"[moves] {lines[0].split()[1]} ccbsnews moved an article: {CCBS_URL} -> {CCBS_NEW_URL}: "
        "Azerbaijan and Turkey will ramp up military-technical cooperation"
    ]
    assert query(
        moved,
        "SELECT page_url, times_seen FROM appearances WHERE context = 'article' AND article_id = "
        "(SELECT article_id FROM article_urls WHERE url = ?)",
        (CCBS_URL,),
    ) == [(CCBS_URL, 2)]
    history = newsmon("history", CCBS_NEW_URL, "--db", str(moved)).stdout
    assert f"moved  {CCBS_URL} -> {CCBS_NEW_URL}" in history


def test_an_added_paragraph_is_one_content_version_with_its_diff(tmp_path):
    db = tmp_path / "newsmon.db"
    crawl(db, SEEDS)
    second = later_copy(tmp_path, "second", "2026-03-04T08:00:00+00:00")
    page = second / "report_az" / "article-2026-03-03.html"
    last = "strategic projects in the defense industry.</p>"
    edit(page, last, f"{last}\n          <p>{ADDED_PARAGRAPH}</p>")
    crawl(db, second)
    versions = query(
        db,
        "SELECT paragraphs_added, paragraphs_removed, diff FROM article_versions "
        "WHERE diff IS NOT NULL",
    )
    assert len(versions) == 1
    added, removed, diff = versions[0]
    assert (added, removed) == (1, 0)
    assert f"+{ADDED_PARAGRAPH}" in diff.splitlines()
    # Whitespace only: nothing more is recorded.
    third = later_copy(tmp_path, "third", "2026-03-05T08:00:00+00:00")
    page = third / "report_az" / "article-2026-03-03.html"
    edit(page, last, f"{last}\n          <p>  {ADDED_PARAGRAPH.replace(' ', '   ')}  </p>")
    edit(page, "<p>A delegation led by", "<p>\n   A   delegation   led by")
    crawl(db, third)
    assert query(db, "SELECT count(*) FROM article_versions WHERE diff IS NOT NULL") == [(1,)]
    assert query(db, "SELECT count(*) FROM article_changes WHERE kind = 'content'") == [(1,)]


def test_the_timeline_report_marks_the_revision(rewritten):
    from parsel import Selector

    from newsmon.inspect.report import build_report, render_report
    from newsmon.store import Store

    with Store.open(rewritten) as store:
        story = store.one("SELECT story_id FROM articles WHERE url = ?", (REPORT_AZ_URL,))[0]
        page = render_report(build_report(store, story_id=story))
    marks = Selector(text=page).css("svg.timeline g.mark-revision")
    assert len(marks) == 1
    assert marks[0].attrib["data-at"] == "2026-03-03T12:00:00+00:00"
    assert NEW_TITLE in page and "headline revision" in page


def test_a_revision_that_changes_which_watches_match_is_reported_as_such(tmp_path):
    """'agreed' matches only the new headline, 'discussing' only the old one; both hear of the
    revision, marked, on every output: `newsmon new`, the Atom feed and the webhook."""
    import feedparser

    from newsmon.store import Store
    from newsmon.watch.alerts import deliver_webhook, write_atom
    from tests.webhook_receiver import Receiver

    db = tmp_path / "newsmon.db"
    for name, words in (("agreed", '"agree to expand"'), ("discussing", '"discuss expanding"')):
        assert newsmon("watch", "add", name, words, "--db", str(db)).returncode == 0
    crawl(db, SEEDS)
    assert newsmon("new", "--db", str(db)).returncode == 0
    with Store.open(db) as store:  # the webhook has told of the first sightings already
        receiver = Receiver([])
        try:
            deliver_webhook(store, "agreed", receiver.url, sleep=lambda s: None)
        finally:
            receiver.stop()
    second = later_copy(tmp_path, "second", "2026-03-03T12:00:00+00:00")
    edit(second / "report_az" / "article-2026-03-03.html", OLD_TITLE, NEW_TITLE)
    edit(second / "report_az" / "rss.xml", OLD_TITLE, NEW_TITLE)
    crawl(db, second)

    lines = newsmon("new", "--db", str(db)).stdout.splitlines()
    revisions = sorted(line for line in lines if "changed a headline" in line)
    assert [line.split()[0] + line.split("'")[-1] for line in revisions] == [
        f"[agreed] (now matches agreed) <{REPORT_AZ_URL}>",
        f"[discussing] (no longer matches discussing) <{REPORT_AZ_URL}>",
    ]
    assert all(f"{OLD_TITLE!r} -> {NEW_TITLE!r}" in line for line in revisions)

    with Store.open(db) as store:
        write_atom(store, "agreed", tmp_path / "agreed.xml")
        receiver = Receiver([])
        try:
            assert deliver_webhook(store, "agreed", receiver.url, sleep=lambda s: None).delivered
        finally:
            receiver.stop()
    titles = [entry.title for entry in feedparser.parse(tmp_path / "agreed.xml").entries]
    assert f"Headline changed: {OLD_TITLE} → {NEW_TITLE}" in titles
    sent = [alert for alert in receiver.payloads[0]["alerts"] if alert["kind"] == "revision"]
    assert [
        (e["details"]["old"], e["details"]["new"], e["details"]["now_matches"]) for e in sent
    ] == [(OLD_TITLE, NEW_TITLE, ["agreed"])]


def test_a_new_slug_with_the_same_site_article_id_is_a_move(tmp_path):
    """No redirect: the site now links the article under a new slug only; its numeric id
    (`/detail/3293`) says it is the same article."""
    db = tmp_path / "newsmon.db"
    crawl(db, SEEDS)
    second = later_copy(tmp_path, "second", "2025-07-18T12:00:00+00:00")
    for path in [second / "manifest.json", *(second / "ccbsnews").glob("*.*ml")]:
        for end in '"<>':
            if f"{CCBS_URL}{end}" in path.read_text(encoding="utf-8"):
                edit(path, f"{CCBS_URL}{end}", f"{CCBS_NEW_URL}{end}")
    crawl(db, second)
    assert query(
        db, "SELECT old_url, new_url, json_extract(details, '$.via') FROM article_moves"
    ) == [(CCBS_URL, CCBS_NEW_URL, "site-id")]
    assert query(
        db,
        "SELECT count(*) FROM articles WHERE source_id = 'ccbsnews' AND site_article_id = '3293'",
    ) == [(1,)]
    assert query(
        db, "SELECT count(*) FROM appearances WHERE context = 'article' AND source_id = 'ccbsnews'"
    ) == [(1,)]


def test_a_changed_canonical_link_is_a_move(tmp_path):
    db = tmp_path / "newsmon.db"
    crawl(db, SEEDS)
    second = later_copy(tmp_path, "second", "2026-03-04T08:00:00+00:00")
    page = second / "report_az" / "article-2026-03-03.html"
    new_url = f"{REPORT_AZ_URL}-2026"
    edit(page, f'href="{REPORT_AZ_URL}"', f'href="{new_url}"')
    edit(page, f'content="{REPORT_AZ_URL}"', f'content="{new_url}"')
    crawl(db, second)
    assert query(
        db, "SELECT old_url, new_url, json_extract(details, '$.via') FROM article_moves"
    ) == [(REPORT_AZ_URL, new_url, "canonical")]
    history = newsmon("history", new_url, "--json", "--db", str(db)).stdout.splitlines()
    moves = [json.loads(line) for line in history if '"move"' in line]
    assert [(row["old"], row["new"], row["at"]) for row in moves] == [
        (REPORT_AZ_URL, new_url, "2026-03-04T08:00:00+00:00")
    ]


def test_a_changed_modification_time_alone_is_an_update_without_a_diff(tmp_path):
    db = tmp_path / "newsmon.db"
    crawl(db, SEEDS)
    second = later_copy(tmp_path, "second", "2026-03-04T08:00:00+00:00")
    page = second / "report_az" / "article-2026-03-03.html"
    edit(
        page,
        '"dateModified": "2026-03-03T13:41:00+04:00"',
        '"dateModified": "2026-03-04T10:05:00+04:00"',
    )
    crawl(db, second)
    assert query(
        db,
        "SELECT modified_at, diff FROM article_versions WHERE article_id = "
        "(SELECT article_id FROM article_urls WHERE url = ?) ORDER BY id",
        (REPORT_AZ_URL,),
    ) == [("2026-03-03T09:41:00+00:00", None), ("2026-03-04T06:05:00+00:00", None)]
    history = newsmon("history", REPORT_AZ_URL, "--json", "--db", str(db)).stdout.splitlines()
    updates = [json.loads(line) for line in history if '"update"' in line]
    assert [(row["old"], row["new"], row["diff"]) for row in updates] == [
        ("2026-03-03T09:41:00+00:00", "2026-03-04T06:05:00+00:00", None)
    ]
