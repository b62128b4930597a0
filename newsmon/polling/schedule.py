"""When to poll a feed, listing or sitemap next, learned from what its polls yielded.

Each entry point of a source (a feed, a listing's first page, a sitemap) has a `PollState`.
`observe` folds one poll's answer into it: the items it showed (new ones are *arrivals*, at
their publication time when the entry point dates them), `304 Not Modified`, failures,
`Retry-After`, and the entry point's own freshness hints (`<ttl>`, `sy:updatePeriod`,
`Cache-Control: max-age`). `plan` then sets the next poll:

- a new entry point is polled at the minimum until it has `HISTORY_POLLS` polls;
- otherwise when the items expected since the last poll reach `PollPolicy.items_per_poll`,
  the expected rate being the entry point's arrivals at that hour of the day over the last
  week (publishing follows the day: a site busy at noon is quiet at 3 a.m.), blended with its
  overall rate so that no hour is ever expected to be silent;
- never sooner than the entry point's own hint asks, nor than `Retry-After`; failures back
  off exponentially; a poll that overflowed (nothing it showed had been seen before: items
  were lost beyond its window) brings the next one to the minimum;
- always between the policy's minimum and maximum.

Conditional GET is trusted, but checked: after `check_after_polls` answers 304 in a row, or
once the entry point's rate makes it implausible that nothing changed, the next poll is sent
without validators (`send_validators`). An answer showing new items proves the 304s a lie when
it carries the very validators the request left out (`same_validators`: sent, they would have
been answered 304 again) or when one of its items was published before the last 304:
conditional GET is then off for that entry point for good (`PollState.lying`).

Pure functions over plain data: the crawl (`newsmon.polling.middleware`) and the freshness
benchmark drive the same code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

HISTORY_POLLS = 3
# The arrivals remembered per entry point, and how far back the rate looks.
MAX_ARRIVALS = 400
RATE_WINDOW = timedelta(days=7)
# How much of the rate at an hour of the day comes from that hour (±1 h) rather than the day.
HOUR_WEIGHT = 0.7
# The URLs an answer showed, kept to tell the next answer's new items (and overlap).
MAX_SEEN = 500
# Steps of the search for the moment the expected items reach the target.
STEP = timedelta(minutes=5)
# An entry point's ETag and Last-Modified, as it answered them.
Validators = tuple[str | None, str | None]
# A 304 is disproved by an item published at least this long before it.
LIE_MARGIN = timedelta(minutes=1)
# The backoff doubles with each failure in a row, up to 2**MAX_BACKOFF_STEPS.
MAX_BACKOFF_STEPS = 6
# Among the entry points a hint leaves free, the order an item several of them showed is
# credited in.
KIND_ORDER = {"feed": 0, "sitemap": 1, "listing": 2}


@dataclass(frozen=True)
class PollPolicy:
    """Bounds and targets of the schedule (settings `NEWSMON_POLL_*`)."""

    minimum: timedelta = timedelta(minutes=2)
    maximum: timedelta = timedelta(hours=6)
    items_per_poll: float = 0.1
    check_after_polls: int = 12
    overflow_pages: int = 10


@dataclass(frozen=True)
class Shown:
    """One item an answer showed: its URL and, when the entry point dates it, its publication."""

    url: str
    published_at: datetime | None = None


@dataclass
class PollState:
    """What newsmon knows of one entry point's polls."""

    url: str
    source: str
    kind: str
    polls: int = 0
    next_at: datetime | None = None
    reason: str = "never polled"
    last_at: datetime | None = None
    # Since when the arrivals are complete: the first poll, or the oldest item it showed.
    history_from: datetime | None = None
    arrivals: list[datetime] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    fingerprint: str | None = None
    # The last answer with a body (200).
    full_at: datetime | None = None
    not_modified: int = 0
    last_not_modified_at: datetime | None = None
    suspicions: int = 0
    lying: str | None = None
    lying_at: datetime | None = None
    failures: int = 0
    hint: timedelta | None = None
    hint_reason: str | None = None
    retry_at: datetime | None = None
    overflow_at: datetime | None = None
    overflow_told: bool = True
    lying_told: bool = True

    def due(self, now: datetime) -> bool:
        """Whether the entry point is to be polled at `now`."""
        return self.next_at is None or self.next_at <= now


