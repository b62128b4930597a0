"""Sphinx configuration of newsmon's documentation (`sphinx-build -W -b html docs docs/_build`)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

from newsmon import __version__  # noqa: E402

project = "newsmon"
author = "newsmon developers"
release = __version__
version = __version__

extensions = [
    "myst_parser",
    "sphinx_click",
    "newsmon_docs",
]
source_suffix = {".md": "markdown"}
myst_heading_anchors = 3
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = f"newsmon {__version__}"
# The docs build offline: no intersphinx inventories, no remote images.
suppress_warnings: list[str] = []
