"""The schedule in a crawl: what is due, with or without validators, what each poll showed,
and the pages read to recover from an overflow.

Two Scrapy components share one `PollBook` per crawler (loaded from the store when the spider
opens, saved when it closes):

- `PollingSpiderMiddleware` drops the start requests (feeds, listings, sitemaps) that are not
  due when `NEWSMON_DUE_ONLY` is on (`newsmon run`; `newsmon crawl` reads everything it is
  asked to), tags the others as polls, reads what each poll showed (the headlines of its page,
  from the page's bundle) into the schedule and, when a poll overflowed, reads further: a
  feed's listings and sitemaps, a listing's next pages, until a page shows an article known
  before this crawl (at most `NEWSMON_POLL_OVERFLOW_PAGES` pages);
- `PollingDownloaderMiddleware` leaves out the validators of a poll the schedule is checking
  (or of an entry point caught lying) and reads each poll's answer: 304, failures, 429 and
  503 with `Retry-After`, the entry point's freshness hints.

Off in replay: saved pages say nothing of time.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings

from newsmon.clock import now
from newsmon.items import HeadlineItem, PageItems
from newsmon.middlewares.conditional import CONDITIONAL_KINDS
from newsmon.normalize.dates import parse_iso
from newsmon.polling.hints import freshness_hint, retry_after
from newsmon.polling.schedule import (
    Outcome,
    PollPolicy,
    PollState,
    Shown,
    Validators,
    credit,
    observe_failure,
    observe_items,
    observe_not_modified,
    plan,
    same_validators,
    send_validators,
)
from newsmon.polling.states import load_states, save_states
from newsmon.settings_table import default
from newsmon.store import Store, default_db_path

logger = logging.getLogger(__name__)

POLL = "poll"  # meta: the request is a poll of an entry point (its URL's state)
OVERFLOW = "overflow_from"  # meta: read to recover from that entry point's overflow
WITHHELD = "validators_withheld"  # meta: the validators the request leaves out (ETag, date)
_BOOKS: weakref.WeakKeyDictionary[Crawler, PollBook] = weakref.WeakKeyDictionary()


def policy_from(settings: BaseSettings) -> PollPolicy:
    """The schedule's bounds and targets from the `NEWSMON_POLL_*` settings."""

    def number(name: str) -> float:
        return settings.getfloat(name, default(name))

    return PollPolicy(
        minimum=timedelta(minutes=number("NEWSMON_POLL_MIN_MINUTES")),
        maximum=timedelta(minutes=number("NEWSMON_POLL_MAX_MINUTES")),
        items_per_poll=number("NEWSMON_POLL_ITEMS"),
        check_after_polls=int(number("NEWSMON_POLL_CHECK_AFTER")),
        overflow_pages=int(number("NEWSMON_POLL_OVERFLOW_PAGES")),
    )


class PollBook:
    """One crawl's poll states."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.db_path = settings.get("NEWSMON_DB") or default_db_path()
        self.policy = policy_from(settings)
        self.due_only = settings.getbool("NEWSMON_DUE_ONLY")
        self.crawl_id = settings.getint("NEWSMON_CRAWL_ID", 0)
        self.pages = settings.getint("NEWSMON_LISTING_PAGES", default("NEWSMON_LISTING_PAGES"))
        self.states: dict[str, PollState] = {}
        self.polled: set[str] = set()
        # What each poll of this crawl brought, for `learn` when the crawl ends.
        self.brought: list[tuple[PollState, datetime, Outcome]] = []
        self.store: Store | None = None
        crawler.signals.connect(self.open, signal=signals.spider_opened)
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def of(cls, crawler: Crawler) -> PollBook:
        """The crawler's book (made by whichever component asks first)."""
        if crawler not in _BOOKS:
            _BOOKS[crawler] = cls(crawler)
        return _BOOKS[crawler]

    def open(self, spider: Spider) -> None:
        self.store = Store.open(self.db_path)
        # Only the crawled sources' states: a run every minute must not read a thousand.
        crawled = getattr(spider, "crawled_sources", None)
        self.states = load_states(self.store, crawled() if crawled is not None else None)

    def close(self) -> None:
        if self.store is None:
            return
        self.learn()
        with self.store.transaction():
            save_states(self.store, (self.states[url] for url in sorted(self.polled)))
        self.store.close()
        self.store = None

    def state(self, request: Request) -> PollState:
        """The state of the entry point `request` polls (a new one if never polled)."""
        url = request.url
        if url not in self.states:
            self.states[url] = PollState(
                url=url, source=request.meta.get("source") or "", kind=request.meta["page_kind"]
            )
        return self.states[url]

    def settle(self, state: PollState) -> None:
        """Plan `state`'s next poll after this crawl's."""
        plan(state, now(), self.policy)
        self.polled.add(state.url)

    def learn(self) -> None:
        """Teach each poll's rate the items it brought to the store (`credit`)."""
        credit(self.brought, self.policy)
        self.brought.clear()

    def known_before(self, url: str) -> bool:
        """Whether an article at `url` was stored before this crawl."""
        assert self.store is not None
        return (
            self.store.one(
                """SELECT 1 FROM article_urls u JOIN articles a ON a.id = u.article_id
                   WHERE u.url = ? AND (a.first_crawl_id IS NULL OR a.first_crawl_id < ?)""",
                (url, self.crawl_id or 1 << 62),
            )
            is not None
        )


