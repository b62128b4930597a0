"""The simulated news web's timeline: its sites, their articles and every change, for a seed.

Everything is a pure function of the seed, the sites' specs and the web's start time. Each
site's timeline is generated hour by hour, lazily, the first time a question reaches that hour;
every hour draws from its own random generator (seeded by seed, host and hour), so the order of
the questions never changes the answers. Times in a `SiteSpec` are offsets from the start.

What the simulation does, per site:

- publishes at `rate_per_hour` at the local daytime peak, falling to 15 % at night (a Poisson
  process, constant within each hour), plus `bursts`: a breaking story's `count` items in an
  hour, more than a feed of `feed_size` holds;
- updates a share (`update_probability`) of its articles after publication, each further
  update half as likely as the previous one and three times later: a body edit, a headline
  rewrite, or a slug move (new headline and address; the old addresses answer 301).

The `Truth` answers what happened, when: every publication, edit, rewrite and move.
"""

from __future__ import annotations

import bisect
import math
import random
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

HOUR = timedelta(hours=1)

# How a site's feeds answer conditional requests.
HONEST = "honest"  # ETag = hash of the body, Last-Modified = the newest change; 304 when equal
ABSENT = "absent"  # no validators at all: always 200
LYING_ETAG = "lying-etag"  # one ETag forever: 304 to it while the feed changes
STUCK_LAST_MODIFIED = "stuck-last-modified"  # a Last-Modified that never moves: 304 to it
VALIDATORS = (HONEST, ABSENT, LYING_ETAG, STUCK_LAST_MODIFIED)

# What an event of the truth is.
PUBLISHED = "published"
BODY_EDIT = "body-edit"
HEADLINE_REWRITE = "headline-rewrite"
SLUG_MOVE = "slug-move"
UPDATES = (BODY_EDIT, HEADLINE_REWRITE, SLUG_MOVE)

SECTIONS = ("world", "politics", "business", "science", "sport", "culture", "local")
_PLACES = (
    "Harbor Town", "Northfield", "the capital", "the valley", "the coast", "Riverside",
    "the old port", "Eastgate", "the border region", "Lakeshore", "the northern districts",
)  # fmt: skip
_SUBJECTS = (
    "City council", "Regional court", "Port authority", "University researchers",
    "Transport ministry", "Local farmers", "Fire brigade", "Central bank", "Hospital board",
    "Teachers' union", "Water utility", "National team", "Museum curators", "Weather service",
)  # fmt: skip
# The verbs of every routine headline (`Subject verb object`); breaking news has others.
ROUTINE_ACTIONS = (
    "approves", "rejects", "delays", "announces", "questions", "expands", "cuts", "reviews",
    "defends", "unveils", "suspends", "funds",
)  # fmt: skip
_OBJECTS = (
    "new budget", "bridge repairs", "school reform", "harbour expansion", "tram line plan",
    "flood defences", "tax relief", "housing project", "festival programme", "energy tariff",
    "hiring freeze", "stadium lease", "clean air rules", "night bus service",
)  # fmt: skip
_BREAKING = (
    "storm", "earthquake", "factory fire", "train derailment", "power outage", "landslide",
)  # fmt: skip
_SENTENCE_STARTS = (
    "Officials said", "According to documents seen by this newspaper,", "Residents reported that",
    "A spokesperson confirmed", "Critics argued that", "Figures released on the day show that",
    "In a statement, the organisers said", "Experts interviewed for this article agree that",
)  # fmt: skip
_SENTENCE_ENDS = (
    "the decision would take effect before the end of the year",
    "the costs had risen sharply since the spring",
    "more consultations were planned for the coming weeks",
    "the plan had been discussed for almost a decade",
    "nobody had expected the announcement so soon",
    "the first results would be published next month",
    "the measure affected several thousand households",
    "negotiations were continuing late into the evening",
)  # fmt: skip


@dataclass(frozen=True)
class Window:
    """A span of simulated time: `start` (an offset from the web's start) and `length`."""

    start: timedelta
    length: timedelta = HOUR

    def covers(self, offset: timedelta) -> bool:
        """Whether the offset `offset` from the web's start falls in the span."""
        return self.start <= offset < self.start + self.length


