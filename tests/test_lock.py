"""One run at a time: the database's lock, held by a live run, free after a killed one."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from newsmon.ops.lock import LockError, LockHeld, acquire, lock_path
from tests.conftest import SEEDS
from tests.cron_helpers import integrity, stall, start_newsmon, wait_for_request
from tests.fixture_server import serving
from tests.helpers import FAST, ROOT, newsmon

STALLED = "https://ccbsnews.info/en/rss"


# The lock itself ---------------------------------------------------------------------------


def test_a_held_lock_names_its_holder(tmp_path):
    path = lock_path(tmp_path / "n.db")
    assert path == tmp_path / "n.db.lock"
    with acquire(path) as lock:
        holder = json.loads(path.read_text())
        assert holder["pid"] == os.getpid()
        with pytest.raises(LockHeld) as held:
            acquire(path)
        assert str(held.value) == (
            f"another newsmon run (pid {os.getpid()}, since {holder['since']}) holds {path}"
        )
        lock.note(crawl_id=7)
        assert json.loads(path.read_text()) == {**holder, "crawl_id": 7}
    assert path.read_text() == ""
    with acquire(path) as again:
        assert again.previous == {}


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path):
    path = tmp_path / "n.db.lock"
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from newsmon.ops.lock import acquire; "
            f"lock = acquire({str(path)!r}); print('locked', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
            with pytest.raises(LockHeld, match=rf"^another newsmon run \(pid {holder.pid}, since "):
                acquire(path)
        finally:
            holder.send_signal(signal.SIGKILL)
    with acquire(path) as lock:
        assert lock.previous["pid"] == holder.pid
        assert json.loads(path.read_text())["pid"] == os.getpid()


def test_a_lock_in_a_missing_directory_is_a_clear_error(tmp_path):
    path = tmp_path / "nowhere" / "n.db.lock"
    with pytest.raises(LockError, match=rf"^{path}: cannot open the lock file: No such file"):
        acquire(path)


# Runs ------------------------------------------------------------------------------------------


def test_a_second_run_exits_at_once_while_one_crawls(tmp_path):
    db = tmp_path / "n.db"
    release = threading.Event()
    with serving(SEEDS) as server:
        server.overrides[STALLED] = stall(60, release)
        env = {"NEWSMON_RESOLVE": server.resolve_env("report.az", "ccbsnews.info")}
        with start_newsmon(
            "run", "--db", str(db), *FAST, "-s", "RETRY_ENABLED=0", env=env
        ) as first:
            wait_for_request(server, STALLED)
            started = time.monotonic()
            second = newsmon("run", "--db", str(db), *FAST, env=env)
            took = time.monotonic() - started
            assert first.poll() is None, "the first run should still be crawling"
            release.set()
            _, err = first.communicate(timeout=60)
    assert second.returncode == 75
    assert second.stdout == ""
    assert re.fullmatch(
        rf"another newsmon run \(pid {first.pid}, since \S+\) holds {db}.lock\n", second.stderr
    ), second.stderr
    assert took < 30  # it did not wait for the first run's minute-long stall
    assert (first.returncode, err) == (0, "")
    log = Path(f"{db}.log").read_text()
    assert f"run not started: another newsmon run (pid {first.pid}" in log
    assert server.requests["https://report.az/en/rss/"] == 1  # the second run crawled nothing


def test_the_run_after_a_killed_one_takes_over_from_any_directory(tmp_path):
    db = tmp_path / "n.db"
    home = tmp_path / "home"
    home.mkdir()
    with serving(SEEDS) as server:
        server.overrides[STALLED] = stall(4)
        env = {"NEWSMON_RESOLVE": server.resolve_env("report.az", "ccbsnews.info")}
        with start_newsmon("run", "--db", str(db), *FAST, env=env) as killed:
            wait_for_request(server, STALLED)
            killed.send_signal(signal.SIGKILL)
            killed.communicate(timeout=30)
        assert json.loads(Path(f"{db}.lock").read_text())["pid"] == killed.pid
        del server.overrides[STALLED]
        # cron starts jobs in the home directory, far from the project's scrapy.cfg
        with start_newsmon("run", "--db", str(db), *FAST, env=env, cwd=home) as takeover:
            out, err = takeover.communicate(timeout=120)
    assert (takeover.returncode, out, err) == (0, "", "")
    log = Path(f"{db}.log").read_text()
    assert re.search(
        rf"WARNING: the previous run \(pid {killed.pid}, since \S+\) ended without releasing "
        rf"{db}.lock \(killed\?\); taking over\n.*WARNING: crawl 1 of that run is marked "
        "interrupted\n",
        log,
    ), log
    with sqlite3.connect(db) as conn:
        crawls = conn.execute("SELECT id, status FROM crawls ORDER BY id").fetchall()
        assert crawls == [(1, "interrupted"), (2, "ok")]
        stored = conn.execute("SELECT count(*) FROM appearances WHERE first_crawl_id = 2")
        assert stored.fetchone()[0] > 0
    assert integrity(db) == "ok"
    assert Path(f"{db}.lock").read_text() == ""
