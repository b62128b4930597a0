"""Text cleaning shared by every site: display text and the folded match key."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import ftfy
from anyascii import anyascii

_WHITESPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# Control characters (other than whitespace) and bidirectional overrides: invisible on a page,
# but a terminal obeys them (a headline could clear the screen or reverse its text). Lone
# surrogates (from JSON's `\ud800` escapes), U+FFFE and U+FFFF are no characters at all: XML
# (the Atom feeds) forbids them, and UTF-8 cannot encode surrogates.
_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
# UTF-8 read as Latin-1 or Windows-1252 ("JOHNSONâ€™S", "sanciÃ³n"), as a page or feed may
# carry its own text: a lead byte's character, then a continuation byte's. Only text showing
# this is handed to ftfy, which undoes it where the bytes decode consistently.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d"
    "\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039"
    "\u203a\u20ac\u2122]"
)
# JSON escapes C0 control characters itself; the others are escaped by `json_line`.
_JSON_UNPRINTABLE = re.compile(
    "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
# What breaks a line or a table cell: shown as one space.
_LINE_BREAKS = re.compile("[\t\n\x0b\x0c\r\x1c-\x1e\x85\u2028\u2029]")
ELLIPSIS = "…"


# A headline is cleaned and folded on every page that shows it, then again by the pipelines
# and the store: results for short texts are kept (not for long ones such as bodies).
CACHED_LENGTH = 300
CACHE_SIZE = 16384
# Between title segments: " | ", " - ", " :: ", en and em dashes, middle dots, guillemets. A
# match starts only where a run of whitespace does: tried at every space of a long run, the
# search would take time quadratic in its length.
TITLE_SEPARATOR = re.compile(r"(?<!\s)\s+[|\-\u2013\u2014\u00b7\u2022\u00bb\u00ab:/~]{1,2}\s+")
# Also between a title and its site's name, written without spaces as Chinese, Japanese and
# Korean titles do: a full-width colon or bar, or beside their script a bar, a double hyphen
# or an underscore ("見出し：朝日新聞デジタル", "标题--人民网", "标题_新浪网"; not "snake_case");
# a cut there is only made before or after the site's own name.
_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef"
_SITE_NAME_SEPARATOR = re.compile(
    rf"{TITLE_SEPARATOR.pattern}|(?<!\s)\s*[\uff1a\uff5c]\s*"
    rf"|(?<=[{_CJK}])\s*(?:[|_]|--)\s*|(?<!\s)\s*(?:[|_]|--)\s*(?=[{_CJK}])"
)
# No site's name is longer: a longer one (the rest of a hostile <title>) is not looked for, and
# only the separators this near either end of a title are tried; no title names its site more
# often than MAX_SITE_SEGMENTS times. Long titles take linear time.
MAX_SITE_NAME_LENGTH = 200
MAX_SITE_SEGMENTS = 8
_WORD = re.compile(r"[^\W_]")


def clean_text(value: str | None) -> str | None:
    """Unicode NFC with whitespace collapsed, text decoded twice (UTF-8 read as Latin-1:
    "sanciÃ³n") mended; typographic quotes and dashes are kept.

    Returns None for None or for text that is empty once cleaned.
    """
    if value is None:
        return None
    if len(value) <= CACHED_LENGTH:
        return _cached_clean_text(value)
    return _clean_text(value)


@lru_cache(maxsize=CACHE_SIZE)
def _cached_clean_text(value: str) -> str | None:
    return _clean_text(value)


_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))


def _clean_text(value: str) -> str | None:
    if _MOJIBAKE.search(value):
        value = ftfy.fix_encoding(value)
    text = unicodedata.normalize("NFC", value)
    # Zero-width spaces, word joiners and soft hyphens are invisible on the page (German
    # headlines hyphenate long words so); they must not split words. (Zero-width joiners and
    # non-joiners shape Persian and Indic words and are kept.)
    text = text.translate(_INVISIBLE)
    text = _CONTROLS.sub("", text)
    text = _WHITESPACE.sub(" ", text).strip()
    return text or None


def printable(value: object) -> str:
    """`value` as one line of text safe on a terminal and in XML: line breaks and tabs become
    spaces; other control characters, bidirectional overrides and non-characters are removed.

    Every text newsmon prints or writes as XML goes through here, whatever stored it (an
    ingested source name, an older store, a configured name): none of it can move the cursor,
    retitle the terminal, reverse a line or make a feed invalid XML.
    """
    text = "" if value is None else str(value)
    return _CONTROLS.sub("", _LINE_BREAKS.sub(" ", text))


def json_line(data: object) -> str:
    """`data` as one line of JSON (keys sorted, letters as they are) in which what a terminal
    would obey (control characters, bidirectional overrides, line separators) is escaped as
    `\\uXXXX`: the value read back is unchanged."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return _JSON_UNPRINTABLE.sub(lambda found: f"\\u{ord(found[0]):04x}", text)


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, at a word boundary when one is near, ending
    in an ellipsis when it was cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space >= limit * 0.8:
        cut = cut[:space]
    return cut.rstrip(" ,;:–—-") + ELLIPSIS


