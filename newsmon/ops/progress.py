"""Progress of long runs on one updating line of a terminal; silent when not on a terminal.

`Progress` is the callback `newsmon ingest` and `newsmon watch backfill` hand to the library;
the crawl's Scrapy extension (`newsmon.extensions.progress`) draws on the same `StatusLine`.
Under cron (no terminal) nothing at all is written.
"""

from __future__ import annotations

import logging
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TextIO

from newsmon.settings_table import default

DEFAULT_INTERVAL: float = default("NEWSMON_PROGRESS_INTERVAL")

# What the library calls with (done, total or None) as work advances.
ProgressCallback = Callable[[int, int | None], None]


def progress_line(
    label: str, counts: Sequence[tuple[int, str]], elapsed: float, total: int | None = None
) -> str:
    """`label: 1,200/5,000 texts (24%) · 850 texts/s · 0:01`.

    `counts` are (number, unit) pairs; the rate is of the first one, which `total` is the total
    of (when known).
    """
    done, unit = counts[0]
    first = f"{done:,}/{total:,} {unit} ({_percent(done, total)})" if total else f"{done:,} {unit}"
    parts = [first, *(f"{number:,} {name}" for number, name in counts[1:])]
    if elapsed > 0:
        rate = done / elapsed
        parts.append(f"{rate:.1f} {unit}/s" if rate < 10 else f"{rate:,.0f} {unit}/s")
    parts.append(_duration(elapsed))
    return f"{label}: " + " · ".join(parts)


class StatusLine:
    """One line of `stream` (standard error by default) rewritten in place.

    Does nothing when the stream is not a terminal (unless `enabled` says otherwise). While
    open, a log record written to the same stream first clears the line, so log messages never
    run into it.
    """

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = _is_terminal(self.stream) if enabled is None else enabled
        self._shown = 0
        self._filter = _ClearLineFilter(self)
        self._handlers: list[logging.Handler] = []

    def open(self) -> StatusLine:
        """Start clearing the line before log records of handlers writing to our stream."""
        if self.enabled:
            self._handlers = [
                handler
                for handler in logging.getLogger().handlers
                if getattr(handler, "stream", None) is self.stream
            ]
            for handler in self._handlers:
                handler.addFilter(self._filter)
        return self

    def show(self, text: str) -> None:
        """Replace the line with `text` (cut to the terminal's width)."""
        if not self.enabled:
            return
        width = shutil.get_terminal_size((80, 24)).columns - 1
        text = text if len(text) <= width else text[: max(width - 1, 0)] + "…"
        self.stream.write("\r" + text.ljust(self._shown))
        self.stream.flush()
        self._shown = len(text)

    def clear(self) -> None:
        """Blank the line (and put the cursor back at its start)."""
        if self.enabled and self._shown:
            self.stream.write("\r" + " " * self._shown + "\r")
            self.stream.flush()
            self._shown = 0

    def close(self) -> None:
        """Clear the line and stop watching log records."""
        self.clear()
        for handler in self._handlers:
            handler.removeFilter(self._filter)
        self._handlers = []

    def __enter__(self) -> StatusLine:
        return self.open()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


class Progress:
    """A progress callback for a long loop: `progress(done, total)`, drawn on a `StatusLine`
    every `interval` seconds (so a run shorter than that shows nothing). Use it as a context
    manager: leaving clears the line."""

    def __init__(
        self,
        label: str,
        unit: str,
        *,
        stream: TextIO | None = None,
        interval: float = DEFAULT_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.unit = unit
        self.line = StatusLine(stream)
        self.interval = interval
        self.clock = clock
        self.started = self._drawn_at = clock()

    def __call__(self, done: int, total: int | None = None) -> None:
        if not self.line.enabled:
            return
        now = self.clock()
        if now - self._drawn_at < self.interval:
            return
        self._drawn_at = now
        self.line.show(progress_line(self.label, [(done, self.unit)], now - self.started, total))

    def __enter__(self) -> Progress:
        self.started = self._drawn_at = self.clock()
        self.line.open()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.line.close()


class _ClearLineFilter(logging.Filter):
    """Lets every record through, clearing the status line first."""

    def __init__(self, line: StatusLine) -> None:
        super().__init__()
        self.line = line

    def filter(self, record: logging.LogRecord) -> bool:
        self.line.clear()
        return True


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _percent(done: int, total: int) -> str:
    return f"{min(done / total, 1.0):.0%}"


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
