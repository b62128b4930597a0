"""Shared test helpers: the project's seeds and fixture pages."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.utils import log as scrapy_log

from newsmon.fixtures.manifest import FixtureSet
from newsmon.sites import all_sites
from newsmon.sites.base import Item, Page
from tests.helpers import MEANING

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
REPORT_AZ_CAPTURE = SEEDS / "003_91c3a99edbbec7d6.txt"
CCBSNEWS_CAPTURE = SEEDS / "000_3a305b344a0804e6.txt"


# Comparing meaning costs about 0.1 s of CPU per stored article, which thousands of tests would
# pay for stories they do not look at: it is off unless a test turns it on (the tests of
# meaning do, `tests/test_meaning.py`), in this process and in the commands it runs.
os.environ[MEANING] = "false"

# The root logger as the test session found it, before any crawl ran in the test process, and
# the levels of the loggers Scrapy's `configure_logging` sets (scrapy at DEBUG, …).
_ROOT = logging.getLogger()
_ROOT_LEVEL, _ROOT_HANDLERS = _ROOT.level, list(_ROOT.handlers)
_LEVELS = {
    name: logging.getLogger(name).level
    for name in ("scrapy", "twisted", "filelock", "hpack", "asyncio", "py.warnings")
}


@pytest.fixture(autouse=True)
def isolated_logging() -> Iterator[None]:
    """Each test starts with the loggers as the session found them: a crawl run in the test
    process (Scrapy's `configure_logging`) lowers the root's level, sets Scrapy's logger to
    DEBUG and adds a handler, which would make later tests see Scrapy's and asyncio's debug
    lines among the lines they check."""
    _restore_root_logger()
    yield
    _restore_root_logger()


def _restore_root_logger() -> None:
    # Scrapy remembers the root handler it installed and, while it does, every new Crawler
    # lowers the root's level again to reinstall it: forget it (Scrapy's own uninstall).
    uninstall = getattr(scrapy_log, "_uninstall_scrapy_root_handler", None)
    if uninstall is not None:
        uninstall()
    _ROOT.setLevel(_ROOT_LEVEL)
    for name, level in _LEVELS.items():
        logging.getLogger(name).setLevel(level)
    for handler in _ROOT.handlers[:]:
        if handler not in _ROOT_HANDLERS and type(handler).__module__ != "_pytest.logging":
            _ROOT.removeHandler(handler)
    logging.disable(logging.NOTSET)


@pytest.fixture(scope="session")
def seed_fixtures() -> FixtureSet:
    """The seed fixture set (`seeds/manifest.json`)."""
    return FixtureSet.load(SEEDS)


def seed_page(fixtures: FixtureSet, url: str) -> Page:
    """A seed fixture as a parser's page."""
    fixture = fixtures.find(url)
    assert fixture is not None, url
    html = fixtures.body(fixture).decode("utf-8")
    return Page.from_html(fixture.url, html, fixture.fetched_at, fixture.source)


def parse_seed_article(fixtures: FixtureSet, site_id: str, url: str) -> list[Item]:
    """Everything the site's parser yields for a seed article page."""
    page = seed_page(fixtures, url)
    return list(all_sites()[site_id].parser_for(page.fetched_at).parse_article(page))


def capture_lines(path: Path) -> list[str]:
    """The non-empty lines of a seed capture, stripped."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
