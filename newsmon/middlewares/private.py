"""Live crawls never reach private, loopback or link-local addresses unless told to.

A configured source could otherwise point newsmon at the machine it runs on or at its
network (a router's admin page, a cloud metadata service). A request is let through when its
host is mapped by `NEWSMON_RESOLVE` (a stand-in server chosen by the operator), or when the
spider's `allows_private_address(url)` says so (a source with `allow_private_addresses = true`);
otherwise its host is resolved (once per crawl) and refused, with one log line, if any of its
addresses is not a public one. Replay never touches the network, so the guard is off there.
"""

from __future__ import annotations

import ipaddress
import logging
import socket

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.threads import deferToThread

logger = logging.getLogger(__name__)


class PrivateAddressRefused(IgnoreRequest):
    """A request refused because its host is a private address (already logged)."""


def private_address(host: str) -> str | None:
    """The first address of `host` (an IP literal or a name to resolve) that is not public:
    private, loopback, link-local, reserved, multicast or unspecified. None when every address
    is public or the name does not resolve (the download then fails on its own)."""
    literal = ip_literal(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            return None
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    for address in addresses:
        mapped = getattr(address, "ipv4_mapped", None)
        checked = mapped or address
        if not checked.is_global or checked.is_multicast:
            return str(address)
    return None


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """`host` as an IP address when it is one (`[::1]` too)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def refusal(host: str, address: str) -> str:
    """Why a request to `host` is refused, `address` being its private address."""
    if address == host.strip("[]"):
        return f"{host} is a private address"
    return f"{host} resolves to the private address {address}"


class PrivateAddressMiddleware:
    """Refuses live requests to non-public addresses (see the module's description)."""

    def __init__(self, crawler: Crawler, stats: StatsCollector, mapped_hosts: set[str]) -> None:
        self.crawler = crawler
        self.stats = stats
        self.mapped_hosts = mapped_hosts
        self.verdicts: dict[str, str | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        if crawler.settings.get("NEWSMON_REPLAY_DIR"):
            raise NotConfigured  # replay never reaches the network
        assert crawler.stats is not None
        mapping = crawler.settings.getdict("NEWSMON_RESOLVE")
        return cls(crawler, crawler.stats, {host.lower() for host in mapping})

    async def process_request(self, request: Request) -> None:
        host = (urlparse_cached(request).hostname or "").lower()
        if not host or host in self.mapped_hosts:
            return
        allows = getattr(self.crawler.spider, "allows_private_address", None)
        if allows is not None and allows(request.url):
            return
        if host not in self.verdicts:
            self.verdicts[host] = await self._lookup(host)
        address = self.verdicts[host]
        if address is None:
            return
        self.stats.inc_value("newsmon/private_refused")
        reason = refusal(host, address)
        logger.warning(
            "%s: refused: %s (a source allows it with allow_private_addresses = true)",
            request.url,
            reason,
        )
        raise PrivateAddressRefused(reason)

    @staticmethod
    async def _lookup(host: str) -> str | None:
        """The host's private address, if any: an IP at once, a name resolved in a thread
        (never blocking the reactor)."""
        if ip_literal(host) is not None:
            return private_address(host)
        return await maybe_deferred_to_future(deferToThread(private_address, host))
