"""Log files that cannot be written: one line naming the file, never a traceback per record.

Python's file handler prints "--- Logging error ---" and a traceback to standard error for
every record it fails to write (a full disk, a file at the `ulimit -f` limit): hundreds of
them in a crawl, and nothing says which file. A `LogFile` stops writing at its first failure
and keeps it; `log_failure` tells the crawl or run, which then fails with one line naming the
file. A crawl's log (`--log`) is a `LogFile` on the root logger in place of the one Scrapy
would open for `LOG_FILE`, with Scrapy's format and level (`scrapy_log`).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from scrapy.settings import Settings
from scrapy.utils.log import TopLevelFormatter

# The first write error of each log file in this process, by absolute path: a run writes its
# log through two handlers (newsmon's records and Scrapy's).
_failures: dict[str, OSError] = {}


class LogFile(logging.FileHandler):
    """A file handler (appending, UTF-8) that stops writing at the first write that fails."""

    def __init__(self, path: str) -> None:
        super().__init__(path, mode="a", encoding="utf-8")

    def emit(self, record: logging.LogRecord) -> None:
        if self.baseFilename not in _failures:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, OSError):
            _failures.setdefault(self.baseFilename, error)
        else:  # a record that cannot be formatted is a bug: Python's report of it stays
            super().handleError(record)

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as error:
            _failures.setdefault(self.baseFilename, error)

    def close(self) -> None:
        try:
            super().close()
        except OSError as error:  # what the last flush could not write
            _failures.setdefault(self.baseFilename, error)


def open_log(path: str) -> LogFile:
    """A LogFile for `path`; LogFileError naming it when it cannot be opened."""
    try:
        return LogFile(path)
    except OSError as error:
        raise LogFileError(cannot_write(path, error)) from error


def log_failure(path: str) -> str | None:
    """Why the log at `path` could not be written in this process (one line naming it), or
    None when every record was written."""
    error = _failures.get(os.path.abspath(path))
    return cannot_write(path, error) if error is not None else None


def cannot_write(path: str, error: OSError) -> str:
    """`PATH: cannot write the log: REASON`."""
    return f"{path}: cannot write the log: {error.strerror or error}"


@contextmanager
def scrapy_log(settings: Settings, handler: LogFile) -> Iterator[None]:
    """While in the block, Scrapy's log (the root logger) goes to `handler`, with Scrapy's
    format and `LOG_LEVEL`; Scrapy itself is told to open no handler of its own (`settings`,
    read when the crawl starts, must then be given to it). The handler is closed at the end."""
    settings.set("LOG_FILE", None, priority="cmdline")
    settings.set("LOG_ENABLED", False, priority="cmdline")
    handler.setFormatter(
        logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT"))
    )
    handler.setLevel(settings.get("LOG_LEVEL"))
    if settings.getbool("LOG_SHORT_NAMES"):
        handler.addFilter(TopLevelFormatter(["scrapy"]))
    logging.root.addHandler(handler)
    try:
        yield
    finally:
        logging.root.removeHandler(handler)
        handler.close()


class LogFileError(Exception):
    """A log file cannot be written; the message names it and the reason."""
