"""The store side of every crawl: items in, rows out, one transaction per batch.

Same article: the same canonical URL (or site article id), or the same source showing the same
folded headline with publication dates at most a day apart. Same story: hreflang alternates,
or the story index (near-duplicate text, shared names across languages). An appearance is a
headline seen at a place (page, context); seeing it again only moves `last_seen` and the count.
Every new appearance of a story a watch matched is an event, written in the same transaction.
"""

from __future__ import annotations

import json
import logging
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from newsmon import clock
from newsmon.items import BASES, ArticleItem, HeadlineItem
from newsmon.normalize.text import CACHE_SIZE, match_key
from newsmon.normalize.urls import site_host
from newsmon.semantic import default_embedder
from newsmon.settings_table import environment_value
from newsmon.store import Store, StoreError
from newsmon.store.curation import merge_stories
from newsmon.store.history import (
    Change,
    body_hash,
    headline_key,
    record_change,
    record_version,
    watch_shift,
)
from newsmon.stories import Signature, StoryIndex, signature
from newsmon.watch.watches import WatchSet, mark_story_watched

logger = logging.getLogger(__name__)

Item = ArticleItem | HeadlineItem
SAME_ARTICLE_MAX_DAYS = 1
_EPOCH = date(1970, 1, 1)


@dataclass(slots=True)
class Found:
    """A stored article an item belongs to, and what the write path needs to know of it."""

    article_id: int
    story_id: int
    basis: str | None
    url: str | None = None  # the URL it was found by (None: by site id or headline)
    # Found by URL: the article's headline of the looked-up key (id, last_seen), if stored.
    headline: tuple[int, str] | None = None
    headline_known: bool = False


@dataclass
class SourceCounts:
    """What one crawl did for one source, on the store side."""

    articles: int = 0
    headlines: int = 0
    new_headlines: int = 0
    new_appearances: int = 0
    rejected: int = 0
    articles_without_title: int = 0
    articles_without_date: int = 0
    articles_without_body: int = 0


