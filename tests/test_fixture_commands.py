"""`newsmon fixtures add|expect|check` on copies of the seeds and pages of a local server."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.fixtures.tools import EXPECTED_SUFFIX
from tests.conftest import SEEDS
from tests.fixture_server import serving

ARTICLE_URL = "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
ARTICLE = f"report_az/article-2026-03-03: article {ARTICLE_URL}"
OWN_HEADLINE = f"report_az/article-2026-03-03: headline article 0 {ARTICLE_URL}"
LAYOUT_LABEL = "layouts/report_az-2026-06/report_az/article-2026-03-03"


def newsmon(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env)


@pytest.fixture
def seeds(tmp_path) -> Path:
    """A copy of the seed fixtures, to change."""
    return Path(shutil.copytree(SEEDS, tmp_path / "seeds"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_expect_writes_the_committed_expected_files_again(seeds):
    expected = sorted(seeds.rglob("*" + EXPECTED_SUFFIX))
    for path in expected:
        path.unlink()
    result = newsmon("fixtures", "expect", "--dir", str(seeds))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "wrote ccbsnews/article-3293.expected.json (article, 12 items)",
        "wrote ccbsnews/news.expected.json (listing, 11 items)",
        "wrote ccbsnews/rss.expected.json (feed, 11 items)",
        f"wrote {LAYOUT_LABEL}.expected.json (article, 13 items)",
        "wrote report_az/article-2026-03-03.expected.json (article, 13 items)",
        "wrote report_az/news-feed.expected.json (listing, 9 items)",
        "wrote report_az/rss.expected.json (feed, 9 items)",
    ]
    for path in expected:
        committed = SEEDS / path.relative_to(seeds)
        assert path.read_bytes() == committed.read_bytes(), path


def test_expected_files_are_sorted_pretty_json_with_the_article_first():
    text = (SEEDS / "report_az/article-2026-03-03.expected.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert text == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert sorted(document) == ["fetched_at", "items", "page_kind", "url"]
    assert [
        (item["kind"], item.get("context"), item.get("position")) for item in document["items"]
    ] == [
        ("article", None, None),
        ("headline", "alternate", 0),
        ("headline", "alternate", 1),
        ("headline", "article", 0),
        *(("headline", "latest", position) for position in range(9)),
    ]
    assert document["items"][0]["methods"]["body"] == "selector"


def test_check_passes_on_the_seeds():
    result = newsmon("fixtures", "check", "--dir", str(SEEDS))
    assert (result.exit_code, result.output) == (0, "7 fixtures: 7 ok, 0 failed\n")


def test_a_page_that_lost_its_date_fails_naming_fixture_item_and_field(seeds):
    page = seeds / "report_az/article-2026-03-03.html"
    for old in (
        '  <meta property="article:published_time" content="2026-03-03T13:41:00+04:00">\n',
        '    "datePublished": "2026-03-03T13:41:00+04:00",\n',
        '<span class="article-date">03 March, 2026</span>',
    ):
        edit(page, old, "")
    result = newsmon("fixtures", "check", "--source", "report_az", "--dir", str(seeds))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        # the day is left in the JSON-LD dateModified, which htmldate reads
        f"{ARTICLE}: methods.published_at: expected json-ld, got htmldate",
        f"{ARTICLE}: published_at: expected 2026-03-03T09:41:00+00:00, got None",
        f"{ARTICLE}: published_basis: expected exact, got date_only",
        f"{OWN_HEADLINE}: published_at: expected 2026-03-03T09:41:00+00:00, got None",
        f"{OWN_HEADLINE}: published_basis: expected exact, got date_only",
        "4 fixtures: 3 ok, 1 failed",
    ]


def test_changed_missing_and_extra_headlines_are_named(seeds):
    listing = seeds / "report_az/news-feed.html"
    edit(
        listing,
        '<a class="news-category" href="/en/finance/">Finance</a>',
        '<a class="news-category" href="/en/finance/">Economy</a>',
    )
    edit(
        listing,
        "https://report.az/en/energy/energy-minister-azerbaijan",
        "https://report.az/en/energy/minister-azerbaijan",
    )
    result = newsmon("fixtures", "check", "--source", "report_az", "--dir", str(seeds))
    assert result.exit_code == 1
    energy = "azerbaijan-to-commission-four-upstream-projects-in-four-years"
    title = "Energy minister: Azerbaijan to commission four upstream projects in four years"
    assert result.output.splitlines() == [
        "report_az/news-feed: headline listing 3 https://report.az/en/finance/cba-anipay-mobile-application-and-anipay-az-to-be-suspended: section: expected Finance, got Economy",
        f"report_az/news-feed: missing headline listing 8 https://report.az/en/energy/energy-minister-{energy} ({title})",
        f"report_az/news-feed: extra headline listing 8 https://report.az/en/energy/minister-{energy} ({title})",
        "4 fixtures: 3 ok, 1 failed",
    ]


def test_a_page_without_expected_file_fails_and_is_compared_with_the_latest_one(seeds):
    # What `fixtures check` says about a newly added page of a changed layout, before the site
    # has a parser version for it: compared with the latest fixture of the same kind.
    (seeds / f"{LAYOUT_LABEL}.expected.json").unlink()
    result = newsmon(
        "fixtures", "check", "--source", "report_az", "--parser-version", "1", "--dir", str(seeds)
    )
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{LAYOUT_LABEL}: no expected file article-2026-03-03.expected.json "
        "(write it with `newsmon fixtures expect`, after reviewing the items)",
        f"{LAYOUT_LABEL}: compared with report_az/article-2026-03-03: latest headlines: 9 there, 0 here",
        "4 fixtures: 3 ok, 1 failed",
    ]


def test_an_expected_file_without_its_fixture_fails(seeds):
    shutil.copy(seeds / "report_az/rss.expected.json", seeds / "report_az/gone.expected.json")
    result = newsmon("fixtures", "check", "--dir", str(seeds))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "report_az/gone: expected file without a fixture in its manifest",
        "8 fixtures: 7 ok, 1 failed",
    ]


def test_check_of_a_directory_without_fixtures_is_an_error(tmp_path):
    result = newsmon("fixtures", "check", "--dir", str(tmp_path))
    assert (result.exit_code, result.output) == (1, f"Error: {tmp_path}: no fixtures to check\n")


def test_add_a_saved_file_then_expect_and_check(tmp_path):
    saved = tmp_path / "saved.html"
    shutil.copy(SEEDS / "report_az/news-feed.html", saved)
    os.utime(saved, (1772534700, 1772534700))  # 2026-03-03T10:45:00Z
    fixtures = tmp_path / "fixtures"
    args = ("fixtures", "add", str(saved), "--url", "https://report.az/en/news-feed/")
    result = newsmon(*args, "--source", "report_az", "--dir", str(fixtures))
    assert result.exit_code == 0, result.output
    assert result.output == (
        "added report_az/en-news-feed.html: https://report.az/en/news-feed/ "
        "fetched at 2026-03-03T10:45:00+00:00\n"
    )
    assert json.loads((fixtures / "manifest.json").read_text()) == {
        "fixtures": [
            {
                "fetched_at": "2026-03-03T10:45:00+00:00",
                "file": "report_az/en-news-feed.html",
                "headers": {"Content-Type": "text/html"},
                "source": "report_az",
                "status": 200,
                "url": "https://report.az/en/news-feed/",
            }
        ]
    }
    assert (fixtures / "report_az/en-news-feed.html").read_bytes() == saved.read_bytes()
    assert newsmon("fixtures", "check", "--dir", str(fixtures)).exit_code == 1
    expect = newsmon("fixtures", "expect", "--dir", str(fixtures))
    assert expect.output == "wrote report_az/en-news-feed.expected.json (listing, 9 items)\n"
    check = newsmon("fixtures", "check", "--dir", str(fixtures))
    assert (check.exit_code, check.output) == (0, "1 fixtures: 1 ok, 0 failed\n")
    # The expected items are the seed listing's: same page, same fetch time.
    document = json.loads((fixtures / "report_az/en-news-feed.expected.json").read_text())
    assert (
        document["items"]
        == json.loads((SEEDS / "report_az/news-feed.expected.json").read_text())["items"]
    )


def test_adding_a_page_of_the_same_url_again_replaces_it(tmp_path):
    fixtures = tmp_path / "fixtures"
    saved = tmp_path / "page.html"
    for text, when in (
        ("<p>first</p>", "2026-03-03T10:45:00Z"),
        ("<p>second</p>", "2026-03-04T08:00:00+04:00"),
    ):
        saved.write_text(text)
        result = newsmon(
            "fixtures",
            "add",
            str(saved),
            "--url",
            "https://report.az/en/news-feed/",
            "--fetched-at",
            when,
            "--source",
            "report_az",
            "--dir",
            str(fixtures),
        )
        assert result.exit_code == 0, result.output
    manifest = json.loads((fixtures / "manifest.json").read_text())
    assert [(entry["file"], entry["fetched_at"]) for entry in manifest["fixtures"]] == [
        ("report_az/en-news-feed.html", "2026-03-04T04:00:00+00:00")
    ]
    assert (fixtures / "report_az/en-news-feed.html").read_text() == "<p>second</p>"


def test_a_replaced_page_keeps_its_expected_file_under_the_new_name(seeds, tmp_path):
    """The seed article is saved as `article-2026-03-03.html`; added again from a browser, it
    is named after its URL, and what was pinned for it follows, to be checked against it."""
    saved = tmp_path / "saved.html"
    page = (SEEDS / "report_az/article-2026-03-03.html").read_text(encoding="utf-8")
    saved.write_text(page.replace("Türkiye discuss expanding", "Türkiye agree to expand"), "utf-8")
    added = newsmon(
        "fixtures",
        "add",
        str(saved),
        "--url",
        ARTICLE_URL,
        "--source",
        "report_az",
        "--fetched-at",
        "2026-03-03T10:45:00Z",
        "--dir",
        str(seeds),
    )
    assert added.exit_code == 0, added.output
    new_name = (
        "report_az/en-military-azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
    )
    assert not (seeds / f"report_az/article-2026-03-03{EXPECTED_SUFFIX}").exists()
    assert (seeds / f"{new_name}{EXPECTED_SUFFIX}").read_text() == (
        SEEDS / f"report_az/article-2026-03-03{EXPECTED_SUFFIX}"
    ).read_text()
    check = newsmon("fixtures", "check", "--dir", str(seeds))
    assert check.exit_code == 1
    assert "expected file without a fixture" not in check.output
    assert check.output.splitlines()[0] == (
        f"{new_name}: article {ARTICLE_URL}: title: expected Azerbaijan, Türkiye discuss "
        "expanding defense industry cooperation, got Azerbaijan, Türkiye agree to expand defense "
        "industry cooperation"
    )
    assert check.output.splitlines()[-1] == "7 fixtures: 6 ok, 1 failed"


def test_add_fetches_a_url_with_its_redirects_from_a_stand_in_server(tmp_path):
    fixtures = tmp_path / "fixtures"
    agents = []

    def moved(handler) -> None:
        agents.append(handler.headers["User-Agent"])
        handler.send_response(302)
        handler.send_header("Location", "https://report.az/en/news-feed/")
        handler.send_header("Set-Cookie", "session=secret")
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    with serving(SEEDS) as server:
        server.overrides["https://report.az/en/latest"] = moved
        env = {"NEWSMON_RESOLVE": server.resolve_env("report.az")}
        result = newsmon(
            "fixtures",
            "add",
            "https://report.az/en/latest",
            "--source",
            "report_az",
            "--dir",
            str(fixtures),
            env=env,
        )
        missing = newsmon(
            "fixtures",
            "add",
            "https://report.az/en/nothing",
            "--source",
            "report_az",
            "--dir",
            str(fixtures),
            env=env,
        )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        "added report_az/en-latest.bin: https://report.az/en/latest redirects (302) "
        "to https://report.az/en/news-feed/"
    )
    assert lines[1].startswith(
        "added report_az/en-news-feed.html: https://report.az/en/news-feed/ fetched at "
    )
    assert agents[0].startswith("newsmon/")
    entries = {
        entry["url"]: entry
        for entry in json.loads((fixtures / "manifest.json").read_text())["fixtures"]
    }
    assert entries["https://report.az/en/latest"]["status"] == 302
    assert entries["https://report.az/en/latest"]["headers"] == {
        "Location": "https://report.az/en/news-feed/"
    }
    page = entries["https://report.az/en/news-feed/"]
    assert page["headers"]["Content-Type"] == "text/html; charset=utf-8"
    assert page["headers"]["ETag"] == 'W/"328ce27e2013ecea132a"'
    assert "Date" not in page["headers"] and "Content-Length" not in page["headers"]
    assert (fixtures / page["file"]).read_bytes() == (
        SEEDS / "report_az/news-feed.html"
    ).read_bytes()
    assert (missing.exit_code, missing.output) == (
        1,
        "Error: https://report.az/en/nothing: HTTP 404\n",
    )


def test_add_reports_an_unreachable_url_in_one_line(tmp_path):
    with serving(SEEDS) as server:
        address = server.resolve_env("report.az")
    result = newsmon(
        "fixtures",
        "add",
        "https://report.az/en/rss/",
        "--source",
        "report_az",
        "--dir",
        str(tmp_path),
        env={"NEWSMON_RESOLVE": address},
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: https://report.az/en/rss/: cannot fetch: ")
    assert result.output.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("page.html",), "Error: page.html: give the URL it was saved from with --url"),
        (
            ("https://report.az/", "--url", "https://report.az/"),
            "Error: --url and --fetched-at are for a FILE, not a URL",
        ),
        (("page.html", "--url", "report.az/en/"), "Error: 'report.az/en/': not an http(s) URL"),
        (
            ("missing.html", "--url", "https://report.az/"),
            "Error: missing.html: cannot read: No such file or directory",
        ),
        (
            ("page.html", "--url", "https://report.az/", "--fetched-at", "yesterday"),
            "Error: 'yesterday': not a zoned ISO 8601 time",
        ),
    ],
)
def test_add_refuses_bad_input_in_one_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.html").write_text("<p>page</p>")
    result = newsmon("fixtures", "add", *args, "--source", "report_az", "--dir", "fixtures")
    assert result.exit_code != 0
    assert result.output.splitlines()[-1] == message
    assert not (tmp_path / "fixtures").exists()


@pytest.mark.parametrize("escape", ["dotdot", "absolute", "symlink"])
def test_a_manifest_entry_outside_its_directory_is_refused(tmp_path, escape):
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "page.html").write_text("<p>secret</p>")
    relative = {
        "dotdot": "../outside/page.html",
        "absolute": str(outside / "page.html"),
        "symlink": "report_az/page.html",
    }[escape]
    if escape == "symlink":
        (fixtures / "report_az").symlink_to(outside)
    entry = {
        "url": "https://report.az/en/",
        "file": relative,
        "source": "report_az",
        "fetched_at": "2026-03-03T10:45:00+00:00",
    }
    (fixtures / "manifest.json").write_text(json.dumps({"fixtures": [entry]}))
    saved = tmp_path / "saved.html"
    saved.write_text("<p>new</p>")
    result = newsmon(
        "fixtures",
        "add",
        str(saved),
        "--url",
        "https://report.az/en/news-feed/",
        "--source",
        "report_az",
        "--dir",
        str(fixtures),
    )
    reason = (
        "fixture paths must be relative to"
        if escape == "absolute"
        else "points outside the fixture directory"
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {fixtures / 'manifest.json'}: entry 1: {relative!r}: {reason} {fixtures}\n"
    )
    assert sorted(path.name for path in outside.iterdir()) == ["page.html"]


def test_nothing_is_written_through_a_symlink_leaving_the_directory(tmp_path):
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (fixtures / "report_az").symlink_to(outside)
    saved = tmp_path / "saved.html"
    saved.write_text("<p>new</p>")
    result = newsmon(
        "fixtures",
        "add",
        str(saved),
        "--url",
        "https://report.az/en/news-feed/",
        "--source",
        "report_az",
        "--dir",
        str(fixtures),
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: 'report_az/en-news-feed.html': points outside the fixture directory {fixtures}\n"
    )
    assert list(outside.iterdir()) == []
    assert not (fixtures / "manifest.json").exists()
