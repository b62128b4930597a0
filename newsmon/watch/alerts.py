"""Telling users about new related appearances: text, JSON Lines, Atom feeds and webhooks.

Every related appearance is an event row. Each output (a terminal, cron mail, a webhook)
keeps a cursor per watch in the store: what it has reported is never reported again, and
what it could not deliver stays pending.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import logging
import socket
import threading
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

from newsmon import __version__
from newsmon.clock import now_iso
from newsmon.normalize.text import printable
from newsmon.ops.output_files import replace_atomically
from newsmon.settings_table import default
from newsmon.store import Store
from newsmon.store.since import Since

logger = logging.getLogger(__name__)

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_ENTRIES = 200
# Seconds one webhook's delivery may take in all, for callers outside a run.
WEBHOOK_DEADLINE: float = default("NEWSMON_WEBHOOK_TIMEOUT")
# The fields of one appearance; an alert's other fields are those of its headline.
APPEARANCE_FIELDS = (
    "event_id",
    "appearance_id",
    "context",
    "page_url",
    "first_seen",
    "published_at",
    "section",
    "created_at",
)
# The order an alert names its places in, whichever was found first (crawls fetch pages
# concurrently): where a headline is announced, its own page, then where it is linked from.
PLACE_ORDER = ("feed", "sitemap", "listing", "article", "alternate", "latest", "sidebar", "ingest")

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
    crawl N when they were made after it ended. Times are kept to the second, and a backfill
    run straight after a crawl is often made in the second it ended: such an event counts as
    after it unless it comes before the crawl's own last event.
    """
    where: list[str] = []
    params: list[Any] = []
    if since.crawl_id is not None:
        where.append(
            """(e.crawl_id > ? OR (e.crawl_id IS NULL AND (e.created_at > ?
                 OR (e.created_at = ? AND e.id > (SELECT coalesce(max(id), 0) FROM events
                                                  WHERE crawl_id = ?)))))"""
        )
        params.extend((since.crawl_id, since.moment, since.moment, since.crawl_id))
    else:
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


@dataclass(frozen=True)
class Alert:
    """One headline of one source in one run, for one watch, with each new appearance of it.

    An article seen in a feed, a listing, its own page and a "latest" box is one alert with
    four events; a revision or a move is an alert of its own.
    """

    events: tuple[dict[str, Any], ...]

    @property
    def first(self) -> dict[str, Any]:
        """The alert's oldest event."""
        return self.events[0]

    @property
    def contexts(self) -> list[str]:
        """The places the headline was seen, in `PLACE_ORDER`."""
        places = {event["context"] for event in self.events}
        return sorted(places, key=lambda place: (_place_rank(place), place))

    @property
    def when(self) -> str:
        """The publication time the places give (the first one that has it), else first seen."""
        published = next((e["published_at"] for e in self.events if e["published_at"]), None)
        return str(published or self.first["first_seen"])


