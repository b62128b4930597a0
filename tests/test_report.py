"""The HTML timeline report: what it reads, how it escapes, and how a real browser shows it.

The browser tests use Debian's `chromium` (skipped when there is none). That the page makes
no network request is proven twice: statically (no element or style of the HTML refers to
anything outside it, and its Content-Security-Policy forbids every fetch) and dynamically
(Chromium driven over `--remote-debugging-pipe` records every request the page's target
starts; a control page with an external image and style sheet shows the recording works).
`--host-resolver-rules` makes sure that not even Chromium's own background requests could
leave the machine.
"""

from __future__ import annotations

import json
import os
import re
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from parsel import Selector

from newsmon.cli import cli
from newsmon.crawl.ingest import ingest
from newsmon.inspect import report as report_module
from newsmon.inspect.report import (
    LANG_COLOURS,
    Mark,
    MarkKind,
    ReportError,
    WatchSummary,
    binned,
    build_report,
    render_report,
)
from newsmon.store import Store
from tests.timeline_store import ARABIC_HEADLINE, NASTY_HEADLINE, TIMELINE, make_timeline_store

NOW = "2026-03-04T12:00:00+00:00"
CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary on PATH (apt-get install chromium)"
)
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    # No host name resolves: nothing Chromium tries could reach the network.
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_timeline_store(tmp_path_factory.mktemp("report") / "newsmon.db")


@pytest.fixture(scope="module")
def store(db_path: Path) -> Store:
    return Store.open(db_path)


