"""Start-up time of the `newsmon` command (run by hand).

    python benchmarks/startup.py [--runs 10]

Each command runs `--runs` times as users run it (`python -m newsmon …`, a child process of
its own) against a small store made by a replay crawl of the seeds with the example watches:
`--version`, `--help`, `new` (`--since 0`: everything related, marking nothing, so that every
run does the same), `appearances`, `stories` and `match` must each start and finish within
0.25 s (the median of the runs); `crawl --help` is measured for comparison,
and so is Python starting and ending without newsmon (`python -c pass`), which shows what the
machine's load adds to every figure.
Writes `benchmarks/results/startup-<YYYYMMDD>.json` and `.md`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from common import RESULTS, ROOT, machine_line, report_header, run_measured, write_results

TARGET_S = 0.25
# name → (arguments after `newsmon`, whether the 0.25 s target applies)
COMMANDS: dict[str, tuple[list[str], bool]] = {
    "--version": (["--version"], True),
    "--help": (["--help"], True),
    "new": (["new", "--since", "0"], True),
    "appearances": (["appearances"], True),
    "stories": (["stories"], True),
    "match": (["match", "azerbaijan türkiye defense"], True),
    "crawl --help": (["crawl", "--help"], False),
}


def measure(runs: int) -> dict[str, Any]:
    """The wall time of every command over `runs` runs, against a store of the seeds."""
    report = report_header()
    report["runs"] = runs
    report["load_average"] = os.getloadavg()
    report["target_s"] = TARGET_S
    report["commands"] = {}
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "startup.db")
        for arguments in (
            ["watch", "import", "watches.example.toml"],
            ["crawl", "--replay", "seeds"],
        ):
            subprocess.run(
                [sys.executable, "-m", "newsmon", *arguments, "--db", db],
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
        commands = {"python -c pass": ([sys.executable, "-c", "pass"], False)}
        for name, (arguments, targeted) in COMMANDS.items():
            with_db = arguments if arguments[-1].startswith("-") else [*arguments, "--db", db]
            commands[f"newsmon {name}"] = ([sys.executable, "-m", "newsmon", *with_db], targeted)
        for name, (command, targeted) in commands.items():
            walls = [
                run_measured(command, cwd=ROOT, sample_every=10).check(name).wall_s
                for _ in range(runs)
            ]
            median = statistics.median(walls)
            report["commands"][name] = {
                "arguments": command[1:],
                "median_s": round(median, 3),
                "min_s": round(min(walls), 3),
                "max_s": round(max(walls), 3),
                "target_met": median <= TARGET_S if targeted else None,
            }
    return report


def to_markdown(report: dict[str, Any]) -> str:
    """A short report: one line per command."""
    lines = [
        f"# Start-up of the newsmon command ({report['date'][:10]})",
        "",
        machine_line(report),
        "",
        f"Median of {report['runs']} runs of `python -m newsmon …`; "
        f"target ≤ {report['target_s']} s. Load average (1, 5, 15 min) when measured: "
        f"{', '.join(f'{load:.1f}' for load in report['load_average'])} "
        f"on {report['machine']['cpu_count']} CPUs.",
        "",
        "| Command | Median (s) | Min (s) | Max (s) | Target met |",
        "| --- | --- | --- | --- | --- |",
    ]
    shown = {True: "yes", False: "**no**", None: "(no target)"}
    for name, figures in report["commands"].items():
        lines.append(
            f"| `{name}` | {figures['median_s']} | {figures['min_s']} | "
            f"{figures['max_s']} | {shown[figures['target_met']]} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    """Measure every command and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be positive")
    report = measure(args.runs)
    markdown = to_markdown(report)
    print(markdown)
    if not args.no_write:
        stem = write_results("startup", report, markdown, args.out)
        print(f"written: {stem}.json, {stem}.md")


if __name__ == "__main__":
    main()
