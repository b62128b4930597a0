"""The sources file: what it may say, where it is found, and every mistake with its line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.config import (
    ConfigError,
    Listing,
    SourceConfig,
    config_path,
    load_config,
    parse_config,
)
from newsmon.crawl.process import CrawlError, available_spiders, crawl_plan
from tests.helpers import ROOT

MINIMAL = """
[[sources]]
id = "example"
home_url = "https://www.example-news.test/"
feeds = ["https://www.example-news.test/rss.xml"]
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        parse_config(text, "newsmon.toml")
    return raised.value.problems


def only(text: str) -> SourceConfig:
    source = parse_config(text, "newsmon.toml").source("example")
    assert source is not None
    return source


# What a source may say ------------------------------------------------------------------------


def test_a_minimal_source_gets_its_defaults() -> None:
    source = only(MINIMAL)
    assert (source.kind, source.name, source.tz, source.lang, source.enabled) == (
        "generic",
        "example-news.test",
        "UTC",
        None,
        True,
    )
    assert source.allowed_domains == ["example-news.test"]
    assert (source.max_age_days, source.allow_private_addresses, source.selectors) == (
        None,
        False,
        {},
    )


def test_every_key_is_read() -> None:
    source = only(
        """
[[sources]]
id = "example"
name = "Example News"
home_url = "https://www.example-news.test/"
lang = "en-GB"
tz = "Europe/London"
enabled = false
feeds = ["https://feeds.example-news.test/world.xml"]
sitemaps = ["https://www.example-news.test/news-sitemap.xml"]
max_age_days = 0.5
listings = ["https://www.example-news.test/world", {url = "https://www.example-news.test/uk", links = "h2 a"}]
allow = ['/\\d{4}/\\d{2}/\\d{2}/']
deny = ['/live/']
allowed_domains = ["www.example-cdn.test"]
feed_times_known = false
allow_private_addresses = true

[sources.selectors]
title = "h1.headline"
body = "//div[@class='story']/p"
"""
    )
    assert (source.name, source.lang, source.tz, source.enabled) == (
        "Example News",
        "en",
        "Europe/London",
        False,
    )
    assert source.listings == [
        Listing("https://www.example-news.test/world"),
        Listing("https://www.example-news.test/uk", "h2 a"),
    ]
    assert [p.pattern for p in source.allow] == [r"/\d{4}/\d{2}/\d{2}/"]
    assert source.allowed_domains == [
        "example-cdn.test",
        "example-news.test",
        "feeds.example-news.test",
    ]
    assert source.selectors == {"title": "h1.headline", "body": "//div[@class='story']/p"}
    assert (source.max_age_days, source.feed_times_known, source.allow_private_addresses) == (
        0.5,
        False,
        True,
    )


def test_article_links_are_on_the_sources_domains_allowed_and_not_denied() -> None:
    source = only(MINIMAL + "deny = ['/live/']\n")
    assert source.is_article("https://www.example-news.test/world/2026/03/03/a-story")
    assert source.is_article("https://edition.example-news.test/world/a-long-story-slug")
    assert not source.is_article("https://www.example-news.test/live/2026/03/03/summit")
    assert not source.is_article("https://other-news.test/world/2026/03/03/a-story")
    assert not source.is_article("https://www.example-news.test/tag/economy")  # heuristics
    allowing = only(MINIMAL + "allow = ['/story/']\n")
    assert allowing.is_article("https://www.example-news.test/story/tag")
    assert not allowing.is_article("https://www.example-news.test/world/2026/03/03/a-story")


def test_site_sources_are_implicit_and_can_be_switched_off() -> None:
    config = parse_config('[[sources]]\nid = "report_az"\nkind = "site"\nenabled = false\n', "x")
    assert [(s.id, s.kind, s.enabled) for s in config.sources] == [
        ("ccbsnews", "site", True),
        ("report_az", "site", False),
    ]
    assert available_spiders(config) == ["ccbsnews"]
    report_az = config.source("report_az")
    assert report_az is not None and report_az.home_url == "https://report.az/en/"


