"""The timeline test store: one story seen by three sources in four languages over three days.

`tests/data/timeline/items.jsonl` goes through the real ingest path after the watch `drones`
of `watches.toml` is added, so watch matches and events are made as in a crawl. Story 1
(`wire` en + az + ar editions, linked by hreflang; `gazette` and `herald` reprinting the wire's
lead) is watched; story 2 (a rate decision) is not. One `wire` headline carries markup,
quotes, an ampersand and an emoji; one is Arabic (right to left).
"""

from __future__ import annotations

from pathlib import Path

from newsmon.crawl.ingest import ingest
from newsmon.store import Store
from newsmon.watch.watches import import_watches

TIMELINE = Path(__file__).resolve().parent / "data" / "timeline"
NASTY_HEADLINE = "Drone deal <script>alert(\"x\")</script> & 'joint' plant 🚀"
ARABIC_HEADLINE = "أذربيجان وتركيا توقعان اتفاقية طائرات مسيرة"


def make_timeline_store(path: Path) -> Path:
    """Create the timeline store at `path` (a new file) and return the path."""
    store = Store.open(path)
    try:
        import_watches(store, TIMELINE / "watches.toml")
        with (TIMELINE / "items.jsonl").open(encoding="utf-8") as lines:
            result = ingest(store, lines, source_name="timeline")
        assert result.skipped == [], result.skipped
    finally:
        store.close()
    return path
