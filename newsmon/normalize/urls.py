"""Canonical URLs: one spelling per page, whatever link led to it."""

from __future__ import annotations

import ipaddress
import posixpath
import re
from functools import lru_cache
from urllib.parse import (
    SplitResult,
    parse_qsl,
    quote,
    unquote,
    urlencode,
    urljoin,
    urlsplit,
    urlunsplit,
)

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

    Scheme and host lower-cased (an IPv6 literal compressed, in its brackets), default port,
    fragment, tracking parameters and AMP variants dropped, `.`/`..` resolved,
    percent-encoding normalized, query parameters sorted, a trailing slash dropped except at
    the root. ValueError naming the URL when its port or IPv6 literal is unusable.
    """
    if base and _ABSOLUTE.match(url):
        base = None  # an absolute link is the same on every page: one cache entry
    return _canonical_url(url, base)


@lru_cache(maxsize=CANONICAL_CACHE_SIZE)
def _canonical_url(url: str, base: str | None) -> str:
    if base:
        url = urljoin(base, url.strip())
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError as error:  # an unclosed `[`: "Invalid IPv6 URL"
        raise ValueError(f"{url}: invalid IPv6 address") from error
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("amp."):
        host = host[4:]
    netloc = _host_in_netloc(host, url)
    port = _port(parts, url)
    if port and port != DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    path = _normalize_path(parts.path)
    query = urlencode(
        sorted(
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not _is_tracking(key)
        )
    )
    return urlunsplit((scheme, netloc, path, query, ""))


def _host_in_netloc(host: str, url: str) -> str:
    """The host as a netloc spells it: an IPv6 literal compressed and in brackets."""
    if ":" not in host:
        return host
    try:
        return f"[{ipaddress.IPv6Address(host).compressed}]"
    except ValueError as error:
        raise ValueError(f"{url}: invalid IPv6 address") from error


def _port(parts: SplitResult, url: str) -> int | None:
    try:
        return parts.port
    except ValueError as error:
        text = parts.netloc.rpartition(":")[2]
        if text.isdigit():
            raise ValueError(f"{url}: port {int(text)} is out of range") from error
        raise ValueError(f"{url}: port {text!r} is not a number") from error


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
