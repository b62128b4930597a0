"""Fixture sets: saved responses and the manifest that maps each URL to its file.

One format serves replay (`newsmon crawl --replay DIR`), recording (`--record DIR`) and the
spider authors' checks. A manifest entry can never point outside its directory.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsmon.urls import canonical_url

MANIFEST = "manifest.json"
# Bodies larger than this are stored gzip-compressed (`<file>.gz`); smaller ones stay plain so
# that they diff well.
GZIP_ABOVE = 256 * 1024
# File names derived from URLs are cut to this length (plus a short hash of the URL).
MAX_NAME_LENGTH = 100
EXTENSIONS = {
    "html": ".html",
    "xhtml": ".html",
    "xml": ".xml",
    "rss": ".xml",
    "atom": ".xml",
    "json": ".json",
    "plain": ".txt",
}
# Response headers that describe one transfer or a visitor's session, not the page: not saved.
UNSAVED_HEADERS = frozenset(
    {"connection", "content-length", "date", "keep-alive", "set-cookie", "transfer-encoding"}
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class FixtureError(Exception):
    """A fixture set or one of its entries is unusable; the message names it."""


@dataclass(frozen=True, slots=True)
class Fixture:
    """One saved response (never modified: fixtures read from one manifest share their equal
    sources and header maps, so that a replay of 100,000 pages keeps one copy of each)."""

    url: str
    file: str
    source: str
    fetched_at: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The fixture's name, e.g. `report_az/article-2026-03-03`."""
        name = self.file.removesuffix(".gz")
        return name.rsplit(".", 1)[0] if "." in Path(name).name else name


