"""`newsmon spider new`: a new site's module, fixture, expected JSON and test from one saved
page, all passing; then the user's edits show up in `fixtures check`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.fixtures.scaffold import article_id_pattern, article_url_pattern
from tests.helpers import ROOT, child_environment, newsmon

PAGE = ROOT / "tests/generic_pages/no_metadata/page.html"
URL = "https://www.harbortowngazette.com/index.php?id=20940"
TITLE = "Fishing fleet stays in port as storm warning extended"
FIXTURE = "harbor_gazette/index.php-id-20940"


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """`spider new harbor_gazette` on a saved page, into a directory of the user's own."""
    directory = tmp_path_factory.mktemp("project")
    run = newsmon(
        "spider",
        "new",
        "harbor_gazette",
        str(PAGE),
        "--url",
        URL,
        "--fetched-at",
        "2026-03-02T18:00:00+00:00",
        "--lang",
        "en",
        "--tz",
        "America/New_York",
        "--package-dir",
        str(directory / "sites"),
        "--dir",
        str(directory / "fixtures"),
        "--tests-dir",
        str(directory / "tests"),
    )
    return directory, run


def in_user_project(directory: Path, *args: str, env: dict[str, str] | None = None):
    """The generated test run by pytest in the user's project, as the user would."""
    environment = child_environment()
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        cwd=directory,
        env=environment,
        timeout=120,
        check=False,
    )


def test_spider_new_writes_module_fixture_expected_json_and_test(scaffolded):
    directory, run = scaffolded
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        f"wrote {directory}/sites/harbor_gazette.py",
        f"wrote {directory}/fixtures/{FIXTURE}.html",
        f"wrote {directory}/fixtures/{FIXTURE}.expected.json",
        f"wrote {directory}/tests/test_site_harbor_gazette.py",
        f"  title: html -> TITLE below ({TITLE})",
        "  published_at: htmldate (generic reading kept)",
        "  modified_at: not found",
        "  section: not found",
        "  lang: default (generic reading kept) (en)",
        '  authors: html (generic reading kept) (["Martin Cole"])',
        "  lead: main-text (generic reading kept) (Harbor Town's fishing fleet will stay tied up for at leas...)",
        """  body: main-text -> BODY below (["Harbor Town's fishing fleet will stay tied up for at le...)""",
        "  tags: not found",
        "  alternates: not found",
        f"next: refine {directory}/sites/harbor_gazette.py, then: newsmon fixtures check --source harbor_gazette",
    ]
    assert (
        directory / "fixtures/harbor_gazette/index.php-id-20940.html"
    ).read_bytes() == PAGE.read_bytes()


def test_the_module_has_the_shape_of_every_site_module(scaffolded):
    directory, _ = scaffolded
    module = (directory / "sites/harbor_gazette.py").read_text(encoding="utf-8")
    compile(module, "harbor_gazette.py", "exec")
    for line in (
        '"""Harbor Town Gazette (https://www.harbortowngazette.com/).',
        "class HarborGazetteV1(SiteParser):",
        f"    #   title: html -> TITLE below ({TITLE})",
        '    TITLE = "h1::text"  # the <h1> the generic reading found',
        '    BODY = "div.post > p:not([class])"  # the container of the main text\'s paragraphs',
        '        article = self.article_fields(page, {"title": self.TITLE, "body": self.BODY})',
        "SITE = Site(",
        '    id="harbor_gazette",',
        '    name="Harbor Town Gazette",',
        '    tz="America/New_York",',
        r'    article_url=re.compile(r"^https?://www\.harbortowngazette\.com/index\.php\?id=\d+$"),',
        "    parsers=[HarborGazetteV1],",
    ):
        assert line in module.splitlines(), line


def test_the_generated_test_passes_under_pytest(scaffolded):
    directory, _ = scaffolded
    run = in_user_project(
        directory, "pytest", "-q", "-W", "error", "-p", "no:cacheprovider", "tests"
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1].startswith("2 passed")


