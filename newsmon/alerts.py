"""Telling users about new related appearances: text, JSON Lines, Atom feeds and webhooks.

Every related appearance is an event row. Each output (a terminal, cron mail, a webhook)
keeps a cursor per watch in the store: what it has reported is never reported again, and
what it could not deliver stays pending.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from newsmon import __version__
from newsmon.dates import parse_iso, utc_iso
from newsmon.store import Store, now_iso
from newsmon.text import printable

logger = logging.getLogger(__name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_ENTRIES = 200

# Revisions seen on an article page and moves have no appearance of their own: their text
# comes from the article.
_EVENT_SQL = """
SELECT e.id AS event_id, e.watch, e.kind, e.created_at, e.crawl_id, e.story_id AS story,
       e.details, e.article_id, ap.id AS appearance_id, a.source_id AS source,
       s.name AS source_name, coalesce(ap.context, 'article') AS context,
       coalesce(ap.page_url, a.url) AS page_url,
       coalesce(ap.first_seen, e.created_at) AS first_seen,
       coalesce(ap.published_at, a.published_at) AS published_at,
       coalesce(ap.section, a.section) AS section, coalesce(h.title, a.title) AS title,
       coalesce(h.lang, a.lang) AS lang, a.url
FROM events e
JOIN articles a ON a.id = e.article_id
JOIN sources s ON s.id = a.source_id
LEFT JOIN appearances ap ON ap.id = e.appearance_id
LEFT JOIN headlines h ON h.id = ap.headline_id
"""


class AlertError(Exception):
    """An alert output cannot be used; the message names it."""


@dataclass(frozen=True)
class Since:
    """Events after a crawl run or after a moment (ISO 8601)."""

    crawl_id: int | None = None
    moment: str | None = None

    @classmethod
    def parse(cls, text: str) -> Since:
        """`42` (a crawl id) or an ISO 8601 date/time."""
        if text.isdigit():
            return cls(crawl_id=int(text))
        moment = parse_iso(text if "T" in text else f"{text}T00:00:00+00:00")
        if moment is None:
            raise AlertError(f"--since {text!r}: expected a crawl id or an ISO 8601 date/time")
        return cls(moment=utc_iso(moment))


def new_events(store: Store, output: str, *, watch: str | None = None) -> list[dict[str, Any]]:
    """Events `output` has not reported yet (oldest first)."""
    where = [
        "e.id > coalesce((SELECT last_event_id FROM output_cursors c "
        "WHERE c.output = ? AND c.watch = e.watch), 0)"
    ]
    params: list[Any] = [output]
    if watch is not None:
        where.append("e.watch = ?")
        params.append(watch)
    return _events(store, where, params)


def events_since(store: Store, since: Since, *, watch: str | None = None) -> list[dict[str, Any]]:
    """Events of crawls after `since.crawl_id`, or created after `since.moment`.

    Events made outside a crawl (a watch backfilled, stories merged by hand) count as after
    crawl N when they were made after it ended.
    """
    where: list[str] = []
    params: list[Any] = []
    if since.crawl_id is not None:
        where.append(
            "(e.crawl_id > ? OR (e.crawl_id IS NULL AND e.created_at > coalesce("
            "(SELECT coalesce(finished_at, started_at) FROM crawls WHERE id = ?), '')))"
        )
        params.extend((since.crawl_id, since.crawl_id))
    if since.moment is not None:
        where.append("e.created_at > ?")
        params.append(since.moment)
    if watch is not None:
        where.append("e.watch = ?")
        params.append(watch)
    return _events(store, where, params)


def mark_reported(store: Store, output: str, events: list[dict[str, Any]]) -> None:
    """Move `output`'s cursors past `events`."""
    last: dict[str, int] = {}
    for event in events:
        last[event["watch"]] = max(last.get(event["watch"], 0), event["event_id"])
    with store.transaction():
        for watch, event_id in last.items():
            store.conn.execute(
                """INSERT INTO output_cursors (output, watch, last_event_id, updated_at)
                   VALUES (?, ?, ?, ?)
                   ON CONFLICT(output, watch) DO UPDATE SET
                     last_event_id = max(last_event_id, excluded.last_event_id),
                     updated_at = excluded.updated_at""",
                (output, watch, event_id, now_iso()),
            )


def format_event(event: dict[str, Any]) -> str:
    """One line for terminals and cron mail (its texts made `printable`)."""
    event = {
        name: printable(value) if isinstance(value, str) else value for name, value in event.items()
    }
    prefix = f"[{event['watch']}] {event['created_at']} {event['source']}"
    details = json.loads(event["details"] or "{}")
    if event["kind"] == "revision":
        shift = ""
        if event["watch"] in details.get("now_matches", []):
            shift = f" (now matches {event['watch']})"
        elif event["watch"] in details.get("no_longer_matches", []):
            shift = f" (no longer matches {event['watch']})"
        return (
            f"{prefix} changed a headline: {details.get('old')!r} -> {details.get('new')!r}"
            f"{shift} <{event['url']}>"
        )
    if event["kind"] == "move":
        return (
            f"{prefix} moved an article: {details.get('old')} -> {details.get('new')}: "
            f"{event['title']}"
        )
    when = event["published_at"] or event["first_seen"]
    lang = f" [{event['lang']}]" if event["lang"] else ""
    return (
        f"[{event['watch']}] {when} {event['source']} ({event['context']}){lang}: "
        f"{event['title']} <{event['url']}>"
    )


