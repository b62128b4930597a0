"""Scrapy's robots.txt middleware, with every request that waits for a robots.txt checked.

Scrapy (2.19) keeps a Deferred per host while its robots.txt is being read, and each request
that arrives meanwhile awaits that Deferred. Awaiting a Deferred under the asyncio reactor
consumes its result: the first such request gets the parser, every later one gets None, which
the middleware takes as "no robots.txt" and lets through. Three requests to a host before its
robots.txt is read are enough for the third to ignore it: a worker that takes a site's
articles from the queue before its robots.txt, or reads it again, and any crawl with three
start requests to one host. Here each waiting request gets a Deferred of its own, fired with
the parser and leaving it to the others.

A robots.txt that cannot be read (a refused connection, a name that does not resolve, a
timeout, a server error) is one line naming it and the reason; Scrapy logs an ERROR naming the
page that was waiting instead, with the whole traceback. As in Scrapy, the site's pages are
then requested without robots rules.
"""

from __future__ import annotations

import logging
from typing import TypeVar

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from newsmon.ops.failures import failure_reason

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

UNREAD = "robots.txt not read, the site's pages are requested without its rules"


class EveryWaiterRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Checks every request against its host's robots.txt, even when many wait for it, and
    says in one line when a robots.txt cannot be read."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        # Scrapy keeps parsers per host in `_parsers`: a Deferred while one is being read.
        netloc = urlparse_cached(request).netloc
        reading = self._parsers.get(netloc)
        if isinstance(reading, Deferred):
            return await maybe_deferred_to_future(result_of(reading))
        if netloc not in self._parsers:
            await self.read_robots_txt(request)
        return await super().robot_parser(request)  # the parser just read, or None

    async def read_robots_txt(self, request: Request) -> None:
        """Read the robots.txt of `request`'s host into `_parsers` (None when it cannot be
        read, said in one line)."""
        url = urlparse_cached(request)
        self._parsers[url.netloc] = Deferred()
        robots = Request(
            f"{url.scheme}://{url.netloc}/robots.txt",
            priority=self.DOWNLOAD_PRIORITY,
            meta={"dont_obey_robotstxt": True},
            callback=NO_CALLBACK,
        )
        assert self.crawler.engine is not None
        try:
            response = await self.crawler.engine.download_async(robots)
        except IgnoreRequest as refused:  # said by whoever refused it (the private address guard)
            self._robots_error(refused, url.netloc)
        except Exception as error:
            reason = failure_reason(Failure(error), robots, self.crawler.settings)
            logger.warning("%s: %s (%s)", robots.url, reason, UNREAD)
            self._robots_error(error, url.netloc)
        else:
            if response.status >= 500:
                logger.warning("%s: HTTP %d (%s)", robots.url, response.status, UNREAD)
            await self._parse_robots(response, url.netloc, request)
        self._stats.inc_value("robotstxt/request_count")


def result_of(deferred: Deferred[_T]) -> Deferred[_T]:
    """A new Deferred that fires with what `deferred` fires with, leaving `deferred`'s result
    for its other callbacks (awaiting `deferred` itself would turn that result into None)."""
    copy: Deferred[_T] = Deferred()

    def pass_on(result: _T) -> _T:
        copy.callback(result)
        return result

    deferred.addCallback(pass_on)
    return copy
