"""Full-text search over headlines and article text (SQLite FTS5, kept in sync by triggers).

The query is FTS5's own syntax: words (all must match), `"a phrase"`, `prefix*`, `OR`, `NOT`,
`NEAR(a b, 5)`, and column filters (`title:`, `lead:`, `body:`). Matching ignores case and
diacritics (`turkiye` finds `Türkiye`). One result per article, best match first.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

# The store is imported by the function that uses it: `newsmon --help` reads DEFAULT_LIMIT.
if TYPE_CHECKING:
    from newsmon.store import Store

DEFAULT_LIMIT = 20
HIGHLIGHT = ("[", "]")
SNIPPET_TOKENS = 16

# Each FTS table: the SQL of its hits as (article_id, score, matched, snippet). bm25 is lower
# for better matches; titles weigh ten times as much as body text, leads five times.
_HIT_QUERIES = {
    "headlines_fts": """SELECT h.article_id, bm25(headlines_fts, 10.0) AS score,
          'headline' AS matched, snippet(headlines_fts, 0, ?, ?, '…', ?) AS snippet
        FROM headlines_fts JOIN headlines h ON h.id = headlines_fts.rowid
        WHERE headlines_fts MATCH ?""",
    "articles_fts": """SELECT articles_fts.rowid AS article_id,
          bm25(articles_fts, 10.0, 5.0, 1.0) AS score, 'article' AS matched,
          snippet(articles_fts, -1, ?, ?, '…', ?) AS snippet
        FROM articles_fts WHERE articles_fts MATCH ?""",
}


class SearchError(Exception):
    """The search cannot run: a malformed query, an unknown watch or source."""


def search(
    store: Store,
    query: str,
    *,
    watch: str | None = None,
    source: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[dict[str, Any]]:
    """Articles whose headlines or text match `query`, best first.

    Each result: `rank` (1 = best), `score` (relevance: FTS5's bm25 negated, so higher is
    better; titles weigh ten times as much as body text, leads five times), `article_id`, `title`,
    `url`, `source`, `lang`, `story`, `story_title`, `first_seen`, `matched` (`headline` or
    `article`: where the best match is) and `snippet` (the matching words in `[` `]`).
    """
    from newsmon.store.queries import WATCHED_ARTICLE

    if not query.strip():
        raise SearchError("empty search query")
    if limit < 1:
        raise SearchError(f"--limit {limit}: expected a positive number")
    _check_exists(store, "SELECT 1 FROM watches WHERE name = ?", watch, "no watch named")
    _check_exists(store, "SELECT 1 FROM sources WHERE id = ?", source, "no source with id")
    tables = _tables_for(store, query)
    hits = " UNION ALL ".join(_HIT_QUERIES[table] for table in tables)
    params: list[Any] = []
    for _ in tables:
        params += [*HIGHLIGHT, SNIPPET_TOKENS, query]
    where = ["1 = 1"]
    if watch is not None:
        where.append(WATCHED_ARTICLE)
        params.append(watch)
    if source is not None:
        where.append("a.source_id = ?")
        params.append(source)
    # `hits` is materialized: FTS5's bm25() and snippet() cannot run inside the aggregate the
    # query would otherwise be flattened into. With one min() aggregate, SQLite takes the bare
    # columns (matched, snippet) from the row holding the minimum: each article's best hit.
    sql = f"""WITH hits AS MATERIALIZED ({hits}),
              best AS (SELECT article_id, min(score) AS score, matched, snippet
                       FROM hits GROUP BY article_id)
              SELECT b.score, a.id AS article_id, a.title, a.url, a.source_id AS source, a.lang,
                a.story_id AS story, st.title AS story_title, a.first_seen, b.matched, b.snippet
              FROM best b JOIN articles a ON a.id = b.article_id
              JOIN stories st ON st.id = a.story_id
              WHERE {" AND ".join(where)}
              ORDER BY b.score, a.first_seen DESC, a.id
              LIMIT ?"""
    params.append(limit)
    try:
        rows = store.rows(sql, params)
    except sqlite3.OperationalError as error:
        raise SearchError(_query_error(query, error)) from error
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        row["score"] = float(f"{-row['score']:.4g}") + 0.0  # 4 significant digits, never -0.0
    return rows


def _tables_for(store: Store, query: str) -> list[str]:
    """The FTS tables that accept `query`.

    A column filter only some tables have (`body:…`) leaves out the others; a query no table
    accepts is malformed.
    """
    tables, errors = [], []
    for table in _HIT_QUERIES:
        try:
            store.one(f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT 1", (query,))
        except sqlite3.OperationalError as error:
            errors.append(error)
            continue
        tables.append(table)
    if not tables:
        raise SearchError(_query_error(query, errors[-1]))
    return tables


def _query_error(query: str, error: sqlite3.OperationalError) -> str:
    message = str(error).removeprefix("fts5: ")
    return f"invalid search query {query!r}: {message} (see FTS5 query syntax)"


def _check_exists(store: Store, sql: str, value: str | None, missing: str) -> None:
    if value is not None and store.one(sql, (value,)) is None:
        raise SearchError(f"{missing} {value!r}")