@dataclass(frozen=True)
class Throttle(Window):
    """A span in which every request answers 429 with `Retry-After: retry_after` seconds."""

    retry_after: int = 600


@dataclass(frozen=True)
class Burst:
    """A breaking story: `count` items spread over `length` from the offset `at`."""

    at: timedelta
    count: int
    length: timedelta = HOUR


@dataclass(frozen=True)
class RobotsChange:
    """From the offset `at` on, robots.txt disallows `disallow` for every user agent."""

    at: timedelta
    disallow: tuple[str, ...]


@dataclass(frozen=True)
class SiteSpec:
    """How one simulated site behaves (times are offsets from the web's start)."""

    host: str
    name: str = ""
    rate_per_hour: float = 2.0  # at the local daytime peak
    utc_offset_hours: int = 0  # the site's local time, for its day/night cycle
    feed_size: int = 20  # the newest K items in its RSS and Atom feeds
    page_size: int = 10  # items per listing page
    news_sitemap: bool = False
    feed_ttl_minutes: int | None = None  # RSS <ttl> and feeds' Cache-Control max-age
    validators: str = HONEST
    update_probability: float = 0.3
    bursts: tuple[Burst, ...] = ()
    outages: tuple[Window, ...] = ()  # 503 to every request
    throttles: tuple[Throttle, ...] = ()  # 429 with Retry-After
    blocks_newsmon: bool = False  # 403 to a User-Agent naming newsmon
    js_shell: bool = False  # HTML pages carry their text only inside a script
    robots_changes: tuple[RobotsChange, ...] = ()

    def __post_init__(self) -> None:
        if self.validators not in VALIDATORS:
            raise ValueError(f"{self.host}: validators {self.validators!r} not in {VALIDATORS}")
        if any(burst.length > HOUR for burst in self.bursts):
            raise ValueError(f"{self.host}: a burst lasts at most an hour")

    @property
    def title(self) -> str:
        """The site's name as pages show it."""
        return self.name or self.host


@dataclass(frozen=True)
class Version:
    """An article as it reads from `at` until its next version."""

    at: datetime
    kind: str  # PUBLISHED for the first version, else one of UPDATES
    title: str
    slug: str
    body: tuple[str, ...]


@dataclass
class Article:
    """One article of a site with all its versions (the first is its publication)."""

    host: str
    number: int
    section: str
    versions: list[Version]
    _times: list[datetime] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._times = [version.at for version in self.versions]

    @property
    def published_at(self) -> datetime:
        return self.versions[0].at

    def version_at(self, moment: datetime) -> Version | None:
        """The version readers see at `moment`; None before publication."""
        index = bisect.bisect_right(self._times, moment)
        return self.versions[index - 1] if index else None

    def path(self, slug: str) -> str:
        """The address path of the article under `slug` (its number and date never change)."""
        return f"/{self.section}/{self.published_at:%Y/%m/%d}/{self.number}-{slug}"

    def url(self, slug: str) -> str:
        return f"https://{self.host}{self.path(slug)}"

    def url_at(self, moment: datetime) -> str | None:
        """The article's address at `moment`; None before publication."""
        version = self.version_at(moment)
        return self.url(version.slug) if version else None


@dataclass(frozen=True)
class Event:
    """One fact of the truth: at `at`, article `number` of `host` was published or changed."""

    at: datetime
    host: str
    number: int
    kind: str
    url: str  # the article's address after the event
    title: str  # its headline after the event
    old_url: str | None = None  # before a slug move
    old_title: str | None = None  # before a headline rewrite or slug move


def daylight(local_hour: float) -> float:
    """The share of a site's peak rate at `local_hour`: 15 % at night, a daytime hump."""
    if 6 <= local_hour < 24:
        return 0.15 + 0.85 * math.sin(math.pi * (local_hour - 6) / 18)
    return 0.15