def _book(crawler: Crawler) -> PollBook:
    if crawler.settings.get("NEWSMON_REPLAY_DIR"):
        raise NotConfigured  # replay serves saved pages: nothing to schedule
    return PollBook.of(crawler)


class PollingDownloaderMiddleware:
    """Validators left out when checking; each poll's answer read into its state."""

    def __init__(self, book: PollBook) -> None:
        self.book = book

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PollingDownloaderMiddleware:
        return cls(_book(crawler))

    def process_request(self, request: Request) -> None:
        if not request.meta.get(POLL):
            return
        state = self.book.state(request)
        send, why = send_validators(state, now(), self.book.policy)
        withheld = (_header(request, "If-None-Match"), _header(request, "If-Modified-Since"))
        if not send and any(withheld):
            request.headers.pop("If-None-Match", None)
            request.headers.pop("If-Modified-Since", None)
            request.meta[WITHHELD] = withheld
            logger.info("%s: validators left out (%s)", request.url, why)

    def process_response(self, request: Request, response: Response) -> Response:
        if not request.meta.get(POLL):
            return response
        state = self.book.state(request)
        moment = now()
        if response.status == 304:
            observe_not_modified(state, moment)
            self.book.settle(state)
        elif response.status >= 400:
            wait = retry_after(_headers(response), moment)
            observe_failure(state, moment, wait)
            self.book.settle(state)
        else:
            request.meta["poll_hint"] = freshness_hint(_headers(response), response.body)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not request.meta.get(POLL) or isinstance(exception, IgnoreRequest):
            return
        state = self.book.state(request)
        observe_failure(state, now(), None)
        self.book.settle(state)


