"""The generic extractor on real publisher pages (`tests/extract_pages/`, see its README):
given this page, these exact fields."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import CliRunner

from newsmon.cli import cli
from newsmon.extract import extract_article
from newsmon.items import ArticleItem
from newsmon.pipelines.normalize import normalize
from newsmon.readable import decode_body
from newsmon.store import Store
from newsmon.store.writer import StoreWriter

PAGES = Path(__file__).resolve().parent / "extract_pages"
FETCHED = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
URLS = {
    "dw_title_suffix": "https://www.dw.com/en/berlin-confronts-germanys-colonial-past-with-new-initiative/a-52060881",
    "gofeminin_seo_title": "https://www.gofeminin.de/abnehmen/wie-kann-ich-schnell-abnehmen-s1431651.html",
    "lady50plus_dash": "https://lady50plus.de/2019/06/19/sekre-mystery-bag/",
    "laviedesidees_byline_date": "http://www.laviedesidees.fr/L-evaluation-et-les-listes-de.html",
    "psl_stale_charset": "https://www.psl.eu/actualites/luniversite-psl-quand-les-grandes-ecoles-font-universite",
    "zeit_kicker": "https://www.zeit.de/mobilitaet/2020-01/zugverkehr-christian-lindner-hochgeschwindigkeitsstrecke-eu-kommission",
}
TIME_ZONES = {"dw_title_suffix": "Europe/Berlin", "zeit_kicker": "Europe/Berlin"}


def page_bytes(name: str) -> bytes:
    with gzip.open(PAGES / f"{name}.html.gz") as page:
        return page.read()


def extract_page(name: str) -> ArticleItem:
    """The page decoded as a crawl decodes it, then extracted."""
    text = decode_body(page_bytes(name), "text/html").text
    assert text is not None
    tz = TIME_ZONES.get(name, "Europe/Paris")
    return extract_article(URLS[name], text, FETCHED, source=name, tz=tz)


def test_every_page_has_its_address_and_a_line_of_provenance() -> None:
    names = sorted(path.name.removesuffix(".html.gz") for path in PAGES.glob("*.html.gz"))
    assert names == sorted(URLS)
    readme = (PAGES / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}.html.gz`" in readme for name in names)


# Mojibake: a UTF-8 page whose <meta> still declares ISO-8859-1.


def test_a_utf8_page_declaring_latin1_is_read_as_utf8() -> None:
    decoded = decode_body(page_bytes("psl_stale_charset"), "text/html")
    assert decoded.encoding == "utf-8"
    assert decoded.problems == ["declared cp1252 but the page is utf-8; read as utf-8"]
    assert "L’Université PSL : quand les grandes écoles font université" in str(decoded.text)


def test_a_utf8_page_declaring_latin1_gives_its_title_once_decoded() -> None:
    assert extract_page("psl_stale_charset").title == (
        "L’Université PSL : quand les grandes écoles font université"
    )


def test_the_extract_command_reads_a_saved_page_as_a_crawl_does(tmp_path: Path) -> None:
    saved = tmp_path / "page.html"
    saved.write_bytes(page_bytes("psl_stale_charset"))
    result = CliRunner().invoke(
        cli,
        ["extract", str(saved), "--url", URLS["psl_stale_charset"], "--json"],
    )
    assert result.exit_code == 0, result.output
    fields = json.loads(result.stdout)["fields"]
    assert fields["title"]["value"] == (
        "L’Université PSL : quand les grandes écoles font université"
    )


def test_a_legacy_page_is_still_read_in_its_declared_encoding() -> None:
    body = '<html><meta charset="iso-8859-1"><p>sanción</p></html>'.encode("latin-1")
    decoded = decode_body(body, "text/html")
    assert (decoded.encoding, decoded.problems) == ("cp1252", [])
    assert "sanción" in str(decoded.text)


# Title: the headline the page shows; the SEO title beside it when worded otherwise.


def test_a_kicker_glued_to_the_json_ld_headline_is_left_out() -> None:
    item = extract_page("zeit_kicker")
    assert item.title == "Im ICE von Frankfurt nach Barcelona"
    assert item.seo_title == "Zugverkehr: Im ICE von Frankfurt nach Barcelona"
    assert (item.methods["title"], item.methods["seo_title"]) == ("html", "json-ld")


def test_the_h1_wins_over_a_differently_worded_seo_headline() -> None:
    item = extract_page("gofeminin_seo_title")
    assert item.title == "Wie kann ich schnell abnehmen? Die 8 effektivsten Tipps"
    assert item.seo_title == "Wie kann ich schnell abnehmen? Der Schlachtplan zum Wunschgewicht"


def test_the_page_s_typography_is_kept_and_is_no_seo_title() -> None:
    item = extract_page("lady50plus_dash")
    assert item.title == "SEKRÈ MYSTERY BAG – jede Frau braucht ein Geheimnis!"
    assert item.seo_title is None


def test_a_site_suffix_the_site_name_did_not_catch_is_no_seo_title() -> None:
    item = extract_page("dw_title_suffix")
    assert item.title == "Berlin confronts Germany's colonial past with new initiative"
    assert item.seo_title is None


def test_the_store_keeps_the_shown_headline_and_the_seo_title(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "newsmon.db")
    store.ensure_source(
        "zeit_kicker",
        name="ZEIT ONLINE",
        home_url="https://www.zeit.de/",
        lang="de",
        tz="Europe/Berlin",
        kind="site",
    )
    writer = StoreWriter(store, store.start_crawl("live", ["zeit_kicker"]))
    writer.write(normalize(extract_page("zeit_kicker")))
    writer.close()
    rows = store.db.execute("SELECT title, seo_title FROM articles").fetchall()
    store.close()
    assert rows == [
        (
            "Im ICE von Frankfurt nach Barcelona",
            "Zugverkehr: Im ICE von Frankfurt nach Barcelona",
        )
    ]
