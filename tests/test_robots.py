"""robots.txt: every request to a host is checked against its robots.txt, however many of them
arrive while it is being read (the worker's middleware, which reads it again, too). Scrapy's
own middleware (2.19) lets the third and later of four such requests through."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from newsmon.middlewares.robotstxt import EveryWaiterRobotsTxtMiddleware
from tests.conftest import SEEDS
from tests.fixture_server import Answer, serving
from tests.helpers import FAST, newsmon

DISALLOWING = b"User-agent: *\nDisallow: /private/\n"
PRIVATE = [f"https://example.com/private/{number}" for number in range(4)]


class SlowRobotsEngine:
    """An engine whose robots.txt downloads answer `body` only once `answer` is set."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.answer = asyncio.Event()
        self.downloads = 0

    async def download_async(self, request: Request) -> TextResponse:
        self.downloads += 1
        await self.answer.wait()
        return TextResponse(request.url, body=self.body, request=request)


def middleware_with(cls: type[RobotsTxtMiddleware], engine: SlowRobotsEngine) -> Any:
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True, "NEWSMON_ROBOTSTXT_TTL": 0})
    crawler.engine = engine  # type: ignore[assignment]  # only its downloads are used
    return cls.from_crawler(crawler)


async def verdicts(middleware: RobotsTxtMiddleware, engine: SlowRobotsEngine) -> list[str]:
    """What the middleware says of each PRIVATE page when they all arrive before robots.txt
    is read: "refused" or "allowed"."""
    checks = [asyncio.ensure_future(middleware.process_request(Request(url))) for url in PRIVATE]
    await asyncio.sleep(0)  # every check started: one downloads robots.txt, the others wait
    engine.answer.set()
    results = await asyncio.gather(*checks, return_exceptions=True)
    return ["refused" if isinstance(result, IgnoreRequest) else "allowed" for result in results]


def fresh_robots_middleware() -> type[RobotsTxtMiddleware]:
    pytest.importorskip("scrapy_redis", reason="Redis support is not installed")
    from newsmon.distributed.middlewares import FreshRobotsTxtMiddleware

    return FreshRobotsTxtMiddleware


def test_crawls_and_workers_check_robots_txt_with_newsmon_s_middleware() -> None:
    from newsmon import settings

    middlewares = settings.DOWNLOADER_MIDDLEWARES
    assert middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    assert middlewares["newsmon.middlewares.robotstxt.EveryWaiterRobotsTxtMiddleware"] == 100
    pytest.importorskip("scrapy_redis", reason="Redis support is not installed")
    from newsmon.distributed.worker import _REPLACED_DOWNLOADER

    assert _REPLACED_DOWNLOADER["newsmon.middlewares.robotstxt.EveryWaiterRobotsTxtMiddleware"] == (
        "newsmon.distributed.middlewares.FreshRobotsTxtMiddleware"
    )


@pytest.mark.parametrize("kind", ["crawl", "worker"])
def test_every_request_waiting_for_robots_txt_is_checked_against_it(kind: str) -> None:
    cls = EveryWaiterRobotsTxtMiddleware if kind == "crawl" else fresh_robots_middleware()
    engine = SlowRobotsEngine(DISALLOWING)
    middleware = middleware_with(cls, engine)
    assert asyncio.run(verdicts(middleware, engine)) == ["refused"] * len(PRIVATE)
    assert engine.downloads == 1


def test_requests_waiting_for_robots_txt_read_again_are_checked_against_it() -> None:
    engine = SlowRobotsEngine(b"User-agent: *\nAllow: /\n")
    middleware = middleware_with(fresh_robots_middleware(), engine)  # TTL 0: read every time

    async def crawl() -> list[list[str]]:
        first = await verdicts(middleware, engine)
        engine.body, engine.answer = DISALLOWING, asyncio.Event()
        return [first, await verdicts(middleware, engine)]

    assert asyncio.run(crawl()) == [["allowed"] * len(PRIVATE), ["refused"] * len(PRIVATE)]
    assert engine.downloads == 2


# A robots.txt that cannot be read --------------------------------------------------------------

ROBOTS = "https://report.az/robots.txt"
UNREAD = "robots.txt not read, the site's pages are requested without its rules"


def closed_port() -> int:
    """A port of 127.0.0.1 nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def crawl_log(tmp_path: Path, **options: Any) -> tuple[str, str]:
    """Crawl report.az with one quick retry; its standard error and log."""
    log = tmp_path / "crawl.log"
    result = newsmon(
        "crawl", "report_az", "--db", str(tmp_path / "n.db"), "--log", str(log), *FAST,
        "-s", "RETRY_TIMES=1", "-s", "NEWSMON_RETRY_BACKOFF=0.1", **options,
    )  # fmt: skip
    assert result.returncode == 1  # nothing could be read
    return result.stderr, log.read_text(encoding="utf-8")


def robots_lines(log: str) -> list[str]:
    """The log's lines that mention robots.txt, from the level on."""
    return [line.split(" ", 3)[3] for line in log.splitlines() if "robots.txt" in line]


def test_a_robots_txt_on_a_closed_port_is_one_line_naming_it(tmp_path: Path) -> None:
    env = {"NEWSMON_RESOLVE": f"report.az=127.0.0.1:{closed_port()}"}
    stderr, log = crawl_log(tmp_path, env=env)
    assert robots_lines(log) == [f"WARNING: {ROBOTS}: connection refused ({UNREAD})"]
    assert "Traceback" not in stderr + log
    assert " ERROR: " not in log


def test_a_robots_txt_whose_host_does_not_resolve_is_one_line_naming_it(tmp_path: Path) -> None:
    # Without a network: every name lookup fails, and nothing can connect.
    net_log = tmp_path / "network.log"
    stderr, log = crawl_log(tmp_path, offline_log=net_log)
    assert robots_lines(log) == [f"WARNING: {ROBOTS}: host name report.az not found ({UNREAD})"]
    assert "Traceback" not in stderr + log
    assert " ERROR: " not in log
    assert [line for line in net_log.read_text().splitlines() if "connect" in line] == []


def test_a_robots_txt_answering_a_server_error_is_one_line_naming_it(tmp_path: Path) -> None:
    log = tmp_path / "crawl.log"
    with serving(SEEDS) as server:
        server.overrides[ROBOTS] = Answer(503, b"busy", {"Content-Type": "text/plain"})
        result = newsmon(
            "crawl", "report_az", "--db", str(tmp_path / "n.db"), "--log", str(log), *FAST,
            "-s", "RETRY_TIMES=1", "-s", "NEWSMON_RETRY_BACKOFF=0.1",
            env={"NEWSMON_RESOLVE": server.resolve_env("report.az")},
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert server.requests[ROBOTS] == 2
    assert robots_lines(log.read_text(encoding="utf-8")) == [
        f"WARNING: {ROBOTS}: HTTP 503 ({UNREAD})"
    ]
