"""Fixture sets: saved responses and the manifest that maps each URL to its file.

One format serves replay (`newsmon crawl --replay DIR`), recording (`--record DIR`) and the
spider authors' checks. A manifest entry can never point outside its directory.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from newsmon.urls import canonical_url

MANIFEST = "manifest.json"


class FixtureError(Exception):
    """A fixture set or one of its entries is unusable; the message names it."""


@dataclass(frozen=True)
class Fixture:
    """One saved response."""

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
        for fixture in fixtures:
            self._by_url.setdefault(fixture.url, fixture)
            self._by_url.setdefault(canonical_url(fixture.url), fixture)

    @classmethod
    def load(cls, directory: str | Path) -> FixtureSet:
        """Read `directory/manifest.json`; refuses entries that leave the directory."""
        root = Path(directory).resolve()
        manifest = root / MANIFEST
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise FixtureError(f"{manifest}: no fixture manifest") from error
        except (OSError, ValueError) as error:
            raise FixtureError(f"{manifest}: unreadable manifest: {error}") from error
        if not isinstance(data, dict) or not isinstance(data.get("fixtures"), list):
            raise FixtureError(f"{manifest}: expected an object with a 'fixtures' list")
        fixtures = []
        for number, entry in enumerate(data["fixtures"], start=1):
            fixtures.append(_fixture_from_entry(root, manifest, number, entry))
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
        """Write the manifest (sorted, pretty-printed, meant to be diffed)."""
        entries = sorted((asdict(fixture) for fixture in self.fixtures), key=lambda e: e["file"])
        text = json.dumps({"fixtures": entries}, indent=2, sort_keys=True, ensure_ascii=False)
        (self.root / MANIFEST).write_text(text + "\n", encoding="utf-8")


def inside(root: Path, relative: str) -> Path:
    """`root/relative`, refusing absolute paths and any path that resolves outside `root`."""
    candidate = Path(relative)
    if candidate.is_absolute() or not relative:
        raise FixtureError(f"{relative!r}: fixture paths must be relative to {root}")
    resolved = (root / candidate).resolve()
    if not resolved.is_relative_to(root):
        raise FixtureError(f"{relative!r}: points outside the fixture directory {root}")
    return resolved


def _fixture_from_entry(root: Path, manifest: Path, number: int, entry: object) -> Fixture:
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
        source=entry["source"],
        fetched_at=entry["fetched_at"],
        status=status,
        headers=headers,
    )
