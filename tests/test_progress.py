"""Terminal output: progress of long runs (crawl, ingest, backfill) and aligned tables."""

from __future__ import annotations

import io
import logging
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newsmon.cli.base import format_table, text_width
from newsmon.crawl.ingest import ingest
from newsmon.extensions.progress import CrawlProgress, ProgressBoard
from newsmon.ops.progress import Progress, StatusLine, progress_line
from newsmon.store import Store
from newsmon.watch.watches import backfill_watch
from tests.helpers import ROOT, child_environment, newsmon
from tests.timeline_store import TIMELINE, make_timeline_store


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# Progress lines ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (
            ("crawl", [(120, "pages"), (340, "items")], 37.5, None),
            "crawl: 120 pages · 340 items · 3.2 pages/s · 0:37",
        ),
        (
            ("backfill drones", [(1200, "texts")], 1.41, 5000),
            "backfill drones: 1,200/5,000 texts (24%) · 851 texts/s · 0:01",
        ),
        (
            ("ingest", [(54321, "lines")], 3723.0, None),
            "ingest: 54,321 lines · 15 lines/s · 1:02:03",
        ),
        (("ingest", [(0, "lines")], 0.0, None), "ingest: 0 lines · 0:00"),
    ],
)
def test_progress_line(arguments: tuple, line: str) -> None:  # type: ignore[type-arg]
    label, counts, elapsed, total = arguments
    assert progress_line(label, counts, elapsed, total) == line


def test_status_line_rewrites_itself_in_place_and_clears() -> None:
    stream = Terminal()
    line = StatusLine(stream)
    line.show("crawl: 12 pages")
    line.show("crawl: 9 p")
    line.clear()
    assert stream.getvalue() == "\rcrawl: 12 pages\rcrawl: 9 p     \r          \r"


def test_status_line_fits_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "20")
    stream = Terminal()
    StatusLine(stream).show("ingest: 1,234,567 lines · 15 lines/s")
    assert stream.getvalue() == "\ringest: 1,234,567 …"


def test_status_line_is_silent_when_not_on_a_terminal() -> None:
    stream = io.StringIO()
    line = StatusLine(stream)
    with line:
        line.show("crawl: 12 pages")
    assert stream.getvalue() == ""
    assert StatusLine(stream, enabled=True).enabled


def test_a_log_message_clears_the_line_first() -> None:
    stream = Terminal()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with StatusLine(stream) as line:
            line.show("crawl: 3 pages")
            logging.getLogger("newsmon.test").warning("a page went missing")
            line.show("crawl: 4 pages")
        logging.getLogger("newsmon.test").warning("after the crawl")
    finally:
        root.removeHandler(handler)
    assert stream.getvalue() == (
        "\rcrawl: 3 pages\r              \rWARNING: a page went missing\n"
        "\rcrawl: 4 pages\r              \rWARNING: after the crawl\n"
    )


def test_progress_is_drawn_once_per_interval_and_cleared_at_the_end() -> None:
    stream, clock = Terminal(), Clock()
    with Progress("backfill drones", "texts", stream=stream, clock=clock) as progress:
        for now, done in ((100.5, 10), (101.0, 20), (101.5, 30), (102.5, 50)):
            clock.now = now
            progress(done, 100)
    first = "backfill drones: 20/100 texts (20%) · 20 texts/s · 0:01"
    second = "backfill drones: 50/100 texts (50%) · 20 texts/s · 0:02"
    assert stream.getvalue() == f"\r{first}\r{second}\r{' ' * len(second)}\r"


def test_progress_is_silent_off_a_terminal() -> None:
    stream = io.StringIO()
    with Progress("ingest", "lines", stream=stream, interval=0) as progress:
        progress(1)
    assert stream.getvalue() == ""


# Progress hooks of the library ------------------------------------------------------------


def test_ingest_reports_lines_read(tmp_path: Path) -> None:
    calls: list[tuple[int, int | None]] = []
    store = Store.open(tmp_path / "newsmon.db")
    with (TIMELINE / "items.jsonl").open(encoding="utf-8") as lines:
        ingest(store, lines, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(number, None) for number in range(1, 9)]


def test_backfill_reports_texts_done_of_all(tmp_path: Path) -> None:
    store = Store.open(make_timeline_store(tmp_path / "newsmon.db"))
    calls: list[tuple[int, int | None]] = []
    backfill_watch(
        store, "drones", batch=4, progress=lambda done, total: calls.append((done, total))
    )
    # 7 headlines in batches of 4, then the 4 articles with a lead or body.
    assert calls == [(4, 11), (7, 11), (11, 11)]


# The crawl's Scrapy extension -------------------------------------------------------------


def test_the_extension_stays_off_without_a_terminal_or_when_switched_off() -> None:
    # Under pytest, standard error is captured: not a terminal.
    with pytest.raises(NotConfigured):
        CrawlProgress.from_crawler(get_crawler())
    with pytest.raises(NotConfigured):
        CrawlProgress.from_crawler(get_crawler(settings_dict={"NEWSMON_PROGRESS": False}))
    extension = CrawlProgress.from_crawler(get_crawler(settings_dict={"NEWSMON_PROGRESS": True}))
    assert isinstance(extension, CrawlProgress)


