"""Dates and times: everything leaves here as UTC ISO 8601, with how it was obtained."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

UTC = UTC


@dataclass(frozen=True)
class Published:
    """A publication time as newsmon stores it.

    `at` is UTC ISO 8601 when a time of day is known, else None; `date` is the publisher's
    calendar date (in the source's time zone, or when none is set in the offset a timestamp
    was written with); `basis` says how it was obtained (see `newsmon.items.BASES`).
    """

    at: str | None
    date: str | None
    basis: str | None


NOT_PUBLISHED = Published(None, None, None)

# A moment within a day of the calendar's ends (0001-01-01, 9999-12-31) cannot be moved into
# every time zone: Python raises OverflowError. No news is dated there, so such a date is
# unusable; a shown calendar date keeps two days' distance, as any time of it in any zone
# must stay in range.
_FIRST_MOMENT = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
_LAST_MOMENT = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)
_FIRST_DAY = date.min + timedelta(days=2)
_LAST_DAY = date.max - timedelta(days=2)


class UnusableDate(ValueError):
    """A date that reads well but lies too near the calendar's ends to be converted."""


def in_range(moment: datetime) -> bool:
    """Whether an aware `moment` is far enough from year 1 and year 9999 to be converted
    into UTC and any time zone."""
    return _FIRST_MOMENT <= moment <= _LAST_MOMENT


def usable(moment: datetime) -> datetime:
    """`moment` (aware), or UnusableDate when it is too near the calendar's ends for a
    publication time: within a day of 0001-01-01 or 9999-12-31 in UTC."""
    if not in_range(moment):
        raise UnusableDate(
            f"{moment.isoformat()} is out of range "
            "(newsmon reads dates from 0001-01-02 to 9999-12-30 in UTC)"
        )
    return moment


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """The IANA time zone called `name` (cached: sources ask for the same few all the time)."""
    return ZoneInfo(name)


# Items repeat the same few timestamps (a page's fetch time on each of its headlines, the
# shown dates and times of a listing): conversions are kept for reuse.
CONVERSION_CACHE_SIZE = 4096
# Numbers above this in a numeric date are its day, not its month.
MONTHS_IN_YEAR = 12


@lru_cache(maxsize=CONVERSION_CACHE_SIZE)
def utc_iso(moment: datetime) -> str:
    """A timezone-aware datetime as UTC ISO 8601 with seconds, e.g. `2026-03-03T09:41:00+00:00`;
    UnusableDate when it is not a moment of years 0001 to 9999 in UTC."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no time zone")
    try:
        return moment.astimezone(UTC).replace(microsecond=0).isoformat()
    except OverflowError as error:
        raise UnusableDate(
            f"{moment.isoformat()} is not a moment of years 0001 to 9999 in UTC"
        ) from error


@lru_cache(maxsize=CONVERSION_CACHE_SIZE)
def parse_iso(value: str) -> datetime | None:
    """An ISO 8601 timestamp (with `Z` or an offset); None when it is not one or has no zone."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def published_exact(value: str | datetime | None, tz: str) -> Published:
    """A full timestamp from metadata; one without an offset is read in the source's zone.

    UnusableDate when it is too near the calendar's ends."""
    if value is None:
        return NOT_PUBLISHED
    moment = value if isinstance(value, datetime) else parse_timestamp(value)
    if moment is None:
        return NOT_PUBLISHED
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone(tz))
    return Published(utc_iso(usable(moment)), publisher_day(moment, tz).isoformat(), "exact")


def publisher_day(moment: datetime, tz: str) -> date:
    """The day an aware timestamp falls on for its publisher: in the source's zone when one is
    set (not the default UTC); else in the offset the timestamp was written with."""
    if tz == "UTC":
        return moment.date()
    return moment.astimezone(zone(tz)).date()


def published_on_page_date(day: date, time_of_day: time, tz: str) -> Published:
    """A time of day shown next to a headline, resolved against the page's date."""
    moment = datetime.combine(day, time_of_day, tzinfo=zone(tz))
    return Published(utc_iso(moment), day.isoformat(), "page_date")


