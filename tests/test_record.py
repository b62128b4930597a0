"""`newsmon crawl --record DIR`: a live crawl saved as a fixture set that replays to the same
items, offline; and the recording middlewares on hand-built responses."""

from __future__ import annotations

import gzip
import json
import logging
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from newsmon.cli import cli
from newsmon.fixtures.manifest import GZIP_ABOVE, FixtureSet
from newsmon.fixtures.record import RecordMiddleware, RecordRedirectsMiddleware
from tests.conftest import SEEDS
from tests.fixture_server import Answer, serving
from tests.helpers import FAST, newsmon

LISTING = "https://report.az/en/news-feed/"
MOVED_LISTING = "https://report.az/en/news-feed/?page=1"
ARTICLE_URL = "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"


def feeds_setting(path: Path) -> tuple[str, str]:
    """`-s FEEDS=…`: every item the crawl yields, as JSON Lines."""
    return ("-s", "FEEDS=" + json.dumps({str(path): {"format": "jsonlines"}}))


@pytest.fixture(scope="module")
def recorded(tmp_path_factory) -> dict[str, Path]:
    """The seed sites crawled live from a local server (report.az's listing redirecting) and
    recorded; then, with the server stopped, the recording replayed offline."""
    directory = tmp_path_factory.mktemp("record")
    paths = {
        "recording": directory / "recording",
        "live": directory / "live.jsonl",
        "replay": directory / "replay.jsonl",
        "net_log": directory / "network.log",
    }
    with serving(SEEDS) as server:
        server.overrides[LISTING] = Answer(301, b"", {"Location": MOVED_LISTING})
        server.overrides[MOVED_LISTING] = Answer(
            200,
            (SEEDS / "report_az/news-feed.html").read_bytes(),
            {"Content-Type": "text/html; charset=utf-8"},
        )
        env = {"NEWSMON_RESOLVE": server.resolve_env("report.az", "ccbsnews.info")}
        live = newsmon(
            "crawl",
            "--record",
            str(paths["recording"]),
            "--db",
            str(directory / "live.db"),
            *FAST,
            *feeds_setting(paths["live"]),
            env=env,
        )
    assert live.returncode == 0, live.stderr
    replay = newsmon(
        "crawl",
        "--replay",
        str(paths["recording"]),
        "--db",
        str(directory / "replay.db"),
        *feeds_setting(paths["replay"]),
        offline_log=paths["net_log"],
    )
    assert replay.returncode == 0, replay.stderr
    return paths


def test_replaying_the_recording_yields_the_live_items_exactly(recorded):
    live = sorted(recorded["live"].read_text(encoding="utf-8").splitlines())
    replayed = sorted(recorded["replay"].read_text(encoding="utf-8").splitlines())
    assert replayed == live
    items = [json.loads(line) for line in live]
    assert len(items) == 65
    listing = [
        item for item in items if item.get("context") == "listing" and item["source"] == "report_az"
    ]
    assert {item["page_url"] for item in listing} == {"https://report.az/en/news-feed?page=1"}
    assert len(listing) == 9


def test_the_replay_never_touches_the_network(recorded):
    assert not recorded["net_log"].exists()


