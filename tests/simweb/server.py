"""The simulated web over real HTTP: one server on 127.0.0.1 for every site, told apart by the
`Host` header (newsmon reaches it through `NEWSMON_RESOLVE`, which keeps the original host).

Every answer is computed as of the clock's time. Per site, from the `SiteSpec`:

    /                 and /latest?page=N   listing pages (rel="next" to older ones)
    /rss.xml, /atom.xml                    the newest `feed_size` items (with `<ttl>` and
                                           Cache-Control max-age if `feed_ttl_minutes`)
    /news-sitemap.xml                      (news_sitemap sites) the last two days
    /robots.txt                            changes at the spec's `robots_changes`
    /<section>/<yyyy>/<mm>/<dd>/<n>-<slug> articles; a former slug answers 301 to the current

Feeds, listings and the sitemap carry the site's validators (honest, absent, a lying ETag or
a stuck Last-Modified); articles carry honest ones (none on `absent` sites). Faults come
first: an outage answers 503, a throttle 429 with `Retry-After`, a site blocking newsmon 403
to a User-Agent naming it; a JavaScript-shell site sends its HTML pages' text only inside a
script. Requests, bytes and statuses are counted per site and requests per URL.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tests.simweb import pages
from tests.simweb.clock import SimClock
from tests.simweb.model import (
    ABSENT,
    HONEST,
    LYING_ETAG,
    STUCK_LAST_MODIFIED,
    SimWeb,
    SiteSpec,
    SiteTimeline,
)

NEWS_SITEMAP_LIMIT = 1000  # the most URLs a Google News sitemap may list
MAX_LISTING_PAGE = 500
STUCK_AGE = timedelta(days=30)  # how old a stuck Last-Modified claims the feed is

DENIED = b"<html><body><h1>Access denied</h1><p>Automated access is blocked.</p></body></html>"
NOT_FOUND = b"<html><body><h1>Page not found</h1></body></html>"

XML = "application/xml; charset=utf-8"
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


@dataclass
class Answer:
    """One response of the simulated web."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class SimServer:
    """Serves `web` as of `clock.now` over HTTP once started; `respond` answers the same
    without HTTP (and without starting)."""

    def __init__(self, web: SimWeb, clock: SimClock) -> None:
        self.web = web
        self.clock = clock
        self.requests: Counter[str] = Counter()  # per host
        self.bytes: Counter[str] = Counter()  # body bytes per host
        self.statuses: Counter[tuple[str, int]] = Counter()  # (host, status)
        self.hits: Counter[str] = Counter()  # per URL (https://host/path?query)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None  # listening once started
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The port the started server listens on."""
        if self._server is None:
            raise RuntimeError("the simulated web is not being served: call start() first")
        return self._server.server_address[1]

    @property
    def address(self) -> str:
        """`127.0.0.1:PORT`."""
        return f"127.0.0.1:{self.port}"

    def resolve(self, hosts: list[str] | None = None) -> dict[str, str]:
        """The `NEWSMON_RESOLVE` setting sending `hosts` (default: every site) here."""
        return {host: self.address for host in hosts or self.web.hosts}

    def resolve_env(self, hosts: list[str] | None = None) -> str:
        """The same as the `NEWSMON_RESOLVE` environment variable's text."""
        return ",".join(f"{host}={address}" for host, address in self.resolve(hosts).items())

    def start(self) -> SimServer:
        """Listen on a free port of 127.0.0.1 and answer in a background thread."""
        if self._server is None:
            self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
            self._server.daemon_threads = True
            self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering and close the port (nothing to do if never started)."""
        if self._server is not None and self._thread is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join()
            self._server = self._thread = None

    def respond(self, host: str, target: str, headers: Mapping[str, str]) -> Answer:
        """The answer to `GET target` on `host` with request `headers`, as of the clock's
        time; counted like a request over HTTP."""
        host = host.rsplit(":", 1)[0].lower() if not host.startswith("[") else host
        timeline = self.web.sites.get(host)
        answer = (
            Answer(404, b"no such site\n", {"Content-Type": TEXT})
            if timeline is None
            else _answer(timeline, target, _lower(headers), self.clock.now)
        )
        with self._lock:
            self.requests[host] += 1
            self.bytes[host] += len(answer.body)
            self.statuses[host, answer.status] += 1
            self.hits[f"https://{host}{target}"] += 1
        return answer


@contextmanager
def serving(web: SimWeb, clock: SimClock) -> Iterator[SimServer]:
    """A running SimServer for the duration of a `with` block."""
    server = SimServer(web, clock).start()
    try:
        yield server
    finally:
        server.stop()


def _answer(
    timeline: SiteTimeline, target: str, headers: Mapping[str, str], now: datetime
) -> Answer:
    """What `timeline`'s site answers at `now` (faults first, then the page)."""
    spec = timeline.spec
    offset = now - timeline.start
    if any(window.covers(offset) for window in spec.outages):
        return Answer(503, b"Service temporarily unavailable\n", {"Content-Type": TEXT})
    for throttle in spec.throttles:
        if throttle.covers(offset):
            return Answer(
                429,
                b"Too many requests\n",
                {"Content-Type": TEXT, "Retry-After": str(throttle.retry_after)},
            )
    if spec.blocks_newsmon and "newsmon" in headers.get("user-agent", "").lower():
        return Answer(403, DENIED, {"Content-Type": HTML})
    parts = urlsplit(target)
    path = parts.path or "/"
    if path == "/robots.txt":
        text = pages.robots(spec, _disallowed(spec, offset))
        return Answer(200, text.encode(), {"Content-Type": TEXT})
    if path in ("/", pages.LISTING_PATH):
        return _listing(timeline, _page_number(parts.query), headers, now)
    if path in (pages.RSS_PATH, pages.ATOM_PATH):
        newest = timeline.newest(now, spec.feed_size)
        render = pages.rss if path == pages.RSS_PATH else pages.atom
        kind = "application/rss+xml" if path == pages.RSS_PATH else "application/atom+xml"
        body = render(spec, newest, now).encode()
        answer = _validated(timeline, body, f"{kind}; charset=utf-8", headers, now)
        if spec.feed_ttl_minutes:
            answer.headers["Cache-Control"] = f"max-age={spec.feed_ttl_minutes * 60}"
        return answer
    if path == pages.NEWS_SITEMAP_PATH and spec.news_sitemap:
        recent = [
            article
            for article in timeline.newest(now, NEWS_SITEMAP_LIMIT)
            if article.published_at > now - pages.NEWS_SITEMAP_SPAN
        ]
        body = pages.news_sitemap(spec, recent, now).encode()
        return _validated(timeline, body, XML, headers, now)
    return _article(timeline, path, headers, now)


