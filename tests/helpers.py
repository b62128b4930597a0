"""Running newsmon as users do: the real command in a child process (and the benchmark
scripts as they run)."""

from __future__ import annotations

import importlib
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"

# Politeness delays make sense against real sites, not against a test server on 127.0.0.1.
# Story matching by meaning, off in the test session but where a test turns it on.
MEANING = "NEWSMON_STORY_MEANING"
FAST = ("-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0")

# Any attempt to open a network connection or resolve a name fails and is written to the file
# named by NEWSMON_TEST_NET_LOG, so a test can prove that nothing tried to reach the network.
NO_NETWORK = """
import os, socket
_log = os.environ["NEWSMON_TEST_NET_LOG"]
def _refuse(kind):
    def refuse(*args, **kwargs):
        with open(_log, "a") as handle:
            handle.write(f"{kind} {args[1:] if kind != 'getaddrinfo' else args[:2]}\\n")
        raise OSError(f"network disabled by the test ({kind})")
    return refuse
socket.socket.connect = _refuse("connect")
socket.socket.connect_ex = _refuse("connect_ex")
socket.getaddrinfo = _refuse("getaddrinfo")
from newsmon.cli import main
main()
"""


def child_environment() -> dict[str, str]:
    """This process's environment without its NEWSMON_ variables, but for the session's
    `NEWSMON_STORY_MEANING` (`tests/conftest.py`)."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("NEWSMON_") or key == MEANING
    }


def newsmon(
    *args: str,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    offline_log: Path | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run `newsmon ARGS` in a child process and return its result (text)."""
    environment = {**child_environment(), **(env or {})}
    if offline_log is not None:
        environment["NEWSMON_TEST_NET_LOG"] = str(offline_log)
        command = [sys.executable, "-c", NO_NETWORK, *args]
    else:
        command = [sys.executable, "-m", "newsmon", *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        input=stdin,
        timeout=timeout,
        check=False,
    )


def limited_file_size(limit: int) -> Callable[[], None]:
    """In the child: files cannot grow past `limit` bytes (writes fail, as on a full disk)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def run_limited(args: list[str], limit: int, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run `newsmon ARGS` in a child process whose files cannot grow past `limit` bytes."""
    return subprocess.run(
        [sys.executable, "-m", "newsmon", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=child_environment(),
        preexec_fn=limited_file_size(limit),
        timeout=120,
        check=False,
    )


def import_script(name: str) -> ModuleType:
    """A module of benchmarks/, imported as its scripts run (their folder on sys.path)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(BENCHMARKS))
