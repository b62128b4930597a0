"""Source health: notice when a site changed and its spider silently stopped finding headlines.

After each run every crawled source gets a verdict from what its pages gave (per page kind),
compared with its recent healthy runs:

- no page answered (every request failed or was refused): the site is down or blocks us;
- a feed or listing page answered but gave no headline (where such pages usually give some,
  or the first time it is seen): its selectors no longer match;
- articles suddenly lack a title, publication date or body they used to have (the first time:
  every article without a title or body);
- the site refuses newsmon: 403 or 429 on most requests, challenge pages (a bot check, a
  captcha, a consent wall) on most pages, or most article and listing pages carry their text
  only in scripts (`newsmon.crawl.refusals`). A refusal explains everything else the run
  lacked, so it is the only reason given; such a source is crawled again by `newsmon run` only
  `NEWSMON_REFUSED_RETRY_HOURS` after its last attempt (`backing_off`).

A run that parsed nothing (every page not modified, every article already stored) changes
nothing. A source turning unhealthy is reported once, its recovery once (`pending_notices`,
`mark_notified`); `source_health` keeps the state and reason meanwhile.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from newsmon.clock import now, now_iso
from newsmon.normalize.dates import parse_iso
from newsmon.normalize.text import printable
from newsmon.store import Store

if TYPE_CHECKING:
    from newsmon.store.writer import SourceCounts

OK = "ok"
UNHEALTHY = "unhealthy"
UNCHANGED = "unchanged"
HISTORY = 10

# Page kinds whose pages exist to list headlines: one that lists none is broken.
LISTING_KINDS = ("feed", "listing")
FIELDS = {"title": "title", "date": "publication date", "body": "body text"}
# "Suddenly": at least half of this run's articles lack a field that at most a tenth of the
# articles of earlier healthy runs lacked.
MISSING_NOW = 0.5
MISSING_BEFORE = 0.1
_SELECTORS = "selectors may no longer match"
# A site refuses newsmon when it refuses more than this share of requests (or pages).
MOST = 0.5
REFUSING_CODES = {"403": "refuses newsmon", "429": "rate-limited"}


@dataclass
class RunCounts:
    """What one crawl did for one source, as `crawl_sources` recorded it."""

    pages: int = 0
    errors: int = 0
    missing: int = 0
    headlines: int = 0
    articles: int = 0
    codes: dict[str, int] = field(default_factory=dict)
    without: dict[str, int] | None = None
    not_modified: int = 0
    known_articles: int = 0
    kinds: dict[str, dict[str, int]] = field(default_factory=dict)
    # {"challenge": {vendor: pages}, "script_only": {page kind: pages}}
    refused: dict[str, dict[str, int]] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RunCounts:
        """The counts of a `crawl_sources` row."""
        without = None
        if row.get("articles_without_title") is not None:
            without = {name: row[f"articles_without_{name}"] or 0 for name in FIELDS}
        return cls(
            pages=row["pages"],
            errors=row["errors"],
            missing=row["missing"],
            headlines=row["headlines"],
            articles=row["articles"],
            codes=json.loads(row["status_codes"] or "{}"),
            without=without,
            not_modified=row.get("not_modified") or 0,
            known_articles=row.get("known_articles") or 0,
            kinds=json.loads(row.get("page_kinds") or "{}"),
            refused=json.loads(row.get("refused_pages") or "{}"),
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunCounts:
        """Counts saved with `to_json`."""
        return cls(
            pages=data.get("pages", 0),
            errors=data.get("errors", 0),
            missing=data.get("missing", 0),
            headlines=data.get("headlines", 0),
            articles=data.get("articles", 0),
            codes=data.get("status_codes", {}),
            without=data.get("articles_without"),
            not_modified=data.get("not_modified", 0),
            known_articles=data.get("known_articles", 0),
            kinds=data.get("page_kinds", {}),
            refused=data.get("refused_pages", {}),
        )

    @property
    def answered(self) -> int:
        """Pages the site answered (2xx or 304); a missing replay fixture is answered 404."""
        return sum(n for code, n in self.codes.items() if code.startswith("2") or code == "304")

    @property
    def parsed(self) -> int:
        """Pages that reached their parser."""
        return sum(kind.get("parsed", 0) for kind in self.kinds.values())

    def kind(self, name: str) -> dict[str, int]:
        """The counts of one page kind (`parsed`, `headlines`, `empty`)."""
        return self.kinds.get(name, {})

    def summary(self) -> str:
        """One line: pages with their statuses, headlines, articles and what they lacked."""
        codes = ", ".join(f"{code}×{n}" for code, n in sorted(self.codes.items()))
        parts = [f"{self.pages} pages" + (f" ({codes})" if codes else "")]
        if self.errors:
            parts.append(f"{self.errors} errors")
        parts.append(f"{self.headlines} headlines")
        articles = f"{self.articles} articles"
        lacking = [f"{n} without {name}" for name, n in (self.without or {}).items() if n]
        parts.append(articles + (f" ({', '.join(lacking)})" if lacking else ""))
        if self.known_articles:
            parts.append(f"{self.known_articles} known articles skipped")
        for name, label in (("challenge", "challenge"), ("script_only", "script-only")):
            if refused := sum(self.refused.get(name, {}).values()):
                parts.append(f"{refused} {label} pages")
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        """The counts as JSON-ready data."""
        return {
            "pages": self.pages,
            "status_codes": self.codes,
            "errors": self.errors,
            "missing": self.missing,
            "headlines": self.headlines,
            "articles": self.articles,
            "articles_without": self.without,
            "not_modified": self.not_modified,
            "known_articles": self.known_articles,
            "page_kinds": self.kinds,
            "refused_pages": self.refused,
        }


@dataclass(frozen=True)
class Verdict:
    """A run's verdict on a source: `ok`, `unhealthy` (with reasons) or `unchanged`."""

    state: str
    reasons: tuple[str, ...] = ()

    @property
    def reason(self) -> str | None:
        """The reasons as one line."""
        return "; ".join(self.reasons) or None


