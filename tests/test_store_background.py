"""The store writer in a process of its own: the same store as in the crawl's process, its
faults and log lines in the crawl's, and no writer left behind when the crawl is killed."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsmon.items import HeadlineItem
from newsmon.store import Store, StoreError
from newsmon.store.background import CHUNK_SIZE, BackgroundWriter
from tests.conftest import SEEDS
from tests.helpers import ROOT, newsmon
from tests.store_snapshot import assert_same_store, snapshot
from tests.test_store_writer import open_store


def shown(number: int, context: str | None = "listing") -> HeadlineItem:
    """Headline `number` of report.az's military listing."""
    return HeadlineItem(
        source="report_az",
        title=f"Military drills, day {number}",
        url=f"https://report.az/en/military/drills-day-{number}",
        page_url="https://report.az/en/military/",
        context=context,  # type: ignore[arg-type]  # None: appearances.context is NOT NULL
        seen_at="2026-03-03T11:00:00+00:00",
    )


@pytest.fixture
def crawl_store(tmp_path: Path) -> tuple[str, int]:
    """A store with report.az registered and one crawl started: (path, crawl id)."""
    path = tmp_path / "news.db"
    with open_store(path) as store:
        crawl_id = store.start_crawl("live", ["report_az"])
    return str(path), crawl_id


def count(path: str, sql: str) -> int:
    with Store.open(path) as store:
        return int(store.conn.execute(sql).fetchone()[0])


def test_a_replay_crawl_stores_the_same_with_the_writer_in_either_process(tmp_path: Path) -> None:
    stores = {name: tmp_path / f"{name}.db" for name in ("background", "in_process")}
    outputs = {}
    for name, db in stores.items():
        assert newsmon("watch", "import", "watches.example.toml", "--db", str(db)).returncode == 0
        setting = f"NEWSMON_STORE_PROCESS={name == 'background'}"
        result = newsmon("crawl", "--replay", str(SEEDS), "--db", str(db), "-s", setting)
        assert result.returncode == 0, result.stderr
        outputs[name] = result.stdout

    assert outputs["background"] == outputs["in_process"]
    assert "total: 26 pages, 63 headlines" in outputs["background"]
    assert_same_store(snapshot(stores["background"]), snapshot(stores["in_process"]))


def test_items_are_stored_and_counted_once_flushed(crawl_store: tuple[str, int]) -> None:
    path, crawl_id = crawl_store
    writer = BackgroundWriter(path, crawl_id, batch_size=50)
    try:
        for number in range(CHUNK_SIZE * 3 + 5):  # whole chunks and a part of one
            writer.write(shown(number))
        writer.flush()
        assert count(path, "SELECT count(*) FROM appearances") == CHUNK_SIZE * 3 + 5
        assert writer.counts["report_az"].headlines == CHUNK_SIZE * 3 + 5
        assert writer.counts["report_az"].new_appearances == CHUNK_SIZE * 3 + 5
        assert writer.totals()["new_headlines"] == CHUNK_SIZE * 3 + 5
    finally:
        writer.close()
    with pytest.raises(ProcessLookupError):  # the writer ended, and was waited for
        os.kill(writer.pid, 0)


def test_a_full_batch_is_committed_without_waiting_for_more_items(
    crawl_store: tuple[str, int],
) -> None:
    path, crawl_id = crawl_store
    writer = BackgroundWriter(path, crawl_id, batch_size=2)
    try:
        writer.write(shown(1))
        writer.write(shown(2))  # a batch: sent and committed, no flush asked for
        writer.write(shown(3))
        deadline = time.monotonic() + 30
        while count(path, "SELECT count(*) FROM appearances") < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert count(path, "SELECT count(*) FROM appearances") == 2  # the third waits for a batch
    finally:
        writer.close()
    assert count(path, "SELECT count(*) FROM appearances") == 3


def test_an_item_the_store_refuses_is_skipped_alone_and_logged_in_the_crawl(
    crawl_store: tuple[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    path, crawl_id = crawl_store
    writer = BackgroundWriter(path, crawl_id)
    writer.write(shown(1))
    writer.write(shown(2, context=None))
    writer.write(shown(3))
    writer.close()

    assert writer.counts["report_az"].rejected == 1
    assert count(path, "SELECT count(*) FROM appearances") == 2
    assert [(record.name, record.levelno, record.getMessage()) for record in caplog.records] == [
        (
            "newsmon.store.writer",
            logging.ERROR,
            "store: item from https://report.az/en/military/ not stored "
            "(IntegrityError: NOT NULL constraint failed: appearances.context)",
        )
    ]


def test_a_store_the_writer_cannot_open_fails_the_flush_with_its_message(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database, but a user's notes\n" * 100)
    writer = BackgroundWriter(str(path), 1)
    writer.write(shown(1))
    with pytest.raises(StoreError) as raised:
        writer.flush()
    writer.close()

    assert str(raised.value) == f"{path}: not a SQLite database (refusing to touch it)"
    assert path.read_text() == "not a database, but a user's notes\n" * 100


def test_a_writer_killed_midway_fails_the_next_write_or_flush_in_one_line(
    crawl_store: tuple[str, int],
) -> None:
    path, crawl_id = crawl_store
    writer = BackgroundWriter(path, crawl_id, batch_size=1)
    writer.write(shown(1))
    writer.flush()
    os.kill(writer.pid, signal.SIGKILL)
    # A chunk of one goes out at once: whichever of the write and the flush first finds the
    # writer gone (it depends on how soon the kill lands) fails, with the same line.
    with pytest.raises(StoreError) as raised:
        writer.write(shown(2))
        writer.flush()
    writer.close()

    assert str(raised.value) == "the store writer process ended unexpectedly (killed by signal 9)"
    assert count(path, "SELECT count(*) FROM appearances") == 1  # committed before the kill
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_ctrl_c_is_left_to_the_crawl_whose_shutdown_flushes_the_writer(
    crawl_store: tuple[str, int],
) -> None:
    path, crawl_id = crawl_store
    writer = BackgroundWriter(path, crawl_id)
    writer.write(shown(1))
    writer.flush()  # the writer is up and has its handlers
    os.kill(writer.pid, signal.SIGINT)
    os.kill(writer.pid, signal.SIGTERM)
    writer.write(shown(2))
    writer.close()

    assert count(path, "SELECT count(*) FROM appearances") == 2


CRAWL_KILLED = """
import sys
from newsmon.store.background import BackgroundWriter
writer = BackgroundWriter(sys.argv[1], int(sys.argv[2]))
writer.flush()
print(writer.pid, flush=True)
sys.stdin.read()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's parent-death signal")
def test_a_killed_crawl_leaves_no_writer_behind(crawl_store: tuple[str, int]) -> None:
    path, crawl_id = crawl_store
    with subprocess.Popen(
        [sys.executable, "-c", CRAWL_KILLED, path, str(crawl_id)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as crawl:
        assert crawl.stdout is not None
        writer_pid = int(crawl.stdout.readline())
        assert not _ended(writer_pid, within=0.2)
        crawl.kill()
    assert _ended(writer_pid)
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _ended(pid: int, within: float = 10.0) -> bool:
    """Whether process `pid` is gone (or a zombie) within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            return True
        if "State:\tZ" in status:
            return True
        time.sleep(0.05)
    return False
