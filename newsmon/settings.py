"""Scrapy settings of the newsmon project (`scrapy crawl report_az` reads these too).

newsmon's own settings are prefixed `NEWSMON_`. Replay is switched on by `NEWSMON_REPLAY_DIR`
(or the environment variable `NEWSMON_REPLAY`), the store is `NEWSMON_DB` (or `./newsmon.db`).
"""

from __future__ import annotations

import os
from typing import Any

from newsmon import __version__
from newsmon.resolve import HANDLER as RESOLVING_HANDLER
from newsmon.resolve import parse_resolve

BOT_NAME = "newsmon"
SPIDER_MODULES = ["newsmon.spiders"]
NEWSPIDER_MODULE = "newsmon.spiders"

NEWSMON_CONTACT = os.environ.get("NEWSMON_CONTACT", "https://github.com/newsmon/newsmon")
USER_AGENT = f"newsmon/{__version__} (news monitor; +{NEWSMON_CONTACT})"
ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    "newsmon.middlewares.pages.PageAccountingMiddleware": 950,
}
ITEM_PIPELINES = {
    "newsmon.pipelines.normalize.NormalizePipeline": 100,
    "newsmon.pipelines.store.StorePipeline": 800,
}

NEWSMON_DB = os.environ.get("NEWSMON_DB", "")
NEWSMON_STORE_BATCH = 500
NEWSMON_RESOLVE = parse_resolve(os.environ.get("NEWSMON_RESOLVE", ""))
if NEWSMON_RESOLVE:
    DOWNLOAD_HANDLERS = {"http": RESOLVING_HANDLER, "https": RESOLVING_HANDLER}


def replay_settings(directory: str) -> dict[str, Any]:
    """Settings that serve every request from the fixture set in `directory`.

    Politeness delays are pointless against saved pages, so they are switched off.
    """
    handler = "newsmon.replay.ReplayDownloadHandler"
    return {
        "NEWSMON_REPLAY_DIR": directory,
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "RETRY_ENABLED": False,
    }


if os.environ.get("NEWSMON_REPLAY"):
    globals().update(replay_settings(os.environ["NEWSMON_REPLAY"]))
