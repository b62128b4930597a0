"""A damaged, unreadable or full store: one clear line, a non-zero exit, the file untouched.

Unreadable files: the tests run as root, whom file permissions do not stop (and the venv's
Python lives under /root, so a child cannot drop to another user), so "unreadable" is a
directory or a FIFO in the database's place — a FIFO is the nasty one: opening it for reading
waits for a writer forever. A full disk is a real one when the tests may mount a small tmpfs
(root in most CI containers), and always a file-size limit (RLIMIT_FSIZE, the limit `ulimit
-f` sets), under which a write past the limit fails as it does on a full disk.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from newsmon.crawl.ingest import ingest
from newsmon.store import Store
from tests.conftest import ROOT, SEEDS
from tests.helpers import newsmon, run_limited

ITEM = {"url": "https://example.test/news/1", "title": "Caspian pipeline capacity doubled"}
# Commands that open the store: reading, writing, crawling, and what cron runs.
COMMANDS = {
    "appearances": ("appearances",),
    "new": ("new",),
    "ingest": ("ingest", "-"),
    "crawl": ("crawl", "--replay", str(SEEDS)),
    "run": ("run", "--replay", str(SEEDS)),
}
ERROR_LINE = r"Error: {path}: [^\n]+\n"


def items(count: int, prefix: str = "item") -> list[str]:
    """`count` JSON Lines headlines, distinct, with leads (so the store grows)."""
    return [
        json.dumps(
            {
                "url": f"https://example.test/news/{prefix}-{n}",
                "title": f"Headline {n} of {prefix} about the Caspian region",
                "lead": "Lead text of the article. " * 20,
                "context": "feed",
            }
        )
        for n in range(count)
    ]


@pytest.fixture(scope="module")
def real_store(tmp_path_factory) -> Path:
    """A store of a few hundred articles: many pages, so cutting it loses some."""
    path = tmp_path_factory.mktemp("real") / "real.db"
    with Store.open(path) as store:
        ingest(store, items(300))
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damaged(kind: str, directory: Path, real_store: Path) -> Path:
    """A database path damaged in the way `kind` says."""
    path = directory / f"{kind}.db"
    if kind == "garbage":
        path.write_bytes(bytes(range(256)) * 64)
    elif kind == "truncated":
        data = real_store.read_bytes()
        path.write_bytes(data[: len(data) * 2 // 5])
    elif kind == "text-file":
        path.write_text("these are my notes, not a database\n", encoding="utf-8")
    elif kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "foreign":
        with closing(sqlite3.connect(path)) as connection:
            connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
            connection.commit()
    return path


# Every command meets garbage, a FIFO and another application's database; the other damages
# meet a reader and a writer.
CASES = [
    (kind, command) for kind in ("garbage", "fifo", "foreign") for command in sorted(COMMANDS)
] + [
    (kind, command)
    for kind in ("truncated", "text-file", "directory")
    for command in ("appearances", "crawl")
]


@pytest.mark.parametrize(("kind", "command"), CASES)
def test_a_damaged_or_unreadable_store_is_refused_and_left_as_it_was(
    tmp_path, real_store, kind, command
):
    path = damaged(kind, tmp_path, real_store)
    before = digest(path) if path.is_file() else None
    result = newsmon(
        *COMMANDS[command], "--db", str(path), stdin=json.dumps(ITEM) + "\n", timeout=60
    )
    assert result.returncode == 1, result.stderr
    assert re.fullmatch(ERROR_LINE.format(path=re.escape(str(path))), result.stderr)
    assert result.stdout == ""
    if before is not None:
        assert digest(path) == before
    # Nothing made next to it either (no -wal or -journal, no lock or log of `run`).
    assert [entry.name for entry in tmp_path.iterdir()] == [path.name]


def test_the_messages_say_what_is_wrong(tmp_path, real_store):
    reasons = {}
    for kind in ("garbage", "truncated", "directory", "fifo"):
        path = damaged(kind, tmp_path, real_store)
        result = newsmon("appearances", "--db", str(path), timeout=60)
        reasons[kind] = result.stderr.split(": ", 2)[2].strip()
    assert reasons == {
        "garbage": "not a SQLite database (refusing to touch it)",
        "truncated": "cannot use the database: database disk image is malformed",
        "directory": "is a directory, not a database file",
        "fifo": "not a regular file (a FIFO, socket or device)",
    }


def store_state(path: Path) -> tuple[str, int]:
    """The integrity check's verdict and the number of appearances."""
    with closing(sqlite3.connect(path)) as conn:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        appearances = conn.execute("SELECT count(*) FROM appearances").fetchone()[0]
    return verdict, appearances


# SQLite reports a write past the limit as "database or disk is full" when the write is cut
# short, as "disk I/O error" when it starts at the limit: newsmon says the same either way.
FULL = "Error: {path}: cannot write: database or disk is full (file-size limit of {limit} bytes reached)\n"