def test_the_example_file_and_the_fixture_sources_are_valid() -> None:
    example = load_config(ROOT / "sources.example.toml")
    assert [(s.id, s.kind, s.enabled) for s in example.sources] == [
        ("ccbsnews", "site", True),
        ("report_az", "site", True),
        ("bbc_news", "generic", False),
        ("meduza", "generic", False),
        ("hurriyet_daily_news", "generic", False),
    ]
    fixtures = load_config(ROOT / "tests" / "generic_sites" / "sources.toml")
    assert available_spiders(fixtures) == ["generic"]


# Which spiders a crawl runs ---------------------------------------------------------------------


def test_a_crawl_plan_names_spiders_and_limits_the_generic_one_to_chosen_sources() -> None:
    config = load_config(ROOT / "tests" / "generic_sites" / "sources.toml")
    assert crawl_plan(config, []) == {"generic": []}
    assert crawl_plan(config, ["egepostasi", "volga_vestnik"]) == {
        "generic": ["egepostasi", "volga_vestnik"]
    }
    assert crawl_plan(config, ["generic", "egepostasi"]) == {"generic": []}
    with pytest.raises(CrawlError, match=r"source 'report_az' is disabled in .*sources\.toml"):
        crawl_plan(config, ["report_az"])
    with pytest.raises(CrawlError, match="unknown spider or source 'nope'"):
        crawl_plan(config, ["nope"])
    with pytest.raises(CrawlError, match="source 'kuzey_ekspres' is disabled"):
        crawl_plan(config, ["kuzey_ekspres"])
    assert crawl_plan(load_config(None), []) == {"ccbsnews": [], "report_az": []}


def test_generic_is_offered_only_with_configured_sources_to_crawl() -> None:
    sites_only = load_config(None)
    with pytest.raises(CrawlError) as unknown:
        crawl_plan(sites_only, ["nope"])
    assert str(unknown.value) == "unknown spider or source 'nope' (known: ccbsnews, report_az)"
    with pytest.raises(CrawlError) as generic:
        crawl_plan(sites_only, ["generic"])
    assert str(generic.value) == (
        "nothing to crawl with generic: it crawls configured sources, and there is no sources "
        "file (newsmon.toml, --config or $NEWSMON_CONFIG); add one with `newsmon sources add URL`"
    )
    configured = load_config(ROOT / "tests" / "generic_sites" / "sources.toml")
    with pytest.raises(CrawlError, match=r"\(known: .*egepostasi, generic, harbortown_gazette"):
        crawl_plan(configured, ["nope"])


# Where the file is found ------------------------------------------------------------------------


def test_the_file_is_the_option_else_the_environment_else_newsmon_toml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSMON_CONFIG", raising=False)
    assert config_path(None) is None
    assert load_config(None).path is None
    (tmp_path / "newsmon.toml").write_text(MINIMAL, encoding="utf-8")
    assert config_path(None) == Path("newsmon.toml")
    assert load_config(None).source("example") is not None
    monkeypatch.setenv("NEWSMON_CONFIG", "elsewhere.toml")
    assert config_path(None) == Path("elsewhere.toml")
    assert config_path("given.toml") == Path("given.toml")
    with pytest.raises(ConfigError) as raised:
        load_config(None)
    assert raised.value.problems == ["elsewhere.toml: no such sources file"]


# Every mistake, with its line ---------------------------------------------------------------------


