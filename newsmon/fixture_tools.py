"""Spider authors' fixture tools: pin what a site's parser yields for each saved page, check it
again after every change, and add pages to a fixture set.

Next to every HTML/XML fixture of a registered site that is one of its feed, listing or article
pages, `<name>.expected.json` holds the items the site's spider yields for it (decided and
parsed exactly as in a crawl, by `newsmon.parsing`), sorted and pretty-printed to be read in a
diff. `check_case` parses the page again and names every field that changed.
"""

from __future__ import annotations

import gzip
import json
import mimetypes
import urllib.error
import urllib.request
import zlib
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from scrapy.http import Headers, TextResponse
from scrapy.responsetypes import responsetypes

from newsmon.dates import UTC, parse_iso, utc_iso
from newsmon.fixtures import MANIFEST, Fixture, FixtureError, FixtureSet, inside, saved_headers
from newsmon.items import ArticleItem
from newsmon.parsing import (
    FEED,
    LISTING,
    article_items,
    feed_items,
    listing_items,
    page_kind,
)
from newsmon.settings_table import environment_value
from newsmon.sites import all_sites
from newsmon.sites.base import Item, Page, Site
from newsmon.urls import canonical_url

EXPECTED_SUFFIX = ".expected.json"
FETCH_TIMEOUT = 30
MAX_REDIRECTS = 5
_DOCUMENT_EXTENSIONS = (".html", ".htm", ".xhtml", ".xml", ".rss", ".atom")


@dataclass(frozen=True)
class FixtureCase:
    """One fixture to check: a saved page of a registered site, or an expected file left
    without its page (`fixture` None, `reason` says why)."""

    label: str
    fixtures: FixtureSet
    expected_path: Path
    fixture: Fixture | None = None
    kind: str | None = None
    reason: str = ""

    def __str__(self) -> str:
        return self.label

    @property
    def source(self) -> str | None:
        """The fixture's source id (None for an expected file without its page)."""
        return self.fixture.source if self.fixture else None


@dataclass
class Scan:
    """The fixture cases under a directory, and the pages that have none (with why)."""

    cases: list[FixtureCase] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def fixture_sets(directory: str | Path) -> list[FixtureSet]:
    """Every fixture set under `directory` (each `manifest.json`, recursively), in path order."""
    root = Path(directory)
    if not root.is_dir():
        raise FixtureError(f"{directory}: no such fixture directory")
    manifests = sorted(root.rglob(MANIFEST), key=lambda path: path.parent.as_posix())
    return [FixtureSet.load(manifest.parent) for manifest in manifests]


def scan(directory: str | Path, source: str | None = None) -> Scan:
    """The fixture cases under `directory` (of `source` only, when given)."""
    base = Path(directory).resolve()
    result = Scan()
    claimed: dict[Path, str] = {}  # expected file -> why its page has no case
    for fixtures in fixture_sets(base):
        prefix = fixtures.root.relative_to(base).as_posix()
        for fixture in fixtures.fixtures:
            if source and fixture.source != source:
                continue
            label = fixture.name if prefix == "." else f"{prefix}/{fixture.name}"
            expected = inside(fixtures.root, fixture.name + EXPECTED_SUFFIX)
            kind, reason = _classify(fixtures, fixture)
            if kind is None:
                claimed[expected] = reason
                if reason:
                    result.skipped.append(f"{label}: {reason}")
                continue
            claimed[expected] = ""
            result.cases.append(FixtureCase(label, fixtures, expected, fixture, kind))
    for found in sorted(base.rglob("*" + EXPECTED_SUFFIX)):
        path = found.resolve()
        why = claimed.get(path)
        if why == "":
            continue  # the expected file of a case
        owner = _owning_set(path, base)
        name = path.relative_to(owner.root).as_posix() if owner else ""
        if source and not name.startswith(f"{source}/"):
            continue
        label = path.relative_to(base).as_posix().removesuffix(EXPECTED_SUFFIX)
        result.cases.append(
            FixtureCase(
                label,
                owner or FixtureSet(base, []),
                path,
                reason=why or "expected file without a fixture in its manifest",
            )
        )
    result.cases.sort(key=lambda case: case.label)
    return result


