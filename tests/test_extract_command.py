"""`newsmon extract`: every field newsmon reads from one page, and the method behind it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from newsmon.cli import cli
from tests.conftest import SEEDS
from tests.fixture_server import Answer, serving
from tests.helpers import ROOT

PAGES = ROOT / "tests" / "generic_pages"
SITES = ROOT / "tests" / "generic_sites"
FETCHED = ("--fetched-at", "2026-03-03T12:00:00+00:00")
REPORT_AZ_ARTICLE = "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
TRAM_URL = "https://volga-vestnik.test/news/society/38811-v-samare-zapustyat-rechnoy-tramvay"


def extract(*args: str) -> Result:
    return CliRunner().invoke(cli, ["extract", *args])


def test_a_saved_page_gives_every_field_with_its_method_as_json() -> None:
    result = extract(str(PAGES / "time_only" / "page.html"), *FETCHED, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "input": str(PAGES / "time_only" / "page.html"),
        "parser": "generic@1",
        "source": "volga_vestnik_test",
        "headlines": [],
        "fields": {
            "source": {"value": "volga_vestnik_test", "method": ""},
            "url": {"value": TRAM_URL, "method": "html"},
            "page_url": {"value": TRAM_URL, "method": ""},
            "fetched_at": {"value": "2026-03-03T12:00:00+00:00", "method": ""},
            "title": {"value": "В Самаре запустят речной трамвай до Ширяево", "method": "meta"},
            "seo_title": {"value": None, "method": ""},
            "published_at": {"value": "2026-01-27T08:05:00+00:00", "method": "time"},
            "published_date": {"value": "2026-01-27", "method": "time"},
            "published_basis": {"value": "exact", "method": "time"},
            "modified_at": {"value": None, "method": ""},
            "section": {"value": None, "method": ""},
            "lang": {"value": "ru", "method": "html"},
            "authors": {"value": ["Ирина Соколова"], "method": "meta"},
            "lead": {
                "value": "Первые рейсы нового речного маршрута начнутся 1 мая, билет будет стоить 250 рублей.",
                "method": "meta",
            },
            "body": {
                "value": [
                    "Власти Самарской области решили возобновить регулярное речное сообщение между Самарой и селом Ширяево. Об этом сообщили в министерстве транспорта региона.",
                    "Первые рейсы нового речного трамвая начнутся 1 мая. Суда будут отправляться от речного вокзала четыре раза в день, а путь в одну сторону займёт около полутора часов.",
                    "Стоимость билета для взрослых составит 250 рублей, для детей и пенсионеров предусмотрена скидка 50 процентов. Оплатить проезд можно будет банковской картой прямо на борту.",
                    "По словам заместителя министра Андрея Лаврова, маршрут рассчитан прежде всего на туристов, которые едут в Ширяево ради музеев и Жигулёвских гор.",
                    "Если спрос окажется высоким, летом число рейсов могут увеличить до шести в день.",
                ],
                "method": "main-text",
            },
            "tags": {
                "value": ["Самара", "речной транспорт", "Ширяево", "туризм"],
                "method": "meta",
            },
            "alternates": {"value": {}, "method": ""},
            "site_article_id": {"value": None, "method": ""},
            "previous_urls": {"value": [], "method": ""},
            "parser": {"value": "generic@1", "method": ""},
        },
    }


def test_the_text_report_is_a_table_then_the_body() -> None:
    wide = CliRunner(env={"COLUMNS": "200"})  # the table fits the terminal; this one is wide
    result = wide.invoke(cli, ["extract", str(PAGES / "time_only" / "page.html"), *FETCHED])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "parser: generic@1  source: volga_vestnik_test",
        "",
        "field            method     value",
    ]
    assert "published_at     time       2026-01-27T08:05:00+00:00" in lines
    assert "body             main-text  5 paragraph(s), below" in lines
    assert "tags             meta       Самара; речной транспорт; Ширяево; туризм" in lines
    assert lines[-6:] == [
        "body:",
        "  Власти Самарской области решили возобновить регулярное речное сообщение между Самарой и селом Ширяево. Об этом сообщили в министерстве транспорта региона.",
        "  Первые рейсы нового речного трамвая начнутся 1 мая. Суда будут отправляться от речного вокзала четыре раза в день, а путь в одну сторону займёт около полутора часов.",
        "  Стоимость билета для взрослых составит 250 рублей, для детей и пенсионеров предусмотрена скидка 50 процентов. Оплатить проезд можно будет банковской картой прямо на борту.",
        "  По словам заместителя министра Андрея Лаврова, маршрут рассчитан прежде всего на туристов, которые едут в Ширяево ради музеев и Жигулёвских гор.",
        "  Если спрос окажется высоким, летом число рейсов могут увеличить до шести в день.",
    ]


def test_a_page_of_a_site_with_its_own_parser_is_read_by_that_parser() -> None:
    page = SEEDS / "report_az" / "article-2026-03-03.html"
    result = extract(
        str(page), "--url", REPORT_AZ_ARTICLE, "--fetched-at", "2026-03-03T10:45:00+00:00", "--json"
    )
    assert result.exit_code == 0, result.output
    reading = json.loads(result.stdout)
    assert (reading["parser"], reading["source"]) == ("report_az@1", "report_az")
    assert reading["fields"]["title"] == {
        "value": "Azerbaijan, Türkiye discuss expanding defense industry cooperation",
        "method": "json-ld",
    }
    assert reading["fields"]["body"]["method"] == "selector"
    contexts = [headline["context"] for headline in reading["headlines"]]
    assert contexts == ["article", "alternate", "alternate"] + ["latest"] * 9


def test_a_saved_page_without_an_address_needs_url(tmp_path: Path) -> None:
    result = extract(str(PAGES / "no_metadata" / "page.html"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {PAGES / 'no_metadata' / 'page.html'}: give --url: the page has no "
        "<link rel=canonical> to take it from\n"
    )
    missing = extract(str(tmp_path / "nowhere.html"))
    assert (
        missing.output
        == f"Error: {tmp_path / 'nowhere.html'}: cannot read: No such file or directory\n"
    )
    relative = tmp_path / "relative.html"
    relative.write_text(
        '<html><head><link rel="canonical" href="/story/1"></head></html>', encoding="utf-8"
    )
    assert extract(str(relative)).output == (
        f"Error: {relative}: the page's address from its <link rel=canonical> '/story/1' is not an http(s) URL\n"
    )
    bad_time = extract(str(PAGES / "time_only" / "page.html"), "--fetched-at", "yesterday")
    assert bad_time.exit_code == 2
    assert (
        "Invalid value for '--fetched-at': 'yesterday' is not ISO 8601 with a zone"
        in bad_time.output
    )


def test_a_gzipped_saved_page_is_read_as_the_page(tmp_path: Path) -> None:
    page = PAGES / "time_only" / "page.html"
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(page.read_bytes()))
    plain, gzipped = (
        json.loads(extract(str(path), *FETCHED, "--json").stdout) for path in (page, packed)
    )
    assert gzipped["fields"] == plain["fields"]
    assert gzipped["fields"]["title"]["value"] == "В Самаре запустят речной трамвай до Ширяево"


def test_a_damaged_or_oversized_gzipped_page_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (PAGES / "time_only" / "page.html").read_bytes()
    cut = tmp_path / "cut.html.gz"
    cut.write_bytes(gzip.compress(page)[:200])
    result = extract(str(cut), str(PAGES / "time_only" / "page.html"), *FETCHED)
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {cut}: damaged gzip file: it ends before its data does\n")
    assert len(result.stdout.splitlines()) == 1  # the other page is read all the same
    large = tmp_path / "large.html.gz"
    large.write_bytes(gzip.compress(page))
    monkeypatch.setattr("newsmon.crawl.page_inputs.MAX_SAVED_PAGE_BYTES", len(page) // 2)
    assert extract(str(large), *FETCHED).stderr == (
        f"Error: {large}: larger than {len(page) // 2:,} bytes once decompressed, not read\n"
    )


@pytest.fixture
def local_page(tmp_path: Path):
    """A saved Harbor Town Gazette article served on 127.0.0.1, and a sources file naming it."""
    with serving(SITES) as server:
        url = f"http://127.0.0.1:{server.port}/index.php?id=20938"
        body = (SITES / "harbortown_gazette" / "index-id-20938.html").read_bytes()
        server.overrides[f"https://127.0.0.1:{server.port}/index.php?id=20938"] = Answer(
            200, body, {"Content-Type": "text/html; charset=iso-8859-1"}
        )
        config = tmp_path / "newsmon.toml"
        config.write_text(
            f"""[[sources]]
