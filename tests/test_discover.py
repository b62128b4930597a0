"""`newsmon sources add`: a news site's feeds and sitemaps found from its home page, against a
real local server (127.0.0.1 and localhost stand for two sites)."""

from __future__ import annotations

import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.config import load_config
from newsmon.crawl.discover import Discovery, source_id_for
from newsmon.normalize.zones import guess_time_zone
from tests.fixture_server import Answer, FixtureServer, serving
from tests.helpers import ROOT

SITES = ROOT / "tests" / "generic_sites"
HTML = {"Content-Type": "text/html; charset=utf-8"}

# Site one (127.0.0.1): a feed <link>, robots.txt naming a Google News sitemap, <html lang>.
EGE_HOME = """<!DOCTYPE html><html lang="tr-TR"><head><meta charset="utf-8">
<title>Son dakika haberleri | Ege Postası</title>
<meta property="og:site_name" content="Ege Postası">
<link rel="alternate" type="application/atom+xml" title="Son dakika" href="/feed.atom">
</head><body><h1>Ege Postası</h1></body></html>"""

# Site two (localhost): nothing linked; a feed at /feed and a sitemap at /sitemap.xml.
HARBOR_HOME = """<html><head><title>Harbor Town Gazette - Local news since 1911</title></head>
<body><a href="/index.php?id=20940">Fishing fleet stays in port</a></body></html>"""
HARBOR_FEED = """<?xml version="1.0"?><rss version="2.0"><channel>
<title>Harbor Town Gazette</title><link>http://localhost/</link><language>en-US</language>
<item><title>Fishing fleet stays in port as storm warning extended</title>
<link>http://localhost/index.php?id=20940</link><pubDate>Mon, 02 Mar 2026 10:15:00 -0500</pubDate></item>
</channel></rss>"""

EXISTING = """# My sources, with my own comments.
[[sources]]
id = "ccbsnews"
kind = "site"
enabled = false   # switched off while they rebuild the site
"""


def fixture_body(name: str) -> bytes:
    return (SITES / name).read_bytes()


@pytest.fixture(scope="module")
def server():
    with serving(SITES) as running:
        ege, harbor = f"https://127.0.0.1:{running.port}", f"https://localhost:{running.port}"
        xml = {"Content-Type": "application/xml"}
        running.overrides.update(
            {
                f"{ege}/": Answer(200, EGE_HOME.encode(), HTML),
                f"{ege}/feed.atom": Answer(200, fixture_body("egepostasi/feed.atom"), xml),
                f"{ege}/robots.txt": Answer(
                    200,
                    f"User-agent: *\nSitemap: http://127.0.0.1:{running.port}/news-sitemap.xml\n"
                    "Sitemap: /missing-sitemap.xml\n".encode(),
                    {"Content-Type": "text/plain"},
                ),
                f"{ege}/news-sitemap.xml": Answer(
                    200, fixture_body("northfield_courier/news-sitemap.xml"), xml
                ),
                f"{harbor}/": Answer(200, HARBOR_HOME.encode(), HTML),
                f"{harbor}/feed": Answer(200, HARBOR_FEED.encode(), xml),
                f"{harbor}/sitemap.xml": Answer(
                    200, fixture_body("volga_vestnik/sitemap.xml"), xml
                ),
            }
        )
        yield running


def add(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["sources", "add", *args])
    return result.exit_code, result.stdout, result.stderr


def test_feed_link_and_robots_sitemap_are_found_and_appended(
    server: FixtureServer, tmp_path: Path
) -> None:
    config = tmp_path / "newsmon.toml"
    config.write_text(EXISTING, encoding="utf-8")
    port = server.port
    code, out, err = add(
        f"http://127.0.0.1:{port}/", "--id", "ege", "--allow-private", "--config", str(config)
    )
    assert code == 0, err
    entry = f"""
# Added by `newsmon sources add`: review it, then `newsmon crawl ID` to try it.
[[sources]]
id = "ege"
name = "Ege Postası"
home_url = "http://127.0.0.1:{port}/"
lang = "tr"
tz = "Europe/Istanbul"  # guessed from the language tr-TR
enabled = true
feeds = ["http://127.0.0.1:{port}/feed.atom"]
sitemaps = ["http://127.0.0.1:{port}/news-sitemap.xml"]
allow_private_addresses = true
"""
    assert config.read_text(encoding="utf-8") == EXISTING + entry
    assert out == entry.lstrip("\n") + f"added source 'ege' to {config}: 1 feed(s), 1 sitemap(s)\n"
    assert err == f"note: http://127.0.0.1:{port}/missing-sitemap.xml: HTTP 404\n"
    added = load_config(config).source("ege")
    assert added is not None and added.enabled and added.allowed_domains == ["127.0.0.1"]


