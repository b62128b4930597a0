"""The store's schema, as ordered, named migrations applied on every open.

A migration is never edited once released: a change to the schema is a new migration. The
applied migrations (the schema version) are recorded in `_sqlite_migrations`.

sqlite-utils applies them, but it is loaded only when a migration is pending: it loads numpy,
which would more than double the start-up of the commands that only read a store (`new`,
`stories`, `match`, …). Whether one is pending is read with plain SQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database
    from sqlite_utils.migrations import Migrations

# sqlite-utils' table of applied migrations (`Migrations.migrations_table`).
MIGRATIONS_TABLE = "_sqlite_migrations"

Migration = Callable[["Database"], None]


class MigrationSet:
    """Named migrations, declared in the order they apply, without loading sqlite-utils.

    Declared like sqlite-utils' `Migrations` (`@MIGRATIONS(name=…)`); `apply` hands them to
    one, built on first use, so that the store's history stays sqlite-utils' own.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._declared: list[tuple[str, Migration]] = []
        self._migrations: Migrations | None = None

    def __call__(self, *, name: str) -> Callable[[Migration], Migration]:
        def declare(function: Migration) -> Migration:
            if name in self.names:
                raise ValueError(f"migration {name!r} is already declared in {self.name!r}")
            self._declared.append((name, function))
            self._migrations = None
            return function

        return declare

    @property
    def names(self) -> list[str]:
        """The names of the migrations, in the order they apply."""
        return [name for name, _ in self._declared]

    def migrations(self) -> Migrations:
        """The sqlite-utils migration set of these migrations."""
        if self._migrations is None:
            from sqlite_utils.migrations import Migrations

            migrations = Migrations(self.name)
            for name, function in self._declared:
                migrations(name=name)(function)
            self._migrations = migrations
        return self._migrations

    def apply(self, db: Database) -> None:
        """Apply the pending migrations (and bring sqlite-utils' table to its shape)."""
        self.migrations().apply(db)

    def applied(self, connection: sqlite3.Connection) -> list[str]:
        """The names of the migrations of this set applied to the database, in order."""
        if not _table_exists(connection, MIGRATIONS_TABLE):
            return []
        rows = connection.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
            (self.name,),
        )
        return [name for (name,) in rows]

    def up_to_date(self, connection: sqlite3.Connection) -> bool:
        """Whether `apply` would change nothing: sqlite-utils' table of applied migrations
        has its shape (an `id` primary key, which `apply` would otherwise give it) and lists
        every migration of this set."""
        columns = connection.execute(
            "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY cid", (MIGRATIONS_TABLE,)
        ).fetchall()
        if columns != [("id",)]:
            return False
        return set(self.names) <= set(self.applied(connection))


def _table_exists(connection: sqlite3.Connection, name: str) -> bool:
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
    ).fetchone()
    return found is not None


MIGRATIONS = MigrationSet("newsmon")


