"""A real HTTP server on 127.0.0.1 that serves a fixture set as if it were the live sites.

Requests arrive with the original `Host` (see `NEWSMON_RESOLVE`); the server answers with the
fixture saved for that URL, honours `If-None-Match` / `If-Modified-Since` with 304, counts
requests per URL, and lets a test replace or break any URL's response.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from newsmon.fixtures.manifest import FixtureSet


@dataclass
class Answer:
    """A response a test puts in place of a fixture."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


# A handler override gets the request handler and may write any response (stall, reset, …).
Override = Answer | Callable[[BaseHTTPRequestHandler], None]


class FixtureServer:
    """Serves `directory`'s fixtures; `port`, `requests` and `overrides` are for the test."""

    def __init__(self, directory: str | Path) -> None:
        self.fixtures = FixtureSet.load(directory)
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.overrides: dict[str, Override] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        """`127.0.0.1:PORT`."""
        return f"127.0.0.1:{self.port}"

    def resolve_env(self, *hosts: str) -> str:
        """The NEWSMON_RESOLVE value sending `hosts` to this server."""
        return ",".join(f"{host}={self.address}" for host in hosts)

    def start(self) -> FixtureServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def do_GET(self) -> None:
                host = self.headers.get("Host", "")
                url = f"https://{host}{self.path}"
                server.requests[url] += 1
                override = server.overrides.get(url)
                if callable(override):
                    override(self)
                    return
                if isinstance(override, Answer):
                    self._send(override.status, override.headers, override.body)
                    return
                fixture = server.fixtures.find(url) or server.fixtures.find(
                    f"http://{host}{self.path}"
                )
                if fixture is None:
                    self._send(404, {"Content-Type": "text/plain"}, b"no fixture")
                    return
                headers = dict(fixture.headers)
                etag, modified = headers.get("ETag"), headers.get("Last-Modified")
                if (etag and self.headers.get("If-None-Match") == etag) or (
                    modified and self.headers.get("If-Modified-Since") == modified
                ):
                    server.not_modified[url] += 1
                    self._send(304, {k: v for k, v in headers.items() if k != "Content-Type"}, b"")
                    return
                self._send(fixture.status, headers, server.fixtures.body(fixture))

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    if name.lower() not in ("content-length", "transfer-encoding"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


@contextmanager
def serving(directory: str | Path) -> Iterator[FixtureServer]:
    """A running FixtureServer for the duration of a `with` block."""
    server = FixtureServer(directory).start()
    try:
        yield server
    finally:
        server.stop()