def published_last_time_of_day(time_of_day: time, fetched_at: datetime, tz: str) -> Published:
    """A bare time of day in a live block ("Latest News"): its last occurrence before the fetch."""
    local_fetch = fetched_at.astimezone(zone(tz))
    moment = datetime.combine(local_fetch.date(), time_of_day, tzinfo=zone(tz))
    if moment > local_fetch:
        moment -= timedelta(days=1)
    return Published(utc_iso(moment), moment.date().isoformat(), "fetch_time")


def published_date_only(day: date) -> Published:
    """A calendar date with no time of day: no UTC instant is invented for it."""
    return Published(None, day.isoformat(), "date_only")


def published_ago(ago: timedelta, fetched_at: datetime, tz: str) -> Published:
    """A relative time ("2 hours ago") resolved against the fetch time."""
    moment = fetched_at - ago
    return Published(utc_iso(moment), moment.astimezone(zone(tz)).date().isoformat(), "fetch_time")


@lru_cache(maxsize=CONVERSION_CACHE_SIZE)
def shown_date(text: str | None, date_format: str) -> date | None:
    """A date as a site shows it (`03 March, 2026` with `%d %B, %Y`); None when it is not one
    or lies too near the calendar's ends to be placed in a time zone."""
    try:
        day = datetime.strptime((text or "").strip(), date_format).date()
    except ValueError:
        return None
    return day if _FIRST_DAY <= day <= _LAST_DAY else None


@lru_cache(maxsize=CONVERSION_CACHE_SIZE)
def shown_time(text: str | None, time_format: str = "%H:%M") -> time | None:
    """A time of day as a site shows it (`13:41`); None when it is not one."""
    try:
        return datetime.strptime((text or "").strip(), time_format).time()
    except ValueError:
        return None


# Words that make a text a relative time ("2 hours ago", "вчера", "3 saat önce", "just now").
_RELATIVE_HINT = re.compile(
    r"\b(ago|yesterday|today|just now|назад|вчера|сегодня|önce|dün|bugün|əvvəl|dünən|bu gün)\b",
    re.IGNORECASE,
)
_RELATIVE_LANGUAGES = ["en", "ru", "tr", "az", "uk", "de", "fr", "es"]


def published_relative(text: str | None, fetched_at: datetime, tz: str) -> Published | None:
    """A relative time ("2 hours ago", "2 часа назад", "dün") resolved against the fetch time.

    Counted units give a moment (basis `fetch_time`); bare day words ("yesterday") give only a
    date. None when the text is not a relative time.
    """
    if not text or not _RELATIVE_HINT.search(text):
        return None
    import dateparser  # imported on first use: most pages never show a relative time

    local_fetch = fetched_at.astimezone(zone(tz))
    try:
        moment = dateparser.parse(
            text,
            languages=_RELATIVE_LANGUAGES,
            settings={
                "RELATIVE_BASE": local_fetch.replace(tzinfo=None),
                "TIMEZONE": tz,
                "RETURN_AS_TIMEZONE_AWARE": True,
                "PREFER_DATES_FROM": "past",
            },
        )
    except (OverflowError, ValueError):  # "10000 years ago"
        return None
    if moment is None or not in_range(moment):
        return None
    if not any(character.isdigit() for character in text) and "now" not in text.lower():
        return published_date_only(moment.astimezone(zone(tz)).date())
    return Published(utc_iso(moment), moment.astimezone(zone(tz)).date().isoformat(), "fetch_time")


# The year of an RFC 2822 date: the first number of three or four digits not in the time or the
# offset.
_RFC_YEAR = re.compile(r"(?<![\d:+-])\d{3,4}(?![\d:])")


def zoned_timestamp(value: str | None) -> str | None:
    """An ISO 8601 or RFC 2822 timestamp naming its zone, as ISO 8601; None for anything else
    (a date alone, a time without a zone)."""
    moment = parse_timestamp(value) if value else None
    if moment is None or moment.tzinfo is None:
        return None
    return moment.isoformat()


# An offset written without its hour's leading zero after a time ("10:15-500" for -05:00).
_SHORT_OFFSET = re.compile(r"(?<=:\d{2})([+-])(\d)(\d{2})$")
# An ISO 8601 date with a month or day of one digit, as some CMSs write them ("2022-5-5
# 22:17:36", "2022-05-6T12:00:00.000Z").
_UNPADDED_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?=$|[T ])")