class PollingSpiderMiddleware:
    """Only what is due; each poll's items into its state; overflows read further."""

    def __init__(self, crawler: Crawler, book: PollBook) -> None:
        self.crawler = crawler
        self.book = book

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PollingSpiderMiddleware:
        return cls(crawler, _book(crawler))

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        moment = now()
        async for request in start:
            if isinstance(request, Request) and request.meta.get("page_kind") in CONDITIONAL_KINDS:
                state = self.book.state(request)
                if self.book.due_only and not state.due(moment):
                    self._count(request, "not_due")
                    continue
                request.meta[POLL] = True
                # Pages past the first are read if the poll overflows (`_after_page`).
                request.meta["listing_pages"] = self.book.policy.overflow_pages
            yield request

    def process_spider_output(self, response: Response, result: Iterable[Any]) -> Iterator[Any]:
        meta = response.meta
        # An errback's output comes this way too: only a page that answered is a poll's answer
        # (304s, errors and 429s were read by the downloader middleware).
        answered = 200 <= response.status < 300
        if not answered or not (meta.get(POLL) or meta.get(OVERFLOW)):
            yield from result
            return
        # The whole page first: what it shows is judged before its items reach the store.
        outputs = list(result)
        shown = [
            item for out in outputs if isinstance(out, PageItems) for item in _shown(out.items)
        ]
        held = [
            out
            for out in outputs
            if isinstance(out, Request) and out.meta.get("page_kind") == "listing"
        ]
        follow = list(self._after_page(response, shown, held))
        held_ids = {id(request) for request in held}
        yield from (out for out in outputs if id(out) not in held_ids)
        yield from follow

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        items = [output async for output in result]
        for output in self.process_spider_output(response, items):
            yield output

    def _after_page(
        self, response: Response, shown: list[Shown], held: list[Request]
    ) -> Iterator[Request]:
        meta = response.meta
        if meta.get(OVERFLOW):
            # Recovering: the next page only while this one showed nothing known before.
            known = any(self.book.known_before(item.url) for item in shown)
            if not known and meta.get("listing_page", 1) < self.book.policy.overflow_pages:
                yield from (self._recovery(request, meta[OVERFLOW]) for request in held)
            return
        state = self.book.state(response.request) if response.request else None
        if state is None:
            return
        moment = now()
        withheld: Validators | None = meta.get(WITHHELD)
        answered = (_header(response, "ETag"), _header(response, "Last-Modified"))
        outcome = observe_items(
            state,
            moment,
            shown,
            validators_withheld=withheld is not None,
            validators_kept=withheld is not None and same_validators(withheld, answered),
            hint=meta.get("poll_hint"),
            known=self.book.known_before,
            learn=False,
        )
        self.book.settle(state)
        self.book.brought.append((state, moment, outcome))
        self._tell(response, state, outcome)
        if outcome.overflowed:
            yield from self._recover(response, state, held)
        else:
            # The pages a crawl reads anyway (NEWSMON_LISTING_PAGES).
            yield from (r for r in held if r.meta.get("listing_page", 1) <= self.book.pages)

    def _recover(
        self, response: Response, state: PollState, held: list[Request]
    ) -> Iterator[Request]:
        """Requests that read what an overflowing entry point no longer shows."""
        self._count(response.request, "overflows")
        if state.kind == "listing":
            yield from (self._recovery(request, state.url) for request in held)
            return
        spider = self.crawler.spider
        entry_requests = getattr(spider, "entry_requests", None)
        if entry_requests is None:
            return
        for request in entry_requests(state.source):
            if request.url != state.url and request.meta.get("page_kind") in ("listing", "sitemap"):
                yield self._recovery(request, state.url)

    def _recovery(self, request: Request, origin: str) -> Request:
        request.meta[OVERFLOW] = origin
        request.meta["listing_pages"] = self.book.policy.overflow_pages
        request.meta.pop(POLL, None)
        request.dont_filter = True
        return request

    def _tell(self, response: Response, state: PollState, outcome: Outcome) -> None:
        if outcome.caught_lying:
            self._count(response.request, "validators_lied")
            logger.warning(
                "%s: %s; conditional GET is off for it from now on", state.url, state.lying
            )
        if outcome.overflowed:
            logger.warning(
                "%s: showed %d items, none seen before: more were published than it holds "
                "since its last poll; reading further",
                state.url,
                len(outcome.new),
            )

    def _count(self, request: Request | None, name: str) -> None:
        stats = self.crawler.stats
        if stats is None or request is None:
            return
        stats.inc_value(f"newsmon/source/{request.meta.get('source') or ''}/{name}")


def _shown(items: Iterable[Any]) -> Iterator[Shown]:
    """The headlines of a page's bundle as shown items (URL and publication)."""
    for item in items:
        if isinstance(item, HeadlineItem) and item.url:
            yield Shown(item.url, parse_iso(item.published_at) if item.published_at else None)


def _headers(response: Response) -> dict[str, str]:
    """The headers the schedule reads."""
    found = {}
    for name in ("Cache-Control", "Retry-After"):
        value = response.headers.get(name)
        if value:
            found[name] = value.decode("latin-1")
    return found


def _header(message: Request | Response, name: str) -> str | None:
    """A header of a request or response, decoded (None when absent)."""
    value = message.headers.get(name)
    return value.decode("latin-1") if value else None
