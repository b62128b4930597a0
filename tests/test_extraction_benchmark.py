"""The extraction benchmark's scoring and the conversion of public labelled pages."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from tests.helpers import import_script


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """benchmarks/extraction.py."""
    return import_script("extraction")


@pytest.fixture(scope="module")
def data() -> ModuleType:
    """benchmarks/extraction_data.py."""
    return import_script("extraction_data")


def page_in(bench: ModuleType, split: str, **labels: object):
    """A page whose id falls in `split`, with the given labels."""
    for number in range(100):
        page = bench.Page(f"page-{number}", "https://news.test/a", "", "UTC", None, **labels)
        if page.split == split:
            page.set_name = "set"
            return page
    raise AssertionError("no id in that split")


def test_published_time_is_compared_in_utc_to_the_minute(bench: ModuleType) -> None:
    assert bench.to_minute("2015-07-24T05:36:09+01:00", "UTC") == "2015-07-24T04:36"
    assert bench.to_minute("2015-07-24T04:36:59.5Z", "UTC") == "2015-07-24T04:36"
    assert bench.to_minute("2015-07-24T06:36:00", "Europe/Berlin") == "2015-07-24T04:36"
    assert bench.to_minute("not a date", "UTC") is None
    assert bench.to_minute(None, "UTC") is None


def test_authors_are_a_set_of_folded_names(bench: ModuleType) -> None:
    assert bench.author_set(["JOE  Hildebrand", "Ana Sandoiu"]) == bench.author_set(
        ["ana sandoiu", "Joe Hildebrand"]
    )
    assert bench.author_set(["Ana Sandoiu"]) != bench.author_set(["Ana Sandoiu", "BBC News"])
    assert bench.author_set(None) == frozenset()


def test_each_field_is_scored_on_its_labelled_pages_only(bench: ModuleType) -> None:
    right = page_in(
        bench,
        bench.DEV,
        title="Seven secrets",
        published_at="2015-09-17T15:57:00+00:00",
        authors=["Hazel Sheffield"],
    )
    wrong = page_in(bench, bench.HELD_OUT, title="The headline", published_date="2020-01-02")
    run = bench.Run(
        {
            right.key: bench.Output(
                "", "Seven  secrets", "2015-09-17T17:57:30+02:00", None, ["hazel sheffield"]
            ),
            wrong.key: bench.Output("", "SEO title", None, "2020-01-01", []),
        },
        {right.key: 0.01, wrong.key: 0.03},
        {right.key: 0.01, wrong.key: 0.03},
    )
    figures = bench.score([right, wrong], run)
    assert figures["title"] == {"hits": 1, "pages": 2}
    assert figures["published_at"] == {"hits": 1, "pages": 1}
    assert figures["published_date"] == {"hits": 0, "pages": 1}
    assert figures["authors"] == {"hits": 1, "pages": 1}
    assert "body_f1" not in figures
    assert figures["cpu_ms_per_page"] == 20.0


def test_misses_are_listed_for_dev_pages_and_only_counted_for_held_out(
    bench: ModuleType,
) -> None:
    dev = page_in(bench, bench.DEV, title="Shown headline")
    held_out = page_in(bench, bench.HELD_OUT, title="Another headline")
    run = bench.Run(
        {dev.key: bench.Output("", "SEO title"), held_out.key: bench.Output("", None)}, {}, {}
    )
    found = bench.misses([dev, held_out], run)
    seo = "title: another title than the shown headline (SEO, site or section title)"
    assert found["kinds"] == {
        seo: {"dev": 1, "held-out": 0},
        "title: none found": {"dev": 0, "held-out": 1},
    }
    assert found["dev"] == [
        {"page": dev.key, "kind": seo, "expected": "Shown headline", "found": "SEO title"}
    ]


def test_title_misses_are_told_apart(bench: ModuleType) -> None:
    headline = "Tite diz que errou ao levar taça a Lula em 2012"
    kinds = {
        "Tite diz que errou ao levar taÃ§a a Lula em 2012": "mojibake",
        "Tite diz que errou ao levar taça a Lula em 2012 | Folha": "kept after",
        "Futebol: Tite diz que errou ao levar taça a Lula em 2012": "kept before",
        "Tite diz que errou": "cut short",
        "Folha de S.Paulo": "another title",
    }
    for found, kind in kinds.items():
        assert kind in bench.title_miss(headline, found), found
    assert "quotes" in bench.title_miss(
        "Obama's ‘biggest’ frustration", "Obama’s 'biggest' frustration"
    )


def test_author_misses_are_told_apart(bench: ModuleType) -> None:
    expected = bench.author_set(["Stella Kim", "Jennifer Jett"])
    kinds = {
        (): "none found",
        ("stella.kim@news.test",): "handle",
        ("Stella Kim",): "some of the names",
        ("Stella Kim and Jennifer Jett",): "several names in one string",
        ("Stella Kim", "Jennifer Jett", "NBC News"): "the names and others",
        ("NBC News",): "another name",
    }
    for found, kind in kinds.items():
        assert kind in bench.authors_miss(expected, list(found)), found


def test_date_misses_are_told_apart(bench: ModuleType) -> None:
    page = page_in(
        bench, bench.DEV, published_at="2019-12-10T06:30:00+00:00", published_date="2019-12-10"
    )
    at_midnight = bench.Output("", published_at="2019-12-10T00:00:00+00:00")
    assert "another time of day" in bench.miss_kind("published_at", page, at_midnight)
    assert "none found" in bench.miss_kind("published_at", page, bench.Output(""))
    day_before = bench.Output("", published_date="2019-12-09")
    assert "one day off" in bench.miss_kind("published_date", page, day_before)
    modified = bench.Output("", published_date="2020-02-01")
    assert "another date" in bench.miss_kind("published_date", page, modified)


def test_unlabelled_fields_load_as_none(bench: ModuleType, tmp_path: Path) -> None:
    folder = tmp_path / "pages" / "one"
    folder.mkdir(parents=True)
    (folder / "page.html").write_text("<h1>Hi</h1>", encoding="utf-8")
    expected = {"input": {"url": "https://news.test/a"}, "title": "Hi", "authors": None}
    (folder / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    [page] = bench.load_pages(tmp_path / "pages")
    # no zone given: newsmon reads the page in the zone it tells, as for a page of no source
    assert (page.title, page.authors, page.body, page.tz) == ("Hi", None, None, None)
    assert page.key == "pages/one"


def test_author_labels_are_split_into_names(data: ModuleType) -> None:
    assert data.split_names("By Glen Owen, Brendan Carlin and Ana Sandoiu") == [
        "Glen Owen",
        "Brendan Carlin",
        "Ana Sandoiu",
    ]
    assert data.split_names("Martin Untersinger (avec Damien Leloup et Morgane Tual)") == [
        "Martin Untersinger",
        "Damien Leloup",
        "Morgane Tual",
    ]
    assert data.split_names(["Richard David Precht", "Karin Fischer"]) == [
        "Richard David Precht",
        "Karin Fischer",
    ]


def test_only_person_names_are_kept_as_authors(data: ModuleType) -> None:
    assert data.is_person_name("Christoph von Ritter")
    assert data.is_person_name("JOE HILDEBRAND")
    for name in ("Redaktion", "Staff Writer", "Catch more fish", "det/dpa", "7 NEWS WSVN"):
        assert not data.is_person_name(name), name


def test_labels_must_be_borne_out_by_the_page(data: ModuleType) -> None:
    tree = data.parse(
        "<html><head><title>Seven secrets | The Independent</title></head><body>"
        "<h1>The  seven secrets</h1><p class=byline>By Hazel Sheffield</p>"
        "<script>var author = 'Ghost Writer';</script></body></html>"
    )
    assert data.checked_title("The seven secrets", tree) == "The seven secrets"
    assert data.checked_title("Seven secrets | The Independent", tree) is None
    assert data.checked_authors("By Hazel Sheffield", tree) == ["Hazel Sheffield"]
    assert data.checked_authors("Ghost Writer", tree) is None
    assert data.checked_authors("Hazel Sheffield and Ana Sandoiu", tree) is None


def test_dates_keep_a_time_only_with_an_offset(data: ModuleType) -> None:
    assert data.timestamp("2015-07-24T05:36:09+01:00") == "2015-07-24T04:36:09+00:00"
    assert data.timestamp("2015-07-24T05:36:09") is None
    assert data.timestamp("2015-07-24") is None
    assert data.day("2017-02-23T20:18:13-05:00") == "2017-02-23"


def test_stored_pages_keep_json_ld_but_no_other_script(data: ModuleType) -> None:
    html = (
        '<script type="application/ld+json">{"headline": "A"}</script>'
        "<script>track();</script><style>p { color: red }</style><p>Text</p>"
    )
    assert data.slim(html) == (
        '<script type="application/ld+json">{"headline": "A"}</script><style></style><p>Text</p>'
    )


def test_htmldate_news_pages_keep_one_dated_article_page_per_host(
    data: ModuleType, tmp_path: Path
) -> None:
    tests = tmp_path / "htmldate" / "tests"
    (tests / "test_set").mkdir(parents=True)
    page = "<html lang='sq'><body><h1>Lajm</h1><script>x()</script></body></html>"
    labels = {
        "https://www.koha.net/a/1": {"file": "1.html", "date": "2020-08-13"},
        "https://undated.example/2": {"file": "2.html", "date": float("nan")},
        "https://bn.wikipedia.org/w/3": {"file": "3.html", "date": "2020-02-18"},
        "https://heavy.example/4": {"file": "4.html", "date": "2020-01-02"},
    }
    (tests / "eval_mediacloud_2020.json").write_text(json.dumps(labels), encoding="utf-8")
    for name in ("1.html", "2.html", "3.html"):
        (tests / "test_set" / name).write_text(page, encoding="utf-8")
    (tests / "test_set" / "4.html").write_text(page + "<p>x</p>" * 200, encoding="utf-8")
    [kept] = data.mediacloud_pages(tmp_path / "htmldate", limit=10, max_bytes=1000)
    assert kept.expected() == {
        "input": {"url": "https://www.koha.net/a/1", "source": "mediacloud"},
        "title": None,
        "published_at": None,
        "published_date": "2020-08-13",
        "authors": None,
        "origin": {"set": "mediacloud", "file": "tests/test_set/1.html"},
    }
    assert kept.id.startswith("koha.net-")
    assert "x()" not in kept.html


def test_scrapinghub_pages_are_stored_slimmed_in_their_own_layout(
    bench: ModuleType, data: ModuleType, tmp_path: Path
) -> None:
    snapshot = tmp_path / "aeb"
    (snapshot / "html").mkdir(parents=True)
    truth = {"abc": {"articleBody": "One.\n\nTwo.", "url": "https://news.test/a"}}
    (snapshot / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    html = "<html><body><script>track();</script><p>One.</p><p>Two.</p></body></html>"
    (snapshot / "html" / "abc.html.gz").write_bytes(gzip.compress(html.encode()))
    data.write_scrapinghub_set(snapshot, tmp_path / "scrapinghub")
    [page] = bench.load_pages(tmp_path / "scrapinghub")
    assert (page.id, page.url, page.body) == ("abc", "https://news.test/a", "One.\n\nTwo.")
    assert page.html == "<html><body><p>One.</p><p>Two.</p></body></html>"


MERCURY_TEST = """
describe('ExampleExtractor', () => {
  describe('initial test case', () => {
    beforeAll(() => {
      url =
        'https://www.example.com/2016/09/19/arrest.html';
      const html = fs.readFileSync('./fixtures/www.example.com.html');
    });
    it('returns the title', async () => {
      assert.equal(
        title,
        'Rahami\\'s Arrest in \\u201cManhattan\\u201d'
      );
    });
    it('returns the author', async () => {
      assert.equal(author, 'Marc Santora, William K. Rashbaum and Al Baker');
    });
    it('returns the date_published', async () => {
      assert.equal(date_published, '2016-09-19T04:00:00.000Z');
    });
  });
  describe('second page', () => {
    beforeAll(() => {
      url = 'https://www.example.com/b';
      const html = fs.readFileSync('./fixtures/www.example.com--b.html');
    });
    it('returns the author', async () => {
      assert.equal(author, null);
      assert.equal(date_published, '2016-09-19T11:46:01.000Z');
    });
  });
});
"""


def test_mercury_labels_are_parsed_from_its_site_extractor_tests(data: ModuleType) -> None:
    first, second = data.mercury_cases(MERCURY_TEST)
    assert first == data.MercuryCase(
        "https://www.example.com/2016/09/19/arrest.html",
        "fixtures/www.example.com.html",
        "Rahami's Arrest in \u201cManhattan\u201d",
        "Marc Santora, William K. Rashbaum and Al Baker",
        "2016-09-19T04:00:00.000Z",
    )
    assert (second.fixture, second.author) == ("fixtures/www.example.com--b.html", None)


def test_mercury_pages_keep_the_first_labelled_case_in_its_zone_with_meta_restored(
    bench: ModuleType, data: ModuleType, tmp_path: Path
) -> None:
    snapshot = tmp_path / "parser"
    extractor = snapshot / "src" / "extractors" / "custom" / "www.example.com"
    extractor.mkdir(parents=True)
    (extractor / "index.test.js").write_text(MERCURY_TEST, encoding="utf-8")
    (extractor / "index.js").write_text("timezone: 'America/New_York',", encoding="utf-8")
    (snapshot / "fixtures").mkdir()
    page = '<html><head><meta name="author" value="Marc Santora"></head><body></body></html>'
    for name in ("www.example.com.html", "www.example.com--b.html"):
        (snapshot / "fixtures" / name).write_text(page, encoding="utf-8")
    [kept] = data.mercury_pages(snapshot)
    assert kept.expected() == {
        "input": {
            "url": "https://www.example.com/2016/09/19/arrest.html",
            "source": "mercury",
            "tz": "America/New_York",
        },
        "title": "Rahami's Arrest in \u201cManhattan\u201d",
        "published_at": None,
        "published_date": "2016-09-19",
        "authors": ["Marc Santora", "William K. Rashbaum", "Al Baker"],
        "origin": {"set": "mercury", "test": "src/extractors/custom/www.example.com/index.test.js"},
    }
    assert kept.id == "www.example.com"
    assert '<meta name="author" content="Marc Santora">' in kept.html


def test_gzipped_pages_load_like_plain_ones(bench: ModuleType, tmp_path: Path) -> None:
    folder = tmp_path / "mercury" / "www.example.com"
    folder.mkdir(parents=True)
    (folder / "page.html.gz").write_bytes(gzip.compress("<h1>Café</h1>".encode()))
    expected = {"input": {"url": "https://www.example.com/a"}, "title": "Café"}
    (folder / "expected.json").write_text(json.dumps(expected), encoding="utf-8")
    [page] = bench.load_pages(tmp_path / "mercury")
    assert (page.html, page.title) == ("<h1>Café</h1>", "Café")


METASCRAPER_TEST = """const url =
  'https://www.example.com/2016/05/24/story'