def padded_iso_date(text: str) -> str:
    """`text` with the month and day of the ISO 8601 date it opens with written in two
    digits ("2022-5-5 22:17" as "2022-05-05 22:17")."""
    return _UNPADDED_DATE.sub(
        lambda date: f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}", text, count=1
    )


def parse_timestamp(value: str) -> datetime | None:
    """An ISO 8601 or RFC 2822 timestamp, read strictly (no 30 February, no 25:61), or an ISO
    8601 time followed by its zone's name ("16:02:50CDT", "09:30 EST"); naive when it names no
    zone; None when it is not one."""
    text = padded_iso_date(value.strip())
    if not text:
        return None
    try:
        return datetime.fromisoformat(
            _SHORT_OFFSET.sub(r"\g<1>0\2:\3", text.replace("Z", "+00:00"))
        )
    except ValueError:
        pass
    named = _NAMED_ZONE_TIME.fullmatch(text)
    if named:
        try:
            local = datetime.fromisoformat(named["time"])
        except ValueError:
            return None
        return local.replace(tzinfo=_named_zone(named["zone"]))
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    # The email module reads years below 100 as two-digit ones (`0001` as 2001): a year
    # written in full is the year it says.
    written = _RFC_YEAR.search(text)
    if written and int(written[0]) < 100:
        try:
            return moment.replace(year=int(written[0]))
        except ValueError:  # year 0
            return None
    return moment


# The zones pages name after a time of day, by their UTC offsets in hours ("11:05 IST" on
# Indian pages, "08:34 PM EDT"); a zone that several name (CST, IST) is the one news pages
# in English mean most.
_ZONE_OFFSETS = {
    "GMT": 0,
    "UTC": 0,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "IST": 5.5,
    "JST": 9,
    "KST": 9,
    "AEST": 10,
    "AEDT": 11,
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    # Indonesia's three, Moscow's, Eastern Europe's, South Africa's and those of East Asia
    # and Oceania that their papers name
    "WIB": 7,
    "WITA": 8,
    "WIT": 9,
    "MSK": 3,
    "EET": 2,
    "EEST": 3,
    "SAST": 2,
    "HKT": 8,
    "SGT": 8,
    "PHT": 8,
    "AWST": 8,
    "NZST": 12,
    "NZDT": 13,
}
# The zones US pages name without saying whether daylight saving is on ("11:00 AM PT",
# "9:30 a.m. ET"): the zone's clock on that day decides.
_ZONE_NAMES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}
# Or the offset itself, after GMT or UTC ("22:11 GMT+10", "10:00 UTC-03:30").
_UTC_OFFSET = re.compile(r"(?:GMT|UTC)\s?(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?")
# The zones a shown time may name, as a pattern.
SHOWN_ZONES = "|".join([_UTC_OFFSET.pattern, *_ZONE_OFFSETS, *_ZONE_NAMES])
# The zones' names alone ("EST", "MEZ"), as a pattern without groups.
_ZONE_WORDS = "|".join([*_ZONE_OFFSETS, *_ZONE_NAMES])
# An ISO 8601 time naming its zone instead of giving the offset ("2020-09-25T16:02:50CDT").
_NAMED_ZONE_TIME = re.compile(
    r"(?P<time>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s?"
    rf"(?P<zone>{_ZONE_WORDS})"
)
# The words after a time of day that say morning or afternoon, longest first: English and
# Arabic ("09:22 مساءً", "9:22 م"), those of words only.
_DAY_HALVES = (r"a\.m\.", r"p\.m\.", "am", "pm", "صباحاً", "صباحا", "مساءً", "مساء", "ص", "م")
_DAY_HALF = rf"(?:{'|'.join(_DAY_HALVES)})(?!\w)"
# A date as pages show it in a byline or a <time> without a machine-readable attribute:
# "15 septembre 2009", "15. Mai 2019", "17 de marzo de 2020", "November 19, 2019", "19.01.2020",
# "2019-11-19", "2019/11/19", "2019.11.19.", "2020年7月12日", "2020년 7월 12일"; and the time of
# day that may follow it ("07:28 Uhr", "at 9:45 am", "@ 11:10 PM", "à 14h30", "12時00分",
# "22.04.2020 / 06:15"), with the zone it may name ("11:05 IST"), or that may come before it,
# with the day of the week between and the zone it may name ("6:45 PM, Feb 16, 2018", "Fri
# 6:45 PM, Feb 16, 2018", "10:35 AM EST, Tue March 12, 2024").
_SHOWN_DATE = re.compile(
    r"(?:(?<![\d.:])(?P<lead>\d{1,2}[:h]\d{2}(?![\d.:])"
    rf"(?:\s*{_DAY_HALF})?(?:\s*(?:{_ZONE_WORDS})\b)?)"
    r"[\s,|\u2013\u2014-]{1,4}(?:[^\W\d_]{2,9}\.?,?\s+)??)?"
    r"(?P<date>\b\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,}\.?,?\s+(?:del?\s+)?\d{4}\b"
    r"|\b[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b"
    r"|\b\d{1,2}\.\d{1,2}\.\d{4}\b"
    r"|\b\d{1,2}/\d{1,2}/\d{4}\b"
    r"|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b\d{4}(?P<year_first>[/.])\d{1,2}(?P=year_first)\d{1,2}\b\.?"
    r"|\b\d{4}\.\s+[^\W\d_]{3,}\.?\s+\d{1,2}\.(?!\d)"
    r"|(?<!\d)\d{4}\s?[年년]\s?\d{1,2}\s?[月월]\s?\d{1,2}\s?[日일])"
    r"(?P<time>(?:(?<=[日일])\s?|[\s,|/\u2013\u2014\u2022\u00b7-]{1,4})"
    r"(?:(?:at|um|à|às|a las|alle(?:\s+ore)?|ore|om|kl\.?|klo"
    r"|pukul|o\s+godz\.?|godz\.?|v|o|в|saat)\s+|@\s*)?"
    r"\d{1,2}(?:[:.h]|\s?[時시]\s?)\d{2}(?::\d{2})?(?![\d.:])(?:\s?[分분])?"
    rf"(?:\s*{_DAY_HALF})?(?:\s*(?:{SHOWN_ZONES})\b)?)?",
    re.IGNORECASE,
)

