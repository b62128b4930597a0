"""Live crawling against a real local server standing in for the seed sites."""

from __future__ import annotations

import json

from tests.conftest import SEEDS
from tests.fixture_server import serving
from tests.helpers import FAST, newsmon


def test_live_crawl_of_a_local_stand_in_gives_the_replay_result(tmp_path):
    with serving(SEEDS) as server:
        env = {"NEWSMON_RESOLVE": server.resolve_env("report.az", "ccbsnews.info")}
        run = newsmon("crawl", "--db", str(tmp_path / "live.db"), "--json", *FAST, env=env)
    assert run.returncode == 0, run.stderr
    summary = {s["source"]: s for s in json.loads(run.stdout)["sources"]}
    assert summary["report_az"]["new_appearances"] == 30
    assert summary["ccbsnews"]["new_appearances"] == 33
    assert server.requests["https://report.az/robots.txt"] == 1
    assert server.requests["https://report.az/en/rss/"] == 1
    assert json.loads(run.stdout)["mode"] == "live"
