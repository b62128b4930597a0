"""Which commands may make a store, and which files are newsmon stores at all.

Commands that only read (or change what is stored) refuse a missing store instead of leaving
an empty one behind a mistyped `--db`; a SQLite file of another application is refused and
left exactly as it was; stores made before stores were stamped still open (and are stamped).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.crawl.ingest import ingest
from newsmon.store import APPLICATION_ID, Store, StoreError, check_store_path
from newsmon.store.schema import MIGRATIONS

ITEM = {"url": "https://example.test/news/1", "title": "Caspian pipeline capacity doubled"}

# Every command that opens a store but has nothing new to put in it.
READING_COMMANDS = {
    "appearances": ["appearances"],
    "stories": ["stories"],
    "stories show": ["stories", "show", "1"],
    "stories merge": ["stories", "merge", "1", "2"],
    "stories split": ["stories", "split", "1", "2"],
    "search": ["search", "pipeline"],
    "export": ["export", "csv", "stories"],
    "report": ["report", "-o", "report.html"],
    "history": ["history", "1"],
    "health": ["health"],
    "watch list": ["watch", "list"],
    "watch show": ["watch", "show", "drones"],
    "watch rm": ["watch", "rm", "drones"],
    "watch backfill": ["watch", "backfill", "drones"],
    "match --watch": ["match", "--watch", "drones"],
    "new": ["new"],
    "feed": ["feed", "drones", "-o", "drones.xml"],
}


def invoke(*args: str, stdin: str = "") -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def application_id(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute("PRAGMA application_id").fetchone()[0])


@pytest.fixture
def foreign_db(tmp_path: Path) -> Path:
    """The SQLite file of some other application (rollback journal, no application id)."""
    path = tmp_path / "other-app.db"
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        connection.execute("INSERT INTO notes (text) VALUES ('buy milk')")
        connection.commit()
    return path


@pytest.mark.parametrize("command", sorted(READING_COMMANDS))
def test_a_command_that_only_reads_refuses_a_missing_store_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output, error = invoke(*READING_COMMANDS[command], "--db", "typo.db")
    assert (code, output) == (1, "")
    assert error == "Error: no store at typo.db: run `newsmon crawl` or pass --db\n"
    assert list(tmp_path.iterdir()) == []


def test_the_default_store_missing_in_another_directory_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSMON_DB", raising=False)
    code, _, error = invoke("stories")
    assert (code, error) == (1, "Error: no store at newsmon.db: run `newsmon crawl` or pass --db\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["watch", "add", "drones", "drone*"],
        ["ingest", "-"],
    ],
)
def test_a_command_that_stores_something_makes_a_new_stamped_store(
    tmp_path: Path, args: list[str]
) -> None:
    path = tmp_path / "new.db"
    code, _, error = invoke(*args, "--db", str(path), stdin=json.dumps(ITEM) + "\n")
    assert (code, error) == (0, "")
    assert application_id(path) == APPLICATION_ID


def test_an_empty_file_is_no_store_for_a_reader_and_a_new_store_for_a_writer(
    tmp_path: Path,
) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    code, _, error = invoke("appearances", "--db", str(path))
    assert (code, error) == (1, f"Error: no store at {path}: run `newsmon crawl` or pass --db\n")
    assert path.read_bytes() == b""
    code, _, _ = invoke("ingest", "-", "--db", str(path), stdin=json.dumps(ITEM) + "\n")
    assert code == 0
    assert application_id(path) == APPLICATION_ID
    code, output, _ = invoke("appearances", "--json", "--db", str(path))
    assert code == 0
    assert ITEM["title"] in output


FOREIGN = "{path}: a SQLite database of another application, not a newsmon store " + (
    "(refusing to change it)"
)


@pytest.mark.parametrize(
    "args",
    [["appearances"], ["stories"], ["ingest", "-"], ["watch", "add", "drones", "drone*"]],
)
def test_a_sqlite_file_of_another_application_is_refused_and_left_as_it_was(
    foreign_db: Path, args: list[str]
) -> None:
    before = digest(foreign_db)
    code, output, error = invoke(*args, "--db", str(foreign_db), stdin=json.dumps(ITEM) + "\n")
    assert (code, output) == (1, "")
    assert error == "Error: " + FOREIGN.format(path=foreign_db) + "\n"
    assert digest(foreign_db) == before
    assert [entry.name for entry in foreign_db.parent.iterdir()] == [foreign_db.name]


def test_a_database_stamped_by_another_application_is_refused_even_with_newsmon_tables(
    tmp_path: Path,
) -> None:
    path = tmp_path / "stamped.db"
    Store.open(path).close()
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA application_id = 1234")
    with pytest.raises(StoreError, match="another application"):
        Store.open(path)
    with pytest.raises(StoreError, match="another application"):
        check_store_path(path)
    assert application_id(path) == 1234


def test_a_store_made_before_stores_were_stamped_opens_with_its_data_and_is_stamped(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    with Store.open(path) as store:
        ingest(store, [json.dumps(ITEM)])
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA application_id = 0")
    check_store_path(path, create=False)
    assert application_id(path) == 0  # checking writes nothing
    code, output, error = invoke("appearances", "--json", "--db", str(path))
    assert (code, error) == (0, "")
    assert ITEM["title"] in output
    assert application_id(path) == APPLICATION_ID


def test_sources_without_a_store_lists_the_configured_sources_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSMON_CONFIG", raising=False)
    code, output, error = invoke("sources", "--json", "--db", "typo.db")
    assert (code, error) == (0, "note: no store at typo.db yet: the counts are empty\n")
    rows = [json.loads(line) for line in output.splitlines()]
    assert {row["id"] for row in rows} == {"ccbsnews", "report_az"}
    assert {row["articles"] for row in rows} == {0}
    assert list(tmp_path.iterdir()) == []


def test_whether_migrations_are_pending_agrees_with_sqlite_utils(tmp_path: Path) -> None:
    from sqlite_utils import Database

    path = tmp_path / "n.db"
    connection = sqlite3.connect(path)
    assert not MIGRATIONS.up_to_date(connection)  # an empty database
    connection.close()
    Store.open(path).close()
    with closing(sqlite3.connect(path)) as connection:
        pending = MIGRATIONS.migrations().pending(Database(connection))
        assert (pending, MIGRATIONS.up_to_date(connection)) == ([], True)
        with connection:
            connection.execute("DELETE FROM _sqlite_migrations WHERE name = '0002_health'")
        pending = MIGRATIONS.migrations().pending(Database(connection))
        assert ([migration.name for migration in pending], MIGRATIONS.up_to_date(connection)) == (
            ["0002_health"],
            False,
        )


def test_a_table_of_migrations_without_its_id_key_is_reshaped_on_open(tmp_path: Path) -> None:
    """sqlite-utils gives its table of applied migrations an `id` key when it applies them:
    the store is brought to that shape on open even when no migration is pending."""
    from sqlite_utils import Database

    path = tmp_path / "n.db"
    with Store.open(path) as store:
        applied = store.schema_version()
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.executescript(
            """CREATE TABLE old AS SELECT migration_set, name, applied_at FROM _sqlite_migrations;
               DROP TABLE _sqlite_migrations;
               ALTER TABLE old RENAME TO _sqlite_migrations;"""
        )
    with closing(sqlite3.connect(path)) as connection:
        assert not MIGRATIONS.up_to_date(connection)
    with Store.open(path) as store:
        assert store.schema_version() == applied == MIGRATIONS.names
        assert store.db["_sqlite_migrations"].pks == ["id"]  # type: ignore[union-attr]
    with closing(sqlite3.connect(path)) as connection:
        assert MIGRATIONS.up_to_date(connection)
        assert Database(connection)["_sqlite_migrations"].pks == ["id"]  # type: ignore[union-attr]


def test_reads_and_transactions_go_without_sqlite_utils(tmp_path: Path) -> None:
    Store.open(tmp_path / "n.db").close()  # made and migrated: sqlite-utils did that
    with Store.open(tmp_path / "n.db") as store:
        assert store._db is None
        with store.transaction():
            ingest(store, [json.dumps(ITEM)])
            with pytest.raises(ZeroDivisionError), store.transaction():
                store.conn.execute("UPDATE articles SET title = 'undone'")
                1 / 0  # noqa: B018
        rows = store.rows(
            "SELECT a.title, h.title FROM articles a JOIN headlines h ON h.article_id = a.id"
        )
        assert rows == [{"title": ITEM["title"], "title_2": ITEM["title"]}]
        assert store.one("SELECT count(*) FROM sources") == (1,)
        assert store._db is None
