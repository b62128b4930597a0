"""The store's schema, as ordered, named migrations applied on every open.

A migration is never edited once released: a change to the schema is a new migration. The
applied migrations (the schema version) are recorded in `_sqlite_migrations`.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATIONS = Migrations("newsmon")


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