@dataclass
class Outcome:
    """What one poll showed, as `observe` judged it."""

    new: list[Shown] = field(default_factory=list)
    novel: list[Shown] = field(default_factory=list)
    first: bool = False
    overflowed: bool = False
    caught_lying: bool = False


def send_validators(state: PollState, now: datetime, policy: PollPolicy) -> tuple[bool, str]:
    """Whether the next request carries the stored validators, and why not when it does not."""
    if state.lying:
        return False, f"conditional GET off: {state.lying}"
    if state.not_modified >= policy.check_after_polls:
        return False, f"checking: {state.not_modified} answers 304 in a row"
    # 304s hide arrivals, so the learned rate falls while a validator lies: time bounds it too.
    if state.not_modified and state.full_at and now - state.full_at >= policy.maximum:
        return False, "checking: 304 for as long as the longest wait"
    if state.not_modified:
        quiet_since = max(filter(None, (state.full_at, *state.arrivals[-1:])), default=None)
        if quiet_since is not None and expected_items(state, quiet_since, now) >= 3:
            return False, "checking: 304 for longer than its rate makes plausible"
    return True, ""


def observe_not_modified(state: PollState, now: datetime) -> Outcome:
    """The entry point answered 304 Not Modified at `now`."""
    state.polls += 1
    state.last_at = now
    state.failures = 0
    state.not_modified += 1
    state.last_not_modified_at = now
    return Outcome()


def observe_failure(state: PollState, now: datetime, retry_after: timedelta | None) -> Outcome:
    """The entry point could not be read at `now` (an error, 429, 5xx)."""
    state.polls += 1
    state.last_at = now
    state.failures += 1
    state.retry_at = now + retry_after if retry_after else None
    return Outcome()


def observe_items(
    state: PollState,
    now: datetime,
    shown: Sequence[Shown],
    *,
    validators_withheld: bool = False,
    validators_kept: bool = False,
    hint: tuple[timedelta, str] | None = None,
    known: Callable[[str], bool] = lambda url: False,
    learn: bool = True,
) -> Outcome:
    """The entry point answered at `now` with the items `shown` (newest first, as shown).
    `validators_withheld`: the request left out validators it had, to check them;
    `validators_kept`: its answer carries them unchanged (`same_validators`). `known`:
    whether the store already has an item (from this or another entry point). Without
    `learn`, the caller teaches the rate later (`record_arrivals`): a crawl that polls a
    source's feed and listing at once decides which one brought an item when both are read.

    Only items new to the store teach the rate: a listing that shows what the source's feed
    already gave learns that it brings nothing and waits long. An answer overflowed when none
    of its items was seen before, here or anywhere: what came between is lost from it."""
    outcome = Outcome()
    seen = set(state.seen)
    urls = [item.url for item in shown]
    outcome.new = [item for item in shown if item.url not in seen]
    novel = outcome.novel = [item for item in outcome.new if not known(item.url)]
    first = outcome.first = state.polls == 0 or not state.seen
    if not first and shown and len(novel) == len(shown):
        outcome.overflowed = True
    lie = None
    if validators_withheld and state.not_modified and state.last_not_modified_at is not None:
        lie = _disproved_304(state, outcome.new, validators_kept=validators_kept)
    outcome.caught_lying = lie is not None
    state.polls += 1
    state.last_at = now
    state.failures = 0
    state.retry_at = None
    state.not_modified = 0
    state.full_at = now
    if hint is not None:
        state.hint, state.hint_reason = hint
    else:
        state.hint = state.hint_reason = None
    if learn:
        record_arrivals(state, now, novel, first=first)
    if shown:
        state.seen = urls[:MAX_SEEN]
        state.fingerprint = fingerprint(urls)
    if outcome.overflowed:
        state.overflow_at = now
        state.overflow_told = False
    if lie is not None:
        state.lying = lie
        state.lying_at = now
        state.lying_told = False
    return outcome


