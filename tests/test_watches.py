"""Watches on the seed story: which headlines are related, and each is reported once."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.store import Store
from newsmon.watch.watches import (
    WatchError,
    add_watch,
    backfill_watch,
    get_watch,
    import_watches,
    list_watches,
    remove_watch,
)
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


def test_since_a_crawl_includes_a_backfill_made_in_the_second_it_ended(tmp_path):
    """Times are kept to the second: a backfill run straight after a crawl is often made in
    the second the crawl ended, and still comes after it."""
    db = str(tmp_path / "newsmon.db")
    assert newsmon("crawl", "--replay", "seeds", "--db", db).returncode == 0
    assert newsmon("watch", "add", "ankara", "ankara", "--db", db).returncode == 0
    assert newsmon("watch", "backfill", "ankara", "--db", db).returncode == 0
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE crawls SET finished_at = (SELECT min(created_at) FROM events)")
    connection.close()
    since = newsmon("new", "--since", "1", "--watch", "ankara", "--db", db)
    assert since.returncode == 0, since.stderr
    assert len(since.stdout.splitlines()) == 4


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


def test_watch_import_reports_every_problem_by_line_and_imports_nothing(tmp_path):
    db = str(tmp_path / "w.db")
    watches = tmp_path / "watches.toml"
    watches.write_text(
        "\n".join(
            [
                "[watches.defense]",  # 1
                'query = "defen?e*"',
                "alert_move = true",  # 3: misspelt option
                "",
                "[watches.gas]",  # 5
                'query = "gas AND (pipeline"',  # 6: syntax error
                "",
                "[watches.empty]",  # 8: no query
                "alert_moves = true",
                "",
                "[watches.flag]",  # 11
                'query = "azerbaijan"',
                'alert_moves = "yes"',  # 13: not a boolean
                "",
                "[watches.deep]",  # 15
                'query = "' + "(" * 200 + "drone" + ")" * 200 + '"',  # 16: too deep
                "",
                "[watches.good]",  # 18: fine, but not imported either
                'query = "drone NEAR/3 strike"',
                "",
                "[watchs.typo]",  # 21: misspelt table
                'query = "x"',
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    run = newsmon("watch", "import", str(watches), "--db", db)
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        f"Error: {watches}: 6 problems, no watch imported",
        f"{watches}:3: watch 'defense': unknown key 'alert_move' (did you mean 'alert_moves'?)",
        f"{watches}:6: watch 'gas': invalid query: "
        "unbalanced parenthesis: '(' is never closed at position 8",
        f"{watches}:8: watch 'empty': missing key 'query'",
        f"{watches}:13: watch 'flag': 'alert_moves' must be true or false",
        f"{watches}:16: watch 'deep': invalid query: "
        "query nested too deeply (more than 50 levels) at position 50",
        f"{watches}:21: unknown key 'watchs' (did you mean 'watches'?)",
    ]
    listed = newsmon("watch", "list", "--json", "--db", db)
    assert (listed.returncode, listed.stdout) == (0, "")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[watches.a]\nquery = "x"\nquery = "y"\n', ":3: cannot overwrite a value (column 12)"),
        ('[watches.a]\nquery = ["x"]\n', ":2: watch 'a': 'query' must be a string"),
        ("[watches]\na = 1\n", ":2: watch 'a': expected a table ([watches.a] with query = \"…\")"),
        ("watches = 3\n", ":1: expected [watches.NAME] tables"),
        ("", ": expected [watches.NAME] tables"),
        (
            "x = " + "[" * 1000 + "]" * 1000,
            ":1: arrays or inline tables nested too deeply (column 105)",
        ),
    ],
)
def test_watch_import_file_problems(tmp_path, text, problem):
    watches = tmp_path / "watches.toml"
    watches.write_text(text, encoding="utf-8")
    with Store.open(tmp_path / "w.db") as store, pytest.raises(WatchError) as raised:
        import_watches(store, watches)
    assert str(raised.value).splitlines()[-1] == f"{watches}{problem}"


def test_watch_add_waits_for_a_busy_store(tmp_path, monkeypatch):
    db = tmp_path / "w.db"
    Store.open(db).close()
    holder = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, holder.rollback).start()
    result = CliRunner().invoke(cli, ["watch", "add", "drones", "drone*", "--db", str(db)])
    assert (result.exit_code, result.output) == (0, "watch drones: drone*\n")
    holder.close()


def test_watch_add_on_a_store_busy_too_long_is_one_error_line(tmp_path, monkeypatch):
    db = tmp_path / "w.db"
    Store.open(db).close()
    monkeypatch.setattr("newsmon.store.BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = CliRunner().invoke(cli, ["watch", "add", "drones", "drone*", "--db", str(db)])
    finally:
        holder.rollback()
        holder.close()
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {db}: the store is busy: another newsmon process is writing to it; "
        "nothing was changed, try again when it is done\n",
    )
    with Store.open(db) as store:
        assert list_watches(store) == []


@pytest.mark.parametrize("command", [["match"], ["watch", "add", "deep"]])
def test_a_deeply_nested_query_is_one_error_line(tmp_path, command):
    query = "(" * 200 + "drone" + ")" * 200
    result = CliRunner().invoke(
        cli, [*command, query, "--db", str(tmp_path / "w.db")], input="drone strike\n"
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "Error: invalid query: query nested too deeply (more than 50 levels) at position 50"
    )


def test_match_reads_a_deeply_nested_json_line_as_text():
    line = '{"title": ' + "[" * 100_000 + "]" * 100_000 + "}"
    result = CliRunner().invoke(cli, ["match", "drone"], input=f"{line}\ndrone strike\n")
    assert result.exit_code == 0, result.output
    assert [json.loads(out)["related"] for out in result.output.splitlines()] == [False, True]


def test_a_stored_query_the_language_now_refuses_is_left_out_with_a_warning(tmp_path, caplog):
    # `+` was folded away before the query language refused it: such a watch may be stored.
    with Store.open(tmp_path / "w.db") as store:
        add_watch(store, "drones", "drone*")
        with store.transaction():
            for name in ("old", "older"):
                store.conn.execute(
                    "INSERT INTO watches (name, query, options, created_at, updated_at) "
                    "VALUES (?, '+drone', '{}', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')",
                    (name,),
                )
        assert [watch.name for watch in list_watches(store)] == ["drones"]
        with pytest.raises(WatchError, match="replace"):
            get_watch(store, "old")
        # Mended by a new query, or removed.
        add_watch(store, "old", "drone", replace=True)
        assert get_watch(store, "old").query.text == "drone"
        remove_watch(store, "older")
        assert [watch.name for watch in list_watches(store)] == ["drones", "old"]
    assert caplog.messages[:2] == [
        f"watch {name!r} is left out: its stored query is no longer valid: '+' is not part of "
        "the query language (terms are required by default) at position 0 "
        f"(change it with `newsmon watch add {name} QUERY --replace`)"
        for name in ("old", "older")
    ]
