"""Sitemaps: indexes, URL sets, Google News blocks, gzip, and what counts as recent."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from newsmon.extract.sitemaps import (
    SitemapEntry,
    is_recent,
    read_sitemap,
    recent_entries,
    sitemap_body,
    sitemap_headlines,
)
from tests.helpers import ROOT

SITES = ROOT / "tests" / "generic_sites"
FETCHED = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


def test_an_index_lists_its_sitemaps_with_their_dates() -> None:
    sitemap = read_sitemap((SITES / "volga_vestnik" / "sitemap.xml").read_bytes())
    assert sitemap.kind == "sitemapindex"
    assert [(entry.url, entry.lastmod) for entry in sitemap.entries] == [
        ("https://volga-vestnik.test/sitemap-2026-03.xml", "2026-03-03T13:20:00+04:00"),
        ("https://volga-vestnik.test/sitemap-2026-02.xml.gz", "2026-03-02T09:00:00+04:00"),
        ("https://volga-vestnik.test/sitemap-2025-12.xml", "2026-01-05T10:00:00+04:00"),
    ]


def test_a_google_news_sitemap_gives_title_date_and_language() -> None:
    sitemap = read_sitemap((SITES / "northfield_courier" / "news-sitemap.xml").read_bytes())
    assert sitemap.kind == "urlset"
    assert sitemap.entries[1] == SitemapEntry(
        url="https://www.northfield-courier.test/news/local/city-council-approves-downtown-bike-lanes",
        news_title="City council approves downtown bike lanes after two-hour debate",
        news_published="2026-03-02T19:45:00-06:00",
        news_language="en",
    )
    headlines = list(
        sitemap_headlines(
            recent_entries(sitemap.entries, FETCHED, 2, "America/Chicago"),
            "https://www.northfield-courier.test/news-sitemap.xml",
            source="northfield_courier",
            tz="America/Chicago",
            fetched_at="2026-03-03T12:00:00+00:00",
        )
    )
    assert [(h.position, h.context, h.title, h.published_at, h.published_date, h.lang) for h in headlines] == [
        (0, "sitemap", "Cannon River ice jam prompts flood watch for Dundas", "2026-03-03T11:10:00+00:00", "2026-03-03", "en"),
        (1, "sitemap", "City council approves downtown bike lanes after two-hour debate", "2026-03-03T01:45:00+00:00", "2026-03-02", "en"),
    ]  # fmt: skip


def test_gzipped_sitemaps_are_unpacked_and_other_bodies_refused() -> None:
    xml = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.test/a-1</loc></url></urlset>'
    assert sitemap_body(gzip.compress(xml)) == xml
    assert sitemap_body(b"  \n" + xml) == b"  \n" + xml
    with pytest.raises(ValueError, match="not XML"):
        sitemap_body(b"%PDF-1.4")
    with pytest.raises(ValueError, match="larger than 10 bytes once decompressed"):
        sitemap_body(gzip.compress(xml), max_size=10)
    with pytest.raises(ValueError, match="broken gzip data"):
        sitemap_body(gzip.compress(xml)[:12])


def test_broken_xml_is_read_as_far_as_it_goes_and_entities_are_not_expanded() -> None:
    broken = b"""<?xml version="1.0"?>
    <!DOCTYPE urlset [<!ENTITY boom "boom boom boom">]>
    <urlset><url><loc>https://x.test/news/1-first</loc></url>
    <url><loc>https://x.test/news/2-&boom;</loc></url><url><loc>https://x.test/news/3-cut"""
    sitemap = read_sitemap(broken)
    assert sitemap.kind == "urlset"
    assert [entry.url for entry in sitemap.entries][:1] == ["https://x.test/news/1-first"]
    assert all("boom boom" not in entry.url for entry in sitemap.entries)
    assert read_sitemap(b"not xml at all").kind == ""


@pytest.mark.parametrize(
    ("lastmod", "recent"),
    [
        ("2026-03-01T12:00:00+00:00", True),  # exactly two days before the fetch
        ("2026-03-01T11:59:59Z", False),
        ("2026-03-01", True),  # a date: the day of the cut-off counts
        ("2026-02-28", False),
        (None, True),  # nothing says it is old
        ("last tuesday", True),
    ],
)
def test_an_entry_is_recent_when_changed_within_the_last_days(
    lastmod: str | None, recent: bool
) -> None:
    entry = SitemapEntry("https://x.test/a", lastmod=lastmod)
    assert is_recent(entry, datetime(2026, 3, 1, 12, 0, tzinfo=UTC), "Europe/London") is recent


def test_a_news_date_wins_over_lastmod() -> None:
    entry = SitemapEntry(
        "https://x.test/a", lastmod="2026-03-03", news_published="2026-02-01T10:00:00Z"
    )
    assert recent_entries([entry], FETCHED, 2, "UTC") == []


def test_a_news_date_at_the_ends_of_the_calendar_is_dropped_from_its_entry_alone(
    caplog,
) -> None:
    entries = [
        SitemapEntry("https://x.test/a-1", news_title="Far future", news_published="9999-12-31"),
        SitemapEntry(
            "https://x.test/a-2", news_title="End of time", news_published="9999-12-31T23:59:59Z"
        ),
        SitemapEntry(
            "https://x.test/a-3", news_title="Sound", news_published="2026-03-03T10:00:00Z"
        ),
    ]
    assert recent_entries(entries, FETCHED, 2, "Asia/Baku") == entries
    headlines = sitemap_headlines(
        entries,
        "https://x.test/news-sitemap.xml",
        source="x",
        tz="Asia/Baku",
        fetched_at="2026-03-03T12:00:00+00:00",
    )
    assert [(h.title, h.published_at, h.published_date) for h in headlines] == [
        ("Far future", None, "9999-12-31"),
        ("End of time", None, None),
        ("Sound", "2026-03-03T10:00:00+00:00", "2026-03-03"),
    ]
    assert caplog.messages == [
        "https://x.test/news-sitemap.xml: entry 'End of time': date unusable: "
        "9999-12-31T23:59:59+00:00 is out of range "
        "(newsmon reads dates from 0001-01-02 to 9999-12-30 in UTC)"
    ]


def test_an_entry_whose_address_is_unusable_is_skipped_with_a_line(caplog) -> None:
    entries = [
        SitemapEntry("https://x.test:abc/a-1", news_title="Bad port"),
        SitemapEntry("http://[2606:4700::1111]/a-2", news_title="IPv6 host"),
    ]
    headlines = sitemap_headlines(
        entries,
        "https://x.test/news-sitemap.xml",
        source="x",
        tz="UTC",
        fetched_at="2026-03-03T12:00:00+00:00",
    )
    assert [(h.title, h.url) for h in headlines] == [("IPv6 host", "http://[2606:4700::1111]/a-2")]
    assert caplog.messages == [
        "https://x.test/news-sitemap.xml: entry 'Bad port' skipped: "
        "https://x.test:abc/a-1: port 'abc' is not a number"
    ]