def test_usual_places_are_probed_when_the_site_links_nothing(
    server: FixtureServer, tmp_path: Path
) -> None:
    config = tmp_path / "created.toml"
    port = server.port
    code, _, err = add(f"http://localhost:{port}/", "--allow-private", "--config", str(config))
    assert code == 0, err
    assert err == (
        f"note: usual places tried, HTTP 404: http://localhost:{port}/rss, /robots.txt, "
        "/news-sitemap.xml, /sitemap_index.xml, /sitemap-news.xml\n"
    )
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# newsmon's sources: see sources.example.toml for every key.\n")
    assert (
        f"""[[sources]]
id = "localhost"
name = "Harbor Town Gazette"
home_url = "http://localhost:{port}/"
lang = "en"
tz = "America/New_York"  # guessed from the language en-US and the site's UTC offsets
enabled = true
feeds = ["http://localhost:{port}/feed"]
sitemaps = ["http://localhost:{port}/sitemap.xml"]
allow_private_addresses = true
"""
        in text
    )
    probed = {
        url.removeprefix(f"https://localhost:{port}")
        for url in server.requests
        if "localhost" in url
    }
    # /rss answered 404, /feed was a feed: no further feed probes; robots.txt named no sitemap.
    assert probed == {
        "/", "/rss", "/feed", "/robots.txt", "/sitemap.xml", "/news-sitemap.xml",
        "/sitemap_index.xml", "/sitemap-news.xml",
    }  # fmt: skip


def test_private_addresses_are_refused_without_allow_private(
    server: FixtureServer, tmp_path: Path
) -> None:
    config = tmp_path / "newsmon.toml"
    code, _, err = add(f"http://127.0.0.1:{server.port}/", "--config", str(config))
    assert code == 1
    assert err == (
        f"Error: http://127.0.0.1:{server.port}/: refused: 127.0.0.1 is a private address "
        "(--allow-private allows it)\n"
    )
    assert not config.exists()


def test_an_id_in_use_is_refused_and_the_file_left_alone(
    server: FixtureServer, tmp_path: Path
) -> None:
    config = tmp_path / "newsmon.toml"
    config.write_text(EXISTING, encoding="utf-8")
    code, _, err = add(
        f"http://127.0.0.1:{server.port}/",
        "--id",
        "ccbsnews",
        "--allow-private",
        "--config",
        str(config),
    )
    assert code == 1
    assert err == (
        f"Error: a source 'ccbsnews' exists already ({config}:2); choose another with --id\n"
    )
    assert config.read_text(encoding="utf-8") == EXISTING
    code, _, err = add("http://127.0.0.1:1/", "--id", "Not Valid", "--config", str(config))
    assert (code, err) == (
        1,
        "Error: id 'Not Valid': must be lower-case letters, digits, '_' or '-' (starting with a letter or digit)\n",
    )


def test_dry_run_prints_the_entry_without_writing(server: FixtureServer, tmp_path: Path) -> None:
    config = tmp_path / "newsmon.toml"
    code, out, _ = add(
        f"http://127.0.0.1:{server.port}/", "--dry-run", "--allow-private", "--config", str(config)
    )
    assert code == 0
    assert out.startswith("# Added by `newsmon sources add`")
    assert 'id = "127_0_0_1"' in out
    assert not config.exists()