# The words for morning and afternoon that Chinese, Japanese and Korean pages write before
# the time ("下午3:05", "午後3時05分", "오후 3:05").
_HALVES_BEFORE = {
    **dict.fromkeys(("上午", "午前", "오전"), "am"),
    **dict.fromkeys(("下午", "午後", "오후"), "pm"),
}
_HALF_BEFORE_TIME = re.compile(
    rf"(?P<half>{'|'.join(_HALVES_BEFORE)})\s*(?P<time>\d{{1,2}}(?:[:：]|\s?[時시]\s?)\d{{2}}(?:\s?[分분])?)"
)
# A Korean date written with a space after each dot ("2024. 1. 12."), and the day of the week
# in brackets after a Japanese or Korean date ("(金)", "（土・祝）", "(금)").
_SPACED_DOTS_DATE = re.compile(
    r"\b(?P<year>\d{4})\.\s(?P<month>\d{1,2})\.\s(?P<day>\d{1,2})\.(?!\d)"
)
_BRACKETED_WEEKDAY = re.compile(
    r"(?<=[\d日일.])\s?[(（][月火水木金土日월화수목금토일](?:・祝)?[)）]"
)
# Every date `_SHOWN_DATE` reads has its year in four digits.
_YEAR_DIGITS = re.compile(r"\d{4}")
_HOUR_MARK = re.compile(r"(\d)h(\d)")  # "14h30"
# The Syriac month names of Arabic pages in the Levant and Iraq, which dateparser does not
# know, by the Gregorian names it does, spelt with and without hamza ("أيار" and "ايار").
_LEVANTINE_MONTHS = {
    "كانون الثاني": "يناير",
    "شباط": "فبراير",
    "آذار": "مارس",
    "اذار": "مارس",
    "نيسان": "أبريل",
    "أيار": "مايو",
    "ايار": "مايو",
    "حزيران": "يونيو",
    "تموز": "يوليو",
    "آب": "أغسطس",
    "اب": "أغسطس",
    "أيلول": "سبتمبر",
    "ايلول": "سبتمبر",
    "تشرين الأول": "أكتوبر",
    "تشرين الاول": "أكتوبر",
    "تشرين الثاني": "نوفمبر",
    "كانون الأول": "ديسمبر",
    "كانون الاول": "ديسمبر",
}
# A Levantine month name, alone or beside its Gregorian name after a slash, either way round
# ("24 نيسان / أبريل 2020", "24 أبريل/نيسان 2020").
_LEVANTINE_MONTH = re.compile(
    rf"(?:(?<!\w)[^\W\d_]{{3,}}\s*/\s*)?(?<!\w)(?P<month>{'|'.join(_LEVANTINE_MONTHS)})(?!\w)"
    r"(?:\s*/\s*[^\W\d_]{3,}(?!\w))?"
)


