"""The registry of sites with their own parser: every module of this package with a `SITE`."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from newsmon.sites.base import Site
from newsmon.urls import site_host


@cache
def all_sites() -> dict[str, Site]:
    """Every registered site, by id."""
    sites: dict[str, Site] = {}
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        site = getattr(module, "SITE", None)
        if isinstance(site, Site):
            sites[site.id] = site
    return dict(sorted(sites.items()))


def site_for_url(url: str) -> Site | None:
    """The registered site whose domains include the host of `url`."""
    host = site_host(url)
    for site in all_sites().values():
        if any(host == domain or host.endswith("." + domain) for domain in site.allowed_domains):
            return site
    return None