def test_the_board_adds_up_the_crawlers_of_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    board = ProgressBoard(Terminal(), interval=1.0)
    first, second = get_crawler(), get_crawler()
    for crawler, pages, items in ((first, 12, 30), (second, 8, 5)):
        assert crawler.stats is not None
        crawler.stats.set_value("response_received_count", pages)
        crawler.stats.set_value("item_scraped_count", items)
    board.crawlers = [first]
    monkeypatch.setattr(time, "monotonic", lambda: board.started + 4.0)
    assert board.text() == "crawl: 12 pages · 30 items · 3.0 pages/s · 0:04"
    board.crawlers = [first, second]
    assert board.text() == "crawl (2 spiders): 20 pages · 35 items · 5.0 pages/s · 0:04"


def test_a_crawl_on_a_terminal_shows_progress_and_clears_it(tmp_path: Path) -> None:
    output = run_on_terminal(
        "crawl", "--replay", "seeds", "--db", str(tmp_path / "newsmon.db"),
        "-s", "NEWSMON_PROGRESS_INTERVAL=0.05", "-s", "LOG_LEVEL=ERROR",
    )  # fmt: skip
    assert "\rcrawl (2 spiders): " in output
    assert " pages · " in output and " items · " in output and " pages/s · 0:0" in output
    assert "crawl 1 (replay): ok" in output
    shown = output[output.index("\rcrawl (2 spiders)") : output.index("crawl 1 (replay)")]
    assert shown.endswith("\r"), "the progress line is cleared before the summary"


def test_a_crawl_without_a_terminal_writes_no_progress(tmp_path: Path) -> None:
    result = newsmon(
        "crawl", "--replay", "seeds", "--db", str(tmp_path / "newsmon.db"),
        "-s", "NEWSMON_PROGRESS_INTERVAL=0.05",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "pages/s" not in result.stderr and "\r" not in result.stderr
    assert "CrawlProgress" not in result.stderr  # not even a "Disabled" warning


def run_on_terminal(*args: str, timeout: float = 120) -> str:
    """Run `newsmon ARGS` with standard error on a pseudo-terminal; stdout and stderr as one."""
    environment = child_environment()
    environment["COLUMNS"] = "200"
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "newsmon", *args],
        stdout=terminal,
        stderr=terminal,
        cwd=ROOT,
        env=environment,
    )
    os.close(terminal)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if select.select([controller], [], [], 0.5)[0]:
                try:
                    chunk = os.read(controller, 1 << 16)
                except OSError:  # the other side is closed: the run is over
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            elif process.poll() is not None:
                break
    finally:
        os.close(controller)
        process.wait(timeout=30)
    assert process.returncode == 0, b"".join(chunks).decode("utf-8", "replace")
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


# Tables ------------------------------------------------------------------------------------


def test_table_columns_align_with_wide_characters_and_combining_marks() -> None:
    rows = [
        {"source": "nhk", "title": "日本のニュース"},
        {"source": "wire", "title": "Cafe\u0301 🚀 launch"},
        {"source": "x", "title": "plain"},
    ]
    table = format_table(rows, ["source", "title"], max_width=80)
    assert table.splitlines() == [
        "source  title",
        "------  --------------",
        "nhk     日本のニュース",
        "wire    Cafe\u0301 🚀 launch",
        "x       plain",
    ]
    assert text_width("日本のニュース") == 14
    assert text_width("Cafe\u0301") == 4


def test_a_table_for_a_pipe_or_cron_mail_is_not_cut(monkeypatch) -> None:
    reason = "no headlines on 3 listing pages in a row (selectors may no longer match) " * 3
    rows = [{"source": "report_az", "state": "unhealthy", "reason": reason.strip()}]
    monkeypatch.delenv("COLUMNS", raising=False)  # and stdout is pytest's capture, not a tty
    assert (
        format_table(rows, ["source", "state", "reason"])
        .splitlines()[2]
        .endswith("(selectors may no longer match)")
    )
    monkeypatch.setenv("COLUMNS", "80")
    assert format_table(rows, ["source", "state", "reason"]).splitlines()[2].endswith("…")


def test_table_cells_stay_on_one_line_and_fit_the_width() -> None:
    rows = [
        {
            "id": 1,
            "title": "Line one\nline two\tand a tab",
            "url": "https://example.org/a/long/path",
        }
    ]
    table = format_table(rows, ["id", "title", "url"], max_width=40)
    assert table.splitlines() == [
        "id  title                       url",
        "--  --------------------------  --------",
        "1   Line one line two and a t…  https:/…",
    ]
    assert max(text_width(line) for line in table.splitlines()) <= 40


def test_wide_characters_are_cut_at_a_column_boundary() -> None:
    table = format_table([{"a": "日本のニュース日本のニュース"}], ["a"], max_width=9)
    assert table.splitlines()[2] == "日本のニ…"
    assert text_width(table.splitlines()[2]) == 9
