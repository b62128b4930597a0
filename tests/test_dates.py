"""Dates as sites show them, resolved to UTC with how they were obtained."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from newsmon.extract.article import extract_article
from newsmon.normalize.dates import (
    Published,
    UnusableDate,
    parse_timestamp,
    published_exact,
    published_last_time_of_day,
    published_on_page_date,
    published_relative,
    shown_date,
    utc_iso,
)

FETCHED = datetime(2026, 3, 3, 10, 45, tzinfo=UTC)  # 14:45 in Baku


def test_report_az_date_and_time_in_baku_time():
    day = shown_date("03 March, 2026", "%d %B, %Y")
    assert day == date(2026, 3, 3)
    assert published_on_page_date(day, time(13, 41), "Asia/Baku") == Published(
        "2026-03-03T09:41:00+00:00", "2026-03-03", "page_date"
    )


def test_a_bare_time_of_day_is_its_last_occurrence_before_the_fetch():
    assert published_last_time_of_day(time(14, 34), FETCHED, "Asia/Baku").at == (
        "2026-03-03T10:34:00+00:00"
    )
    # 23:50 shown at 14:45 was yesterday evening.
    assert published_last_time_of_day(time(23, 50), FETCHED, "Asia/Baku") == Published(
        "2026-03-02T19:50:00+00:00", "2026-03-02", "fetch_time"
    )


def test_timestamps_without_offset_are_read_in_the_source_zone():
    assert published_exact("2026-03-03T13:41:00", "Asia/Baku").at == "2026-03-03T09:41:00+00:00"
    assert published_exact("Tue, 03 Mar 2026 13:41:00 +0400", "UTC").at == (
        "2026-03-03T09:41:00+00:00"
    )
    assert published_exact("not a date", "UTC") == Published(None, None, None)


def test_the_day_of_a_timestamp_is_its_source_zone_s_else_its_own_offset_s():
    # a source with no zone set (UTC): 03:01 in Dubai is 3 June, though 2 June in UTC
    assert published_exact("2020-06-03T03:01+04:00", "UTC") == Published(
        "2020-06-02T23:01:00+00:00", "2020-06-03", "exact"
    )
    assert published_exact("2020-04-07T17:10:46-07:00", "UTC").date == "2020-04-07"
    assert published_exact("2020-04-14T00:38:07Z", "UTC").date == "2020-04-14"
    # a source's zone, when set, decides
    assert published_exact("2020-04-14T00:38:07Z", "America/Los_Angeles").date == "2020-04-13"
    assert published_exact("2020-04-07T17:10:46-07:00", "Europe/Berlin").date == "2020-04-08"


def test_relative_times_resolve_against_the_fetch_time():
    assert published_relative("2 hours ago", FETCHED, "Asia/Baku") == Published(
        "2026-03-03T08:45:00+00:00", "2026-03-03", "fetch_time"
    )
    assert (
        published_relative("2 часа назад", FETCHED, "Asia/Baku").at == "2026-03-03T08:45:00+00:00"
    )
    assert published_relative("3 saat önce", FETCHED, "Europe/Istanbul").at == (
        "2026-03-03T07:45:00+00:00"
    )
    assert published_relative("yesterday", FETCHED, "Asia/Baku") == Published(
        None, "2026-03-02", "date_only"
    )
    assert published_relative("Military", FETCHED, "Asia/Baku") is None


def test_a_time_element_with_relative_text_dates_a_generic_article():
    html = """<html lang="en"><body><article><h1>Storm hits the coast overnight</h1>
    <time>5 hours ago</time><p>A storm hit the coast overnight, cutting power to thousands of
    homes and closing the main road for several hours while crews cleared fallen trees.</p>
    </article></body></html>"""
    article = extract_article(
        "https://news.example/storm-hits-the-coast", html, FETCHED, source="example", tz="Asia/Baku"
    )
    assert (article.published_at, article.published_basis) == (
        "2026-03-03T05:45:00+00:00",
        "fetch_time",
    )
    assert article.methods["published_at"] == "time"


def test_an_rfc_2822_year_written_in_full_is_that_year():
    # The email module alone reads `0001` as 2001 (and then 2000-12-31 in UTC).
    assert parse_timestamp("Mon, 01 Jan 0001 00:00:00 +1400") == datetime.fromisoformat(
        "0001-01-01T00:00:00+14:00"
    )
    assert parse_timestamp("Mon, 01 Jan 0000 00:00:00 +0000") is None
    assert parse_timestamp("Tue, 03 Mar 26 13:41:00 +0400") == datetime.fromisoformat(
        "2026-03-03T13:41:00+04:00"
    )


def test_an_offset_written_without_its_leading_zero_is_that_offset():
    assert parse_timestamp("2018-10-29T10:15-500") == datetime.fromisoformat(
        "2018-10-29T10:15:00-05:00"
    )
    assert parse_timestamp("2018-10-29T10:15:00+930") == datetime.fromisoformat(
        "2018-10-29T10:15:00+09:30"
    )
    assert parse_timestamp("2018-10-29 -500") is None


def test_an_iso_date_with_a_month_or_day_of_one_digit_is_that_date():
    # as elcolombiano.com's JSON-LD and cXense tags write them
    assert parse_timestamp("2022-5-5 22:17:36") == datetime.fromisoformat("2022-05-05T22:17:36")
    assert parse_timestamp("2022-05-6T12:00:00.000Z") == datetime.fromisoformat(
        "2022-05-06T12:00:00+00:00"
    )
    assert parse_timestamp("2022-13-5 10:00") is None
    assert parse_timestamp("2022-5-5x") is None


@pytest.mark.parametrize(
    ("value", "tz", "shown"),
    [
        ("Fri, 31 Dec 9999 23:59:59 -1200", "UTC", "9999-12-31T23:59:59-12:00"),
        ("Mon, 01 Jan 0001 00:00:00 +1400", "UTC", "0001-01-01T00:00:00+14:00"),
        ("9999-12-31T23:59:59Z", "Asia/Baku", "9999-12-31T23:59:59+00:00"),
        ("0001-01-01T05:00:00", "America/New_York", "0001-01-01T05:00:00-04:56:02"),
    ],
)
def test_a_moment_at_the_ends_of_the_calendar_is_an_unusable_date(value, tz, shown):
    with pytest.raises(UnusableDate) as raised:
        published_exact(value, tz)
    assert str(raised.value) == (
        f"{shown} is out of range (newsmon reads dates from 0001-01-02 to 9999-12-30 in UTC)"
    )


def test_a_moment_a_day_from_the_ends_is_usable_in_every_zone():
    assert published_exact("9999-12-30T12:00:00+14:00", "Pacific/Kiritimati") == Published(
        "9999-12-29T22:00:00+00:00", "9999-12-30", "exact"
    )
    # A time of the store's own (a fetch time, a --since) only has to exist in UTC.
    assert utc_iso(datetime(9999, 12, 31, 12, tzinfo=UTC)) == "9999-12-31T12:00:00+00:00"
    with pytest.raises(UnusableDate):
        utc_iso(datetime.fromisoformat("0001-01-01T00:00:00+14:00"))


def test_a_shown_date_at_the_ends_of_the_calendar_is_no_date():
    assert shown_date("31 December, 9999", "%d %B, %Y") is None
    assert shown_date("01 January, 0001", "%d %B, %Y") is None
    assert shown_date("29 December, 9999", "%d %B, %Y") == date(9999, 12, 29)
