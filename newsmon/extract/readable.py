"""Fetched pages made readable, whatever their server claims.

A page body becomes text once, here, before any parser sees it: a byte order mark beats the
declared character set; valid UTF-8 beats a declared legacy one (a page re-encoded as UTF-8
keeps its old `<meta charset>`, and read as Latin-1 "sanción" becomes "sanciÃ³n"); a
declaration the bytes do not fit is replaced by the page's language's legacy encoding (or a
detected one); a UTF-8 page with a few foreign bytes keeps its UTF-8; control characters are
dropped. Empty and binary bodies are refused; a page cut short or nested beyond what the HTML
parser reads is read as far as it goes. Every such fault is one line of the log, naming the
page.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from charset_normalizer import from_bytes
from parsel import Selector
from scrapy.http import TextResponse
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

logger = logging.getLogger(__name__)

# The encoding pages in a language used before UTF-8, when they declare none (browsers fall
# back the same way).
LEGACY_ENCODINGS = {
    **dict.fromkeys(("ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"), "cp1251"),
    **dict.fromkeys(("tr", "az"), "cp1254"),
    **dict.fromkeys(("pl", "cs", "sk", "hu", "hr", "sl", "ro", "bs", "sq"), "cp1250"),
    **dict.fromkeys(("lt", "lv", "et"), "cp1257"),
    **dict.fromkeys(("ar", "fa", "ur"), "cp1256"),
    "el": "cp1253",
    "he": "cp1255",
    "vi": "cp1258",
    "th": "cp874",
    "ja": "shift_jis",
    "zh": "gb18030",
    "ko": "euc_kr",
}
# Signatures of files that are never web pages.
BINARY_SIGNATURES = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"%PDF-",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"RIFF",
    b"\x00\x00\x01\x00",
)
# Media types whose bodies are never read as pages, whatever they look like.
NOT_TEXT_TYPES = frozenset({"image", "audio", "video", "font"})
# A body whose first bytes hold more control bytes than this share is not text.
MAX_CONTROL_SHARE = 0.1
_CONTROL_BYTES = bytes(sorted(set(range(32)) - {9, 10, 12, 13}))  # deleted to count them
_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HTML_LANG = re.compile(rb"<html[^>]*?\slang\s*=\s*[\"']?([A-Za-z]{2,3})\b", re.IGNORECASE)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([^\"';\s]+)", re.IGNORECASE)
# Encodings whose text is never mistaken for UTF-8 (their declaration is always believed).
_WIDE_ENCODINGS = ("utf-16", "utf-32", "utf_16", "utf_32")
_DEPTH_LIMIT = re.compile(r"Excessive depth in document: (\d+)")


@dataclass
class Decoded:
    """A body as text (None: not a text page), the encoding read, and what was wrong."""

    text: str | None
    encoding: str | None
    problems: list[str] = field(default_factory=list)


def decode_body(body: bytes, content_type: str = "", lang: str | None = None) -> Decoded:
    """`body` as text: see the module's description. `lang` is the language the page is
    expected in (the page's own `<html lang>` wins)."""
    kind = content_type.split(";")[0].strip() or "text"
    if kind.split("/")[0].lower() in NOT_TEXT_TYPES:
        return Decoded(None, None, [f"not a text page ({kind}), skipped"])
    if not body.strip():
        return Decoded(None, None, [f"empty page ({len(body)} bytes), skipped"])
    bom, mark = read_bom(body)
    if bom is None and _looks_binary(body):
        return Decoded(None, None, [f"binary data served as {kind}, skipped"])
    problems: list[str] = []
    declared = _declared(content_type, body, problems)
    if bom is not None and mark is not None:
        if declared and declared != bom:
            problems.append(
                f"declared {declared} but starts with a {bom} byte order mark; read as {bom}"
            )
        text, encoding = body[len(mark) :].decode(bom, "replace"), bom
    elif declared:
        text, encoding = _decode_declared(body, declared, lang, problems)
    else:
        text, encoding = _decode_undeclared(body, lang, problems)
    controls = _CONTROLS.findall(text)
    if controls:
        names = "NUL" if "\x00" in controls else f"U+{ord(controls[0]):04X}"
        problems.append(f"{len(controls)} control characters ({names}...) removed")
        text = _CONTROLS.sub("", text)
    if "</html" not in text[-2048:].lower():
        problems.append("the page ends without </html> (truncated?); read what is there")
    return Decoded(text, encoding, problems)


def decoded_response(response: TextResponse, lang: str | None = None) -> Decoded:
    """The response's body decoded by its `Content-Type` and its own declarations
    (`decode_body`), as every page of a crawl is."""
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
    return decode_body(response.body, content_type, lang)


def page_selector(response: TextResponse, lang: str | None = None) -> Selector | None:
    """The response's parsed page, or None when it is not a text page; every fault found on
    the way is logged in one line naming the page."""
    decoded = decoded_response(response, lang)
    # parsel's own Selector, not Scrapy's response.selector: Scrapy's subclass tracks every
    # selector a page's parse creates (dozens a page), a sixth of a parser's time.
    selector = (
        Selector(text=decoded.text, type="html", base_url=response.url)
        if decoded.text is not None
        else None
    )
    if selector is not None:
        depth = _depth_reached(selector)
        if depth is not None:
            decoded.problems.append(
                f"markup nested deeper than {depth} levels; the page is read up to there"
            )
    for problem in decoded.problems:
        logger.warning("%s: %s", response.url, problem)
    return selector


def _looks_binary(body: bytes) -> bool:
    if body.startswith(BINARY_SIGNATURES):
        return True
    sample = body[:4096]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > MAX_CONTROL_SHARE * len(sample)


def _declared(content_type: str, body: bytes, problems: list[str]) -> str | None:
    """The character set the header (else the page) declares, as a Python codec name."""
    named = _CHARSET.search(content_type)
    if named:
        resolved = http_content_type_encoding(content_type)
        if resolved:
            return resolved
        problems.append(f"unknown character set {named.group(1)!r} declared, ignored")
    return html_body_declared_encoding(body)


def _decode_declared(
    body: bytes, declared: str, lang: str | None, problems: list[str]
) -> tuple[str, str]:
    if declared != "utf-8" and not declared.startswith(_WIDE_ENCODINGS) and _is_utf8(body):
        problems.append(f"declared {declared} but the page is utf-8; read as utf-8")
        return body.decode("utf-8"), "utf-8"
    try:
        return body.decode(declared), declared
    except UnicodeDecodeError:
        pass
    if declared == "utf-8" and _has_utf8_sequences(body):
        bad = len(body) - len(body.decode("utf-8", "ignore").encode("utf-8"))
        problems.append(f"{bad} bytes are not valid utf-8 (mixed encodings?); replaced")
        return body.decode("utf-8", "replace"), declared
    guess, _ = _guess(body, lang)
    if guess is None:
        problems.append(f"the page is not valid {declared}; undecodable bytes replaced")
        return body.decode(declared, "replace"), declared
    problems.append(f"the page is not {declared} as declared; read as {guess}")
    return body.decode(guess), guess


def _decode_undeclared(body: bytes, lang: str | None, problems: list[str]) -> tuple[str, str]:
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    guess, language = _guess(body, lang)
    if guess is None:
        problems.append("no character set declared and none fits; undecodable bytes replaced")
        return body.decode("utf-8", "replace"), "utf-8"
    why = f" (the page is in {language})" if language else ""
    problems.append(f"no character set declared; read as {guess}{why}")
    return body.decode(guess), guess


def _guess(body: bytes, lang: str | None) -> tuple[str | None, str | None]:
    """An encoding that decodes `body`: its language's legacy one, else a detected one; with
    the language it was chosen for."""
    found = _HTML_LANG.search(body[:4096])
    language = found.group(1).decode("ascii").lower() if found else lang
    legacy = LEGACY_ENCODINGS.get(language or "")
    if legacy and _decodes(body, legacy):
        return legacy, language
    match = from_bytes(body).best()
    detected = resolve_encoding(match.encoding) if match else None
    if detected and _decodes(body, detected):
        return detected, None
    return None, None


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8(body: bytes) -> bool:
    """Whether `body` is valid UTF-8 holding multi-byte characters: text in a legacy encoding
    (Latin-1 "Ã©", cp1251, Shift JIS...) practically never is, so such a page is UTF-8 whatever
    it declares (a page saved or re-encoded as UTF-8 keeps its old `<meta charset>`)."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _has_utf8_sequences(body: bytes) -> bool:
    """Whether `body` holds valid multi-byte UTF-8 characters (text in a legacy 8-bit encoding
    almost never does by chance)."""
    text = body.decode("utf-8", "replace")
    return any(ord(char) > 0x7F and char != "\ufffd" for char in text)


def _depth_reached(selector: Selector) -> int | None:
    """The nesting limit the HTML parser stopped at, if it did."""
    parser = selector.root.getroottree().parser if hasattr(selector.root, "getroottree") else None
    if parser is None:
        return None
    found = _DEPTH_LIMIT.search(str(parser.error_log))
    return int(found.group(1)) if found else None
