"""newsmon's settings: declared once, read and checked through the declaration."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from newsmon.settings_table import (
    DECLARED,
    SETTINGS,
    SettingError,
    module_values,
    project_settings,
    reference_markdown,
)
from tests.conftest import SEEDS
from tests.helpers import ROOT, newsmon

PACKAGE = ROOT / "newsmon"


def test_every_newsmon_name_used_in_the_package_is_declared() -> None:
    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"\bNEWSMON_[A-Z0-9_]*[A-Z0-9]\b", path.read_text("utf-8")))
    assert "NEWSMON_LOG_MAX_BYTES" in used
    assert sorted(used - set(DECLARED)) == []


def test_the_settings_module_takes_its_values_from_the_declaration() -> None:
    from newsmon import settings

    for name, value in module_values().items():
        assert getattr(settings, name) == value, name
    defaults = module_values({})
    assert defaults["NEWSMON_STORE_BATCH"] == 500
    assert (
        defaults["USER_AGENT"]
        == "newsmon/0.2.0 (news monitor; +https://github.com/newsmon/newsmon)"
    )
    assert defaults["DOWNLOAD_HANDLERS"] == {}


def test_each_newsmon_setting_has_the_environment_variable_of_its_name() -> None:
    variables = {s.name: s.variable for s in SETTINGS}
    assert variables["NEWSMON_LOG_MAX_BYTES"] == "NEWSMON_LOG_MAX_BYTES"
    assert variables["NEWSMON_DB"] == "NEWSMON_DB"
    assert variables["NEWSMON_CRAWL_ID"] is None  # newsmon sets it for each run
    assert variables["DOWNLOAD_DELAY"] is None  # Scrapy's: -s or a settings module
    values = module_values({"NEWSMON_LOG_MAX_BYTES": "1000", "NEWSMON_RESOLVE": "a.test=h:1"})
    assert values["NEWSMON_LOG_MAX_BYTES"] == 1000
    assert values["NEWSMON_RESOLVE"] == {"a.test": "h:1"}
    assert values["DOWNLOAD_HANDLERS"] == {
        "http": "newsmon.crawl.resolve.ResolvingDownloadHandler",
        "https": "newsmon.crawl.resolve.ResolvingDownloadHandler",
    }


def test_the_reference_has_a_table_per_concern_with_a_row_per_setting() -> None:
    text = reference_markdown()
    assert text.startswith("# Settings reference\n")
    assert "\n## Unattended runs\n\n| Name | Default | Expects | Environment variable |" in text
    assert (
        "| `NEWSMON_LOG_MAX_BYTES` | `5242880` | a whole number ≥ 0 | `NEWSMON_LOG_MAX_BYTES` | "
        "`newsmon run` rotates its log file when it grows beyond this many bytes (0: never). |"
    ) in text.splitlines()
    assert (
        "| `DOWNLOAD_DELAY` | `0.5` | a number of seconds ≥ 0 | — | "
        "The least pause between two requests to one site (Scrapy: 0). |"
    ) in text.splitlines()
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(rows) == len(SETTINGS)


def test_project_settings_parse_text_values_of_declared_settings() -> None:
    settings = project_settings(
        {"NEWSMON_STORE_BATCH": "250", "NEWSMON_REFRESH": "yes", "NEWSMON_RESOLVE": "A.test=h:8"}
    )
    assert settings["NEWSMON_STORE_BATCH"] == 250
    assert settings["NEWSMON_REFRESH"] is True
    assert settings["NEWSMON_RESOLVE"] == {"a.test": "h:8"}
    assert settings["DOWNLOAD_HANDLERS"] == {
        "http": "newsmon.crawl.resolve.ResolvingDownloadHandler",
        "https": "newsmon.crawl.resolve.ResolvingDownloadHandler",
    }
    assert project_settings({"NEWSMON_CONTACT": "ops@example.org"})["USER_AGENT"] == (
        "newsmon/0.2.0 (news monitor; +ops@example.org)"
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"NEWSMON_STORE_BATCH": "abc"},
            "-s NEWSMON_STORE_BATCH='abc': expects a whole number ≥ 1",
        ),
        ({"NEWSMON_STORE_BATCH": "0"}, "-s NEWSMON_STORE_BATCH='0': expects a whole number ≥ 1"),
        ({"DOWNLOAD_DELAY": "-1"}, "-s DOWNLOAD_DELAY='-1': expects a number of seconds ≥ 0"),
        (
            {"NEWSMON_REFRESH": "maybe"},
            "-s NEWSMON_REFRESH='maybe': expects true or false (also 1/0, yes/no, on/off)",
        ),
        (
            {"NEWSMON_RESOLVE": "a.test=h:1,x"},
            "-s NEWSMON_RESOLVE='a.test=h:1,x': entry 'x' is not host=address:port; "
            "expects host=address:port entries separated by commas",
        ),
        (
            {"NEWSMON_STORE_BACH": "5"},
            "unknown setting NEWSMON_STORE_BACH (did you mean NEWSMON_STORE_BATCH?)",
        ),
    ],
)
def test_a_setting_that_does_not_fit_is_named_with_what_it_expects(overrides, message) -> None:
    with pytest.raises(SettingError) as raised:
        project_settings(overrides)
    assert str(raised.value) == message


RESOLVE_ERROR = (
    "Error: environment variable NEWSMON_RESOLVE='x': entry 'x' is not host=address:port; "
    "expects host=address:port entries separated by commas\n"
)


@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_and_version_never_read_settings(option: str) -> None:
    result = newsmon(option, env={"NEWSMON_RESOLVE": "x", "NEWSMON_STORE_BATCH": "abc"})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize("command", ["crawl", "run"])
def test_a_bad_environment_variable_stops_a_crawl_or_run_in_one_line(command, tmp_path) -> None:
    db = tmp_path / "n.db"
    result = newsmon(command, "--replay", str(SEEDS), "--db", str(db), env={"NEWSMON_RESOLVE": "x"})
    assert (result.returncode, result.stdout, result.stderr) == (1, "", RESOLVE_ERROR)
    assert not db.exists()


def test_a_bad_setting_stops_a_crawl_before_it_starts(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    sqlite3.connect(db).close()
    result = newsmon(
        "crawl", "--replay", str(SEEDS), "--db", str(db), "-s", "NEWSMON_STORE_BATCH=abc"
    )
    assert result.returncode == 1
    assert result.stderr == "Error: -s NEWSMON_STORE_BATCH='abc': expects a whole number ≥ 1\n"
    assert db.stat().st_size == 0  # no crawl recorded


def test_the_log_size_limit_is_read_from_the_environment(tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    log = tmp_path / "n.db.log"
    log.write_text("x" * 101)
    env = {"NEWSMON_LOG_MAX_BYTES": "100", "NEWSMON_LOG_BACKUPS": "1"}
    result = newsmon("run", "--replay", str(SEEDS), "--db", str(db), env=env)
    assert result.returncode == 0, result.stderr
    assert Path(f"{log}.1").read_text() == "x" * 101


def test_a_plain_scrapy_settings_read_takes_the_environment() -> None:
    code = (
        "from newsmon.settings_table import project_settings; "
        "print(project_settings().getint('NEWSMON_LOG_MAX_BYTES'))"
    )
    env = {"NEWSMON_LOG_MAX_BYTES": "1000", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert (result.stdout, result.stderr) == ("1000\n", "")
