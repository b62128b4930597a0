"""Feed formats older than RSS 2.0 read like any other feed (`newsmon.extract.feeds`)."""

from __future__ import annotations

from newsmon.extract.feeds import feed_headlines

FEED_URL = "https://wire.example/rss"
FETCHED_AT = "2026-03-03T12:00:00+00:00"

RSS_091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="0.91"><channel><title>Old wire</title><link>https://wire.example/</link>
<description>Wire</description><language>en</language>
<item><title>Ministers meet in Baku</title><link>https://wire.example/news/1</link>
<description>Lead text</description></item>
</channel></rss>"""

RSS_10_RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://wire.example/rss"><title>Wire</title>
<link>https://wire.example/</link><description>Wire</description>
<items><rdf:Seq><rdf:li rdf:resource="https://wire.example/news/2"/></rdf:Seq></items></channel>
<item rdf:about="https://wire.example/news/2"><title>Defense talks in Ankara</title>
<link>https://wire.example/news/2</link><dc:date>2026-03-03T09:41:00+04:00</dc:date></item>
</rdf:RDF>"""


def read(body: bytes) -> list[dict[str, object]]:
    headlines = feed_headlines(body, FEED_URL, source="wire", tz="Asia/Baku", fetched_at=FETCHED_AT)
    fields = ("title", "url", "page_url", "published_at", "published_basis", "lang", "context")
    return [{name: getattr(headline, name) for name in fields} for headline in headlines]


def test_an_rss_0_91_feed_gives_its_items_with_the_channel_language():
    assert read(RSS_091) == [
        {
            "title": "Ministers meet in Baku",
            "url": "https://wire.example/news/1",
            "page_url": FEED_URL,
            "published_at": None,
            "published_basis": None,
            "lang": "en",
            "context": "feed",
        }
    ]


def test_an_rss_1_0_rdf_feed_gives_its_items_with_their_dublin_core_dates():
    assert read(RSS_10_RDF) == [
        {
            "title": "Defense talks in Ankara",
            "url": "https://wire.example/news/2",
            "page_url": FEED_URL,
            "published_at": "2026-03-03T05:41:00+00:00",
            "published_basis": "exact",
            "lang": None,
            "context": "feed",
        }
    ]


def rss(*items: str) -> bytes:
    return (
        '<rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>'
        + "".join(f"<item>{item}</item>" for item in items)
        + "</channel></rss>"
    ).encode()


def test_a_date_at_the_ends_of_the_calendar_is_dropped_from_its_entry_alone(caplog):
    body = rss(
        "<title>Far future</title><link>https://wire.example/news/1</link>"
        "<pubDate>Fri, 31 Dec 9999 23:59:59 -1200</pubDate>",
        "<title>Far past</title><link>https://wire.example/news/2</link>"
        "<pubDate>Mon, 01 Jan 0001 00:00:00 +1400</pubDate>",
        "<title>An ISO 8601 entry</title><link>https://wire.example/news/3</link>"
        "<pubDate>2026-03-03T09:41:00+04:00</pubDate>",
        "<title>A sound entry</title><link>https://wire.example/news/4</link>"
        "<pubDate>Tue, 03 Mar 2026 13:41:00 +0400</pubDate>",
    )
    assert [(h["title"], h["published_at"]) for h in read(body)] == [
        ("Far future", None),
        ("Far past", None),
        ("An ISO 8601 entry", "2026-03-03T05:41:00+00:00"),
        ("A sound entry", "2026-03-03T09:41:00+00:00"),
    ]
    assert caplog.messages == [
        "https://wire.example/rss: entry 'Far future': date unusable: "
        "9999-12-31T23:59:59-12:00 is out of range "
        "(newsmon reads dates from 0001-01-02 to 9999-12-30 in UTC)",
        "https://wire.example/rss: entry 'Far past': date unusable: "
        "0001-01-01T00:00:00+14:00 is out of range "
        "(newsmon reads dates from 0001-01-02 to 9999-12-30 in UTC)",
    ]


def test_an_entry_whose_link_is_unusable_keeps_its_headline_without_a_link(caplog):
    body = rss(
        "<title>On an IPv6 host</title><link>http://[2606:4700::1111]/a</link>",
        "<title>Bad port</title><link>http://wire.example:abc/b</link>",
        "<title>A sound entry</title><link>https://wire.example/news/4</link>",
    )
    assert [(h["title"], h["url"]) for h in read(body)] == [
        ("On an IPv6 host", "http://[2606:4700::1111]/a"),
        ("Bad port", None),
        ("A sound entry", "https://wire.example/news/4"),
    ]
    assert caplog.messages == [
        "https://wire.example/rss: entry 'Bad port': link unusable: "
        "http://wire.example:abc/b: port 'abc' is not a number"
    ]
