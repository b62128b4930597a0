"""Feed exports (`-O`, `FEEDS`) hold newsmon items one by one, though a page's items travel
through Scrapy together."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import newsmon


def read_feed(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_feed_has_one_record_per_item_and_item_classes_filter_them(tmp_path: Path) -> None:
    every, articles = tmp_path / "items.jsonl", tmp_path / "articles.jsonl"
    feeds = {
        str(every): {"format": "jsonlines"},
        str(articles): {"format": "jsonlines", "item_classes": ["newsmon.items.ArticleItem"]},
    }
    run = newsmon(
        "crawl",
        "report_az",
        "--replay",
        "seeds",
        "--db",
        str(tmp_path / "n.db"),
        "-s",
        "FEEDS=" + json.dumps(feeds),
        offline_log=tmp_path / "net.log",
    )
    assert run.returncode == 0, run.stderr

    items = read_feed(every)
    assert len(items) == 31
    assert all("source" in item and "items" not in item for item in items)
    assert read_feed(articles) == [item for item in items if "fetched_at" in item]
    assert [article["url"] for article in read_feed(articles)] == [
        "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
    ]
