"""Pages named on the command line (`newsmon extract`): saved files or URLs, one or many.

Each input is read as a crawl would read it (`discover.read_page`); one that cannot be read
gives a PageInputError naming it, and the others are read all the same.
"""

from __future__ import annotations

import zlib
from datetime import datetime
from pathlib import Path

from parsel import Selector

from newsmon.config import GENERIC, Config, http_url_problem
from newsmon.crawl.discover import DiscoveryError, PageReading, fetch, read_page
from newsmon.extract.readable import decode_body


class PageInputError(Exception):
    """An input cannot be read; the message starts with the input (its path or URL)."""


# A saved page may be gzip-compressed (`page.html.gz`, as test sets and archives keep them);
# one that inflates beyond this is refused rather than read into memory.
MAX_SAVED_PAGE_BYTES = 64 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


def read_input(
    target: str,
    config: Config,
    fetched_at: datetime,
    *,
    page_url: str | None = None,
    allow_private: bool = False,
) -> PageReading:
    """Read the page at URL `target` (fetched) or in the saved file `target`.

    A saved file's address is `page_url`, else its absolute <link rel=canonical>. A URL is
    fetched from a private address when `allow_private` says so or when it belongs to a
    configured source with `allow_private_addresses = true`.
    """
    if target.startswith(("http://", "https://")):
        html, url = _fetched_page(target, config, allow_private)
        url = page_url or url
    else:
        html, url = _saved_page(Path(target), page_url)
    return read_page(url, html, fetched_at, config)


def _fetched_page(url: str, config: Config, allow_private: bool) -> tuple[str, str]:
    private = allow_private or any(
        source.allow_private_addresses and source.on_site(url) for source in config.of_kind(GENERIC)
    )
    try:
        answer = fetch(url, allow_private=private)
    except DiscoveryError as error:
        raise PageInputError(str(error)) from error
    if not answer.ok:
        moved = f" (at {answer.url})" if answer.url != url else ""
        raise PageInputError(f"{url}: HTTP {answer.status}{moved}")
    return answer.text, answer.url


def _saved_page(path: Path, page_url: str | None) -> tuple[str, str]:
    """The saved page's text and its URL (`page_url`, else its canonical link)."""
    try:
        body = path.read_bytes()
    except OSError as error:
        raise PageInputError(f"{path}: cannot read: {error.strerror}") from error
    if body.startswith(_GZIP_MAGIC):
        body = _inflated(body, path)
    html = decode_body(body).text
    if html is None:
        raise PageInputError(f"{path}: not a web page (empty or binary)")
    url = page_url or Selector(text=html).xpath("//link[@rel='canonical']/@href").get()
    if not url:
        raise PageInputError(
            f"{path}: give --url: the page has no <link rel=canonical> to take it from"
        )
    if (problem := http_url_problem(url)) is not None:
        source = "--url" if page_url else "its <link rel=canonical>"
        raise PageInputError(f"{path}: the page's address from {source} {problem}")
    return html, url


def _inflated(body: bytes, path: Path) -> bytes:
    """A gzip-compressed saved page's bytes, no more than MAX_SAVED_PAGE_BYTES of them."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        page = inflater.decompress(body, MAX_SAVED_PAGE_BYTES)
    except zlib.error as error:
        raise PageInputError(f"{path}: damaged gzip file: {error}") from error
    if inflater.unconsumed_tail:
        raise PageInputError(
            f"{path}: larger than {MAX_SAVED_PAGE_BYTES:,} bytes once decompressed, not read"
        )
    if not inflater.eof:
        raise PageInputError(f"{path}: damaged gzip file: it ends before its data does")
    return page