def test_all_mistakes_are_reported_at_once_with_file_line_and_reason() -> None:
    text = """# my sources
[[sources]]
id = "report_az"
kind = "site"
enabled = "no"

[[sources]]
id = "x"
name = "X News"
home_url = "https://www.x.test/"
feed = ["https://www.x.test/rss"]
tz = "Europe/Londn"
allow = ['(']
lang = "english"

[sources.selectors]
titel = "h1"
body = "div..p"

[[sources]]
id = "x"
home_url = "https://x.test/"
feeds = ["https://x.test/rss"]

[other]
a = 1
"""
    assert problems(text) == [
        "newsmon.toml:5: source 'report_az': 'enabled' must be true or false",
        "newsmon.toml:11: source 'x': unknown key 'feed' (did you mean 'feeds'?)",
        "newsmon.toml:12: source 'x': unknown time zone 'Europe/Londn' (did you mean 'Europe/London'?)",
        "newsmon.toml:13: source 'x': allow pattern '(' is not a regular expression: missing ), unterminated subpattern at position 0",
        "newsmon.toml:14: source 'x': lang 'english' is not a language code such as 'en' or 'pt-BR'",
        "newsmon.toml:17: source 'x': selectors: no field 'titel' (did you mean 'title'?) (fields: authors, body, lang, lead, modified_at, published_at, section, tags, title)",
        "newsmon.toml:18: source 'x': selectors: 'body': 'div..p' is not valid CSS: Expected ident, got <DELIM '.' at 4>",
        "newsmon.toml:21: source 'x': duplicate id 'x' (first at line 7)",
        "newsmon.toml:25: unknown key 'other'",
    ]


@pytest.mark.parametrize(
    ("addition", "expected"),
    [
        (
            '[[sources]]\nid = "b"\nhome_url = "ftp://x.test/"\nfeeds = ["https://x.test/rss"]',
            "newsmon.toml:8: source 'b': home_url 'ftp://x.test/' is not an http(s) URL",
        ),
        (
            'sitemaps = ["https://x.test:99999/sitemap.xml"]',
            "newsmon.toml:6: source 'example': sitemaps entry 'https://x.test:99999/sitemap.xml' is not a valid URL",
        ),
        (
            "max_age_days = 0",
            "newsmon.toml:6: source 'example': 'max_age_days' must be a positive number of days",
        ),
        (
            'listings = [{url = "https://x.test/a", link = "a"}]',
            "newsmon.toml:6: source 'example': listing: unknown key 'link' (did you mean 'links'?)",
        ),
        (
            'listings = [{url = "https://x.test/a", links = "//a["}]',
            "newsmon.toml:6: source 'example': listing links selector '//a[' is not valid XPath: Invalid expression",
        ),
        (
            'allowed_domains = ["https://x.test"]',
            "newsmon.toml:6: source 'example': allowed_domains entry 'https://x.test' must be a host name such as 'example.com'",
        ),
        (
            'kind = "rss"',
            "newsmon.toml:6: source 'example': kind 'rss' must be 'generic' or 'site'",
        ),
        (
            "deny = '/live/'\nallow = 3",
            "newsmon.toml:7: source 'example': 'allow' must be a list of regular expressions",
        ),
    ],
)
def test_each_kind_of_mistake_names_its_line(addition: str, expected: str) -> None:
    assert problems(MINIMAL + addition + "\n") == [expected]


def test_mistakes_in_the_identity_of_a_source() -> None:
    assert problems(
        '[[sources]]\nid = "Bad Id"\nhome_url = "https://x.test/"\nfeeds = ["https://x.test/rss"]\n'
    ) == [
        "newsmon.toml:2: source 'Bad Id': id 'Bad Id' must be lower-case letters, digits, '_' or '-' (starting with a letter or digit)"
    ]
    assert problems('[[sources]]\nhome_url = "https://x.test/"\n') == [
        "newsmon.toml:1: source '#1': missing key 'id'",
        "newsmon.toml:1: source '#1': nothing to crawl: give 'feeds', 'sitemaps' or 'listings'",
    ]
    assert problems(
        '[[sources]]\nid = "report_az"\nhome_url = "https://report.az/"\nfeeds = ["https://report.az/rss"]\n'
    ) == [
        "newsmon.toml:2: source 'report_az': id 'report_az' is a site with its own spider: give kind = \"site\" or choose another id"
    ]
    assert problems(
        '[[sources]]\nid = "generic"\nhome_url = "https://x.test/"\nfeeds = ["https://x.test/rss"]\n'
    ) == [
        "newsmon.toml:2: source 'generic': id 'generic' is reserved (it names the generic spider)"
    ]
    assert problems('[[sources]]\nid = "report_ax"\nkind = "site"\nfeeds = []\n') == [
        "newsmon.toml:2: source 'report_ax': no registered site 'report_ax' (did you mean 'report_az'?) (sites: ccbsnews, report_az); configured sites have kind = \"generic\"",
        "newsmon.toml:4: source 'report_ax': key 'feeds' does not apply to a site source (its spider has its own)",
    ]