def test_sources_check_fetches_each_start_page(server: FixtureServer, tmp_path: Path) -> None:
    config = tmp_path / "newsmon.toml"
    port = server.port
    config.write_text(
        f"""[[sources]]
id = "ege"
home_url = "http://127.0.0.1:{port}/"
feeds = ["http://127.0.0.1:{port}/feed.atom", "http://127.0.0.1:{port}/gone.xml"]
sitemaps = ["http://127.0.0.1:{port}/news-sitemap.xml"]
allow_private_addresses = true
""",
        encoding="utf-8",
    )
    wide = CliRunner(env={"COLUMNS": "200"})  # tables fit the terminal; this one is wide
    result = wide.invoke(cli, ["sources", "check", "--fetch", "--config", str(config)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == f"{config}: ok: 2 site(s) with their own spider (2 enabled), 1 configured source(s) (1 enabled)"
    )
    rows = [line.split() for line in lines[3:]]
    # The Atom feed's links point to egepostasi.test and a partner, not to this address.
    assert rows == [
        ["ege", "feed", f"http://127.0.0.1:{port}/feed.atom", "200", "3", "0"],
        ["ege", "feed", f"http://127.0.0.1:{port}/gone.xml", "404", "0", "0", "HTTP", "404"],
        ["ege", "sitemap", f"http://127.0.0.1:{port}/news-sitemap.xml", "200", "3", "0"],
    ]


# The guesses, one by one ------------------------------------------------------------------------


def test_source_ids_come_from_the_host() -> None:
    assert source_id_for("https://www.report.az/en/") == "report_az"
    assert source_id_for("https://news.example-site.co.uk/") == "news_example_site_co_uk"


@pytest.mark.parametrize(
    ("url", "tags", "offsets", "expected"),
    [
        ("https://report.az/", [], [], ("Asia/Baku", "guessed from the domain .az")),
        ("https://www.thetimes.co.uk/", [], [], ("Europe/London", "guessed from the domain .uk")),
        ("https://x.test/", ["tr_TR"], [], ("Europe/Istanbul", "guessed from the language tr_TR")),
        (
            "https://x.com/",
            ["en-US"],
            ["-06:00"],
            ("America/Chicago", "guessed from the language en-US and the site's UTC offsets"),
        ),
        ("https://x.com/", ["en-US"], [], (None, "not stated on the site: set its IANA time zone")),
        # a country-code domain sold for its letters names no country: .io is no Chagos site
        ("https://tailscale.io/", [], [], (None, "not stated on the site: set its IANA time zone")),
        ("https://x.co/", ["fr-FR"], [], ("Europe/Paris", "guessed from the language fr-FR")),
        # Open Graph's "ar_AR" is Arabic, not Argentina
        (
            "https://www.albayan.ae/",
            ["ar", "ar_AR"],
            [],
            ("Asia/Dubai", "guessed from the domain .ae"),
        ),
        # Germany's Europe/Busingen keeps Berlin's clock
        ("https://www.rnz.de/", [], [], ("Europe/Berlin", "guessed from the domain .de")),
        (
            "https://x.com/",
            ["en"],
            ["+04:00"],
            (None, "not stated on the site: set its IANA time zone"),
        ),
    ],
)
def test_time_zones_are_guessed_from_what_the_site_says(
    url: str, tags: list[str], offsets: list[str], expected: tuple[str | None, str]
) -> None:
    moments = [datetime.fromisoformat(f"2026-03-02T10:00:00{offset}") for offset in offsets]
    assert guess_time_zone(url, tags, moments) == expected


def test_a_timestamp_at_the_ends_of_the_calendar_says_nothing_of_the_time_zone() -> None:
    moments = [
        datetime.fromisoformat("9999-12-31T23:59:59-12:00"),
        datetime.fromisoformat("0001-01-01T00:00:00+14:00"),
        datetime.fromisoformat("2026-03-02T10:00:00-05:00"),
    ]
    assert guess_time_zone("https://news.example/", ["en-US"], moments) == (
        "America/New_York",
        "guessed from the language en-US and the site's UTC offsets",
    )


def test_a_site_without_feed_or_sitemap_is_read_from_its_home_page() -> None:
    found = Discovery("quiet", "https://quiet.test/", "Quiet News", None, None, "not stated")
    assert found.toml().splitlines()[-2:] == [
        "# No feed or sitemap found: article links are taken from the home page.",
        'listings = ["https://quiet.test/"]',
    ]


# Slow and crowded sites ---------------------------------------------------------------------


def slow_answer(seconds: float, body: bytes = b"<html></html>"):
    """A handler that answers `body` one byte every `seconds` (a slow-loris site)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for byte in body:
            try:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
            except OSError:
                return
            time.sleep(seconds)

    return answer


def test_a_home_page_slower_than_the_deadline_is_an_error(
    server: FixtureServer, tmp_path: Path
) -> None:
    home = f"https://127.0.0.1:{server.port}/slow-home"
    server.overrides[home] = slow_answer(0.5, b"<html>" + b" " * 20 + b"</html>")
    url = f"http://127.0.0.1:{server.port}/slow-home"
    code, _, err = add(
        url, "--deadline", "2", "--allow-private", "--config", str(tmp_path / "n.toml")
    )
    assert (code, err) == (
        1,
        f"Error: {url}: no complete answer within the 2 s deadline of `sources add` (--deadline)\n",
    )


CROWDED_HOME = """<html><head><title>Crowded</title>{links}</head><body></body></html>"""


def home_linking_feeds(server: FixtureServer, path: str, count: int) -> str:
    """Serve at `/path/` a home page linking `count` feeds (`/path/feed-N.xml`); its URL."""
    links = "".join(
        f'<link rel="alternate" type="application/rss+xml" href="/{path}/feed-{n}.xml">'
        for n in range(count)
    )
    server.overrides[f"https://127.0.0.1:{server.port}/{path}/"] = Answer(
        200, CROWDED_HOME.format(links=links).encode(), HTML
    )
    return f"http://127.0.0.1:{server.port}/{path}/"


def test_feed_candidates_are_capped_and_the_rest_named_in_a_note(
    server: FixtureServer, tmp_path: Path
) -> None:
    url = home_linking_feeds(server, "crowded", 40)
    base = f"https://127.0.0.1:{server.port}"
    code, _, err = add(
        url,
        "--max-candidates",
        "3",
        "--dry-run",
        "--allow-private",
        "--config",
        str(tmp_path / "n.toml"),
    )
    assert code == 0, err
    tried = sorted(u for u in server.requests if u.startswith(f"{base}/crowded/feed-"))
    assert tried == [f"{base}/crowded/feed-{n}.xml" for n in range(3)]
    assert err.splitlines()[:4] == [
        "note: 37 more feed link(s) not tried (--max-candidates 3): "
        f"http://127.0.0.1:{server.port}/crowded/feed-3.xml, …",
        f"note: http://127.0.0.1:{server.port}/crowded/feed-0.xml: HTTP 404",
        f"note: http://127.0.0.1:{server.port}/crowded/feed-1.xml: HTTP 404",
        f"note: http://127.0.0.1:{server.port}/crowded/feed-2.xml: HTTP 404",
    ]


def test_candidates_left_when_the_deadline_passes_are_not_tried(
    server: FixtureServer, tmp_path: Path
) -> None:
    url = home_linking_feeds(server, "sluggish", 5)
    base = f"https://127.0.0.1:{server.port}"
    for n in range(5):
        server.overrides[f"{base}/sluggish/feed-{n}.xml"] = slow_answer(0.5, b"<rss>" + b" " * 10)
    code, out, err = add(
        url, "--deadline", "2", "--dry-run", "--allow-private", "--config", str(tmp_path / "n.toml")
    )
    assert code == 0, err
    assert "listings = [" in out  # no feed found in time: the home page is read instead
    tried = [u for u in server.requests if u.startswith(f"{base}/sluggish/feed-")]
    assert 1 <= len(tried) <= 2
    notes = err.splitlines()
    assert notes[len(tried) - 1] == (
        f"note: http://127.0.0.1:{server.port}/sluggish/feed-{len(tried) - 1}.xml: "
        "no complete answer within the 2 s deadline of `sources add` (--deadline)"
    )
    assert notes[len(tried)].startswith(
        f"note: {5 - len(tried)} more feed link(s) not tried (the 2 s deadline passed): "
        f"http://127.0.0.1:{server.port}/sluggish/feed-{len(tried)}.xml"
    )
