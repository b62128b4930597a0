"""One run at a time: an exclusive `flock` on a file next to the database.

The operating system releases a `flock` when its process ends, however it ends, so a lock file
left behind by a killed run never blocks the next one; the holder's pid and start time written
into the file are only there to explain who holds it (and, after a crash, who held it last).
"""

from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from newsmon.clock import now_iso


class LockError(Exception):
    """The lock file cannot be opened or written; the message names it."""


class LockHeld(LockError):
    """Another process holds the lock."""

    def __init__(self, path: Path, holder: dict[str, Any]) -> None:
        self.path = path
        self.holder = holder
        pid = holder.get("pid", "unknown")
        since = holder.get("since", "unknown time")
        super().__init__(f"another newsmon run (pid {pid}, since {since}) holds {path}")


@dataclass
class RunLock:
    """A held lock; `previous` is what a holder that never released it left in the file."""

    path: Path
    fd: int
    previous: dict[str, Any]

    def note(self, **values: Any) -> None:
        """Add values (e.g. the crawl id) to what the lock file says about this run."""
        self._write({**self.holder(), **values})

    def holder(self) -> dict[str, Any]:
        """What the lock file says about this run."""
        return _read(self.fd)

    def release(self) -> None:
        """Empty the file (a clean end) and let the next run take the lock."""
        if self.fd < 0:
            return
        try:
            os.ftruncate(self.fd, 0)
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> RunLock:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()

    def _write(self, values: dict[str, Any]) -> None:
        data = (json.dumps(values, sort_keys=True) + "\n").encode()
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, data, 0)
        os.fsync(self.fd)


def lock_path(db_path: str | os.PathLike[str]) -> Path:
    """The lock file of a database: `<db>.lock`, as an absolute path."""
    return Path(os.path.abspath(db_path) + ".lock")


def acquire(path: str | os.PathLike[str]) -> RunLock:
    """Take the lock at `path` now, or raise LockHeld naming its holder (never waits)."""
    location = Path(path)
    try:
        fd = os.open(location, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise LockError(f"{location}: cannot open the lock file: {error.strerror}") from error
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _read(fd)
        os.close(fd)
        raise LockHeld(location, holder) from None
    except OSError as error:
        os.close(fd)
        raise LockError(f"{location}: cannot lock: {error.strerror}") from error
    lock = RunLock(location, fd, _read(fd))
    lock._write({"pid": os.getpid(), "since": now_iso()})
    return lock


def _read(fd: int) -> dict[str, Any]:
    """The holder's description; empty when the file is empty or unreadable."""
    size = os.fstat(fd).st_size
    try:
        data = json.loads(os.pread(fd, size, 0) or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
