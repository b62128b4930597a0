"""Canonical URLs: one spelling per page, whatever link led to it."""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "ref",
        "ref_src",
        "cmpid",
        "ito",
        "amp",
        "outputtype",
    }
)
TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_")
DEFAULT_PORTS = {"http": 80, "https": 443}
_AMP_SUFFIXES = ("/amp", "/amp.html")
_SAFE_PATH = "/%:@!$&'()*+,;=-._~"
# The same links come back on page after page (latest-news blocks, feeds, listings, every item
# of a page naming the page): their canonical forms are kept for reuse.
CANONICAL_CACHE_SIZE = 16384
_ABSOLUTE = re.compile(r"\s*https?://", re.IGNORECASE)


def canonical_url(url: str, base: str | None = None) -> str:
    """The canonical form of `url` (resolved against `base` when relative).

    Scheme and host lower-cased, default port, fragment, tracking parameters and AMP
    variants dropped, `.`/`..` resolved, percent-encoding normalized, query parameters
    sorted, a trailing slash dropped except at the root.
    """
    if base and _ABSOLUTE.match(url):
        base = None  # an absolute link is the same on every page: one cache entry
    return _canonical_url(url, base)


@lru_cache(maxsize=CANONICAL_CACHE_SIZE)
def _canonical_url(url: str, base: str | None) -> str:
    if base:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("amp."):
        host = host[4:]
    netloc = host
    if parts.port and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    path = _normalize_path(parts.path)
    query = urlencode(
        sorted(
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not _is_tracking(key)
        )
    )
    return urlunsplit((scheme, netloc, path, query, ""))


def site_host(url: str) -> str:
    """The host of `url` without a leading `www.`, lower-cased."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered in TRACKING_PARAMETERS or lowered.startswith(TRACKING_PREFIXES)


def _normalize_path(path: str) -> str:
    if not path:
        return "/"
    path = quote(unquote(path), safe=_SAFE_PATH)
    normalized = posixpath.normpath(path)
    if normalized.startswith("//"):
        normalized = "/" + normalized.lstrip("/")
    for suffix in _AMP_SUFFIXES:
        if normalized.endswith(suffix):
            normalized = normalized[: -len(suffix)] or "/"
    if normalized != "/" and normalized.endswith("/"):
        normalized = normalized.rstrip("/")
    return normalized