@MIGRATIONS(name="0001_initial")
def initial(db: Database) -> None:
    """Sources, crawls, stories, articles and their URLs, headlines, appearances."""
    db.executescript(
        """
        CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            home_url TEXT,
            lang TEXT,
            tz TEXT NOT NULL DEFAULT 'UTC',
            kind TEXT NOT NULL DEFAULT 'site',
            enabled INTEGER NOT NULL DEFAULT 1,
            added_at TEXT NOT NULL
        );
        CREATE TABLE crawls (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            mode TEXT NOT NULL,
            spiders TEXT NOT NULL DEFAULT '[]',
            status TEXT NOT NULL DEFAULT 'running',
            summary TEXT
        );
        CREATE TABLE crawl_sources (
            crawl_id INTEGER NOT NULL REFERENCES crawls(id),
            source_id TEXT NOT NULL REFERENCES sources(id),
            pages INTEGER NOT NULL DEFAULT 0,
            missing INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            articles INTEGER NOT NULL DEFAULT 0,
            headlines INTEGER NOT NULL DEFAULT 0,
            new_headlines INTEGER NOT NULL DEFAULT 0,
            new_appearances INTEGER NOT NULL DEFAULT 0,
            status_codes TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'ok',
            PRIMARY KEY (crawl_id, source_id)
        );
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            published_at TEXT,
            first_crawl_id INTEGER REFERENCES crawls(id)
        );
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            source_id TEXT NOT NULL REFERENCES sources(id),
            url TEXT NOT NULL UNIQUE,
            site_article_id TEXT,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            title TEXT NOT NULL,
            match_key TEXT NOT NULL,
            lang TEXT,
            published_at TEXT,
            published_date TEXT,
            published_basis TEXT,
            modified_at TEXT,
            section TEXT,
            authors TEXT NOT NULL DEFAULT '[]',
            tags TEXT NOT NULL DEFAULT '[]',
            lead TEXT,
            body TEXT,
            body_hash TEXT,
            signature BLOB,
            fetched_at TEXT,
            parser TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            first_crawl_id INTEGER REFERENCES crawls(id)
        );
        CREATE INDEX articles_story ON articles(story_id);
        CREATE INDEX articles_source_site_id ON articles(source_id, site_article_id);
        CREATE INDEX articles_source_key ON articles(source_id, match_key);
        CREATE INDEX articles_published ON articles(published_at);
        CREATE TABLE article_urls (
            url TEXT PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            how TEXT NOT NULL,
            first_seen TEXT NOT NULL
        );
        CREATE INDEX article_urls_article ON article_urls(article_id);
        CREATE TABLE headlines (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            title TEXT NOT NULL,
            match_key TEXT NOT NULL,
            lang TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            first_crawl_id INTEGER REFERENCES crawls(id),
            UNIQUE (article_id, match_key)
        );
        CREATE INDEX headlines_key ON headlines(match_key);
        CREATE TABLE appearances (
            id INTEGER PRIMARY KEY,
            headline_id INTEGER NOT NULL REFERENCES headlines(id),
            article_id INTEGER NOT NULL REFERENCES articles(id),
            source_id TEXT NOT NULL REFERENCES sources(id),
            page_url TEXT NOT NULL,
            context TEXT NOT NULL,
            section TEXT,
            published_at TEXT,
            published_date TEXT,
            published_basis TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            times_seen INTEGER NOT NULL DEFAULT 1,
            first_crawl_id INTEGER REFERENCES crawls(id),
            last_crawl_id INTEGER REFERENCES crawls(id),
            UNIQUE (headline_id, page_url, context)
        );
        CREATE INDEX appearances_article ON appearances(article_id);
        CREATE INDEX appearances_source ON appearances(source_id);
        CREATE INDEX appearances_first_crawl ON appearances(first_crawl_id);
        CREATE INDEX appearances_first_seen ON appearances(first_seen);
        CREATE TABLE story_evidence (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            article_id INTEGER NOT NULL REFERENCES articles(id),
            other_article_id INTEGER REFERENCES articles(id),
            rule TEXT NOT NULL,
            score REAL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX story_evidence_story ON story_evidence(story_id);
        CREATE INDEX story_evidence_article ON story_evidence(article_id);
        CREATE TABLE lsh_buckets (
            bucket INTEGER NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            day INTEGER NOT NULL
        );
        CREATE INDEX lsh_buckets_bucket ON lsh_buckets(bucket, day);
        CREATE INDEX lsh_buckets_article ON lsh_buckets(article_id);
        CREATE TABLE entity_keys (
            key TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            day INTEGER NOT NULL
        );
        CREATE INDEX entity_keys_key ON entity_keys(key, day);
        CREATE INDEX entity_keys_article ON entity_keys(article_id);
        CREATE TABLE alternate_links (
            url TEXT PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            lang TEXT
        );
        CREATE TABLE watches (
            name TEXT PRIMARY KEY,
            query TEXT NOT NULL,
            options TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE watch_stories (
            watch TEXT NOT NULL REFERENCES watches(name) ON DELETE CASCADE,
            story_id INTEGER NOT NULL REFERENCES stories(id),
            article_id INTEGER NOT NULL REFERENCES articles(id),
            field TEXT NOT NULL,
            terms TEXT NOT NULL,
            matched_text TEXT NOT NULL,
            matched_at TEXT NOT NULL,
            crawl_id INTEGER REFERENCES crawls(id),
            PRIMARY KEY (watch, story_id)
        );
        CREATE INDEX watch_stories_story ON watch_stories(story_id);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            watch TEXT NOT NULL REFERENCES watches(name) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            appearance_id INTEGER REFERENCES appearances(id),
            article_id INTEGER NOT NULL REFERENCES articles(id),
            story_id INTEGER NOT NULL REFERENCES stories(id),
            created_at TEXT NOT NULL,
            crawl_id INTEGER REFERENCES crawls(id),
            details TEXT NOT NULL DEFAULT '{}',
            UNIQUE (watch, kind, appearance_id)
        );
        CREATE INDEX events_crawl ON events(crawl_id);
        CREATE INDEX events_created ON events(created_at);
        CREATE TABLE output_cursors (
            output TEXT NOT NULL,
            watch TEXT NOT NULL REFERENCES watches(name) ON DELETE CASCADE,
            last_event_id INTEGER NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (output, watch)
        );
        CREATE TABLE validators (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )


@MIGRATIONS(name="0006_revisions")
def revisions(db: Database) -> None:
    """Article history: headline revisions, moves to new URLs, content versions."""
    db.executescript(
        """
        CREATE TABLE article_changes (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            kind TEXT NOT NULL CHECK (kind IN ('headline', 'move', 'content')),
            old_value TEXT,
            new_value TEXT,
            seen_at TEXT NOT NULL,
            crawl_id INTEGER REFERENCES crawls(id),
            page_url TEXT,
            context TEXT,
            details TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX article_changes_article ON article_changes(article_id, seen_at);
        CREATE TABLE article_versions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id),
            seen_at TEXT NOT NULL,
            crawl_id INTEGER REFERENCES crawls(id),
            modified_at TEXT,
            body_hash TEXT,
            diff TEXT,
            paragraphs_added INTEGER NOT NULL DEFAULT 0,
            paragraphs_removed INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX article_versions_article ON article_versions(article_id, seen_at);
        CREATE VIEW headline_revisions AS
            SELECT c.id, c.article_id, a.story_id, a.source_id AS source, c.old_value AS old_title,
                   c.new_value AS new_title, c.seen_at, c.crawl_id, c.page_url, c.context
            FROM article_changes c JOIN articles a ON a.id = c.article_id
            WHERE c.kind = 'headline';
        CREATE VIEW article_moves AS
            SELECT c.id, c.article_id, a.story_id, a.source_id AS source, c.old_value AS old_url,
                   c.new_value AS new_url, c.seen_at, c.crawl_id, c.details
            FROM article_changes c JOIN articles a ON a.id = c.article_id
            WHERE c.kind = 'move';
        """
    )


@MIGRATIONS(name="0004_search_views")
def search_views(db: Database) -> None:
    """Full-text search over headlines and article text, and views for the questions people ask.

    The FTS5 tables follow sqlite-utils' layout (`<table>_fts`, external content, triggers
    `<table>_ai/_ad/_au`), so `sqlite-utils search` and Datasette find them; the update triggers
    fire only when indexed text changes. Views: `related_appearances`, `story_sources`,
    `latest_headlines`, `story_timeline`, `source_activity`.
    """
    for table, columns in (("headlines", ["title"]), ("articles", ["title", "lead", "body"])):
        fts = f"{table}_fts"
        names = ", ".join(f"[{column}]" for column in columns)
        new = ", ".join(f"new.[{column}]" for column in columns)
        old = ", ".join(f"old.[{column}]" for column in columns)
        changed = " OR ".join(f"old.[{column}] IS NOT new.[{column}]" for column in columns)
        db.execute(
            f"CREATE VIRTUAL TABLE [{fts}] USING FTS5 ({names}, "
            f"tokenize='unicode61 remove_diacritics 2', content=[{table}])"
        )
        db.execute(f"INSERT INTO [{fts}] ([{fts}]) VALUES ('rebuild')")
        db.execute(
            f"CREATE TRIGGER [{table}_ai] AFTER INSERT ON [{table}] BEGIN "
            f"INSERT INTO [{fts}] (rowid, {names}) VALUES (new.rowid, {new}); END"
        )
        db.execute(
            f"CREATE TRIGGER [{table}_ad] AFTER DELETE ON [{table}] BEGIN "
            f"INSERT INTO [{fts}] ([{fts}], rowid, {names}) VALUES ('delete', old.rowid, {old}); "
            "END"
        )
        db.execute(
            f"CREATE TRIGGER [{table}_au] AFTER UPDATE ON [{table}] "
            f"WHEN old.rowid IS NOT new.rowid OR {changed} BEGIN "
            f"INSERT INTO [{fts}] ([{fts}], rowid, {names}) VALUES ('delete', old.rowid, {old}); "
            f"INSERT INTO [{fts}] (rowid, {names}) VALUES (new.rowid, {new}); END"
        )
    db.execute(
        """CREATE VIEW related_appearances AS
           SELECT ws.watch, ap.id AS appearance_id, h.title AS headline, h.lang,
             ap.source_id, s.name AS source, ap.context, ap.page_url, ap.section,
             ap.first_seen, ap.last_seen, ap.times_seen, a.url, ws.story_id, st.title AS story
           FROM watch_stories ws
           JOIN articles a ON a.story_id = ws.story_id
           JOIN appearances ap ON ap.article_id = a.id
           JOIN headlines h ON h.id = ap.headline_id
           JOIN sources s ON s.id = ap.source_id
           JOIN stories st ON st.id = ws.story_id
           ORDER BY ap.first_seen DESC, ap.id DESC"""
    )
    db.execute(
        """CREATE VIEW story_sources AS
           SELECT a.story_id, st.title AS story, a.source_id, s.name AS source,
             min(min(coalesce(ap.first_seen, a.first_seen), a.first_seen)) AS first_seen,
             max(max(coalesce(ap.last_seen, a.last_seen), a.last_seen)) AS last_seen,
             count(DISTINCT a.id) AS articles, count(ap.id) AS appearances,
             (SELECT group_concat(lang, ',') FROM (
                SELECT x.lang FROM articles x
                WHERE x.story_id = a.story_id AND x.source_id = a.source_id AND x.lang IS NOT NULL
                UNION
                SELECT h.lang FROM headlines h JOIN articles x ON x.id = h.article_id
                WHERE x.story_id = a.story_id AND x.source_id = a.source_id AND h.lang IS NOT NULL
                ORDER BY 1)) AS languages
           FROM articles a
           LEFT JOIN appearances ap ON ap.article_id = a.id
           JOIN stories st ON st.id = a.story_id
           JOIN sources s ON s.id = a.source_id
           GROUP BY a.story_id, a.source_id
           ORDER BY a.story_id, 5, a.source_id"""
    )
    db.execute(
        """CREATE VIEW latest_headlines AS
           SELECT h.id AS headline_id, h.first_seen, h.last_seen, h.title AS headline, h.lang,
             a.source_id, s.name AS source, a.url, a.story_id, st.title AS story,
             (SELECT count(*) FROM appearances ap WHERE ap.headline_id = h.id) AS appearances
           FROM headlines h
           JOIN articles a ON a.id = h.article_id
           JOIN sources s ON s.id = a.source_id
           JOIN stories st ON st.id = a.story_id
           ORDER BY h.first_seen DESC, h.id DESC"""
    )
    db.execute(
        """CREATE VIEW story_timeline AS
           SELECT a.story_id, st.title AS story, ap.first_seen, ap.last_seen,
             round((julianday(ap.first_seen)
               - julianday(min(ap.first_seen) OVER (PARTITION BY a.story_id))) * 24, 2)
               AS hours_after_first,
             ap.source_id, s.name AS source, ap.context, ap.page_url, h.title AS headline, h.lang,
             a.url, ap.id AS appearance_id, ap.times_seen
           FROM appearances ap
           JOIN articles a ON a.id = ap.article_id
           JOIN headlines h ON h.id = ap.headline_id
           JOIN sources s ON s.id = ap.source_id
           JOIN stories st ON st.id = a.story_id
           ORDER BY a.story_id, ap.first_seen, ap.id"""
    )
    db.execute(
        """CREATE VIEW source_activity AS
           WITH seen AS (
             SELECT ap.source_id, substr(ap.first_seen, 1, 10) AS day,
               count(*) AS new_appearances, count(DISTINCT ap.article_id) AS articles,
               count(DISTINCT a.story_id) AS stories
             FROM appearances ap JOIN articles a ON a.id = ap.article_id
             GROUP BY ap.source_id, day
           ), crawled AS (
             SELECT cs.source_id, substr(c.started_at, 1, 10) AS day, count(*) AS crawls,
               sum(cs.pages) AS pages, sum(cs.errors) AS errors
             FROM crawl_sources cs JOIN crawls c ON c.id = cs.crawl_id
             GROUP BY cs.source_id, day
           ), days AS (
             SELECT source_id, day FROM seen UNION SELECT source_id, day FROM crawled
           )
           SELECT d.source_id, s.name AS source, d.day,
             coalesce(c.crawls, 0) AS crawls, coalesce(c.pages, 0) AS pages,
             coalesce(c.errors, 0) AS errors, coalesce(n.new_appearances, 0) AS new_appearances,
             coalesce(n.articles, 0) AS articles, coalesce(n.stories, 0) AS stories
           FROM days d
           JOIN sources s ON s.id = d.source_id
           LEFT JOIN seen n ON n.source_id = d.source_id AND n.day = d.day
           LEFT JOIN crawled c ON c.source_id = d.source_id AND c.day = d.day
           ORDER BY d.day DESC, d.source_id"""
    )


@MIGRATIONS(name="0002_health")
def health(db: Database) -> None:
    """Source health: what each crawl's pages gave per source, and each source's state.

    The new `crawl_sources` columns stay NULL for crawls recorded before them, so that health
    compares only with runs that counted them. `page_kinds` is JSON: per page kind, the pages
    parsed, the headlines they gave and how many gave none. `health` is that run's verdict.
    """
    for column, kind in (
        ("articles_without_title", "INTEGER"),
        ("articles_without_date", "INTEGER"),
        ("articles_without_body", "INTEGER"),
        ("not_modified", "INTEGER"),
        ("known_articles", "INTEGER"),
        ("page_kinds", "TEXT"),
        ("health", "TEXT"),
    ):
        db.execute(f"ALTER TABLE crawl_sources ADD COLUMN {column} {kind}")
    db.executescript(
        """
        CREATE TABLE source_health (
            source_id TEXT PRIMARY KEY REFERENCES sources(id),
            state TEXT NOT NULL CHECK (state IN ('ok', 'unhealthy')),
            reason TEXT,
            since TEXT NOT NULL,
            last_success TEXT,
            last_crawl_id INTEGER REFERENCES crawls(id),
            last_run TEXT NOT NULL DEFAULT '{}',
            reported INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        );
        """
    )


@MIGRATIONS(name="0007_crawl_sources_by_source")
def crawl_sources_by_source(db: Database) -> None:
    """A source's runs found without reading every crawl (health, `sources`): a store crawled
    every few minutes for a year holds hundreds of thousands of rows."""
    db.execute("CREATE INDEX crawl_sources_source ON crawl_sources(source_id, crawl_id)")


@MIGRATIONS(name="0008_story_index_by_day")
def story_index_by_day(db: Database) -> None:
    """The story index's rows ordered by day first: a batch of new articles then writes to the
    recent end of each index instead of pages all over it (an LSH bucket is a random number,
    so a bucket-first index is written everywhere at once, and the pages a commit writes grow
    with the store), and candidates are read from the index alone (`StoryIndex`)."""
    db.executescript(
        """
        CREATE INDEX lsh_buckets_day ON lsh_buckets(day, bucket, article_id);
        DROP INDEX lsh_buckets_bucket;
        CREATE INDEX entity_keys_day ON entity_keys(day, key, article_id);
        DROP INDEX entity_keys_key;
        """
    )


@MIGRATIONS(name="0009_events_by_story")
def events_by_story(db: Database) -> None:
    """Events found by their story: merging two stories moves the dropped one's events, which
    read the whole events table once per merge, a cost that grew with the store."""
    db.execute("CREATE INDEX events_story ON events(story_id)")


@MIGRATIONS(name="0010_article_seo_titles")
def article_seo_titles(db: Database) -> None:
    """The title a page gives search engines and feeds (JSON-LD, OpenGraph), kept beside the
    headline it shows readers (`title`) when worded otherwise; NULL when the same or unknown."""
    db.execute("ALTER TABLE articles ADD COLUMN seo_title TEXT")


@MIGRATIONS(name="0011_polls")
def polls(db: Database) -> None:
    """Each feed, listing and sitemap's poll schedule (`newsmon.polling`): when it is due and
    why, what it showed last, whether its validators lied. `arrivals` and `seen` are JSON
    lists (the learned publication times, in seconds since 1970; the URLs of the last
    answer)."""
    db.executescript(
        """
        CREATE TABLE polls (
            url TEXT PRIMARY KEY,
            source_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            polls INTEGER NOT NULL DEFAULT 0,
            next_at TEXT,
            reason TEXT NOT NULL DEFAULT '',
            last_at TEXT,
            full_at TEXT,
            history_from TEXT,
            arrivals TEXT NOT NULL DEFAULT '[]',
            seen TEXT NOT NULL DEFAULT '[]',
            fingerprint TEXT,
            not_modified INTEGER NOT NULL DEFAULT 0,
            last_not_modified_at TEXT,
            suspicions INTEGER NOT NULL DEFAULT 0,
            lying TEXT,
            lying_at TEXT,
            lying_told INTEGER NOT NULL DEFAULT 1,
            failures INTEGER NOT NULL DEFAULT 0,
            hint_seconds INTEGER,
            hint_reason TEXT,
            retry_at TEXT,
            overflow_at TEXT,
            overflow_told INTEGER NOT NULL DEFAULT 1
        );
        CREATE INDEX polls_due ON polls(next_at);
        CREATE INDEX polls_source ON polls(source_id);
        """
    )


@MIGRATIONS(name="0012_article_reads")
def article_reads(db: Database) -> None:
    """Re-reads of stored articles (`newsmon.crawl.rereads`): when one was last tried, what it
    answered, and since when the page is gone (404/410: never tried again). A read that gave
    the article sets `articles.fetched_at` as before; a try that gave none is only here, so a
    page that fails is not tried again at every run. The age index finds the articles young
    enough to be re-read, and what choosing among them needs, without reading the others."""
    db.executescript(
        """
        CREATE TABLE article_reads (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id),
            tried_at TEXT NOT NULL,
            status INTEGER,
            gone_since TEXT
        );
        CREATE INDEX articles_age
            ON articles(coalesce(published_at, first_seen), source_id, fetched_at);
        """
    )


@MIGRATIONS(name="0013_refused_pages")
def refused_pages(db: Database) -> None:
    """Pages of a crawl's source that were no page to read (`newsmon.crawl.refusals`), for
    source health: JSON `{"challenge": {vendor: pages}, "script_only": {page kind: pages}}`,
    NULL for crawls recorded before it."""
    db.execute("ALTER TABLE crawl_sources ADD COLUMN refused_pages TEXT")


@MIGRATIONS(name="0014_article_dates")
def article_dates(db: Database) -> None:
    """When a page that dates changes (an Atom entry's `<updated>`, a news sitemap's
    `<lastmod>`) last showed a stored article unchanged since its last read
    (`newsmon.crawl.rereads`): as good as a read for the decaying schedule."""
    db.executescript(
        """
        CREATE TABLE article_dates (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id),
            unchanged_at TEXT NOT NULL
        );
        """
    )


@MIGRATIONS(name="0015_article_embeddings")
def article_embeddings(db: Database) -> None:
    """An article's embedding (`newsmon.semantic`: 384 float16 values of its headline and
    lead), by which story matching compares reports by meaning; NULL where it was stored
    without one (the model not installed, or turned off)."""
    db.execute("ALTER TABLE articles ADD COLUMN embedding BLOB")