def test_the_recording_keeps_every_response_with_the_redirect_chain(recorded):
    fixtures = FixtureSet.load(recorded["recording"])
    saved = {fixture.url: fixture for fixture in fixtures.fixtures}
    assert len(saved) == 27  # 2 robots.txt, 2 feeds, 3 listing responses, 2 articles, 18 × 404
    assert sorted(url for url, fixture in saved.items() if fixture.status == 404) == sorted(
        f"https://ccbsnews.info/en/news/detail/{number}"
        for number in (4210, 4205, 4199, 4187, 4181, 4176, 4170, 4163, 4158, 4150)
    ) + sorted(
        url for url in saved if url.startswith("https://report.az/en/") and saved[url].status == 404
    )
    redirect = saved[LISTING]
    assert (redirect.file, redirect.status, redirect.headers["Location"]) == (
        "report_az/en-news-feed.bin",
        301,
        MOVED_LISTING,
    )
    moved = saved[MOVED_LISTING]
    assert (moved.file, moved.status, moved.source) == (
        "report_az/en-news-feed-page-1.html",
        200,
        "report_az",
    )
    assert fixtures.body(moved) == (SEEDS / "report_az/news-feed.html").read_bytes()
    article = saved[ARTICLE_URL]
    assert article.file == (
        "report_az/en-military-azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation.html"
    )
    assert article.headers["Etag"] == 'W/"79670e7b3a510179bad2"'
    assert saved["https://ccbsnews.info/robots.txt"].file == "ccbsnews/robots.txt"
    for fixture in saved.values():
        assert not {"Date", "Content-Length", "Set-Cookie"} & set(fixture.headers)


def test_the_recording_can_be_pinned_and_checked(recorded, tmp_path):
    directory = Path(shutil.copytree(recorded["recording"], tmp_path / "recording"))
    runner = CliRunner()
    expect = runner.invoke(cli, ["fixtures", "expect", "--dir", str(directory)])
    assert expect.exit_code == 0, expect.output
    # The page reached through the redirect is parsed as the listing it was requested as.
    assert expect.output.splitlines() == [
        "wrote ccbsnews/en-news.expected.json (listing, 11 items)",
        "wrote ccbsnews/en-news-detail-3293.expected.json (article, 12 items)",
        "wrote ccbsnews/en-rss.expected.json (feed, 11 items)",
        "wrote report_az/en-military-azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation.expected.json (article, 13 items)",
        "wrote report_az/en-news-feed-page-1.expected.json (listing, 9 items)",
        "wrote report_az/en-rss.expected.json (feed, 9 items)",
    ]
    check = runner.invoke(cli, ["fixtures", "check", "--dir", str(directory)])
    assert (check.exit_code, check.output) == (0, "6 fixtures: 6 ok, 0 failed\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--record", "{tmp}/rec", "--replay", "seeds"),
            "Error: --record and --replay cannot be used together",
        ),
        (
            ("--record", "{tmp}/bad"),
            "Error: {tmp}/bad/manifest.json: entry 1: '../x.html': points outside the fixture directory {tmp}/bad",
        ),
        (
            ("--replay", "{tmp}/bad"),
            "Error: {tmp}/bad/manifest.json: entry 1: '../x.html': points outside the fixture directory {tmp}/bad",
        ),
    ],
)
def test_crawl_refuses_in_one_line(tmp_path, args, message):
    (tmp_path / "bad").mkdir()
    entry = {
        "url": "https://report.az/",
        "file": "../x.html",
        "source": "report_az",
        "fetched_at": "2026-03-03T10:45:00+00:00",
    }
    (tmp_path / "bad/manifest.json").write_text(json.dumps({"fixtures": [entry]}))
    tmp = str(tmp_path.resolve())
    run = newsmon("crawl", "--db", str(tmp_path / "n.db"), *(arg.format(tmp=tmp) for arg in args))
    assert run.returncode == 1
    assert run.stderr.splitlines() == [message.format(tmp=tmp)]
    assert not (tmp_path / "rec").exists()


# The middlewares on their own, with hand-built responses.


def middlewares(directory: Path) -> tuple[RecordRedirectsMiddleware, RecordMiddleware]:
    crawler = get_crawler(settings_dict={"NEWSMON_RECORD_DIR": str(directory)})
    return RecordRedirectsMiddleware.from_crawler(crawler), RecordMiddleware.from_crawler(crawler)


def request(url: str) -> Request:
    return Request(url, meta={"source": "report_az", "fetched_at": "2026-03-03T10:45:00+00:00"})