id = "harbortown"
home_url = "http://127.0.0.1:{server.port}/"
tz = "America/New_York"
listings = ["http://127.0.0.1:{server.port}/index.php"]
allow_private_addresses = true

[sources.selectors]
body = "div.post > p:not(.share)"
""",
            encoding="utf-8",
        )
        yield url, config


def test_a_fetched_page_of_a_configured_source_uses_its_selectors(local_page) -> None:
    url, config = local_page
    result = extract(url, "--allow-private", "--config", str(config), *FETCHED, "--json")
    assert result.exit_code == 0, result.output
    reading = json.loads(result.stdout)
    assert reading["source"] == "harbortown"
    assert reading["fields"]["title"] == {
        "value": "Harbor dredging contract goes to Maine firm",
        "method": "html",
    }
    assert reading["fields"]["body"] == {
        "value": [
            "The harbor commission on Thursday awarded a $4.1 million contract to dredge the main channel to Penobscot Marine Works of Bangor, Maine, the lowest of three bidders.",
            "The work will deepen the channel from 14 to 18 feet so that the new ferry, due next spring, can dock at low tide. Dredging is to start after Labor Day and take about ten weeks.",
            "Commission chair Ellen Briggs said the firm had agreed to take the spoil to an approved site offshore rather than to the marsh north of town, which residents had opposed.",
        ],
        "method": "selector",
    }
    without_config = json.loads(extract(url, "--allow-private", *FETCHED, "--json").stdout)
    assert without_config["source"] == "127_0_0_1"
    assert without_config["fields"]["body"]["method"] == "main-text"


def test_a_private_address_is_refused_without_allow_private(local_page) -> None:
    url, _ = local_page
    result = extract(url)
    assert result.exit_code == 1
    assert (
        result.output
        == f"Error: {url}: refused: 127.0.0.1 is a private address (--allow-private allows it)\n"
    )


def test_a_configured_source_that_allows_private_addresses_is_fetched_without_the_flag(
    local_page,
) -> None:
    url, config = local_page
    result = extract(url, "--config", str(config), *FETCHED, "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout)["source"] == "harbortown"


def test_many_inputs_give_one_json_line_each_and_a_failed_one_an_error_line(
    local_page, tmp_path: Path
) -> None:
    url, config = local_page
    tram = str(PAGES / "time_only" / "page.html")
    missing = str(tmp_path / "nowhere.html")
    no_address = str(PAGES / "no_metadata" / "page.html")
    result = extract(tram, missing, url, no_address, "--config", str(config), *FETCHED)
    assert result.exit_code == 1
    readings = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(reading["input"], reading["source"]) for reading in readings] == [
        (tram, "volga_vestnik_test"),
        (url, "harbortown"),
    ]
    assert readings[0] == {"input": tram, **json.loads(extract(tram, *FETCHED, "--json").stdout)}
    assert result.stderr.splitlines() == [
        f"Error: {missing}: cannot read: No such file or directory",
        f"Error: {no_address}: give --url: the page has no <link rel=canonical> to take it from",
    ]


def test_many_inputs_that_all_succeed_exit_0() -> None:
    pages = [str(PAGES / name / "page.html") for name in ("time_only", "jsonld_graph")]
    result = extract(*pages, *FETCHED)
    assert (result.exit_code, result.stderr) == (0, "")
    assert [json.loads(line)["input"] for line in result.stdout.splitlines()] == pages


def test_url_names_the_address_of_a_single_file() -> None:
    page = str(PAGES / "time_only" / "page.html")
    result = extract(page, page, "--url", TRAM_URL)
    assert result.exit_code == 2
    assert "--url gives the address of one FILE: give it with one FILE only" in result.stderr