def test_a_toml_syntax_error_names_its_line() -> None:
    assert problems('[[sources]]\nid = "a"\nname = \n') == [
        "newsmon.toml:3: invalid value (column 8)"
    ]


def test_arrays_nested_too_deeply_are_a_problem_with_a_position() -> None:
    # The first bracket more than 100 levels deep: line 3, column 4 + 100 + 1.
    deep = "[" * 1000 + "]" * 1000
    text = f'[[sources]]\nid = "a"\nx = {deep}\n'
    assert problems(text) == [
        "newsmon.toml:3: arrays or inline tables nested too deeply (column 105)"
    ]
    # Brackets in strings and comments are not nesting.
    text = f'# {"[" * 200}\n[[sources]]\nid = "a"\nname = "{"[" * 300}"\nx = {deep}\n'
    assert problems(text) == [
        "newsmon.toml:5: arrays or inline tables nested too deeply (column 105)"
    ]
    inline = "{a = " * 1000 + "1" + "}" * 1000
    assert problems(f'[[sources]]\nid = "a"\nx = {inline}\n') == [
        "newsmon.toml:3: arrays or inline tables nested too deeply (column 505)"
    ]


# The commands ---------------------------------------------------------------------------------------


def test_sources_check_prints_every_problem_and_exits_1(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(MINIMAL + 'feed = "https://www.example-news.test/rss"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["sources", "check", "--config", str(config)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {config}:6: source 'example': unknown key 'feed' (did you mean 'feeds'?)\n"
    )
    good = CliRunner().invoke(
        cli, ["sources", "check", "--config", str(ROOT / "sources.example.toml")]
    )
    assert good.exit_code == 0, good.output
    assert good.output.endswith(
        "sources.example.toml: ok: 2 site(s) with their own spider (2 enabled), "
        "3 configured source(s) (0 enabled)\n"
    )


def test_sources_check_on_deeply_nested_arrays_is_one_error_line(tmp_path: Path) -> None:
    config = tmp_path / "deep.toml"
    config.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["sources", "check", "--config", str(config)])
    assert (result.exit_code, result.output) == (
        1,
        f"Error: {config}:1: arrays or inline tables nested too deeply (column 105)\n",
    )


def test_a_crawl_with_a_bad_sources_file_does_not_start(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(MINIMAL + "tz = 'Mars/Olympus'\n", encoding="utf-8")
    db = tmp_path / "newsmon.db"
    result = CliRunner().invoke(cli, ["crawl", "--config", str(config), "--db", str(db)])
    assert result.exit_code == 1
    assert (
        result.output == f"Error: {config}:6: source 'example': unknown time zone 'Mars/Olympus'\n"
    )
    assert not db.exists()


def test_spiders_and_sources_show_both_kinds(tmp_path: Path) -> None:
    config = tmp_path / "newsmon.toml"
    config.write_text(
        MINIMAL + '\n[[sources]]\nid = "ccbsnews"\nkind = "site"\nenabled = false\n',
        encoding="utf-8",
    )
    db = tmp_path / "newsmon.db"
    with sqlite3.connect(db):
        pass
    spiders = CliRunner().invoke(cli, ["spiders", "--config", str(config)])
    assert spiders.output == "generic\nreport_az\n"
    wide = CliRunner(env={"COLUMNS": "200"})  # tables fit the terminal; this one is wide
    listed = wide.invoke(cli, ["sources", "--config", str(config), "--db", str(db)])
    assert listed.exit_code == 0, listed.output
    assert listed.stderr == f"note: no store at {db} yet: the counts are empty\n"
    assert listed.stdout.splitlines() == [
        "id         name                kind     enabled  articles  appearances  last_crawl"
        "  conditional_get",
        "---------  ------------------  -------  -------  --------  -----------  ----------"
        "  ---------------",
        "ccbsnews   CCBS News           site     no       0         0                        on",
        "example    example-news.test   generic  yes      0         0                        on",
        "report_az  Report News Agency  site     yes      0         0                        on",
    ]
