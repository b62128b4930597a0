"""The simulated web's time: one clock the test moves, read by the model and the server."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class SimClock:
    """A clock that only moves when told to (`advance`, `set`); safe to read from threads."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("SimClock needs an aware datetime (e.g. tzinfo=UTC)")
        self.start = start.astimezone(UTC)
        self._now = self.start
        self._lock = threading.Lock()

    @property
    def now(self) -> datetime:
        """The simulated time (UTC)."""
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        """Move forward by `delta` (never backwards) and return the new time."""
        if delta < timedelta(0):
            raise ValueError(f"the clock does not go backwards ({delta})")
        with self._lock:
            self._now += delta
            return self._now

    def set(self, moment: datetime) -> datetime:
        """Move forward to `moment` (never backwards) and return it."""
        return self.advance(moment.astimezone(UTC) - self.now)

    @property
    def elapsed(self) -> timedelta:
        """Time since the clock's start."""
        return self.now - self.start
