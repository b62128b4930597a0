"""Dates as pages show them to readers (`published_shown`), without a machine-readable value."""

from __future__ import annotations

import pytest

from newsmon.normalize.dates import Published, published_shown, shown_date_start


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Par Florence Audier, le 15 septembre 2009", "fr", (None, "2009-09-15", "date_only")),
        ("le 3 mars 2026 à 14h30", "fr", ("2026-03-03T13:30:00+00:00", "2026-03-03", "exact")),
        ("3. März 2026 | 14.05 Uhr", "de", ("2026-03-03T13:05:00+00:00", "2026-03-03", "exact")),
        ("12.10.2015, 19:16 Uhr", None, ("2015-10-12T17:16:00+00:00", "2015-10-12", "exact")),
        ("3 марта 2026, 12:15", "ru", ("2026-03-03T11:15:00+00:00", "2026-03-03", "exact")),
        ("martes 17 de marzo de 2020", "es", (None, "2020-03-17", "date_only")),
        (
            "17 de março de 2020, 10:32",
            "pt",
            ("2020-03-17T09:32:00+00:00", "2020-03-17", "exact"),
        ),
        (
            "3 de marzo del 2026 a las 14:05",
            "es",
            ("2026-03-03T13:05:00+00:00", "2026-03-03", "exact"),
        ),
        (
            "November 19, 2019 at 9:45 am",
            "en",
            ("2019-11-19T08:45:00+00:00", "2019-11-19", "exact"),
        ),
        ("Nov 19, 2019 at 9:08 GMT", "en", ("2019-11-19T09:08:00+00:00", "2019-11-19", "exact")),
        ("Sept. 3, 2026 12:30 pm", None, ("2026-09-03T10:30:00+00:00", "2026-09-03", "exact")),
        ("Dec 12, 2019 12:05 am", None, ("2019-12-11T23:05:00+00:00", "2019-12-12", "exact")),
        ("Published 2026-03-03", None, (None, "2026-03-03", "date_only")),
        ("2020年07月12日", "ja", (None, "2020-07-12", "date_only")),
        (
            "发布时间：2020年7月12日 22:00",
            "zh",
            ("2020-07-12T20:00:00+00:00", "2020-07-12", "exact"),
        ),
        ("입력 2020년 7월 12일 10:30", "ko", ("2020-07-12T08:30:00+00:00", "2020-07-12", "exact")),
        (
            "2019年04月21日 12時00分更新",
            "ja",
            ("2019-04-21T10:00:00+00:00", "2019-04-21", "exact"),
        ),
        ("2020년 7월 12일 10시 30분", "ko", ("2020-07-12T08:30:00+00:00", "2020-07-12", "exact")),
        (
            "Updated: Oct 9, 2019, 11:05 IST",
            "en",
            ("2019-10-09T05:35:00+00:00", "2019-10-09", "exact"),
        ),
        (
            "on 1 June 2019 at 08:34 PM EDT.",
            "en",
            ("2019-06-02T00:34:00+00:00", "2019-06-02", "exact"),
        ),
        ("11/28/2016 11:00 AM PT", "en", ("2016-11-28T19:00:00+00:00", "2016-11-28", "exact")),
        ("July 4, 2019 9:30 am ET", "en", ("2019-07-04T13:30:00+00:00", "2019-07-04", "exact")),
        ("Jan 9, 2019 10:05 PM CT", "en", ("2019-01-10T04:05:00+00:00", "2019-01-10", "exact")),
        ("28/11/2016 - 17:45", "fr", ("2016-11-28T16:45:00+00:00", "2016-11-28", "exact")),
        ("22.04.2020 / 06:15 /", "de", ("2020-04-22T04:15:00+00:00", "2020-04-22", "exact")),
        (
            "تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً",
            "ar",
            ("2020-04-24T19:22:00+00:00", "2020-04-24", "exact"),
        ),
        ("24/04/2020 09:22 ص", "ar", ("2020-04-24T07:22:00+00:00", "2020-04-24", "exact")),
        ("3 كانون الثاني 2021", "ar", (None, "2021-01-03", "date_only")),
        ("5 آب/أغسطس 2019", "ar", (None, "2019-08-05", "date_only")),
        ("12 تشرين الأول 2020", None, (None, "2020-10-12", "date_only")),
        (
            "News24 13 Jan 2020, 22:11 GMT+10",
            "en",
            ("2020-01-13T12:11:00+00:00", "2020-01-13", "exact"),
        ),
        ("13 Jan 2020 22:11 UTC-03:30", None, ("2020-01-14T01:41:00+00:00", "2020-01-14", "exact")),
        # the year first, as Chinese, Japanese and Korean pages write dates with numbers; a
        # morning's or afternoon's word before the time
        ("2024/01/12 10:30", "ja", ("2024-01-12T09:30:00+00:00", "2024-01-12", "exact")),
        ("입력 2024.01.12. 오후 3:05", "ko", ("2024-01-12T14:05:00+00:00", "2024-01-12", "exact")),
        ("2024.1.12 오전 9:05", "ko", ("2024-01-12T08:05:00+00:00", "2024-01-12", "exact")),
        ("2024年1月12日 下午3:05", "zh", ("2024-01-12T14:05:00+00:00", "2024-01-12", "exact")),
        ("2024年1月12日 午後3時05分", "ja", ("2024-01-12T14:05:00+00:00", "2024-01-12", "exact")),
        ("2024/1/12", "zh", (None, "2024-01-12", "date_only")),
        # the word before the time in Portuguese, Italian, Dutch, Finnish, Indonesian, Polish
        # and Czech; Indonesia's Western zone; Hungarian's year first with the month's name
        (
            "12 de janeiro de 2024 às 10:30",
            "pt",
            ("2024-01-12T09:30:00+00:00", "2024-01-12", "exact"),
        ),
        (
            "12 gennaio 2024 alle ore 10:30",
            "it",
            ("2024-01-12T09:30:00+00:00", "2024-01-12", "exact"),
        ),
        ("12 januari 2024 om 10:30", "nl", ("2024-01-12T09:30:00+00:00", "2024-01-12", "exact")),
        ("12.1.2024 klo 10.30", "fi", ("2024-01-12T09:30:00+00:00", "2024-01-12", "exact")),
        (
            "Jumat, 12 Januari 2024 pukul 10.30 WIB",
            "id",
            ("2024-01-12T03:30:00+00:00", "2024-01-12", "exact"),
        ),
        (
            "12 stycznia 2024 o godz. 10:30",
            "pl",
            ("2024-01-12T09:30:00+00:00", "2024-01-12", "exact"),
        ),
        ("12. ledna 2024 v 10:30", "cs", ("2024-01-12T09:30:00+00:00", "2024-01-12", "exact")),
        ("2024. január 12. 10:30", "hu", ("2024-01-12T09:30:00+00:00", "2024-01-12", "exact")),
        # the time right after a Chinese date, no space between ("2024年01月12日08:31")
        (
            "2024年01月12日08:31 | 来源：人民网",
            "zh",
            ("2024-01-12T07:31:00+00:00", "2024-01-12", "exact"),
        ),
        # the day of the week in brackets between a Japanese or Korean date and its time
        ("2024年1月12日(金) 10時30分", "ja", ("2024-01-12T09:30:00+00:00", "2024-01-12", "exact")),
        ("2024/01/12（金）10:30", "ja", ("2024-01-12T09:30:00+00:00", "2024-01-12", "exact")),
        ("2024.01.12 (금) 15:05", "ko", ("2024-01-12T14:05:00+00:00", "2024-01-12", "exact")),
        # a Korean date with a space after each dot, the afternoon's word before the time
        ("입력 2024. 1. 12. 오후 3:05", "ko", ("2024-01-12T14:05:00+00:00", "2024-01-12", "exact")),
        # a bullet or middle dot between the date and the time
        ("12 January 2024 • 10:30", "en", ("2024-01-12T09:30:00+00:00", "2024-01-12", "exact")),
        ("12 January 2024 · 10:30", "en", ("2024-01-12T09:30:00+00:00", "2024-01-12", "exact")),
        # day first with slashes, where the page's language writes it so
        ("12/01/2024 às 10h30", "pt", ("2024-01-12T09:30:00+00:00", "2024-01-12", "exact")),
        # a blog theme's byline: "@" for "at" (simplyfound.com)
        (
            "Monday, February 29, 2016 @ 11:10 PM",
            "en",
            ("2016-02-29T22:10:00+00:00", "2016-02-29", "exact"),
        ),
        ("29.02.2016 @ 23:10", None, ("2016-02-29T22:10:00+00:00", "2016-02-29", "exact")),
    ],
)
def test_a_shown_date_is_read_with_the_time_that_follows_it(
    text: str, lang: str | None, expected: tuple[str | None, str, str]
) -> None:
    assert published_shown(text, "Europe/Berlin", lang) == Published(*expected)


