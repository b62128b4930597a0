"""Helpers of the unattended-run tests: runs in the background, stalling answers, row counts."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.fixture_server import FixtureServer
from tests.helpers import ROOT

STORED_TABLES = ("articles", "article_urls", "headlines", "appearances", "stories", "events")


def start_newsmon(*args: str, env: dict[str, str], cwd: Path = ROOT) -> subprocess.Popen[str]:
    """Start `newsmon ARGS` in a child process (environment as `tests.helpers.newsmon`)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NEWSMON_")}
    return subprocess.Popen(
        [sys.executable, "-m", "newsmon", *args],
        env={**environment, **env},
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stall(
    seconds: float, release: threading.Event | None = None
) -> Callable[[BaseHTTPRequestHandler], None]:
    """A server override that answers nothing for `seconds` (or until `release` is set),
    then an empty 503."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        (release or threading.Event()).wait(seconds)
        with contextlib.suppress(OSError):  # the client may be gone
            handler._send(503, {}, b"")  # type: ignore[attr-defined]

    return answer


def wait_for_request(server: FixtureServer, url: str, timeout: float = 30) -> None:
    """Wait until the server has seen a request for `url`."""
    deadline = time.monotonic() + timeout
    while server.requests[url] == 0:
        assert time.monotonic() < deadline, f"no request for {url}"
        time.sleep(0.05)


def row_counts(db: Path) -> dict[str, int]:
    """How many rows the store's data tables hold."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in STORED_TABLES
        }


def integrity(db: Path) -> str:
    """SQLite's verdict on the file."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
