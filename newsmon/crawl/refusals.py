"""Pages that are not the page asked for: a bot challenge, or a shell whose text is in scripts.

A site that does not want crawlers often answers with a page of its anti-bot vendor instead
of the article (a "Just a moment..." interstitial, a captcha, a consent wall), at 200 as often
as at 403/503. A client-side rendered site answers with a shell: an empty `<div id="root">`
and the article inside a script (a JSON state blob, `document.write`). Neither is an article:
stored, the first gives a headline "Just a moment..." and the second an empty or junk body.

`challenge_reason` names the vendor (or kind) of a challenge page from the markers only that
page carries: the `cf-mitigated: challenge` header, the vendors' page titles, the script or
element their block pages load (`_cf_chl_opt`, `captcha-delivery.com`, `#px-captcha`, an
`_Incapsula_Resource` frame, Akamai's `errors.edgesuite.net` reference), or a captcha, consent
form or "enable JavaScript" plea that is all the page says. Protected sites load the same
vendors' sensors (`/cdn-cgi/challenge-platform/scripts/`, `js.datadome.co`) on every normal
page, and articles carry reCAPTCHA forms: markers in the page count only when its visible text
is short (`CHALLENGE_TEXT`), as a challenge page's always is, and a captcha, consent form or
plea only on a page that does not describe itself as an article (`<article>`, `og:type`,
JSON-LD), as a challenge page never does.

`script_only` tells a shell: its visible text is short (`SHELL_TEXT`) while its scripts hold
sentences of prose (`SCRIPT_PROSE`, and several times the visible text). JSON-LD is metadata,
not the page's rendering, and newsmon reads it: it does not count as script text.

`refused_page` applies both to a response, counts it for source health
(`newsmon/source/<id>/challenge_pages`, `…/challenge/<vendor>`, `…/script_only_pages`,
`…/script_only/<page kind>`) and logs one line.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

from lxml import etree
from parsel import Selector
from scrapy.http import Response, TextResponse
from scrapy.statscollectors import StatsCollector

from newsmon.extract.readable import decoded_response

logger = logging.getLogger(__name__)

CLOUDFLARE = "Cloudflare"
# Page titles (lowercase, whitespace collapsed) that only challenge and block pages have.
TITLES = {
    "just a moment...": CLOUDFLARE,
    "attention required! | cloudflare": CLOUDFLARE,
    "please wait... | cloudflare": CLOUDFLARE,
    "access to this page has been denied": "PerimeterX",
    "access to this page has been denied.": "PerimeterX",
    "pardon our interruption": "Imperva",
    "sucuri website firewall - access denied": "Sucuri",
    "ddos-guard": "DDoS-Guard",
}
# Markup (lowercase) that only the vendor's challenge or block page has.
MARKUP = (
    ("_cf_chl_opt", CLOUDFLARE),
    ("cf-browser-verification", CLOUDFLARE),
    ("captcha-delivery.com", "DataDome"),
    ("incapsula incident id", "Imperva"),
    ("errors.edgesuite.net", "Akamai"),
)
# Elements that only the vendor's challenge or block page has.
ELEMENTS = (
    ("#px-captcha", "PerimeterX"),
    ("iframe[src*='_Incapsula_Resource']", "Imperva"),
)
# A captcha widget: on a page that says little, the page is the captcha.
CAPTCHA = (
    ".g-recaptcha, .h-captcha, .cf-turnstile, "
    "iframe[src*='google.com/recaptcha'], iframe[src*='hcaptcha.com']"
)
# What only a page that is an article has: a challenge page never describes itself as one.
ARTICLE = "article, meta[property='og:type'][content='article'], script[type='application/ld+json']"
CONSENT_FORM = "form[action*='//consent.'], form[action*='guce.']"
ENABLE_PLEA = re.compile(
    r"\b(enable|activate|turn on)\s+(javascript|js|cookies)\b|verify (that )?you are (a )?human",
    re.IGNORECASE,
)
# At most this many characters of visible text: a challenge page says little.
CHALLENGE_TEXT = 1000
# A shell shows at most this much text, and its scripts hold at least this much prose and
# SCRIPT_SHARE times what it shows.
SHELL_TEXT = 400
SCRIPT_PROSE = 300
SCRIPT_SHARE = 3
# The pages read for their text: a feed or sitemap is data, an error page is not read.
SHELL_KINDS = ("article", "listing")
# Statuses a site refuses with; a small page at one of them pleading for JavaScript or cookies
# is a bot check.
REFUSALS = (401, 403, 429, 503)

# Elements whose text a browser does not show (or shows only without scripts).
HIDDEN = frozenset({"script", "style", "noscript", "template"})
_SCRIPTS = (
    "//script[not(@src) and not(contains(translate(@type, 'LDJSON', 'ldjson'), 'ld+json'))]/text()"
)
# A string literal (JavaScript or JSON) of at least four words: prose, not code.
_PROSE = re.compile(r"\"((?:[^\"\\\n]|\\.){20,})\"|'((?:[^'\\\n]|\\.){20,})'")
_WORDS = re.compile(r"\S+(?:\s+\S+){3,}")
_SPACE = re.compile(r"\s+")


def challenge_reason(
    status: int, headers: Mapping[str, str], selector: Selector, *, text: str | None = None
) -> str | None:
    """The vendor or kind of challenge (`Cloudflare`, `captcha`, `consent wall`…) when the
    page is a bot challenge, block or consent page instead of the one asked for; else None.
    `headers` are the response's, names in lowercase; `text` the page's `visible_text`, when
    known."""
    if headers.get("cf-mitigated", "").strip().lower() == "challenge":
        return CLOUDFLARE
    text = visible_text(selector, CHALLENGE_TEXT) if text is None else text
    if len(text) > CHALLENGE_TEXT:
        return None
    title = _SPACE.sub(" ", selector.xpath("string(//title)").get("")).strip().lower()
    if title in TITLES:
        return TITLES[title]
    markup = selector.get().lower()
    for marker, vendor in MARKUP:
        if marker in markup:
            return vendor
    for element, vendor in ELEMENTS:
        if selector.css(element):
            return vendor
    if selector.css(ARTICLE):
        return None  # a short article with a newsletter captcha, or a consent dialog
    if selector.css(CAPTCHA):
        return "captcha"
    if selector.css(CONSENT_FORM):
        return "consent wall"
    if status in REFUSALS and ENABLE_PLEA.search(text):
        return "bot check"
    return None


def script_only(selector: Selector, *, text: str | None = None) -> bool:
    """Whether the page's text exists only inside its scripts (a client-side rendered shell);
    `text` is the page's `visible_text`, when known."""
    shown = len(visible_text(selector, SHELL_TEXT) if text is None else text)
    if shown > SHELL_TEXT:
        return False
    prose = sum(
        len(words)
        for script in selector.xpath(_SCRIPTS).getall()
        for literal in _PROSE.finditer(script)
        for words in _WORDS.findall(literal.group(1) or literal.group(2))
    )
    return prose >= max(SCRIPT_PROSE, SCRIPT_SHARE * shown)


