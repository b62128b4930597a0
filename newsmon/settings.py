"""Scrapy settings of the newsmon project (`scrapy crawl report_az` reads these too).

Every value comes from the one table of settings, `newsmon.settings_table`: each setting's
default, or the environment variable of its name (`NEWSMON_DB`, `NEWSMON_LOG_MAX_BYTES`, …).
Replay is switched on by `NEWSMON_REPLAY_DIR` (`--replay`, or the environment variable
`NEWSMON_REPLAY`).
"""

from __future__ import annotations

import os
from typing import Any

from newsmon.settings_table import module_values

globals().update(module_values())


def replay_settings(directory: str) -> dict[str, Any]:
    """Settings that serve every request from the fixture set in `directory`.

    Politeness delays are pointless against saved pages, so they are switched off.
    """
    handler = "newsmon.fixtures.replay.ReplayDownloadHandler"
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
