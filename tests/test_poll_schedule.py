"""The poll schedule (`newsmon.polling.schedule`, `newsmon.polling.hints`) on plain data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from newsmon.polling.hints import freshness_hint, retry_after
from newsmon.polling.schedule import (
    PollPolicy,
    PollState,
    Shown,
    credit,
    observe_failure,
    observe_items,
    observe_not_modified,
    plan,
    same_validators,
    send_validators,
)

T0 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
POLICY = PollPolicy(items_per_poll=1.0)
MINUTE = timedelta(minutes=1)


def feed() -> PollState:
    return PollState(url="https://a.test/rss.xml", source="a", kind="feed")


def published_every(step: timedelta, until: datetime, count: int) -> list[Shown]:
    """The `count` newest items at `until` of a feed publishing one every `step` since T0,
    newest first."""
    newest = T0 + ((until - T0) // step) * step
    return [
        Shown(f"https://a.test/{int((newest - n * step).timestamp())}", newest - n * step)
        for n in range(count)
    ]


def poll_for(state: PollState, start: datetime, hours: float, step: timedelta) -> datetime:
    """Poll `state` whenever due for `hours` from `start` on a feed publishing every `step`."""
    moment = start
    while moment < start + timedelta(hours=hours):
        if state.due(moment):
            observe_items(state, moment, published_every(step, moment, 20))
            plan(state, moment, POLICY)
        moment += MINUTE
    return moment


def test_a_new_entry_point_is_due_at_once_then_polled_at_the_minimum() -> None:
    state = feed()
    plan(state, T0, POLICY)
    assert state.due(T0) and state.reason == "new: polled at once"
    observe_items(state, T0, published_every(timedelta(hours=5), T0, 20))
    plan(state, T0, POLICY)
    assert state.next_at == T0 + POLICY.minimum
    assert state.reason == "new: polled at the minimum for its first 3 polls"


def test_a_quiet_feed_is_polled_less_often_than_a_busy_one() -> None:
    busy, quiet = feed(), feed()
    poll_for(busy, T0, 30, timedelta(minutes=5))
    poll_for(quiet, T0, 30, timedelta(hours=3))
    busy_wait = busy.next_at - busy.last_at
    quiet_wait = quiet.next_at - quiet.last_at
    assert busy_wait <= timedelta(minutes=6)
    assert quiet_wait >= timedelta(hours=2)
    assert "expected now" in busy.reason


def test_a_feed_silent_at_night_waits_longer_at_night_than_by_day() -> None:
    state = feed()
    moment = T0
    # Two days: an item every 10 minutes from 08:00 to 20:00, none at night.
    for _ in range(2 * 24 * 60):
        if state.due(moment):
            every_ten = published_every(timedelta(minutes=10), moment, 300)
            day = [item for item in every_ten if 8 <= item.published_at.hour < 20][:20]
            observe_items(state, moment, day)
            plan(state, moment, POLICY)
        moment += MINUTE
    noon, three = moment.replace(hour=12), moment.replace(hour=3)
    state.last_at = noon
    plan(state, noon, POLICY)
    day_wait = state.next_at - noon
    state.last_at = three
    plan(state, three, POLICY)
    night_wait = state.next_at - three
    assert day_wait <= timedelta(minutes=20)
    assert night_wait >= 3 * day_wait


def test_ttl_is_honoured_as_the_shortest_wait() -> None:
    state = feed()
    poll_for(state, T0, 5, timedelta(minutes=2))
    observe_items(state, T0 + timedelta(hours=6), [], hint=(timedelta(minutes=45), "<ttl>"))
    plan(state, T0 + timedelta(hours=6), POLICY)
    assert state.next_at == T0 + timedelta(hours=6, minutes=45)
    assert state.reason == "asks not to be read more often (<ttl>)"


def test_retry_after_and_failures_back_off() -> None:
    state = feed()
    poll_for(state, T0, 5, timedelta(minutes=10))
    moment = T0 + timedelta(hours=6)
    observe_failure(state, moment, timedelta(minutes=90))
    plan(state, moment, POLICY)
    assert state.next_at == moment + timedelta(minutes=90)
    assert state.reason.startswith("Retry-After until")
    waits = []
    for _ in range(3):
        observe_failure(state, moment, None)
        plan(state, moment, POLICY)
        waits.append(state.next_at - moment)
    assert waits[0] < waits[1] < waits[2] <= POLICY.maximum
    assert state.reason == "failed 4 time(s) in a row: backing off"


def test_an_answer_of_only_unseen_items_is_an_overflow_polled_at_the_minimum() -> None:
    state = feed()
    poll_for(state, T0, 5, timedelta(minutes=30))
    moment = T0 + timedelta(hours=5, minutes=30)
    burst = [Shown(f"https://a.test/burst/{n}", moment - n * MINUTE) for n in range(20)]
    outcome = observe_items(state, moment, burst)
    plan(state, moment, POLICY)
    assert outcome.overflowed and not state.overflow_told
    assert state.next_at == moment + POLICY.minimum


def test_a_304_disproved_by_an_older_item_turns_conditional_get_off() -> None:
    state = feed()
    poll_for(state, T0, 3, timedelta(minutes=10))
    moment = T0 + timedelta(hours=3)
    for _ in range(POLICY.check_after_polls):
        moment += timedelta(minutes=10)
        observe_not_modified(state, moment)
        plan(state, moment, POLICY)
    send, why = send_validators(state, moment, POLICY)
    assert not send and why.startswith("checking")
    moment += timedelta(minutes=10)
    outcome = observe_items(
        state, moment, published_every(timedelta(minutes=10), moment, 20), validators_withheld=True
    )
    assert outcome.caught_lying
    assert state.lying == "answered 304 Not Modified while it showed new items"
    assert send_validators(state, moment, POLICY)[0] is False


def test_an_honest_304_is_not_a_lie() -> None:
    state = feed()
    poll_for(state, T0, 3, timedelta(minutes=10))
    moment = T0 + timedelta(hours=3)
    shown = published_every(timedelta(minutes=10), moment, 20)
    observe_items(state, moment, shown)
    observe_not_modified(state, moment + MINUTE)
    # Nothing new since: the check finds the same items.
    outcome = observe_items(state, moment + 2 * MINUTE, shown, validators_withheld=True)
    assert not outcome.caught_lying and state.lying is None


def listing_checked(kept: bool) -> tuple[PollState, bool]:
    """A listing (its items undated) answers 304, then shows a new item to the check without
    validators, with the validators it had (`kept`) or new ones."""
    state = PollState(url="https://a.test/latest", source="a", kind="listing")
    observe_items(state, T0, [Shown("https://a.test/1")])
    observe_not_modified(state, T0 + 10 * MINUTE)
    shown = [Shown("https://a.test/2"), Shown("https://a.test/1")]
    moment = T0 + 20 * MINUTE
    outcome = observe_items(state, moment, shown, validators_withheld=True, validators_kept=kept)
    return state, outcome.caught_lying


def test_validators_kept_while_new_items_appeared_prove_the_304s_a_lie() -> None:
    # Sent, the same validators would have been answered 304 again: the first check that
    # shows a new item proves it, dated or not.
    state, caught = listing_checked(kept=True)
    assert caught
    assert (
        state.lying == "answered 304 Not Modified to validators it kept while it showed new items"
    )
    assert send_validators(state, T0 + 20 * MINUTE, POLICY)[0] is False
    # New validators with the new item: the 304 may have come just before it.
    state, caught = listing_checked(kept=False)
    assert not caught and state.lying is None and state.suspicions == 1


def test_same_validators_compare_as_a_conditional_get_would() -> None:
    date = "Mon, 02 Mar 2026 00:00:00 GMT"
    assert same_validators(('"abc"', date), ('W/"abc"', None))
    # If-None-Match decides when there is an ETag.
    assert not same_validators(('"abc"', date), ('"abd"', date))
    assert same_validators((None, date), ('"abd"', date))
    assert not same_validators((None, date), (None, "Tue, 03 Mar 2026 00:00:00 GMT"))
    assert not same_validators((None, None), (None, None))


def test_freshness_hints_from_headers_and_feed_head() -> None:
    rss = b"<rss><channel><title>x</title><ttl>30</ttl><item></item></channel></rss>"
    assert freshness_hint({}, rss) == (timedelta(minutes=30), "<ttl>")
    sy = b"<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>"
    assert freshness_hint({}, sy) == (timedelta(minutes=15), "sy:updatePeriod")
    headers = {"Cache-Control": "public, max-age=600"}
    assert freshness_hint(headers, rss) == (timedelta(minutes=30), "<ttl>")
    assert freshness_hint(headers, b"") == (timedelta(minutes=10), "Cache-Control max-age")
    assert freshness_hint({"Cache-Control": "no-cache, max-age=600"}, b"") is None
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert retry_after({"Retry-After": "120"}, now) == timedelta(minutes=2)
    assert retry_after({"Retry-After": "Mon, 02 Mar 2026 12:30:00 GMT"}, now) == timedelta(
        minutes=30
    )
    assert retry_after({"Retry-After": "soon"}, now) is None


def test_items_two_polls_showed_teach_the_entry_point_no_hint_holds_back() -> None:
    """A feed asking for 60 minutes (`<ttl>`) and the listing of the same source, both polled
    at the minimum in one crawl: the listing learns the rate (from the publication times the
    feed gives its items) and is polled at it; the feed, credited only with the older items the
    listing does not show, waits its hour."""
    policy = PollPolicy(items_per_poll=0.5)
    rss = feed()
    listing = PollState(url="https://a.test/latest", source="a", kind="listing")
    hint = (timedelta(minutes=60), "<ttl>")
    moment = T0
    for _ in range(4):
        shown = published_every(timedelta(minutes=6), moment, 20)
        undated = [Shown(item.url) for item in shown[:10]]  # a listing's page shows no times
        polls = [
            (rss, moment, observe_items(rss, moment, shown, hint=hint, learn=False)),
            (listing, moment, observe_items(listing, moment, undated, learn=False)),
        ]
        credit(polls, policy)
        moment += policy.minimum
    # The listing: the 10 items of its first answer (over 54 minutes) and the one published 6
    # minutes later, about 10 an hour, so 0.5 of them in 3 minutes (the wait is searched in
    # 5-minute steps).
    # The feed brought only the 10 older items.
    assert (len(listing.arrivals), len(rss.arrivals)) == (11, 10)
    last = moment - policy.minimum
    assert listing.next_at == last + timedelta(minutes=5)
    assert rss.next_at == last + timedelta(minutes=60)
    assert rss.reason == "asks not to be read more often (<ttl>)"