@pytest.fixture(scope="module")
def report_file(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report-html") / "report.html"
    path.write_text(render_report(build_report(store, now=NOW)), encoding="utf-8")
    return path


def test_the_report_reads_the_watched_stories_their_marks_and_the_watch_per_day(
    store: Store,
) -> None:
    report = build_report(store, now=NOW)
    assert (report.title, report.generated_at, report.marks) == ("Watched stories", NOW, 7)
    assert [item.story["id"] for item in report.stories] == [1]
    assert report.watches == [
        WatchSummary(
            "drones",
            "{drone*|dron*}",
            stories=1,
            appearances=7,
            period="day",
            counts=[("2026-03-01", 4), ("2026-03-02", 2), ("2026-03-03", 1)],
        )
    ]
    (story,) = report.stories
    assert [(mark.source, mark.lang, mark.at.isoformat()) for mark in story.marks] == [
        ("wire", "en", "2026-03-01T08:00:00+00:00"),
        ("wire", "en", "2026-03-01T09:30:00+00:00"),
        ("wire", "az", "2026-03-01T12:00:00+00:00"),
        ("wire", "ar", "2026-03-01T13:00:00+00:00"),
        ("gazette", "en", "2026-03-02T07:15:00+00:00"),
        ("gazette", "en", "2026-03-02T07:20:00+00:00"),
        ("herald", "en", "2026-03-03T16:45:00+00:00"),
    ]
    assert story.marks[1].text == NASTY_HEADLINE
    assert story.marks[1].detail == "latest on https://wire.example/en"
    assert [(row["source_id"], row["first_seen"]) for row in story.sources] == [
        ("wire", "2026-03-01T08:00:00+00:00"),
        ("gazette", "2026-03-02T07:15:00+00:00"),
        ("herald", "2026-03-03T16:45:00+00:00"),
    ]
    # The most frequent language gets the first colour, then by name.
    assert report.colours == {
        "en": LANG_COLOURS[0],
        "ar": LANG_COLOURS[1],
        "az": LANG_COLOURS[2],
        "": report_module.UNKNOWN_LANG_COLOUR,
    }


def test_one_story_or_one_watch(store: Store) -> None:
    single = build_report(store, story_id=2, now=NOW)
    assert (single.title, [item.story["id"] for item in single.stories]) == ("Story #2", [2])
    assert single.watches == []  # no watch matched story 2
    watched = build_report(store, watch="drones", now=NOW)
    assert (watched.title, [item.story["id"] for item in watched.stories]) == (
        "Watch “drones”",
        [1],
    )
    with pytest.raises(ReportError, match="no watch named 'nope'"):
        build_report(store, watch="nope")
    with pytest.raises(ReportError, match="no story 99"):
        build_report(store, story_id=99)


def test_without_watches_every_story_is_shown_newest_first(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "newsmon.db")
    with (TIMELINE / "items.jsonl").open(encoding="utf-8") as lines:
        ingest(store, lines)
    report = build_report(store, now=NOW)
    assert report.title == "Stories"
    assert [item.story["id"] for item in report.stories] == [1, 2]
    assert [item.story["id"] for item in build_report(store, limit=1).stories] == [1]


@pytest.mark.parametrize(
    ("per_day", "max_bars", "expected"),
    [
        (
            {"2026-03-01": 2, "2026-03-03": 1},
            3,
            ("day", [("2026-03-01", 2), ("2026-03-02", 0), ("2026-03-03", 1)]),
        ),
        (
            # 3 March 2026 is a Tuesday: its week starts on Monday 2 March.
            {"2026-03-03": 1, "2026-03-08": 2, "2026-03-16": 5},
            3,
            ("week", [("2026-03-02", 3), ("2026-03-09", 0), ("2026-03-16", 5)]),
        ),
        (
            {"2025-12-31": 1, "2026-01-01": 2, "2026-03-05": 4},
            4,
            ("month", [("2025-12-01", 1), ("2026-01-01", 2), ("2026-02-01", 0), ("2026-03-01", 4)]),
        ),
    ],
)
def test_counts_per_day_become_weeks_or_months_when_there_would_be_too_many_bars(
    per_day: dict[str, int], max_bars: int, expected: tuple[str, list[tuple[str, int]]]
) -> None:
    assert binned(per_day, max_bars=max_bars) == expected


def test_headlines_are_escaped_and_only_web_links_are_links(store: Store) -> None:
    report = build_report(store, now=NOW)
    item = report.stories[0]
    members = [
        *item.story["members"],
        {**item.story["members"][0], "title": "Click me", "url": "javascript:alert(1)"},
    ]
    story = {**item.story, "members": members, "watches": ["<b>bold</b> & co"]}
    page = render_report(replace(report, stories=[replace(item, story=story)]))
    assert "<script" not in page.lower()
    escaped = "Drone deal &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;joint&#x27; plant 🚀"
    assert (
        f'<a href="https://wire.example/en/drone-deal" rel="noreferrer noopener"><bdi lang="en">{escaped}</bdi></a>'
        in page
    )
    assert '<td class="headline" dir="auto"><bdi lang="en">Click me</bdi></td>' in page
    assert "javascript:" not in page
    assert "watches &lt;b&gt;bold&lt;/b&gt; &amp; co" in page
    assert f'<bdi lang="ar">{ARABIC_HEADLINE}</bdi>' in page


def test_the_html_refers_to_nothing_outside_itself(report_file: Path) -> None:
    page = report_file.read_text(encoding="utf-8")
    references = ExternalReferences.of(page)
    assert references.resources == []
    assert sorted(references.links) == [
        "https://gazette.example/world/drones",
        "https://herald.example/a/123",
        "https://wire.example/ar/drone-deal",
        "https://wire.example/az/dron-sazisi",
        "https://wire.example/en/drone-deal",
        "https://wire.example/en/drone-deal",
    ]
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">" in page
    )


def test_the_static_check_catches_every_way_of_loading_something() -> None:
    page = """<html><head><link rel="stylesheet" href="https://cdn.example/a.css">
    <style>@import "b.css"; body { background: url(https://cdn.example/c.png) }</style>
    <script src="//cdn.example/d.js"></script></head><body style="background:url('e.png')">
    <img srcset="f.png 2x"><svg><image href="g.png"/><use xlink:href="h.svg#x"/></svg>
    <iframe src="https://example.org"></iframe><a href="https://ok.example/">ok</a>
    <a href="#story-1">inside</a></body></html>"""
    references = ExternalReferences.of(page)
    assert references.links == ["https://ok.example/"]
    assert references.resources == [
        "link href=https://cdn.example/a.css",
        "style: @import",
        "style: url(",
        "script",
        "script src=//cdn.example/d.js",
        "body style: url(",
        "img srcset=f.png 2x",
        "image href=g.png",
        "use xlink:href=h.svg#x",
        "iframe src=https://example.org",
    ]


