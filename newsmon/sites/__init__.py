"""The registry of sites with their own parser: every module of this package with a `SITE`,
and every module with a `SITE` in the user directories named by `NEWSMON_SITES_DIR` (several
separated by `os.pathsep`), where a site may also replace a built-in one of the same id."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import pkgutil
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from newsmon.normalize.urls import site_host
from newsmon.sites.base import Site

SITES_DIR_ENV = "NEWSMON_SITES_DIR"
USER_MODULE_PREFIX = "newsmon_user_sites"

logger = logging.getLogger(__name__)
# Modules of this package that are no site: what every site builds on.
NOT_SITES = {"base", "parsing"}
_added_dirs: list[Path] = []


@cache
def all_sites() -> dict[str, Site]:
    """Every registered site, by id."""
    modules = [
        importlib.import_module(f"{__name__}.{module_info.name}")
        for module_info in pkgutil.iter_modules(__path__)
        if module_info.name not in NOT_SITES
    ]
    for directory in sites_dirs():
        modules.extend(_user_modules(directory))
    sites: dict[str, Site] = {}
    for module in modules:
        site = getattr(module, "SITE", None)
        if isinstance(site, Site):
            sites[site.id] = site
    return dict(sorted(sites.items()))


def sites_dirs() -> list[Path]:
    """The user directories of site modules: `NEWSMON_SITES_DIR`, then those added in code."""
    named = os.environ.get(SITES_DIR_ENV, "").split(os.pathsep)
    directories = [Path(entry).resolve() for entry in named if entry.strip()]
    return directories + [path for path in _added_dirs if path not in directories]


def add_sites_dir(directory: str | Path) -> None:
    """Register the site modules of `directory` too, as if it were in `NEWSMON_SITES_DIR`."""
    path = Path(directory).resolve()
    if path not in _added_dirs:
        _added_dirs.append(path)
        all_sites.cache_clear()


def site_for_url(url: str) -> Site | None:
    """The registered site whose domains include the host of `url`."""
    host = site_host(url)
    for site in all_sites().values():
        if any(host == domain or host.endswith("." + domain) for domain in site.allowed_domains):
            return site
    return None


def _user_modules(directory: Path) -> list[ModuleType]:
    """The modules of one user directory; one that cannot be loaded is logged and skipped."""
    if not directory.is_dir():
        logger.warning("%s=%s: not a directory, no site loaded from it", SITES_DIR_ENV, directory)
        return []
    modules = []
    for path in sorted(directory.glob("*.py")):
        if path.name.startswith("_"):
            continue
        name = f"{USER_MODULE_PREFIX}.{path.stem}"
        module = sys.modules.get(name)
        if module is None or Path(module.__file__ or "") != path:
            try:
                module = _load(name, path)
            except Exception as error:  # a user's module may fail in any way; say which
                reason = f"{type(error).__name__}: {error}"
                logger.warning("%s: site module not loaded: %s", path, reason)
                continue
        modules.append(module)
    return modules


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module
