"""A webhook endpoint on 127.0.0.1 for tests of alert delivery."""

from __future__ import annotations

import itertools
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """A webhook endpoint on 127.0.0.1 answering a scripted list of statuses."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.payloads: list[dict] = []
        self.headers: list[dict[str, str]] = []
        self.targets: list[str] = []  # what each request line asked for
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                receiver.payloads.append(json.loads(self.rfile.read(length)))
                receiver.headers.append(dict(self.headers))
                receiver.targets.append(self.path)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook?token=secret"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class BadEndpoint:
    """A TCP endpoint on 127.0.0.1 that reads a request, then answers `lines` one by one,
    `pause` seconds apart; `endless` repeats the last line forever (a trickle of headers)."""

    def __init__(self, lines: list[bytes], *, pause: float = 0.0, endless: bool = False) -> None:
        self.lines = lines
        self.pause = pause
        self.endless = endless
        self.connections = 0
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.stopped = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/hook?token=secret"

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._answer, args=(connection,), daemon=True).start()

    def _answer(self, connection: socket.socket) -> None:
        with connection:
            try:
                connection.recv(65536)
                lines = (
                    itertools.chain(self.lines, itertools.repeat(self.lines[-1]))
                    if self.endless
                    else iter(self.lines)
                )
                for line in lines:
                    if self.stopped.wait(self.pause):
                        return
                    connection.sendall(line)
            except OSError:
                return

    def stop(self) -> None:
        self.stopped.set()
        self.listener.close()
