"""Files written for the user (exports, feeds, reports): replaced only once complete.

A file is written next to its target under a temporary name and renamed over it only when
everything was written and flushed to disk, so a failure (a full disk, an error while reading
the store, Ctrl-C) leaves the previous file exactly as it was and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


class OutputError(Exception):
    """The file cannot be written; the message names it and the reason."""


@contextlib.contextmanager
def replace_atomically(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A UTF-8 text file that replaces `path` when the block ends without an error.

    The new file keeps the mode of the file it replaces (a new one: 0666 less the umask).
    An OSError (a full disk, a missing directory) becomes OutputError naming `path`; on any
    failure the temporary file is removed and `path` is left untouched.
    """
    target = Path(path)
    try:
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
        )
    except OSError as error:
        raise OutputError(f"{target}: cannot write: {error.strerror or error}") from error
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, _mode_for(target))
        os.replace(temporary, target)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise OutputError(f"{target}: cannot write: {error.strerror or error}") from error
        raise


def _mode_for(target: Path) -> int:
    """The permissions of the file being replaced, or those a new file gets."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
