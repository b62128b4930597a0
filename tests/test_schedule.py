"""`newsmon cron`: the crontab line, and installing it with a stand-in `crontab` program."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.ops.schedule import ScheduleError, cron_schedule, install, runs_newsmon_on

NEWSMON = str(Path(sys.executable).parent / "newsmon")

# A crontab program keeping the table in $FAKE_CRONTAB_FILE, answering like the real one.
FAKE_CRONTAB = """#!/bin/sh
if [ "$1" = "-l" ]; then
    if [ -f "$FAKE_CRONTAB_FILE" ]; then cat "$FAKE_CRONTAB_FILE"; exit 0; fi
    echo "no crontab for $(id -un)" >&2
    exit 1
fi
if [ "$1" = "-" ]; then cat > "$FAKE_CRONTAB_FILE"; exit 0; fi
echo "usage: crontab [-l | -]" >&2
exit 1
"""


@pytest.fixture
def crontab(tmp_path, monkeypatch) -> Path:
    """A fake `crontab` (NEWSMON_CRONTAB); returns the file holding the table."""
    program = tmp_path / "crontab"
    program.write_text(FAKE_CRONTAB)
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    table = tmp_path / "table"
    monkeypatch.setenv("NEWSMON_CRONTAB", str(program))
    monkeypatch.setenv("FAKE_CRONTAB_FILE", str(table))
    monkeypatch.delenv("NEWSMON_CONTACT", raising=False)
    monkeypatch.delenv("NEWSMON_CONFIG", raising=False)
    return table


def cron(*args: str):
    return CliRunner().invoke(cli, ["cron", *args], catch_exceptions=False)


@pytest.mark.parametrize(
    ("every", "fields"),
    [
        ("1m", "* * * * *"),
        ("5m", "*/5 * * * *"),
        ("15m", "*/15 * * * *"),
        ("30min", "*/30 * * * *"),
        ("60m", "0 * * * *"),
        ("1h", "0 * * * *"),
        ("2h", "0 */2 * * *"),
        ("12h", "0 */12 * * *"),
        ("24h", "0 0 * * *"),
        ("1d", "0 0 * * *"),
        ("7d", "0 0 * * 0"),
        ("1w", "0 0 * * 0"),
    ],
)
def test_schedules_cron_keeps_evenly(every, fields):
    assert cron_schedule(every) == fields


@pytest.mark.parametrize(
    ("every", "message"),
    [
        (
            "7m",
            "'7m': cron cannot keep that interval evenly; use minutes that divide an hour "
            "(1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30m), hours that divide a day "
            "(1, 2, 3, 4, 6, 8, 12h), 1d or 1w",
        ),
        ("5h", "'5h': cron cannot keep that interval evenly"),
        ("2d", "'2d': cron cannot keep that interval evenly"),
        ("0m", "'0m': the interval must be more than 0"),
        ("15", "'15': expected a number and a unit, e.g. 15m, 2h, 1d"),
        ("often", "'often': expected a number and a unit"),
    ],
)
def test_uneven_or_unreadable_intervals_are_rejected(every, message):
    with pytest.raises(ScheduleError) as error:
        cron_schedule(every)
    assert str(error.value).startswith(message)


def test_cron_prints_a_line_that_works_as_is(tmp_path, crontab, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cron("--every", "15m", "--db", "news.db")
    assert result.exit_code == 0
    assert result.output == (
        f"*/15 * * * * {NEWSMON} run --db {tmp_path}/news.db --log {tmp_path}/news.db.log\n"
    )
    assert not crontab.exists()


def test_cron_line_quotes_paths_escapes_percent_and_keeps_the_contact(
    tmp_path, crontab, monkeypatch
):
    monkeypatch.setenv("NEWSMON_CONTACT", "ops@example.org")
    result = cron(
        "--every", "2h", "--db", str(tmp_path / "my news" / "n%1.db"), "--log", "/var/log/n.log"
    )
    assert result.output == (
        f"0 */2 * * * NEWSMON_CONTACT=ops@example.org {NEWSMON} run "
        f"--db '{tmp_path}/my news/n\\%1.db' --log /var/log/n.log\n"
    )


def test_cron_names_the_sources_file_in_use(tmp_path, crontab, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "newsmon.toml").write_text("")
    result = cron("--every", "1h", "--db", "n.db")
    assert result.output == (
        f"0 * * * * {NEWSMON} run --db {tmp_path}/n.db --log {tmp_path}/n.db.log "
        f"--config {tmp_path}/newsmon.toml\n"
    )


def test_an_invalid_every_is_a_usage_error():
    result = cron("--every", "7m")
    assert result.exit_code == 2
    assert "Invalid value for '--every': '7m': cron cannot keep that interval evenly" in (
        result.output
    )


def test_install_adds_once_then_replaces_and_keeps_other_lines(tmp_path, crontab, monkeypatch):
    monkeypatch.chdir(tmp_path)
    crontab.write_text("MAILTO=me@example.org\n# backups\n0 3 * * * /usr/bin/backup --all\n")
    first = cron("--every", "15m", "--db", "news.db", "--install")
    line = f"*/15 * * * * {NEWSMON} run --db {tmp_path}/news.db --log {tmp_path}/news.db.log"
    assert first.output == f"added: {line}\n"
    again = cron("--every", "15m", "--db", "news.db", "--install")
    assert again.output == f"unchanged: {line}\n"
    hourly = cron("--every", "1h", "--db", str(tmp_path / "news.db"), "--install")
    hourly_line = line.replace("*/15 * * * *", "0 * * * *")
    assert hourly.output == f"replaced: {hourly_line}\n"
    other_db = cron("--every", "1d", "--db", "other.db", "--install")
    assert other_db.output.startswith("added: 0 0 * * * ")
    assert crontab.read_text() == (
        "MAILTO=me@example.org\n# backups\n0 3 * * * /usr/bin/backup --all\n"
        f"{hourly_line}\n{other_db.output.removeprefix('added: ')}"
    )


def test_install_starts_a_crontab_when_the_user_has_none(tmp_path, crontab):
    result = cron("--db", str(tmp_path / "n.db"), "--install")
    assert result.exit_code == 0
    assert crontab.read_text() == result.output.removeprefix("added: ")


def test_install_merges_duplicates_an_earlier_hand_edit_left(tmp_path, crontab):
    db = tmp_path / "n.db"
    crontab.write_text(
        f"*/5 * * * * newsmon run --db={db}\n"
        f"@hourly cd /srv && NEWSMON_CONTACT=x /opt/venv/bin/python -m newsmon run --db {db}\n"
        f"*/5 * * * * newsmon run --db {tmp_path}/elsewhere.db\n"
    )
    result = cron("--db", str(db), "--install")
    assert result.output.startswith("replaced: * * * * * ")  # every minute by default
    assert crontab.read_text().splitlines() == [
        result.output.removeprefix("replaced: ").strip(),
        f"*/5 * * * * newsmon run --db {tmp_path}/elsewhere.db",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "# */5 * * * * newsmon run --db /data/n.db",
        "NEWSMON_DB=/data/n.db",
        "*/5 * * * * newsmon crawl --db /data/n.db",
        "*/5 * * * * /bin/echo newsmon run --db /data/n.db",
        "*/5 * * * * newsmon run",
    ],
)
def test_lines_that_do_not_run_newsmon_on_the_database_are_left_alone(line):
    assert not runs_newsmon_on(line, "/data/n.db")


def test_a_missing_crontab_program_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSMON_CRONTAB", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ScheduleError, match=r"^crontab is not installed \(no `crontab` command"):
        install("*/15 * * * * newsmon run --db /data/n.db", "/data/n.db")
    result = cron("--db", str(tmp_path / "n.db"), "--install")
    assert result.exit_code == 1
    assert result.output.startswith("Error: crontab is not installed")


def test_a_failing_crontab_program_is_reported(tmp_path, crontab):
    Path(crontab.parent / "crontab").write_text(
        "#!/bin/sh\necho 'cron daemon is down' >&2\nexit 2\n"
    )
    result = cron("--db", str(tmp_path / "n.db"), "--install")
    assert result.exit_code == 1
    assert result.output == f"Error: {crontab.parent / 'crontab'} -l failed: cron daemon is down\n"
