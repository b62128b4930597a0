"""What crawled data can never do: reach another domain, a private address, a shell, the SQL
text of a query, or a secret into the log.

The crawls are real ones against a stand-in server that answers for every host involved (the
sites, a foreign domain, the loopback address), so a request that should never be made would
show up in its request counts.
"""

from __future__ import annotations

import ast
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from newsmon.watch.alerts import redact_url
from tests.conftest import SEEDS
from tests.fixture_server import Answer, serving
from tests.helpers import FAST, ROOT, newsmon

PACKAGE = ROOT / "newsmon"
FOREIGN = "https://evil.example/en/region/stolen-headline-page"
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


def rss(*links: str) -> bytes:
    items = "".join(
        f"<item><title>Entry {n} of a feed linking away</title><link>{link}</link></item>"
        for n, link in enumerate(links)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


# Offsite -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def offsite_crawl(tmp_path_factory) -> tuple[dict[str, int], str]:
    """report.az's feed and listing lead to a foreign domain by link, redirect and refresh."""
    directory = tmp_path_factory.mktemp("offsite")
    log = directory / "crawl.log"
    moved = "https://report.az/en/region/moved-away"
    refreshed = "https://report.az/en/region/refreshed-away"
    with serving(SEEDS) as server:
        server.overrides["https://report.az/en/rss/"] = Answer(
            200, rss(FOREIGN, moved, refreshed), RSS
        )
        server.overrides[moved] = Answer(302, b"", {"Location": FOREIGN})
        server.overrides[refreshed] = Answer(
            200,
            f'<html><head><meta http-equiv="refresh" content="0; url={FOREIGN}"></head></html>'.encode(),
            HTML,
        )
        listing = f'<section class="news-feed"><div class="news-feed-day"><h2 class="news-feed-date">03 March, 2026</h2><ul><li class="news-item"><span class="news-time">10:00</span><a class="news-title" href="{FOREIGN}?from=listing">A listed headline on another domain</a></li></ul></div></section>'
        server.overrides["https://report.az/en/news-feed/"] = Answer(200, listing.encode(), HTML)
        result = newsmon(
            "crawl", "report_az", "--db", str(directory / "offsite.db"), "--log", str(log), *FAST,
            env={"NEWSMON_RESOLVE": server.resolve_env("report.az", "evil.example")},
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return dict(server.requests), log.read_text(encoding="utf-8")


def test_no_request_leaves_the_sources_domains(offsite_crawl):
    requests, log = offsite_crawl
    assert [url for url in requests if "evil.example" in url] == []
    assert "https://report.az/en/region/moved-away: HTTP 302 redirect to " + FOREIGN in log
    assert (
        f"https://report.az/en/region/refreshed-away: redirect to {FOREIGN} refused: "
        "evil.example is not one of the source's domains" in log
    )


# Private addresses ---------------------------------------------------------------------------


def private_config(directory: Path, port: int, *, allowed: bool) -> Path:
    config = directory / f"private-{allowed}.toml"
    config.write_text(
        "[[sources]]\n"
        'id = "intranet"\n'
        f'home_url = "http://127.0.0.1:{port}/"\n'
        f'feeds = ["http://127.0.0.1:{port}/feed.xml"]\n'
        f"allow_private_addresses = {'true' if allowed else 'false'}\n",
        encoding="utf-8",
    )
    return config


@pytest.mark.parametrize("allowed", [False, True])
def test_a_private_address_is_reached_only_when_the_source_allows_it(tmp_path, allowed):
    with serving(SEEDS) as server:
        feed = f"http://127.0.0.1:{server.port}/feed.xml"
        server.overrides[f"https://127.0.0.1:{server.port}/feed.xml"] = Answer(
            200, rss(f"http://127.0.0.1:{server.port}/news/internal-memo"), RSS
        )
        log = tmp_path / "crawl.log"
        result = newsmon(
            "crawl", "intranet", "--db", str(tmp_path / "private.db"), "--log", str(log),
            "--config", str(private_config(tmp_path, server.port, allowed=allowed)), *FAST,
        )  # fmt: skip
        requested = sum(n for url, n in server.requests.items() if "/feed.xml" in url)
    text = log.read_text(encoding="utf-8")
    if allowed:
        assert requested == 1
        assert "refused" not in text
    else:
        assert requested == 0
        assert f"{feed}: refused: 127.0.0.1 is a private address" in text
        assert "Traceback" not in text + result.stderr


# No shell ------------------------------------------------------------------------------------

# The modules allowed to start a program, with an argument list (never a shell): crontab, with a
# table built from the user's own paths and settings — no module that handles crawled data is
# imported there; and the store writer, this Python running newsmon's own module, with
# numbers (or nothing) and the store's path as arguments (items reach it through a pipe).
PROCESS_MODULES = {"newsmon/ops/schedule.py", "newsmon/store/background.py"}
WRITER_COMMAND = '[sys.executable, "-m", "newsmon.store.background", *map(str, arguments)]'
WRITER_ARGUMENTS = (
    "arguments = (*pipes, db_path, crawl_id, batch_size, compare, level, os.getpid())"
)
SHELL_CALLS = re.compile(
    r"\b(subprocess|os\.system|os\.popen|os\.exec\w*|os\.spawn\w*|pty\.spawn|shell\s*=\s*True)\b"
)


def package_files() -> Iterator[Path]:
    yield from sorted(PACKAGE.rglob("*.py"))


def test_no_shell_and_no_program_is_started_with_crawled_data():
    found = {
        f"{path.relative_to(ROOT)}:{number}"
        for path in package_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SHELL_CALLS.search(line.split("#")[0])
    }
    assert {entry.split(":")[0] for entry in found} <= PROCESS_MODULES
    writer = (PACKAGE / "store" / "background.py").read_text(encoding="utf-8")
    assert writer.count("subprocess.Popen(") == 1
    assert WRITER_COMMAND in writer and WRITER_ARGUMENTS in writer
    schedule = (PACKAGE / "ops" / "schedule.py").read_text(encoding="utf-8")
    assert "shell=True" not in schedule + writer
    imported = {
        node.module
        for node in ast.walk(ast.parse(schedule))
        if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(ast.parse(schedule))
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not [module for module in imported if module.startswith("newsmon")]


# SQL -----------------------------------------------------------------------------------------

SQL_METHODS = {"execute", "executemany", "executescript", "query", "rows", "one"}
# Places whose SQL text is built at run time, and why what goes into it is never data.
DYNAMIC_SQL = {
    (
        "newsmon/watch/alerts.py",
        "_events",
    ): "WHERE clauses are constant fragments with ? placeholders "
    "chosen by the callers; LIMIT is int()",
    (
        "newsmon/inspect/search.py",
        "search",
    ): "WHERE clauses are constant fragments with ? placeholders; "
    "the hit queries are module constants",
    ("newsmon/inspect/search.py", "_tables_for"): "table names come from the module's _HIT_QUERIES",
    ("newsmon/inspect/search.py", "_check_exists"): "its callers pass constant SQL",
    ("newsmon/store/__init__.py", "open"): "PRAGMA busy_timeout and cache_size take the "
    "constants BUSY_TIMEOUT_MS and CACHE_KIB",
    ("newsmon/store/__init__.py", "one"): "a wrapper: its callers are checked here",
    ("newsmon/store/__init__.py", "rows"): "a wrapper: its callers are checked here",
    ("newsmon/store/__init__.py", "query"): "a wrapper: its callers are checked here",
    ("newsmon/store/curation.py", "split_story"): "IN (?, ?, …): one ? per article id",
    ("newsmon/store/history.py", "history"): "IN (?, ?, …): one ? per article id",
    ("newsmon/store/queries.py", "iter_appearances"): "WHERE clauses are constant fragments "
    "with ? placeholders; LIMIT is int()",
    ("newsmon/store/queries.py", "iter_stories"): "WHERE clauses are constant fragments with ? "
    "placeholders",
    ("newsmon/store/schema.py", "search_views"): "a migration: table and column names are "
    "constants of the migration",
    ("newsmon/store/schema.py", "health"): "a migration: column names are constants of the "
    "migration",
    ("newsmon/stories.py", "candidates"): "queries built once in __init__ with one ? per "
    "bucket or key",
    ("newsmon/stories.py", "find"): "query built once in __init__ (_articles_sql) with one ? "
    "per candidate id",
    ("newsmon/stories.py", "_members"): "queries built once in __init__ (_members_sql) with "
    "three ? per story",
    ("newsmon/watch/watches.py", "_stored_texts"): "the queries are the module's _BACKFILL_QUERIES",
}


def is_constant(node: ast.expr, constants: set[str]) -> bool:
    """A string that cannot hold data: a literal, a module constant, or a sum of them."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Name):
        return node.id in constants
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return is_constant(node.left, constants) and is_constant(node.right, constants)
    return False


def dynamic_sql_calls() -> dict[tuple[str, str], int]:
    """(file, function) → how many SQL calls there take text built at run time."""
    found: dict[tuple[str, str], int] = {}
    for path in package_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = {
            target.id
            for node in tree.body
            if isinstance(node, ast.Assign) and is_constant(node.value, set())
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SQL_METHODS
                    and node.args
                    and not is_constant(node.args[0], constants)
                ):
                    key = (str(path.relative_to(ROOT)), function.name)
                    found[key] = found.get(key, 0) + 1
    return found


def test_sql_text_is_never_built_from_data():
    """Every query with run-time text is one of the reviewed places above (and each of those
    still builds its text, or it is taken off the list)."""
    found = dynamic_sql_calls()
    assert set(found) - set(DYNAMIC_SQL) == set(), "review these and add them with a reason"
    assert set(DYNAMIC_SQL) - set(found) == set(), "no longer dynamic: take them off the list"


SQL_WORDS = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|PRAGMA|WHERE|LIMIT)\b")


def test_interpolations_in_reviewed_places_are_placeholders_or_integers():
    """The reviewed SQL f-strings never interpolate a parameter of their function (which could
    carry data), except through int()."""
    for file, function in DYNAMIC_SQL:
        tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
        definition = next(
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef) and node.name == function
        )
        parameters = {arg.arg for arg in definition.args.args + definition.args.kwonlyargs}
        for text in ast.walk(definition):
            if not isinstance(text, ast.JoinedStr) or not SQL_WORDS.search(ast.unparse(text)):
                continue
            for part in text.values:
                if isinstance(part, ast.FormattedValue) and not _is_int_call(part.value):
                    names = {n.id for n in ast.walk(part.value) if isinstance(n, ast.Name)}
                    assert not names & parameters, (file, function, ast.unparse(part.value))


def _is_int_call(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "int"


# Secrets -------------------------------------------------------------------------------------

TOKEN = "s3cr3t-T0KEN-4f9a"


class FailingHook:
    """A webhook receiver on 127.0.0.1 that always answers 500."""

    def __init__(self) -> None:
        self.hits = 0
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_POST(self) -> None:
                hook.hits += 1
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(500)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/{TOKEN}?token={TOKEN}"


def test_webhook_secrets_never_reach_the_log_or_the_output(tmp_path):
    db = tmp_path / "secrets.db"
    hook = FailingHook()
    try:
        added = newsmon(
            "watch", "add", "defense", "defense", "--webhook", hook.url, "--db", str(db)
        )
        assert added.returncode == 0, added.stderr
        run = newsmon("run", "--replay", str(SEEDS), "--db", str(db))
    finally:
        hook.server.shutdown()
        hook.server.server_close()
    assert hook.hits >= 1  # the delivery was attempted, and failed
    log = Path(f"{db}.log").read_text(encoding="utf-8")
    assert "webhook" in log.lower()
    for text in (log, run.stdout, run.stderr, added.stdout, added.stderr):
        assert TOKEN not in text
    assert redact_url(hook.url) in log  # the log still says which hook failed
    assert TOKEN not in redact_url(hook.url)