def judge(run: RunCounts, history: list[RunCounts]) -> Verdict:
    """The verdict on one run of a source, given its recent healthy runs (newest first)."""
    refusals = refusal_reasons(run)
    if refusals:
        return Verdict(UNHEALTHY, tuple(refusals))
    if run.answered <= 0 and (run.errors or run.pages):
        return Verdict(UNHEALTHY, (_nothing_answered(run),))
    reasons = _empty_pages(run, history) + _missing_fields(run, history)
    if reasons:
        return Verdict(UNHEALTHY, tuple(reasons))
    return Verdict(OK if run.parsed else UNCHANGED)


def refusal_reasons(run: RunCounts) -> list[str]:
    """How the site refused newsmon in this run, if it did: most requests answered 403 or 429,
    most pages a challenge, most article and listing pages script-only."""
    reasons = [
        f"{label}: {code} on {run.codes[code]} of {run.pages} requests"
        for code, label in REFUSING_CODES.items()
        if run.codes.get(code, 0) > MOST * run.pages
    ]
    challenges = run.refused.get("challenge", {})
    pages = sum(challenges.values())
    if pages and pages >= MOST * (run.parsed + run.errors):
        vendors = ", ".join(sorted(challenges))
        reasons.append(f"challenge page ({vendors}) on {pages} page{'' if pages == 1 else 's'}")
    shells = run.refused.get("script_only", {})
    read = sum(run.kind(kind).get("parsed", 0) for kind in shells)
    if shells and sum(shells.values()) >= MOST * read:
        counts = ", ".join(
            f"{_pages(n, kind)} not {'stored' if kind == 'article' else 'read'}"
            for kind, n in sorted(shells.items())
        )
        reasons.append(f"pages carry their text only in scripts (JavaScript-only): {counts}")
    return reasons


def _nothing_answered(run: RunCounts) -> str:
    # The codes count every answer, retries included; `errors` counts the pages given up.
    answers = ", ".join(f"HTTP {code} ×{n}" for code, n in sorted(run.codes.items()))
    given_up = f"{run.errors} pages given up" if run.errors else ""
    failures = "; ".join(filter(None, (answers, given_up)))
    return f"no page answered ({failures}): the site may be down or refusing newsmon"


def _empty_pages(run: RunCounts, history: list[RunCounts]) -> list[str]:
    reasons = []
    for name in LISTING_KINDS:
        counts = run.kind(name)
        empty = counts.get("empty", 0)
        if not empty:
            continue
        earlier = [past.kind(name) for past in history if past.kind(name).get("parsed")]
        if earlier and (_usual([past.get("empty", 0) for past in earlier]) or 0) >= empty:
            continue  # this kind of page is often empty on this source
        usual = _usual([past.get("headlines", 0) for past in earlier])
        what = (
            f"0 headlines from {_pages(counts['parsed'], name)}"
            if empty == counts["parsed"]
            else f"{empty} of {_pages(counts['parsed'], name)} gave no headline"
        )
        reasons.append(f"{what}{_usually(usual)}: {_SELECTORS}")
    return reasons


