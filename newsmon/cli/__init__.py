"""The `newsmon` command: a thin layer over the library; each command calls library functions.

Every module of this package adds its commands to the `cli` group of `newsmon.cli.base`.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from newsmon.cli.base import cli
from newsmon.store import StoreError

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")


def main() -> None:
    """Console-script entry point. A store failing in the middle of any command (disk full,
    damaged file) ends it like every other error: `Error: …` and exit 1."""
    try:
        cli()
    except StoreError as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
