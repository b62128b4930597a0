"""Which stored articles to read again, so that a live crawl sees their later updates.

An article page is read again once the time since its last read is at least `factor` × the
article's age (its publication time, else when it was first seen), as diffengine decides:
young articles, which change most, are read often, older ones ever more rarely, and none
older than `max_age`, nor twice within `min_interval`. A run reads at most
`budget_per_source` of each source's due articles, the most overdue first: the largest time
since the last read for the article's age (diffengine's ratio), so that under a tight budget
the young articles, whose updates matter most, are not kept waiting by old ones a few hours
past their due time; those wait longer, their ratio grows, and a later run reads them.

The last read is the later of `articles.fetched_at` (set by every read that gave the article,
changed or not), the last try in `article_reads` (a try that gave nothing: an error page,
a timeout) and the last time a page that dates changes showed the article unchanged
(`article_dates`); a page that answered 404 or 410 is gone and never tried again.

Pages that date changes (an Atom entry's `<updated>`, a news sitemap's `<lastmod>`) also make
re-reads needed at once: an article shown changed after its last read is due now
(`dated_rereads`), whatever its age; one shown unchanged needs no blind re-read while such a
page lists it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from newsmon.normalize.dates import parse_iso, utc_iso
from newsmon.store import Store

GONE_STATUSES = (404, 410)

# Age and time since the last read in days (`:now` is the current time). The age expression
# leads the `articles_age` index, which holds the source and `fetched_at` too: only articles
# younger than the limit are read, mostly from the index (the unary `+` keeps SQLite from
# reading every article of the sources by another index instead), and the URLs of the chosen.
DUE_SQL = """
WITH young AS MATERIALIZED (
  SELECT a.id, a.source_id,
    julianday(:now) - julianday(coalesce(a.published_at, a.first_seen)) AS age,
    julianday(:now) - julianday(max(a.fetched_at, coalesce(r.tried_at, ''),
      coalesce(d.unchanged_at, ''))) AS since_read
  FROM articles a LEFT JOIN article_reads r ON r.article_id = a.id
    LEFT JOIN article_dates d ON d.article_id = a.id
  WHERE coalesce(a.published_at, a.first_seen) > :oldest AND a.fetched_at IS NOT NULL
    AND r.gone_since IS NULL AND +a.source_id IN (SELECT value FROM json_each(:sources))
), placed AS (
  SELECT *, since_read / max(age, :minute) AS overdue,
    row_number() OVER (PARTITION BY source_id ORDER BY since_read / max(age, :minute) DESC, id)
      AS place
  FROM young WHERE since_read >= :factor * age AND since_read >= :min_interval
)
SELECT a.url, p.source_id, p.id, p.age, p.since_read
FROM placed p JOIN articles a ON a.id = p.id WHERE p.place <= :budget
ORDER BY p.overdue DESC, p.id
"""


@dataclass(frozen=True)
class Reread:
    """A stored article due to be read again, and why (its age and time since its last read)."""

    url: str
    source: str
    article_id: int
    why: str


def due_rereads(
    store: Store,
    now: datetime,
    *,
    factor: float,
    max_age: timedelta,
    budget_per_source: int,
    min_interval: timedelta,
    sources: Collection[str] | None = None,
) -> list[Reread]:
    """The articles due to be read again at `now` (of `sources`, default all), most overdue
    first, at most `budget_per_source` of each source."""
    if budget_per_source <= 0:
        return []
    if sources is None:
        sources = [row[0] for row in store.conn.execute("SELECT id FROM sources")]
    rows = store.conn.execute(
        DUE_SQL,
        {
            "now": utc_iso(now),
            "oldest": utc_iso(now - max_age),
            "factor": factor,
            "minute": 1 / (24 * 60),
            "min_interval": min_interval / timedelta(days=1),
            "budget": budget_per_source,
            "sources": json.dumps(sorted(sources)),
        },
    ).fetchall()
    return [
        Reread(url, source, int(article_id), f"{_span(age)} old, last read {_span(since)} ago")
        for url, source, article_id, age, since in rows
    ]


# The last read of the stored articles at the URLs `:urls` names (any address each has had).
LAST_READ_SQL = """
SELECT u.url, a.id, a.source_id, a.url, max(a.fetched_at, coalesce(r.tried_at, '')), r.gone_since
FROM json_each(:urls) j JOIN article_urls u ON u.url = j.value
  JOIN articles a ON a.id = u.article_id LEFT JOIN article_reads r ON r.article_id = a.id
WHERE a.fetched_at IS NOT NULL
"""


@dataclass
class DatedRereads:
    """What pages dating changes said of stored articles: the re-reads due now, and the
    articles shown unchanged since their last read."""

    due: list[Reread]
    unchanged: list[int]


def dated_rereads(
    store: Store, changes: Iterable[tuple[str, datetime]], *, budget_per_source: int
) -> DatedRereads:
    """For each (URL, when a page says its article last changed): a re-read when that is
    after the stored article's last read (at most `budget_per_source` of a source: a page
    that dates every entry "now" must not have everything read again), else the article is
    unchanged. URLs of no stored article, and pages gone, are left out; each article is
    named once."""
    changes = list(changes)
    rows = store.conn.execute(LAST_READ_SQL, {"urls": json.dumps([url for url, _ in changes])})
    stored = {row[0]: row[1:] for row in rows}
    found = DatedRereads([], [])
    named: set[int] = set()
    per_source: Counter[str] = Counter()
    for url, changed in changes:
        row = stored.get(url)
        if row is None or row[4] is not None or row[0] in named:
            continue
        article_id, source, stored_url, last_read, _ = row
        named.add(article_id)
        read = parse_iso(last_read)
        if read is None or changed <= read:
            found.unchanged.append(article_id)
        elif per_source[source] < budget_per_source:
            per_source[source] += 1
            why = f"changed {utc_iso(changed)}, after its last read {utc_iso(read)}"
            found.due.append(Reread(stored_url, source, article_id, why))
    return found


def record_unchanged(store: Store, unchanged: Mapping[int, datetime]) -> None:
    """Articles pages dating changes showed unchanged (article → when)."""
    with store.transaction():
        store.conn.executemany(
            """INSERT INTO article_dates (article_id, unchanged_at) VALUES (?, ?)
               ON CONFLICT (article_id) DO UPDATE
               SET unchanged_at = max(unchanged_at, excluded.unchanged_at)""",
            [(article_id, utc_iso(at)) for article_id, at in unchanged.items()],
        )


@dataclass(frozen=True)
class ReadTry:
    """One re-read's outcome: the HTTP status it answered at `tried_at`."""

    article_id: int
    tried_at: str
    status: int | None


def record_tries(store: Store, tries: Iterable[ReadTry]) -> None:
    """Record re-reads' outcomes; one that answered 404 or 410 marks its article gone."""
    with store.transaction():
        store.conn.executemany(
            """INSERT INTO article_reads (article_id, tried_at, status, gone_since)
               VALUES (:id, :at, :status, :gone)
               ON CONFLICT (article_id) DO UPDATE SET tried_at = :at, status = :status,
                 gone_since = coalesce(gone_since, :gone)""",
            [
                {
                    "id": t.article_id,
                    "at": t.tried_at,
                    "status": t.status,
                    "gone": t.tried_at if t.status in GONE_STATUSES else None,
                }
                for t in tries
            ],
        )


def _span(days: float) -> str:
    """A duration in days as people say it: `3 h 20 min`, `2 d 4 h`."""
    minutes = round(days * 24 * 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days_, hours = divmod(hours, 24)
    return f"{days_} d {hours} h" if hours else f"{days_} d"