def test_an_extra_kind_of_mark_is_one_entry(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def revisions(store: Store, story_id: int) -> Iterator[Mark]:
        yield Mark(
            kind="revision",
            at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
            source="wire",
            lang="en",
            text="Azerbaijan and Türkiye sign drone deal worth $1bn",
            detail="headline revised",
        )

    monkeypatch.setitem(
        report_module.MARK_KINDS, "revision", MarkKind("headline revised", "diamond", revisions)
    )
    page = render_report(build_report(store, now=NOW))
    dom = Selector(text=page)
    (mark,) = dom.css("svg.timeline g.mark-revision")
    assert mark.attrib["data-at"] == "2026-03-02T09:00:00+00:00"
    assert mark.css("polygon")
    assert "headline revised" in dom.css("figcaption ul.legend").get()


@needs_chromium
def test_chromium_shows_the_chart_and_the_headlines(report_file: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    dumped = subprocess.run(
        [
            CHROMIUM,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            report_file.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )
    dom = Selector(text=dumped.stdout)
    assert dom.css("title::text").get() == "newsmon · Watched stories"
    assert dom.css("script") == []
    (timeline,) = dom.css("article#story-1 svg.timeline")
    assert timeline.css("text.row-label::text").getall() == [
        "wire · en",
        "wire · az",
        "wire · ar",
        "gazette · en",
        "herald · en",
    ]
    marks = timeline.css("g.mark")
    assert [
        (m.attrib["data-source"], m.attrib["data-lang"], m.attrib["data-count"]) for m in marks
    ] == [
        ("wire", "en", "1"),
        ("wire", "en", "1"),
        ("wire", "az", "1"),
        ("wire", "ar", "1"),
        ("gazette", "en", "2"),  # 07:15 and 07:20 are one mark at this scale
        ("herald", "en", "1"),
    ]
    assert [" ".join(tick.css("tspan::text").getall()) for tick in timeline.css("text.tick")] == [
        "12:00 Mar 1",
        "00:00 Mar 2",
        "12:00",
        "00:00 Mar 3",
        "12:00",
    ]
    assert (
        "07:15 · Azerbaijan and Türkiye sign drone deal, ministers say"
        in marks[4].css("title::text").get()
    )
    headlines = dom.css("article#story-1 table.headlines td.headline")
    assert [cell.css("bdi::text").get() for cell in headlines] == [
        "Azerbaijan and Türkiye sign drone deal",
        NASTY_HEADLINE,
        "Azərbaycan və Türkiyə dron sazişi imzaladı",
        ARABIC_HEADLINE,
        "Azerbaijan and Türkiye sign drone deal, ministers say",
        "Azerbaijan and Türkiye sign drone deal",
    ]
    assert dom.css("article#story-1 table.sources td:nth-child(3)::text").getall() == [
        "first",
        "+23 h 15 min",
        "+2 d 8 h 45 min",
    ]
    bars = dom.css("section.watch svg.counts rect.bar")
    assert [(bar.attrib["data-start"], bar.attrib["data-count"]) for bar in bars] == [
        ("2026-03-01", "4"),
        ("2026-03-02", "2"),
        ("2026-03-03", "1"),
    ]


@needs_chromium
def test_the_page_makes_no_network_request(report_file: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None
    control = tmp_path / "control.html"
    control.write_text(
        '<!DOCTYPE html><html><head><link rel="stylesheet" href="https://cdn.example/x.css">'
        '</head><body><img src="http://example.invalid/pixel.png"></body></html>',
        encoding="utf-8",
    )
    with PipeBrowser(CHROMIUM, tmp_path / "profile") as browser:
        control_requests, _ = browser.load(control.as_uri())
        report_requests, rendered = browser.load(report_file.as_uri())
    # The recording sees what a page asks for ...
    assert control_requests == [
        control.as_uri(),
        "https://cdn.example/x.css",
        "http://example.invalid/pixel.png",
    ]
    # ... and the report asks for nothing but itself.
    assert report_requests == [report_file.as_uri()]
    assert "Azerbaijan and Türkiye sign drone deal" in rendered


def test_report_command_writes_the_file(db_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "drones.html"
    result = CliRunner().invoke(
        cli, ["report", "--watch", "drones", "-o", str(target), "--db", str(db_path)]
    )
    assert (result.exit_code, result.output) == (0, f"{target}: 1 story, 7 marks\n")
    page = target.read_text(encoding="utf-8")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert "<h1>Watch “drones”</h1>" in page
    missing = CliRunner().invoke(
        cli, ["report", "--story", "99", "-o", str(target), "--db", str(db_path)]
    )
    assert (missing.exit_code, missing.output) == (1, "Error: no story 99\n")
    assert target.read_text(encoding="utf-8") == page


class ExternalReferences(HTMLParser):
    """What an HTML page refers to: `links` (a href to the web) and `resources` (anything the
    browser would load by itself, as `tag attribute=value` or `… style: construct`)."""

    _LOADING = frozenset(
        ("src", "srcset", "href", "xlink:href", "data", "poster", "action", "background")
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.resources: list[str] = []
        self._in_style = False

    @classmethod
    def of(cls, page: str) -> ExternalReferences:
        parser = cls()
        parser.feed(page)
        parser.close()
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        if tag == "script":
            self.resources.append("script")
        for name, value in attrs:
            if name == "style" and value:
                self.resources += [f"{tag} style: {hit}" for hit in self._css(value)]
            if name not in self._LOADING or value is None:
                continue
            if tag == "a" and name == "href":
                if not value.startswith("#"):
                    self.links.append(value)
                continue
            self.resources.append(f"{tag} {name}={value}")
        if tag == "meta" and dict(attrs).get("http-equiv", "").lower() == "refresh":
            self.resources.append("meta refresh")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.resources += [f"style: {hit}" for hit in self._css(data)]

    @staticmethod
    def _css(text: str) -> list[str]:
        return [hit.group(0) for hit in re.finditer(r"@import|url\(", text, re.IGNORECASE)]


class PipeBrowser:
    """Headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4: no port).

    `load(url)` opens the page in a new tab and returns the URL of every request the tab
    started (`Network.requestWillBeSent`, which also fires for requests a policy then blocks)
    and the rendered DOM.
    """

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser, self._to_browser = os.pipe()
        self._from_browser, from_browser = os.pipe()

        def on_fds_3_and_4() -> None:
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self.process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"],
            preexec_fn=on_fds_3_and_4,  # the protocol's fixed descriptors, set before exec
            pass_fds=(3, 4),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._last_id = 0
        self._events: list[dict[str, Any]] = []

    def __enter__(self) -> PipeBrowser:
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.call("Browser.close", timeout=10)
        except (OSError, RuntimeError, TimeoutError):
            self.process.kill()
        self.process.wait(timeout=30)
        os.close(self._to_browser)
        os.close(self._from_browser)

    def load(self, url: str) -> tuple[list[str], str]:
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        self.call("Network.enable", session=session)
        self.call("Page.enable", session=session)
        self._events.clear()
        self.call("Page.navigate", {"url": url}, session=session)
        self._wait_for("Page.loadEventFired", session)
        dom = self.call(
            "Runtime.evaluate",
            {"expression": "document.documentElement.outerHTML", "returnByValue": True},
            session=session,
        )["result"]["value"]
        requests = [
            event["params"]["request"]["url"]
            for event in self._events
            if event["method"] == "Network.requestWillBeSent" and event.get("sessionId") == session
        ]
        return requests, dom

    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: str | None = None,
        timeout: float = 60,
    ) -> dict[str, Any]:
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._receive(deadline)
            if answer.get("id") == self._last_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer["result"]

    def _wait_for(self, method: str, session: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(
            event["method"] == method and event.get("sessionId") == session
            for event in self._events
        ):
            self._receive(deadline)

    def _receive(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        if "method" in message:
            self._events.append(message)
        return message
