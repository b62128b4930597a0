"""Source health: selector rot is caught on the run it happens, told once, and its end too."""

from __future__ import annotations

import json
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from newsmon.clock import ManualClock, use_clock
from newsmon.ops.health import (
    OK,
    UNCHANGED,
    UNHEALTHY,
    RunCounts,
    Verdict,
    backing_off,
    judge,
    mark_notified,
    pending_notices,
    refused_sources,
    update_health,
)
from newsmon.store import Store
from tests.conftest import SEEDS
from tests.fixture_server import serving
from tests.helpers import FAST, newsmon

REDESIGNED = ("report_az/news-feed.html", "report_az/article-2026-03-03.html")


def listing_run(headlines: int, *, feed: int = 9, empty_listings: int = 0) -> RunCounts:
    """A report_az-like run: one feed and one listing page parsed."""
    return RunCounts(
        pages=2,
        codes={"200": 2},
        headlines=feed + headlines,
        kinds={
            "feed": {"parsed": 1, "headlines": feed, "empty": int(feed == 0)},
            "listing": {"parsed": 1, "headlines": headlines, "empty": empty_listings},
        },
    )


def article_run(articles: int, **without: int) -> RunCounts:
    return RunCounts(
        pages=articles,
        codes={"200": articles},
        headlines=articles,
        articles=articles,
        without={"title": 0, "date": 0, "body": 0, **without},
        kinds={"article": {"parsed": articles, "headlines": articles}},
    )


# Verdicts ------------------------------------------------------------------------------------


def test_a_listing_that_gives_nothing_any_more_is_unhealthy():
    history = [listing_run(9), listing_run(11), listing_run(8)]
    verdict = judge(listing_run(0, empty_listings=1), history)
    assert verdict == Verdict(
        UNHEALTHY,
        ("0 headlines from 1 listing page (usually 9): selectors may no longer match",),
    )


def test_the_first_run_needs_no_history_to_see_empty_pages():
    verdict = judge(listing_run(0, empty_listings=1), [])
    assert verdict.reason == "0 headlines from 1 listing page: selectors may no longer match"


def test_each_kind_of_page_that_gives_nothing_is_named():
    run = listing_run(0, feed=0, empty_listings=1)
    assert judge(run, [listing_run(20, feed=10)]).reasons == (
        "0 headlines from 1 feed page (usually 10): selectors may no longer match",
        "0 headlines from 1 listing page (usually 20): selectors may no longer match",
    )


def test_some_empty_pages_of_a_kind_are_counted():
    run = RunCounts(
        pages=3,
        codes={"200": 3},
        headlines=9,
        kinds={"listing": {"parsed": 3, "headlines": 9, "empty": 1}},
    )
    history = [
        RunCounts(
            pages=3,
            codes={"200": 3},
            headlines=27,
            kinds={"listing": {"parsed": 3, "headlines": 27}},
        )
    ]
    assert judge(run, history).reason == (
        "1 of 3 listing pages gave no headline (usually 27): selectors may no longer match"
    )


def test_a_page_that_is_usually_empty_is_no_alarm():
    history = [listing_run(0, empty_listings=1)] * 3
    assert judge(listing_run(0, empty_listings=1), history) == Verdict(OK)


def test_articles_suddenly_without_a_field_they_had_are_unhealthy():
    history = [article_run(10, date=1), article_run(12)]
    verdict = judge(article_run(4, body=4, date=1), history)
    assert verdict.reason == (
        "4 of 4 articles without body text (earlier runs: 0 of 22): selectors may no longer match"
    )


def test_a_field_the_site_never_gives_is_no_alarm():
    always_undated = [article_run(5, date=5), article_run(3, date=3)]
    assert judge(article_run(4, date=4), always_undated) == Verdict(OK)
    assert judge(article_run(4, date=4), []) == Verdict(OK)  # dates: only against history


