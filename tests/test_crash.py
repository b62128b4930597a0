"""Crash consistency: `newsmon run` killed with SIGKILL at many points of a crawl loses nothing.

A slow stand-in server makes each run's crawl last a few seconds; runs are killed one after
the other, each a little later into its crawl, every item written in its own transaction so
that kills land between and inside writes. The killed runs use `--refresh`, so that each of
them crawls everything again (instead of skipping what an earlier one stored) and the kills
spread over the whole crawl; the last run is an ordinary one. After every kill the store must
be sound (integrity, foreign keys, unique appearances, nothing half-written) and the lock must
pass to the next run. Everything the runs reported, together, must be what a single clean run
reports: each related appearance once (a run killed after printing but before recording that
it printed may print again — the only repeat allowed, and only for what that run printed).
"""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from newsmon.ops.lock import LockHeld, acquire, lock_path
from tests.conftest import SEEDS
from tests.helpers import FAST, ROOT, child_environment, newsmon
from tests.hostile.slow_server import SlowServer

# Every answer of the stand-in server waits this long: a run's crawl lasts a few seconds.
ANSWER_DELAY = 0.2
# Runs are killed at SPREAD even steps through a run (its first request to the release of its
# lock, as timed on the clean run), then at the steps between, until at least KILLS of them were
# killed while holding the lock (on a loaded machine a run may end before its kill).
SPREAD = 24
KILLS = 20
KILL_POINTS = [(step + 0.5) / SPREAD for step in range(SPREAD)] + [
    step / SPREAD for step in range(1, SPREAD)
]
# On a machine loaded more than during the clean run, runs crawl slower than it did and every
# kill above may land before the first write: later points follow until kills have left the
# store at several sizes (`test_runs_are_killed_all_through_the_crawl`).
LATE_KILL_POINTS = (1.25, 1.5, 2.0, 3.0, 4.0)
STORE_SIZES = 3
WATCHES = {
    "defense": "defense AND {azerbaijan*|türkiye|turkey}",
    "iran": "iran*",
    "caucasus": "{caucasus|armenia*|aliyev|pashinyan}",
}
# Runs follow one another within seconds: each reads every page, due or not.
RUN_SETTINGS = (
    *FAST,
    *("-s", "NEWSMON_STORE_BATCH=1", "-s", "NEWSMON_RETRY_BACKOFF=0.1"),
    *("-s", "NEWSMON_DUE_ONLY=0"),
)
EVENT_LINE = re.compile(r"^\[(?P<watch>[^\]]+)\] (?P<when>\S+) (?P<rest>.+)$")
# A headline's line names the places it was seen in: `report_az (feed, listing) [en]: …`.
PLACES = re.compile(r"^(?P<source>\S+) \((?P<places>[a-z, ]+)\)(?P<tail>.*)$")


@dataclass
class Run:
    """One `newsmon run`: killed or finished, and what it printed."""

    pid: int
    killed: bool  # killed while it held the lock (a kill after it let go tests nothing)
    returncode: int
    stdout: str
    stderr: str


@dataclass
class History:
    """The killed runs, the final run, the clean run and what was checked between them."""

    runs: list[Run] = field(default_factory=list)
    appearances_after_kill: list[int] = field(default_factory=list)
    final: Run | None = None
    clean: Run | None = None
    problems: list[str] = field(default_factory=list)
    db: Path = Path()
    log: str = ""


def add_watches(db: Path) -> None:
    for name, query in WATCHES.items():
        result = newsmon("watch", "add", name, query, "--db", str(db))
        assert result.returncode == 0, result.stderr


def start_run(db: Path, server: SlowServer, *options: str) -> subprocess.Popen[str]:
    environment = child_environment()
    environment["NEWSMON_RESOLVE"] = server.resolve_env("report.az", "ccbsnews.info")
    return subprocess.Popen(
        [sys.executable, "-m", "newsmon", "run", "--db", str(db), *options, *RUN_SETTINGS],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        cwd=ROOT,
    )