test('example', async t => {
  const html = await readFile(resolve(__dirname, 'input.html'))
  t.snapshot(await metascraper({ html, url }))
})
"""
METASCRAPER_SNAPSHOT = """# Snapshot report for `test/integration/example/index.js`

## example

> Snapshot 1

    {
      author: 'By Ann Lee',
      date: '2016-05-24T20:52:12.000Z',
      title: 'Ann\\'s story',
      url: 'https://www.example.com/2016/05/24/story',
    }
"""


def test_metascraper_pages_keep_the_checked_snapshot_values(
    data: ModuleType, tmp_path: Path
) -> None:
    folder = tmp_path / "packages" / "metascraper" / "test" / "integration" / "example"
    (folder / "snapshots").mkdir(parents=True)
    (folder / "index.js").write_text(METASCRAPER_TEST, encoding="utf-8")
    (folder / "snapshots" / "index.js.md").write_text(METASCRAPER_SNAPSHOT, encoding="utf-8")
    page = (
        '<html><head><meta property="article:published_time" content="2016-05-24T16:52:12-04:00">'
        "</head><body><h1>Ann's story</h1><p>By Ann Lee</p></body></html>"
    )
    (folder / "input.html").write_text(page, encoding="utf-8")
    [kept] = data.metascraper_pages(tmp_path)
    assert (kept.id, kept.url, kept.title, kept.authors) == (
        "example",
        "https://www.example.com/2016/05/24/story",
        "Ann's story",
        ["Ann Lee"],
    )
    assert (kept.published_at, kept.published_date) == ("2016-05-24T20:52:00+00:00", "2016-05-24")


@pytest.mark.parametrize(
    ("page", "kept"),
    [
        ('<meta property="article:published_time" content="2016-05-24T16:52:12-04:00">', True),
        ('<time datetime="2016-05-24T20:52Z">May 24</time>', True),
        ('{"datePublished": "2016-05-24T20:52:12+00:00"}', True),
        # metascraper gives a page's modified time first: not a published time
        (
            '{"datePublished": "2016-05-24T18:00:00Z", "dateModified": "2016-05-24T20:52:12Z"}',
            False,
        ),
        ('<meta property="og:updated_time" content="2016-05-24T20:52:12Z">', False),
        # a time without an offset, or a day read as noon UTC, is not borne out
        ('<meta property="article:published_time" content="2016-05-24 20:52:12">', False),
        ('{"datePublished": "2016-05-24"}', False),
    ],
)
def test_metascraper_time_is_kept_only_as_the_page_states_its_publication(
    data: ModuleType, page: str, kept: bool
) -> None:
    published_at, _ = data.metascraper_time("2016-05-24T20:52:12.000Z", page)
    assert (published_at == "2016-05-24T20:52:00+00:00") is kept


MERCURY2_TEST = """
describe('ExampleExtractor', () => {
  describe('initial test case', () => {
    beforeAll(() => {
      url =
        'https://www.example.com/2016/09/19/known.html';
      const html = fs.readFileSync(
        './fixtures/www.example.com/1.html',
        'utf-8'
      );
    });
    it('returns the author', async () => {
      assert.strictEqual(author, 'Ann Lee');
    });
  });
  describe('second page', () => {
    beforeAll(() => {
      url = 'https://www.example.com/2025/06/10/story.html';
      const html = fs.readFileSync('./fixtures/www.example.com/2.html', 'utf-8');
    });
    it('returns the title', async () => {
      assert.strictEqual(title, `Ann's story`);
    });
    it('returns the author', async () => {
      assert.strictEqual(author, 'By Ann Lee and Bo Chan');
    });
    it('returns the date_published', async () => {
      assert.strictEqual(date_published, `2025-06-10T15:48:24.000Z`);
    });
  });
});
"""


# A fork's sites: an article's, and one whose page is not an article (left out).
FORK_HOSTS = ["www.example.com", "github.com"]
BYLINE_PAGE = "<html><body><h1>Ann's story</h1><p>By Ann Lee and Bo Chan</p></body></html>"


def mercury_fork(
    data: ModuleType,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    other_set: str,
    hosts: list[str],
    page: str,
) -> Path:
    """A fork's snapshot with `MERCURY2_TEST` and two saved `page`s for each host, beside a set
    `other_set` that already holds another page of www.example.com."""
    other = tmp_path / "sets" / other_set / "www.example.com"
    other.mkdir(parents=True)
    known = {"input": {"url": "https://www.example.com/2016/09/19/known.html"}}
    (other / "expected.json").write_text(json.dumps(known), encoding="utf-8")
    monkeypatch.setattr(data, "DATA", tmp_path / "sets")
    snapshot = tmp_path / "fork"
    custom = snapshot / "src" / "extractors" / "custom"
    for host in hosts:
        (custom / host).mkdir(parents=True)
        test = MERCURY2_TEST.replace("www.example.com", host)
        (custom / host / "index.test.js").write_text(test, encoding="utf-8")
        (custom / host / "index.js").write_text("export const Extractor = {};", encoding="utf-8")
        (snapshot / "fixtures" / host).mkdir(parents=True)
        for name in ("1.html", "2.html"):
            (snapshot / "fixtures" / host / name).write_text(page, encoding="utf-8")
    return snapshot


def test_mercury2_pages_keep_new_addresses_with_labels_the_page_bears_out(
    data: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (
        '<html><head><meta name="article:published_time" value="2025-06-10T11:48:24-04:00">'
        "</head><body><h1>Ann's story</h1><p>By Ann Lee and Bo Chan</p></body></html>"
    )
    snapshot = mercury_fork(data, tmp_path, monkeypatch, "mercury", ["www.example.com"], page)
    [kept] = data.mercury2_pages(snapshot)
    assert kept.expected() == {
        "input": {"url": "https://www.example.com/2025/06/10/story.html", "source": "mercury2"},
        "title": "Ann's story",
        "published_at": "2025-06-10T15:48:00+00:00",
        "published_date": "2025-06-10",
        "authors": ["Ann Lee", "Bo Chan"],
        "origin": {
            "set": "mercury2",
            "test": "src/extractors/custom/www.example.com/index.test.js",
            "fixture": "fixtures/www.example.com/2.html",
        },
    }


def test_mercury2_drops_a_date_the_page_gives_only_as_its_modification(
    data: ModuleType,
) -> None:
    page = '<meta name="article:modified_time" content="2025-06-10T15:48:24Z">'
    assert data.metascraper_time("2025-06-10T15:48:24.000Z", data.restored_meta(page)) == (
        None,
        None,
    )


def test_dated_values_are_found_quickly_beside_long_runs_of_word_characters(
    data: ModuleType,
) -> None:
    # an inline image's base64 data is one long run of word characters
    page = '<img src="data:image/png;base64,' + "A" * 200_000 + '">'
    page += '<meta name="article:published_time" content="2025-06-10T15:48:24Z">'
    assert data.metascraper_time("2025-06-10T15:48:24.000Z", page)[0] == (
        "2025-06-10T15:48:00+00:00"
    )


def test_mercury3_leaves_out_mercury2_s_addresses_and_pages_that_are_not_articles(
    data: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = mercury_fork(data, tmp_path, monkeypatch, "mercury2", FORK_HOSTS, BYLINE_PAGE)
    [kept] = data.mercury2_pages(snapshot, "mercury3")
    assert (kept.id, kept.url, kept.origin["set"]) == (
        "www.example.com",
        "https://www.example.com/2025/06/10/story.html",
        "mercury3",
    )


def test_mercury4_reads_the_forks_branches_in_order_one_page_per_site(
    data: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fork = mercury_fork(data, tmp_path, monkeypatch, "mercury3", FORK_HOSTS, BYLINE_PAGE)
    branches = (("ann", "#12-example", "a" * 40), ("bo", "feat/example", "b" * 40))
    for folder in ("ann+_12-example", "bo+feat_example"):
        shutil.copytree(fork, tmp_path / "forks" / folder)
    monkeypatch.setattr(data, "MERCURY4_BRANCHES", branches)
    [kept] = data.mercury4_pages(tmp_path / "forks")
    assert (kept.id, kept.url, kept.title, kept.authors) == (
        "www.example.com",
        "https://www.example.com/2025/06/10/story.html",
        "Ann's story",
        ["Ann Lee", "Bo Chan"],
    )
    assert kept.origin == {
        "set": "mercury4",
        "fork": "ann/mercury-parser",
        "branch": "#12-example",
        "commit": "a" * 40,
        "test": "src/extractors/custom/www.example.com/index.test.js",
        "fixture": "fixtures/www.example.com/2.html",
    }


def wcxb_page(
    root: Path, split: str, page_id: str, url: str, kind: str, labels: dict, html: str
) -> None:
    """One WCXB page: its ground truth and its gzipped HTML under `root/split`."""
    (root / split / "ground-truth").mkdir(parents=True, exist_ok=True)
    (root / split / "html").mkdir(parents=True, exist_ok=True)
    truth = {
        "url": url,
        "file_id": page_id,
        "_internal": {"page_type": {"primary": kind}},
        "ground_truth": labels,
    }
    (root / split / "ground-truth" / f"{page_id}.json").write_text(
        json.dumps(truth), encoding="utf-8"
    )
    (root / split / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))


def another_set_holds(
    data: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    """The data folder moved under `tmp_path`, with one page at `url` in another set."""
    other = tmp_path / "sets" / "mercury" / "known"
    other.mkdir(parents=True)
    known = {"input": {"url": url}}
    (other / "expected.json").write_text(json.dumps(known), encoding="utf-8")
    monkeypatch.setattr(data, "DATA", tmp_path / "sets")


def test_wcxb_keeps_article_pages_of_new_addresses_with_labels_the_page_shows(
    data: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    another_set_holds(data, tmp_path, monkeypatch, "http://example.com/known/")
    labels = {
        "title": "Ann's story",
        "author": "Ann Lee",
        "publish_date": "2025-12-08",
        "main_content": "The river rose four metres overnight.\n\n- Roads   closed in town\n",
    }
    page = (
        "<html><body><h1>Ann's story</h1><p>By Ann Lee, Dec. 8th, 2025</p>"
        "<p>The river rose four metres overnight.</p><ul><li>Roads closed in town</li></ul>"
        "</body></html>"
    )
    snapshot = tmp_path / "wcxb"
    wcxb_page(snapshot, "dev", "0001", "https://www.example.com/known", "article", labels, page)
    wcxb_page(snapshot, "dev", "0002", "https://shop.test/p", "product", labels, page)
    wcxb_page(snapshot, "test", "0003", "https://news.test/a", "article", labels, page)
    wcxb_page(snapshot, "dev", "0004", "https://www.news.test/b", "article", labels, page)
    [kept] = data.wcxb_pages(snapshot, 10)
    assert kept.expected() == {
        "input": {"url": "https://news.test/a", "source": "wcxb"},
        "title": "Ann's story",
        "published_at": None,
        "published_date": "2025-12-08",
        "authors": ["Ann Lee"],
        "body": ["The river rose four metres overnight.", "- Roads closed in town"],
        "origin": {
            "set": "wcxb",
            "ground_truth": "test/ground-truth/0003.json",
            "html": "test/html/0003.html.gz",
        },
    }


@pytest.mark.parametrize(
    ("shown", "kept"),
    [
        ("<p>One two three four five six.</p><p>Seven eight nine ten.</p>", True),
        # 6 of the label's 7 four-word runs shown (0.86), then 5 of them (0.71)
        ("<p>One two three four five six.</p><p>Seven eight nine.</p>", True),
        ("<p>One two three four five six.</p><p>Seven eight.</p>", False),
        ("<p>Something else entirely, at length.</p>", False),
    ],
)
def test_wcxb_bodies_are_kept_only_where_the_page_shows_most_of_them(
    data: ModuleType, shown: str, kept: bool
) -> None:
    label = "One two three four five six.\nSeven eight nine ten."
    tree = data.parse(f"<html><body>{shown}</body></html>")
    expected = ["One two three four five six.", "Seven eight nine ten."]
    assert data.checked_body(label, tree) == (expected if kept else None)


@pytest.mark.parametrize(
    "head",
    [
        "",  # readability's expected outputs declare no charset
        '<meta charset="iso-8859-1">',  # a page decoded from another charset than it declares
    ],
)
def test_decoded_text_is_read_as_it_was_decoded(data: ModuleType, head: str) -> None:
    tree = data.parse(f"<html><head>{head}</head><body><p>Sanción — “Zázrak”</p></body></html>")
    assert data.text_lines(tree) == ["Sanción — “Zázrak”"]


def test_a_wcxb_body_label_without_words_is_none(data: ModuleType) -> None:
    assert data.checked_body("  \n ", data.parse("<html><body><p>Text</p></body></html>")) is None


@pytest.mark.parametrize(
    ("page", "kept"),
    [
        ("<p>Posted on December 8, 2025</p>", True),
        ("<p>8 Dec 2025</p>", True),
        ("<p>12/08/2025</p>", True),
        ("<p>08.12.2025</p>", True),
        ('<meta property="article:published_time" content="2025-12-08T09:00:00+01:00">', True),
        ('<time datetime="2025-12-08">Monday</time>', True),
        # another day shown, a day only in a script's text or only as the page's modification
        ("<p>December 18, 2025</p>", False),
        ("<p>December 8, 2024</p>", False),
        ('<meta property="article:modified_time" content="2025-12-08T09:00:00+01:00">', False),
        ("<p>112/08/2025</p>", False),
        # the day of the page's update, while it gives another as its publication
        ('{"datePublished": "2024-03-06T02:16:49-08:00", "dateModified": "2025-12-08"}', False),
        (
            '<meta property="article:published_time" content="2024-03-06T02:16:49-08:00">'
            "<p>Last updated on December 8, 2025</p>",
            False,
        ),
        ('{"datePublished": "2025-12-08", "dateModified": "2025-12-08"}', True),
    ],
)
def test_wcxb_days_are_kept_only_where_the_page_shows_them(
    data: ModuleType, page: str, kept: bool
) -> None:
    html = f"<html><head></head><body>{page}</body></html>"
    found = data.checked_day("2025-12-08", html, data.parse(html))
    assert (found == "2025-12-08") is kept


def omnivore_page(root: Path, name: str, url: str | None, metadata: dict, html: str) -> None:
    """One test page of Omnivore's readability fork under `root`."""
    folder = root / "packages" / "readabilityjs" / "test" / "test-pages" / name
    folder.mkdir(parents=True)
    (folder / "source.html").write_text(html, encoding="utf-8")
    (folder / "expected-metadata.json").write_text(json.dumps(metadata), encoding="utf-8")
    (folder / "expected.html").write_text("<div><p>Readability's output.</p></div>")
    if url is not None:
        (folder / "url.txt").write_text(f"{url}\n", encoding="utf-8")


