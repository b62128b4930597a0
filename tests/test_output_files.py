"""Files written with -o (export, feed, report) replace the previous one only once complete.

A full disk is a file-size limit (RLIMIT_FSIZE, what `ulimit -f` sets) in the child: a write
past it fails as on a full disk. The store is far bigger than the limit, so it is only read.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from newsmon.crawl.ingest import ingest
from newsmon.ops.output_files import OutputError, replace_atomically
from newsmon.store import Store
from newsmon.watch.watches import add_watch
from tests.helpers import run_limited

PREVIOUS = "a good file from yesterday\n" * 700  # 19 KB
LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose export, feed and report are each larger than LIMIT."""
    path = tmp_path_factory.mktemp("store") / "newsmon.db"
    with Store.open(path) as store:
        add_watch(store, "caspian", "caspian")
        ingest(
            store,
            (
                json.dumps(
                    {
                        "url": f"https://example.test/news/{n}",
                        "title": f"Caspian story number {n}: {'pipeline ' * (n % 7)}{n * 7919}",
                        "lead": "Lead text of the article. " * 10,
                        "source": f"site{n % 5}",
                    }
                )
                for n in range(600)
            ),
        )
    return path


COMMANDS = {
    "export": ["export", "csv", "appearances"],
    "feed": ["feed", "caspian"],
    "report": ["report", "--watch", "caspian"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_full_disk_keeps_the_previous_file_and_leaves_no_temporary_file(
    tmp_path: Path, big_store: Path, command: str
) -> None:
    target = tmp_path / "out" / "x.out"
    target.parent.mkdir()
    target.write_text(PREVIOUS, encoding="utf-8")
    result = run_limited([*COMMANDS[command], "-o", str(target), "--db", str(big_store)], LIMIT)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"Error: {target}: cannot write: File too large\n"
    assert target.read_text(encoding="utf-8") == PREVIOUS
    assert [entry.name for entry in target.parent.iterdir()] == ["x.out"]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_without_a_limit_the_file_is_replaced_keeping_its_permissions(
    tmp_path: Path, big_store: Path, command: str
) -> None:
    target = tmp_path / "x.out"
    target.write_text(PREVIOUS, encoding="utf-8")
    target.chmod(0o640)
    result = run_limited([*COMMANDS[command], "-o", str(target), "--db", str(big_store)], 2**30)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith(f"{target}: ")
    assert target.stat().st_size > LIMIT
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [entry.name for entry in tmp_path.iterdir()] == ["x.out"]


def test_an_error_while_writing_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    target.write_text(PREVIOUS, encoding="utf-8")
    with pytest.raises(KeyError), replace_atomically(target) as out:
        out.write("half a file")
        raise KeyError("the store went away")
    assert target.read_text(encoding="utf-8") == PREVIOUS
    assert os.listdir(tmp_path) == ["x.csv"]


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        with replace_atomically(tmp_path / "new.csv") as out:
            out.write("id\n")
    finally:
        os.umask(umask)
    assert (tmp_path / "new.csv").read_text(encoding="utf-8") == "id\n"
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644


def test_a_missing_directory_is_one_error_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "x.csv"
    with pytest.raises(OutputError) as raised, replace_atomically(target):
        pass
    assert str(raised.value) == f"{target}: cannot write: No such file or directory"
