"""Scrapy's robots.txt middleware, with every request that waits for a robots.txt checked.

Scrapy (2.19) keeps a Deferred per host while its robots.txt is being read, and each request
that arrives meanwhile awaits that Deferred. Awaiting a Deferred under the asyncio reactor
consumes its result: the first such request gets the parser, every later one gets None, which
the middleware takes as "no robots.txt" and lets through. Three requests to a host before its
robots.txt is read are enough for the third to ignore it: a worker that takes a site's
articles from the queue before its robots.txt, or reads it again, and any crawl with three
start requests to one host. Here each waiting request gets a Deferred of its own, fired with
the parser and leaving it to the others.
"""

from __future__ import annotations

from typing import TypeVar

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

_T = TypeVar("_T")


class EveryWaiterRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Checks every request against its host's robots.txt, even when many wait for it."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        # Scrapy keeps parsers per host in `_parsers`: a Deferred while one is being read.
        reading = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(reading, Deferred):
            return await maybe_deferred_to_future(result_of(reading))
        return await super().robot_parser(request)


def result_of(deferred: Deferred[_T]) -> Deferred[_T]:
    """A new Deferred that fires with what `deferred` fires with, leaving `deferred`'s result
    for its other callbacks (awaiting `deferred` itself would turn that result into None)."""
    copy: Deferred[_T] = Deferred()

    def pass_on(result: _T) -> _T:
        copy.callback(result)
        return result

    deferred.addCallback(pass_on)
    return copy
