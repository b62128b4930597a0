"""The `newsmon` command: a thin layer over the library; each command calls library functions.

Each module of this package defines commands; `newsmon.cli.base.COMMANDS` names them for the
`cli` group, which imports a module only when one of its commands is needed.
"""

from __future__ import annotations

from newsmon.cli.base import cli


def main() -> None:
    """Console-script entry point: the `cli` group."""
    cli()
