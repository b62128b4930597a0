"""Poll states in a real store (`newsmon.polling.states`): kept whole, read by source, and a
damaged one polled as new rather than stopping the crawl."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsmon.polling.schedule import PollState
from newsmon.polling.states import due_sources, load_states, save_states
from newsmon.store import Store

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def state(source: str, url: str, next_in: timedelta) -> PollState:
    return PollState(
        url=url,
        source=source,
        kind="feed",
        polls=4,
        next_at=NOW + next_in,
        reason="because",
        last_at=NOW - timedelta(minutes=5),
        history_from=NOW - timedelta(days=2),
        arrivals=[NOW - timedelta(hours=3), NOW - timedelta(minutes=20)],
        seen=["https://a.test/1", "https://a.test/2"],
        hint=timedelta(minutes=30),
        hint_reason="<ttl>",
    )


def test_states_come_back_whole_and_by_source(tmp_path: Path) -> None:
    a = state("a", "https://a.test/rss", timedelta(minutes=10))
    b = state("b", "https://b.test/rss", -timedelta(minutes=1))
    with Store.open(tmp_path / "n.db") as store:
        with store.transaction():
            save_states(store, [a, b])
        assert load_states(store) == {a.url: a, b.url: b}
        assert load_states(store, ["b"]) == {b.url: b}
        # b is due, a is not; c has no state yet: due at once.
        assert due_sources(store, ["a", "b", "c"], NOW) == ["b", "c"]


def test_a_damaged_state_is_left_out_with_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = state("a", "https://a.test/rss", timedelta(minutes=10))
    with Store.open(tmp_path / "n.db") as store:
        with store.transaction():
            save_states(store, [good, state("a", "https://a.test/atom", timedelta(0))])
            store.conn.execute(
                "UPDATE polls SET arrivals = '{\"not\": \"a list\"}' WHERE url LIKE '%atom'"
            )
        with caplog.at_level(logging.WARNING, logger="newsmon.polling.states"):
            assert load_states(store) == {good.url: good}
    assert [record.getMessage() for record in caplog.records] == [
        "https://a.test/atom: its poll schedule in the store is unreadable "
        '(not a list: \'{"not": "a list"}\'); polled as new'
    ]