def match_key(value: str | None) -> str:
    """The folded form used for matching and deduplication.

    Transliterated to ASCII (so `Türkiye` → `turkiye`, `Azərbaycan` → `azerbaycan`,
    `İ`/`ı` → `i`, Cyrillic → Latin), lower-cased, punctuation dropped, words separated by
    one space.
    """
    if not value:
        return ""
    if len(value) <= CACHED_LENGTH:
        return _cached_match_key(value)
    return _fold(value)


@lru_cache(maxsize=CACHE_SIZE)
def _cached_match_key(value: str) -> str:
    return _fold(value)


def _fold(value: str) -> str:
    text = unicodedata.normalize("NFC", value)
    folded = (text if text.isascii() else text.translate(_TRANSLITERATION)).lower()
    return _NON_WORD.sub(" ", folded).strip()


class _Transliteration(dict[int, str]):
    """Code point → anyascii's transliteration of that one character, filled in as characters
    are met (anyascii reads each character on its own, so `str.translate` with this gives
    anyascii's result at C speed)."""

    def __missing__(self, codepoint: int) -> str:
        text = self[codepoint] = anyascii(chr(codepoint))
        return text


_TRANSLITERATION = _Transliteration()


def match_tokens(value: str | None) -> list[str]:
    """The words of the match key, in order."""
    key = match_key(value)
    return key.split() if key else []


def short_lang(value: str | None) -> str | None:
    """A language tag reduced to its lower-case primary subtag: `en-US` → `en`, `az_AZ` → `az`."""
    if not value:
        return None
    primary = value.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else None


def strip_site_name(title: str, site_names: Iterable[str]) -> str:
    """`title` without the leading or trailing segments (" | Report.az") that name the site."""
    names = {
        key for name in site_names if len(name) <= MAX_SITE_NAME_LENGTH and (key := match_key(name))
    }
    separators = [match.span() for match in _SITE_NAME_SEPARATOR.finditer(title)]
    start, end = 0, len(title)
    low, high = 0, len(separators)  # the separators within title[start:end]
    for _ in range(MAX_SITE_SEGMENTS if names else 0):
        for index in _end_separators(separators, low, high, start, end):
            cut_start, cut_end = separators[index]
            if _is_name(title, cut_end, end, names) and _WORD.search(title, start, cut_start):
                end, high = cut_start, index
                break
            if _is_name(title, start, cut_start, names) and _WORD.search(title, cut_end, end):
                start, low = cut_end, index + 1
                break
        else:
            break
        if low >= high:
            break
    return title[start:end].strip() if (start, end) != (0, len(title)) else title


def _end_separators(
    separators: list[tuple[int, int]], low: int, high: int, start: int, end: int
) -> list[int]:
    """The indexes, in title order, of the separators that could set off a site name: those
    within MAX_SITE_NAME_LENGTH of the start or of the end of title[start:end]."""
    leading = []
    for index in range(low, high):
        if separators[index][0] - start > MAX_SITE_NAME_LENGTH:
            break
        leading.append(index)
    trailing = []
    for index in range(high - 1, low - 1, -1):
        if end - separators[index][1] > MAX_SITE_NAME_LENGTH:
            break
        trailing.append(index)
    return sorted(set(leading) | set(trailing))


def _is_name(title: str, start: int, end: int, names: set[str]) -> bool:
    """Whether title[start:end] is one of the site's `names` (compared as match keys)."""
    return end - start <= MAX_SITE_NAME_LENGTH + 2 and match_key(title[start:end]) in names
