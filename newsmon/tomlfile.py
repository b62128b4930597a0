"""TOML files people write: every problem named by its line and column, close spellings
suggested (the sources file and watch files)."""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable
from typing import Any

# Brackets deeper than this are where a file too deeply nested for the TOML reader is shown
# to be at fault (the reader itself gives up at some depth beyond).
NESTING_SHOWN = 100
_DECODE_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


class TomlProblem(ValueError):
    """TOML text that cannot be read: the reason, and the 1-based line and column when known."""

    def __init__(self, reason: str, line: int | None, column: int | None) -> None:
        super().__init__(reason, line, column)
        self.reason = reason
        self.line = line
        self.column = column

    def located(self, path: object) -> str:
        """`PATH:LINE: reason (column N)`, or `PATH: reason` without a position."""
        if self.line is None:
            return f"{path}: {self.reason}"
        return f"{path}:{self.line}: {self.reason} (column {self.column})"


def parse_toml(text: str) -> dict[str, Any]:
    """The data of TOML `text`; TomlProblem for a syntax error or nesting too deep to read."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _DECODE_POSITION.search(message)
        if not found:
            raise TomlProblem(message, None, None) from error
        reason = message[: found.start()]
        raise TomlProblem(
            f"{reason[0].lower()}{reason[1:]}", int(found[1]), int(found[2])
        ) from error
    except RecursionError:
        reason = "arrays or inline tables nested too deeply"
        index = _first_bracket_deeper_than(text, NESTING_SHOWN)
        if index is None:
            raise TomlProblem(reason, None, None) from None
        line = text.count("\n", 0, index) + 1
        raise TomlProblem(reason, line, index - text.rfind("\n", 0, index)) from None


def suggestion(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest of `choices`, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _first_bracket_deeper_than(text: str, limit: int) -> int | None:
    """The index of the first `[` or `{` nested more than `limit` deep, strings and comments
    skipped; None when there is none."""
    depth = 0
    index = 0
    while index < len(text):
        char = text[index]
        if char == "#":
            index = text.find("\n", index)
            if index == -1:
                return None
        elif char in "\"'":
            index = _string_end(text, index)
            continue
        elif char in "[{":
            depth += 1
            if depth > limit:
                return index
        elif char in "]}":
            depth -= 1
        index += 1
    return None


def _string_end(text: str, start: int) -> int:
    """The index after the string opening at `start` (basic or literal, one line or many)."""
    quote = text[start]
    delimiter = quote * 3 if text.startswith(quote * 3, start) else quote
    index = start + len(delimiter)
    while index < len(text):
        if quote == '"' and text[index] == "\\":
            index += 2
        elif text.startswith(delimiter, index):
            return index + len(delimiter)
        else:
            index += 1
    return len(text)
