"""Rebuild benchmarks/data/stories/semeval8.jsonl from SemEval-2022 Task 8 material (by hand).

SemEval-2022 Task 8 ("Multilingual News Article Similarity") rated pairs of real news
articles, same- and cross-language, on a 1 (same) to 4 (different) scale; an `Overall` score
of at most 1.5 means the two report the same story. The organisers published the pairs as
links; two public repositories hold what this script joins:

* texts: GeekDream-x/SemEval2022-Task8-TonyX, `data/training_set.csv` and
  `data/testing_set.csv` (pair id, languages, scraped text = headline + body, the ratings);
  rows whose pair id carries a language suffix are that team's machine translations and are
  left out: only the scraped originals are kept.
* links: TamaraAtanasoska/ANLP_21-22_Final_Project,
  `data/semeval-2022_task8_train-data_batch_2.csv` and `data/final_evaluation_data.csv`
  (pair id and the two article URLs).

Events are the connected components of the same-story pairs (Overall <= 1.5); pairs rated
above 1.5 and below 2.5 are ambiguous and dropped. A pair rated >= 2.5 whose `Entities` score
is <= 2 (the raters saw the same people, places or organisations) is a hard negative: same
actors, another event; each item lists those partners in `hard_negative_of`, and every
partner rated >= 2.5 in `rated_different`. Copies rated in different pairs are merged and
scraper boilerplate dropped (`merge_copies`).

`published` is the date in the article's URL when it has one; otherwise it is interpolated from
the dated articles by article id (the task's ids grow with crawl time), and `published_basis`
says which. The split is fixed by event: `heldout` when the first hex digit of
sha1(event id) is below 4 (a quarter of the events), else `dev`.

    python benchmarks/build_stories_set.py --texts DIR --links DIR [--out PATH]
"""

from __future__ import annotations

import argparse
import bisect
import csv
import hashlib
import json
import re
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "data" / "stories" / "semeval8.jsonl"
TEXT_FILES = ("training_set.csv", "testing_set.csv")
LINK_FILES = ("semeval-2022_task8_train-data_batch_2.csv", "final_evaluation_data.csv")
TEXTS_ORIGIN = "github:GeekDream-x/SemEval2022-Task8-TonyX/data/"
LINKS_ORIGIN = "github:TamaraAtanasoska/ANLP_21-22_Final_Project/data/"
SAME_STORY_MAX = 1.5
DIFFERENT_STORY_MIN = 2.5
SHARED_ACTORS_MAX = 2.0
HELDOUT_HEX_DIGITS = "0123"
MAX_TITLE_WORDS = 30
MAX_LEAD_WORDS = 60
MIN_COPY_WORDS = 4
BOILERPLATE_COPIES = 3
ORIGINAL_PAIR = re.compile(r"\d+_\d+")
URL_DATE = re.compile(r"(?<!\d)(20[12]\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?!\d)")
SENTENCE_END = re.compile(r"(?<=[.!?؟。])\s+")


def read_csv(path: Path) -> list[dict[str, str]]:
    """The rows of a CSV file with long fields."""
    csv.field_size_limit(1 << 30)
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def first_sentence(text: str, max_words: int) -> str:
    """The first sentence of `text`, cut at `max_words` words."""
    sentence = SENTENCE_END.split(text.strip(), maxsplit=1)[0]
    return " ".join(sentence.split()[:max_words])


def split_text(text: str) -> tuple[str, str, str]:
    """Headline, lead and how the headline was found in a scraped `title + body` text.

    The scraper wrote the headline then a newline (`newline`) or two spaces (`double_space`);
    texts with neither give their first sentence as the headline (`first_sentence`)."""
    head = text[:600]
    for separator, basis in (("\n", "newline"), ("  ", "double_space")):
        position = head.find(separator, 1)
        if position > 0 and text[:position].strip():
            title = " ".join(text[:position].split())
            return title, first_sentence(text[position:], MAX_LEAD_WORDS), basis
    title = first_sentence(text, MAX_TITLE_WORDS)
    rest = text.strip()[len(SENTENCE_END.split(text.strip(), maxsplit=1)[0]) :]
    return title, first_sentence(rest, MAX_LEAD_WORDS), "first_sentence"


def url_date(url: str) -> str | None:
    """The publication date written in an article URL, if any."""
    match = URL_DATE.search(urlsplit(url).path)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def outlet(url: str) -> str:
    """The outlet of an article URL: its host without `www.`."""
    host = urlsplit(url).hostname or "unknown"
    return host.removeprefix("www.")


