"""newsmon's one clock: every "now" the product reads or stores comes from here.

`now()` is the current time (aware, UTC) and `now_iso()` the same as the store writes it
(`2026-03-05T08:00:00+00:00`). By default it is the system's clock. Two ways to set it:

- in a process, `with use_clock(ManualClock("2026-03-05T08:00:00+00:00")) as clock:` and
  `clock.advance(timedelta(minutes=5))` (a test, a benchmark driving simulated days);
- for a whole process and the processes newsmon starts, the environment variable
  `NEWSMON_NOW`: a zoned ISO 8601 time at which the clock stands still, or, followed by
  ` running`, from which it runs on with real time (`2026-03-05T08:00:00Z running`).

A process newsmon starts (the store writer) is given `child_environment()`, which carries the
clock set in this process as `NEWSMON_NOW`. Durations and deadlines are no "now": they are
measured with `time.monotonic()`, never with this clock.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Protocol

from newsmon.normalize.dates import utc_iso
from newsmon.settings_table import environment_value

NOW_ENV = "NEWSMON_NOW"
RUNNING = "running"


class Clock(Protocol):
    """Anything that tells the current time (aware)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The system's clock: real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that stands still at `start` until told to move (`advance`, `set`)."""

    def __init__(self, start: datetime | str) -> None:
        self._now = _moment(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, by: timedelta | float) -> datetime:
        """Move on by `by` (a timedelta, or seconds); the new time."""
        self._now += by if isinstance(by, timedelta) else timedelta(seconds=by)
        return self._now

    def set(self, moment: datetime | str) -> None:
        """Stand at `moment` from now on."""
        self._now = _moment(moment)

    def __repr__(self) -> str:
        return f"ManualClock({utc_iso(self._now)!r})"


FrozenClock = ManualClock


class RunningClock:
    """A clock that starts at `start` and runs on with real time (measured monotonically)."""

    def __init__(self, start: datetime | str) -> None:
        self.start = _moment(start)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._origin)

    def __repr__(self) -> str:
        return f"RunningClock({utc_iso(self.start)!r})"


SYSTEM = SystemClock()
# The clock set in this process by `use_clock`; None: the environment's (`NEWSMON_NOW`) or the
# system's.
_set: Clock | None = None
# The clock of the last `NEWSMON_NOW` value read, kept so that a running clock keeps running.
_from_environment: tuple[str, Clock] | None = None


def current() -> Clock:
    """The clock in force: the one `use_clock` set, else `NEWSMON_NOW`'s, else the system's.

    A `NEWSMON_NOW` that is not a zoned ISO 8601 time raises SettingError naming it."""
    global _from_environment
    if _set is not None:
        return _set
    raw = os.environ.get(NOW_ENV)
    if not raw:
        return SYSTEM
    if _from_environment is None or _from_environment[0] != raw:
        value: tuple[datetime, bool] | None = environment_value(NOW_ENV)
        clock: Clock = SYSTEM
        if value is not None:
            start, running = value
            clock = RunningClock(start) if running else ManualClock(start)
        _from_environment = (raw, clock)
    return _from_environment[1]


def now() -> datetime:
    """The current time, aware, in UTC."""
    return current().now().astimezone(UTC)


def now_iso() -> str:
    """The current time as UTC ISO 8601 with seconds, as the store writes times."""
    return utc_iso(current().now())


@contextmanager
def use_clock(clock: Clock) -> Iterator[Clock]:
    """Within the block, every "now" of this process (and of the processes newsmon starts,
    through `child_environment`) comes from `clock`."""
    global _set
    previous, _set = _set, clock
    try:
        yield clock
    finally:
        _set = previous


def set_clock(clock: Clock | None) -> None:
    """Set this process's clock until further notice (None: back to `NEWSMON_NOW` or the
    system's clock)."""
    global _set
    _set = clock


def child_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) for a process newsmon starts, with
    `NEWSMON_NOW` telling it the clock in force here: a clock that stands still as the time
    it shows, any other set clock as the time it shows now, running on."""
    environment = dict(os.environ if base is None else base)
    clock = current()
    if isinstance(clock, SystemClock):
        environment.pop(NOW_ENV, None)
    elif isinstance(clock, ManualClock):
        environment[NOW_ENV] = _precise(clock.now())
    else:
        environment[NOW_ENV] = f"{_precise(clock.now())} {RUNNING}"
    return environment


def _precise(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _moment(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value.isoformat()} has no time zone")
    return value.astimezone(UTC)
