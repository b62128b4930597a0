"""CSS selectors compiled once, for the reads a site parser repeats on every entry of a page.

parsel makes an XPath evaluator and wraps every result in a new Selector on each `.css()`
call; a page of a hundred entries read with five selectors each pays that five hundred times.
The same CSS (parsel's dialect, with `::text` and `::attr(name)`) compiled once into an lxml
XPath object and run on the entry's element reads the same strings in about a third of the
time. A parser's selectors stay the CSS strings of its site file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Any, TypeAlias

from lxml import etree
from parsel import Selector
from parsel.csstranslator import css2xpath

Node: TypeAlias = "Selector | etree._Element"


# parsel's XPath dialect: EXSLT regular expressions and sets, and `has-class` (registered
# globally by parsel). An XPath object with namespaces of its own keeps memory for every
# document it runs on, so expressions that use the EXSLT prefixes are run as parsel runs them.
_EXSLT = {"re": "http://exslt.org/regular-expressions", "set": "http://exslt.org/sets"}
_EXSLT_PREFIX = re.compile(r"\b(?:re|set):")

Compiled: TypeAlias = Callable[[etree._Element], Any]


def is_xpath(expression: str) -> bool:
    """Whether a configured selector is XPath (it starts with `/` or `(`) rather than CSS."""
    return expression.lstrip().startswith(("/", "("))


@lru_cache(maxsize=1024)
def compiled(expression: str) -> Compiled:
    """A CSS or XPath selector, compiled (ValueError naming it when it is invalid)."""
    try:
        xpath = expression if is_xpath(expression) else css2xpath(expression)
        if _EXSLT_PREFIX.search(xpath):
            etree.XPath(xpath, namespaces=_EXSLT)  # checked now, run on each page's evaluator
            return partial(_with_exslt, xpath)
        return etree.XPath(xpath, smart_strings=False)
    except Exception as error:  # cssselect's and lxml's own syntax errors
        raise ValueError(f"invalid selector {expression!r}: {error}") from error


def _with_exslt(xpath: str, element: etree._Element) -> Any:
    return etree.XPathElementEvaluator(element, namespaces=_EXSLT, smart_strings=False)(xpath)


def _element(node: Node) -> etree._Element:
    return node.root if isinstance(node, Selector) else node


def select(node: Node, expression: str) -> list[str | etree._Element]:
    """What a CSS or XPath selector matches within `node`: elements, text and attribute values
    (ValueError naming the selector when the page cannot be queried with it)."""
    try:
        found = compiled(expression)(_element(node))
    except etree.XPathError as error:  # an unknown function, a wrong argument
        raise ValueError(f"invalid selector {expression!r}: {error}") from error
    if isinstance(found, list):
        return [value for value in found if isinstance(value, str | etree._Element)]
    return [str(found)]  # a number, string or boolean expression


def elements(node: Node, css: str) -> list[etree._Element]:
    """The elements `css` matches within `node` (the node itself included), in page order."""
    return [found for found in compiled(css)(_element(node)) if isinstance(found, etree._Element)]


def strings(node: Node, css: str) -> list[str]:
    """Every string a `::text` or `::attr(name)` selector matches: parsel's `.getall()`."""
    return [found for found in compiled(css)(_element(node)) if isinstance(found, str)]


def first(node: Node, css: str) -> str | None:
    """The first string a `::text` or `::attr(name)` selector matches: parsel's `.get()`."""
    for found in compiled(css)(_element(node)):
        if isinstance(found, str):
            return found
    return None


def link(node: Node, css: str) -> tuple[str | None, str | None]:
    """The first text and the `href` of the first element `css` matches (None, None: none)."""
    for element in elements(node, css):
        return first(element, "::text"), element.get("href")
    return None, None