def test_the_first_run_flags_articles_without_title_or_body():
    assert judge(article_run(2, title=2), []).reason == (
        "2 of 2 articles without title: selectors may no longer match"
    )


def test_a_source_that_answers_nothing_is_unhealthy():
    run = RunCounts(pages=4, codes={"500": 3, "301": 1}, errors=2)
    assert judge(run, []).reason == (
        "no page answered (HTTP 301 ×1, HTTP 500 ×3; 2 pages given up): "
        "the site may be down or refusing newsmon"
    )


def test_a_run_where_nothing_changed_says_nothing():
    run = RunCounts(pages=2, codes={"304": 2}, not_modified=2, known_articles=3)
    assert judge(run, [listing_run(9)]) == Verdict(UNCHANGED)


# Refusals ------------------------------------------------------------------------------------


def test_a_site_answering_403_to_most_requests_refuses_newsmon():
    run = RunCounts(pages=3, codes={"403": 2, "200": 1}, errors=2, kinds=listing_run(9).kinds)
    assert judge(run, []) == Verdict(UNHEALTHY, ("refuses newsmon: 403 on 2 of 3 requests",))
    assert judge(RunCounts(pages=2, codes={"429": 2}, errors=2), []).reasons == (
        "rate-limited: 429 on 2 of 2 requests",
    )


def test_a_few_refused_requests_are_no_refusal():
    run = RunCounts(pages=4, codes={"403": 1, "429": 1, "200": 2}, errors=2, headlines=9)
    run.kinds = listing_run(9).kinds
    assert judge(run, []) == Verdict(OK)


def test_challenge_pages_are_named_by_vendor_and_explain_the_missing_fields():
    run = article_run(4, title=4, body=4)
    run.refused = {"challenge": {"Cloudflare": 2, "captcha": 1}}
    assert judge(run, []).reasons == ("challenge page (Cloudflare, captcha) on 3 pages",)
    run.refused = {"challenge": {"Cloudflare": 1}}
    assert judge(run, []).reasons == (
        "4 of 4 articles without title: selectors may no longer match",
        "4 of 4 articles without body text: selectors may no longer match",
    )


def test_most_pages_with_their_text_in_scripts_is_a_javascript_only_site():
    run = RunCounts(
        pages=6,
        codes={"200": 6},
        headlines=5,
        kinds={"feed": {"parsed": 1, "headlines": 5}, "article": {"parsed": 5, "empty": 5}},
        refused={"script_only": {"article": 5}},
    )
    assert judge(run, []).reasons == (
        "pages carry their text only in scripts (JavaScript-only): 5 article pages not stored",
    )
    run.refused = {"script_only": {"article": 2}}
    assert judge(run, []).state == OK


def test_a_refusing_source_backs_off_until_the_retry_time_after_its_last_attempt(store):
    with use_clock(ManualClock("2026-03-02T08:00:00+00:00")) as clock:
        update_health(store, record_run(store, RunCounts(pages=2, codes={"403": 2}, errors=2)))
        refusal = "refuses newsmon: 403 on 2 of 2 requests"
        assert refused_sources(store) == {"report_az": refusal}
        clock.advance(timedelta(hours=5, minutes=59))
        assert backing_off(store, timedelta(hours=6)) == {
            "report_az": f"{refusal} (tried again from 2026-03-02T14:00:00+00:00)"
        }
        assert backing_off(store, timedelta(0)) == {}
        clock.advance(timedelta(minutes=1))
        assert backing_off(store, timedelta(hours=6)) == {}
        # Broken selectors are no refusal: the source is crawled every run.
        update_health(store, record_run(store, listing_run(0, empty_listings=1)))
        assert refused_sources(store) == {}
        assert backing_off(store, timedelta(hours=6)) == {}


# State and notices ---------------------------------------------------------------------------


