"""Every fixture under seeds/ (every manifest, recursively) parses to its expected JSON, and
every registered site has fixtures: the check `newsmon fixtures check` runs, as pytest cases."""

from __future__ import annotations

import pytest

from newsmon.sites import all_sites
from newsmon.testing import assert_every_site_has_fixtures, assert_fixture_matches, fixture_cases
from tests.conftest import SEEDS

CASES = fixture_cases(SEEDS)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_fixture_matches_expected(case):
    assert_fixture_matches(case)


def test_every_registered_site_has_fixtures():
    assert_every_site_has_fixtures(CASES)


def test_the_cases_are_every_parsed_page_of_every_manifest():
    assert [(case.label, case.kind) for case in CASES] == [
        ("ccbsnews/article-3293", "article"),
        ("ccbsnews/news", "listing"),
        ("ccbsnews/rss", "feed"),
        ("layouts/report_az-2026-06/report_az/article-2026-03-03", "article"),
        ("report_az/article-2026-03-03", "article"),
        ("report_az/news-feed", "listing"),
        ("report_az/rss", "feed"),
    ]


def test_a_registered_site_without_fixtures_fails():
    assert "ccbsnews" in all_sites()
    without_ccbsnews = [case for case in CASES if case.source != "ccbsnews"]
    with pytest.raises(AssertionError) as failure:
        assert_every_site_has_fixtures(without_ccbsnews)
    assert str(failure.value) == (
        "registered site(s) without any fixture: ccbsnews "
        "(add one with `newsmon fixtures add`, then `newsmon fixtures expect`)"
    )
