"""The `newsmon` command: a thin layer over the library; each command calls library functions.

Every module of this package adds its commands to the `cli` group of `newsmon.cli.base`.
"""

from __future__ import annotations

import importlib
import pkgutil

from newsmon.cli.base import cli

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")


def main() -> None:
    """Console-script entry point."""
    cli()