def slugify(title: str) -> str:
    """A title as an address slug: lower-case words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


class SiteTimeline:
    """One site's articles and events, generated lazily hour by hour from its start."""

    def __init__(self, spec: SiteSpec, *, seed: int, start: datetime, history: timedelta) -> None:
        self.spec = spec
        self.seed = seed
        self.start = start
        self._next_hour = -math.ceil(history / HOUR)  # the first hour not generated yet
        self.articles: list[Article] = []  # by publication time
        self._published: list[datetime] = []
        self._events: list[Event] = []  # by time
        self._event_times: list[datetime] = []
        self._by_number: dict[int, Article] = {}
        self._by_path: dict[str, Article] = {}  # every address an article ever has
        # The server asks from several threads; an hour must be generated once.
        self._lock = threading.RLock()

    @property
    def host(self) -> str:
        return self.spec.host

    def until(self, moment: datetime) -> SiteTimeline:
        """Make sure every hour up to `moment` is generated; returns the timeline."""
        last = math.floor((moment - self.start) / HOUR)
        with self._lock:
            while self._next_hour <= last:
                self._generate_hour(self._next_hour)
                self._next_hour += 1
        return self

    def newest(self, moment: datetime, count: int, offset: int = 0) -> list[Article]:
        """Up to `count` articles published by `moment`, newest first, skipping `offset`."""
        with self._lock:
            self.until(moment)
            end = bisect.bisect_right(self._published, moment) - offset
            return self.articles[max(0, end - count) : max(0, end)][::-1]

    def published_count(self, moment: datetime) -> int:
        """How many articles the site has published by `moment`."""
        with self._lock:
            return bisect.bisect_right(self.until(moment)._published, moment)

    def article(self, number: int) -> Article | None:
        return self._by_number.get(number)

    def at_path(self, path: str, moment: datetime) -> tuple[Article, Version] | None:
        """The article one of whose addresses is `path`, and its version at `moment`; None
        when no article published by `moment` ever had that address by then."""
        with self._lock:
            article = self.until(moment)._by_path.get(path)
        if article is None:
            return None
        version = article.version_at(moment)
        if version is None:
            return None
        index = article.versions.index(version)
        if all(article.path(v.slug) != path for v in article.versions[: index + 1]):
            return None  # an address the article only moves to later
        return article, version

    def events_between(self, start: datetime, end: datetime) -> list[Event]:
        """The site's events with `start <= at < end`, in time order."""
        with self._lock:
            self.until(end)
            low = bisect.bisect_left(self._event_times, start)
            high = bisect.bisect_left(self._event_times, end)
            return self._events[low:high]

    def last_change(self, moment: datetime) -> datetime | None:
        """When anything last changed on the site at or before `moment`."""
        with self._lock:
            index = bisect.bisect_right(self.until(moment)._event_times, moment)
            return self._event_times[index - 1] if index else None

    def _generate_hour(self, hour: int) -> None:
        rng = random.Random(f"{self.seed}/{self.host}/{hour}")
        hour_start = self.start + hour * HOUR
        local_hour = (hour_start.hour + self.spec.utc_offset_hours + 0.5) % 24
        rate = self.spec.rate_per_hour * daylight(local_hour)
        offsets = []
        elapsed = rng.expovariate(rate) if rate > 0 else math.inf
        while elapsed < 1:
            offsets.append(elapsed)
            elapsed += rng.expovariate(rate)
        for minutes in offsets:
            self._add(rng, hour_start + timedelta(hours=minutes), None)
        for burst in self.spec.bursts:
            if math.floor(burst.at / HOUR) == hour:
                story = f"{rng.choice(_BREAKING)} in {rng.choice(_PLACES)}"
                for _ in range(burst.count):
                    at = self.start + burst.at + rng.random() * burst.length
                    self._add(rng, at, story)

    def _add(self, rng: random.Random, at: datetime, story: str | None) -> None:
        """A new article published at `at` (on the breaking `story`, if any) and its updates."""
        at = at.replace(microsecond=0)
        number = 1000 + len(self._by_number)
        title = _breaking_title(rng, story) if story else _title(rng)
        body = tuple(_paragraph(rng) for _ in range(rng.randint(4, 7)))
        versions = [Version(at, PUBLISHED, title, slugify(title), body)]
        if rng.random() < self.spec.update_probability:
            versions.extend(_updates(rng, versions[0], story))
        article = Article(self.host, number, rng.choice(SECTIONS), versions)
        index = bisect.bisect_right(self._published, at)
        self._published.insert(index, at)
        self.articles.insert(index, article)
        self._by_number[number] = article
        previous: Version | None = None
        for version in versions:
            self._by_path[article.path(version.slug)] = article
            self._record(_event(article, version, previous))
            previous = version

    def _record(self, event: Event) -> None:
        index = bisect.bisect_right(self._event_times, event.at)
        self._event_times.insert(index, event.at)
        self._events.insert(index, event)