def group_alerts(events: Iterable[dict[str, Any]]) -> list[Alert]:
    """The alerts of `events` (oldest first), in the order of their first event."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for event in events:
        key: tuple[Any, ...] = (
            (event["watch"], event["crawl_id"], event["source"], event["article_id"])
            if event["kind"] == "appearance"
            else (event["event_id"],)
        )
        groups.setdefault(key, []).append(event)
    return [Alert(tuple(members)) for members in groups.values()]


def format_alert(alert: Alert) -> str:
    """One line for terminals and cron mail (its texts made `printable`)."""
    event = {
        name: printable(value) if isinstance(value, str) else value
        for name, value in alert.first.items()
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
    lang = f" [{event['lang']}]" if event["lang"] else ""
    return (
        f"[{event['watch']}] {alert.when} {event['source']} ({', '.join(alert.contexts)}){lang}: "
        f"{event['title']} <{event['url']}>"
    )


def alert_json(alert: Alert) -> dict[str, Any]:
    """An alert as a JSON object (`--json` lines and the webhook payload use it).

    The headline's fields (watch, kind, source, title, url, lang, story, crawl_id, details…),
    `contexts` (the places, in order) and `appearances`: one object per event, with its
    `event_id`, `appearance_id`, `context`, `page_url`, `first_seen`, `published_at`,
    `section` and `created_at`.
    """
    first = alert.first
    data = {
        key: value
        for key, value in first.items()
        if key not in APPEARANCE_FIELDS and key != "details"
    }
    data.update(
        details=json.loads(first["details"] or "{}"),
        contexts=alert.contexts,
        published_at=alert.when if any(e["published_at"] for e in alert.events) else None,
        first_seen=min(str(event["first_seen"]) for event in alert.events),
        created_at=first["created_at"],
        appearances=[{key: event[key] for key in APPEARANCE_FIELDS} for event in alert.events],
    )
    return data


def write_atom(
    store: Store,
    watch: str,
    path: str | Path,
    *,
    limit: int = ATOM_ENTRIES,
    self_url: str | None = None,
) -> int:
    """Write the Atom feed of a watch's latest alerts; returns the entry count.

    Entry ids are stable (the id of an alert's first event), so feed readers show each
    alert once. `self_url`, the address the feed is served at, becomes its `rel="self"` link.
    """
    alerts = _latest_alerts(store, watch, limit)
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "title", f"newsmon: {watch}")
    _sub(feed, "id", f"urn:newsmon:watch:{watch}")
    if self_url is not None:
        ET.SubElement(feed, f"{{{ATOM_NS}}}link", rel="self", href=self_url)
    updated = [event["created_at"] for alert in alerts for event in alert.events]
    _sub(feed, "updated", max(updated) if updated else now_iso())
    ET.SubElement(feed, f"{{{ATOM_NS}}}generator", version=__version__).text = "newsmon"
    for alert in alerts:
        event = alert.first
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        _sub(entry, "id", f"urn:newsmon:event:{event['event_id']}")
        _sub(entry, "title", _entry_title(event))
        _sub(entry, "updated", alert.events[-1]["created_at"])
        _sub(entry, "published", min(str(e["first_seen"]) for e in alert.events))
        ET.SubElement(entry, f"{{{ATOM_NS}}}link", href=printable(event["url"]))
        author = ET.SubElement(entry, f"{{{ATOM_NS}}}author")
        _sub(author, "name", event["source_name"])
        places = ", ".join(f"{e['context']} ({e['page_url']})" for e in alert.events)
        lang = f" [{event['lang']}]" if event["lang"] else ""
        _sub(entry, "summary", f"{event['source_name']}{lang}: {places}")
        for context in alert.contexts:
            ET.SubElement(entry, f"{{{ATOM_NS}}}category", term=printable(context))
    tree = ET.ElementTree(feed)
    ET.indent(tree)
    with replace_atomically(path) as out:
        tree.write(out, encoding="unicode", xml_declaration=True)
    return len(alerts)


def _latest_alerts(store: Store, watch: str, limit: int, batch: int = 500) -> list[Alert]:
    """A watch's `limit` newest alerts (newest first), each with all its events."""
    newest_first: list[dict[str, Any]] = []
    while True:
        where, params = ["e.watch = ?"], [watch]
        if newest_first:
            where.append("e.id < ?")
            params.append(newest_first[-1]["event_id"])
        rows = _events(store, where, params, newest_first=True, limit=batch)
        newest_first.extend(rows)
        alerts = group_alerts(reversed(newest_first))
        if len(rows) < batch:
            return alerts[::-1][:limit]
        # The oldest run read may have older events still: only whole alerts are shown.
        boundary = newest_first[-1]["crawl_id"]
        whole = [alert for alert in alerts if alert.first["crawl_id"] != boundary]
        if len(whole) >= limit:
            return whole[::-1][:limit]


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
    deadline: float = WEBHOOK_DEADLINE,
    attempts: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> WebhookResult:
    """POST the watch's undelivered alerts to `url` as one JSON document.

    Retries with exponential backoff on errors and 5xx answers, all within `deadline`
    seconds; the events stay pending (and are sent again next time) until the endpoint
    answers 2xx. Nothing the endpoint does raises: a failure is one log line.
    """
    output = f"webhook:{watch}"
    events = new_events(store, output, watch=watch)
    if not events:
        return WebhookResult(0, 0)
    payload = json.dumps(
        {"watch": watch, "alerts": [alert_json(alert) for alert in group_alerts(events)]},
        ensure_ascii=False,
        sort_keys=True,
    ).encode("utf-8")
    error = http_url_problem(url) or _post_with_retries(
        url, payload, deadline=deadline, attempts=attempts, backoff=backoff, sleep=sleep
    )
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


def http_url_problem(url: str) -> str | None:
    """What makes `url` unusable as an http(s) address (a webhook, a feed's own URL), or None."""
    if any(character.isspace() or not character.isprintable() for character in url):
        return "spaces or control characters"
    try:
        parts = urlsplit(url)
    except ValueError:  # a bracket left open: `http://[::1/x`
        return "not a URL"
    if parts.scheme not in ("http", "https"):
        return "expected an http:// or https:// URL"
    if not parts.hostname:
        return "no host"
    port = _port_text(parts.netloc)
    if port and (not port.isdigit() or not 0 < int(port) < 65536):
        return f"port {port if port.isdigit() else repr(port)} is not 1–65535"
    return None


def redact_url(url: str) -> str:
    """A URL safe to log: its scheme and host; the rest of it is `…`. Tokens live in the
    user info, the path (`/services/T0/B0/<token>`, `/bot<id>:<token>/…`, `/<uuid>`) and
    the query."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(not a URL)"
    host = parts.netloc.rpartition("@")[2]
    path = "/…" if parts.path.strip("/") else parts.path
    return f"{parts.scheme}://{host}{path}" + ("?…" if parts.query else "")


def _port_text(netloc: str) -> str:
    """The port of `netloc` as written (`''` when none), without letting a bad one raise."""
    host = netloc.rpartition("@")[2]
    if host.startswith("["):
        host = host.partition("]")[2]
    return host.rpartition(":")[2] if ":" in host else ""


def _post_with_retries(
    url: str,
    payload: bytes,
    *,
    deadline: float,
    attempts: int,
    backoff: float,
    sleep: Callable[[float], None],
) -> str | None:
    """POST up to `attempts` times within `deadline` seconds: None once one answered 2xx,
    else what went wrong last."""
    ends = time.monotonic() + deadline
    error = None
    for attempt in range(attempts):
        pause = backoff * 2 ** (attempt - 1) if attempt else 0.0
        if time.monotonic() + pause >= ends:
            break
        if pause:
            sleep(pause)
        error = _post(url, payload, ends - time.monotonic())
        if error is None or error == _TIMED_OUT:
            break
    if error == _TIMED_OUT:
        return f"no complete answer within {deadline:g} s (NEWSMON_WEBHOOK_TIMEOUT)"
    return error


# What `_post` says when the deadline passed before a complete answer.
_TIMED_OUT = "timed out"


def _connection(
    parts: SplitResult, seconds: float
) -> tuple[http.client.HTTPConnection, str, dict[str, str]]:
    """The connection a POST to `parts` goes through, its request target and the headers
    the proxy needs: the proxy the environment names for the scheme (`http_proxy`,
    `https_proxy`, `no_proxy`), as urllib would use it, else the host itself."""
    host, port = parts.hostname or "", parts.port
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    https = parts.scheme == "https"
    direct = http.client.HTTPSConnection if https else http.client.HTTPConnection
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(host):
        return direct(host, port, timeout=seconds), target, {}
    through = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    credentials = _basic_auth(through, "Proxy-Authorization")
    if https:  # a CONNECT tunnel: the proxy never sees the request or its credentials
        tunnel = http.client.HTTPSConnection(through.hostname or "", through.port, timeout=seconds)
        tunnel.set_tunnel(host, port, headers=credentials)
        return tunnel, target, {}
    absolute = f"http://{parts.netloc.rpartition('@')[2]}{target}"
    connection = http.client.HTTPConnection(through.hostname or "", through.port, timeout=seconds)
    return connection, absolute, credentials


def _basic_auth(parts: SplitResult, header: str) -> dict[str, str]:
    """`header` with Basic credentials when the URL `parts` carries `user:password@`."""
    if parts.username is None and parts.password is None:
        return {}
    credentials = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
    return {header: "Basic " + base64.b64encode(credentials.encode()).decode("ascii")}


def _post(url: str, payload: bytes, seconds: float) -> str | None:
    """POST `payload` to `url`: None when it answered 2xx, else what went wrong.

    The request runs in a thread of its own: an endpoint that trickles its answer a byte
    at a time never holds the caller past `seconds` (a socket timeout bounds each read only).
    """
    parts = urlsplit(url)
    headers = {"Content-Type": "application/json", "User-Agent": f"newsmon/{__version__}"}
    headers.update(_basic_auth(parts, "Authorization"))
    connection, target, proxy_headers = _connection(parts, seconds)
    headers.update(proxy_headers)
    outcome: list[str | None] = []

    def attempt() -> None:
        try:
            connection.request("POST", target, body=payload, headers=headers)
            status = connection.getresponse().status
            outcome.append(None if 200 <= status < 300 else f"HTTP {status}")
        except http.client.HTTPException as error:
            outcome.append(f"not an HTTP answer ({type(error).__name__})")
        except OSError as error:
            outcome.append(f"unreachable ({error})")
        except Exception as error:  # whatever an endpoint does, it is one log line
            outcome.append(f"failed ({type(error).__name__})")
        finally:
            connection.close()

    worker = threading.Thread(target=attempt, name="newsmon-webhook", daemon=True)
    worker.start()
    worker.join(seconds)
    if outcome:
        return outcome[0]
    if connection.sock is not None:  # wakes the thread up from its read
        with contextlib.suppress(OSError):
            connection.sock.shutdown(socket.SHUT_RDWR)
    return _TIMED_OUT


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


def _place_rank(place: str) -> int:
    return PLACE_ORDER.index(place) if place in PLACE_ORDER else len(PLACE_ORDER)


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