def test_omnivore_pages_are_the_fork_s_own_with_labels_the_page_states(
    data: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    another_set_holds(data, tmp_path, monkeypatch, "https://known.test/a")
    page = (
        '<html><head><meta property="article:published_time" content="2022-05-26T11:57:59-04:00">'
        "</head><body><h1>Solar panels</h1><p>By Michelle Lewis</p><p>Text.</p></body></html>"
    )
    metadata = {
        "title": "Solar panels",
        "byline": "Michelle Lewis",
        "publishedDate": "2022-05-26T15:57:59.000Z",
    }
    snapshot = tmp_path / "omnivore"
    omnivore_page(snapshot, "electrek", "https://electrek.co/2022/05/26/solar/", metadata, page)
    omnivore_page(snapshot, "mozillas-own", None, metadata, page)
    omnivore_page(snapshot, "seen-elsewhere", "https://known.test/a/", metadata, page)
    omnivore_page(snapshot, "stackoverflow", "https://stackoverflow.com/q/1", metadata, page)
    # the fork gives a day without a time as a midnight in some zone: no time, no day
    day_only = {**metadata, "publishedDate": "2023-09-25T16:00:00.000Z"}
    omnivore_page(snapshot, "caixin", "https://caixin.test/1", day_only, page)
    found = {page.id: page for page in data.omnivore_pages(snapshot)}
    assert sorted(found) == ["caixin", "electrek"]
    assert found["electrek"].expected() == {
        "input": {"url": "https://electrek.co/2022/05/26/solar/", "source": "omnivore"},
        "title": "Solar panels",
        "published_at": "2022-05-26T15:57:00+00:00",
        "published_date": "2022-05-26",
        "authors": ["Michelle Lewis"],
        "origin": {
            "set": "omnivore",
            "path": "packages/readabilityjs/test/test-pages/electrek",
        },
    }
    assert (found["caixin"].published_at, found["caixin"].published_date) == (None, None)