@pytest.mark.parametrize(
    "text",
    [
        "31.02.2020",
        "03/04/2016",
        "2020年13月12日",
        "2024/13/12",
        "12/01/2024 10:30",  # in English: the 12th of January or the 1st of December
        "2024.01/12",
        "Marathon 3, 2019",
        "Mitte 2020 kommt",
        "Updated 12 hours ago",
        "",
        None,
    ],
)
def test_text_showing_no_possible_date_is_none(text: str | None) -> None:
    assert published_shown(text, "Europe/Berlin", "en") is None


@pytest.mark.parametrize(
    ("tz", "lang", "day"),
    [
        ("America/New_York", "en", "2025-03-04"),  # month first, as in the US
        ("UTC", "en", "2025-03-04"),  # a page of no known place: most are American
        ("Asia/Manila", "fil", "2025-03-04"),
        ("Europe/London", "en", None),  # the UK writes the day first: either is possible
        ("Europe/Paris", "fr", "2025-04-03"),
    ],
)
def test_a_slashed_date_s_order_follows_the_page_s_language_and_place(
    tz: str, lang: str, day: str | None
) -> None:
    shown = published_shown("3/4/2025", tz, lang)
    assert (shown.date if shown else None) == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a station's byline: the time, the day of the week, then the date
        (
            "Posted: Fri 6:45 PM, Feb 16, 2018 | Updated: Sat 8:31 PM, Feb 17, 2018",
            ("2018-02-16T17:45:00+00:00", "2018-02-16", "exact"),
        ),
        ("14:05, 3. März 2026", ("2026-03-03T13:05:00+00:00", "2026-03-03", "exact")),
        ("10:30 Uhr, 20.09.2020", ("2020-09-20T08:30:00+00:00", "2020-09-20", "exact")),
        # CNN's: the zone it names between the time and the day of the week
        (
            "Updated 10:35 AM EST, Tue March 12, 2024",
            ("2024-03-12T15:35:00+00:00", "2024-03-12", "exact"),
        ),
        # a version number or a duration is no time of day
        ("Version 2.10, 20.09.2020", (None, "2020-09-20", "date_only")),
        ("Duration: 3:57. 20 May 2020", (None, "2020-05-20", "date_only")),
    ],
)
def test_a_shown_date_is_read_with_the_time_before_it(
    text: str, expected: tuple[str | None, str, str]
) -> None:
    assert published_shown(text, "Europe/Berlin", None) == Published(*expected)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("ALLIN ONE on Jan 22, 2025", 13),
        ("Stephen Bay 6:45 PM, Feb 16, 2018", 12),
        # the Levantine month read as its Gregorian name, the place kept in the text as shown
        ("حسام أبو العلا 24 نيسان / أبريل 2020", 15),
        ("Jane Doe", None),
    ],
)
def test_where_a_shown_date_begins_in_a_text(text: str, start: int | None) -> None:
    assert shown_date_start(text) == start