def record_run(store: Store, run: RunCounts, source: str = "report_az") -> int:
    """A finished crawl of `source` with these counts, as the pipeline records it."""
    crawl_id = store.start_crawl("live", [source])
    with store.transaction():
        store.conn.execute(
            """INSERT INTO crawl_sources (crawl_id, source_id, pages, errors, headlines, articles,
                 status_codes, status, articles_without_title, articles_without_date,
                 articles_without_body, not_modified, known_articles, page_kinds, refused_pages)
               VALUES (?, ?, ?, ?, ?, ?, ?, 'ok', 0, 0, 0, ?, ?, ?, ?)""",
            (
                crawl_id,
                source,
                run.pages,
                run.errors,
                run.headlines,
                run.articles,
                json.dumps(run.codes),
                run.not_modified,
                run.known_articles,
                json.dumps(run.kinds),
                json.dumps(run.refused),
            ),
        )
        store.finish_crawl(crawl_id, "ok", {})
    return crawl_id


@pytest.fixture
def store(tmp_path):
    store = Store.open(tmp_path / "n.db")
    store.ensure_source("report_az", name="Report", home_url=None, lang="en", tz="UTC", kind="site")
    yield store
    store.close()


def told(store: Store) -> list[str]:
    """The notices a run would print now (then marked told)."""
    notices = pending_notices(store)
    mark_notified(store, notices)
    return [notice.line() for notice in notices]


def test_a_source_turning_unhealthy_is_told_once_and_its_recovery_once(store):
    update_health(store, record_run(store, listing_run(9)))
    assert told(store) == []
    broken = record_run(store, listing_run(0, empty_listings=1))
    assert update_health(store, broken)["report_az"].state == UNHEALTHY
    assert told(store) == [
        "[health] report_az: 0 headlines from 1 listing page (usually 9): "
        "selectors may no longer match"
    ]
    update_health(store, record_run(store, listing_run(0, empty_listings=1)))
    update_health(store, record_run(store, RunCounts(pages=2, codes={"304": 2})))
    assert told(store) == []
    state = store.rows("SELECT state, since FROM source_health")[0]
    assert state["state"] == UNHEALTHY
    assert state["since"] == store.one("SELECT started_at FROM crawls WHERE id = ?", (broken,))[0]
    update_health(store, record_run(store, listing_run(10)))
    assert told(store) == [
        "[health] report_az: working again (2 pages (200×2), 19 headlines, 0 articles)"
    ]
    assert told(store) == []


def test_a_failure_nobody_was_told_about_needs_no_recovery_notice(store):
    update_health(store, record_run(store, listing_run(0, empty_listings=1)))
    update_health(store, record_run(store, listing_run(9)))
    assert told(store) == []


def test_history_skips_unhealthy_runs(store):
    update_health(store, record_run(store, listing_run(30)))
    update_health(store, record_run(store, listing_run(0, empty_listings=1)))
    update_health(store, record_run(store, listing_run(0, empty_listings=1)))
    verdict = update_health(store, record_run(store, listing_run(0, empty_listings=1)))
    assert verdict["report_az"].reason == (
        "0 headlines from 1 listing page (usually 30): selectors may no longer match"
    )


# Runs against a redesigned site ---------------------------------------------------------------


def redesign(fixtures: Path, files: tuple[str, ...]) -> None:
    """Rename every CSS class of `files` (`news-item` → `v2-news-item`), with new validators."""
    for name in files:
        page = fixtures / name
        html = page.read_text(encoding="utf-8")
        page.write_text(
            re.sub(
                r'class="([^"]*)"',
                lambda m: 'class="' + " ".join(f"v2-{c}" for c in m.group(1).split()) + '"',
                html,
            ),
            encoding="utf-8",
        )
    manifest = json.loads((fixtures / "manifest.json").read_text())
    for entry in manifest["fixtures"]:
        if entry["file"] in files:
            entry["headers"]["ETag"] = 'W/"v2-' + entry["headers"]["ETag"][3:]
            entry["headers"]["Last-Modified"] = "Wed, 04 Mar 2026 08:00:00 GMT"
    (fixtures / "manifest.json").write_text(json.dumps(manifest))


