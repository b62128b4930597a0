"""Language detection for short texts whose page or feed names no language.

Headlines usually carry their page's or feed's language (or hreflang); detection is the fallback
for items from other scrapers and feeds without `<language>`. lingua is built for short text;
it is restricted to the languages users follow (`NEWSMON_LANGUAGES`, ISO 639-1 codes), which
makes it both faster and more accurate. Its models are loaded on first use (about 2 s and 150 MB
for the default twelve languages), so crawls whose pages name their language never pay for it.
"""

from __future__ import annotations

import os
from functools import cache

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

from newsmon.settings_table import default

DEFAULT_LANGUAGES: str = default("NEWSMON_LANGUAGES")
# Below this confidence the text is too short or too mixed to say.
MIN_CONFIDENCE = 0.5
# Only a text's beginning is read: it says the language as well as the whole, and detection
# time grows with the length (a 400 KB title took 50 s).
DETECTED_LENGTH = 500


@cache
def _detector(codes: str) -> LanguageDetector:
    isos = []
    for code in codes.split(","):
        try:
            isos.append(IsoCode639_1.from_str(code.strip().lower()))
        except ValueError as error:
            raise ValueError(f"NEWSMON_LANGUAGES: unknown language code {code!r}") from error
    return LanguageDetectorBuilder.from_iso_codes_639_1(*isos).build()


def detect_language(text: str, codes: str | None = None) -> str | None:
    """The ISO 639-1 code of `text`'s language (read from its first DETECTED_LENGTH
    characters), or None when detection is not confident."""
    text = text[:DETECTED_LENGTH]
    if not text or not any(character.isalpha() for character in text):
        return None
    detector = _detector(codes or os.environ.get("NEWSMON_LANGUAGES", DEFAULT_LANGUAGES))
    values = detector.compute_language_confidence_values(text)
    if not values or values[0].value < MIN_CONFIDENCE:
        return None
    return values[0].language.iso_code_639_1.name.lower()