def _listing(
    timeline: SiteTimeline, number: int | None, headers: Mapping[str, str], now: datetime
) -> Answer:
    spec = timeline.spec
    if number is None:
        return Answer(404, b"no such page\n", {"Content-Type": TEXT})
    shown = timeline.newest(now, spec.page_size, offset=(number - 1) * spec.page_size)
    if not shown and number > 1:
        return Answer(404, b"no such page\n", {"Content-Type": TEXT})
    has_next = timeline.published_count(now) > number * spec.page_size
    text = (
        pages.js_shell(spec, pages.listing_state(shown, now))
        if spec.js_shell
        else pages.listing_page(spec, shown, now, number, has_next)
    )
    return _validated(timeline, text.encode(), HTML, headers, now)


def _article(
    timeline: SiteTimeline, path: str, headers: Mapping[str, str], now: datetime
) -> Answer:
    spec = timeline.spec
    found = timeline.at_path(path, now)
    if found is None:
        return Answer(404, NOT_FOUND, {"Content-Type": HTML})
    article, version = found
    if article.path(version.slug) != path:
        return Answer(301, b"", {"Location": article.url(version.slug)})
    text = (
        pages.js_shell(spec, pages.article_state(article, version))
        if spec.js_shell
        else pages.article_page(spec, article, version)
    )
    body = text.encode()
    if spec.validators == ABSENT:
        return Answer(200, body, {"Content-Type": HTML})
    return _conditional(body, HTML, headers, _etag(body), version.at)


def _validated(
    timeline: SiteTimeline,
    body: bytes,
    content_type: str,
    headers: Mapping[str, str],
    now: datetime,
) -> Answer:
    """A feed, listing or sitemap answer with the site's validators (maybe lying)."""
    spec = timeline.spec
    if spec.validators == HONEST:
        return _conditional(body, content_type, headers, _etag(body), timeline.last_change(now))
    if spec.validators == LYING_ETAG:
        etag = '"' + hashlib.sha1(spec.host.encode()).hexdigest()[:16] + '"'
        return _conditional(body, content_type, headers, etag, None)
    if spec.validators == STUCK_LAST_MODIFIED:
        return _conditional(body, content_type, headers, None, timeline.start - STUCK_AGE)
    return Answer(200, body, {"Content-Type": content_type})


def _conditional(
    body: bytes,
    content_type: str,
    headers: Mapping[str, str],
    etag: str | None,
    modified: datetime | None,
) -> Answer:
    """200 with `etag`/`modified` as validators, or 304 when the request's validators match
    them (If-None-Match first, as HTTP says)."""
    given: dict[str, str] = {}
    if etag is not None:
        given["ETag"] = etag
    if modified is not None:
        given["Last-Modified"] = pages.http_date(modified)
    match = headers.get("if-none-match")
    since = _http_time(headers.get("if-modified-since"))
    if match is not None:
        fresh = etag is not None and etag in (
            tag.strip().removeprefix("W/") for tag in match.split(",")
        )
    else:
        fresh = (
            since is not None and modified is not None and modified.replace(microsecond=0) <= since
        )
    if fresh:
        return Answer(304, b"", given)
    return Answer(200, body, {"Content-Type": content_type, **given})


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


def _http_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def _disallowed(spec: SiteSpec, offset: timedelta) -> tuple[str, ...]:
    """The paths robots.txt disallows at `offset` (the latest change in force)."""
    changes = [change for change in spec.robots_changes if change.at <= offset]
    return max(changes, key=lambda change: change.at).disallow if changes else ()


def _page_number(query: str) -> int | None:
    """The listing page a query asks for (1 by default); None when it is not a number in
    range."""
    values = parse_qs(query).get("page")
    if not values:
        return 1
    try:
        number = int(values[0])
    except ValueError:
        return None
    return number if 1 <= number <= MAX_LISTING_PAGE else None


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _handler(server: SimServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body are written apart: without TCP_NODELAY every keep-alive answer
        # waits for the client's delayed ACK (40 ms).
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:
            answer = server.respond(self.headers.get("Host", ""), self.path, dict(self.headers))
            self.send_response(answer.status)
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

    return Handler