def same_validators(withheld: Validators, answered: Validators) -> bool:
    """Whether an answer carries the validators (ETag, Last-Modified) its request left out,
    unchanged: sent, they would have been answered 304 (If-None-Match is matched first, weakly,
    as HTTP says). A validator that stays the same while the items change hides every change."""
    etag, modified = withheld
    if etag:
        return answered[0] is not None and _opaque(answered[0]) == _opaque(etag)
    return modified is not None and answered[1] == modified


def _opaque(etag: str) -> str:
    return etag.strip().removeprefix("W/")


def _disproved_304(state: PollState, new: Sequence[Shown], *, validators_kept: bool) -> str | None:
    """Why new items prove the 304s wrong, if they do: the validators they were answered to
    did not change with them, or one was published before the last 304. Undated entry points
    need the latter suspicion twice (a change right after an honest 304 happens)."""
    assert state.last_not_modified_at is not None
    if not new:
        return None
    if validators_kept:
        return "answered 304 Not Modified to validators it kept while it showed new items"
    dated = [item.published_at for item in new if item.published_at is not None]
    if dated:
        disproved = min(dated) < state.last_not_modified_at - LIE_MARGIN
    else:
        state.suspicions += 1
        disproved = state.suspicions >= 2
    return "answered 304 Not Modified while it showed new items" if disproved else None


def record_arrivals(state: PollState, now: datetime, new: Sequence[Shown], *, first: bool) -> None:
    """Keep the arrival times of the items the poll at `now` brought (their publication when
    dated and plausible); `first`: the entry point's first answer."""
    if first:
        dated = [item.published_at for item in new if item.published_at is not None]
        dated = [moment for moment in dated if moment <= now]
        # A first answer holds everything published since its oldest item.
        if len(dated) >= 2:
            state.history_from = max(min(dated), now - RATE_WINDOW)
            state.arrivals = sorted(moment for moment in dated if moment >= state.history_from)
        else:
            state.history_from = now
            state.arrivals = []
        return
    since = state.last_at or now
    for item in new:
        moment = item.published_at
        if moment is None or moment > now or moment < now - RATE_WINDOW:
            moment = now
        state.arrivals.append(max(moment, since - RATE_WINDOW))
    state.arrivals.sort()
    cutoff = now - RATE_WINDOW
    state.arrivals = [moment for moment in state.arrivals if moment >= cutoff][-MAX_ARRIVALS:]
    if state.history_from is None:
        state.history_from = now


def credit(polls: Iterable[tuple[PollState, datetime, Outcome]], policy: PollPolicy) -> None:
    """Teach each poll (state, when, outcome) of one crawl the items it brought to the store,
    and plan again. An item several polls showed is credited once, in a fixed order (the order
    pages happen to be parsed in must not decide it): first the entry points free to be polled
    at their rate, then those whose own hint asks for a longer wait than the minimum (a feed's
    `<ttl>`, `max-age`: the source's other entry points are other resources, and the one that
    learns the rate is the one polled at it); among them feeds, then sitemaps, then listings.
    An item is dated when any of the polls dates it."""

    def order(poll: tuple[PollState, datetime, Outcome]) -> tuple[bool, int, str]:
        state = poll[0]
        held = state.hint is not None and state.hint > policy.minimum
        return held, KIND_ORDER.get(state.kind, len(KIND_ORDER)), state.url

    polls = sorted(polls, key=order)
    # An item is dated when any page of the crawl dates it: a listing credited with what its
    # feed dates learns the rate from its first answer, as the feed would.
    dated = {
        item.url: item for _, _, outcome in polls for item in outcome.novel if item.published_at
    }
    credited: set[str] = set()
    for state, moment, outcome in polls:
        items = [dated.get(item.url, item) for item in outcome.novel if item.url not in credited]
        credited.update(item.url for item in items)
        record_arrivals(state, moment, items, first=outcome.first)
        plan(state, moment, policy)


