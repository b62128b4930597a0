"""Scheduling `newsmon run` with cron: the crontab line, and installing it without duplicates.

The crontab program is `crontab` on PATH, or the executable named by `NEWSMON_CRONTAB`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CRONTAB_ENV = "NEWSMON_CRONTAB"
DEFAULT_EVERY = "1m"

_EVERY = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$")
_MINUTES = [n for n in range(1, 60) if 60 % n == 0]
_HOURS = [n for n in range(1, 24) if 24 % n == 0]
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


class ScheduleError(Exception):
    """The schedule or the crontab cannot be used; the message says why."""


def cron_schedule(every: str) -> str:
    """The five cron fields that run a job every `every` (`5m`, `15m`, `1h`, `2h`, `1d`, `1w`).

    Only intervals cron keeps evenly are accepted: minutes that divide an hour, hours that
    divide a day, a day or a week.
    """
    found = _EVERY.match(every)
    if found is None:
        raise ScheduleError(f"{every!r}: expected a number and a unit, e.g. 15m, 2h, 1d")
    number, unit = int(found.group(1)), found.group(2)
    if number == 0:
        raise ScheduleError(f"{every!r}: the interval must be more than 0")
    minutes = number * {"m": 1, "min": 1, "h": 60, "d": 1440, "w": 10080}[unit]
    if minutes in _MINUTES:
        return "* * * * *" if minutes == 1 else f"*/{minutes} * * * *"
    if minutes % 60 == 0 and minutes // 60 in _HOURS:
        hours = minutes // 60
        return "0 * * * *" if hours == 1 else f"0 */{hours} * * *"
    if minutes == 1440:
        return "0 0 * * *"
    if minutes == 10080:
        return "0 0 * * 0"
    raise ScheduleError(
        f"{every!r}: cron cannot keep that interval evenly; use minutes that divide an "
        f"hour ({', '.join(map(str, _MINUTES))}m), hours that divide a day "
        f"({', '.join(map(str, _HOURS))}h), 1d or 1w"
    )


def newsmon_command() -> list[str]:
    """This environment's `newsmon` command, as absolute words.

    The command being run when it is `newsmon`, else the `newsmon` installed next to this
    Python, else the one on PATH, else `python -m newsmon` with this Python.
    """
    invoked = Path(os.path.abspath(sys.argv[0])) if sys.argv and sys.argv[0] else None
    if invoked is not None and invoked.name == "newsmon" and os.access(invoked, os.X_OK):
        return [str(invoked)]
    beside_python = Path(sys.executable).parent / "newsmon"
    if os.access(beside_python, os.X_OK):
        return [str(beside_python)]
    found = shutil.which("newsmon")
    if found:
        return [os.path.abspath(found)]
    return [sys.executable, "-m", "newsmon"]


def cron_line(
    every: str, db_path: str, log_path: str | None = None, config_path: str | None = None
) -> str:
    """The crontab line running `newsmon run` on the database every `every`.

    Paths are absolute (cron starts jobs in the home directory); the log defaults to
    `<db>.log`. A `NEWSMON_CONTACT` set now is kept, since cron does not see the shell's
    environment.
    """
    schedule = cron_schedule(every)
    db = os.path.abspath(db_path)
    log = os.path.abspath(log_path) if log_path else db + ".log"
    arguments = [*newsmon_command(), "run", "--db", db, "--log", log]
    if config_path:
        arguments += ["--config", os.path.abspath(config_path)]
    words = [shlex.quote(word) for word in arguments]
    contact = os.environ.get("NEWSMON_CONTACT")
    if contact:
        words.insert(0, "NEWSMON_CONTACT=" + shlex.quote(contact))
    # cron turns an unescaped % into a newline.
    return f"{schedule} " + " ".join(words).replace("%", r"\%")


@dataclass(frozen=True)
class Installed:
    """What `install` did: `added`, `replaced` or `unchanged`, and the line."""

    action: str
    line: str


def install(line: str, db_path: str) -> Installed:
    """Put `line` in the user's crontab, replacing any newsmon run entry for the same database.

    Every other line of the crontab is kept as it is.
    """
    program = crontab_program()
    current = _read_crontab(program)
    db = os.path.abspath(db_path)
    kept: list[str] = []
    replaced = False
    for existing in current.splitlines():
        if runs_newsmon_on(existing, db):
            if not replaced:
                kept.append(line)
                replaced = True
            continue
        kept.append(existing)
    if not replaced:
        kept.append(line)
    table = "\n".join(kept) + "\n"
    if table == current:
        return Installed("unchanged", line)
    _write_crontab(program, table)
    return Installed("replaced" if replaced else "added", line)


def crontab_program() -> str:
    """`$NEWSMON_CRONTAB`, else `crontab` from PATH; ScheduleError when there is none."""
    override = os.environ.get(CRONTAB_ENV)
    if override:
        if not os.access(override, os.X_OK):
            raise ScheduleError(f"{CRONTAB_ENV}={override}: not an executable file")
        return override
    found = shutil.which("crontab")
    if found is None:
        raise ScheduleError(
            "crontab is not installed (no `crontab` command on PATH); install cron, or add the "
            "line printed by `newsmon cron` to your scheduler yourself"
        )
    return found


def runs_newsmon_on(line: str, db_path: str) -> bool:
    """Whether a crontab line runs `newsmon run` on the database at `db_path` (absolute)."""
    text = line.strip()
    if not text or text.startswith("#") or _ASSIGNMENT.match(text):
        return False
    fields = text.split(None, 1 if text.startswith("@") else 5)
    if len(fields) < (2 if text.startswith("@") else 6):
        return False
    try:
        words = shlex.split(fields[-1].replace(r"\%", "%"), comments=True)
    except ValueError:
        return False
    while words and _ASSIGNMENT.match(words[0]):
        words.pop(0)
    if "run" not in words or not _is_newsmon(words[: words.index("run")]):
        return False
    return _option(words, "--db") is not None and (
        os.path.abspath(_option(words, "--db") or "") == db_path
    )


def _is_newsmon(command: list[str]) -> bool:
    if len(command) == 1:
        return Path(command[0]).name == "newsmon"
    return command[-2:] == ["-m", "newsmon"]


def _option(words: list[str], name: str) -> str | None:
    for position, word in enumerate(words):
        if word == name and position + 1 < len(words):
            return words[position + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return None


def _read_crontab(program: str) -> str:
    result = _crontab(program, ["-l"], None)
    if result.returncode == 0:
        return result.stdout
    if "no crontab" in result.stderr.lower():
        return ""
    raise ScheduleError(f"{program} -l failed: {_first_line(result.stderr)}")


def _write_crontab(program: str, table: str) -> None:
    result = _crontab(program, ["-"], table)
    if result.returncode != 0:
        raise ScheduleError(f"{program} - failed: {_first_line(result.stderr)}")


def _crontab(program: str, args: list[str], table: str | None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [program, *args], input=table, capture_output=True, text=True, check=False, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ScheduleError(f"{program}: {error}") from error


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "no message"