def _missing_fields(run: RunCounts, history: list[RunCounts]) -> list[str]:
    if not run.articles or run.without is None:
        return []
    earlier = [past for past in history if past.articles and past.without is not None]
    seen = sum(past.articles for past in earlier)
    reasons = []
    for name, label in FIELDS.items():
        lacking = run.without[name]
        if lacking == 0 or lacking < MISSING_NOW * run.articles:
            continue
        lacked = sum((past.without or {})[name] for past in earlier)
        if seen and lacked <= MISSING_BEFORE * seen:
            reasons.append(
                f"{lacking} of {run.articles} articles without {label} "
                f"(earlier runs: {lacked} of {seen}): {_SELECTORS}"
            )
        elif not seen and name != "date" and lacking == run.articles:
            reasons.append(f"{lacking} of {run.articles} articles without {label}: {_SELECTORS}")
    return reasons


def _usual(values: list[int]) -> int | None:
    return round(statistics.median(values)) if values else None


def _usually(usual: int | None) -> str:
    return "" if usual is None else f" (usually {usual})"


def _pages(count: int, kind: str) -> str:
    return f"{count} {kind} page{'' if count == 1 else 's'}"


# Recording ----------------------------------------------------------------------------------


def record_page_counts(
    store: Store, crawl_id: int, source: str, counts: SourceCounts, stats: Mapping[str, Any]
) -> None:
    """Add one spider's health counts to the source's `crawl_sources` row (which must exist).

    `counts` are the store side's (articles lacking fields), `stats` the crawl's stats
    (`newsmon/source/<id>/…`: not_modified, known_articles, kind/<kind>/<count>,
    challenge/<vendor>, script_only/<kind>).
    """
    prefix = f"newsmon/source/{source}/"
    row = store.one(
        "SELECT page_kinds, refused_pages FROM crawl_sources WHERE crawl_id = ? AND source_id = ?",
        (crawl_id, source),
    )
    kinds: dict[str, dict[str, int]] = json.loads((row[0] if row else None) or "{}")
    refused: dict[str, dict[str, int]] = json.loads((row[1] if row else None) or "{}")
    for key, value in stats.items():
        if not key.startswith(prefix):
            continue
        group, _, rest = key[len(prefix) :].partition("/")
        if group == "kind":
            kind, count = rest.split("/", 1)
            totals = kinds.setdefault(kind, {})
            totals[count] = totals.get(count, 0) + value
        elif group in ("challenge", "script_only") and rest:
            totals = refused.setdefault(group, {})
            totals[rest] = totals.get(rest, 0) + value
    store.conn.execute(
        """UPDATE crawl_sources SET
             articles_without_title = coalesce(articles_without_title, 0) + ?,
             articles_without_date = coalesce(articles_without_date, 0) + ?,
             articles_without_body = coalesce(articles_without_body, 0) + ?,
             not_modified = coalesce(not_modified, 0) + ?,
             known_articles = coalesce(known_articles, 0) + ?,
             page_kinds = ?, refused_pages = ?
           WHERE crawl_id = ? AND source_id = ?""",
        (
            counts.articles_without_title,
            counts.articles_without_date,
            counts.articles_without_body,
            stats.get(prefix + "not_modified", 0),
            stats.get(prefix + "known_articles", 0),
            json.dumps(kinds, sort_keys=True),
            json.dumps(refused, sort_keys=True) if refused else None,
            crawl_id,
            source,
        ),
    )


# State ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """A change of a source's health not reported yet."""

    source: str
    state: str
    reason: str | None
    since: str
    last_run: str

    def line(self) -> str:
        """One line for cron mail (`printable`: a reason may quote what a page said)."""
        if self.state == UNHEALTHY:
            return printable(f"[health] {self.source}: {self.reason}")
        return printable(f"[health] {self.source}: working again ({self.last_run})")


def update_health(store: Store, crawl_id: int, *, history: int = HISTORY) -> dict[str, Verdict]:
    """Judge every source of crawl `crawl_id` and update `source_health`; the verdicts."""
    crawl = store.one("SELECT started_at FROM crawls WHERE id = ?", (crawl_id,))
    when = crawl[0] if crawl else now_iso()
    verdicts = {}
    with store.transaction():
        rows = store.rows("SELECT * FROM crawl_sources WHERE crawl_id = ?", (crawl_id,))
        for row in rows:
            source = row["source_id"]
            run = RunCounts.from_row(row)
            verdict = judge(run, recent_history(store, source, crawl_id, history))
            verdicts[source] = verdict
            store.conn.execute(
                "UPDATE crawl_sources SET health = ? WHERE crawl_id = ? AND source_id = ?",
                (verdict.state, crawl_id, source),
            )
            _set_state(store, source, verdict, run, crawl_id, when)
    return verdicts