def run_against(fixtures: Path, db: Path):
    """`newsmon run`, every source read (not only what is due: the subject here is health)."""
    with serving(fixtures) as server:
        env = {"NEWSMON_RESOLVE": server.resolve_env("report.az", "ccbsnews.info")}
        return newsmon("run", "--db", str(db), *FAST, "-s", "NEWSMON_DUE_ONLY=0", env=env)


@pytest.fixture(scope="module")
def redesigned(tmp_path_factory):
    """Runs on one store: the seeds; report.az redesigned (twice); the seeds again."""
    directory = tmp_path_factory.mktemp("health")
    original, changed = directory / "seeds", directory / "redesigned"
    shutil.copytree(SEEDS, original)
    shutil.copytree(SEEDS, changed)
    redesign(changed, REDESIGNED)
    db = directory / "n.db"
    runs = [run_against(fixtures, db) for fixtures in (original, changed, changed)]
    health = newsmon("health", "--db", str(db), "--json")
    runs.append(run_against(original, db))
    fresh = run_against(changed, directory / "fresh.db")
    return runs, health, fresh


def test_the_run_that_meets_the_redesign_tells_it_once(redesigned):
    runs, _, _ = redesigned
    assert [(run.returncode, run.stderr) for run in runs] == [(0, "")] * 4
    assert runs[0].stdout == ""
    assert runs[1].stdout == (
        "[health] report_az: 0 headlines from 1 listing page (usually 9): "
        "selectors may no longer match\n"
    )
    assert runs[2].stdout == ""


def test_health_shows_the_broken_source_while_the_other_works(redesigned):
    _, health, _ = redesigned
    rows = {row["source"]: row for row in map(json.loads, health.stdout.splitlines())}
    assert rows["report_az"]["state"] == "unhealthy"
    assert rows["report_az"]["reason"] == (
        "0 headlines from 1 listing page (usually 9): selectors may no longer match"
    )
    assert rows["report_az"]["last_run"]["not_modified"] == 2
    assert rows["ccbsnews"]["state"] == "ok"
    assert rows["ccbsnews"]["reason"] is None
    assert rows["ccbsnews"]["last_run"]["page_kinds"] == {
        "feed": {"headlines": 11, "parsed": 1},
        "listing": {"headlines": 11, "parsed": 1},
    }


def test_the_recovery_is_told_once(redesigned):
    runs, _, _ = redesigned
    assert re.fullmatch(
        r"\[health\] report_az: working again \(.*9 headlines.*\)\n", runs[3].stdout
    )


def test_a_source_with_no_history_is_judged_on_its_first_run(redesigned):
    _, _, fresh = redesigned
    assert fresh.returncode == 0
    assert fresh.stdout == (
        "[health] report_az: 0 headlines from 1 listing page: selectors may no longer match\n"
    )


def test_the_health_table(tmp_path):
    db = tmp_path / "n.db"
    store = Store.open(db)
    store.ensure_source("report_az", name="Report", home_url=None, lang="en", tz="UTC", kind="site")
    store.ensure_source("ccbsnews", name="CCBS", home_url=None, lang="en", tz="UTC", kind="site")
    update_health(store, record_run(store, listing_run(0, empty_listings=1)))
    store.close()
    table = newsmon("health", "--db", str(db), env={"COLUMNS": "250"}).stdout.splitlines()
    assert table[0].split() == [
        "source", "state", "since", "last_success", "last_run", "reason", "conditional_get"
    ]  # fmt: skip
    assert table[2].split() == ["ccbsnews", "unknown", "on"]
    assert table[3].startswith("report_az  unhealthy  ")
    assert table[3].endswith(
        "2 pages (200×2), 9 headlines, 0 articles  0 headlines from 1 listing page: selectors "
        "may no longer match  on"
    )
