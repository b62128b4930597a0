"""Printed and XML output: whatever a store holds, no control character or bidirectional
override reaches a terminal, cron mail or a feed, and the Atom feed stays valid XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.crawl.ingest import ingest
from newsmon.normalize.text import printable
from newsmon.ops.health import UNHEALTHY, Notice
from newsmon.store import Store
from newsmon.watch.watches import add_watch

UNPRINTABLE = ("\x1b", "\x07", "\x0b", "\u202e")


@pytest.fixture
def older_store(tmp_path: Path) -> Path:
    """A store whose texts hold control characters (written before they were refused)."""
    db = tmp_path / "older.db"
    with Store.open(db) as store:
        add_watch(store, "defense", "defense")
        ingest(
            store,
            [
                json.dumps(
                    {"url": "https://news.example/o", "title": "Defense talks", "source": "x"}
                )
            ],
        )
        with store.transaction():
            store.conn.execute("UPDATE sources SET name = 'Bad\vname\u202e' WHERE id = 'x'")
            store.conn.execute("UPDATE articles SET title = 'Defense\u202e \x1b[2Jtalks'")
            store.conn.execute("UPDATE headlines SET title = 'Defense\u202e \x1b[2Jtalks'")
            store.conn.execute("UPDATE stories SET title = 'Defense\u202e \x1b[2Jtalks'")
    return db


def test_the_atom_feed_stays_valid_xml_whatever_the_store_holds(older_store, tmp_path):
    path = tmp_path / "defense.xml"
    result = CliRunner().invoke(cli, ["feed", "defense", "-o", str(path), "--db", str(older_store)])
    assert result.exit_code == 0, result.output
    ns = {"atom": "http://www.w3.org/2005/Atom"}
    entry = ET.parse(path).getroot().find("atom:entry", ns)
    assert entry is not None
    assert entry.findtext("atom:title", namespaces=ns) == "Defense [2Jtalks"
    assert entry.findtext("atom:author/atom:name", namespaces=ns) == "Bad name"


@pytest.mark.parametrize(
    "command",
    [["new"], ["stories"], ["stories", "show", "1"], ["watch", "show", "defense"], ["sources"]],
)
def test_printed_texts_carry_no_control_characters_whatever_the_store_holds(
    older_store, command, monkeypatch, tmp_path
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSMON_CONFIG", raising=False)
    result = CliRunner().invoke(cli, [*command, "--db", str(older_store)])
    assert result.exit_code == 0, result.output
    assert "talks" in result.stdout or "Bad name" in result.stdout
    assert not any(character in result.output for character in UNPRINTABLE)


def test_printable_keeps_one_line_of_visible_text():
    assert printable("a\tb\nc\x1b]0;x\x07\u202ed\x0b\ud800\ufffe") == "a b c]0;xd "
    assert printable("Azərbaycan — ‏عربي") == "Azərbaycan — ‏عربي"
    assert printable(None) == ""


@pytest.mark.parametrize(
    ("command", "field", "stored"),
    [
        (["new", "--json"], "title", "Defense\u202e \x1b[2Jtalks"),
        (["stories", "--json"], "title", "Defense\u202e \x1b[2Jtalks"),
        (["sources", "--json"], "name", "Bad\vname\u202e"),
    ],
)
def test_json_lines_escape_what_a_terminal_would_obey_and_keep_the_value(
    older_store, command, field, stored, monkeypatch, tmp_path
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSMON_CONFIG", raising=False)
    result = CliRunner().invoke(cli, [*command, "--db", str(older_store)])
    assert result.exit_code == 0, result.output
    assert not any(character in result.output for character in UNPRINTABLE)
    values = [json.loads(text).get(field) for text in result.stdout.splitlines()]
    assert stored in values


def test_a_health_line_for_cron_mail_carries_no_control_characters():
    notice = Notice(
        source="x",
        state=UNHEALTHY,
        reason="feed title 'News\u202e\x1b[2J' unreadable\nfake line",
        since="2026-03-03T10:00:00+00:00",
        last_run="0 pages",
    )
    assert notice.line() == "[health] x: feed title 'News[2J' unreadable fake line"
