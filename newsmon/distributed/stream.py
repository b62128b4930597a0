"""The item stream: workers `XADD` normalized items, the store writer reads them back.

An entry has two fields: `crawl` (the crawl run's id) and `item` (the item as JSON: its
dataclass fields and `kind`, `article` or `headline`). Items are decoded back into the same
dataclasses, field by field, so the writer stores exactly what a single-process crawl would.
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from typing import Any

import redis

from newsmon.distributed.connection import Keys
from newsmon.items import ArticleItem, HeadlineItem

GROUP = "writers"
Item = ArticleItem | HeadlineItem
KINDS: dict[str, type[Item]] = {"article": ArticleItem, "headline": HeadlineItem}
_FIELDS = {kind: {field.name for field in fields(cls)} for kind, cls in KINDS.items()}


def item_to_json(item: Item) -> dict[str, Any]:
    """The item as JSON-ready data, with its `kind`."""
    kind = "article" if isinstance(item, ArticleItem) else "headline"
    return {"kind": kind, **asdict(item)}


def item_from_json(data: Any) -> Item:
    """The item `item_to_json` gave; ValueError when `data` is not one."""
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    kind = data.get("kind")
    if kind not in KINDS:
        raise ValueError(f"unknown item kind {kind!r} (expected article or headline)")
    values = {key: value for key, value in data.items() if key != "kind"}
    unknown = sorted(set(values) - _FIELDS[kind])
    if unknown:
        raise ValueError(f"{kind}: unknown fields {', '.join(unknown)}")
    try:
        return KINDS[kind](**values)
    except TypeError as error:
        raise ValueError(f"{kind}: {error}") from error


def encode(item: Item) -> str:
    """The `item` field of a stream entry."""
    return json.dumps(item_to_json(item), ensure_ascii=False, sort_keys=True)


def crawl_of(entry: dict[bytes, bytes]) -> int | None:
    """The crawl run of a stream entry (None when the entry names none)."""
    try:
        return int(entry[b"crawl"])
    except (KeyError, ValueError):
        return None


def decode(entry: dict[bytes, bytes]) -> Item:
    """The item of a stream entry; ValueError when the entry holds none."""
    try:
        data = json.loads(entry[b"item"])
    except (KeyError, ValueError) as error:
        raise ValueError(f"not a newsmon item ({error})") from error
    return item_from_json(data)


def push(server: redis.Redis, keys: Keys, crawl_id: int, item: Item) -> None:
    """Put an item of a run on the stream and count it sent, in one transaction."""
    items = ItemBuffer(keys)
    items.add(crawl_id, item)
    with server.pipeline(transaction=True) as pipe:
        items.write(pipe)
        pipe.execute()


class ItemBuffer:
    """Items on their way to the stream: one round trip for many (a worker sends them every
    few milliseconds, and with its acknowledgements, `RunScheduler.checkpoint`)."""

    def __init__(self, keys: Keys) -> None:
        self.keys = keys
        self.items: list[tuple[int, str]] = []

    def __len__(self) -> int:
        return len(self.items)

    def add(self, crawl_id: int, item: Item) -> None:
        """Keep an item of a run for the next `write`."""
        self.items.append((crawl_id, encode(item)))

    def write(self, pipe: redis.client.Pipeline) -> None:
        """Add to `pipe` the items kept (`XADD`) and the count of items sent per run."""
        sent: dict[int, int] = {}
        for crawl_id, data in self.items:
            pipe.xadd(self.keys.items, {"crawl": crawl_id, "item": data})
            sent[crawl_id] = sent.get(crawl_id, 0) + 1
        for crawl_id, count in sent.items():
            pipe.hincrby(self.keys.run(crawl_id), "items", count)
        self.items = []


def ensure_group(server: redis.Redis, keys: Keys) -> None:
    """Create the stream and its consumer group (reading from the start) if missing."""
    try:
        server.xgroup_create(keys.items, GROUP, id="0", mkstream=True)
    except redis.ResponseError as error:
        if "BUSYGROUP" not in str(error):
            raise