def _event(article: Article, version: Version, previous: Version | None) -> Event:
    """The truth's record of `version` of `article` (following `previous`)."""
    url = article.url(version.slug)
    if previous is None:
        return Event(version.at, article.host, article.number, PUBLISHED, url, version.title)
    return Event(
        version.at,
        article.host,
        article.number,
        version.kind,
        url,
        version.title,
        old_url=article.url(previous.slug) if previous.slug != version.slug else None,
        old_title=previous.title if previous.title != version.title else None,
    )


def _updates(rng: random.Random, first: Version, story: str | None) -> list[Version]:
    """An updated article's later versions: each half as likely and three times later than
    the previous one (the first within about an hour), at most four."""
    versions: list[Version] = []
    current, delay, chance = first, timedelta(minutes=5 + rng.expovariate(1 / 55)), 1.0
    while len(versions) < 4 and rng.random() < chance:
        at = (current.at + delay).replace(microsecond=0)
        kind = rng.choices(UPDATES, weights=(6, 3, 1))[0]
        if kind == BODY_EDIT:
            body = (*current.body[:-1], _paragraph(rng), current.body[-1])
            current = Version(at, kind, current.title, current.slug, body)
        else:
            title = _breaking_title(rng, story) if story else _title(rng)
            slug = slugify(title) if kind == SLUG_MOVE else current.slug
            current = Version(at, kind, title, slug, current.body)
        versions.append(current)
        delay, chance = delay * 3, chance / 2
    return versions


def _title(rng: random.Random) -> str:
    return (
        f"{rng.choice(_SUBJECTS)} {rng.choice(ROUTINE_ACTIONS)} {rng.choice(_OBJECTS)} "
        f"in {rng.choice(_PLACES)}"
    )


def _breaking_title(rng: random.Random, story: str) -> str:
    angle = rng.choice(("latest", "what we know", "live updates", "eyewitnesses", "response"))
    return f"{story.capitalize()}: {angle} ({rng.randint(2, 999)})"


def _paragraph(rng: random.Random) -> str:
    return " ".join(
        f"{rng.choice(_SENTENCE_STARTS)} {rng.choice(_SENTENCE_ENDS)} in {rng.choice(_PLACES)}."
        for _ in range(rng.randint(2, 4))
    )


class Truth:
    """What happened on the simulated web, and when (half-open spans: `start <= at < end`)."""

    def __init__(self, sites: dict[str, SiteTimeline]) -> None:
        self._sites = sites

    def events_between(
        self,
        start: datetime,
        end: datetime,
        kinds: Iterable[str] | None = None,
        hosts: Iterable[str] | None = None,
    ) -> list[Event]:
        """Every event in the span (of `kinds` and `hosts`, default all), in time order."""
        wanted = set(kinds) if kinds is not None else None
        chosen = list(hosts) if hosts is not None else list(self._sites)
        events = [
            event
            for host in chosen
            for event in self._sites[host].events_between(start, end)
            if wanted is None or event.kind in wanted
        ]
        return sorted(events, key=lambda event: (event.at, event.host, event.number))

    def published_between(
        self, start: datetime, end: datetime, hosts: Iterable[str] | None = None
    ) -> list[Event]:
        """Every publication in the span, in time order."""
        return self.events_between(start, end, (PUBLISHED,), hosts)

    def updates_between(
        self, start: datetime, end: datetime, hosts: Iterable[str] | None = None
    ) -> list[Event]:
        """Every body edit, headline rewrite and slug move in the span, in time order."""
        return self.events_between(start, end, UPDATES, hosts)

    def article(self, host: str, number: int) -> Article | None:
        return self._sites[host].article(number)

    def url_at(self, host: str, number: int, moment: datetime) -> str | None:
        """Article `number` of `host`'s address at `moment` (None: not published yet)."""
        article = self.article(host, number)
        return article.url_at(moment) if article else None


