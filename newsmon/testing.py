"""Check site parsers against their fixtures with pytest, in newsmon or in your own repository.

One test case per saved page; each compares what the site's parser yields now with the page's
`<name>.expected.json` and fails with one line per changed field::

    # tests/test_fixtures.py
    from pathlib import Path

    import pytest

    from newsmon.testing import assert_fixture_matches, fixture_cases

    HERE = Path(__file__).resolve().parent
    CASES = fixture_cases(HERE / "../fixtures", sites_dir=HERE / "../sites")


    @pytest.mark.parametrize("case", CASES, ids=str)
    def test_fixture_matches_expected(case):
        assert_fixture_matches(case)

Write or refresh the expected files with `newsmon fixtures expect`, and read the diff.
"""

from __future__ import annotations

from pathlib import Path

from newsmon.fixture_tools import FixtureCase, check_case, sites_without_fixtures
from newsmon.fixture_tools import fixture_cases as _fixture_cases
from newsmon.sites import add_sites_dir

__all__ = [
    "FixtureCase",
    "assert_every_site_has_fixtures",
    "assert_fixture_matches",
    "fixture_cases",
]


def fixture_cases(
    directory: str | Path, *, source: str | None = None, sites_dir: str | Path | None = None
) -> list[FixtureCase]:
    """The fixture cases of every manifest under `directory` (of `source` only, when given).

    `sites_dir` registers the site modules of a directory of your own first, as the
    environment variable `NEWSMON_SITES_DIR` does for `newsmon crawl`.
    """
    if sites_dir is not None:
        add_sites_dir(sites_dir)
    return _fixture_cases(directory, source)


def assert_fixture_matches(case: FixtureCase, version: str | None = None) -> None:
    """Fail with every difference between the case's page parsed now and its expected file.

    `version` checks the page against one parser version instead of the one valid on its
    fetch date.
    """
    __tracebackhide__ = True
    problems = check_case(case, version)
    if problems:
        raise AssertionError("\n".join(problems))


def assert_every_site_has_fixtures(cases: list[FixtureCase]) -> None:
    """Fail when a registered site has no fixture among `cases`."""
    __tracebackhide__ = True
    missing = sites_without_fixtures(cases)
    if missing:
        raise AssertionError(
            f"registered site(s) without any fixture: {', '.join(missing)} "
            "(add one with `newsmon fixtures add`, then `newsmon fixtures expect`)"
        )