def fixture_cases(directory: str | Path, source: str | None = None) -> list[FixtureCase]:
    """The fixture cases under `directory`, e.g. for `pytest.mark.parametrize`."""
    return scan(directory, source).cases


def sites_without_fixtures(cases: list[FixtureCase]) -> list[str]:
    """The ids of registered sites that no case checks."""
    checked = {case.source for case in cases if case.fixture is not None}
    return [site_id for site_id in all_sites() if site_id not in checked]


def parse_case(case: FixtureCase, version: str | None = None) -> dict[str, Any]:
    """What the site's spider yields for the case's page, as the expected-file document.

    `version` forces a parser version instead of the one valid on the fetch date.
    """
    fixture = _page_fixture(case)
    assert case.kind is not None
    site = all_sites()[fixture.source]
    parser = site.parser_version(version) if version else None
    items: list[Item]
    if case.kind == FEED:
        body = case.fixtures.body(fixture)
        items = list(feed_items(site, fixture.url, body, fixture.fetched_at))
    elif case.kind == LISTING:
        items = list(listing_items(site, fixture_page(case.fixtures, fixture), parser))
    else:
        items = list(article_items(site, fixture_page(case.fixtures, fixture), parser))
    return expected_document(fixture, case.kind, items)


def expected_document(fixture: Fixture, kind: str, items: list[Item]) -> dict[str, Any]:
    """The expected-file document of a page: where it came from and its items, sorted."""
    records = [{"kind": _item_kind(item), **asdict(item)} for item in items]
    return {
        "fetched_at": fixture.fetched_at,
        "items": sorted(records, key=_sort_key),
        "page_kind": kind,
        "url": fixture.url,
    }


def dumps(document: dict[str, Any]) -> str:
    """The document as stable, sorted, pretty-printed JSON, meant to be read in a diff."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_expected(case: FixtureCase) -> int:
    """Write the case's expected file from what the parser yields now; the number of items."""
    document = parse_case(case)
    case.expected_path.write_text(dumps(document), encoding="utf-8")
    return len(document["items"])


def check_case(
    case: FixtureCase, version: str | None = None, cases: list[FixtureCase] | None = None
) -> list[str]:
    """Every difference between the page's items now and its expected file, one line each,
    prefixed by the case's label; empty when they match.

    Without an expected file, the items are compared in outline with those of the latest
    other fixture of the same site and page kind among `cases`, to show what changed.
    """
    if case.fixture is None:
        return [f"{case.label}: {case.reason}"]
    try:
        got = parse_case(case, version)
    except (FixtureError, OSError, KeyError) as error:
        return [f"{case.label}: {error}"]
    except Exception as error:  # a parser bug: say where, like a crawl would log it
        return [f"{case.label}: parser failed: {type(error).__name__}: {error}"]
    if not case.expected_path.exists():
        lines = [
            f"{case.label}: no expected file {case.expected_path.name} "
            "(write it with `newsmon fixtures expect`, after reviewing the items)"
        ]
        reference = _reference(case, cases or [])
        if reference is not None:
            expected = json.loads(reference.expected_path.read_text(encoding="utf-8"))
            lines += [
                f"{case.label}: compared with {reference.label}: {line}"
                for line in outline_changes(expected, got)
            ]
        return lines
    try:
        expected = json.loads(case.expected_path.read_text(encoding="utf-8"))
        if not isinstance(expected, dict) or not isinstance(expected.get("items"), list):
            raise ValueError("expected an object with an 'items' list")
    except (OSError, ValueError) as error:
        return [f"{case.label}: expected file {case.expected_path.name} unreadable: {error}"]
    return [f"{case.label}: {line}" for line in compare(expected, got)]