def _readable_shown(text: str) -> str:
    """`text` with its Levantine Arabic month names written as the Gregorian ones, a Korean
    date's spaced dots closed up ("2024. 1. 12.": "2024.1.12."), the day of the week in
    brackets after a Japanese or Korean date left out ("2024年1月12日(金) 10:30"), and a
    morning's or afternoon's word before a time written after it as "am" or "pm" ("오후 3:05",
    "下午3:05": "3:05 pm")."""
    text = _LEVANTINE_MONTH.sub(lambda found: _LEVANTINE_MONTHS[found["month"]], text)
    text = _SPACED_DOTS_DATE.sub(r"\g<year>.\g<month>.\g<day>.", text)
    text = _BRACKETED_WEEKDAY.sub(" ", text)
    return _HALF_BEFORE_TIME.sub(
        lambda found: f"{found['time']} {_HALVES_BEFORE[found['half']]}", text
    )


def shown_date_start(text: str) -> int | None:
    """Where the first date `text` shows begins (with a time of day before it), or None."""
    read = _readable_shown(text)
    found = _SHOWN_DATE.search(read)
    if not found or read[: found.start()] != text[: found.start()]:
        return None  # none, or a month name written otherwise before it moved the places
    return found.start()


def published_shown(text: str | None, tz: str, lang: str | None = None) -> Published | None:
    """The first date a page shows in `text` (a byline, a `<time>`'s text), with its time of day
    when one follows it: exact in the source's zone (or the zone it names), else date only.
    None when `text` shows no date; `lang` is the page's language, when known."""
    if not text or not _YEAR_DIGITS.search(text):
        return None  # most texts of a page: no date's search needed
    found = _SHOWN_DATE.search(_readable_shown(text))
    if not found:
        return None
    shown_time = found["time"] or (f" {found['lead']}" if found["lead"] else "")
    shown = found["date"] + _HOUR_MARK.sub(r"\1:\2", shown_time)
    try:
        moment = _common_shown_date(shown, tz, lang)
        if moment is None:
            moment = _shown_parser(tz, lang).get_date_data(shown).date_obj
    except (OverflowError, ValueError):
        return None
    if moment is None or not in_range(moment):
        return None
    if not shown_time:
        return published_date_only(moment.date())
    return published_exact(moment, tz)


def _common_shown_date(shown: str, tz: str, lang: str | None = None) -> datetime | None:
    """The most common ways pages show a date, read without dateparser (which takes a few
    milliseconds a date): numeric ones (Chinese, Japanese and Korean too) and English month
    names, with a 24-hour or am/pm time; None for any other (dateparser then reads it).
    ValueError for an impossible date."""
    found = _COMMON_DATE.fullmatch(shown.strip())
    if not found:
        return None
    if found["iso"]:
        day = date.fromisoformat(found["iso"])
    elif found["cjk"]:
        day = date(int(found["year4"]), int(found["month4"]), int(found["day4"]))
    elif found["numeric"]:
        day = date(int(found["year"]), int(found["month"]), int(found["day"]))
    elif found["year_first"]:
        day = date(int(found["year6"]), int(found["month6"]), int(found["day6"]))
    elif found["slashed"]:
        day = _slashed_day(
            int(found["first"]),
            int(found["second"]),
            int(found["year5"]),
            day_first=bool(lang) and lang not in _MONTH_FIRST_LANGUAGES,
            month_first=lang in _MONTH_FIRST_LANGUAGES and tz.startswith(_MONTH_FIRST_ZONES),
        )
    else:
        month = _ENGLISH_MONTHS.get((found["name"] or found["name2"]).lower().rstrip("."))
        if month is None:
            return None
        number = found["day2"] or found["day3"]
        day = date(int(found["year2"] or found["year3"]), month, int(number))
    moment = datetime.combine(day, time(0, 0), tzinfo=zone(tz))
    if found["hour"]:
        hour = int(found["hour"]) % 12 if found["ampm"] else int(found["hour"])
        if found["ampm"] and found["ampm"].lower().startswith("p"):
            hour += 12
        moment = moment.replace(hour=hour, minute=int(found["minute"]))
        if found["zone"]:
            moment = moment.replace(tzinfo=_named_zone(found["zone"].upper()))
    return moment