def run_to_the_end(db: Path, server: SlowServer) -> tuple[Run, float]:
    """A run left to finish, and how long it held its lock from its first request."""
    server.first_request.clear()
    process = start_run(db, server)
    assert server.first_request.wait(timeout=60), "the run never reached the server"
    started = time.monotonic()
    held = f'"pid": {process.pid}'
    while process.poll() is None and held in lock_path(db).read_text(encoding="utf-8"):
        time.sleep(0.01)
    holding = time.monotonic() - started
    stdout, stderr = process.communicate(timeout=120)
    return Run(process.pid, False, process.returncode, stdout, stderr), holding


def run_and_kill(db: Path, server: SlowServer, after: float) -> Run:
    """A run killed `after` seconds into its crawl (unless it finished before)."""
    server.first_request.clear()
    process = start_run(db, server, "--refresh")
    started = server.first_request.wait(timeout=60)
    assert started, "the run never reached the server"
    time.sleep(after)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=60)
    holder = lock_path(db).read_text(encoding="utf-8")  # rewritten only by the next run
    killed = process.returncode == -signal.SIGKILL and f'"pid": {process.pid}' in holder
    return Run(process.pid, killed, process.returncode, stdout, stderr)


def store_problems(db: Path) -> list[str]:
    """What is wrong with the store after a kill: nothing, when it is sound."""
    with closing(sqlite3.connect(db)) as conn:
        problems = [
            f"integrity: {row[0]}"
            for row in conn.execute("PRAGMA integrity_check")
            if row[0] != "ok"
        ]
        problems += [f"foreign key: {row}" for row in conn.execute("PRAGMA foreign_key_check")]
        checks = {
            "duplicated appearance": """SELECT headline_id, page_url, context FROM appearances
                 GROUP BY 1, 2, 3 HAVING count(*) > 1""",
            "appearance without headline": """SELECT ap.id FROM appearances ap
                 LEFT JOIN headlines h ON h.id = ap.headline_id WHERE h.id IS NULL""",
            "appearance without article": """SELECT ap.id FROM appearances ap
                 LEFT JOIN articles a ON a.id = ap.article_id WHERE a.id IS NULL""",
            "appearance of another article's headline": """SELECT ap.id FROM appearances ap
                 JOIN headlines h ON h.id = ap.headline_id WHERE h.article_id != ap.article_id""",
            "event without appearance": """SELECT e.id FROM events e
                 LEFT JOIN appearances ap ON ap.id = e.appearance_id
                 WHERE e.appearance_id IS NOT NULL AND ap.id IS NULL""",
            "article without story": """SELECT a.id FROM articles a
                 LEFT JOIN stories s ON s.id = a.story_id WHERE s.id IS NULL""",
        }
        for name, sql in checks.items():
            problems += [f"{name}: {row}" for row in conn.execute(sql).fetchall()]
    return problems


def count_appearances(db: Path) -> int:
    with closing(sqlite3.connect(db)) as conn:
        return int(conn.execute("SELECT count(*) FROM appearances").fetchone()[0])


