"""report.az changes its layout: each parser version passes on the fixtures of its own layout.

The changed layout (seeds/layouts/report_az-2026-06/, reconstructed) shows the seed capture's
text without the visible date and time, keeps the date in JSON-LD only, and renames the
"Latest News" block; ReportAzV2 (valid from 2026-06-01) overrides only that selector.
"""

from __future__ import annotations

import json
from dataclasses import asdict

from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.fixtures.tools import check_case, fixture_cases, parse_case
from newsmon.normalize.dates import parse_iso
from newsmon.sites import all_sites
from newsmon.sites.parsing import article_items
from newsmon.sites.report_az import ReportAzV2
from tests.conftest import SEEDS, seed_page
from tests.test_seed_fixtures import REPORT_LINES, selector, visible_text

ARTICLE_URL = "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
LAYOUT_PAGE = "layouts/report_az-2026-06/report_az/article-2026-03-03.html"
NEW_LABEL = "layouts/report_az-2026-06/report_az/article-2026-03-03"
LATEST = [
    (
        "other-countries/iran-strikes-oil-tanker-off-oman-coast-one-killed",
        "Iran strikes oil tanker off Oman coast, one killed",
    ),
    (
        "energy/ankara-counting-on-renewable-supplies-to-eu-via-azerbaijan-turkiye",
        "Ankara counting on renewable supplies to EU via Azerbaijan, Türkiye",
    ),
    (
        "region/turkish-fm-regional-tensions-may-pose-risks-to-energy-supply-security",
        "Turkish FM: Regional tensions may pose risks to energy supply security",
    ),
    (
        "finance/cba-anipay-mobile-application-and-anipay-az-to-be-suspended",
        "CBA: AniPay mobile application and anipay.az to be suspended",
    ),
    (
        "region/iaea-confirms-damage-to-nuclear-facility-in-iran",
        "IAEA confirms damage to nuclear facility in Iran",
    ),
    (
        "military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation",
        "Azerbaijan, Türkiye discuss expanding defense industry cooperation",
    ),
    (
        "energy/goran-nikolovski-sgc-holds-central-place-in-north-macedonias-gas-supply-strategy",
        "Goran Nikolovski: SGC holds central place in North Macedonia's gas supply strategy",
    ),
    (
        "foreign-politics/89-people-evacuated-from-iran-to-azerbaijan-over-past-three-hours",
        "89 people evacuated from Iran to Azerbaijan over past three hours",
    ),
    (
        "energy/energy-minister-azerbaijan-to-commission-four-upstream-projects-in-four-years",
        "Energy minister: Azerbaijan to commission four upstream projects in four years",
    ),
]


def report_az_cases() -> dict[str, object]:
    return {case.label: case for case in fixture_cases(SEEDS, source="report_az")}


def test_the_version_is_chosen_by_fetch_date():
    site = all_sites()["report_az"]
    chosen = {
        when: site.parser_for(parse_iso(when)).name
        for when in (
            "2026-03-03T10:45:00+00:00",
            "2026-05-31T23:59:59+00:00",
            "2026-06-01T00:00:00+00:00",
            "2026-06-15T10:45:00+00:00",
        )
    }
    assert chosen == {
        "2026-03-03T10:45:00+00:00": "report_az@1",
        "2026-05-31T23:59:59+00:00": "report_az@1",
        "2026-06-01T00:00:00+00:00": "report_az@2",
        "2026-06-15T10:45:00+00:00": "report_az@2",
    }


def test_v2_overrides_only_the_changed_selector():
    assert sorted(name for name in vars(ReportAzV2) if name.isupper()) == ["LATEST"]


def test_each_version_passes_on_the_fixtures_of_its_layout():
    cases = report_az_cases()
    old, new = cases["report_az/article-2026-03-03"], cases[NEW_LABEL]
    assert check_case(old) == []
    assert check_case(new) == []
    assert parse_case(old)["items"][0]["parser"] == "report_az@1"
    new_article = parse_case(new)["items"][0]
    assert new_article["parser"] == "report_az@2"
    assert new_article["published_at"] == "2026-03-03T09:41:00+00:00"
    assert new_article["methods"]["published_at"] == "json-ld"


def test_the_new_layout_checked_against_the_old_version_fails_with_a_clear_diff():
    result = CliRunner().invoke(
        cli,
        [
            "fixtures",
            "check",
            "--source",
            "report_az",
            "--parser-version",
            "1",
            "--dir",
            str(SEEDS),
        ],
    )
    assert result.exit_code == 1
    prefix = f"{NEW_LABEL}: "
    assert result.output.splitlines() == [
        f"{prefix}article {ARTICLE_URL}: parser: expected report_az@2, got report_az@1",
        *(
            f"{prefix}missing headline latest {position} https://report.az/en/{path} ({title})"
            for position, (path, title) in enumerate(LATEST)
        ),
        "4 fixtures: 3 ok, 1 failed",
    ]


def test_v2_still_reads_the_old_layout(seed_fixtures):
    # During a redesign's rollout, and from caches, a site serves both layouts.
    site = all_sites()["report_az"]
    page = seed_page(seed_fixtures, ARTICLE_URL)
    by_v1 = [asdict(item) for item in article_items(site, page, site.parser_version("1"))]
    by_v2 = [asdict(item) for item in article_items(site, page, site.parser_version("2"))]
    assert by_v1[0].pop("parser") == "report_az@1"
    assert by_v2[0].pop("parser") == "report_az@2"
    assert by_v2 == by_v1
    assert len([item for item in by_v2 if item.get("context") == "latest"]) == 9


def test_the_changed_layout_shows_the_capture_text_without_the_date():
    page = selector(LAYOUT_PAGE)
    text = f" {visible_text(page)} "
    position = 0
    for line in REPORT_LINES:
        if line in ("• 03 March, 2026", "• 13:41"):
            assert f" {line} " not in text
            continue
        found = text.find(f" {line} ", position)
        assert found >= 0, line
        position = found + len(line) + 1
    assert not page.css(".article-date, .article-time, section.latest-news")
    assert not page.xpath('//meta[@property="article:published_time"]')
    (article,) = [
        json.loads(script)
        for script in page.xpath('//script[@type="application/ld+json"]/text()').getall()
    ]
    assert article["datePublished"] == "2026-03-03T13:41:00+04:00"
    assert [
        node.css(".news-title::text").get()
        for node in page.css("section.news-stream li.stream-item")
    ] == [title for _, title in LATEST]
