"""What the simulated news web (tests/simweb) costs, and what its feeds can show (run by hand).

    python benchmarks/simweb.py [--sites 200] [--days 3] [--seed 1] [--poll-minutes 5,15]
                                [--http-requests 2000] [--no-write]

The web the freshness benchmark will crawl must itself be cheap and must hold what that
benchmark needs (bursts beyond a feed's window, lying validators, updated articles). Measures:

- **build**: seconds to generate every site's timeline over the span (and the history before
  it) and what it holds: articles, updates by kind, sites with a burst larger than their feed,
  validators and faults;
- **feed polls**: every site's RSS feed read every `--poll-minutes` (each interval given) over
  the span, in process (`SimServer.respond`, no HTTP): polls per second, bytes, and the share
  of the span's articles that such polling could see at all (an article in no poll's feed is
  only on listing pages or the news sitemap: the ceiling of feed-only polling; outages and
  429 spans hide feeds too);
- **HTTP**: `--http-requests` requests over real HTTP on 127.0.0.1 (feeds and article pages,
  keep-alive): requests per second.

Writes `benchmarks/results/simweb-<YYYYMMDD>.json` and `.md`.
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from common import ROOT, machine_line, report_header, write_results

sys.path.insert(0, str(ROOT))

from tests.simweb import (
    PUBLISHED,
    UPDATES,
    SimClock,
    SimServer,
    SimWeb,
    random_sites,
)

START = datetime(2026, 3, 2, tzinfo=UTC)
HISTORY = timedelta(hours=12)
GUID = re.compile(r'<guid isPermaLink="false">([^<]+)</guid>')


def build(web: SimWeb, end: datetime) -> dict[str, Any]:
    """Generate the whole span; what it took and what the web holds."""
    began = time.perf_counter()
    events = web.truth.events_between(web.start - HISTORY, end)
    seconds = time.perf_counter() - began
    in_span = [event for event in events if event.at >= web.start]
    kinds = Counter(event.kind for event in in_span)
    published = [event for event in in_span if event.kind == PUBLISHED]
    updated = {(e.host, e.number) for e in in_span if e.kind in UPDATES}
    specs = [timeline.spec for timeline in web.sites.values()]
    return {
        "seconds": round(seconds, 3),
        "articles_in_span": len(published),
        "articles_before_start": sum(e.kind == PUBLISHED and e.at < web.start for e in events),
        "updates": {kind: kinds[kind] for kind in UPDATES},
        "updated_share": round(
            len(updated & {(e.host, e.number) for e in published}) / max(1, len(published)), 3
        ),
        "sites_with_burst_beyond_feed": sum(
            any(burst.count > spec.feed_size for burst in spec.bursts) for spec in specs
        ),
        "validators": dict(Counter(spec.validators for spec in specs)),
        "faults": {
            "outage": sum(bool(spec.outages) for spec in specs),
            "throttle_429": sum(bool(spec.throttles) for spec in specs),
            "blocks_newsmon": sum(spec.blocks_newsmon for spec in specs),
            "js_shell": sum(spec.js_shell for spec in specs),
            "robots_change": sum(bool(spec.robots_changes) for spec in specs),
        },
    }


def poll_feeds(web: SimWeb, end: datetime, every: timedelta) -> dict[str, Any]:
    """Every site's RSS feed every `every` over the span, without HTTP."""
    clock = SimClock(web.start)
    server = SimServer(web, clock)
    seen: set[str] = set()
    polls = 0
    began = time.perf_counter()
    while clock.now < end:
        clock.advance(every)
        for host in web.hosts:
            answer = server.respond(host, "/rss.xml", {})
            polls += 1
            if answer.status == 200:
                seen.update(GUID.findall(answer.body.decode("utf-8")))
    seconds = time.perf_counter() - began
    published = web.truth.published_between(web.start, end)
    visible = sum(f"{event.host}/{event.number}" in seen for event in published)
    return {
        "every_minutes": every / timedelta(minutes=1),
        "polls": polls,
        "seconds": round(seconds, 3),
        "polls_per_second": round(polls / seconds),
        "bytes": sum(server.bytes.values()),
        "articles_seen_in_a_feed": visible,
        "feed_visible_share": round(visible / max(1, len(published)), 4),
    }


