"""The private-address guard: live requests to non-public addresses are refused unless allowed.

(Whole crawls through the guard, with a name resolving to 127.0.0.1, are in
tests/test_generic_spider.py.)"""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newsmon.middlewares.private import (
    PrivateAddressMiddleware,
    PrivateAddressRefused,
    private_address,
)


class LocalSpider(Spider):
    name = "local"

    def allows_private_address(self, url: str) -> bool:
        return url.startswith("https://wiki.intranet.test/")


def guard(**settings: object) -> PrivateAddressMiddleware:
    crawler = get_crawler(LocalSpider, settings_dict=settings)
    crawler.spider = LocalSpider.from_crawler(crawler)
    return PrivateAddressMiddleware.from_crawler(crawler)


def process(middleware: PrivateAddressMiddleware, url: str) -> None:
    asyncio.run(middleware.process_request(Request(url)))


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("127.0.0.1", "127.0.0.1"),
        ("10.0.0.7", "10.0.0.7"),
        ("192.168.1.1", "192.168.1.1"),
        ("169.254.169.254", "169.254.169.254"),  # cloud metadata services
        ("100.64.0.1", "100.64.0.1"),
        ("0.0.0.0", "0.0.0.0"),
        ("[::1]", "::1"),
        ("[fe80::1]", "fe80::1"),
        ("[::ffff:10.0.0.1]", "::ffff:a00:1"),
        ("8.8.8.8", None),
        ("[2001:4860:4860::8888]", None),
    ],
)
def test_non_public_addresses_are_found(host: str, address: str | None) -> None:
    assert private_address(host) == address


def test_a_private_address_is_refused_with_one_line(caplog: pytest.LogCaptureFixture) -> None:
    middleware = guard()
    with pytest.raises(PrivateAddressRefused, match=r"^10\.0\.0\.7 is a private address$"):
        process(middleware, "http://10.0.0.7:8080/admin")
    assert caplog.messages == [
        "http://10.0.0.7:8080/admin: refused: 10.0.0.7 is a private address "
        "(a source allows it with allow_private_addresses = true)"
    ]
    assert middleware.stats.get_value("newsmon/private_refused") == 1


def test_public_mapped_and_allowed_hosts_pass() -> None:
    middleware = guard(NEWSMON_RESOLVE={"example-news.test": "127.0.0.1:8123"})
    middleware.verdicts["intranet.test"] = "10.1.1.1"  # not consulted: the spider allows it
    process(middleware, "https://8.8.8.8/")
    process(middleware, "https://example-news.test/world")
    process(middleware, "https://wiki.intranet.test/")
    assert middleware.stats.get_value("newsmon/private_refused") is None


def test_the_guard_is_off_in_replay() -> None:
    with pytest.raises(NotConfigured):
        guard(NEWSMON_REPLAY_DIR="seeds")
