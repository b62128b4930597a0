"""The fewest polls any schedule needs for a latency target on the simulated news web (run by
hand).

    python benchmarks/polling_bound.py [--sites 200] [--days 3] [--seeds 1 2 3] [--within 4.8]
                                       [--share 0.95] [--no-write]

`benchmarks/freshness.py` asks two things of a schedule at once: a p95 detection latency no
worse than fixed 5-minute polling's (4.8 minutes) and at most 30 % of that polling's requests.
This computes how few polls *any* schedule can make and still see `share` of the articles
within `within` minutes of their publication, on the same simulated web (`tests/simweb`).

A poll sees, within `within` minutes, only the articles published in the `within` minutes
before it, so k polls in an hour cover at most k × `within` minutes of it. Articles of a site
arrive at random at the site's rate for that hour (its peak rate times its day/night share),
and nothing seen before tells when the next will come; so in each site-hour the expected
share of articles seen in time is at most k × `within` / 60, and it costs the same number of
polls per expected article in every site-hour of the same rate. The cheapest way to see
`share` of all expected articles in time is then to poll every `within` minutes in the
site-hours of the highest rates, and not at all in the others, until they hold `share` of the
expected articles (`fewest_polls`). A scheduler that knew every site's true rate by the hour
could do no better; newsmon's must learn the rates.

Bursts (a few sites' breaking stories, dozens of articles in minutes) are counted as seen in
time for free, as a schedule that noticed one could poll it at little cost: they only lower the
share of the other articles that must be seen in time. The first read of each article is a
request too: it is added for the share of fixed polling's requests. Written to
`benchmarks/results/polling-bound-<YYYYMMDD>.json` and `.md`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from common import ROOT, machine_line, report_header, write_results

sys.path.insert(0, str(ROOT))

from tests.simweb import PUBLISHED, SimWeb, random_sites
from tests.simweb.model import SiteSpec, daylight

START = datetime(2026, 3, 2, tzinfo=UTC)
HISTORY = timedelta(hours=12)
FIXED_MINUTES = 5


def hourly_rates(sites: Iterable[SiteSpec], days: int) -> list[float]:
    """Each site's expected articles in each hour of `days` days from midnight UTC."""
    return [
        site.rate_per_hour * daylight((hour + site.utc_offset_hours) % 24 + 0.5)
        for site in sites
        for hour in range(24 * days)
    ]


def fewest_polls(
    rates: Iterable[float], within_minutes: float, share: float, free: float = 0
) -> float:
    """The fewest polls that see `share` of the expected articles within `within_minutes`:
    a poll every `within_minutes` in the busiest site-hours until they hold that share, when
    `free` more articles (bursts) count as seen in time at no cost."""
    ordered = sorted(rates, reverse=True)
    wanted, held, hours = share * (sum(ordered) + free) - free, 0.0, 0
    for rate in ordered:
        if held >= wanted:
            break
        held += rate
        hours += 1
    return hours * 60 / within_minutes


def bound(seed: int, sites: int, days: int, within: float, share: float) -> dict[str, float]:
    """The bound on one seed's web, beside fixed 5-minute polling of each feed and listing."""
    specs = random_sites(sites, seed=seed, days=days)
    web = SimWeb(specs, seed=seed, start=START, history=HISTORY)
    published = sum(
        1
        for event in web.truth.events_between(START, START + timedelta(days=days))
        if event.kind == PUBLISHED
    )
    span = timedelta(days=days)
    bursts = sum(burst.count for spec in specs for burst in spec.bursts if burst.at < span)
    polls = fewest_polls(hourly_rates(specs, days), within, share, free=bursts)
    fixed_polls = sites * 2 * days * 24 * 60 // FIXED_MINUTES  # feed and listing
    return {
        "seed": seed,
        "articles_published": published,
        "burst_articles": bursts,
        "fewest_polls": round(polls),
        "fixed_5_polls": fixed_polls,
        "polls_share": round(polls / fixed_polls, 4),
        "requests_share": round((polls + published) / (fixed_polls + published), 4),
    }


def markdown(report: dict) -> str:
    options = report["options"]
    lines = [
        f"# The fewest polls for a latency target — {report['date'][:10]}",
        "",
        machine_line(report),
        "",
        f"{options['sites']} simulated sites, {options['days']} days: the fewest polls any "
        f"schedule needs to see {options['share']:.0%} of the articles within "
        f"{options['within']} minutes (p{options['share'] * 100:.0f} latency ≤ "
        f"{options['within']} min), knowing each site's true rate by the hour, beside fixed "
        "5-minute polling of every feed and listing (`python benchmarks/polling_bound.py`).",
        "",
        "| seed | articles | fewest polls | fixed 5 min polls | polls share | requests share "
        "(first reads added to both) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in report["seeds"]:
        lines.append(
            f"| {row['seed']} | {row['articles_published']} | {row['fewest_polls']} | "
            f"{row['fixed_5_polls']} | {row['polls_share']:.1%} | {row['requests_share']:.1%} |"
        )
    lines += [
        "",
        "Any schedule that reaches this latency uses at least the requests share above before "
        "it re-reads a single article, so no schedule meets both that latency and 30 % of "
        "fixed 5-minute polling's requests on this web.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=200)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--within", type=float, default=4.8, help="minutes")
    parser.add_argument("--share", type=float, default=0.95)
    parser.add_argument("--no-write", action="store_true")
    options = parser.parse_args(argv)
    report = {
        **report_header(),
        "options": {
            "sites": options.sites,
            "days": options.days,
            "within": options.within,
            "share": options.share,
        },
        "seeds": [
            bound(seed, options.sites, options.days, options.within, options.share)
            for seed in options.seeds
        ],
    }
    text = markdown(report)
    print(text)
    if not options.no_write:
        print(f"written: {write_results('polling-bound', report, text)}.{{json,md}}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