class StoreWriter:
    """Writes items of one crawl run into the store, in batches."""

    def __init__(
        self,
        store: Store,
        crawl_id: int,
        *,
        watches: WatchSet | None = None,
        stories: StoryIndex | None = None,
        batch_size: int = 500,
        meaning: bool | None = None,
    ) -> None:
        self.store = store
        self.conn = store.conn
        self.crawl_id = crawl_id
        self.watches = watches if watches is not None else WatchSet.load(store)
        self.stories = stories if stories is not None else StoryIndex(store.conn)
        self.batch_size = batch_size
        if meaning is None:
            meaning = environment_value("NEWSMON_STORY_MEANING")
        self.embedder = default_embedder() if meaning else None
        self.counts: defaultdict[str, SourceCounts] = defaultdict(SourceCounts)
        self.new_events = 0
        self._pending: list[Item] = []
        self._site_names: dict[str, frozenset[str]] = {}
        # Moved forward once per transaction (many pages show the same headline or story).
        self._headline_seen: dict[int, str] = {}
        self._story_seen: dict[int, str] = {}  # by article id: merges may move it meanwhile
        # Stories some watch follows: only their new appearances can be events.
        self._watched: set[int] | None = None
        # Page URL -> whether it is the page of an article with other URLs (`_has_aliases`).
        self._aliases: dict[str, bool] = {}

    def write(self, item: Item) -> None:
        """Queue an item; a full batch is written at once."""
        self._pending.append(item)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write the queued items in one transaction.

        If one item cannot be written, the batch is written again item by item so that only
        the faulty item is skipped (and logged), never its neighbours. A fault of the store
        itself (StoreError: disk full, damaged file) is raised at once: no item can be written.
        """
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        before = self._snapshot()
        try:
            self._write_batch(batch)
        except StoreError:
            self._restore(before)
            raise
        except Exception:
            self._restore(before)
            for item in batch:
                checkpoint = self._snapshot()
                try:
                    self._write_batch([item])
                except StoreError:
                    self._restore(checkpoint)
                    raise
                except Exception as error:
                    self._restore(checkpoint)
                    self.counts[item.source].rejected += 1
                    logger.error(
                        "store: item from %s not stored (%s: %s)",
                        getattr(item, "page_url", "?"),
                        type(error).__name__,
                        error,
                    )

    def close(self) -> None:
        """Write whatever is still queued."""
        self.flush()

    # Items ------------------------------------------------------------------------------------

    def _write_batch(self, items: list[Item]) -> None:
        """Write `items` in one transaction, with the `last_seen` moves they made."""
        self._headline_seen.clear()
        self._story_seen.clear()
        self._aliases.clear()
        self._watched = None  # another writer may have changed the watches since
        with self.store.transaction():
            for item in items:
                self._write_item(item)
            self.conn.executemany(
                "UPDATE headlines SET last_seen = max(last_seen, ?) WHERE id = ?",
                [(seen, headline_id) for headline_id, seen in self._headline_seen.items()],
            )
            self.conn.executemany(
                "UPDATE stories SET last_seen = max(last_seen, ?) WHERE id = "
                "(SELECT story_id FROM articles WHERE id = ?)",
                [(seen, article_id) for article_id, seen in self._story_seen.items()],
            )

    def _write_item(self, item: Item) -> None:
        if isinstance(item, ArticleItem):
            self._write_article(item)
        else:
            self._write_headline(item)

    def _write_article(self, item: ArticleItem) -> None:
        self._aliases.clear()  # the article may gain a URL (a move) its page's headlines need
        counts = self.counts[item.source]
        counts.articles += 1
        counts.articles_without_title += not item.title
        counts.articles_without_date += not (item.published_at or item.published_date)
        counts.articles_without_body += not item.body
        title = item.title or ""
        key = self._headline_key(title, item.source)
        body = "\n\n".join(item.body) if item.body else None
        urls = [item.url, item.page_url, *item.previous_urls]
        sig = signature(title, item.lead)
        found = self._find_article(
            item.source, urls, key, item.published_date, item.site_article_id
        )
        created = found is None
        if found is None:
            found = self._create_article(
                embedding=self._embedding(title, item.lead),
                source=item.source,
                url=item.url,
                title=title,
                key=key,
                lang=item.lang,
                published_at=item.published_at,
                published_date=item.published_date,
                published_basis=item.published_basis,
                seen_at=item.fetched_at,
                sig=sig,
            )
        article_id = found.article_id
        stored = self.conn.execute(
            "SELECT url, match_key, body, body_hash, modified_at, first_crawl_id, signature, "
            "fetched_at FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        stored_url, stored_key, stored_body, stored_hash, stored_modified, first_crawl = stored[:6]
        stored_signature, page_read_before = stored[6], stored[7] is not None
        if stored_url != item.url:
            self._record_move(article_id, stored_url, item, counts)
        if key and key != stored_key:
            if first_crawl == self.crawl_id or not page_read_before:
                # The page's title wins over a feed's or a listing's: its first read (in this
                # crawl or a later one, e.g. after a kill) is no rewrite.
                self._set_title(article_id, title, key)
            else:
                self._record_revision(
                    article_id, title, key, item.fetched_at, item.page_url, "article", None
                )
        folded_body = match_key(body)  # hashed, and matched by the watches
        new_hash = body_hash(folded_body) if item.body else None
        record_version(
            self.conn,
            article_id,
            old_body=stored_body,
            old_hash=stored_hash,
            old_modified=stored_modified,
            new_body=item.body,
            new_hash=new_hash,
            new_modified=item.modified_at,
            seen_at=item.fetched_at,
            crawl_id=self.crawl_id,
        )
        self.conn.execute(
            """UPDATE articles SET site_article_id = coalesce(?, site_article_id),
                 lang = coalesce(?, lang), published_at = coalesce(?, published_at),
                 published_date = coalesce(?, published_date),
                 published_basis = coalesce(?, published_basis),
                 modified_at = coalesce(?, modified_at), section = coalesce(?, section),
                 authors = ?, tags = ?, seo_title = ?, lead = coalesce(?, lead),
                 body = coalesce(?, body),
                 body_hash = coalesce(?, body_hash), fetched_at = ?, parser = ?,
                 last_seen = max(last_seen, ?)
               WHERE id = ?""",
            (
                item.site_article_id,
                item.lang,
                item.published_at,
                item.published_date,
                item.published_basis,
                item.modified_at,
                item.section,
                json.dumps(item.authors, ensure_ascii=False),
                json.dumps(item.tags, ensure_ascii=False),
                item.seo_title,
                item.lead,
                body,
                new_hash,
                item.fetched_at,
                item.parser,
                item.fetched_at,
                article_id,
            ),
        )
        if not created and found.url != item.url:
            self._add_url(item.url, article_id, "canonical", item.fetched_at)
        self._add_url(item.page_url, article_id, "fetched", item.fetched_at)
        for url in item.previous_urls:
            self._add_url(url, article_id, "redirect", item.fetched_at)
        self._link_alternates(article_id, item.alternates)
        if item.lead or body:
            if stored_signature != sig.to_bytes():  # created from this item: indexed already
                self.stories.add(
                    article_id,
                    sig,
                    _day_number(item.published_date or item.fetched_at),
                    self._embedding(title, item.lead),
                )
            self._match_watches(
                article_id,
                {"title": title, "lead": item.lead, "body": body},
                {"body": folded_body.split()},
            )

    def _improve_published(self, found: Found, item: HeadlineItem) -> None:
        """Take the headline's publication time when it was obtained in a better way than the
        stored one (an exact feed time beats a listing's "14:34" read against the page date),
        so the result does not depend on which page was read first."""
        if not (item.published_at or item.published_date) or item.published_basis not in BASES:
            return
        if _basis_rank(item.published_basis) >= _basis_rank(found.basis):
            return
        self.conn.execute(
            "UPDATE articles SET published_at = ?, published_date = ?, published_basis = ? "
            "WHERE id = ?",
            (item.published_at, item.published_date, item.published_basis, found.article_id),
        )

    def _write_headline(self, item: HeadlineItem) -> None:
        counts = self.counts[item.source]
        counts.headlines += 1
        key = self._headline_key(item.title, item.source)
        urls = [item.url] if item.url else []
        found = self._find_article(item.source, urls, key, item.published_date, None)
        if found is None:
            found = self._create_article(
                source=item.source,
                url=item.url,
                title=item.title,
                key=key,
                lang=item.lang,
                published_at=item.published_at,
                published_date=item.published_date,
                published_basis=item.published_basis,
                seen_at=item.seen_at,
                sig=signature(item.title, None),
                embedding=self._embedding(item.title, None),
            )
        else:
            if item.url and item.url != found.url:
                self._add_url(item.url, found.article_id, "same-headline", item.seen_at)
            self._improve_published(found, item)
        article_id = found.article_id
        headline_id, new_headline = self._upsert_headline(found, item, key)
        if new_headline:
            counts.new_headlines += 1
            self._match_watches(article_id, {"title": item.title})
        appearance_id = self._upsert_appearance(headline_id, found, item)
        if appearance_id is not None:
            counts.new_appearances += 1
        if new_headline:
            current = self.conn.execute(
                "SELECT match_key, first_crawl_id FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            if current[0] != key and current[1] != self.crawl_id:
                self._record_revision(
                    article_id,
                    item.title,
                    key,
                    item.seen_at,
                    item.page_url,
                    item.context,
                    appearance_id,
                )

    # Articles ---------------------------------------------------------------------------------

    def _find_article(
        self,
        source: str,
        urls: list[str],
        key: str,
        published_date: str | None,
        site_article_id: str | None,
    ) -> Found | None:
        for url in urls:
            # The headline of `key` comes along: a headline seen again needs no query of its own.
            row = self.conn.execute(
                "SELECT u.article_id, a.story_id, a.published_basis, h.id, h.last_seen "
                "FROM article_urls u JOIN articles a ON a.id = u.article_id "
                "LEFT JOIN headlines h ON h.article_id = a.id AND h.match_key = ? "
                "WHERE u.url = ?",
                (key, url),
            ).fetchone()
            if row:
                headline = (int(row[3]), row[4]) if row[3] is not None else None
                return Found(int(row[0]), int(row[1]), row[2], url, headline, True)
        if site_article_id:
            row = self.conn.execute(
                "SELECT id, story_id, published_basis FROM articles "
                "WHERE source_id = ? AND site_article_id = ?",
                (source, site_article_id),
            ).fetchone()
            if row:
                return Found(int(row[0]), int(row[1]), row[2])
        if not key:
            return None
        rows = self.conn.execute(
            """SELECT a.id, a.published_date, a.story_id, a.published_basis
               FROM headlines h JOIN articles a ON a.id = h.article_id
               WHERE h.match_key = ? AND a.source_id = ? ORDER BY a.id DESC LIMIT 20""",
            (key, source),
        ).fetchall()
        for article_id, other_date, story_id, basis in rows:
            if _within_days(published_date, other_date, SAME_ARTICLE_MAX_DAYS):
                return Found(int(article_id), int(story_id), basis)
        return None

    def _create_article(
        self,
        *,
        source: str,
        url: str | None,
        title: str,
        key: str,
        lang: str | None,
        published_at: str | None,
        published_date: str | None,
        published_basis: str | None,
        seen_at: str,
        sig: Signature,
        embedding: bytes | None,
    ) -> Found:
        day = _day_number(published_date or seen_at)
        story_id, evidence = self._story_for(url, sig, embedding, day, source, lang)
        if story_id is None:
            story_id = self._create_story(title, seen_at, published_at)
        cursor = self.conn.execute(
            """INSERT INTO articles (source_id, url, story_id, title, match_key, lang, published_at,
                 published_date, published_basis, first_seen, last_seen, first_crawl_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                source,
                url or f"urn:newsmon:{source}:{key}",
                story_id,
                title,
                key,
                lang,
                published_at,
                published_date,
                published_basis,
                seen_at,
                seen_at,
                self.crawl_id,
            ),
        )
        article_id = int(cursor.lastrowid or 0)
        if url:
            self._add_url(url, article_id, "canonical", seen_at)
        if evidence is not None:
            rule, score, other = evidence
            self._record_evidence(story_id, article_id, other, rule, score)
        self.stories.add(article_id, sig, day, embedding)
        return Found(article_id, story_id, published_basis, url, headline_known=True)  # none yet

    def _embedding(self, title: str, lead: str | None) -> bytes | None:
        """The report's embedding, when stories compare meaning (None for no headline)."""
        if self.embedder is None or not title:
            return None
        return self.embedder.embed(title, lead)

    def _story_for(
        self,
        url: str | None,
        sig: Signature,
        embedding: bytes | None,
        day: int,
        source: str,
        lang: str | None,
    ) -> tuple[int | None, tuple[str, float, int] | None]:
        if url:
            row = self.conn.execute(
                """SELECT a.story_id, a.id FROM alternate_links l JOIN articles a
                   ON a.id = l.article_id WHERE l.url = ?""",
                (url,),
            ).fetchone()
            if row:
                return int(row[0]), ("hreflang", 1.0, int(row[1]))
        found = self.stories.find(sig, day, source_id=source, lang=lang, embedding=embedding)
        if found is None:
            return None, None
        return found.story_id, (found.rule, found.score, found.other_article_id)

    def _create_story(self, title: str, seen_at: str, published_at: str | None) -> int:
        cursor = self.conn.execute(
            """INSERT INTO stories (title, first_seen, last_seen, published_at, first_crawl_id)
               VALUES (?, ?, ?, ?, ?)""",
            (title, seen_at, seen_at, published_at, self.crawl_id),
        )
        return int(cursor.lastrowid or 0)

    def _add_url(self, url: str | None, article_id: int, how: str, seen_at: str) -> None:
        if url:
            self.conn.execute(
                "INSERT OR IGNORE INTO article_urls (url, article_id, how, first_seen) "
                "VALUES (?, ?, ?, ?)",
                (url, article_id, how, seen_at),
            )

    def _record_evidence(
        self, story_id: int, article_id: int, other: int | None, rule: str, score: float
    ) -> None:
        self.conn.execute(
            """INSERT INTO story_evidence (story_id, article_id, other_article_id, rule, score,
                 created_at) VALUES (?, ?, ?, ?, ?, ?)""",
            (story_id, article_id, other, rule, score, _now()),
        )

    # Stories ----------------------------------------------------------------------------------

    def _link_alternates(self, article_id: int, alternates: dict[str, str]) -> None:
        story_id = self._story_of(article_id)
        for lang, url in sorted(alternates.items()):
            self.conn.execute(
                "INSERT OR IGNORE INTO alternate_links (url, article_id, lang) VALUES (?, ?, ?)",
                (url, article_id, lang),
            )
            row = self.conn.execute(
                """SELECT a.id, a.story_id FROM article_urls u JOIN articles a
                   ON a.id = u.article_id WHERE u.url = ?""",
                (url,),
            ).fetchone()
            if row and int(row[1]) != story_id and int(row[0]) != article_id:
                story_id = merge_stories(self.store, story_id, int(row[1]), self.crawl_id)
                self._watched = None
                self._record_evidence(story_id, int(row[0]), article_id, "hreflang", 1.0)

    def _story_of(self, article_id: int) -> int:
        row = self.conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,))
        return int(row.fetchone()[0])

    # Headlines and appearances ---------------------------------------------------------------

    def _upsert_headline(self, found: Found, item: HeadlineItem, key: str) -> tuple[int, bool]:
        article_id = found.article_id
        if found.headline_known:
            row = found.headline
        else:
            row = self.conn.execute(
                "SELECT id, last_seen FROM headlines WHERE article_id = ? AND match_key = ?",
                (article_id, key),
            ).fetchone()
        if row:
            headline_id = int(row[0])
            if item.seen_at > max(row[1], self._headline_seen.get(headline_id, "")):
                self._headline_seen[headline_id] = item.seen_at
            return headline_id, False
        cursor = self.conn.execute(
            """INSERT INTO headlines (article_id, title, match_key, lang, first_seen, last_seen,
                 first_crawl_id) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            (article_id, item.title, key, item.lang, item.seen_at, item.seen_at, self.crawl_id),
        )
        return int(cursor.lastrowid or 0), True

    def _upsert_appearance(self, headline_id: int, found: Found, item: HeadlineItem) -> int | None:
        if item.context == "article":
            # An article's own page is one place whatever URL it is read at (moves, aliases).
            row = self.conn.execute(
                """SELECT id, last_crawl_id FROM appearances
                   WHERE headline_id = ? AND context = 'article'""",
                (headline_id,),
            ).fetchone()
            if row:
                self._seen_again(row, item)
                return None
        elif self._has_aliases(item.page_url):
            # A page that moved (or is read at an alias) is the same place: its headlines are
            # seen again there, not new appearances.
            row = self.conn.execute(
                """SELECT ap.id, ap.last_crawl_id FROM article_urls page
                   JOIN article_urls other ON other.article_id = page.article_id
                   JOIN appearances ap ON ap.headline_id = ? AND ap.page_url = other.url
                     AND ap.context = ?
                   WHERE page.url = ? ORDER BY ap.id LIMIT 1""",
                (headline_id, item.context, item.page_url),
            ).fetchone()
            if row:
                self._seen_again(row, item)
                return None
        # Most appearances are new: the insert comes first, the lookup only when it was not.
        cursor = self.conn.execute(
            """INSERT INTO appearances (headline_id, article_id, source_id, page_url, context,
                 section, published_at, published_date, published_basis, first_seen, last_seen,
                 first_crawl_id, last_crawl_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (headline_id, page_url, context) DO NOTHING""",
            (
                headline_id,
                found.article_id,
                item.source,
                item.page_url,
                item.context,
                item.section,
                item.published_at,
                item.published_date,
                item.published_basis,
                item.seen_at,
                item.seen_at,
                self.crawl_id,
                self.crawl_id,
            ),
        )
        if not cursor.rowcount:
            row = self.conn.execute(
                """SELECT id, last_crawl_id FROM appearances
                   WHERE headline_id = ? AND page_url = ? AND context = ?""",
                (headline_id, item.page_url, item.context),
            ).fetchone()
            self._seen_again(row, item)
            return None
        appearance_id = int(cursor.lastrowid or 0)
        if item.seen_at > self._story_seen.get(found.article_id, ""):
            self._story_seen[found.article_id] = item.seen_at
        if found.story_id not in self._watched_stories():
            return appearance_id
        self.new_events += self.conn.execute(
            """INSERT OR IGNORE INTO events (watch, kind, appearance_id, article_id, story_id,
                 created_at, crawl_id)
               SELECT ws.watch, 'appearance', ?, a.id, a.story_id, ?, ?
               FROM articles a JOIN watch_stories ws ON ws.story_id = a.story_id
               WHERE a.id = ?""",
            (appearance_id, _now(), self.crawl_id, found.article_id),
        ).rowcount
        return appearance_id

    def _has_aliases(self, page_url: str) -> bool:
        """Whether `page_url` is the page of an article known at other URLs too (earlier URLs
        of a page that moved, aliases); never for a page that is no article's (a feed, a
        listing)."""
        known = self._aliases.get(page_url)
        if known is None:
            known = self._aliases[page_url] = (
                self.conn.execute(
                    """SELECT 1 FROM article_urls page JOIN article_urls other
                       ON other.article_id = page.article_id AND other.url != page.url
                       WHERE page.url = ? LIMIT 1""",
                    (page_url,),
                ).fetchone()
                is not None
            )
        return known

    def _seen_again(self, appearance: tuple[int, int], item: HeadlineItem) -> None:
        """A known appearance seen by this crawl: once a crawl, its count and last_seen move."""
        appearance_id, last_crawl_id = appearance
        if last_crawl_id != self.crawl_id:
            self.conn.execute(
                """UPDATE appearances SET last_seen = max(last_seen, ?),
                     times_seen = times_seen + 1, last_crawl_id = ? WHERE id = ?""",
                (item.seen_at, self.crawl_id, appearance_id),
            )

    def _watched_stories(self) -> set[int]:
        if self._watched is None:
            self._watched = {
                row[0] for row in self.conn.execute("SELECT DISTINCT story_id FROM watch_stories")
            }
        return self._watched

    # History ----------------------------------------------------------------------------------

    def _headline_key(self, title: str, source: str) -> str:
        names = self._site_names.get(source)
        if names is None:
            row = self.conn.execute(
                "SELECT name, home_url FROM sources WHERE id = ?", (source,)
            ).fetchone()
            found = {source}
            if row:
                found.add(row[0])
                if row[1]:
                    found.add(site_host(row[1]))
            names = self._site_names[source] = frozenset(found)
        return _site_headline_key(title, names)

    def _set_title(self, article_id: int, title: str, key: str) -> None:
        self.conn.execute(
            "UPDATE articles SET title = ?, match_key = ? WHERE id = ?", (title, key, article_id)
        )

    def _record_revision(
        self,
        article_id: int,
        title: str,
        key: str,
        seen_at: str,
        page_url: str,
        context: str,
        appearance_id: int | None,
    ) -> None:
        """The article is seen with a new headline: record it, and tell the story's watches."""
        old_title, story_id = self.conn.execute(
            "SELECT title, story_id FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        shift = watch_shift(self.watches, old_title, title)
        details = {"old": old_title, "new": title, **shift}
        record_change(
            self.conn,
            Change(
                article_id,
                "headline",
                old_title,
                title,
                seen_at,
                self.crawl_id,
                page_url,
                context,
                details,
            ),
        )
        self._set_title(article_id, title, key)
        self._match_watches(article_id, {"title": title})
        self._story_events(story_id, article_id, "revision", appearance_id, details)

    def _record_move(
        self, article_id: int, old_url: str, item: ArticleItem, counts: SourceCounts
    ) -> None:
        """The article now lives at another URL: one article, both URLs known."""
        owner = self.conn.execute(
            "SELECT article_id FROM article_urls WHERE url = ?", (item.url,)
        ).fetchone()
        if owner is not None and owner[0] != article_id:
            logger.warning(
                "store: %s moved to %s, which is another article; not merged", old_url, item.url
            )
            return
        via = (
            "redirect"
            if old_url in item.previous_urls
            else ("site-id" if item.site_article_id else "canonical")
        )
        details: dict[str, object] = {"old": old_url, "new": item.url, "via": via}
        record_change(
            self.conn,
            Change(
                article_id,
                "move",
                old_url,
                item.url,
                item.fetched_at,
                self.crawl_id,
                item.page_url,
                "article",
                details,
            ),
        )
        self.conn.execute("UPDATE articles SET url = ? WHERE id = ?", (item.url, article_id))
        story_id = self.conn.execute(
            "SELECT story_id FROM articles WHERE id = ?", (article_id,)
        ).fetchone()[0]
        self._story_events(story_id, article_id, "move", None, details, moves_only=True)

    def _story_events(
        self,
        story_id: int,
        article_id: int,
        kind: str,
        appearance_id: int | None,
        details: dict[str, object],
        *,
        moves_only: bool = False,
    ) -> None:
        """One event of `kind` for each watch of the story (moves: only watches that ask)."""
        watches = [
            row[0]
            for row in self.conn.execute(
                "SELECT ws.watch, w.options FROM watch_stories ws "
                "JOIN watches w ON w.name = ws.watch WHERE ws.story_id = ?",
                (story_id,),
            )
            if not moves_only or json.loads(row[1]).get("alert_moves")
        ]
        for watch in watches:
            self.new_events += self.conn.execute(
                """INSERT INTO events (watch, kind, appearance_id, article_id, story_id,
                     created_at, crawl_id, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    watch,
                    kind,
                    appearance_id,
                    article_id,
                    story_id,
                    _now(),
                    self.crawl_id,
                    json.dumps(details, ensure_ascii=False, sort_keys=True),
                ),
            ).rowcount

    # Watches ----------------------------------------------------------------------------------

    def _match_watches(
        self,
        article_id: int,
        fields: dict[str, str | None],
        folded: dict[str, list[str]] | None = None,
    ) -> None:
        if not self.watches:
            return
        story_id = self._story_of(article_id)
        for watch_name, found in self.watches.matches(fields, folded):
            self.new_events += mark_story_watched(
                self.store, watch_name, story_id, article_id, found, fields, self.crawl_id
            )
            if self._watched is not None:
                self._watched.add(story_id)

    # Counters ---------------------------------------------------------------------------------

    def _snapshot(self) -> tuple[dict[str, SourceCounts], int]:
        copied = {source: SourceCounts(**vars(c)) for source, c in self.counts.items()}
        return copied, self.new_events

    def _restore(self, snapshot: tuple[dict[str, SourceCounts], int]) -> None:
        counts, self.new_events = snapshot
        self.counts = defaultdict(SourceCounts, counts)

    def totals(self) -> Counter[str]:
        """All sources' counts added up."""
        return added_up(self.counts)


def added_up(counts: Mapping[str, SourceCounts]) -> Counter[str]:
    """Every source's counts, added up."""
    total: Counter[str] = Counter()
    for source_counts in counts.values():
        total.update(vars(source_counts))
    return total


@lru_cache(maxsize=CACHE_SIZE)
def _site_headline_key(title: str, site_names: frozenset[str]) -> str:
    """`headline_key`, kept: a headline is written once for every page that shows it."""
    return headline_key(title, site_names)


def _now() -> str:
    return clock.now_iso()


def _day_number(iso: str) -> int:
    return (date.fromisoformat(iso[:10]) - _EPOCH).days


def _basis_rank(basis: str | None) -> int:
    """How good a way of obtaining a publication time is (lower is better; none is worst)."""
    return BASES.index(basis) if basis in BASES else len(BASES)


def _within_days(first: str | None, second: str | None, days: int) -> bool:
    if not first or not second:
        return True
    return abs(_day_number(first) - _day_number(second)) <= days