def over_http(web: SimWeb, end: datetime, count: int, seed: int) -> dict[str, Any]:
    """`count` GETs of feeds and article pages over HTTP at the end of the span."""
    clock = SimClock(web.start)
    clock.set(end)
    rng = random.Random(seed)
    articles = [
        (timeline.host, article.url_at(end) or "")
        for timeline in web.sites.values()
        for article in timeline.newest(end, 20)
    ]
    server = SimServer(web, clock).start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        began = time.perf_counter()
        for index in range(count):
            if index % 2:
                host, url = rng.choice(articles)
                target = url.removeprefix(f"https://{host}")
            else:
                host, target = rng.choice(web.hosts), "/rss.xml"
            connection.request("GET", target, headers={"Host": host, "User-Agent": "bench"})
            connection.getresponse().read()
        seconds = time.perf_counter() - began
        connection.close()
    finally:
        server.stop()
    return {
        "requests": count,
        "seconds": round(seconds, 3),
        "requests_per_second": round(count / seconds),
        "statuses": _by_status(server.statuses),
    }


def _by_status(statuses: Counter[tuple[str, int]]) -> dict[str, int]:
    """Answers per status over every site."""
    total: Counter[str] = Counter()
    for (_, status), count in statuses.items():
        total[str(status)] += count
    return dict(total)


def _polling_rows(polls: dict[str, Any]) -> str:
    every = f"{polls['every_minutes']:g} min"
    return (
        f"| RSS polls of every site every {every}, in process | {polls['polls']} in "
        f"{polls['seconds']} s ({polls['polls_per_second']}/s), {polls['bytes']} bytes |\n"
        f"| articles that polling every {every} could ever see in a feed | "
        f"{polls['articles_seen_in_a_feed']} ({polls['feed_visible_share']:.2%}) |"
    )


def markdown(report: dict[str, Any]) -> str:
    built, http = report["build"], report["http"]
    options = report["options"]
    lines = [
        f"# Simulated news web — {report['date'][:10]}",
        "",
        machine_line(report),
        "",
        f"{options['sites']} sites over {options['days']} simulated days, seed {options['seed']} "
        f"(`python benchmarks/simweb.py`).",
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| build: seconds to generate the span (and {HISTORY / timedelta(hours=1):g} h before) | "
        f"{built['seconds']} |",
        f"| articles published in the span | {built['articles_in_span']} |",
        f"| updates in the span ({', '.join(UPDATES)}) | "
        f"{', '.join(str(built['updates'][kind]) for kind in UPDATES)} |",
        f"| share of the span's articles updated | {built['updated_share']:.1%} |",
        f"| sites with a burst larger than their feed | {built['sites_with_burst_beyond_feed']} |",
        f"| validators | {', '.join(f'{k} {v}' for k, v in sorted(built['validators'].items()))} |",
        f"| faults | {', '.join(f'{k} {v}' for k, v in built['faults'].items())} |",
        *(_polling_rows(polls) for polls in report["feed_polls"]),
        f"| HTTP on 127.0.0.1 (feeds and articles, keep-alive) | {http['requests']} in "
        f"{http['seconds']} s ({http['requests_per_second']}/s) |",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--days", type=float, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--poll-minutes", default="5,15", help="feed polling intervals, comma-separated"
    )
    parser.add_argument("--http-requests", type=int, default=2000)
    parser.add_argument("--no-write", action="store_true", help="print, write no result files")
    options = parser.parse_args(argv)
    end = START + timedelta(days=options.days)

    def web() -> SimWeb:
        sites = random_sites(options.sites, seed=options.seed, days=options.days)
        return SimWeb(sites, seed=options.seed, start=START, history=HISTORY)

    report: dict[str, Any] = {
        **report_header(),
        "options": vars(options) | {"start": START.isoformat()},
        "build": build(web(), end),
        "feed_polls": [
            poll_feeds(web(), end, timedelta(minutes=float(minutes)))
            for minutes in options.poll_minutes.split(",")
        ],
        "http": over_http(web(), end, options.http_requests, options.seed),
    }
    text = markdown(report)
    print(text)
    if not options.no_write:
        print(f"written: {write_results('simweb', report, text)}.json/.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