class FixtureSet:
    """The fixtures of one directory, looked up by URL."""

    def __init__(self, root: Path, fixtures: list[Fixture]) -> None:
        self.root = root
        self.fixtures = fixtures
        self._by_url: dict[str, Fixture] = {}
        self._index()

    def _index(self) -> None:
        self._by_url = {}
        for fixture in self.fixtures:
            self._by_url.setdefault(fixture.url, fixture)
            self._by_url.setdefault(canonical_url(fixture.url), fixture)

    @classmethod
    def open(cls, directory: str | Path) -> FixtureSet:
        """The fixture set of `directory`, or a new empty one when it has no manifest yet."""
        root = Path(directory).resolve()
        if (root / MANIFEST).exists() or (root / MANIFEST).is_symlink():
            return cls.load(root)
        if root.exists() and not root.is_dir():
            raise FixtureError(f"{root}: not a directory")
        return cls(root, [])

    @classmethod
    def load(cls, directory: str | Path) -> FixtureSet:
        """Read `directory/manifest.json`; refuses entries that leave the directory."""
        root = Path(directory).resolve()
        manifest = root / MANIFEST
        try:
            text = manifest.read_text(encoding="utf-8")
        except FileNotFoundError as error:
            raise FixtureError(f"{manifest}: no fixture manifest") from error
        except (OSError, ValueError) as error:
            raise FixtureError(f"{manifest}: unreadable manifest: {error}") from error
        shared: dict[object, Any] = {}  # equal sources and header maps, one copy of each
        fixtures = []
        try:
            # Entry by entry: a replay of 100,000 pages never holds all entries as dicts at once
            # (that peak, ~70 MiB, would stay in the process as fragmented free memory).
            for number, entry in enumerate(_manifest_entries(text), start=1):
                fixtures.append(_fixture_from_entry(root, manifest, number, entry, shared))
        except ValueError as error:
            raise FixtureError(f"{manifest}: unreadable manifest: {error}") from error
        except _NotAManifest as error:
            raise FixtureError(f"{manifest}: expected an object with a 'fixtures' list") from error
        return cls(root, fixtures)

    def find(self, url: str) -> Fixture | None:
        """The fixture saved for `url` (exactly, or under its canonical form)."""
        return self._by_url.get(url) or self._by_url.get(canonical_url(url))

    def body(self, fixture: Fixture) -> bytes:
        """The saved body (decompressed when stored as `.gz`)."""
        path = self.path(fixture)
        data = path.read_bytes()
        return gzip.decompress(data) if path.suffix == ".gz" else data

    def path(self, fixture: Fixture) -> Path:
        """The file of `fixture`, checked to lie inside this set's directory."""
        return inside(self.root, fixture.file)

    def save(self) -> None:
        """Write the manifest (sorted, pretty-printed, meant to be diffed), atomically."""
        entries = sorted((asdict(fixture) for fixture in self.fixtures), key=lambda e: e["file"])
        text = json.dumps({"fixtures": entries}, indent=2, sort_keys=True, ensure_ascii=False)
        self.root.mkdir(parents=True, exist_ok=True)
        manifest = inside(self.root, MANIFEST)
        partial = inside(self.root, MANIFEST + ".partial")
        partial.write_text(text + "\n", encoding="utf-8")
        os.replace(partial, manifest)

    def put(
        self,
        url: str,
        source: str,
        body: bytes,
        *,
        fetched_at: str,
        status: int = 200,
        headers: dict[str, str] | None = None,
        extension: str | None = None,
    ) -> Fixture:
        """Save `body` as the response for `url` under `<source>/`, replacing an earlier one.

        The file name is derived from the URL and the Content-Type (or `extension`, e.g.
        `.html`, when known otherwise); bodies over GZIP_ABOVE bytes are stored as `.gz`.
        Nothing is written outside this set's directory. The manifest is written by `save()`.
        """
        headers = dict(headers or {})
        earlier = next((fixture for fixture in self.fixtures if fixture.url == url), None)
        extension = extension or _extension(headers.get("Content-Type"), url)
        relative = self._file_for(url, source, extension)
        data = body
        if len(body) > GZIP_ABOVE:
            relative += ".gz"
            data = gzip.compress(body, mtime=0)
        path = inside(self.root, relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        fixture = Fixture(url, relative, source, fetched_at, status, headers)
        self.fixtures = [entry for entry in self.fixtures if entry.url != url] + [fixture]
        if earlier is not None and all(entry.file != earlier.file for entry in self.fixtures):
            self.path(earlier).unlink(missing_ok=True)  # the URL's earlier file, now unused
        self._index()
        return fixture

    def _file_for(self, url: str, source: str, extension: str) -> str:
        """A safe, readable file name for `url`: its path (and query) as one name, with a
        short hash of the URL when it had to be cut or is taken by another URL's fixture."""
        parts = urlsplit(url)
        stem = _safe(parts.path.strip("/").replace("/", "-")) or "index"
        if parts.query:
            stem = f"{stem}-{_safe(parts.query)}"
        if stem.lower().endswith(extension):
            stem = stem[: -len(extension)] or "index"
        digest = hashlib.sha1(url.encode("utf-8")).hexdigest()[:8]
        if len(stem) > MAX_NAME_LENGTH:
            stem = f"{stem[:MAX_NAME_LENGTH].rstrip('-.')}-{digest}"
        directory = _safe(source) or "unknown"
        taken = {entry.name.lower() for entry in self.fixtures if entry.url != url}
        if f"{directory}/{stem}".lower() in taken:
            stem = f"{stem}-{digest}"
        return f"{directory}/{stem}{extension}"


def inside(root: Path, relative: str) -> Path:
    """`root/relative`, refusing absolute paths and any path that resolves outside `root`."""
    candidate = Path(relative)
    if candidate.is_absolute() or not relative:
        raise FixtureError(f"{relative!r}: fixture paths must be relative to {root}")
    resolved = (root / candidate).resolve()
    if not resolved.is_relative_to(root):
        raise FixtureError(f"{relative!r}: points outside the fixture directory {root}")
    return resolved


def saved_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """(name, value) pairs of a response as saved with a fixture: transfer and session headers
    left out, a repeated header's values joined by `, `."""
    saved: dict[str, str] = {}
    for name, value in headers:
        if name.lower() in UNSAVED_HEADERS:
            continue
        saved[name] = f"{saved[name]}, {value}" if name in saved else value
    return saved


def _safe(text: str) -> str:
    """`text` reduced to letters, digits, `.`, `_` and `-` (runs of others become one `-`)."""
    return _UNSAFE.sub("-", text).strip("-.")


def _extension(content_type: str | None, url: str) -> str:
    """The file extension for a body: from its Content-Type, else from the URL, else `.bin`."""
    subtype = (content_type or "").split(";")[0].strip().lower().rsplit("/", 1)[-1]
    for name in (subtype, subtype.split("+")[0], subtype.rsplit("+", 1)[-1]):
        if name in EXTENSIONS:
            return EXTENSIONS[name]
    suffix = Path(urlsplit(url).path).suffix.lower()
    return suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ".bin"


class _NotAManifest(Exception):
    """Valid JSON, but not an object with a "fixtures" list."""


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def _manifest_entries(text: str) -> Iterator[object]:
    """The entries of the manifest's "fixtures" list, decoded one at a time (its other keys are
    read and ignored). Raises ValueError for text that is not JSON, _NotAManifest for JSON that
    is not a manifest."""
    decoder = json.JSONDecoder()

    def token(at: int) -> tuple[str, int]:
        at = _JSON_SPACE.match(text, at).end()  # type: ignore[union-attr]  # always matches
        return text[at : at + 1], at

    char, at = token(0)
    if char != "{":
        decoder.decode(text)  # not JSON: its error; JSON: not an object
        raise _NotAManifest
    found = False
    char, at = token(at + 1)
    while char != "}":
        key, at = decoder.raw_decode(text, at)
        char, at = token(at)
        if char != ":" or not isinstance(key, str):
            raise ValueError(f"expected ':' after a key at character {at}")
        char, at = token(at + 1)
        if key == "fixtures" and char == "[":
            found = True
            char, at = token(at + 1)
            while char != "]":
                entry, at = decoder.raw_decode(text, at)
                yield entry
                char, at = token(at)
                if char == ",":
                    char, at = token(at + 1)
                elif char != "]":
                    raise ValueError(f"expected ',' or ']' at character {at}")
            at += 1
        else:
            _, at = decoder.raw_decode(text, at)
        char, at = token(at)
        if char == ",":
            char, at = token(at + 1)
        elif char != "}":
            raise ValueError(f"expected ',' or '}}' at character {at}")
    char, at = token(at + 1)
    if char:
        raise ValueError(f"extra data at character {at}")
    if not found:
        raise _NotAManifest


def _fixture_from_entry(
    root: Path, manifest: Path, number: int, entry: object, shared: dict[object, Any]
) -> Fixture:
    where = f"{manifest}: entry {number}"
    if not isinstance(entry, dict):
        raise FixtureError(f"{where}: expected an object")
    for key in ("url", "file", "source", "fetched_at"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise FixtureError(f"{where}: missing or non-text '{key}'")
    status = entry.get("status", 200)
    headers = entry.get("headers", {})
    if not isinstance(status, int) or not 100 <= status <= 599:
        raise FixtureError(f"{where}: status must be an HTTP status code")
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise FixtureError(f"{where}: headers must map names to text")
    try:
        inside(root, entry["file"])
    except FixtureError as error:
        raise FixtureError(f"{where}: {error}") from error
    return Fixture(
        url=entry["url"],
        file=entry["file"],
        source=str(shared.setdefault(entry["source"], entry["source"])),
        fetched_at=entry["fetched_at"],
        status=status,
        headers=shared.setdefault(tuple(headers.items()), headers),
    )
