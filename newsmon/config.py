"""The sources file: the news sites newsmon crawls, and how, in TOML.

Each `[[sources]]` table is one source. A source of kind `generic` (the default) is crawled by
the generic spider from its configuration alone: RSS/Atom feeds, sitemaps (Google News
sitemaps too) and listing pages lead to article pages, which the generic extractor reads. A
source of kind `site` names a site with its own spider (`newsmon/sites/`); such a table only
switches that spider on or off. Sites that the file does not list are enabled.

The file is `--config PATH`, else `$NEWSMON_CONFIG`, else `./newsmon.toml` when it exists.
Every problem is reported as `FILE:LINE: source 'ID': reason`, all of them at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from newsmon.extract.article import SELECTOR_FIELDS, language_code
from newsmon.extract.links import is_article_url
from newsmon.extract.selectors import compiled, is_xpath
from newsmon.normalize.urls import site_host
from newsmon.sites import all_sites
from newsmon.tomlfile import TomlProblem, parse_toml, suggestion

CONFIG_ENV = "NEWSMON_CONFIG"
DEFAULT_CONFIG = "newsmon.toml"
GENERIC = "generic"
SITE = "site"
KINDS = (GENERIC, SITE)
# Spider names a configured source cannot take.
RESERVED_IDS = frozenset({GENERIC})

SITE_KEYS = ("id", "kind", "enabled")
GENERIC_KEYS = (
    "id",
    "kind",
    "name",
    "home_url",
    "lang",
    "tz",
    "enabled",
    "feeds",
    "sitemaps",
    "listings",
    "allow",
    "deny",
    "selectors",
    "allowed_domains",
    "allow_private_addresses",
    "max_age_days",
    "feed_times_known",
)
LISTING_KEYS = ("url", "links")

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]*")
ID_RULE = "must be lower-case letters, digits, '_' or '-' (starting with a letter or digit)"
_HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")

# Reports one problem of a source: reason, then the key and the value text to locate it by.
Problem = Callable[..., None]


class ConfigError(Exception):
    """The sources file cannot be used; one line per problem, each naming file and line."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Listing:
    """A listing page and, optionally, the CSS or XPath picking its article links."""

    url: str
    links: str | None = None


@dataclass
class SourceConfig:
    """One source: a site with its own spider (`kind = "site"`) or a configured one."""

    id: str
    name: str
    kind: str = GENERIC
    home_url: str | None = None
    lang: str | None = None
    tz: str = "UTC"
    enabled: bool = True
    feeds: list[str] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    allow: list[re.Pattern[str]] = field(default_factory=list)
    deny: list[re.Pattern[str]] = field(default_factory=list)
    selectors: dict[str, str] = field(default_factory=dict)
    allowed_domains: list[str] = field(default_factory=list)
    allow_private_addresses: bool = False
    max_age_days: float | None = None
    feed_times_known: bool = True
    line: int = 0

    def on_site(self, url: str) -> bool:
        """Whether `url`'s host is one of the source's domains (or a subdomain of one)."""
        host = (urlsplit(url).hostname or "").lower()
        return any(host == domain or host.endswith("." + domain) for domain in self.allowed_domains)

    def is_article(self, url: str | None) -> bool:
        """Whether `url` is an article page of this source worth fetching: on its domains,
        not denied, and allowed (or, without `allow`, looking like an article)."""
        if not url or not self.on_site(url):
            return False
        if any(pattern.search(url) for pattern in self.deny):
            return False
        if self.allow:
            return any(pattern.search(url) for pattern in self.allow)
        return is_article_url(url)


