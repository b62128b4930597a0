"""Crawling on many workers through scrapy-redis, with SQLite behind one store writer.

Redis is the one moving part; every key lives under `NEWSMON_REDIS_PREFIX` (`keys.Keys`):

- `newsmon crawl --redis URL` (`run.py`, the coordinator) records the crawl in SQLite, puts
  the enabled sources' start requests into the scrapy-redis queues (one sorted set per spider),
  waits until the run is done — storing items itself while no `newsmon writer` holds the
  writer lease — and then records per-source counts, validators and the crawl's status.
- `newsmon worker` (`worker.py`) is a long-running Scrapy process with one crawler per spider:
  scrapy-redis' scheduler (`scheduler.py`, `queue.py`) takes requests from the shared queues,
  keeps what it took in its own in-flight hash until it is done, and skips fingerprints any
  worker already scheduled in the same run. Items go through the normalize pipeline and onto a
  Redis Stream (`stream.py`).
- `newsmon writer` (`writer.py`) is the single consumer of that stream: it writes items
  through the StoreWriter and acknowledges them only after their SQLite transaction committed.

Nothing is lost when a process dies: a worker's unfinished requests go back to the queue once
its heartbeat expires, a writer's unacknowledged items are claimed by the next writer, and the
store's uniqueness makes repeated items harmless. Redis content is trusted (scrapy-redis
pickles requests): never expose it to other users.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsmon.distributed.run import Coordinator

REDIS_ENV = "NEWSMON_REDIS"


def coordinator_for(
    overrides: Mapping[str, Any], *, replay: str | None = None, record: str | None = None
) -> Coordinator | None:
    """The coordinator of a crawl when `NEWSMON_REDIS` is set (`-s`, else the environment);
    None for a crawl in this process. CrawlError when the crawl cannot start on Redis."""
    url = overrides.get(REDIS_ENV) or os.environ.get(REDIS_ENV)
    if not url:
        return None
    from newsmon.crawl.process import CrawlError

    try:
        from newsmon.distributed.run import Coordinator
    except ImportError as error:
        raise CrawlError(
            f"--redis needs Redis support: pip install 'newsmon[redis]' ({error})"
        ) from error
    return Coordinator.connect(str(url), overrides, replay=replay, record=record)
