"""Text cleaning shared by every site: display text and the folded match key."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_WHITESPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def clean_text(value: str | None) -> str | None:
    """Unicode NFC with whitespace collapsed; typographic quotes and dashes are kept.

    Returns None for None or for text that is empty once cleaned.
    """
    if value is None:
        return None
    text = unicodedata.normalize("NFC", value)
    # Zero-width characters and soft hyphens are invisible on the page; they must not split words.
    text = text.replace("\u00ad", "").replace("\u200b", "").replace("\ufeff", "")
    text = _WHITESPACE.sub(" ", text).strip()
    return text or None


def match_key(value: str | None) -> str:
    """The folded form used for matching and deduplication.

    Transliterated to ASCII (so `Türkiye` → `turkiye`, `Azərbaycan` → `azerbaycan`,
    `İ`/`ı` → `i`, Cyrillic → Latin), lower-cased, punctuation dropped, words separated by
    one space.
    """
    if not value:
        return ""
    folded = anyascii(unicodedata.normalize("NFC", value)).lower()
    return _NON_WORD.sub(" ", folded).strip()


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
