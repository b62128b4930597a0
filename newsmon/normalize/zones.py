"""A site's time zone guessed from what its pages say: the region of a language tag, a
country-code domain, and the UTC offsets of its timestamps."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib.resources import files

from newsmon.normalize.dates import in_range, zone
from newsmon.normalize.urls import site_host

# Country-code top-level domains that are not their country's code.
_TLD_COUNTRIES = {"uk": "GB"}
# Country-code domains sold worldwide for their letters (.io, .co, .tv): they tell no country.
_GENERIC_TLDS = frozenset(
    {"ai", "am", "cc", "co", "fm", "gg", "io", "la", "ly", "me", "sh", "so", "to", "tv", "ws"}
)
# Locales of Facebook's Open Graph that name a language, not a country ("ar_AR": Arabic, not
# Argentina; "es_LA": Latin American Spanish, not Laos).
_PSEUDO_LOCALES = frozenset({"ar_ar", "es_la"})
# A winter and a summer moment, to tell zones that keep one clock all year.
_SEASONS = (datetime(2026, 1, 15, 12, tzinfo=UTC), datetime(2026, 7, 15, 12, tzinfo=UTC))
_REGION = re.compile(r"^[a-zA-Z]{2,3}[-_]([a-zA-Z]{2})\b")
# A bare language tag's country, for languages written mostly in one country or in countries
# that keep one clock (German in Germany, Austria and Switzerland): "ko" tells Korea's zone
# as "ko-KR" does. Languages of several clocks (English, Spanish, French, Portuguese, Arabic,
# Bengali) tell none.
_LANGUAGE_COUNTRIES = {
    **{"ko": "KR", "ja": "JP", "zh": "CN", "th": "TH", "vi": "VN", "ms": "MY", "fil": "PH"},
    **{"hi": "IN", "fa": "IR", "he": "IL", "tr": "TR", "el": "GR", "ka": "GE", "hy": "AM"},
    **{"az": "AZ", "ru": "RU", "uk": "UA", "be": "BY", "pl": "PL", "cs": "CZ", "sk": "SK"},
    **{"hu": "HU", "ro": "RO", "bg": "BG", "sr": "RS", "hr": "HR", "bs": "BA", "sl": "SI"},
    **{"mk": "MK", "sq": "AL", "lt": "LT", "lv": "LV", "et": "EE", "fi": "FI", "sv": "SE"},
    **{"da": "DK", "nb": "NO", "nn": "NO", "no": "NO", "is": "IS", "nl": "NL", "de": "DE"},
    **{"it": "IT"},
}
_LANGUAGE = re.compile(r"^([a-zA-Z]{2,3})(?![a-zA-Z])")


def guess_time_zone(
    url: str, language_tags: list[str], timestamps: list[datetime]
) -> tuple[str | None, str]:
    """The site's IANA time zone when its country (the region of a language tag such as
    `tr-TR`, else a country-code domain, else a language written in one country's clock,
    `ko`) and, for countries whose zones keep different clocks, the UTC offsets of its
    timestamps tell it; with the reason, for the entry's comment."""
    timestamps = [moment for moment in timestamps if in_range(moment)]
    country, basis = None, ""
    region = next(
        (
            found
            for tag in language_tags
            if tag.replace("-", "_").lower() not in _PSEUDO_LOCALES
            and (found := _REGION.match(tag))
        ),
        None,
    )
    tld = site_host(url).rsplit(".", 1)[-1]
    language = next(
        (
            found[1].lower()
            for tag in language_tags
            if (found := _LANGUAGE.match(tag)) and found[1].lower() in _LANGUAGE_COUNTRIES
        ),
        None,
    )
    if region:
        country, basis = region[1].upper(), f"language {region[0]}"
    elif len(tld) == 2 and tld.isalpha() and tld not in _GENERIC_TLDS:
        country, basis = _TLD_COUNTRIES.get(tld, tld.upper()), f"domain .{tld}"
    elif language:
        country, basis = _LANGUAGE_COUNTRIES[language], f"language {language}"
    zones = _country_zones().get(country or "", [])
    if zones and _one_clock(tuple(zones)):
        return zones[0], f"guessed from the {basis}"
    matching = [
        name
        for name in zones
        if timestamps and all(_offset(name, moment) == moment.utcoffset() for moment in timestamps)
    ]
    if matching:
        return matching[0], f"guessed from the {basis} and the site's UTC offsets"
    return None, "not stated on the site: set its IANA time zone"


@cache
def _country_zones() -> dict[str, list[str]]:
    """Country code → its IANA zones, in the order of tzdata's zone.tab."""
    table = files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    zones: dict[str, list[str]] = {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            country, _, name = line.split("\t")[:3]
            zones.setdefault(country, []).append(name)
    return zones


@cache
def _one_clock(zones: tuple[str, ...]) -> bool:
    """Whether the zones keep one clock, winter and summer (Germany's Europe/Berlin and
    Europe/Busingen), so that the country's first zone stands for all of them."""
    return all(len({_offset(name, moment) for name in zones}) == 1 for moment in _SEASONS)


def _offset(name: str, moment: datetime) -> timedelta | None:
    return moment.astimezone(zone(name)).utcoffset()