def _named_zone(named: str) -> tzinfo:
    """The zone a page names after a time of day: a zone's name or an offset from GMT."""
    if named in _ZONE_NAMES:
        return zone(_ZONE_NAMES[named])
    offset = _UTC_OFFSET.fullmatch(named)
    if offset is None:
        return timezone(timedelta(hours=_ZONE_OFFSETS[named]))
    sign = -1 if offset["sign"] == "-" else 1
    hours, minutes = int(offset["hours"]), int(offset["minutes"] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _slashed_day(
    first: int, second: int, year: int, *, day_first: bool = False, month_first: bool = False
) -> date:
    """The day of a date written with slashes, month first ("11/28/2016", as in the US) or day
    first ("28/11/2016"), told apart by the number over 12, else by the page's language
    (`day_first`: one whose pages write the day first, "12/01/2024" in Portuguese). ValueError
    when neither tells."""
    if first > MONTHS_IN_YEAR or day_first:
        return date(year, second, first)
    if second > MONTHS_IN_YEAR or month_first:
        return date(year, first, second)
    raise ValueError(f"{first}/{second}/{year}: day and month cannot be told apart")


# The languages whose pages may write a date with slashes month first (the US's English and
# the Philippines' languages); in the others' the day comes first.
_MONTH_FIRST_LANGUAGES = frozenset({"en", "fil", "tl"})
# Where those pages write it month first whatever the numbers: the Americas, the US's
# Pacific islands and the Philippines, and pages of no known place (most are American).
_MONTH_FIRST_ZONES = ("America/", "US/", "Pacific/Honolulu", "Pacific/Guam", "Asia/Manila", "UTC")


_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
# English month names, written out or cut to three letters ("Sept" too), by number.
_ENGLISH_MONTHS = {
    **{name: number for number, name in enumerate(_MONTH_NAMES.split(), 1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES.split(), 1)},
    "sept": 9,
}
_COMMON_DATE = re.compile(
    r"(?:(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|(?P<cjk>(?P<year4>\d{4})\s?[年년]\s?(?P<month4>\d{1,2})\s?[月월]\s?(?P<day4>\d{1,2})\s?[日일])"
    r"|(?P<numeric>(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4}))"
    r"|(?P<year_first>(?P<year6>\d{4})(?P<sep6>[/.])(?P<month6>\d{1,2})(?P=sep6)(?P<day6>\d{1,2})\.?)"
    r"|(?P<slashed>(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year5>\d{4}))"
    r"|(?P<name>[a-z]{3,9}\.?)\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year2>\d{4})"
    r"|(?P<day3>\d{1,2})\s+(?P<name2>[a-z]{3,9}\.?),?\s+(?P<year3>\d{4}))"
    r"(?:(?:(?<=[日일])\s?|[\s,|\u2013\u2014\u2022\u00b7-]{1,4})(?:at\s+)?"
    r"(?P<hour>\d{1,2})(?:[:.]|\s?[時시]\s?)(?P<minute>\d{2})(?::\d{2})?(?:\s?[分분])?"
    rf"(?:\s*(?P<ampm>am|pm|a\.m\.|p\.m\.))?(?:\s*(?P<zone>{SHOWN_ZONES}))?)?",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def _shown_parser(tz: str, lang: str | None) -> Any:
    """dateparser's parser for dates shown in `lang` (any language when None), kept: making one
    costs more than reading a date with it."""
    from dateparser.date import DateDataParser  # imported on first use

    return DateDataParser(
        languages=[lang] if lang else None,
        settings={
            "DATE_ORDER": "DMY",
            "REQUIRE_PARTS": ["day", "month", "year"],
            "TIMEZONE": tz,
            "RETURN_AS_TIMEZONE_AWARE": True,
        },
    )