class SimWeb:
    """The simulated sites and their truth, for a seed, from `start` (history before it)."""

    def __init__(
        self,
        sites: Sequence[SiteSpec],
        *,
        seed: int,
        start: datetime,
        history: timedelta = timedelta(hours=12),
    ) -> None:
        hosts = [spec.host for spec in sites]
        if len(set(hosts)) != len(hosts):
            raise ValueError("two simulated sites share a host name")
        self.seed = seed
        self.start = start.astimezone(UTC)
        self.sites = {
            spec.host: SiteTimeline(spec, seed=seed, start=self.start, history=history)
            for spec in sites
        }
        self.truth = Truth(self.sites)

    @property
    def hosts(self) -> list[str]:
        return list(self.sites)

    def site(self, host: str) -> SiteTimeline:
        return self.sites[host]


def random_sites(count: int, *, seed: int, days: float = 3) -> list[SiteSpec]:
    """`count` varied sites for a web of `days` days: rates from a few items a day to dozens
    an hour, time zones, feed sizes; about 40 % with a news sitemap, half announcing a feed
    TTL, 10 % with a lying ETag and 5 % with a stuck Last-Modified, one in five with a burst
    larger than its feed (in 10 to 60 minutes), and a few with each fault (outage, 429 span, newsmon blocked,
    JavaScript shell, robots change)."""
    rng = random.Random(f"{seed}/sites")
    span = timedelta(days=days)
    sites = []
    for index in range(count):
        feed_size = rng.choice((10, 15, 20, 30, 50))
        draw = rng.random()
        town, paper = rng.choice(_TOWNS), rng.choice(_PAPERS)
        sites.append(
            SiteSpec(
                host=f"{town}-{paper}-{index:03d}.test",
                name=f"{town.title()} {paper.title()} {index}",
                rate_per_hour=round(min(40.0, math.exp(rng.gauss(0.3, 1.1))), 2),
                utc_offset_hours=rng.randint(-8, 9),
                feed_size=feed_size,
                page_size=rng.choice((10, 20, 25)),
                news_sitemap=rng.random() < 0.4,
                feed_ttl_minutes=rng.choice((None, None, None, 15, 30, 60)),
                validators=(
                    LYING_ETAG
                    if draw < 0.10
                    else STUCK_LAST_MODIFIED
                    if draw < 0.15
                    else ABSENT
                    if draw < 0.40
                    else HONEST
                ),
                update_probability=rng.choice((0.1, 0.25, 0.4, 0.6)),
                bursts=(
                    Burst(
                        _moment(rng, span),
                        feed_size + rng.randint(5, 40),
                        timedelta(minutes=rng.choice((10, 20, 30, 60))),
                    ),
                )
                if rng.random() < 0.2
                else (),
                outages=(Window(_moment(rng, span)),) if rng.random() < 0.05 else (),
                throttles=(Throttle(_moment(rng, span), HOUR, rng.choice((60, 300, 900))),)
                if rng.random() < 0.05
                else (),
                blocks_newsmon=rng.random() < 0.02,
                js_shell=rng.random() < 0.02,
                robots_changes=(RobotsChange(_moment(rng, span), ("/",)),)
                if rng.random() < 0.02
                else (),
            )
        )
    return sites


def _moment(rng: random.Random, span: timedelta) -> timedelta:
    """A random offset between the first hour and the end of `span`, to the minute."""
    return timedelta(minutes=rng.randrange(60, max(61, int(span / timedelta(minutes=1)))))


_TOWNS = ("harbor", "northfield", "riverside", "eastgate", "lakeshore", "westbrook", "millport")
_PAPERS = ("gazette", "courier", "herald", "tribune", "post", "chronicle", "ledger", "observer")