class Components:
    """Union-find over article ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, node: str) -> str:
        """The representative of `node`'s component."""
        self.parent.setdefault(node, node)
        while self.parent[node] != node:
            self.parent[node] = self.parent[self.parent[node]]
            node = self.parent[node]
        return node

    def union(self, first: str, second: str) -> None:
        """Put both nodes in one component (the smaller id represents it)."""
        roots = sorted((self.find(first), self.find(second)), key=int)
        self.parent[roots[1]] = roots[0]


def interpolated_dates(dated: dict[str, str], wanted: list[str]) -> dict[str, str]:
    """Dates for article ids by linear interpolation between the nearest dated ids (each
    anchor's day is the median of its 9 neighbours, so that a stray URL date cannot pull)."""
    anchors = sorted(
        (int(article), date.fromisoformat(day).toordinal()) for article, day in dated.items()
    )
    smoothed = []
    for position in range(len(anchors)):
        window = sorted(day for _, day in anchors[max(0, position - 4) : position + 5])
        smoothed.append((anchors[position][0], window[len(window) // 2]))
    keys = [article for article, _ in smoothed]
    found = {}
    for article in wanted:
        number = int(article)
        position = bisect.bisect_left(keys, number)
        if position <= 0:
            day = smoothed[0][1]
        elif position >= len(smoothed):
            day = smoothed[-1][1]
        else:
            (low_id, low_day), (high_id, high_day) = smoothed[position - 1], smoothed[position]
            share = (number - low_id) / (high_id - low_id) if high_id != low_id else 0.0
            day = round(low_day + share * (high_day - low_day))
        found[article] = date.fromordinal(day).isoformat()
    return found


def build(texts_dir: Path, links_dir: Path) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The labelled items and a summary of how they were made."""
    links = {row["pair_id"]: row for name in LINK_FILES for row in read_csv(links_dir / name)}
    pairs: dict[str, dict[str, str]] = {}
    pair_files: dict[str, str] = {}
    for name in TEXT_FILES:
        for row in read_csv(texts_dir / name):
            if ORIGINAL_PAIR.fullmatch(row["pair_id"]) and row["pair_id"] in links:
                pairs.setdefault(row["pair_id"], row)
                pair_files.setdefault(row["pair_id"], name)
    components = Components()
    articles: dict[str, dict[str, Any]] = {}
    negatives: dict[str, set[str]] = defaultdict(set)
    different: dict[str, set[str]] = defaultdict(set)
    kept_pairs = {"same": 0, "different": 0, "hard_negative": 0, "ambiguous_dropped": 0}
    for pair_id, row in sorted(pairs.items()):
        overall = float(row["Overall"])
        if SAME_STORY_MAX < overall < DIFFERENT_STORY_MIN:
            kept_pairs["ambiguous_dropped"] += 1
            continue
        link = links[pair_id]
        ids = pair_id.split("_")
        for number, article in enumerate(ids, start=1):
            text = row[f"text{number}"]
            title, lead, basis = split_text(text)
            if not title:
                continue
            articles.setdefault(
                article,
                {
                    "id": article,
                    "source": outlet(link[f"link{number}"]),
                    "lang": row[f"lang{number}"],
                    "url": link[f"link{number}"],
                    "title": title,
                    "lead": lead,
                    "title_basis": basis,
                    "origin": f"{TEXTS_ORIGIN}{pair_files[pair_id]}#pair={pair_id}",
                },
            )
            components.find(article)
        if not all(article in articles for article in ids):
            continue
        if overall <= SAME_STORY_MAX:
            components.union(*ids)
            kept_pairs["same"] += 1
        else:
            kept_pairs["different"] += 1
            different[ids[0]].add(ids[1])
            different[ids[1]].add(ids[0])
            if float(row["Entities"]) <= SHARED_ACTORS_MAX:
                negatives[ids[0]].add(ids[1])
                negatives[ids[1]].add(ids[0])
                kept_pairs["hard_negative"] += 1
    dropped = merge_copies(articles, components)
    dated = {article: day for article, item in articles.items() if (day := url_date(item["url"]))}
    guessed = interpolated_dates(dated, [article for article in articles if article not in dated])
    items = []
    for article, item in articles.items():
        event = f"semeval8-{components.find(article)}"
        heldout = hashlib.sha1(event.encode()).hexdigest()[0] in HELDOUT_HEX_DIGITS
        items.append(
            {
                "id": f"semeval8-{article}",
                "event": event,
                "split": "heldout" if heldout else "dev",
                "source": item["source"],
                "lang": item["lang"],
                "published": dated.get(article) or guessed[article],
                "published_basis": "url" if article in dated else "interpolated_by_id",
                "title": item["title"],
                "lead": item["lead"],
                "title_basis": item["title_basis"],
                "hard_negative_of": sorted(
                    f"semeval8-{other}" for other in negatives[article] if other in articles
                ),
                "rated_different": sorted(
                    f"semeval8-{other}" for other in different[article] if other in articles
                ),
                "url": item["url"],
                "origin": item["origin"],
            }
        )
    items.sort(key=lambda item: (item["published"], item["id"]))
    summary = {
        "pairs": kept_pairs,
        "copies": dropped,
        "dated_by_url": len(dated),
        "interpolation": leave_one_out(dated),
    }
    return items, summary


def headline_key(title: str) -> str:
    """A headline compared across copies: casefolded words only."""
    return " ".join(re.findall(r"\w+", title.casefold()))


def merge_copies(articles: dict[str, dict[str, Any]], components: Components) -> dict[str, int]:
    """Label the copies the task rated in different pairs, and drop scraping failures.

    One URL under two ids is one article (the later id is dropped, its pairs kept). Articles
    with the same headline of `MIN_COPY_WORDS` or more words are copies of one report
    (syndication, a re-scrape) and join one event, unless the headline is shared by
    `BOILERPLATE_COPIES` or more articles: then it is a page the scraper got instead of the
    article (a rate-limit notice, a paywall, the site's name) and all of them are dropped.
    Returns how many articles each rule touched."""
    by_url: dict[str, str] = {}
    same_url = 0
    for article in sorted(articles, key=int):
        first = by_url.setdefault(articles[article]["url"], article)
        if first != article:
            components.union(first, article)
            del articles[article]
            same_url += 1
    by_headline: dict[str, list[str]] = defaultdict(list)
    for article, item in articles.items():
        key = headline_key(item["title"])
        if len(key.split()) >= MIN_COPY_WORDS:
            by_headline[key].append(article)
    joined = boilerplate = 0
    for copies in by_headline.values():
        if len(copies) >= BOILERPLATE_COPIES:
            for article in copies:
                del articles[article]
            boilerplate += len(copies)
        elif len(copies) > 1:
            for copy in copies[1:]:
                components.union(copies[0], copy)
            joined += len(copies)
    return {
        "same_url_dropped": same_url,
        "same_headline_joined": joined,
        "boilerplate_dropped": boilerplate,
    }


def leave_one_out(dated: dict[str, str]) -> dict[str, float]:
    """How far the id interpolation lands from URL dates it did not see (days)."""
    articles = sorted(dated, key=int)
    errors = []
    for position in range(0, len(articles), 5):
        held = articles[position]
        rest = {article: day for article, day in dated.items() if article != held}
        guess = date.fromisoformat(interpolated_dates(rest, [held])[held])
        errors.append(abs((guess - date.fromisoformat(dated[held])).days))
    errors.sort()
    return {
        "checked": len(errors),
        "median_days": errors[len(errors) // 2],
        "p90_days": errors[int(len(errors) * 0.9)],
        "within_3_days": round(sum(error <= 3 for error in errors) / len(errors), 3),
    }


def main() -> None:
    """Build the set and print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--texts", type=Path, required=True, help="folder with " + ", ".join(TEXT_FILES)
    )
    parser.add_argument(
        "--links", type=Path, required=True, help="folder with " + ", ".join(LINK_FILES)
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    arguments = parser.parse_args()
    items, summary = build(arguments.texts, arguments.links)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    with arguments.out.open("w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        events[item["event"]].append(item)
    multi = [members for members in events.values() if len(members) > 1]
    summary |= {
        "items": len(items),
        "languages": sorted({item["lang"] for item in items}),
        "events": len(events),
        "multi_item_events": len(multi),
        "multi_source_events": sum(len({m["source"] for m in members}) > 1 for members in multi),
        "cross_language_events": sum(len({m["lang"] for m in members}) > 1 for members in multi),
        "items_with_hard_negative": sum(bool(item["hard_negative_of"]) for item in items),
        "splits": {s: sum(item["split"] == s for item in items) for s in ("dev", "heldout")},
    }
    json.dump(summary, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