def fingerprint(urls: Iterable[str]) -> str:
    """A short hash of the set of URLs an answer showed."""
    digest = hashlib.sha256("\n".join(sorted(set(urls))).encode("utf-8"))
    return digest.hexdigest()[:16]


def hourly_rate(state: PollState, at: datetime, now: datetime) -> float:
    """The items per hour expected at the moment `at`, from the arrivals known at `now`."""
    if state.history_from is None:
        return 0.0
    start = max(state.history_from, now - RATE_WINDOW)
    span_hours = (now - start) / timedelta(hours=1)
    if span_hours <= 0:
        return 0.0
    arrivals = [moment for moment in state.arrivals if moment >= start]
    overall = len(arrivals) / max(span_hours, 1.0)
    days = span_hours / 24
    if days < 1:
        return overall
    near = sum(1 for moment in arrivals if _hour_distance(moment, at) <= 1)
    at_hour = near / (3 * days)
    return HOUR_WEIGHT * at_hour + (1 - HOUR_WEIGHT) * overall


def _hour_distance(moment: datetime, at: datetime) -> int:
    difference = abs(moment.hour - at.hour)
    return min(difference, 24 - difference)


def expected_items(state: PollState, start: datetime, end: datetime) -> float:
    """The items expected between `start` and `end` at the learned rates."""
    total = 0.0
    moment = start
    while moment < end:
        step = min(STEP, end - moment)
        total += hourly_rate(state, moment, end) * (step / timedelta(hours=1))
        moment += step
    return total


def plan(state: PollState, now: datetime, policy: PollPolicy) -> None:
    """Set `state.next_at` and `state.reason` after a poll at `now` (or for a new entry
    point, which is due at once)."""
    if state.polls == 0:
        state.next_at, state.reason = now, "new: polled at once"
        return
    wait, reason = _learned_wait(state, now, policy)
    if state.overflow_at == state.last_at and state.last_at is not None:
        wait, reason = policy.minimum, "overflowed its window last poll: polled at the minimum"
    if state.failures:
        steps = min(state.failures, MAX_BACKOFF_STEPS)
        backoff = max(wait, policy.minimum) * 2**steps
        wait, reason = backoff, f"failed {state.failures} time(s) in a row: backing off"
    if state.hint is not None and state.hint > wait:
        wait, reason = state.hint, f"asks not to be read more often ({state.hint_reason})"
    wait = min(max(wait, policy.minimum), policy.maximum)
    next_at = now + wait
    if state.retry_at is not None and state.retry_at > next_at:
        next_at = min(state.retry_at, now + policy.maximum)
        reason = f"Retry-After until {state.retry_at:%Y-%m-%d %H:%M} UTC"
    state.next_at, state.reason = next_at, reason


def _learned_wait(state: PollState, now: datetime, policy: PollPolicy) -> tuple[timedelta, str]:
    if state.polls < HISTORY_POLLS:
        return policy.minimum, f"new: polled at the minimum for its first {HISTORY_POLLS} polls"
    target = policy.items_per_poll
    total = 0.0
    moment = now
    while moment - now < policy.maximum:
        rate = hourly_rate(state, moment, now)
        total += rate * (STEP / timedelta(hours=1))
        moment += STEP
        if total >= target:
            break
    wait = moment - now
    rate_now = hourly_rate(state, now, now)
    if total < target:
        return policy.maximum, f"quiet: {_rate(rate_now)} expected, the longest wait"
    return wait, f"{_rate(rate_now)} expected now: ~{target:g} new item(s) per poll"


def _rate(per_hour: float) -> str:
    if per_hour >= 1 or per_hour == 0:
        return f"{per_hour:.3g} new items/hour"
    return f"{per_hour * 24:.2g} new items/day"
