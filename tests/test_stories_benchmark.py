"""benchmarks/stories_quality.py: what its figures count."""

from __future__ import annotations

import math

import numpy as np

from newsmon import semantic
from tests.helpers import import_script


def unit(*values: float) -> bytes:
    """An embedding as the store keeps it, from its first few values (the rest 0)."""
    vector = np.zeros(semantic.DIMENSIONS, dtype=np.float32)
    vector[: len(values)] = values
    return np.asarray(vector, dtype="<f2").tobytes()


def test_meaning_pairs_counts_far_pairs_as_missed_and_rated_pairs_against_precision() -> None:
    stories_quality = import_script("stories_quality")
    items = [
        {"id": "a", "event": "x", "published": "2020-01-01", "rated_different": ["d"]},
        {"id": "b", "event": "x", "published": "2020-01-02"},
        {"id": "c", "event": "x", "published": "2020-01-09"},
        {"id": "d", "event": "y", "published": "2020-01-01"},
    ]
    embeddings = {
        "a": unit(1.0),
        "b": unit(0.95, math.sqrt(1 - 0.95**2)),
        "c": unit(1.0),
        "d": unit(0.87, 0.0, math.sqrt(1 - 0.87**2)),
    }

    rows = stories_quality.meaning_pairs(items, embeddings, 3, thresholds=(0.86, 0.9, 0.96))

    # Of the three same-event pairs, only a-b lies within 3 days; a-d is the rated pair.
    assert rows == [
        {
            "threshold": 0.86,
            "recall": 0.333,
            "rated_joined": 1,
            "rated_pairs": 1,
            "rated_precision": 0.5,
        },
        {
            "threshold": 0.9,
            "recall": 0.333,
            "rated_joined": 0,
            "rated_pairs": 1,
            "rated_precision": 1.0,
        },
        {
            "threshold": 0.96,
            "recall": 0.0,
            "rated_joined": 0,
            "rated_pairs": 1,
            "rated_precision": 1.0,
        },
    ]


def test_meaning_pairs_gives_recall_only_where_the_data_rates_no_pairs() -> None:
    stories_quality = import_script("stories_quality")
    items = [
        {"id": "a", "event": "x", "published": "2020-01-01"},
        {"id": "b", "event": "x", "published": "2020-01-02"},
    ]
    embeddings = {"a": unit(1.0), "b": unit(0.95, math.sqrt(1 - 0.95**2))}

    rows = stories_quality.meaning_pairs(items, embeddings, 3, thresholds=(0.9, 0.96))

    assert rows == [{"threshold": 0.9, "recall": 1.0}, {"threshold": 0.96, "recall": 0.0}]
    assert stories_quality.separation_cell(rows[0]) == "1.000"
