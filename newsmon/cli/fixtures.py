"""`newsmon fixtures add|expect|check` and `newsmon spider new`: the spider authors' workflow."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from newsmon.fixtures.manifest import FixtureError
from newsmon.settings_table import current_user_agent

if TYPE_CHECKING:
    from newsmon.fixtures.tools import Fetched, Scan

SOURCE_ID = re.compile(r"[a-z][a-z0-9_]*")
F = TypeVar("F", bound=Callable[..., Any])


def dir_option(help_text: str) -> Callable[[F], F]:
    """`--dir DIR`, the fixture directory (default `seeds`)."""
    return click.option(
        "--dir",
        "directory",
        default="seeds",
        show_default=True,
        type=click.Path(file_okay=False),
        help=help_text,
    )


def page_arguments(function: F) -> F:
    """`URL|FILE`, `--url` and `--fetched-at`: a page to fetch, or one saved from a browser."""
    function = click.option(
        "--fetched-at",
        help="With a FILE: when it was saved (zoned ISO 8601; default: its modification time).",
    )(function)
    function = click.option("--url", help="With a FILE: the URL the page was saved from.")(function)
    return click.argument("page", metavar="URL|FILE")(function)


def read_or_fetch(page: str, url: str | None, fetched_at: str | None) -> Fetched:
    """The page: fetched when PAGE is a URL, read when it is a file (then --url is needed)."""
    from newsmon.fixtures import tools as tools

    if page.startswith(("http://", "https://")):
        if url or fetched_at:
            raise click.UsageError("--url and --fetched-at are for a FILE, not a URL")
        return tools.fetch_page(page, current_user_agent())
    if not url:
        raise click.UsageError(f"{page}: give the URL it was saved from with --url")
    return tools.read_page(page, url, fetched_at)


@click.group(name="fixtures")
def fixtures_group() -> None:
    """Saved pages of your sites and the items their parsers must yield.

    `add` saves a page, `expect` pins what the parser yields for every page (review the diff),
    `check` parses them all again and names every field that changed.

    Example: newsmon fixtures check --source report_az
    """


@fixtures_group.command(name="add")
@page_arguments
@click.option("--source", required=True, help="The site the page belongs to (its id).")
@dir_option("The fixture directory (its manifest.json is created or updated).")
def add_command(
    page: str, url: str | None, fetched_at: str | None, source: str, directory: str
) -> None:
    """Add one page to a source's fixtures: fetched from URL, or a FILE saved from a browser.

    A page of a URL already saved replaces it. Then run `newsmon fixtures check`.

    Example: newsmon fixtures add https://report.az/en/news-feed/ --source report_az
    """
    from newsmon.fixtures import tools as tools
    from newsmon.sites import all_sites

    if not SOURCE_ID.fullmatch(source):
        raise click.BadParameter(
            f"{source!r}: expected a site id like report_az", param_hint="--source"
        )
    try:
        saved = tools.add_page(directory, source, read_or_fetch(page, url, fetched_at))
    except FixtureError as error:
        raise click.ClickException(str(error)) from error
    for fixture in saved:
        if fixture.headers.get("Location"):
            target = fixture.headers["Location"]
            click.echo(
                f"added {fixture.file}: {fixture.url} redirects ({fixture.status}) to {target}"
            )
        else:
            click.echo(f"added {fixture.file}: {fixture.url} fetched at {fixture.fetched_at}")
    if source not in all_sites():
        click.echo(
            f"note: {source!r} is no registered site: the page is replayed, not checked", err=True
        )


@fixtures_group.command(name="expect")
@click.option("--source", help="Only this site's fixtures.")
@dir_option("The fixture directory (every manifest.json under it).")
def expect_command(source: str | None, directory: str) -> None:
    """Write `<name>.expected.json` next to every page: what its site's parser yields now.

    Review the result as a diff before committing it: it becomes what `check` expects.

    Example: newsmon fixtures expect --source report_az
    """
    from newsmon.fixtures import tools as tools

    found = _scan(directory, source)
    for case in found.cases:
        if case.fixture is None:
            click.echo(f"left {case.label}{tools.EXPECTED_SUFFIX}: {case.reason}")
            continue
        try:
            count = tools.write_expected(case)
        except FixtureError as error:
            raise click.ClickException(str(error)) from error
        click.echo(f"wrote {case.label}{tools.EXPECTED_SUFFIX} ({case.kind}, {count} items)")
    for line in found.skipped:
        click.echo(f"skipped {line}")


@fixtures_group.command(name="check")
@click.option("--source", help="Only this site's fixtures.")
@click.option(
    "--parser-version",
    help="Parse with this parser version of --source, not the one valid on each fetch date.",
)
@dir_option("The fixture directory (every manifest.json under it).")
def check_command(source: str | None, parser_version: str | None, directory: str) -> None:
    """Parse every fixture again and compare with its expected JSON; exit 1 on any difference.

    Each difference is one line naming the fixture, the item and the field.

    Example: newsmon fixtures check --source report_az
    """
    from newsmon.fixtures import tools as tools
    from newsmon.sites import all_sites

    if parser_version and not source:
        raise click.UsageError("--parser-version needs --source (versions are a site's own)")
    if parser_version and source:
        site = all_sites().get(source)
        if site is None or parser_version not in {parser.version for parser in site.parsers}:
            raise click.ClickException(f"{source} has no parser version {parser_version!r}")
    found = _scan(directory, source)
    failed = 0
    for case in found.cases:
        problems = tools.check_case(case, parser_version, found.cases)
        failed += bool(problems)
        for line in problems:
            click.echo(line)
    click.echo(f"{len(found.cases)} fixtures: {len(found.cases) - failed} ok, {failed} failed")
    if failed:
        sys.exit(1)


def _scan(directory: str, source: str | None) -> Scan:
    from newsmon.fixtures import tools as tools

    try:
        found = tools.scan(directory, source)
    except FixtureError as error:
        raise click.ClickException(str(error)) from error
    if not found.cases:
        of = f" of {source}" if source else ""
        raise click.ClickException(f"{directory}: no fixtures{of} to check")
    return found


@click.group(name="spider")
def spider_group() -> None:
    """Start a spider for a new site.

    Example: newsmon spider new example_news https://news.example.com/2026/03/some-story
    """


@spider_group.command(name="new")
@click.argument("name")
@page_arguments
@dir_option("The fixture directory the page is added to.")
@click.option(
    "--package-dir",
    type=click.Path(file_okay=False),
    help="Write the site module here, not into newsmon/sites (load it with NEWSMON_SITES_DIR).",
)
@click.option(
    "--tests-dir",
    default="tests",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where the site's test file is written.",
)
@click.option("--tz", default="UTC", show_default=True, help="The site's IANA time zone.")
@click.option("--lang", help="The site's language (default: the one the page names).")
def spider_new_command(
    name: str,
    page: str,
    url: str | None,
    fetched_at: str | None,
    directory: str,
    package_dir: str | None,
    tests_dir: str,
    tz: str,
    lang: str | None,
) -> None:
    """Write a site module for NAME from one of its article pages, with a fixture of the page,
    its expected JSON and a test, all passing, ready to refine.

    Selectors are pre-filled from what the generic extraction found on the page.

    Example: newsmon spider new example_news saved.html --url https://news.example.com/a/1
    """
    from newsmon.fixtures.scaffold import ScaffoldError, new_site

    try:
        fetched = read_or_fetch(page, url, fetched_at)
        result = new_site(
            name,
            fetched,
            fixtures_dir=Path(directory),
            package_dir=Path(package_dir) if package_dir else None,
            tests_dir=Path(tests_dir),
            tz=tz,
            lang=lang,
        )
    except (ScaffoldError, FixtureError) as error:
        raise click.ClickException(str(error)) from error
    for path in result.written:
        click.echo(f"wrote {_shown(path)}")
    for line in result.fields:
        click.echo(f"  {line}")
    click.echo(
        f"next: refine {_shown(result.module_path)}, then: newsmon fixtures check --source {name}"
    )


def _shown(path: Path) -> str:
    """`path` relative to the working directory when it lies below it."""
    resolved = path.resolve()
    return (
        str(resolved.relative_to(Path.cwd())) if resolved.is_relative_to(Path.cwd()) else str(path)
    )
