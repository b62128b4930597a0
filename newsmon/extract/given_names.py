"""Given names, to tell a person's name from a brand's of the same shape ("Polly Barks" beside
"Quiet Light"): those Faker's person providers list for about 80 locales, drawn from national
name statistics, about 26,000 names."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

import faker.providers.person

# The attributes a locale's person provider lists its given names under.
_NAME_LISTS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
# The provider of no locale, whose long list of rarely given US names holds words ("Royal",
# "Berlin", "Golden", "Case"): left out, as it makes brands read as people.
_GENERIC = f"{faker.providers.person.__name__}.en"


def is_given_name(word: str) -> bool:
    """Whether `word` is a given name in some locale ("Elizabeth", "Johannes"; not
    "Business" or "Royal"), compared without case."""
    return word.casefold() in _given_names()


@cache
def _given_names() -> frozenset[str]:
    names: set[str] = set()
    for locale in pkgutil.iter_modules(faker.providers.person.__path__):
        module = importlib.import_module(f"{faker.providers.person.__name__}.{locale.name}")
        for attribute in _NAME_LISTS:
            # the class attribute of the provider or of the nearest base defining it
            owner = next(
                (cls for cls in module.Provider.__mro__ if attribute in cls.__dict__), None
            )
            listed = owner.__dict__[attribute] if owner else None
            if owner is None or owner.__module__ == _GENERIC:
                continue
            if isinstance(listed, (tuple, list, dict, set, frozenset)):
                names.update(name.casefold() for name in listed)
    return frozenset(names)
