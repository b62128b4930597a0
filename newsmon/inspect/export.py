"""Export stories or appearances as CSV, JSON or JSON Lines, streamed row by row.

The rows are those of `newsmon stories` / `newsmon appearances` (`store.queries`), newest
first. Every format has the same fields in the same order; in CSV, lists (sources, languages,
watches) are comma-separated and missing values are empty cells.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

# The store is imported by the functions that use it: `newsmon --help` reads FORMATS and COLUMNS.
if TYPE_CHECKING:
    from newsmon.store import Store

FORMATS = ("csv", "json", "jsonl")
COLUMNS = {
    "stories": [
        "id",
        "title",
        "first_seen",
        "last_seen",
        "published_at",
        "sources",
        "languages",
        "headlines",
        "appearances",
        "watches",
    ],
    "appearances": [
        "id",
        "first_seen",
        "last_seen",
        "times_seen",
        "source",
        "context",
        "title",
        "lang",
        "url",
        "page_url",
        "section",
        "story",
        "published_at",
        "published_date",
        "published_basis",
        "first_crawl",
    ],
}


class ExportError(Exception):
    """The export cannot run: an unknown watch, an unknown format."""


def export_records(
    store: Store, kind: str, *, watch: str | None = None, since: str | None = None
) -> Iterator[dict[str, Any]]:
    """The rows to export, read one at a time: `stories` or `appearances`, newest first.

    `watch`: only those of stories the watch matched. `since` (UTC ISO 8601): stories seen
    since then, appearances first seen since then. Checked at once (before any row is read).
    """
    if kind not in COLUMNS:
        raise ExportError(f"cannot export {kind!r} (choose from {', '.join(COLUMNS)})")
    if watch is not None and store.one("SELECT 1 FROM watches WHERE name = ?", (watch,)) is None:
        raise ExportError(f"no watch named {watch!r}")
    if kind == "stories":
        return _story_records(store, watch, since)
    from newsmon.store.queries import iter_appearances

    return iter_appearances(store, watch=watch, since=since)


def _story_records(store: Store, watch: str | None, since: str | None) -> Iterator[dict[str, Any]]:
    from newsmon.store.queries import iter_stories

    for story in iter_stories(store, watch=watch, since=since):
        yield {**story, "headlines": len(story["members"])}


def write_records(
    records: Iterable[dict[str, Any]], fmt: str, columns: list[str], out: IO[str]
) -> int:
    """Write `records` (their `columns`, in that order) to `out`; returns how many."""
    if fmt == "csv":
        return _write_csv(records, columns, out)
    if fmt not in ("json", "jsonl"):
        raise ExportError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    count = 0
    if fmt == "json":
        out.write("[")
    for record in records:
        line = json.dumps({name: record.get(name) for name in columns}, ensure_ascii=False)
        if fmt == "json":
            line = ("\n" if count == 0 else ",\n") + line
        else:
            line += "\n"
        out.write(line)
        count += 1
    if fmt == "json":
        out.write("\n]\n" if count else "]\n")
    return count


def export(
    store: Store,
    kind: str,
    fmt: str,
    out: IO[str],
    *,
    watch: str | None = None,
    since: str | None = None,
) -> int:
    """Export `kind` as `fmt` to `out`; returns the number of rows written."""
    records = export_records(store, kind, watch=watch, since=since)
    return write_records(records, fmt, COLUMNS[kind], out)


def _write_csv(records: Iterable[dict[str, Any]], columns: list[str], out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for record in records:
        writer.writerow([_csv_cell(record.get(name)) for name in columns])
        count += 1
    return count


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list):
        return ",".join(str(part) for part in value)
    return value