def close(*recorders: RecordMiddleware) -> None:
    for recorder in recorders:
        recorder.spider_closed()


def test_recording_into_an_existing_set_merges(tmp_path):
    directory = Path(shutil.copytree(SEEDS / "report_az", tmp_path / "set" / "report_az")).parent
    (directory / "manifest.json").write_text(
        json.dumps(
            {
                "fixtures": [
                    entry
                    for entry in json.loads((SEEDS / "manifest.json").read_text())["fixtures"]
                    if entry["source"] == "report_az"
                ]
            }
        )
    )
    _, pages = middlewares(directory)
    body = b"<html><body><h1>changed</h1></body></html>"
    pages.process_response(
        request("https://report.az/en/rss/"),
        HtmlResponse("https://report.az/en/rss/", body=body, headers={"Content-Type": "text/html"}),
    )
    close(pages)
    fixtures = FixtureSet.load(directory)
    assert sorted(fixture.file for fixture in fixtures.fixtures) == [
        "report_az/article-2026-03-03.html",
        "report_az/en-rss.html",
        "report_az/news-feed.html",
        "report_az/robots.txt",
    ]
    replaced = fixtures.find("https://report.az/en/rss/")
    assert replaced is not None and fixtures.body(replaced) == body
    assert not (directory / "report_az/rss.xml").exists()  # the URL's earlier file, unused now


def test_redirects_are_kept_as_received_and_not_modified_answers_are_not_saved(tmp_path):
    redirects, pages = middlewares(tmp_path)
    moved = Response(LISTING, status=302, headers={"Location": MOVED_LISTING, "Set-Cookie": "id=1"})
    assert redirects.process_response(request(LISTING), moved) is moved
    unchanged = Response("https://report.az/en/rss/", status=304)
    assert pages.process_response(request("https://report.az/en/rss/"), unchanged) is unchanged
    close(redirects, pages)
    (fixture,) = FixtureSet.load(tmp_path).fixtures
    assert (fixture.url, fixture.status, fixture.headers) == (
        LISTING,
        302,
        {"Location": MOVED_LISTING},
    )
    assert redirects.stats.get_value("newsmon/record/saved") == 1


def test_large_bodies_are_saved_gzip_compressed(tmp_path):
    _, pages = middlewares(tmp_path)
    body = b"<html><body>" + b"<p>paragraph</p>" * (GZIP_ABOVE // 16) + b"</body></html>"
    pages.process_response(
        request(ARTICLE_URL),
        HtmlResponse(ARTICLE_URL, body=body, headers={"Content-Type": "text/html"}),
    )
    close(pages)
    fixtures = FixtureSet.load(tmp_path)
    (fixture,) = fixtures.fixtures
    assert fixture.file.endswith(".html.gz")
    assert (
        fixture.name
        == "report_az/en-military-azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
    )
    assert gzip.decompress((tmp_path / fixture.file).read_bytes()) == body
    assert fixtures.body(fixture) == body


def test_nothing_is_written_outside_the_directory(tmp_path, caplog):
    directory, outside = tmp_path / "recording", tmp_path / "outside"
    directory.mkdir()
    outside.mkdir()
    (directory / "report_az").symlink_to(outside)
    _, pages = middlewares(directory)
    with caplog.at_level(logging.ERROR, logger="newsmon.fixtures.record"):
        pages.process_response(request(ARTICLE_URL), HtmlResponse(ARTICLE_URL, body=b"<p>x</p>"))
    close(pages)
    assert list(outside.iterdir()) == []
    assert FixtureSet.load(directory).fixtures == []
    assert pages.stats.get_value("newsmon/record/errors") == 1
    assert [record.getMessage() for record in caplog.records] == [
        f"record: {ARTICLE_URL} not saved: 'report_az/en-military-azerbaijan-turkiye-discuss-"
        f"expanding-defense-industry-cooperation.html': points outside the fixture directory {directory}"
    ]