@pytest.mark.parametrize("command", ["ingest", "crawl", "run"])
def test_a_full_disk_stops_the_command_with_one_line_and_keeps_what_was_stored(tmp_path, command):
    path = tmp_path / "full.db"
    with Store.open(path) as store:
        ingest(store, items(20, "before"))
    _, stored_before = store_state(path)
    limit = path.stat().st_size + 16 * 1024
    args = {
        "ingest": ["ingest", "-"],
        "crawl": ["crawl", "--replay", str(SEEDS), "--log", str(tmp_path / "crawl.log")],
        "run": ["run", "--replay", str(SEEDS)],
    }[command]
    extra = ["-s", "NEWSMON_STORE_BATCH=1"] if command != "ingest" else []
    result = run_limited([*args, *extra, "--db", str(path)], limit, "\n".join(items(500)))
    assert result.returncode == 1, result.stderr
    assert result.stderr == FULL.format(path=path, limit=limit)
    verdict, stored_after = store_state(path)
    assert verdict == "ok"
    assert stored_after >= stored_before
    assert "Traceback" not in result.stderr


@pytest.fixture
def small_disk(tmp_path, real_store) -> Iterator[Path]:
    """A tmpfs 64 KB larger than the real store: a real full disk once the store is copied
    there (skipped where the tests may not mount one)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    size = real_store.stat().st_size // 1024 + 64
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_a_really_full_disk_fails_the_crawl_in_one_line(small_disk, real_store, tmp_path):
    path = small_disk / "newsmon.db"
    shutil.copy(real_store, path)
    _, stored_before = store_state(path)
    log = tmp_path / "crawl.log"
    result = newsmon(
        "crawl", "--replay", str(SEEDS), "--db", str(path), "--log", str(log),
        "-s", "NEWSMON_STORE_BATCH=1",
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == f"Error: {path}: cannot write: database or disk is full\n"
    assert "the crawl stops" in log.read_text(encoding="utf-8")
    assert "Traceback" not in log.read_text(encoding="utf-8")
    verdict, stored_after = store_state(path)
    assert verdict == "ok"
    assert stored_after >= stored_before


def crawl_statuses(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [row[0] for row in conn.execute("SELECT status FROM crawls ORDER BY id")]


@pytest.mark.parametrize("command", ["crawl", "run"])
def test_a_log_that_cannot_grow_fails_the_crawl_in_one_line(tmp_path, command):
    """The log is at the file-size limit (as on a full disk), the store far below it."""
    path, log = tmp_path / "newsmon.db", tmp_path / "newsmon.log"
    log.write_text("an earlier run's line\n" * 400_000, encoding="utf-8")  # 8.8 MB
    size = log.stat().st_size
    watches = ("watch", "import", str(ROOT / "watches.example.toml"))
    assert newsmon(*watches, "--db", str(path)).returncode == 0
    args = [command, "--replay", str(SEEDS), "--db", str(path), "--log", str(log)]
    # A crawl logs at INFO with -v (at WARNING, a replay of the seeds has nothing to say); a
    # run logs its start at INFO, and its log is never rotated here.
    args += ["-v"] if command == "crawl" else ["-s", "NEWSMON_LOG_MAX_BYTES=0"]
    result = run_limited(args, size)
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: {log}: cannot write the log: File too large\n",
    )
    assert log.stat().st_size == size
    assert crawl_statuses(path) == ["failed"]
    later = newsmon(*args)
    assert (later.returncode, later.stderr) == (0, "")
    assert crawl_statuses(path) == ["failed", "ok"]
    assert "ended without releasing" not in log.read_text(encoding="utf-8")
    if command == "run":  # what the failed run could not tell, the good one does
        clean = tmp_path / "clean.db"
        assert newsmon(*watches, "--db", str(clean)).returncode == 0
        told = newsmon("run", "--replay", str(SEEDS), "--db", str(clean)).stdout
        assert later.stdout == told != ""
    assert store_state(path)[0] == "ok"


@pytest.fixture
def full_disk(tmp_path) -> Iterator[Path]:
    """A tmpfs with no room left (skipped where the tests may not mount one)."""
    mount_point = tmp_path / "full"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        with (mount_point / "filler").open("wb") as filler, contextlib.suppress(OSError):
            filler.write(b"\0" * 128 * 1024)
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_a_log_on_a_really_full_disk_fails_the_crawl_in_one_line(full_disk, tmp_path):
    path, log = tmp_path / "newsmon.db", full_disk / "crawl.log"
    args = ["crawl", "--replay", str(SEEDS), "--db", str(path), "--log", str(log), "-v"]
    result = newsmon(*args)
    assert (result.returncode, result.stderr) == (
        1,
        f"Error: {log}: cannot write the log: No space left on device\n",
    )
    assert crawl_statuses(path) == ["failed"]
    assert store_state(path)[0] == "ok"