def compare(expected: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Field-by-field differences; items are matched by (kind, context, url, position)."""
    lines = []
    if expected.get("page_kind") != got["page_kind"]:
        lines.append(
            f"page kind: expected {_show(expected.get('page_kind'))}, got {got['page_kind']}"
        )
    produced = {_match_key(record): record for record in got["items"]}
    wanted = {_match_key(record) for record in expected["items"]}
    for record in expected["items"]:
        actual = produced.get(_match_key(record))
        if actual is None:
            lines.append(f"missing {_describe(record)}")
            continue
        lines += [f"{_item_label(record)}: {line}" for line in _field_changes(record, actual)]
    for record in got["items"]:
        if _match_key(record) not in wanted:
            lines.append(f"extra {_describe(record)}")
    return lines


def outline_changes(reference: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """How a page's items differ in outline from another page's: article fields filled
    there and empty here (or read another way), and headline counts per context."""
    lines = []
    theirs = [record for record in reference["items"] if record.get("kind") == "article"]
    ours = [record for record in got["items"] if record.get("kind") == "article"]
    if theirs and ours:
        for name, value in sorted(theirs[0].items()):
            if name == "methods" or not value or ours[0].get(name):
                continue
            lines.append(f"article: {name}: filled there, empty here")
        for name, method in sorted(theirs[0].get("methods", {}).items()):
            mine = ours[0].get("methods", {}).get(name)
            if mine != method:
                lines.append(f"article: methods.{name}: {method} there, {_show(mine)} here")
    elif theirs:
        lines.append("article: there, none here")
    counts = [
        Counter(r.get("context") for r in document["items"] if r.get("kind") == "headline")
        for document in (reference, got)
    ]
    for context in sorted(set(counts[0]) | set(counts[1])):
        if counts[0][context] != counts[1][context]:
            lines.append(
                f"{context} headlines: {counts[0][context]} there, {counts[1][context]} here"
            )
    return lines


def fixture_page(fixtures: FixtureSet, fixture: Fixture) -> Page:
    """The saved page as a parser's page, decoded as a crawl decodes it."""
    body = fixtures.body(fixture)
    response = text_response(fixture.url, fixture.headers, body, fixture.status)
    if response is None:
        raise FixtureError(f"{fixture.file}: not a text page")
    fetched_at = parse_iso(fixture.fetched_at)
    if fetched_at is None:
        raise FixtureError(f"{fixture.file}: fetch time {fixture.fetched_at!r} is not ISO 8601")
    return Page(
        url=fixture.url, selector=response.selector, fetched_at=fetched_at, source=fixture.source
    )


def text_response(
    url: str, headers: dict[str, str], body: bytes, status: int = 200
) -> TextResponse | None:
    """The saved response as Scrapy builds it for a crawl (so decoded alike); None unless
    it is text."""
    scrapy_headers = Headers(headers)
    response_class = responsetypes.from_args(headers=scrapy_headers, url=url, body=body)
    response = response_class(url=url, status=status, headers=scrapy_headers, body=body)
    return response if isinstance(response, TextResponse) else None


@dataclass
class Fetched:
    """A page as fetched or read from a file, ready to be saved as a fixture."""

    url: str
    body: bytes
    headers: dict[str, str]
    fetched_at: str
    redirects: list[tuple[str, int, str]] = field(default_factory=list)  # (url, status, to)


def fetch_page(url: str, user_agent: str, timeout: float = FETCH_TIMEOUT) -> Fetched:
    """GET `url` (following up to MAX_REDIRECTS redirects, each kept); FixtureError unless
    it ends in 200. Hosts named in the environment's `NEWSMON_RESOLVE` are fetched from
    their stand-in address, as in a crawl."""
    resolve = environment_value("NEWSMON_RESOLVE")
    opener = urllib.request.build_opener(_KeepRedirects)
    redirects: list[tuple[str, int, str]] = []
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        request = _request(current, user_agent, resolve)
        try:
            with opener.open(request, timeout=timeout) as answer:
                status, headers, body = answer.status, answer.headers, answer.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise FixtureError(f"{current}: cannot fetch: {reason}") from error
        location = headers.get("Location")
        if 300 <= status < 400 and location:
            target = urljoin(current, location)
            redirects.append((current, status, target))
            current = target
            continue
        if status != 200:
            raise FixtureError(f"{current}: HTTP {status}")
        saved = saved_headers(headers.items())
        saved.pop("Content-Encoding", None)  # the body is saved decoded
        return Fetched(
            current,
            _decoded(body, headers.get("Content-Encoding"), current),
            saved,
            utc_iso(datetime.now(UTC)),
            redirects,
        )
    raise FixtureError(f"{url}: more than {MAX_REDIRECTS} redirects")


def read_page(path: str | Path, url: str, fetched_at: str | None = None) -> Fetched:
    """A page saved from a browser, as the response for `url`; fetched at `fetched_at`
    (zoned ISO 8601) or, by default, at the file's modification time."""
    file = Path(path)
    try:
        body = file.read_bytes()
        modified = datetime.fromtimestamp(file.stat().st_mtime, UTC)
    except OSError as error:
        raise FixtureError(f"{path}: cannot read: {error.strerror or error}") from error
    if fetched_at is not None:
        moment = parse_iso(fetched_at)
        if moment is None:
            raise FixtureError(f"{fetched_at!r}: not a zoned ISO 8601 time")
        modified = moment
    check_url(url)
    content_type = mimetypes.guess_type(file.name)[0] or "text/html"  # what browsers save
    return Fetched(url, body, {"Content-Type": content_type}, utc_iso(modified))


def add_page(directory: str | Path, source: str, page: Fetched) -> list[Fixture]:
    """Save `page` (and the redirects that led to it) into the fixture set of `directory`
    under `source`, replacing earlier fixtures of the same URLs; the fixtures saved.

    A replaced page's expected file follows it to the new page's name, so that `fixtures
    check` compares the new page with what was pinned (instead of leaving it orphaned).
    """
    fixtures = FixtureSet.open(directory)
    earlier = fixtures.find(page.url)
    saved = [
        fixtures.put(
            url, source, b"", fetched_at=page.fetched_at, status=status, headers={"Location": to}
        )
        for url, status, to in page.redirects
    ]
    saved.append(
        fixtures.put(page.url, source, page.body, fetched_at=page.fetched_at, headers=page.headers)
    )
    fixtures.save()
    if earlier is not None and earlier.name != saved[-1].name:
        pinned = inside(fixtures.root, earlier.name + EXPECTED_SUFFIX)
        moved = inside(fixtures.root, saved[-1].name + EXPECTED_SUFFIX)
        if pinned.exists() and not moved.exists():
            pinned.replace(moved)
    return saved


def check_url(url: str) -> None:
    """FixtureError unless `url` is an absolute http(s) address."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FixtureError(f"{url!r}: not an http(s) URL")


class _KeepRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are answered, not followed: `fetch_page` follows (and keeps) them itself."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _request(url: str, user_agent: str, resolve: dict[str, str]) -> urllib.request.Request:
    check_url(url)
    parts = urlsplit(url)
    headers = {"User-Agent": user_agent, "Accept-Encoding": "identity"}
    address = resolve.get((parts.hostname or "").lower())
    if address is None:
        return urllib.request.Request(url, headers=headers)
    headers["Host"] = parts.netloc
    stand_in = urlunsplit(("http", address, parts.path or "/", parts.query, ""))
    return urllib.request.Request(stand_in, headers=headers)


def _decoded(body: bytes, encoding: str | None, url: str) -> bytes:
    coding = (encoding or "identity").strip().lower()
    try:
        if coding in ("gzip", "x-gzip"):
            return gzip.decompress(body)
        if coding == "deflate":
            return zlib.decompress(body)
    except (OSError, zlib.error) as error:
        raise FixtureError(f"{url}: body not {coding}-encoded as announced: {error}") from error
    if coding != "identity":
        raise FixtureError(f"{url}: unsupported Content-Encoding {encoding!r}")
    return body


def _classify(fixtures: FixtureSet, fixture: Fixture) -> tuple[str | None, str]:
    """The page kind of a fixture, or None and why it has no expected file ("" for pages
    that are plainly no parsed page: robots.txt, images, redirects)."""
    site = all_sites().get(fixture.source)
    if fixture.status != 200 or not _is_document(fixture):
        return None, ""
    if site is None:
        return None, f"source {fixture.source!r} is no registered site"
    kind = page_kind(site, fixture.url) or _redirected_kind(fixtures, site, fixture.url, set())
    if kind is None:
        return None, f"not a feed, listing or article page of {site.id}"
    return kind, ""


def _redirected_kind(fixtures: FixtureSet, site: Site, url: str, seen: set[str]) -> str | None:
    """The page kind of a URL that a saved redirect led to `url`, as a crawl would parse it."""
    seen.add(url)
    for other in fixtures.fixtures:
        location = other.headers.get("Location")
        if not (300 <= other.status < 400 and location) or other.url in seen:
            continue
        if canonical_url(urljoin(other.url, location)) == canonical_url(url):
            kind = page_kind(site, other.url) or _redirected_kind(fixtures, site, other.url, seen)
            if kind:
                return kind
    return None


def _is_document(fixture: Fixture) -> bool:
    content_type = next(
        (value for name, value in fixture.headers.items() if name.lower() == "content-type"), ""
    ).lower()
    if content_type:
        return "html" in content_type or "xml" in content_type
    return fixture.file.removesuffix(".gz").lower().endswith(_DOCUMENT_EXTENSIONS)


def _owning_set(path: Path, base: Path) -> FixtureSet | None:
    """The fixture set whose directory holds `path` most closely."""
    directory = path.parent
    while directory.is_relative_to(base):
        if (directory / MANIFEST).exists():
            return FixtureSet.load(directory)
        if directory == base:
            break
        directory = directory.parent
    return None


def _page_fixture(case: FixtureCase) -> Fixture:
    if case.fixture is None or case.kind is None:
        raise FixtureError(f"{case.label}: {case.reason or 'no page to parse'}")
    if case.fixture.source not in all_sites():
        raise FixtureError(f"{case.label}: source {case.fixture.source!r} is no registered site")
    return case.fixture


def _reference(case: FixtureCase, cases: list[FixtureCase]) -> FixtureCase | None:
    """The latest other fixture of the same site and page kind that has an expected file."""
    candidates = [
        other
        for other in cases
        if other is not case
        and other.fixture is not None
        and other.source == case.source
        and other.kind == case.kind
        and other.expected_path.exists()
    ]
    candidates.sort(key=lambda other: other.fixture.fetched_at if other.fixture else "")
    return candidates[-1] if candidates else None


def _item_kind(item: Item) -> str:
    return "article" if isinstance(item, ArticleItem) else "headline"


def _sort_key(record: dict[str, Any]) -> tuple[int, str, int, str]:
    return (
        0 if record["kind"] == "article" else 1,
        record.get("context") or "",
        record.get("position") or 0,
        record.get("url") or "",
    )


def _match_key(record: dict[str, Any]) -> tuple[Any, ...]:
    return (record.get("kind"), record.get("context"), record.get("url"), record.get("position"))


def _item_label(record: dict[str, Any]) -> str:
    url = record.get("url") or "(no url)"
    if record.get("kind") == "article":
        return f"article {url}"
    return f"headline {record.get('context')} {record.get('position')} {url}"


def _describe(record: dict[str, Any]) -> str:
    title = record.get("title")
    return f"{_item_label(record)} ({title})" if title else _item_label(record)


_ABSENT = object()


def _field_changes(expected: dict[str, Any], got: dict[str, Any], prefix: str = "") -> list[str]:
    lines = []
    for name in sorted(set(expected) | set(got)):
        want, have = expected.get(name, _ABSENT), got.get(name, _ABSENT)
        if want == have:
            continue
        if isinstance(want, dict) and isinstance(have, dict):
            lines += _field_changes(want, have, f"{prefix}{name}.")
            continue
        lines.append(f"{prefix}{name}: expected {_show(want)}, got {_show(have)}")
    return lines


def _show(value: Any) -> str:
    if value is _ABSENT:
        return "(no such field)"
    if value is None:
        return "None"
    if isinstance(value, str) and value:
        return value
    return json.dumps(value, ensure_ascii=False)