def recent_history(store: Store, source: str, before: int, limit: int) -> list[RunCounts]:
    """The source's last `limit` healthy runs before crawl `before` that parsed pages.

    Runs recorded without a verdict (e.g. by `newsmon crawl`) count when they pass on their own.
    """
    found: list[RunCounts] = []
    rows = store.conn.execute(
        """SELECT cs.* FROM crawl_sources cs JOIN crawls c ON c.id = cs.crawl_id
           WHERE cs.source_id = ? AND cs.crawl_id < ? AND c.status = 'ok' AND cs.status = 'ok'
             AND coalesce(cs.health, 'ok') = 'ok' AND cs.page_kinds IS NOT NULL
           ORDER BY cs.crawl_id DESC""",
        (source, before),
    )
    names = [column[0] for column in rows.description]
    for values in rows:
        row = dict(zip(names, values, strict=True))
        run = RunCounts.from_row(row)
        if row["health"] is None and judge(run, []).state != OK:
            continue
        found.append(run)
        if len(found) == limit:
            break
    return found


def _set_state(
    store: Store, source: str, verdict: Verdict, run: RunCounts, crawl_id: int, when: str
) -> None:
    rows = store.rows("SELECT * FROM source_health WHERE source_id = ?", (source,))
    old: dict[str, Any] = (
        rows[0] if rows else {"state": OK, "reported": 1, "since": when, "reason": None}
    )
    state, reported, since, reason = old["state"], old["reported"], old["since"], old["reason"]
    last_success = old.get("last_success")
    if verdict.state == UNHEALTHY:
        if state != UNHEALTHY:
            state, reported, since = UNHEALTHY, 0, when
        reason = verdict.reason
    elif verdict.state == OK and state == UNHEALTHY:
        # Recovered: worth a notice only if the failure itself was reported.
        state, reported, since, reason = OK, 1 - reported, when, None
    if state == OK:
        last_success = when
    store.conn.execute(
        """INSERT OR REPLACE INTO source_health (source_id, state, reason, since, last_success,
             last_crawl_id, last_run, reported, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            source,
            state,
            reason,
            since,
            last_success,
            crawl_id,
            json.dumps(run.to_json(), sort_keys=True),
            reported,
            now_iso(),
        ),
    )


def pending_notices(store: Store) -> list[Notice]:
    """Health changes not reported yet, by source."""
    return [
        Notice(
            row["source_id"],
            row["state"],
            row["reason"],
            row["since"],
            RunCounts.from_json(json.loads(row["last_run"])).summary(),
        )
        for row in store.rows("SELECT * FROM source_health WHERE reported = 0 ORDER BY source_id")
    ]


def mark_notified(store: Store, notices: list[Notice]) -> None:
    """Remember that `notices` were reported (a later change is reported again)."""
    with store.transaction():
        for notice in notices:
            store.conn.execute(
                "UPDATE source_health SET reported = 1 WHERE source_id = ? AND state = ?",
                (notice.source, notice.state),
            )


def health_report(store: Store) -> list[dict[str, Any]]:
    """Every known source's health: state, since, last success, last run's counts, reason."""
    rows = store.rows(
        """SELECT s.id AS source, coalesce(h.state, 'unknown') AS state, h.since,
             h.last_success, h.last_crawl_id, h.last_run, h.reason
           FROM sources s LEFT JOIN source_health h ON h.source_id = s.id
           ORDER BY s.id"""
    )
    for row in rows:
        counts = json.loads(row.pop("last_run") or "{}")
        row["last_run"] = counts
        row["last_run_summary"] = RunCounts.from_json(counts).summary() if counts else None
    return rows


# Back-off --------------------------------------------------------------------------------------


def refused_sources(store: Store) -> dict[str, str]:
    """The sources whose current health is a refusal (`refusal_reasons`), with the reason."""
    rows = store.rows(
        "SELECT source_id, reason, last_run FROM source_health WHERE state = ? ORDER BY source_id",
        (UNHEALTHY,),
    )
    return {
        row["source_id"]: row["reason"]
        for row in rows
        if refusal_reasons(RunCounts.from_json(json.loads(row["last_run"])))
    }


def backing_off(store: Store, retry: timedelta) -> dict[str, str]:
    """The refused sources not to crawl now: their last attempt was less than `retry` ago.
    Source → its reason and when it is tried again."""
    refused = refused_sources(store)
    if not refused or retry <= timedelta(0):
        return {}
    rows = store.rows(
        """SELECT sh.source_id, c.started_at FROM source_health sh
           JOIN crawls c ON c.id = sh.last_crawl_id"""
    )
    waiting = {}
    for row in rows:
        tried = parse_iso(row["started_at"])
        if row["source_id"] in refused and tried is not None and now() < tried + retry:
            again = (tried + retry).isoformat(timespec="seconds")
            waiting[row["source_id"]] = f"{refused[row['source_id']]} (tried again from {again})"
    return waiting