@dataclass
class Config:
    """Every source: the sites with their own spider and the configured ones."""

    path: Path | None
    sources: list[SourceConfig]

    def source(self, source_id: str) -> SourceConfig | None:
        """The source called `source_id`, if any."""
        return next((source for source in self.sources if source.id == source_id), None)

    def of_kind(self, kind: str, *, enabled_only: bool = False) -> list[SourceConfig]:
        """The sources of one kind, in file order (sites by id)."""
        return [
            source
            for source in self.sources
            if source.kind == kind and (source.enabled or not enabled_only)
        ]

    def select_generic(self, ids: Sequence[str] = ()) -> list[SourceConfig]:
        """The generic sources called `ids` (default: every enabled one); ConfigError when
        one of `ids` is not an enabled generic source."""
        if not ids:
            return self.of_kind(GENERIC, enabled_only=True)
        chosen = []
        for source_id in ids:
            source = self.source(source_id)
            if source is None or source.kind != GENERIC:
                known = ", ".join(s.id for s in self.of_kind(GENERIC)) or "none"
                raise ConfigError([f"{self.where}: no generic source {source_id!r} ({known})"])
            if not source.enabled:
                raise ConfigError([f"{self.where}:{source.line}: source {source_id!r} is disabled"])
            chosen.append(source)
        return chosen

    @property
    def where(self) -> str:
        """How to name the configuration in a message."""
        return str(self.path) if self.path else "the registered sites (no sources file)"


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path | None:
    """The sources file to read: `explicit`, `$NEWSMON_CONFIG`, or `./newsmon.toml` when it
    exists; None when there is none."""
    chosen = explicit or os.environ.get(CONFIG_ENV)
    if chosen:
        return Path(chosen)
    default = Path(DEFAULT_CONFIG)
    return default if default.is_file() else None


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and check the sources file (see `config_path`); ConfigError lists every problem.

    Without a sources file, the configuration is the registered sites, all enabled.
    """
    location = config_path(path)
    if location is None:
        return Config(None, [_site_source(site_id) for site_id in all_sites()])
    try:
        text = location.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ConfigError([f"{location}: no such sources file"]) from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError([f"{location}: cannot read: {error}"]) from error
    return parse_config(text, location)


def parse_config(text: str, path: str | os.PathLike[str]) -> Config:
    """The configuration in `text` (read from `path`, named in messages)."""
    location = Path(path)
    try:
        data = parse_toml(text)
    except TomlProblem as problem:
        raise ConfigError([problem.located(location)]) from problem
    checker = _Checker(location, text)
    sources = checker.check(data)
    if checker.problems:
        raise ConfigError([message for _, message in sorted(checker.problems)])
    return Config(location, sources)


def source_table(config: Config, stored: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Every configured source with its counts from the store, then stored sources that the
    configuration no longer names (enabled shown as None)."""
    counts = {row["id"]: row for row in stored}
    rows = []
    for source in config.sources:
        row = counts.pop(source.id, {})
        rows.append(
            {
                "id": source.id,
                "name": source.name,
                "kind": source.kind,
                "enabled": source.enabled,
                "lang": source.lang,
                "tz": source.tz,
                "home_url": source.home_url,
                "articles": row.get("articles", 0),
                "appearances": row.get("appearances", 0),
                "last_crawl": row.get("last_crawl"),
            }
        )
    rows += [{**row, "enabled": None} for row in counts.values()]
    return sorted(rows, key=lambda row: row["id"])


def check_selector(expression: str) -> str | None:
    """Why `expression` is not a usable CSS selector or XPath (XPath starts with `/` or `(`);
    None when it is."""
    try:
        compiled(expression)  # as the crawl will run it
    except ValueError as error:
        kind = "XPath" if is_xpath(expression) else "CSS"
        return f"{expression!r} is not valid {kind}: {error.__cause__ or error}"
    return None


def http_url_problem(value: object) -> str | None:
    """Why `value` is not an absolute http(s) URL; None when it is."""
    if not isinstance(value, str):
        return "must be a URL in quotes"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 -- raises ValueError for a bad port
    except ValueError:
        return f"{value!r} is not a valid URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"{value!r} is not an http(s) URL"
    return None


def _site_source(site_id: str, *, enabled: bool = True, line: int = 0) -> SourceConfig:
    site = all_sites()[site_id]
    return SourceConfig(
        id=site.id,
        name=site.name,
        kind=SITE,
        home_url=site.home_url,
        lang=site.lang,
        tz=site.tz,
        enabled=enabled,
        feeds=list(site.feeds),
        listings=[Listing(url) for url in site.listings],
        allowed_domains=list(site.allowed_domains),
        feed_times_known=site.feed_times_known,
        line=line,
    )


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