def event_json(event: dict[str, Any]) -> dict[str, Any]:
    """An event as a JSON object (the webhook payload and `--json` lines use it)."""
    data = {key: value for key, value in event.items() if key != "details"}
    data["details"] = json.loads(event["details"] or "{}")
    return data


def write_atom(store: Store, watch: str, path: str | Path, *, limit: int = ATOM_ENTRIES) -> int:
    """Write the Atom feed of a watch's latest related appearances; returns the entry count.

    Entry ids are stable (one per appearance), so feed readers show each appearance once.
    """
    events = _events(store, ["e.watch = ?"], [watch], newest_first=True, limit=limit)
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "title", f"newsmon: {watch}")
    _sub(feed, "id", f"urn:newsmon:watch:{watch}")
    _sub(feed, "updated", events[0]["created_at"] if events else now_iso())
    ET.SubElement(feed, f"{{{ATOM_NS}}}generator", version=__version__).text = "newsmon"
    for event in events:
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        _sub(entry, "id", f"urn:newsmon:event:{event['event_id']}")
        _sub(entry, "title", _entry_title(event))
        _sub(entry, "updated", event["created_at"])
        _sub(entry, "published", event["first_seen"])
        ET.SubElement(entry, f"{{{ATOM_NS}}}link", href=printable(event["url"]))
        author = ET.SubElement(entry, f"{{{ATOM_NS}}}author")
        _sub(author, "name", event["source_name"])
        _sub(
            entry,
            "summary",
            f"{event['source_name']}, {event['context']} of {event['page_url']}"
            + (f" ({event['lang']})" if event["lang"] else ""),
        )
        ET.SubElement(entry, f"{{{ATOM_NS}}}category", term=printable(event["context"]))
    tree = ET.ElementTree(feed)
    ET.indent(tree)
    target = Path(path)
    temporary = target.with_name(target.name + ".tmp")
    tree.write(temporary, encoding="utf-8", xml_declaration=True)
    temporary.replace(target)
    return len(events)


@dataclass(frozen=True)
class WebhookResult:
    """What one delivery attempt did."""

    delivered: int
    pending: int
    error: str | None = None


def deliver_webhook(
    store: Store,
    watch: str,
    url: str,
    *,
    timeout: float = 10.0,
    attempts: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> WebhookResult:
    """POST the watch's undelivered events to `url` as one JSON document.

    Retries with exponential backoff on errors and 5xx answers; the events stay pending
    (and are sent again next time) until the endpoint answers 2xx.
    """
    output = f"webhook:{watch}"
    events = new_events(store, output, watch=watch)
    if not events:
        return WebhookResult(0, 0)
    payload = json.dumps(
        {"watch": watch, "events": [event_json(event) for event in events]},
        ensure_ascii=False,
        sort_keys=True,
    ).encode("utf-8")
    error = None
    for attempt in range(attempts):
        if attempt:
            sleep(backoff * 2 ** (attempt - 1))
        error = _post(url, payload, timeout)
        if error is None:
            mark_reported(store, output, events)
            return WebhookResult(len(events), 0)
    logger.warning(
        "webhook %s for watch %s: %s; %d event(s) stay pending",
        redact_url(url),
        watch,
        error,
        len(events),
    )
    return WebhookResult(0, len(events), error)


def redact_url(url: str) -> str:
    """A URL safe to log: its scheme, host and first path segment only. Tokens live in the
    user info, the query and the rest of the path (`/services/T0/B0/<token>`, `/<id>/<token>`)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    first, _, rest = parts.path.lstrip("/").partition("/")
    path = f"/{first}/…" if rest else f"/{first}" if first else ""
    return urlunsplit((parts.scheme, host, path, "…" if parts.query and not rest else "", ""))


def _post(url: str, payload: bytes, timeout: float) -> str | None:
    request = urllib.request.Request(
        url,
        data=payload,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": f"newsmon/{__version__}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if 200 <= response.status < 300:
                return None
            return f"HTTP {response.status}"
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        reason = getattr(error, "reason", error)
        return f"unreachable ({reason})"


def _events(
    store: Store,
    where: list[str],
    params: list[Any],
    *,
    newest_first: bool = False,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    sql = _EVENT_SQL + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY e.id" + (" DESC" if newest_first else "")
    if limit:
        sql += f" LIMIT {int(limit)}"
    return store.rows(sql, params)


def _entry_title(event: dict[str, Any]) -> str:
    details = json.loads(event["details"] or "{}")
    if event["kind"] == "revision":
        return f"Headline changed: {details.get('old')} → {details.get('new')}"
    if event["kind"] == "move":
        return f"Moved: {event['title']} ({details.get('new')})"
    return str(event["title"])


def _sub(parent: ET.Element, tag: str, text: str) -> ET.Element:
    """A child element holding `text` made `printable` (XML forbids most control characters)."""
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}")
    element.text = printable(text)
    return element
