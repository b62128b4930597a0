"""What an entry point says of its own freshness: `<ttl>`, `sy:updatePeriod`,
`Cache-Control: max-age` and `Retry-After`.

RSS 2.0's `<ttl>` (minutes) and the syndication module's `sy:updatePeriod` /
`sy:updateFrequency` ask readers not to poll more often; so does a response's `max-age`.
`Retry-After` (seconds, or an HTTP date) comes with 429 and 503.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

# The channel's elements come before its items: the head of a feed is enough.
HEAD_BYTES = 8192
_TTL = re.compile(rb"<ttl>\s*(\d{1,7})\s*</ttl>", re.IGNORECASE)
_PERIOD = re.compile(rb"<(?:\w+:)?updatePeriod>\s*(\w+)\s*</", re.IGNORECASE)
_FREQUENCY = re.compile(rb"<(?:\w+:)?updateFrequency>\s*(\d{1,6})\s*</", re.IGNORECASE)
_MAX_AGE = re.compile(r"(?:^|[,\s])(?:s-)?max-age\s*=\s*\"?(\d{1,10})", re.IGNORECASE)
_PERIODS = {
    b"hourly": timedelta(hours=1),
    b"daily": timedelta(days=1),
    b"weekly": timedelta(weeks=1),
    b"monthly": timedelta(days=30),
    b"yearly": timedelta(days=365),
}


def freshness_hint(
    headers: Mapping[str, str], body: bytes | None = None
) -> tuple[timedelta, str] | None:
    """The longest wait an answer asks for before the next poll, and where it says so."""
    hints: list[tuple[timedelta, str]] = []
    control = headers.get("Cache-Control") or headers.get("cache-control")
    if control and "no-cache" not in control.lower() and "no-store" not in control.lower():
        match = _MAX_AGE.search(control)
        if match and int(match.group(1)) > 0:
            hints.append((timedelta(seconds=int(match.group(1))), "Cache-Control max-age"))
    if body:
        head = body[:HEAD_BYTES]
        ttl = _TTL.search(head)
        if ttl and int(ttl.group(1)) > 0:
            hints.append((timedelta(minutes=int(ttl.group(1))), "<ttl>"))
        period = _PERIOD.search(head)
        if period and period.group(1).lower() in _PERIODS:
            frequency = _FREQUENCY.search(head)
            times = max(1, int(frequency.group(1))) if frequency else 1
            hints.append((_PERIODS[period.group(1).lower()] / times, "sy:updatePeriod"))
    return max(hints, key=lambda hint: hint[0]) if hints else None


def retry_after(headers: Mapping[str, str], now: datetime) -> timedelta | None:
    """How long `Retry-After` asks to wait (None when absent or unreadable)."""
    value = (headers.get("Retry-After") or headers.get("retry-after") or "").strip()
    if not value:
        return None
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        return None
    return max(timedelta(0), moment - now)
