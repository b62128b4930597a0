"""One clock: every "now" newsmon stores comes from `newsmon.clock`, which a test sets in-process
(`use_clock`) or for a whole command and the processes it starts (`NEWSMON_NOW`)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsmon import clock
from newsmon.clock import ManualClock, RunningClock, use_clock
from newsmon.settings_table import SettingError
from newsmon.store.background import BackgroundWriter
from newsmon.watch.watches import add_watch
from tests.conftest import SEEDS
from tests.fixture_server import serving
from tests.helpers import FAST, ROOT, newsmon
from tests.test_store_background import shown
from tests.test_store_writer import open_store

NOW = "2026-03-05T08:00:00+00:00"
LATER = "2026-03-05T09:30:00+00:00"
WATCH = "{azerbaijan*|azərbaycan*|азербайджан*} AND {turkey|türkiye*|турци*}"


@pytest.fixture(autouse=True)
def no_clock_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSMON_NOW", raising=False)


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_the_system_clock_is_the_default() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    moment = clock.now()
    assert moment.tzinfo is not None and moment.utcoffset() == timedelta(0)
    assert before <= moment <= datetime.now(UTC)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", clock.now_iso())


def test_a_manual_clock_stands_still_until_advanced_and_is_restored_after_its_block() -> None:
    with use_clock(ManualClock("2026-03-05T12:00:00+04:00")) as manual:
        assert clock.now_iso() == NOW
        time.sleep(0.01)
        assert clock.now() == datetime(2026, 3, 5, 8, tzinfo=UTC)
        assert isinstance(manual, ManualClock)
        manual.advance(timedelta(minutes=90))
        assert clock.now_iso() == LATER
        manual.advance(30)
        assert clock.now_iso() == "2026-03-05T09:30:30+00:00"
    assert clock.current() is clock.SYSTEM
    clock.set_clock(ManualClock(LATER))  # until further notice, e.g. for a whole benchmark
    try:
        assert clock.now_iso() == LATER
    finally:
        clock.set_clock(None)
    assert clock.current() is clock.SYSTEM
    with pytest.raises(ValueError, match="no time zone"):
        ManualClock("2026-03-05T08:00:00")


def test_two_store_writes_take_the_two_times_of_an_advanced_clock(tmp_path: Path) -> None:
    with use_clock(ManualClock(NOW)) as manual, open_store(tmp_path / "n.db") as store:
        assert isinstance(manual, ManualClock)
        crawl_id = store.start_crawl("live", ["report_az"])
        manual.advance(timedelta(minutes=90))
        store.finish_crawl(crawl_id, "finished", {})
    assert rows(tmp_path / "n.db", "SELECT started_at, finished_at FROM crawls") == [(NOW, LATER)]
    assert rows(tmp_path / "n.db", "SELECT added_at FROM sources") == [(NOW,)]


def test_the_store_writer_process_takes_the_clock_set_in_the_crawls_process(
    tmp_path: Path,
) -> None:
    path = tmp_path / "n.db"
    with use_clock(ManualClock(NOW)), open_store(path) as store:
        crawl_id = store.start_crawl("live", ["report_az"])
        add_watch(store, "drills", "military drills")
        writer = BackgroundWriter(store.path, crawl_id, batch_size=10)
        try:
            writer.write(shown(1))
            writer.flush()
        finally:
            writer.close()
    # The event is written in the writer's process, at the time of the crawl's clock.
    assert rows(path, "SELECT watch, created_at FROM events") == [("drills", NOW)]


def test_newsmon_now_sets_the_clock_standing_or_running(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSMON_NOW", "2026-03-05T08:00:00Z")
    assert clock.now_iso() == NOW
    assert clock.current() is clock.current()  # read once while the variable stays the same
    monkeypatch.setenv("NEWSMON_NOW", "2026-03-05T10:00:00+02:00 running")
    running = clock.current()
    assert isinstance(running, RunningClock)
    first = clock.now()
    assert datetime(2026, 3, 5, 8, tzinfo=UTC) <= first < datetime(2026, 3, 5, 8, 1, tzinfo=UTC)
    time.sleep(0.05)
    assert clock.now() - first >= timedelta(seconds=0.05)
    with use_clock(ManualClock(LATER)):  # a clock set in the process wins
        assert clock.now_iso() == LATER


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("yesterday", "'yesterday' is not an ISO 8601 time"),
        ("2026-03-05T08:00:00", "has no offset"),
        ("2026-03-05T08:00:00Z walking", "'walking' is not `running`"),
    ],
)
def test_a_newsmon_now_that_is_no_time_is_named(
    monkeypatch: pytest.MonkeyPatch, value: str, reason: str
) -> None:
    monkeypatch.setenv("NEWSMON_NOW", value)
    with pytest.raises(
        SettingError, match=re.escape(f"environment variable NEWSMON_NOW={value!r}")
    ):
        clock.now()
    with pytest.raises(SettingError, match=re.escape(reason)):
        clock.now()


def test_processes_newsmon_starts_inherit_the_clock_set_here() -> None:
    program = "from newsmon import clock; print(clock.now_iso())"

    def child_now() -> str:
        return subprocess.run(
            [sys.executable, "-c", program],
            env=clock.child_environment(),
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout.strip()

    assert "NEWSMON_NOW" not in clock.child_environment()
    with use_clock(ManualClock(NOW)):
        assert child_now() == NOW
    with use_clock(RunningClock(NOW)):
        assert clock.child_environment()["NEWSMON_NOW"].endswith(" running")
        assert NOW <= child_now() < "2026-03-05T08:01:00+00:00"


def test_a_bad_newsmon_now_stops_a_command_in_one_line(tmp_path: Path) -> None:
    result = newsmon(
        "crawl", "--replay", "seeds", "--db", str(tmp_path / "n.db"), env={"NEWSMON_NOW": "soon"}
    )
    assert result.returncode != 0
    assert "NEWSMON_NOW='soon'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_replay_crawl_under_newsmon_now_is_stored_at_that_time(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    env = {"NEWSMON_NOW": NOW}
    assert newsmon("watch", "add", "az-tr", WATCH, "--db", str(db), env=env).returncode == 0
    result = newsmon("crawl", "--replay", "seeds", "--db", str(db), env=env)
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT started_at, finished_at FROM crawls") == [(NOW, NOW)]
    assert rows(db, "SELECT DISTINCT added_at FROM sources") == [(NOW,)]
    assert rows(db, "SELECT created_at, updated_at FROM watches") == [(NOW, NOW)]
    # Replay replays the recorded fetches: what was seen is seen at the fixtures' fetch times.
    recorded = {"2025-07-17T12:00:00+00:00", "2026-03-03T10:45:00+00:00"}
    seen = rows(
        db, "SELECT DISTINCT first_seen FROM appearances UNION SELECT last_seen FROM appearances"
    )
    assert {moment for (moment,) in seen} <= recorded
    events = rows(db, "SELECT DISTINCT created_at FROM events")
    assert events == [(NOW,)]
    new = newsmon("new", "--json", "--db", str(db), env=env)
    assert new.returncode == 0, new.stderr
    assert new.stdout.strip()


def test_a_live_run_under_newsmon_now_records_and_reports_that_time(tmp_path: Path) -> None:
    fixtures = tmp_path / "seeds"
    shutil.copytree(SEEDS, fixtures)
    db = tmp_path / "n.db"
    assert newsmon("watch", "add", "az-tr", WATCH, "--db", str(db)).returncode == 0
    with serving(fixtures) as server:
        env = {
            "NEWSMON_RESOLVE": server.resolve_env("report.az", "ccbsnews.info"),
            "NEWSMON_NOW": NOW,
        }
        result = newsmon("run", "--db", str(db), *FAST, env=env)
    assert result.returncode == 0, result.stderr
    assert rows(db, "SELECT started_at, finished_at FROM crawls") == [(NOW, NOW)]
    # Every page was fetched at the clock's time: so was everything seen on it.
    assert rows(db, "SELECT DISTINCT first_seen, last_seen FROM appearances") == [(NOW, NOW)]
    assert rows(db, "SELECT DISTINCT fetched_at FROM articles WHERE fetched_at IS NOT NULL") == [
        (NOW,)
    ]
    assert rows(db, "SELECT DISTINCT created_at FROM events") == [(NOW,)]
    printed = result.stdout.splitlines()
    # What a page leaves undated (ccbsnews' article, the alternates) is dated by the clock.
    undated = [line for line in printed if "ccbsnews" in line or "(alternate)" in line]
    assert len(undated) == 3
    assert all(line.split(" ", 2)[1] == NOW for line in undated)
    assert all(line.split(" ", 2)[1] <= NOW for line in printed)
    # `new` since just before shows what the run reported, and health dates it there.
    new = newsmon(
        "new", "--since", "2026-03-05T07:59:59Z", "--db", str(db), env={"NEWSMON_NOW": LATER}
    )
    assert (new.returncode, new.stdout.splitlines()) == (0, printed)
    health = newsmon("health", "--db", str(db), "--json", env={"NEWSMON_NOW": LATER})
    assert health.returncode == 0, health.stderr
    assert NOW in health.stdout and LATER not in health.stdout


PACKAGE = ROOT / "newsmon"
# Python's clocks, and SQLite's (`CURRENT_TIMESTAMP`, `datetime('now')`).
DIRECT_NOW = re.compile(
    r"\b(?:datetime\.(?:now|utcnow|today)|date\.today)\("
    r"|\btime\.(?:time|time_ns|gmtime|localtime|ctime)\(\)|\bformatdate\(\)"
    r"|\bCURRENT_(?:TIMESTAMP|DATE|TIME)\b|\w\([^)]*'now'"
)


def test_no_module_but_the_clock_reads_the_time_directly() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "clock.py"
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if DIRECT_NOW.search(line)
    ]
    assert found == []
    assert DIRECT_NOW.search((PACKAGE / "clock.py").read_text("utf-8"))  # the rule still bites
    reads = ["datetime.now(UTC)", "datetime.utcnow()", "date.today()", "time.time()"]
    reads += ["SELECT datetime('now')", "DEFAULT CURRENT_TIMESTAMP", "formatdate()"]
    others = ["time.monotonic()", "parse_iso(now)", '"now" not in text.lower()']
    assert [bool(DIRECT_NOW.search(text)) for text in reads + others] == [True] * 7 + [False] * 3