def reported(lines: str) -> Counter[tuple[str, str]]:
    """The related appearances in a run's output, one per place a line names, without their
    times (which differ from store to store when a page gives no publication time)."""
    keys: Counter[tuple[str, str]] = Counter()
    for line in lines.splitlines():
        found = EVENT_LINE.match(line)
        if not found or found["watch"] not in WATCHES:
            continue
        places = PLACES.match(found["rest"])
        if places is None:  # a changed headline or a move
            keys[(found["watch"], found["rest"])] += 1
            continue
        for place in places["places"].split(", "):
            keys[(found["watch"], f"{places['source']} ({place}){places['tail']}")] += 1
    return keys


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> History:
    """The clean run (timed), then the killed runs and the final one on another store."""
    base = tmp_path_factory.mktemp("crash")
    result = History(db=base / "crashed.db")
    clean_db = base / "clean.db"
    add_watches(clean_db)
    add_watches(result.db)
    server = SlowServer(SEEDS, ANSWER_DELAY).start()
    try:
        result.clean, duration = run_to_the_end(clean_db, server)

        def kill_at(point: float) -> None:
            after = duration * point
            run = run_and_kill(result.db, server, after)
            result.runs.append(run)
            if run.returncode not in (0, -signal.SIGKILL):
                result.problems.append(f"run {run.pid} exited {run.returncode}: {run.stderr}")
            result.problems += [f"after {after:.2f} s: {p}" for p in store_problems(result.db)]
            if run.killed:
                result.appearances_after_kill.append(count_appearances(result.db))

        for number, point in enumerate(KILL_POINTS):
            if number >= SPREAD and len(result.appearances_after_kill) >= KILLS:
                break
            kill_at(point)
        for point in LATE_KILL_POINTS:
            if len(set(result.appearances_after_kill)) >= STORE_SIZES:
                break
            kill_at(point)
        result.final, _ = run_to_the_end(result.db, server)
    finally:
        server.stop()
    result.log = Path(f"{result.db}.log").read_text(encoding="utf-8")
    return result


@pytest.mark.slow
def test_runs_are_killed_all_through_the_crawl(history):
    kills = [run for run in history.runs if run.killed]
    assert len(kills) >= KILLS
    assert all(run.returncode == -signal.SIGKILL for run in kills)
    # Kills landed before, between and after the store's writes: the store grew from kill to
    # kill, in several steps, up to every appearance of the seeds.
    counts = history.appearances_after_kill
    assert counts == sorted(counts)
    assert len(set(counts)) >= STORE_SIZES, counts


@pytest.mark.slow
def test_the_store_is_sound_after_every_kill(history):
    assert history.problems == []
    assert store_problems(history.db) == []


@pytest.mark.slow
def test_each_next_run_takes_over_the_lock(history):
    kills = sum(run.killed for run in history.runs)
    assert history.log.count("ended without releasing") == kills
    assert "run not started" not in history.log
    assert history.final is not None and history.final.returncode == 0, history.final.stderr
    lock = acquire(lock_path(history.db))  # released: free for the next run
    lock.release()


@pytest.mark.slow
def test_no_crawl_is_left_running(history):
    with closing(sqlite3.connect(history.db)) as conn:
        statuses = Counter(status for (status,) in conn.execute("SELECT status FROM crawls"))
    assert statuses["running"] == 0
    assert set(statuses) <= {"ok", "interrupted", "failed"}
    assert statuses["interrupted"] >= 1


@pytest.mark.slow
def test_every_related_appearance_is_reported_exactly_once(history):
    assert history.clean is not None and history.clean.returncode == 0, history.clean.stderr
    assert history.final is not None
    expected = reported(history.clean.stdout)
    assert len(expected) >= 5  # the watches match several appearances of the seeds
    told = reported(history.final.stdout)
    printed_before_death: Counter[tuple[str, str]] = Counter()
    for run in history.runs:
        told += reported(run.stdout)
        if run.killed:
            printed_before_death += reported(run.stdout)
    assert set(told) == set(expected), "lost or invented related appearances"
    repeats = told - expected
    assert repeats <= printed_before_death, f"repeated without a kill to explain it: {repeats}"


def test_a_run_never_starts_while_another_holds_the_lock(tmp_path):
    db = tmp_path / "locked.db"
    with acquire(lock_path(db)):
        result = newsmon("run", "--db", str(db), "--replay", str(SEEDS))
    assert result.returncode == 75
    assert result.stdout == ""
    assert re.fullmatch(
        r"another newsmon run \(pid \d+, since \S+\) holds \S+\.lock\n", result.stderr
    )
    with pytest.raises(LockHeld), acquire(lock_path(db)), acquire(lock_path(db)):
        pass
