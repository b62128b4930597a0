"""Hostile answers that are too big, too deep or too interactive to keep as files.

`cases.toml` names them (`generator = "…"`); each takes the crawl's `Context` and returns what
the fixture server answers with: an `Answer`, or a handler writing anything (stalling,
resetting, lying about its length).
"""

from __future__ import annotations

import gzip
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.fixture_server import Answer, Override

BODIES = Path(__file__).parent / "bodies"
HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
MEGABYTE = 1024 * 1024
HUGE_PAGE_BYTES = 50 * MEGABYTE
NESTING_LEVELS = 100_000
LINKS_ON_A_PAGE = 10_000
# How long a stalling server holds the connection (longer than the crawl's DOWNLOAD_TIMEOUT).
STALL_SECONDS = 8.0


@dataclass(frozen=True)
class Context:
    """What a generator may need: the case's URL, the server's address, the secret file."""

    url: str
    address: str
    secret: Path
    stop: threading.Event


# A generator answers the case's URL, or several URLs (a mapping).
Generator = Callable[[Context], Override | dict[str, Override]]


def article_page(title: str, *, body: str = "", head: str = "", latest: str = "") -> str:
    """An article page in report.az's layout (the parser's selectors find it)."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{title} | Report.az</title>{head}</head>
<body>
<article>
<h1 class="news-detail-title">{title}</h1>
<ul class="article-meta">
<li><span class="article-date">03 March, 2026</span></li>
<li><span class="article-time">12:00</span></li>
</ul>
<div class="article-body"><p>The talks went on in Baku until late in the evening.</p>{body}</div>
</article>
<section class="latest-news"><ul>{latest}</ul></section>
</body>
</html>
"""


def _quietly(write: Callable[[BaseHTTPRequestHandler], None]) -> Callable[..., None]:
    """A handler that ignores the client going away (the crawler gives up on purpose)."""

    def handler(request: BaseHTTPRequestHandler) -> None:
        try:
            write(request)
        except OSError:
            request.close_connection = True

    return handler


