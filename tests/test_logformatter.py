"""Scrapy's per-page and per-item lines are made only when the crawl logs at DEBUG."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy import Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from newsmon.items import HeadlineItem
from newsmon.ops.logformatter import NewsmonLogFormatter
from tests.helpers import ROOT

URL = "https://report.az/en/news-feed"


@pytest.mark.parametrize(
    ("level", "made"), [("DEBUG", True), (logging.DEBUG, True), ("INFO", False), ("WARNING", False)]
)
def test_page_and_item_lines_only_at_debug(level, made):
    formatter = NewsmonLogFormatter.from_crawler(get_crawler(settings_dict={"LOG_LEVEL": level}))
    spider = Spider("report_az")
    response = HtmlResponse(URL, body=b"<html></html>", request=Request(URL))
    item = HeadlineItem(
        source="report_az",
        title="T",
        url=URL,
        page_url=URL,
        context="listing",
        seen_at="2026-03-03T10:45:00+00:00",
    )
    crawled = formatter.crawled(response.request, response, spider)
    scraped = formatter.scraped(item, response, spider)
    assert (crawled is not None, scraped is not None) == (made, made)
    if made:
        assert crawled["level"] == scraped["level"] == logging.DEBUG


def plain_scrapy_crawl(tmp_path: Path, *settings: str) -> tuple[str, list[dict]]:
    """`scrapy crawl report_az` from the project directory, replaying the seeds: its log and
    its items."""
    items = tmp_path / "items.jsonl"
    environment = {key: value for key, value in os.environ.items() if key != "NEWSMON_CONFIG"}
    environment.update({"NEWSMON_REPLAY": "seeds", "NEWSMON_DB": str(tmp_path / "n.db")})
    run = subprocess.run(
        [sys.executable, "-m", "scrapy.cmdline", "crawl", "report_az", "-O", str(items), *settings],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    lines = items.read_text(encoding="utf-8").splitlines()
    return run.stderr, [json.loads(line) for line in lines]


def test_a_plain_scrapy_crawl_logs_every_item_at_debug_only(tmp_path):
    debug_log, items = plain_scrapy_crawl(tmp_path, "-s", "LOG_LEVEL=DEBUG")
    assert len(items) == 31
    # One message a page: its count of items, then one line each.
    counts = re.findall(r"Scraped (\d+) items from <200 https://report\.az/", debug_log)
    assert sum(int(count) for count in counts) == 31
    assert debug_log.count("HeadlineItem(") + debug_log.count("ArticleItem(") == 31
    info_log, again = plain_scrapy_crawl(tmp_path, "-s", "LOG_LEVEL=INFO")
    assert again == items
    assert "Scraped" not in info_log and "Crawled (200)" not in info_log