def visible_text(selector: Selector, limit: int | None = None) -> str:
    """The text a browser without scripts shows of the page's body, whitespace collapsed; read
    only until it holds more than `limit` characters, when given (all a caller comparing it
    with a bound needs, and a long page is not walked through)."""
    root = selector.root
    body = root.find("body") if isinstance(root, etree._Element) else None
    if body is None:
        return ""
    parts: list[str] = []
    size = 0
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, element in walker:
        if event == "start":
            if not isinstance(element.tag, str) or element.tag in HIDDEN:
                walker.skip_subtree()
            elif element.text:
                parts.append(element.text)
                size += len(element.text.strip())
        elif element is not body and element.tail:
            parts.append(element.tail)
            size += len(element.tail.strip())
        if limit is not None and size > limit:
            break
    return _SPACE.sub(" ", " ".join(parts)).strip()


def refused_page(
    response: Response, selector: Selector | None, stats: StatsCollector | None
) -> str | None:
    """Why `response` is no page to read (a challenge, or a 2xx article or listing page that
    is a script shell), counted for its source and logged; None for a page to read. Without a
    `selector` the response's body is decoded as a crawl decodes it (non-text responses are
    never refused)."""
    if selector is None:
        if not isinstance(response, TextResponse):
            return None
        text = decoded_response(response).text
        if text is None:
            return None
        selector = Selector(text=text)
    headers = {
        name.decode("latin-1").lower(): (values[-1] if values else b"").decode("latin-1")
        for name, values in response.headers.items()
    }
    meta = response.meta if response.request is not None else {}
    source, kind = meta.get("source"), meta.get("page_kind")
    prefix = f"newsmon/source/{source}/"
    text = visible_text(selector, max(CHALLENGE_TEXT, SHELL_TEXT))
    vendor = challenge_reason(response.status, headers, selector, text=text)
    if vendor is not None:
        reason = f"a challenge page ({vendor}), not the page asked for"
        if source and stats is not None:
            stats.inc_value(prefix + "challenge_pages")
            stats.inc_value(prefix + f"challenge/{vendor}")
    elif 200 <= response.status < 300 and kind in SHELL_KINDS and script_only(selector, text=text):
        reason = "its text is only inside scripts (a JavaScript-only page)"
        if source and stats is not None:
            stats.inc_value(prefix + "script_only_pages")
            stats.inc_value(prefix + f"script_only/{kind}")
    else:
        return None
    logger.warning("%s: %s: not read", response.url, reason)
    return reason
