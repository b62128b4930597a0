"""The SQLite store: one file, migrated on every open, written in transactions.

The store is read and written through a plain `sqlite3` connection; sqlite-utils (which loads
numpy) is loaded only when a migration is pending or something uses `Store.db`, so that the
commands that only read start quickly.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from newsmon.clock import now_iso
from newsmon.store.schema import MIGRATIONS

if TYPE_CHECKING:
    from sqlite_utils import Database

DEFAULT_DB = "newsmon.db"
BUSY_TIMEOUT_MS = 10_000
# SQLite keeps 2 MiB of pages by default: a store of 100k headlines already spans 300 MiB, and
# every item touches a dozen indexes, so most look-ups would go back to the file. 64 MiB wrote
# the 10k benchmark corpus's items no faster than 32 (the rest comes from the OS's file cache).
CACHE_KIB = 32 * 1024
# `PRAGMA application_id` of every newsmon store ("nmon" as a big-endian integer), so that a
# SQLite file of another application is recognised and left alone.
APPLICATION_ID = 0x6E6D6F6E
# SQLite errors that are faults of the database file or its disk, not of the data written: a
# write that meets one cannot succeed for any other item either.
STORE_FAULTS = frozenset(
    {
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_NOTADB,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_CANTOPEN,
    }
)


# The most SQLite writes at once: a page of the largest size with its WAL frame header.
LARGEST_WRITE = 65536 + 24


class StoreError(Exception):
    """The store cannot be used; the message names the file and the reason."""


class NoStoreError(StoreError):
    """There is no store at the path: no file, or an empty one."""


def is_store_fault(error: BaseException) -> TypeGuard[sqlite3.DatabaseError]:
    """Whether `error` is a fault of the database file or its disk (see STORE_FAULTS)."""
    code = getattr(error, "sqlite_errorcode", 0)
    return isinstance(error, sqlite3.DatabaseError) and code & 0xFF in STORE_FAULTS


def write_fault(path: str, error: sqlite3.DatabaseError) -> StoreError:
    """The StoreError of a write to the store at `path` that met a fault of its file or disk.

    A disk that is full, or a file at the size limit (`ulimit -f`), is said as "database or
    disk is full" whichever way SQLite reports it: a write cut short is SQLITE_FULL, but one
    that starts at the limit fails with EFBIG, which SQLite reports as "disk I/O error".
    """
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    limit = _file_size_limit_reached(path)
    if limit is not None:
        reason = f"database or disk is full (file-size limit of {limit} bytes reached)"
    elif code == sqlite3.SQLITE_FULL or (code == sqlite3.SQLITE_IOERR and _disk_full(path)):
        reason = "database or disk is full"
    else:
        reason = str(error)
    return StoreError(f"{path}: cannot write: {reason}")


def _file_size_limit_reached(path: str) -> int | None:
    """The process's file-size limit when the store's file or journal is within a write of
    it, else None."""
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit == resource.RLIM_INFINITY:
        return None
    for name in (path, f"{path}-wal", f"{path}-journal"):
        try:
            if os.stat(name).st_size + LARGEST_WRITE > limit:
                return limit
        except OSError:
            continue
    return None


def _disk_full(path: str) -> bool:
    """Whether the disk holding `path` has no room left for one more write."""
    try:
        disk = os.statvfs(os.path.dirname(os.path.abspath(path)))
    except OSError:
        return False
    return disk.f_bavail * disk.f_frsize < LARGEST_WRITE


def default_db_path() -> str:
    """`NEWSMON_DB` when set, else `./newsmon.db`."""
    return os.environ.get("NEWSMON_DB") or DEFAULT_DB


class Store:
    """A newsmon database. Open with `Store.open(path)`; every open applies pending migrations."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        """The connection as a sqlite-utils Database (loading sqlite-utils on first use)."""
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn)
        return self._db

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None, *, create: bool = True) -> Store:
        """Open (and migrate) the store at `path`; with `create`, make a new one if missing.

        Without `create`, a missing file or an empty one raises StoreError: commands that only
        read must not leave an empty store behind a mistyped path. A file that is not a SQLite
        database, a damaged one, or a SQLite database of another application raises StoreError
        and is left untouched.
        """
        location = Path(path if path is not None else default_db_path())
        _check_location(location, create)
        try:
            connection = sqlite3.connect(
                location, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            _check_header(connection, location)
            stamp = _recognise(connection, location, create)
            # What sqlite-utils' Database sets on the connections it is given.
            connection.execute("PRAGMA recursive_triggers = ON")
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            connection.execute("PRAGMA foreign_keys = ON")
            if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            if stamp:
                connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            store = cls(connection, str(location))
            if not MIGRATIONS.up_to_date(connection):
                MIGRATIONS.apply(store.db)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{location}: cannot use the database: {error}") from error
        return store

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write: committed as a whole or not at all.

        A fault of the file or its disk (full, unwritable, damaged) raises StoreError naming
        the file; the transaction is rolled back.
        """
        try:
            with self._atomic():
                yield
        except sqlite3.DatabaseError as error:
            if is_store_fault(error):
                raise write_fault(self.path, error) from error
            raise

    @contextmanager
    def _atomic(self) -> Iterator[None]:
        """A transaction, or a savepoint within the one open (as sqlite-utils' `atomic`)."""
        if self.conn.in_transaction:
            # Savepoints nest under one name: SQLite's ROLLBACK TO and RELEASE take the latest.
            self.conn.execute("SAVEPOINT newsmon_atomic")
            try:
                yield
            except BaseException:
                # An error such as a RAISE(ROLLBACK) trigger can end the whole transaction,
                # the savepoint with it: there is then nothing left to undo.
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK TO SAVEPOINT newsmon_atomic")
                    self.conn.execute("RELEASE SAVEPOINT newsmon_atomic")
                raise
            else:
                self.conn.execute("RELEASE SAVEPOINT newsmon_atomic")
            return
        self.conn.execute("BEGIN")
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def one(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> tuple[Any, ...] | None:
        """The first row of a query, or None."""
        return self.conn.execute(sql, params).fetchone()

    def rows(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, Any]]:
        """All rows of a query as dicts."""
        return list(self.query(sql, params))

    def query(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Iterator[dict[str, Any]]:
        """The rows of a query as dicts, read as they are iterated (the query runs at once).

        A column name that repeats is told apart as sqlite-utils does: `_2`, `_3`, … added.
        """
        cursor = self.conn.execute(sql, params)
        if cursor.description is None:
            raise ValueError("not a query that returns rows: " + sql.strip().split()[0])
        keys = _unique_keys([column[0] for column in cursor.description])
        return (dict(zip(keys, row, strict=True)) for row in cursor)

    # Sources and crawls -------------------------------------------------------------------

    def ensure_source(
        self,
        source_id: str,
        *,
        name: str,
        home_url: str | None,
        lang: str | None,
        tz: str,
        kind: str,
    ) -> None:
        """Record a source, or refresh its description (its history is kept)."""
        self.conn.execute(
            """INSERT INTO sources (id, name, home_url, lang, tz, kind, added_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET name = excluded.name,
                 home_url = excluded.home_url, lang = excluded.lang, tz = excluded.tz,
                 kind = excluded.kind""",
            (source_id, name, home_url, lang, tz, kind, now_iso()),
        )

    def start_crawl(self, mode: str, spiders: list[str], started_at: str | None = None) -> int:
        """Record the start of a crawl run and return its id."""
        cursor = self.conn.execute(
            "INSERT INTO crawls (started_at, mode, spiders) VALUES (?, ?, ?)",
            (started_at or now_iso(), mode, json.dumps(spiders)),
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_crawl(self, crawl_id: int, status: str, summary: dict[str, Any]) -> None:
        """Record the end of a crawl run with its status and summary."""
        self.conn.execute(
            "UPDATE crawls SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
            (now_iso(), status, json.dumps(summary, sort_keys=True), crawl_id),
        )

    def schema_version(self) -> list[str]:
        """The names of the migrations applied to this store, in order."""
        return MIGRATIONS.applied(self.conn)

    def setting(self, key: str) -> str | None:
        """A value of the store's own key/value settings."""
        row = self.one("SELECT value FROM settings WHERE key = ?", (key,))
        return row[0] if row else None


def _unique_keys(keys: list[str]) -> list[str]:
    """`keys` with each repeat renamed `key_2`, `key_3`, … (skipping names already taken)."""
    taken = set(keys)
    if len(taken) == len(keys):
        return keys
    seen: set[str] = set()
    unique = []
    for key in keys:
        if key in seen:
            renamed, suffix = key, 2
            while renamed in seen or renamed in taken:
                renamed = f"{key}_{suffix}"
                suffix += 1
            key = renamed
        seen.add(key)
        unique.append(key)
    return unique


def check_store_path(path: str | os.PathLike[str], *, create: bool = True) -> None:
    """Raise StoreError when `path` could not be opened as a store, writing nothing.

    For callers that create files next to the store (a lock, a log) before opening it; call it
    before this process holds any connection to the store (see `_check_header`).
    """
    location = Path(path)
    _check_location(location, create)
    if location.exists():
        connection = sqlite3.connect(f"{location.resolve().as_uri()}?mode=ro", uri=True)
        try:
            _check_header(connection, location)
            _recognise(connection, location, create)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{location}: cannot use the database: {error}") from error
        finally:
            connection.close()


def _check_header(connection: sqlite3.Connection, location: Path) -> None:
    """Refuse a file that is not a SQLite database before anything is written to it.

    SQLite reads the header itself: opening the file through a second descriptor of ours and
    closing it would drop every POSIX lock this process holds on it (SQLite's locks included),
    letting another process check-point and delete the WAL under our other connections.
    """
    try:
        connection.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        connection.close()
        if getattr(error, "sqlite_errorcode", 0) == sqlite3.SQLITE_NOTADB:
            raise StoreError(f"{location}: not a SQLite database (refusing to touch it)") from error
        raise


def _recognise(connection: sqlite3.Connection, location: Path, create: bool) -> bool:
    """Whether the database is a newsmon store that must be stamped with APPLICATION_ID: a
    new (empty) one, or one made before stores were stamped (it has newsmon's migrations).

    Raises StoreError (closing the connection, writing nothing) for a database of another
    application, and, without `create`, for an empty one.
    """
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    if application_id == APPLICATION_ID:
        return False
    if application_id == 0:
        if connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
            if create:
                return True
            connection.close()
            raise NoStoreError(_no_store(location))
        if _has_newsmon_migrations(connection):
            return True
    connection.close()
    raise StoreError(
        f"{location}: a SQLite database of another application, not a newsmon store "
        "(refusing to change it)"
    )


def _has_newsmon_migrations(connection: sqlite3.Connection) -> bool:
    """Whether sqlite-utils' table of applied migrations lists newsmon's."""
    if (
        connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
        ).fetchone()
        is None
    ):
        return False
    found = connection.execute(
        "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1", (MIGRATIONS.name,)
    ).fetchone()
    return found is not None


def _no_store(location: Path) -> str:
    return f"no store at {location}: run `newsmon crawl` or pass --db"


def _check_location(location: Path, create: bool) -> None:
    if location.is_dir():
        raise StoreError(f"{location}: is a directory, not a database file")
    if not location.exists():
        if not create:
            raise NoStoreError(_no_store(location))
        if not location.parent.exists():
            raise StoreError(f"{location}: directory {location.parent} does not exist")
        return
    if not location.is_file():  # opening a FIFO would wait for a writer forever
        raise StoreError(f"{location}: not a regular file (a FIFO, socket or device)")
