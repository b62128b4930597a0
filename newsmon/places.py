"""Country names in the languages of the news, so that story matching takes `Zypern`,
`Κύπρος`, `Kıbrıs` and `Cyprus` for one place.

The names are CLDR's (through Babel) in `NEWS_LOCALES`: languages written with capital letters,
since story matching reads names from capitalized words. Most English adjectives share their
country's first letters and consonants (`Cypriot`, `Mexican`); those that do not (`Greek`,
`Dutch`, `Polish`) are listed in `ENGLISH_DEMONYMS`.
"""

from __future__ import annotations

from functools import lru_cache

NEWS_LOCALES = (
    *("en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "sk", "sl", "hr", "sr", "sr_Latn"),
    *("bs", "bg", "mk", "ru", "uk", "be", "az", "tr", "el", "ro", "hu", "sq", "sv", "da", "nb"),
    *("fi", "et", "lv", "lt", "hy", "kk", "uz", "ky", "id", "ms", "vi"),
)

# Languages whose words are not set apart by spaces or written with capitals: their names of
# countries are found inside the text.
CJK_LOCALES = ("zh", "zh_Hant", "ja", "ko")

# Languages written without capitals but with spaces between words: their names of countries
# are matched word by word, letters written onto a word taken off.
UNCASED_LOCALES = ("ar", "fa", "ur", "he", "hi", "bn", "ka")

# CLDR territory codes that name no country (regions, unions, unknown).
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})

ENGLISH_DEMONYMS: dict[str, tuple[str, ...]] = {
    "AE": ("Emirati", "Emiratis", "UAE"),
    "AF": ("Afghan", "Afghans"),
    "BA": ("Bosnian", "Bosnians"),
    "BE": ("Belgian", "Belgians"),
    "CH": ("Swiss",),
    "CU": ("Cuban", "Cubans"),
    "CY": ("Cypriot", "Cypriots"),
    "CZ": ("Czech", "Czechs"),
    "DK": ("Danish", "Dane", "Danes"),
    "ES": ("Spanish", "Spaniard", "Spaniards"),
    "FI": ("Finnish", "Finn", "Finns"),
    "FR": ("French", "Frenchman", "Frenchmen"),
    "GB": ("British", "Briton", "Britons", "UK"),
    "GR": ("Greek", "Greeks", "Hellenic"),
    "IE": ("Irish",),
    "IS": ("Icelandic", "Icelander", "Icelanders"),
    "KZ": ("Kazakh", "Kazakhs"),
    "KG": ("Kyrgyz",),
    "LB": ("Lebanese",),
    "NL": ("Dutch",),
    "NO": ("Norwegian", "Norwegians"),
    "PE": ("Peruvian", "Peruvians"),
    "PH": ("Filipino", "Filipinos", "Philippine"),
    "PL": ("Polish", "Pole", "Poles"),
    "PT": ("Portuguese",),
    "SA": ("Saudi", "Saudis"),
    "SE": ("Swedish", "Swede", "Swedes"),
    "SK": ("Slovak", "Slovaks"),
    "TH": ("Thai",),
    "TJ": ("Tajik", "Tajiks"),
    "TM": ("Turkmen",),
    "UZ": ("Uzbek", "Uzbeks"),
}


@lru_cache(maxsize=1)
def country_names() -> dict[str, frozenset[str]]:
    """The one-word names of each country (ISO 3166 code, lower case) in `NEWS_LOCALES`, with
    its English demonyms. Names of more than one word (`Saudi Arabia`, `New Zealand`) are
    left out: story matching compares single words."""
    names = _names(NEWS_LOCALES, one_word=True)
    for code, forms in ENGLISH_DEMONYMS.items():
        names[code.lower()] = names.get(code.lower(), frozenset()) | frozenset(forms)
    return names


@lru_cache(maxsize=1)
def cjk_country_names() -> dict[str, frozenset[str]]:
    """The names of each country (ISO 3166 code, lower case) in `CJK_LOCALES`, of two
    characters or more (`塞浦路斯`, `キプロス`, `키프로스`)."""
    return _names(CJK_LOCALES, one_word=False, shortest=2)


@lru_cache(maxsize=1)
def uncased_country_names() -> dict[str, frozenset[str]]:
    """The one-word names of each country (ISO 3166 code, lower case) in `UNCASED_LOCALES`
    (`قبرص`, `קפריסין`, `साइप्रस`)."""
    return _names(UNCASED_LOCALES, one_word=True)


def _names(
    locales: tuple[str, ...], *, one_word: bool, shortest: int = 1
) -> dict[str, frozenset[str]]:
    """CLDR's names of the countries in `locales`, by lower-case ISO 3166 code."""
    from babel import Locale  # on first use: most commands never compare stories

    names: dict[str, set[str]] = {}
    for locale in locales:
        for code, name in Locale.parse(locale).territories.items():
            if len(code) != 2 or not code.isalpha() or code in NOT_COUNTRIES:
                continue
            if len(name) >= shortest and not (one_word and len(name.split()) > 1):
                names.setdefault(code.lower(), set()).add(name)
    return {code: frozenset(forms) for code, forms in names.items()}
