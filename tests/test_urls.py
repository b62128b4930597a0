"""Canonical URLs: one spelling per page, whatever link led to it (`newsmon.normalize.urls`)."""

from __future__ import annotations

import pytest

from newsmon.normalize.urls import canonical_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://[2606:4700::1111]/a", "http://[2606:4700::1111]/a"),
        ("HTTP://[2606:4700::1111]:80/a/", "http://[2606:4700::1111]/a"),
        ("https://[2606:4700::1111]:8443/a?utm_source=x", "https://[2606:4700::1111]:8443/a"),
        ("http://[2606:4700:0:0::1111]/a", "http://[2606:4700::1111]/a"),
        ("http://[2606:4700::ABCD]/", "http://[2606:4700::abcd]/"),
        ("http://[::ffff:1.2.3.4]/", "http://[::ffff:102:304]/"),
    ],
)
def test_an_ipv6_literal_keeps_its_brackets_in_its_canonical_form(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected


def test_a_relative_link_on_an_ipv6_page_resolves_against_it() -> None:
    assert canonical_url("../b", "http://[2606:4700::1111]/x/y") == "http://[2606:4700::1111]/b"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://example.test:abc/a", "http://example.test:abc/a: port 'abc' is not a number"),
        ("http://example.test:99999/a", "http://example.test:99999/a: port 99999 is out of range"),
        ("http://[2606:4700::1111/a", "http://[2606:4700::1111/a: invalid IPv6 address"),
    ],
)
def test_an_unusable_address_is_a_value_error_naming_it(url: str, problem: str) -> None:
    with pytest.raises(ValueError) as raised:
        canonical_url(url)
    assert str(raised.value) == problem