def _stream(request: BaseHTTPRequestHandler, total: int, stop: threading.Event) -> None:
    chunk = b"<p>" + b"filler " * (MEGABYTE // 7 - 1) + b"</p>\n"
    sent = 0
    while sent < total and not stop.is_set():
        part = chunk[: total - sent]
        request.wfile.write(part)
        sent += len(part)


def huge_page_with_length(context: Context) -> Override:
    """50 MB announced by Content-Length: cancelled as soon as the headers arrive."""

    def write(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(HUGE_PAGE_BYTES))
        request.end_headers()
        _stream(request, HUGE_PAGE_BYTES, context.stop)

    return _quietly(write)


def huge_page_streamed(context: Context) -> Override:
    """50 MB with no length announced (read until the connection closes): cancelled at
    DOWNLOAD_MAXSIZE bytes."""

    def write(request: BaseHTTPRequestHandler) -> None:
        request.close_connection = True
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Connection", "close")
        request.end_headers()
        _stream(request, HUGE_PAGE_BYTES, context.stop)

    return _quietly(write)


@cache
def _gzip_bomb() -> bytes:
    return gzip.compress(b"\0" * (100 * MEGABYTE), compresslevel=9, mtime=0)


def gzip_bomb(context: Context) -> Override:
    """About 100 KB on the wire, 100 MB once decompressed."""
    return Answer(200, _gzip_bomb(), {**HTML, "Content-Encoding": "gzip"})


def deep_nesting(context: Context) -> Override:
    """An article whose body holds 100,000 nested `<div>`s."""
    nested = "<div>" * NESTING_LEVELS + "deep inside" + "</div>" * NESTING_LEVELS
    return Answer(200, article_page("Deeply nested page", body=nested).encode(), HTML)


def many_links(context: Context) -> Override:
    """An article whose "Latest news" block has 10,000 headlines."""
    latest = "".join(
        f'<li class="news-item"><a class="news-title" href="/en/region/flood-{n}">'
        f"Headline {n} of a flood</a></li>"
        for n in range(LINKS_ON_A_PAGE)
    )
    return Answer(200, article_page("Page with ten thousand links", latest=latest).encode(), HTML)


def deep_json_ld(context: Context) -> Override:
    """JSON-LD nested 100,000 arrays deep (json.loads runs out of recursion)."""
    script = "[" * NESTING_LEVELS + "]" * NESTING_LEVELS
    head = f'<script type="application/ld+json">{script}</script>'
    return Answer(200, article_page("Page with bottomless JSON-LD", head=head).encode(), HTML)


def rss_xxe(context: Context) -> Override:
    """RSS whose entity reads the secret file (a parser that expands it leaks the marker)."""
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file://{context.secret}">]>
<rss version="2.0"><channel><title>Leaky feed</title><link>https://ccbsnews.info/en</link>
<item><title>Leaked: &secret;</title><link>https://ccbsnews.info/en/news/detail/9001</link>
<description>&secret;</description></item>
</channel></rss>
"""
    return Answer(200, body.encode(), RSS)


def atom_xxe(context: Context) -> Override:
    """The same in Atom, with a parameter entity too."""
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE feed [
  <!ENTITY secret SYSTEM "file://{context.secret}">
  <!ENTITY % remote SYSTEM "http://{context.address}/remote.dtd">
  %remote;
]>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Leaky Atom feed</title>
<id>urn:hostile:atom</id><updated>2026-03-03T10:00:00Z</updated>
<entry><title>Leaked: &secret;</title><id>urn:hostile:1</id>
<link href="https://feeds.hostile.test/news/leaked-atom-entry"/>
<updated>2026-03-03T10:00:00Z</updated><summary>&secret;</summary></entry>
</feed>
"""
    return Answer(200, body.encode(), {"Content-Type": "application/atom+xml"})


def external_dtd(context: Context) -> Override:
    """RSS naming an external DTD on the test server: reading the feed must not fetch it."""
    body = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss SYSTEM "http://{context.address}/external.dtd">
<rss version="2.0"><channel><title>Feed with an external DTD</title>
<link>https://feeds.hostile.test/</link>
<item><title>Entry of a feed with an external DTD</title>
<link>https://feeds.hostile.test/news/entry-of-a-feed-with-an-external-dtd</link></item>
</channel></rss>
"""
    return Answer(200, body.encode(), RSS)


def stall_mid_body(context: Context) -> Override:
    """Headers and the first bytes of a page, then nothing."""

    def write(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", "100000")
        request.end_headers()
        request.wfile.write(b"<!DOCTYPE html><html><head><title>Stalled")
        request.wfile.flush()
        context.stop.wait(STALL_SECONDS)
        request.close_connection = True

    return _quietly(write)


def never_answers(context: Context) -> Override:
    """Reads the request and says nothing at all."""

    def write(request: BaseHTTPRequestHandler) -> None:
        context.stop.wait(STALL_SECONDS)
        request.close_connection = True

    return _quietly(write)


def reset_connection(context: Context) -> Override:
    """Answers the request with a TCP reset."""

    def write(request: BaseHTTPRequestHandler) -> None:
        request.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        request.close_connection = True
        request.connection.close()

    return _quietly(write)


def lying_length(context: Context) -> Override:
    """Announces 5,000 bytes, sends 120 and closes the connection."""

    def write(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", "5000")
        request.end_headers()
        request.wfile.write(b"<!DOCTYPE html><html><head><title>Short</title></head><body>" * 2)
        request.close_connection = True

    return _quietly(write)


def broken_status_line(context: Context) -> Override:
    """Not HTTP at all: a status line that no client can read."""

    def write(request: BaseHTTPRequestHandler) -> None:
        request.wfile.write(b"HTTP/1.1 two-hundred OK\r\nContent-Length: 2\r\n\r\nok")
        request.close_connection = True

    return _quietly(write)


def throttled_then_ok(context: Context) -> Override:
    """429 with `Retry-After: 1` at first, the article once the client has waited."""
    answered = threading.Lock()
    state = {"throttled": False}

    def write(request: BaseHTTPRequestHandler) -> None:
        with answered:
            throttle, state["throttled"] = not state["throttled"], True
        if throttle:
            answer = Answer(429, b"slow down", {"Content-Type": "text/plain", "Retry-After": "1"})
        else:
            title = "Article served after a Retry-After pause"
            answer = Answer(200, article_page(title).encode(), HTML)
        request.send_response(answer.status)
        for name, value in {**answer.headers, "Content-Length": str(len(answer.body))}.items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(answer.body)

    return _quietly(write)


def many_listing_links(context: Context) -> Override:
    """report.az's news feed listing with 10,000 entries."""
    entries = "".join(
        f'<li class="news-item"><a class="news-title" href="/en/region/listed-{n}">'
        f"Listed headline {n} of a flood</a></li>"
        for n in range(LINKS_ON_A_PAGE)
    )
    page = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>News feed</title>
</head><body><section class="news-feed"><div class="news-feed-day">
<h2 class="news-feed-date">03 March, 2026</h2><ul>{entries}</ul></div></section></body></html>"""
    return Answer(200, page.encode(), HTML)


def sitemap_loop(context: Context) -> dict[str, Override]:
    """A sitemap index listing itself and a second index that lists the first again."""
    other = context.url.replace(".xml", "-2.xml")
    xml = {"Content-Type": "application/xml"}

    def index(*urls: str) -> bytes:
        entries = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in urls)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}'
            "</sitemapindex>"
        ).encode()

    return {
        context.url: Answer(200, index(context.url, other), xml),
        other: Answer(200, index(context.url, other), xml),
    }


def sitemap_chain(context: Context) -> dict[str, Override]:
    """A sitemap index listing a new index at every level (`?n=N+1`), 50 levels deep."""
    xml = {"Content-Type": "application/xml"}

    def level(n: int) -> str:
        return context.url if n == 0 else f"{context.url}?n={n}"

    def index(url: str) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{url}</loc></sitemap></sitemapindex>"
        ).encode()

    return {level(n): Answer(200, index(level(n + 1)), xml) for n in range(50)}


def redirect_to_secret(context: Context) -> Override:
    """A redirect to the secret file on the crawler's own disk."""
    return Answer(302, b"", {"Location": f"file://{context.secret}"})


def redirect_cycle(context: Context) -> dict[str, Override]:
    """Ten URLs redirecting each to the next, the last back to the first."""
    hops = [context.url] + [f"{context.url}?hop={n}" for n in range(1, 10)]
    return {
        url: Answer(302, b"", {"Location": hops[(n + 1) % len(hops)]}) for n, url in enumerate(hops)
    }


def redirect_ping_pong(context: Context) -> dict[str, Override]:
    """Two URLs redirecting to each other."""
    other = context.url + "-back"
    return {
        context.url: Answer(302, b"", {"Location": other}),
        other: Answer(302, b"", {"Location": context.url}),
    }


GENERATORS: dict[str, Generator] = {
    function.__name__: function
    for function in (
        huge_page_with_length,
        huge_page_streamed,
        gzip_bomb,
        deep_nesting,
        many_links,
        deep_json_ld,
        rss_xxe,
        atom_xxe,
        external_dtd,
        stall_mid_body,
        never_answers,
        reset_connection,
        lying_length,
        broken_status_line,
        throttled_then_ok,
        many_listing_links,
        sitemap_loop,
        sitemap_chain,
        redirect_to_secret,
        redirect_cycle,
        redirect_ping_pong,
    )
}
