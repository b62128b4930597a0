"""What the benchmarks share: the machine's description, result files and measured children.

Every benchmark writes `benchmarks/results/<name>-<YYYYMMDD>.json` (the figures) and `.md`
(a short report for people) with `write_results`; both start from `report_header`, which
names the machine, the Python, Scrapy and SQLite versions and the date.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
BASE_PACKAGES = ("scrapy", "parsel", "lxml", "sqlite-utils")


def cpu_model() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux), else what `platform` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }


def versions(*packages: str) -> dict[str, str]:
    """SQLite's version and each installed package's (Scrapy and friends first)."""
    found = {"sqlite": sqlite3.sqlite_version}
    for name in dict.fromkeys([*BASE_PACKAGES, *packages]):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def report_header(*packages: str) -> dict[str, Any]:
    """The first keys of every report: date (UTC), machine and versions."""
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(*packages),
    }


def machine_line(report: Mapping[str, Any]) -> str:
    """One Markdown line naming the machine and versions of a report."""
    host = report["machine"]
    model = host.get("cpu_model") or host.get("processor")
    names = {"sqlite": "SQLite", "scrapy": "Scrapy"}
    numbers = ", ".join(
        f"{names.get(name, name)} {number}" for name, number in report.get("versions", {}).items()
    )
    line = (
        f"Machine: {host['platform']}, {model}, {host['cpu_count']} CPUs, Python {host['python']}"
    )
    return f"{line}; {numbers}." if numbers else f"{line}."


def write_results(
    name: str, report: Mapping[str, Any], markdown: str, out: Path = RESULTS, tag: str = ""
) -> Path:
    """Write `<out>/<name>-<YYYYMMDD>.json` and `.md` (dated by the report; `-<tag>` after the
    date when given, for a second run of a day); returns the stem."""
    day = str(report["date"])[:10].replace("-", "")
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{name}-{day}{f'-{tag}' if tag else ''}"
    stem.with_suffix(".json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    stem.with_suffix(".md").write_text(markdown, encoding="utf-8")
    return stem


@dataclass
class Measured:
    """One finished child process: its exit code, output and what it cost."""

    returncode: int
    stdout: str
    stderr: str
    wall_s: float
    cpu_s: float
    peak_rss_mib: float
    rss_samples: list[tuple[float, float]] = field(default_factory=list)  # (s, MiB)

    def rss_at(self, share: float) -> float | None:
        """The RSS (MiB) sampled last before `share` (0..1) of the run's wall time."""
        earlier = [mib for at, mib in self.rss_samples if at <= share * self.wall_s]
        return earlier[-1] if earlier else None

    def check(self, what: str) -> Measured:
        """Self, or RuntimeError with the end of stderr when the child failed."""
        if self.returncode != 0:
            tail = "\n".join(self.stderr.strip().splitlines()[-15:])
            raise RuntimeError(f"{what} failed (exit {self.returncode}):\n{tail}")
        return self


def run_measured(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    sample_every: float = 1.0,
) -> Measured:
    """Run `command` to its end and measure it: wall time and CPU time of that one child and
    the processes it waited for (from `wait4`, so earlier children do not count), and the RSS
    of it and its child processes together every `sample_every` seconds (Linux; newsmon's store
    writer is a process of its own). Peak RSS is the larger of the highest sum sampled and the
    largest single process (`wait4`). Output is captured in files, so a chatty child never
    blocks on a full pipe."""
    with (
        open(os.devnull, "rb") as stdin,
        _TempText() as stdout,
        _TempText() as stderr,
    ):
        started = time.perf_counter()
        child = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=stdin,
            stdout=stdout.handle,
            stderr=stderr.handle,
        )
        samples: list[tuple[float, float]] = []
        sampler = threading.Thread(
            target=_sample_rss, args=(child, started, sample_every, samples), daemon=True
        )
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        return Measured(
            returncode=child.returncode,
            stdout=stdout.read(),
            stderr=stderr.read(),
            wall_s=wall,
            cpu_s=usage.ru_utime + usage.ru_stime,
            peak_rss_mib=max([usage.ru_maxrss / 1024, *(mib for _, mib in samples)]),  # KiB
            rss_samples=samples,
        )


def _sample_rss(
    child: subprocess.Popen[bytes], started: float, every: float, samples: list[tuple[float, float]]
) -> None:
    """Append (seconds since start, RSS MiB of `child` and its descendants) until it ends."""
    status = Path(f"/proc/{child.pid}/status")
    while True:
        try:
            text = status.read_text(encoding="ascii", errors="replace")
        except OSError:
            return
        if "State:\tZ" in text:  # ended, not yet reaped
            return
        kib = _rss_kib(text) + sum(_tree_rss_kib(pid) for pid in _children(child.pid))
        samples.append((time.perf_counter() - started, kib / 1024))
        time.sleep(every)


def _rss_kib(status: str) -> int:
    """VmRSS (KiB) from the text of /proc/PID/status (0 for a process without memory)."""
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    """The child processes of `pid` (from every thread's /proc children list)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.extend(int(word) for word in (task / "children").read_text().split())
        except OSError:
            continue
    return found


def _tree_rss_kib(pid: int) -> int:
    """The RSS (KiB) of `pid` and its descendants (0 for one that ended meanwhile)."""
    try:
        own = _rss_kib(Path(f"/proc/{pid}/status").read_text(encoding="ascii", errors="replace"))
    except OSError:
        return 0
    return own + sum(_tree_rss_kib(child) for child in _children(pid))


class _TempText:
    """An anonymous temporary file a child writes to, read back as text."""

    def __enter__(self) -> _TempText:
        import tempfile

        self.handle = tempfile.TemporaryFile()
        return self

    def read(self) -> str:
        self.handle.seek(0)
        return self.handle.read().decode("utf-8", "replace")

    def __exit__(self, *exc_info: object) -> None:
        self.handle.close()
