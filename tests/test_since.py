"""`--since`: one reading for `new`, `stories` and `export`: a crawl id or a date/time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.store import Store
from newsmon.store.since import Since, SinceError, parse_since
from tests.timeline_store import make_timeline_store

# Crawl 2 of the store below: after the timeline's ingest (crawl 1), ended mid-timeline.
CRAWL_2_END = "2026-03-02T12:00:00+00:00"
EXPECTED = (
    "expected a crawl id or an ISO 8601 date or date/time, "
    "e.g. 12, 2026-03-01 or 2026-03-01T08:00+04:00"
)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = make_timeline_store(tmp_path_factory.mktemp("since") / "newsmon.db")
    with Store.open(path) as store:
        crawl_id = store.start_crawl("live", [], started_at="2026-03-02T11:00:00+00:00")
        store.conn.execute(
            "UPDATE crawls SET finished_at = ?, status = 'ok' WHERE id = ?",
            (CRAWL_2_END, crawl_id),
        )
    assert crawl_id == 2
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("text", "since"),
    [
        ("2026-03-01", Since("2026-03-01T00:00:00+00:00")),
        ("2020-01-01T00:00", Since("2020-01-01T00:00:00+00:00")),
        ("2026-03-01T08:30Z", Since("2026-03-01T08:30:00+00:00")),
        ("2026-03-01T08:30:00+04:00", Since("2026-03-01T04:30:00+00:00")),
        (" 2 ", Since(CRAWL_2_END, crawl_id=2)),
        ("0", Since("", crawl_id=0)),
    ],
)
def test_since_is_a_crawl_or_a_moment_in_utc(db_path: Path, text: str, since: Since) -> None:
    with Store.open(db_path) as store:
        assert parse_since(store, text) == since


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("yesterday", f"--since 'yesterday': {EXPECTED}"),
        ("99", "--since '99': no crawl 99 (the latest is 2)"),
        ("99999999999999999999", "--since '99999999999999999999': no crawl 99999999999999999999 "
         "(the latest is 2)"),
        ("0001-01-01T00:00+14:00", "--since '0001-01-01T00:00+14:00': out of range once "
         "converted to UTC"),
    ],
)  # fmt: skip
def test_a_since_that_is_neither_is_an_error_naming_it(
    db_path: Path, text: str, message: str
) -> None:
    with Store.open(db_path) as store, pytest.raises(SinceError) as raised:
        parse_since(store, text)
    assert str(raised.value) == message


def test_a_crawl_id_of_a_store_without_crawls_says_so(tmp_path: Path) -> None:
    with Store.open(tmp_path / "empty.db") as store, pytest.raises(SinceError) as raised:
        parse_since(store, "1")
    assert str(raised.value) == "--since '1': no crawl 1 (the store has none yet)"


def test_new_accepts_a_date_time_without_a_zone(db_path: Path) -> None:
    everything = invoke("new", "--since", "0", "--db", str(db_path))
    since_2020 = invoke("new", "--since", "2020-01-01T00:00", "--db", str(db_path))
    assert since_2020 == everything
    # Seven related appearances, in five lines: one per headline and source.
    assert (since_2020[0], len(since_2020[1].splitlines())) == (0, 5)


@pytest.mark.parametrize(
    "command",
    [["new"], ["stories"], ["export", "csv", "stories"], ["export", "jsonl", "appearances"]],
)
def test_every_since_refuses_a_crawl_that_does_not_exist(db_path: Path, command: list[str]) -> None:
    assert invoke(*command, "--since", "99", "--db", str(db_path)) == (
        1,
        "",
        "Error: --since '99': no crawl 99 (the latest is 2)\n",
    )


def test_stories_and_export_read_since_as_new_does(db_path: Path) -> None:
    db = ("--db", str(db_path))
    # 20:00 at +04:00 is 16:00 UTC: only story 1 was seen after it (at 16:45).
    code, output, _ = invoke("stories", "--json", "--since", "2026-03-03T20:00+04:00", *db)
    assert (code, [json.loads(line)["id"] for line in output.splitlines()]) == (0, [1])
    # After crawl 2 (ended 2026-03-02 12:00 UTC): story 1 only; one appearance (id 8).
    assert invoke("export", "csv", "stories", "--since", "2", *db)[1].splitlines()[1][:2] == "1,"
    code, output, _ = invoke("export", "csv", "appearances", "--since", "2", *db)
    assert (code, [line.split(",")[0] for line in output.splitlines()]) == (0, ["id", "8"])
