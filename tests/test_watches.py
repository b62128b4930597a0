"""Watches on the seed story: which headlines are related, and each is reported once."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from newsmon.store import Store
from newsmon.watches import WatchError, add_watch, backfill_watch, get_watch, list_watches
from tests.helpers import ROOT, newsmon

REPORT_AZ_TITLE = "Azerbaijan, Türkiye discuss expanding defense industry cooperation"
CCBS_TITLE = "Azerbaijan and Turkey will ramp up military-technical cooperation"
AZ_TITLE = "Azərbaycan və Türkiyə müdafiə sənayesi əməkdaşlığının genişləndirilməsini müzakirə edib"
RU_TITLE = "Мустафаев и Гюлер обсудили расширение сотрудничества в сфере оборонпрома"


@pytest.fixture(scope="module")
def watched_store(tmp_path_factory):
    """The example watch imported, then the seeds crawled."""
    db = tmp_path_factory.mktemp("watch") / "newsmon.db"
    imported = newsmon("watch", "import", "watches.example.toml", "--db", str(db))
    assert imported.returncode == 0, imported.stderr
    crawled = newsmon("crawl", "--replay", "seeds", "--db", str(db))
    assert crawled.returncode == 0, crawled.stderr
    return db


def test_example_watch_relates_exactly_the_seed_story(watched_store):
    first = newsmon("new", "--json", "--db", str(watched_store))
    assert first.returncode == 0, first.stderr
    alerts = [json.loads(line) for line in first.stdout.splitlines()]
    # One object per headline per source, listing each related appearance.
    assert sorted((alert["title"], sorted(alert["contexts"])) for alert in alerts) == sorted(
        [
            (CCBS_TITLE, ["article", "feed", "listing"]),
            (REPORT_AZ_TITLE, ["article", "feed", "latest", "listing"]),
            (AZ_TITLE, ["alternate"]),
            (RU_TITLE, ["alternate"]),
        ]
    )
    events = [appearance for alert in alerts for appearance in alert["appearances"]]
    related = {
        (alert["title"], appearance["context"])
        for alert in alerts
        for appearance in alert["appearances"]
    }
    assert related == {
        (CCBS_TITLE, "feed"),
        (CCBS_TITLE, "listing"),
        (CCBS_TITLE, "article"),
        (REPORT_AZ_TITLE, "feed"),
        (REPORT_AZ_TITLE, "listing"),
        (REPORT_AZ_TITLE, "article"),
        (REPORT_AZ_TITLE, "latest"),
        (AZ_TITLE, "alternate"),
        (RU_TITLE, "alternate"),
    }
    assert len(events) == len({event["event_id"] for event in events}) == len(related)
    assert {alert["watch"] for alert in alerts} == {"az-tr-defense"}
    # Reported once: the second call has nothing new.
    second = newsmon("new", "--db", str(watched_store))
    assert (second.returncode, second.stdout) == (0, "")


def test_other_outputs_keep_their_own_cursor(watched_store):
    mail = newsmon("new", "--output", "mail", "--db", str(watched_store))
    assert len(mail.stdout.splitlines()) == 4  # the four headlines of the seed story
    assert mail.stdout.splitlines()[0].startswith("[az-tr-defense] ")
    assert newsmon("new", "--output", "mail", "--db", str(watched_store)).stdout == ""
    since = newsmon("new", "--since", "0", "--db", str(watched_store))
    assert len(since.stdout.splitlines()) == 4


def test_since_a_crawl_includes_a_backfill_made_after_it(tmp_path):
    db = str(tmp_path / "newsmon.db")
    assert newsmon("crawl", "--replay", "seeds", "--db", db).returncode == 0
    assert newsmon("watch", "add", "ankara", "ankara", "--db", db).returncode == 0
    assert newsmon("watch", "backfill", "ankara", "--db", db).returncode == 0
    since = newsmon("new", "--since", "1", "--watch", "ankara", "--db", db)
    # As in test_backfill_relates_what_was_stored_before_the_watch: the Ankara headline (feed,
    # listing, latest) and the seed story's three headlines (en in four places, az, ru).
    assert [line.split(" (")[1].split(")")[0] for line in since.stdout.splitlines()] == [
        "feed, listing, latest",
        "feed, listing, article, latest",
        "alternate",
        "alternate",
    ]
    assert newsmon("crawl", "--replay", "seeds", "--db", db).returncode == 0
    assert newsmon("new", "--since", "2", "--db", db).stdout == ""


def test_new_for_a_watch_that_does_not_exist_is_an_error(watched_store):
    run = newsmon("new", "--watch", "nosuch", "--db", str(watched_store))
    assert (run.returncode, run.stderr) == (1, "Error: no watch named 'nosuch'\n")


def test_the_match_records_which_terms_and_field(watched_store):
    with Store.open(watched_store) as store:
        rows = store.rows(
            "SELECT watch, field, terms, matched_text FROM watch_stories ORDER BY rowid"
        )
    assert [
        (row["watch"], row["field"], json.loads(row["terms"]), row["matched_text"]) for row in rows
    ] == [
        (
            "az-tr-defense",
            "title",
            [
                "{azerbaijan*|azərbaycan*|азербайджан*|aliyev}",
                "{turkey|türkiye*|turkish|ankara|турци*}",
                "{defen*|military*|müdafiə*|hərbi*|оборон*|воен*|army}",
            ],
            CCBS_TITLE,
        ),
        (
            "az-tr-defense",
            "title",
            [
                "{azerbaijan*|azərbaycan*|азербайджан*|aliyev}",
                "{turkey|türkiye*|turkish|ankara|турци*}",
                "{defen*|military*|müdafiə*|hərbi*|оборон*|воен*|army}",
            ],
            REPORT_AZ_TITLE,
        ),
    ]


def test_backfill_relates_what_was_stored_before_the_watch(tmp_path):
    db = tmp_path / "newsmon.db"
    assert newsmon("crawl", "--replay", "seeds", "--db", str(db)).returncode == 0
    with Store.open(db) as store:
        add_watch(store, "ankara", "ankara")
        # The Ankara headline (feed, listing, latest) and, through its body ("an official visit
        # to Ankara"), the seed story with its six appearances in three languages.
        assert backfill_watch(store, "ankara") == 3 + 6
        assert backfill_watch(store, "ankara") == 0
        titles = {
            row["title"]
            for row in store.rows(
                "SELECT DISTINCT h.title FROM events e JOIN appearances ap ON ap.id = e.appearance_id "
                "JOIN headlines h ON h.id = ap.headline_id"
            )
        }
    assert titles == {
        "Ankara counting on renewable supplies to EU via Azerbaijan, Türkiye",
        REPORT_AZ_TITLE,
        AZ_TITLE,
        RU_TITLE,
    }


def test_watch_management(tmp_path):
    with Store.open(tmp_path / "w.db") as store:
        add_watch(store, "b", "beta")
        add_watch(store, "a", '"alpha gamma"~2')
        assert [watch.name for watch in list_watches(store)] == ["a", "b"]
        with pytest.raises(WatchError, match="exists already"):
            add_watch(store, "a", "other")
        add_watch(store, "a", "delta", replace=True)
        assert get_watch(store, "a").query.text == "delta"
        with pytest.raises(WatchError, match="unknown watch option"):
            add_watch(store, "c", "x", {"colour": "red"})


def test_changing_a_query_keeps_the_options_not_named_again(tmp_path):
    db = str(tmp_path / "w.db")
    hook = "https://hooks.example/newsmon"
    add = ("watch", "add", "defense")
    assert newsmon(*add, "defen*", "--alert-moves", "--webhook", hook, "--db", db).returncode == 0
    assert newsmon(*add, "defense", "--replace", "--db", db).returncode == 0
    shown = json.loads(newsmon("watch", "show", "defense", "--json", "--db", db).stdout)
    assert (shown["query"], shown["options"]) == ("defense", {"alert_moves": True, "webhook": hook})
    assert (
        newsmon(
            *add, "defense", "--replace", "--no-alert-moves", "--webhook", "", "--db", db
        ).returncode
        == 0
    )
    shown = json.loads(newsmon("watch", "show", "defense", "--json", "--db", db).stdout)
    assert shown["options"] == {"alert_moves": False, "webhook": None}
    # A watches file says all there is to a watch: what it leaves out is back to the default.
    assert newsmon(*add, "defense", "--replace", "--alert-moves", "--db", db).returncode == 0
    watches = tmp_path / "watches.toml"
    watches.write_text('[watches.defense]\nquery = "defen*"\n', encoding="utf-8")
    assert newsmon("watch", "import", str(watches), "--db", db).returncode == 0
    shown = json.loads(newsmon("watch", "show", "defense", "--json", "--db", db).stdout)
    assert (shown["query"], shown["options"]) == ("defen*", {"alert_moves": False, "webhook": None})


def test_a_query_syntax_error_points_at_the_position(tmp_path):
    run = newsmon("watch", "add", "bad", "azerbaijan AND (turkey", "--db", str(tmp_path / "x.db"))
    assert run.returncode == 1
    assert run.stderr.splitlines()[0].startswith("Error: invalid query: ")
    assert "position" in run.stderr.splitlines()[0]
    assert run.stderr.splitlines()[-1].strip() == "^"


def test_match_reads_on_past_a_line_that_is_not_utf8():
    lines = b"Azerbaijan \xff\xfe Turkey defense talks\n" + REPORT_AZ_TITLE.encode() + b"\n"
    run = subprocess.run(
        [sys.executable, "-m", "newsmon", "match", "{azerbaijan*} AND {turkey|türkiye}"],
        input=lines,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr.decode()
    assert [json.loads(line)["title"] for line in run.stdout.decode().splitlines()] == [
        "Azerbaijan \ufffd\ufffd Turkey defense talks",
        REPORT_AZ_TITLE,
    ]


def test_match_reads_headlines_and_json_lines(tmp_path):
    lines = "\n".join(
        [
            REPORT_AZ_TITLE,
            json.dumps(
                {"title": "Turkish FM: Regional tensions may pose risks to energy supply security"}
            ),
            json.dumps(
                {
                    "title": RU_TITLE,
                    "lead": "Азербайджан и Турция расширяют оборонное сотрудничество",
                }
            ),
        ]
    )
    missing = tmp_path / "m.db"
    run = newsmon("match", "--watch", "az-tr-defense", "--db", str(missing), stdin=lines)
    assert run.returncode == 1  # no store there, and none is made
    assert run.stderr == f"Error: no store at {missing}: run `newsmon crawl` or pass --db\n"
    assert not missing.exists()
    query = "{azerbaijan*|азербайджан*} AND {türkiye|турци*}"
    run = newsmon("match", query, stdin=lines)
    assert run.returncode == 0, run.stderr
    assert [json.loads(line) for line in run.stdout.splitlines()] == [
        {
            "title": REPORT_AZ_TITLE,
            "related": True,
            "terms": ["{azerbaijan*|азербайджан*}", "{türkiye|турци*}"],
            "fields": ["title"],
        },
        {
            "title": "Turkish FM: Regional tensions may pose risks to energy supply security",
            "related": False,
            "terms": [],
            "fields": [],
        },
        {
            "title": RU_TITLE,
            "related": True,
            "terms": ["{azerbaijan*|азербайджан*}", "{türkiye|турци*}"],
            "fields": ["lead"],
        },
    ]