class _Lines:
    """Where tables and keys sit in the file text (tomllib keeps no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.source_starts: list[int] = []  # 0-based index of each [[sources]] header
        self.section_ends: dict[int, int] = {}
        headers = []
        for number, line in enumerate(self.lines):
            found = _HEADER.match(line)
            if found:
                headers.append((number, found[1] == "[[", found[2].replace(" ", "")))
        for position, (number, is_array, name) in enumerate(headers):
            if is_array and name == "sources":
                self.source_starts.append(number)
                end = len(self.lines)
                for later, _, later_name in headers[position + 1 :]:
                    if not later_name.startswith("sources."):
                        end = later
                        break
                self.section_ends[number] = end

    def source_line(self, index: int) -> int:
        """The 1-based line of the `index`-th `[[sources]]` header (or of `sources =`)."""
        if index < len(self.source_starts):
            return self.source_starts[index] + 1
        return self.key_line("sources") or 1

    def key_line(self, key: str, index: int | None = None) -> int | None:
        """The 1-based line where `key = ` is set, within source `index` when given."""
        pattern = re.compile(rf"(?:^|[\s{{,])[\"']?{re.escape(key)}[\"']?\s*=")
        for number in self._span(index):
            if pattern.search(self.lines[number]):
                return number + 1
        return None

    def value_line(self, value: str, index: int) -> int | None:
        """The 1-based line of source `index` where the text `value` is written."""
        for number in self._span(index):
            if value in self.lines[number]:
                return number + 1
        return None

    def _span(self, index: int | None) -> range:
        if index is None or index >= len(self.source_starts):
            return range(len(self.lines))
        start = self.source_starts[index]
        return range(start, self.section_ends[start])


class _Checker:
    """Checks the parsed TOML, collecting one message per problem."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = _Lines(text)
        self.problems: list[tuple[int, str]] = []

    def check(self, data: dict[str, Any]) -> list[SourceConfig]:
        for key in data:
            if key != "sources":
                line = self.lines.key_line(key) or self._header_line(key)
                self._problem(line, None, f"unknown key {key!r}{suggestion(key, ['sources'])}")
        entries = data.get("sources", [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            line = self.lines.key_line("sources") or 1
            self._problem(line, None, "'sources' must be an array of tables ([[sources]])")
            return []
        configured: list[SourceConfig] = []
        first_line: dict[str, int] = {}
        for index, entry in enumerate(entries):
            line = self.lines.source_line(index)
            raw_id = entry.get("id")
            if isinstance(raw_id, str) and raw_id in first_line:
                reason = f"duplicate id {raw_id!r} (first at line {first_line[raw_id]})"
                self._problem(self.lines.key_line("id", index) or line, raw_id, reason)
                continue
            if isinstance(raw_id, str):
                first_line[raw_id] = line
            source = self._source(index, entry)
            if source is not None:
                configured.append(source)
        listed = {source.id for source in configured if source.kind == SITE}
        implicit = [_site_source(site_id) for site_id in all_sites() if site_id not in listed]
        sites = sorted(
            [source for source in configured if source.kind == SITE] + implicit,
            key=lambda source: source.id,
        )
        return sites + [source for source in configured if source.kind == GENERIC]

    # One source ---------------------------------------------------------------------------

    def _source(self, index: int, entry: dict[str, Any]) -> SourceConfig | None:
        line = self.lines.source_line(index)
        raw_id = entry.get("id")
        label = raw_id if isinstance(raw_id, str) and raw_id else f"#{index + 1}"
        before = len(self.problems)

        def problem(reason: str, key: str | None = None, value: str | None = None) -> None:
            where = None
            if value is not None:
                where = self.lines.value_line(value, index)
            if where is None and key is not None:
                where = self.lines.key_line(key, index)
            self._problem(where or line, label, reason)

        if raw_id is None:
            problem("missing key 'id'")
        elif not isinstance(raw_id, str) or not ID_PATTERN.fullmatch(raw_id):
            problem(f"id {raw_id!r} {ID_RULE}", "id")
        kind = entry.get("kind", GENERIC)
        if kind not in KINDS:
            problem(f"kind {kind!r} must be 'generic' or 'site'", "kind")
            return None
        allowed = SITE_KEYS if kind == SITE else GENERIC_KEYS
        unknown = [key for key in entry if key not in allowed]
        for key in unknown:
            if kind == SITE and key in GENERIC_KEYS:
                problem(
                    f"key {key!r} does not apply to a site source (its spider has its own)", key
                )
            else:
                problem(f"unknown key {key!r}{suggestion(key, allowed)}", key)
        enabled = entry.get("enabled", True)
        if not isinstance(enabled, bool):
            problem("'enabled' must be true or false", "enabled")
        if kind == SITE:
            if isinstance(raw_id, str) and raw_id not in all_sites():
                known = ", ".join(all_sites())
                problem(
                    f"no registered site {raw_id!r}{suggestion(raw_id, all_sites())} "
                    f'(sites: {known}); configured sites have kind = "generic"',
                    "id",
                )
            if len(self.problems) > before or not isinstance(raw_id, str):
                return None
            return _site_source(raw_id, enabled=enabled, line=line)
        source = self._generic(entry, raw_id, problem, misspelt=bool(unknown))
        if len(self.problems) > before:
            return None
        source.line = line
        return source

    def _generic(
        self, entry: dict[str, Any], raw_id: Any, problem: Problem, *, misspelt: bool
    ) -> SourceConfig:
        if isinstance(raw_id, str) and raw_id in all_sites():
            problem(
                f'id {raw_id!r} is a site with its own spider: give kind = "site" '
                "or choose another id",
                "id",
            )
        if raw_id in RESERVED_IDS:
            problem(f"id {raw_id!r} is reserved (it names the generic spider)", "id")
        home_url = entry.get("home_url")
        if home_url is None:
            problem("missing key 'home_url'")
        elif (reason := http_url_problem(home_url)) is not None:
            problem(f"home_url {reason}", "home_url")
        name = entry.get("name")
        if name is not None and (not isinstance(name, str) or not name.strip()):
            problem("'name' must be non-empty text", "name")
        lang = entry.get("lang")
        if lang is not None and (not isinstance(lang, str) or language_code(lang) is None):
            problem(f"lang {lang!r} is not a language code such as 'en' or 'pt-BR'", "lang")
        tz = entry.get("tz", "UTC")
        if not isinstance(tz, str) or not _is_zone(tz):
            hint = suggestion(tz, _time_zones()) if isinstance(tz, str) else ""
            problem(f"unknown time zone {tz!r}{hint}", "tz")
        feeds = self._urls(entry, "feeds", problem)
        sitemaps = self._urls(entry, "sitemaps", problem)
        listings = self._listings(entry, problem)
        if not misspelt and not any(entry.get(k) for k in ("feeds", "sitemaps", "listings")):
            problem("nothing to crawl: give 'feeds', 'sitemaps' or 'listings'")
        domains = self._domains(entry, problem)
        for key in ("allow_private_addresses", "feed_times_known"):
            if not isinstance(entry.get(key, False), bool):
                problem(f"{key!r} must be true or false", key)
        max_age = entry.get("max_age_days")
        if max_age is not None and (
            isinstance(max_age, bool) or not isinstance(max_age, int | float) or max_age <= 0
        ):
            problem("'max_age_days' must be a positive number of days", "max_age_days")
        start_urls = [u for u in [home_url, *feeds, *sitemaps] if isinstance(u, str)]
        start_urls += [listing.url for listing in listings]
        default_domains = [site_host(url) for url in start_urls if http_url_problem(url) is None]
        return SourceConfig(
            id=raw_id if isinstance(raw_id, str) else "",
            name=name.strip()
            if isinstance(name, str) and name.strip()
            else site_host(str(home_url or "")),
            kind=GENERIC,
            home_url=home_url if isinstance(home_url, str) else None,
            lang=language_code(lang) if isinstance(lang, str) else None,
            tz=tz if isinstance(tz, str) else "UTC",
            enabled=entry.get("enabled", True) is True,
            feeds=feeds,
            sitemaps=sitemaps,
            listings=listings,
            allow=self._patterns(entry, "allow", problem),
            deny=self._patterns(entry, "deny", problem),
            selectors=self._selectors(entry, problem),
            allowed_domains=list(dict.fromkeys(domains + default_domains)),
            allow_private_addresses=entry.get("allow_private_addresses", False) is True,
            max_age_days=float(max_age) if isinstance(max_age, int | float) else None,
            feed_times_known=entry.get("feed_times_known", True) is not False,
        )

    # Values -------------------------------------------------------------------------------

    @staticmethod
    def _list(entry: dict[str, Any], key: str) -> list[Any] | None:
        value = entry.get(key, [])
        if isinstance(value, str):  # a single value is accepted for a list of one
            return [value]
        return value if isinstance(value, list) else None

    def _urls(self, entry: dict[str, Any], key: str, problem: Problem) -> list[str]:
        values = self._list(entry, key)
        if values is None:
            problem(f"{key!r} must be a list of URLs", key)
            return []
        urls = []
        for value in values:
            reason = http_url_problem(value)
            if reason is not None:
                problem(f"{key} entry {reason}", key, value if isinstance(value, str) else None)
            else:
                urls.append(value)
        return urls

    def _listings(self, entry: dict[str, Any], problem: Problem) -> list[Listing]:
        values = self._list(entry, "listings")
        if values is None:
            problem("'listings' must be a list of URLs or tables {url, links}", "listings")
            return []
        listings = []
        for value in values:
            table = value if isinstance(value, dict) else {"url": value}
            for key in table:
                if key not in LISTING_KEYS:
                    problem(
                        f"listing: unknown key {key!r}{suggestion(key, LISTING_KEYS)}",
                        key,
                    )
            url, links = table.get("url"), table.get("links")
            reason = http_url_problem(url)
            if reason is not None:
                text = url if isinstance(url, str) else None
                problem(f"listing url {reason}", "listings", text)
                continue
            if links is not None:
                if not isinstance(links, str) or not links.strip():
                    problem("listing 'links' must be a CSS selector or XPath", "links")
                    continue
                if (reason := check_selector(links)) is not None:
                    problem(f"listing links selector {reason}", "links", links)
                    continue
            listings.append(Listing(str(url), links))
        return listings

    def _patterns(self, entry: dict[str, Any], key: str, problem: Problem) -> list[re.Pattern[str]]:
        values = self._list(entry, key)
        if values is None or not all(isinstance(value, str) for value in values):
            problem(f"{key!r} must be a list of regular expressions", key)
            return []
        patterns = []
        for value in values:
            try:
                patterns.append(re.compile(value))
            except re.error as error:
                problem(f"{key} pattern {value!r} is not a regular expression: {error}", key, value)
        return patterns

    def _selectors(self, entry: dict[str, Any], problem: Problem) -> dict[str, str]:
        value = entry.get("selectors", {})
        if not isinstance(value, dict):
            problem("'selectors' must be a table of field = \"CSS or XPath\"", "selectors")
            return {}
        selectors = {}
        for name, expression in value.items():
            if name not in SELECTOR_FIELDS:
                fields = ", ".join(sorted(SELECTOR_FIELDS))
                problem(
                    f"selectors: no field {name!r}{suggestion(name, SELECTOR_FIELDS)} "
                    f"(fields: {fields})",
                    name,
                )
            elif not isinstance(expression, str) or not expression.strip():
                problem(f"selectors: {name!r} must be a CSS selector or XPath", name)
            elif (reason := check_selector(expression)) is not None:
                problem(f"selectors: {name!r}: {reason}", name, expression)
            else:
                selectors[name] = expression
        return selectors

    def _domains(self, entry: dict[str, Any], problem: Problem) -> list[str]:
        values = self._list(entry, "allowed_domains")
        if values is None:
            problem("'allowed_domains' must be a list of host names", "allowed_domains")
            return []
        domains = []
        for value in values:
            host = value.lower().removeprefix("www.") if isinstance(value, str) else ""
            if not _HOST.fullmatch(host):
                problem(
                    f"allowed_domains entry {value!r} must be a host name such as 'example.com'",
                    "allowed_domains",
                    value if isinstance(value, str) else None,
                )
            else:
                domains.append(host)
        return domains

    # Messages -----------------------------------------------------------------------------

    def _problem(self, line: int, source: str | None, reason: str) -> None:
        where = f"source {source!r}: " if source else ""
        self.problems.append((line, f"{self.path}:{line}: {where}{reason}"))

    def _header_line(self, name: str) -> int:
        for number, line in enumerate(self.lines.lines):
            found = _HEADER.match(line)
            if found and found[2].replace(" ", "").split(".")[0] == name:
                return number + 1
        return 1


def _is_zone(name: str) -> bool:
    if name not in _time_zones() and name != "UTC":
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
