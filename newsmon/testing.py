"""Check site parsers against their fixtures with pytest: the public import path of
`newsmon.fixtures.testing`, which your own repository's tests use (`newsmon spider new` writes
them so)."""

from newsmon.fixtures.testing import (
    FixtureCase,
    assert_every_site_has_fixtures,
    assert_fixture_matches,
    fixture_cases,
)

__all__ = [
    "FixtureCase",
    "assert_every_site_has_fixtures",
    "assert_fixture_matches",
    "fixture_cases",
]
