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
# A page given up after its retries is said once, by newsmon (`newsmon.failures`, with the
# number of attempts): Scrapy's own line of it would be a second one.
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"
REDIRECT_MAX_TIMES = 5
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
LOG_FORMATTER = "newsmon.logformatter.NewsmonLogFormatter"
# Scrapy starts this many item tasks for every response; newsmon's pipelines do not wait on
# anything, so the default 100 only costs task switches (about a tenth of a replay crawl).
CONCURRENT_ITEMS = 16

# Scrapy's robots.txt middleware lets through the requests that wait for a robots.txt beyond
# the first two (`newsmon.middlewares.robotstxt`): replaced by one that checks every one.
DOWNLOADER_MIDDLEWARES: dict[str, int | None] = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newsmon.middlewares.robotstxt.EveryWaiterRobotsTxtMiddleware": 100,
    "newsmon.middlewares.private.PrivateAddressMiddleware": 60,
    "newsmon.middlewares.pages.PageAccountingMiddleware": 950,
}
ITEM_PIPELINES = {
    "newsmon.pipelines.normalize.NormalizePipeline": 100,
    "newsmon.pipelines.store.StorePipeline": 800,
}

NEWSMON_DB = os.environ.get("NEWSMON_DB", "")
NEWSMON_STORE_BATCH = 500
# The store writer runs in a process of its own, on a second core (`newsmon.store.background`).
NEWSMON_STORE_PROCESS = True
# The sources file (`newsmon.config`; default $NEWSMON_CONFIG or ./newsmon.toml) and how old a
# sitemap entry may be to be followed (0: any age; a source's `max_age_days` overrides it).
# A source reads sitemaps at most NEWSMON_SITEMAP_MAX_DEPTH levels below its own (robots.txt and
# indexes list them) and at most NEWSMON_SITEMAP_MAX_COUNT sitemaps in one crawl: an index can
# list a new one at every level, for ever.
NEWSMON_CONFIG = os.environ.get("NEWSMON_CONFIG", "")
NEWSMON_SITEMAP_MAX_AGE_DAYS = 2
NEWSMON_SITEMAP_MAX_DEPTH = 5
NEWSMON_SITEMAP_MAX_COUNT = 200
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

# Unattended runs (`newsmon run`): conditional requests for feeds and listings, no refetch of
# stored articles (NEWSMON_REFRESH fetches them again), a pause before each retry, redirects off
# the source's domains refused with a log line, per-page counts for source health, the run
# log's rotation and how many past runs health compares with.
DOWNLOADER_MIDDLEWARES.update(
    {
        "newsmon.middlewares.conditional.ConditionalRequestMiddleware": 540,
        "newsmon.middlewares.redirects.OffsiteRedirectMiddleware": 610,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "newsmon.middlewares.retry.BackoffRetryMiddleware": 550,
    }
)
SPIDER_MIDDLEWARES = {
    "newsmon.middlewares.known_articles.KnownArticlesMiddleware": 600,
    # Nearest the spider: it bundles a page's items, and every middleware outside sees one item.
    "newsmon.middlewares.page_output.PageOutputMiddleware": 1050,
}
NEWSMON_REFRESH = False
NEWSMON_RETRY_BACKOFF = 2.0
NEWSMON_RETRY_MAX_DELAY = 60.0
NEWSMON_LOG_MAX_BYTES = 5 * 1024 * 1024
NEWSMON_LOG_BACKUPS = 3
NEWSMON_HEALTH_HISTORY = 10
# Seconds one watch's webhook may take in all (connecting, every retry, the whole answer):
# past it, its alerts stay pending for the next run.
NEWSMON_WEBHOOK_TIMEOUT = 20.0

# Recording (`newsmon crawl --record DIR`, or `-s NEWSMON_RECORD_DIR=DIR`): every response saved
# into a fixture set that `--replay` serves (`newsmon.record`; around Redirect and decompression).
NEWSMON_RECORD_DIR = ""
DOWNLOADER_MIDDLEWARES.update(
    {"newsmon.record.RecordRedirectsMiddleware": 650, "newsmon.record.RecordMiddleware": 585}
)

# Progress of a crawl (`newsmon.extensions.progress`): pages, items and pages/s on one updating
# line of standard error when it is a terminal ("auto"); True or False force it on or off.
EXTENSIONS: dict[str, int | None] = {"newsmon.extensions.progress.CrawlProgress": 500}
# Scrapy's CoreStats minus its receiver on every page's items (`newsmon.extensions.corestats`).
EXTENSIONS["scrapy.extensions.corestats.CoreStats"] = None
EXTENSIONS["newsmon.extensions.corestats.CoreStatsWithoutItemSignal"] = 0
# A page's items travel as one bundle (`newsmon.items.PageItems`); feeds get them one by one.
EXTENSIONS["scrapy.extensions.feedexport.FeedExporter"] = None
EXTENSIONS["newsmon.extensions.feedexport.PageItemsFeedExporter"] = 0
NEWSMON_PROGRESS = "auto"
NEWSMON_PROGRESS_INTERVAL = 1.0

# Hostile pages (`newsmon.middlewares.page_output`, `newsmon.pipelines.normalize`): at most this
# many headlines (and links followed) from one page, titles cut to this length, and publication
# times later than the fetch plus this many hours not trusted. Redirects that filters drop
# silently (loops, meta refreshes off the source) are logged (`newsmon.extensions`).
EXTENSIONS["newsmon.extensions.dropped_redirects.DroppedRedirects"] = 510
NEWSMON_MAX_PAGE_HEADLINES = 500
NEWSMON_MAX_TITLE_LENGTH = 300
NEWSMON_FUTURE_TOLERANCE_HOURS = 24

# Pages of a listing read per crawl, following its `rel="next"` link: the first page holds the
# newest headlines, enough for a crawl every few minutes; more pages reach back (a backfill).
NEWSMON_LISTING_PAGES = 1

# Crawling on many workers (`newsmon.distributed`; `pip install 'newsmon[redis]'`): the Redis
# the coordinator (`newsmon crawl --redis`), the workers and the store writer share, and the
# prefix of newsmon's keys there (one per store). Requests to a domain start at least
# NEWSMON_DOMAIN_DELAY seconds apart across all workers (default: DOWNLOAD_DELAY). A worker
# beats every NEWSMON_WORKER_HEARTBEAT s (its requests go back to the queue after three missed
# beats) and asks for work every NEWSMON_WORKER_POLL s when idle; a run fails when no worker
# is left for NEWSMON_WORKER_WAIT s. The writer stores NEWSMON_WRITER_BATCH items per
# transaction and holds its lease NEWSMON_WRITER_LEASE s (NEWSMON_WRITER_ACK_DELAY: a pause
# between commit and acknowledgement, for tests). Workers skip articles fetched in the last
# NEWSMON_KNOWN_DAYS days and read robots.txt again every NEWSMON_ROBOTSTXT_TTL s.
NEWSMON_REDIS = os.environ.get("NEWSMON_REDIS", "")
NEWSMON_REDIS_PREFIX = "newsmon"
NEWSMON_DOMAIN_DELAY = None
NEWSMON_WORKER_HEARTBEAT = 5.0
NEWSMON_WORKER_POLL = 0.5
NEWSMON_WORKER_WAIT = 60.0
NEWSMON_WRITER_BATCH = 500
NEWSMON_WRITER_LEASE = 15.0
NEWSMON_WRITER_ACK_DELAY = 0.0
NEWSMON_KNOWN_DAYS = 7
NEWSMON_ROBOTSTXT_TTL = 3600.0
