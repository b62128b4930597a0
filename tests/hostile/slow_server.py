"""The fixture server, slowed down: every answer waits, so a crawl of the seeds takes seconds
(time to kill it, or to read the store while it writes)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.fixture_server import FixtureServer


class SlowServer(FixtureServer):
    """Serves `directory`'s fixtures, each answer `delay` seconds late; `first_request` is set
    when a request arrives (clear it before starting a run to know when that run began)."""

    def __init__(self, directory: str | Path, delay: float) -> None:
        self.delay = delay
        self.first_request = threading.Event()
        super().__init__(directory)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        answer = super()._handler_class()
        server = self

        class SlowHandler(answer):  # type: ignore[valid-type,misc]
            def do_GET(self) -> None:
                server.first_request.set()
                time.sleep(server.delay)
                try:
                    super().do_GET()
                except OSError:  # the client was killed while waiting for this answer
                    self.close_connection = True

        return SlowHandler