def test_fixtures_check_passes_then_names_the_field_a_changed_page_breaks(scaffolded, tmp_path):
    directory, _ = scaffolded
    env = {"NEWSMON_SITES_DIR": str(directory / "sites")}
    check = newsmon("fixtures", "check", "--dir", str(directory / "fixtures"), env=env)
    assert (check.returncode, check.stdout) == (0, "1 fixtures: 1 ok, 0 failed\n")

    fixtures = Path(shutil.copytree(directory / "fixtures", tmp_path / "fixtures"))
    page = fixtures / f"{FIXTURE}.html"
    changed = "Fishing fleet stays in port until Thursday"
    page.write_text(page.read_text().replace(f"<h1>{TITLE}</h1>", f"<h1>{changed}</h1>"))
    check = newsmon("fixtures", "check", "--dir", str(fixtures), env=env)
    assert check.returncode == 1
    assert check.stdout.splitlines() == [
        f"{FIXTURE}: article {URL}: title: expected {TITLE}, got {changed}",
        f"{FIXTURE}: headline article 0 {URL}: title: expected {TITLE}, got {changed}",
        "1 fixtures: 0 ok, 1 failed",
    ]


def test_a_broken_module_in_the_sites_directory_is_named_and_skipped(scaffolded, tmp_path):
    directory, _ = scaffolded
    sites = Path(shutil.copytree(directory / "sites", tmp_path / "sites"))
    (sites / "broken.py").write_text("SITE = undefined_name\n")
    check = newsmon(
        "fixtures",
        "check",
        "--dir",
        str(directory / "fixtures"),
        env={"NEWSMON_SITES_DIR": str(sites)},
    )
    assert (check.returncode, check.stdout) == (0, "1 fixtures: 1 ok, 0 failed\n")
    assert (
        f"{sites / 'broken.py'}: site module not loaded: NameError: name 'undefined_name' is not defined"
        in check.stderr
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("report_az", "Error: 'report_az': a site of that name is already registered"),
        (
            "Harbor-Gazette",
            "Error: 'Harbor-Gazette': a site name is lower-case letters, digits and _ (a Python module name)",
        ),
        (
            "class",
            "Error: 'class': a site name is lower-case letters, digits and _ (a Python module name)",
        ),
    ],
)
def test_spider_new_refuses_a_bad_name_and_writes_nothing(tmp_path, name, message):
    result = CliRunner().invoke(
        cli,
        [
            "spider",
            "new",
            name,
            str(PAGE),
            "--url",
            URL,
            "--package-dir",
            str(tmp_path / "sites"),
            "--dir",
            str(tmp_path / "fixtures"),
            "--tests-dir",
            str(tmp_path / "tests"),
        ],
    )
    assert (result.exit_code, result.output) == (1, message + "\n")
    assert list(tmp_path.iterdir()) == []


def test_spider_new_never_overwrites_a_file(tmp_path):
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites/harbor_gazette.py").write_text("# mine\n")
    result = CliRunner().invoke(
        cli,
        [
            "spider",
            "new",
            "harbor_gazette",
            str(PAGE),
            "--url",
            URL,
            "--package-dir",
            str(tmp_path / "sites"),
            "--dir",
            str(tmp_path / "fixtures"),
            "--tests-dir",
            str(tmp_path / "tests"),
        ],
    )
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {tmp_path / 'sites/harbor_gazette.py'}: already exists (not overwritten)\n",
    )
    assert (tmp_path / "sites/harbor_gazette.py").read_text() == "# mine\n"


@pytest.mark.parametrize(
    ("url", "article_url", "article_id"),
    [
        (
            "https://ccbsnews.info/en/news/detail/3293",
            r"^https?://ccbsnews\.info/en/news/detail/\d+/?$",
            r"/detail/(\d+)",
        ),
        (
            "https://report.az/en/military/azerbaijan-turkiye-discuss",
            r"^https?://report\.az/en/military/[\w-]+/?$",
            None,
        ),
        (
            "https://news.example.com/2026/03/02/fleet-stays-in-port",
            r"^https?://news\.example\.com/\d+/\d+/\d+/[\w-]+/?$",
            None,
        ),
        ("https://x.example/index.php?id=20940", r"^https?://x\.example/index\.php\?id=\d+$", None),
    ],
)
def test_article_url_patterns_are_generalized_from_one_url(url, article_url, article_id):
    assert article_url_pattern(url) == article_url
    assert article_id_pattern(url) == article_id
