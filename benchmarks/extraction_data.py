"""Convert public labelled article pages into the extraction benchmark's page-set layout.

    python benchmarks/extraction_data.py readability SNAPSHOT [--out DIR]
    python benchmarks/extraction_data.py trafilatura SNAPSHOT [--out DIR] [--limit N]
    python benchmarks/extraction_data.py mediacloud SNAPSHOT [--out DIR] [--limit N] [--max-kb K]
    python benchmarks/extraction_data.py scrapinghub SNAPSHOT [--out DIR]
    python benchmarks/extraction_data.py mercury SNAPSHOT [--out DIR]
    python benchmarks/extraction_data.py metascraper SNAPSHOT [--out DIR]
    python benchmarks/extraction_data.py mercury2 SNAPSHOT [--out DIR]
    python benchmarks/extraction_data.py mercury3 SNAPSHOT [--out DIR]
    python benchmarks/extraction_data.py mercury4 SNAPSHOTS [--out DIR]
    python benchmarks/extraction_data.py wcxb SNAPSHOT [--out DIR] [--limit N]

SNAPSHOT is a checkout (or `git archive` export) of the source repository:

- `readability`: github.com/mozilla/readability (Apache-2.0), its `test/test-pages/*/`
  (`source.html`, `expected.html`, `expected-metadata.json`). Only real publisher pages are
  kept: those naming their own address (canonical link or `og:url`), Wikipedia's left out
  (reference pages, not articles).
- `trafilatura`: github.com/adbar/trafilatura (Apache-2.0), its `tests/evaldata.json`
  (hand-made labels: `title`, `author`, `date`) and the pages in `tests/eval/` and
  `tests/cache/`. Pages with a title and a date or an author label are kept, one page per host,
  in the order of the SHA-256 of their address, up to `--limit`.
- `mediacloud`: github.com/adbar/htmldate (Apache-2.0), its `tests/eval_mediacloud_2020.json`
  (news pages of 2020 from many countries with the day each was published, annotated by the
  Data Culture Group, Northeastern University) and the pages in `tests/test_set/`. Pages with a
  day, one per host, Wikipedia's left out, in the order of the SHA-256 of their address, up to
  `--limit`, each at most `--max-kb` once stored.
- `scrapinghub`: github.com/scrapinghub/article-extraction-benchmark (MIT), its
  `ground-truth.json` (hand-annotated article bodies) and `html/<id>.html.gz`. Every page is
  kept in that repository's own layout (gzipped; `benchmarks/extraction.py` reads it), slimmed
  like the others.
- `mercury`: github.com/postlight/parser (Postlight's Mercury parser; MIT or Apache-2.0), the
  expected `title`, `author` and `date_published` its site-extractor tests
  (`src/extractors/custom/<host>/index.test.js`) assert for the saved pages they read
  (`fixtures/`), parsed from the tests' text (`mercury_cases`). The first labelled test case
  of each host is kept; labels are kept as the tests give them (author strings split into
  names; a time at midnight in the extractor's declared zone, else UTC, is a day, not a time);
  the extractor's declared zone is the page's source zone (`input.tz`).
  Mercury stored its fixtures after its own clean-up, with the `content` of `<meta>` renamed
  `value`: the stored pages have it named `content` again. Pages are gzipped
  (`page.html.gz`).
- `metascraper`: github.com/microlinkhq/metascraper (MIT), its integration tests
  (`packages/metascraper/test/integration/<site>/`: the saved page, the address the test gives
  and the `author`, `date` and `title` of the AVA snapshot the test compares with), the first
  test of each site, left out: pages that are not articles (`NOT_ARTICLES_METASCRAPER`).
  The snapshot's values are checked like readability's and trafilatura's; its `date` (in
  UTC) is kept as `published_at` only when the stored page gives that instant, to the minute,
  as a time with an offset, and it is not the page's time of modification (metascraper's
  `date` is a page's modified time when it gives one): see `metascraper_time`. Pages are
  gzipped (`page.html.gz`).
- `mercury2`: github.com/jocmp/mercury-parser (MIT), the maintained fork of Postlight's
  parser, read like `mercury` (its tests also use `assert.strictEqual` and
  `readFileSync(path, 'utf-8')`), but only pages whose address is in no other set, the
  first such labelled case of each host, and every label checked against the page like
  metascraper's (title a heading, authors person names in the visible text, `date_published`
  kept only as a time the page states with an offset and not only as its modification: see
  `metascraper_time`). Pages are gzipped (`page.html.gz`).
- `mercury3`: github.com/shinyfrog/mercury-parser (MIT), another fork of Postlight's parser,
  read as `mercury2` (build it after `mercury2`: pages at an address of any other set are left
  out); pages that are not articles are left out on review (`NOT_ARTICLES_MERCURY3`).
- `mercury4`: the site tests of eight smaller forks of Postlight's parser (MIT), from the
  branches `MERCURY4_BRANCHES` lists, each exported to `SNAPSHOTS/<owner>+<branch>`, read
  and checked as `mercury2` in that order (build it after `mercury3`): one page per site
  extractor, none at an address of another set; pages that are not articles
  (`NOT_ARTICLES_MERCURY4`) and author labels naming no person
  (`WRONG_AUTHOR_LABELS_MERCURY4`) left out on review.
- `wcxb`: github.com/Murrough-Foley/web-content-extraction-benchmark (WCXB, by Murrough
  Foley; data under CC-BY-4.0), its `{dev,test}/ground-truth/<id>.json` (`title`, `author`,
  `publish_date`, drafted by a language model and reviewed; the page's type) and
  `{dev,test}/html/<id>.html.gz`. Only pages of the type `article`, in the order of the SHA-1
  of `<split>/<id>`, one page per host, none at an address of another set (nor one taken
  already), up to `--limit` pages and `WCXB_MAX_GZIPPED` bytes gzipped; title and authors
  checked as metascraper's, the day kept only where the page shows it as its publication
  (`checked_day`; WCXB gives no time of day). Pages are gzipped (`page.html.gz`).

Each page becomes `<out>/<id>/page.html` and `<out>/<id>/expected.json` (the layout of
`tests/generic_pages`): `input.url` and the expected `title`, `published_at` (UTC, only when
the label has a time of day and an offset), `published_date` (the publisher's day, as the
label gives it), `authors` and `body` (paragraphs; readability only). A label is kept only when the
page bears it out, and left out (null, not scored) otherwise:

- a title must be the text of a heading (`h1`-`h3`) of the page, word for word after
  whitespace folding (the headline the page shows, not its SEO title);
- an author string is split into names ("By A, B and C" -> A, B, C); every name must be two
  to five capitalized words (particles such as "von" aside) without digits, `@`, `/` or
  newsroom words (staff, Redaktion, ...), and must occur in the page's visible text (case
  folded), else the whole author label is dropped;
- readability's `publishedTime` is kept only with a time of day and an offset.

Scripts other than JSON-LD and the content of `<style>` elements are removed from the stored
pages to keep the data small (neither extractor reads them), and a page still over 250 kB is
left out.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html as html_lib
import json
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml import etree
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parent.parent
MAX_PAGE_BYTES = 250_000  # a larger stored page is left out, to keep the data small
WCXB_MAX_GZIPPED = 16_000_000  # the wcxb set stops before its gzipped pages pass this
SHINGLE_WORDS = 4  # bodies are compared as runs of this many words
# A body label is kept when the page's visible text holds at least this share of its shingles.
MIN_BODY_SHOWN = 0.8
DATA = ROOT / "benchmarks" / "data" / "extraction"
# The page sets, in the order the benchmark reads them: each one folder of DATA.
SETS = (
    "readability",
    "trafilatura",
    "mediacloud",
    "scrapinghub",
    "mercury",
    "metascraper",
    "mercury2",
    "mercury3",
    "mercury4",
    "wcxb",
    "omnivore",
)
_TOKEN = re.compile(r"\w+")
_SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>.*?</script\s*>", re.IGNORECASE | re.DOTALL)
_STYLE = re.compile(r"(<style\b[^>]*>).*?(</style\s*>)", re.IGNORECASE | re.DOTALL)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)
_AUTHOR_PREFIX = re.compile(
    r"^\s*(by|von|por|par|di|door|av|af|avec|with|mit|con)\s+", re.IGNORECASE
)
_NAME_PARTICLES = frozenset(
    {"von", "van", "de", "der", "den", "da", "di", "du", "la", "le", "del", "dos", "das", "al"}
)
_AUTHOR_SEPARATORS = re.compile(
    r"\s*(?:[,;|]|\s&\s|\s(?:and|und|et|y|e|og|och|en|i)\s)\s*", re.IGNORECASE
)
_NEWSROOM_WORDS = frozenset(
    {
        "staff",
        "writer",
        "editor",
        "editors",
        "redaktion",
        "team",
        "admin",
        "news",
        "newsroom",
        "desk",
        "agentur",
        "agenturen",
        "press",
        "reporter",
        "correspondent",
        "online",
        "media",
        "follow",
        "author",
        "university",
        "institute",
        "view",
        "profile",
        "submissions",
    }
)
_HEADING_TAGS = ("h1", "h2", "h3")
_JS_STRING = r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\$]|\\.)*`"""
_JS_URL = re.compile(rf"\burl\s*=\s*({_JS_STRING})\s*;")
_JS_FIXTURE = re.compile(rf"readFileSync\(\s*({_JS_STRING})\s*\)")
_JS_FIXTURE_ENCODED = re.compile(
    rf"readFileSync\(\s*({_JS_STRING})\s*(?:,\s*(?:{_JS_STRING})\s*)?,?\s*\)"
)
_JS_LABEL_STRICT = re.compile(
    rf"assert\.(?:strictEqual|equal)\(\s*(title|author|date_published)\s*,\s*"
    rf"({_JS_STRING}|null)\s*,?\s*\)"
)
_JS_LABEL = re.compile(
    rf"assert\.equal\(\s*(title|author|date_published)\s*,\s*({_JS_STRING}|null)\s*,?\s*\)"
)
_JS_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)", re.DOTALL)
_EXTRACTOR_ZONE = re.compile(r"timezone:\s*'([^']+)'")
_MS_URL = re.compile(rf"\bconst url\s*=\s*({_JS_STRING})")
_MS_FIXTURE = re.compile(rf"readFile\(\s*resolve\(\s*__dirname\s*,\s*({_JS_STRING})\s*\)")
_MS_FIELD = re.compile(r"^\s+(author|date|title):\s*('(?:[^'\\]|\\.)*'|null),?$", re.MULTILINE)
_OFFSET_TIME = re.compile(
    r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]\d\d:?\d\d)(?![\d:])"
)
_DATED_VALUE = re.compile(
    r"""(?<![\w:.-])["']?(?P<name>[\w:.-]{0,60}?"""
    r"""(?:modified|updated|published|created|pubdate)[\w:.-]{0,60})["']?"""
    r"""(?:\s*:\s*|[^<>]{0,80}?\bcontent\s*=\s*)["'](?P<value>[^"'<>]{8,40})["']""",
    re.IGNORECASE,
)
_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_META_VALUE = re.compile(r"(<meta\b(?![^>]*\scontent=)[^>]*?\s)value=", re.IGNORECASE)
NOT_ARTICLES = {  # readability test pages left out on review, and why
    "nytimes-5": "a front page (The New York Times en Español), not an article",
    "mozilla-1": "a product page",
    "mozilla-2": "a product page",
    "lifehacker-post-comment-load": "the same article as lifehacker-working",
}
WRONG_AUTHOR_LABELS = {  # Mercury author labels left out on review, and why
    "biorxiv.org": "names run together with link text ('View ORCID ProfileElizabeth Raupach')",
    "getnews.jp": "an author page's address, not a name",
    "www.asahi.com": "a Facebook address, not a name",
    "www.publickey1.jp": "the author's biography, not a byline",
    "www.investmentexecutive.com": "two names run together ('Paul WisemanFatima Hussein')",
    "genius.com": "a band's name (the song's artist), which splitting at 'and' would cut",
    "ici.radio-canada.ca": "a section and site name, which splitting at 'et' would cut",
    "epaper.zeit.de": "a section name run into the first name ('Politik · Jochen Bittner')",
    "bookwalker.jp": "role words in the names (著者 author, イラスト illustration)",
    "news.mynavi.jp": "a role word in the name (著者： author)",
    "weekly.ascii.jp": "role words and the desk in the name (文●, ／ASCII編集部)",
    "www.infoq.com": "role words in the names (作者： author, 翻訳者 translator)",
    "www.oreilly.co.jp": "a book's authors and translators with role words (著, 監訳, 訳)",
    "www.itmedia.co.jp": "brackets and the site in the name ([田中宏昌，ITmedia])",
}
NOT_ARTICLES_METASCRAPER = {  # metascraper integration pages left out on review, and why
    "github": "a code repository's page",
    "instagram": "a photo post",
    "linkedin-company": "a company's profile page",
    "twitter-gif": "a post on a social network",
    "twitter-image": "a post on a social network",
    "vimeo": "a video page",
    "wikipedia": "a reference page",
    "yandex": "a search engine's page",
}
WRONG_AUTHOR_LABELS_METASCRAPER = {  # metascraper author values left out on review, and why
    "marketing-land": "the site's name, not a person's",
}
WRONG_AUTHOR_LABELS_MERCURY2 = {  # jocmp/mercury-parser author labels left out on review
    "sg.news.yahoo.com": "a newspaper's name (The Straits Times), not a person's",
}
NOT_ARTICLES_MERCURY3 = {  # shinyfrog/mercury-parser test pages left out on review, and why
    "github.com": "a code repository's page",
    "support.apple.com": "a help page",
    "canvas.unl.edu": "a course page behind a sign-in ('You need to have JavaScript enabled')",
    "www.withings.com": "a product page",
    "www.raspberrypi.org": "a documentation page",
    "m.douguo.com": "a recipe",
    "m.xiachufang.com": "a recipe",
    "www.epicurious.com": "a recipe",
}
# The branches of smaller forks of Mercury whose site tests `mercury4` reads, in this order,
# each exported to SNAPSHOT/<owner>+<branch> ('/' and '#' in a branch's name written '_'):
# (owner, branch, commit). Every fork's other branches add no page (bots' dependency updates,
# or Postlight's own pages again).
MERCURY4_BRANCHES = (
    ("RecastLLC", "#552-engadget-parser", "6d33f8bb403293ed03588152a43df00896a52282"),
    ("RecastLLC", "bump-nodejs-version", "df9a70211eae3216c5afb1177e529d842a9c8995"),
    ("RecastLLC", "doc-type-support", "f01f2a7f9a15d7dd73f438e05035928cff132eb4"),
    ("RecastLLC", "feat-accu-extractor", "19c7172d30dd0eb41ca6d1f402fdacd0e06892b9"),
    ("dezinezync", "feat-arch-daily-extractor", "e86cc355fd92546adde4300bada7bb07e521067c"),
    ("dezinezync", "feat-blouges-lapresse-extractor", "f72e4f2e79963ab3dd3852efcfb4ca09c27c1ff9"),
    ("dezinezync", "feat-elmercurio-extractor", "8cdfca46a07c9edbb53da65e2bdf27064ee41f5d"),
    ("dezinezync", "feat-faz-extractor", "064da5d5b1386abd012775d04181d10fe1b2c08e"),
    ("dezinezync", "feat-nextwarez-extractor", "ad412312f9619012867cfc3798f3dd0ce53918de"),
    ("dezinezync", "feat-oregon-live-extractor", "f39e129facda0753ec783e0bfd5d0ad332e1ee12"),
    ("dezinezync", "feat-secondavenuesagas-parser", "94bd7970c9c04ad945f2f7370faa74ffe3b9c4b0"),
    ("gcuddy", "master", "e288922d09c6b999780174516fc73a9c93fb4282"),
    ("jbrayton", "deps-update-dependencies", "e28ee8460b771b8ee48f2dc1a069fdfd3b6bddca"),
    ("jbrayton", "feat-actu-environnement-extractor", "f0e7662cb680f0a74a95f74bf3c03a8d9c97bd99"),
    ("kik0220", "extractors", "fd73e08a31edc49edc1c31ee8f3ab6091c612580"),
    ("nickwynja", "master", "e8ba7ece291efa4d915d50dd4deeec17d54359f2"),
    ("nickwynja", "new-yorker", "ecfe149449cc678b7fb832abe436506d5f29c7e3"),
    ("punnie", "add-custom-extractors", "3a4d517823ecf859a3afd40d5f9b6fab758a7810"),
    ("svenwiegand", "feat-heise-online-extractor", "91c38ea73ab88ebbd86bc315b8a8968fc7cf26d9"),
    ("svenwiegand", "feat-thesweetsetup-extractor", "497b71bd66889c909384f8478275e5588949c7ba"),
)
NOT_ARTICLES_MERCURY4 = {  # the smaller forks' test pages left out on review, and why
    "github.com": "a code repository's page",
    "www.youtube.com": "a video page",
    "www.thekitchn.com": "a recipe",
    "is702.jp": "a comic strip explaining a word",
    "www.gocomics.com": "a comic strip",
    "killsixbilliondemons.com": "a web comic's page",
    "simpledesktops.com": "a desktop wallpaper's page",
}
WRONG_AUTHOR_LABELS_MERCURY4 = {  # the smaller forks' author labels left out on review
    "observador.pt": "a news agency (Agência Lusa), not a person",
    "www.economist.com": "the publication's name (The Economist), not a person's",
}
NOT_ARTICLES_OMNIVORE = {  # Omnivore's readability test pages left out on review, and why
    "community.musictribe.com": "a forum thread",
    "digital-garden-docs": "a documentation page",
    "erik-engheim": "the same article as debugger.medium",
    "gdcvault": "a conference talk's page",
    "getting_started_with_omnivore": "the reader app's own help page",
    "mathoverflow": "a question and its answers",
    "omnivore_getting_started": "the reader app's own help page",
    "stackoverflow": "a question and its answers",
    "substack-email": "an e-mail, not a web page",
    "telegr.ph": "a cut-down test page",
    "youtube-embed": "a video embedded in a cut-down page",
    "zhihu": "a question and its answers",
}
WRONG_AUTHOR_LABELS_OMNIVORE = {  # Omnivore's readability byline labels left out on review
    "realpython": "the site's name (Real Python), not a person's",
    "nytimes-podcasts": "the publication's name (The New York Times), not a person's",
}
NOT_ARTICLES_TRAFILATURA = {  # trafilatura's evaluation pages left out on review, and why
    "2gewinnt.wordpress.com": "a blog's page about its writers",
    "shabka.org": "an organisation's page about itself",
    "www.awo.org": "an organisation's page on a topic",
    "de.happycoffee.org": "a product page",
    "shop.nmb-media.de": "a product page",
    "uniqz.de": "a product page",
    "www.parallels.com": "a product page",
    "www.dealdoktor.de": "a shopping deal",
    "uk.trustpilot.com": "a customer review",
    "sibenlab.blogspot.com": "a privacy policy",
    "deleuze.enacademic.com": "a dictionary entry",
    "wordsmith.org": "a dictionary entry",
    "businessjargons.com": "a glossary entry",
    "daheim-solar.de": "a glossary entry",
    "lexikon.huettenhilfe.de": "a glossary entry",
    "stardewvalleywiki.com": "a wiki page",
    "wiki.piratenpartei.de": "a wiki page",
    "wiki.python.org": "a wiki page",
    "www.katzen-forum.net": "a forum thread",
    "www.mactechnews.de": "a forum thread",
    "foren.myoos.de": "a forum thread",
    "wolfsrebellen-netz.forumieren.com": "a forum's rules",
    "www.buero-hoppe.de": "a firm's page about its services",
    "www.qualisys.eu": "a firm's page about its services",
    "www.regiolanda.de": "a directory entry",
    "trails.de": "a travel region's page",
    "www.vinosytapas.de": "a wine region's page",
    "lernpfadprismen.wordpress.com": "a lesson page",
    "www.auswaertiges-amt.de": "travel advice updated in place",
    "www.klaenge-des-verschweigens.de": "a film's page",
    "ohneq.de": "a page about a person",
    "neubau.wsl.ch": "a building project's page",
    "www.pronats.de": "an organisation's page on a topic",
    "www.colours-of-the-soul.alhelm.net": "a blog's front page",
    "www.echte-demokratie-jetzt.de": "a blog's front page",
    "www.ardmediathek.de": "a video player's page",
    "web.archive.org": "an archived copy under the archive's address",
}
WRONG_AUTHOR_LABELS_TRAFILATURA = {  # trafilatura's author labels left out on review, and why
    "www.lostiempos.com": "a person the article is about (a tag), not its writer",
    "www.24horas.cl": "a news agency (Agencia EFE), not a person",
    "www.der-erfolg-gibt-recht.de": "the site's name, not a person's",
    "france.attac.org": "the publishing organisation, not a person",
    "www.houzz.de": "the publisher's name, not a person's",
    "www.iwrpressedienst.de": "the company whose press release it is, not a person",
    "www.miamitodaynews.com": "the publication's name, not a person's",
    "www.paginasiete.bo": "the newsroom's name, not a person's",
    "presse-augsburg.de": "the publication's name, not a person's",
    "publikum.net": "a pen name of the site's ('Der Spendenteddy')",
    "wikimediafoundation.org": "the publishing organisation, not a person",
    "bumsbutzener-gumpfen.blogspot.com": "a blogger's nickname ('der Michel')",
    "frau-sabienes.de": "the site's name, used as its writer's pen name",
}
WRONG_TITLE_LABELS_OMNIVORE = {  # Omnivore's readability title labels left out on review
    "blog.jetbrains.com": "the blog's name, a heading above the article's own",
}
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "br"}
    | {"figcaption", "dt", "dd", "section", "article", "table", "ul", "ol"}
)
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})


@dataclass
class Labelled:
    """One converted page: its id, address, stored HTML and checked labels."""

    id: str
    url: str
    html: str
    title: str | None = None
    published_at: str | None = None
    published_date: str | None = None
    authors: list[str] | None = None
    body: list[str] | None = None
    origin: dict[str, str] = field(default_factory=dict)
    tz: str | None = None

    def expected(self) -> dict[str, object]:
        """The page's `expected.json` content (`input.tz`: the source's zone, when known)."""
        given = {"url": self.url, "source": self.origin.get("set", "")}
        found: dict[str, object] = {
            "input": given | ({"tz": self.tz} if self.tz else {}),
            "title": self.title,
            "published_at": self.published_at,
            "published_date": self.published_date,
            "authors": self.authors,
        }
        if self.body is not None:
            found["body"] = self.body
        found["origin"] = self.origin
        return found


def main() -> None:
    """Convert one source repository's pages into a page set."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "source",
        choices=SETS,
    )
    parser.add_argument("snapshot", type=Path, help="the source repository's files")
    parser.add_argument("--out", type=Path, help="default benchmarks/data/extraction/<source>")
    parser.add_argument(
        "--limit", type=int, default=120, help="trafilatura, mediacloud, wcxb: most pages kept"
    )
    parser.add_argument(
        "--max-kb", type=int, default=MAX_PAGE_BYTES // 1000, help="mediacloud: largest page kept"
    )
    args = parser.parse_args()
    out = args.out or DATA / args.source
    if out.exists():
        shutil.rmtree(out)
    if args.source == "scrapinghub":
        write_scrapinghub_set(args.snapshot, out)
        return
    if args.source == "readability":
        pages = list(readability_pages(args.snapshot))
    elif args.source == "trafilatura":
        pages = list(trafilatura_pages(args.snapshot, args.limit))
    elif args.source == "mercury":
        pages = list(mercury_pages(args.snapshot))
    elif args.source == "metascraper":
        pages = list(metascraper_pages(args.snapshot))
    elif args.source in ("mercury2", "mercury3"):
        pages = list(mercury2_pages(args.snapshot, args.source))
    elif args.source == "mercury4":
        pages = list(mercury4_pages(args.snapshot))
    elif args.source == "wcxb":
        pages = list(wcxb_pages(args.snapshot, args.limit))
    elif args.source == "omnivore":
        pages = list(omnivore_pages(args.snapshot))
    else:
        pages = list(mediacloud_pages(args.snapshot, args.limit, args.max_kb * 1000))
    pages = [page for page in pages if len(page.html.encode()) <= MAX_PAGE_BYTES]
    for page in pages:
        folder = out / page.id
        folder.mkdir(parents=True)
        if args.source not in ("readability", "mediacloud"):
            (folder / "page.html.gz").write_bytes(gzip.compress(page.html.encode(), mtime=0))
        else:
            (folder / "page.html").write_text(page.html, encoding="utf-8")
        (folder / "expected.json").write_text(
            json.dumps(page.expected(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    counts = {
        name: sum(getattr(page, name) is not None for page in pages)
        for name in ("title", "published_at", "published_date", "authors", "body")
    }
    print(f"{len(pages)} pages written to {out}; labels kept: {counts}")


def readability_pages(snapshot: Path) -> Iterator[Labelled]:
    """Mozilla readability's test pages that are real publisher pages, with checked labels."""
    for folder in sorted((snapshot / "test" / "test-pages").iterdir()):
        source = folder / "source.html"
        if not source.is_file():
            continue
        html = source.read_text(encoding="utf-8")
        tree = parse(html)
        url = own_address(tree)
        if url is None or "wikipedia.org" in url or folder.name in NOT_ARTICLES:
            continue
        metadata = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        expected_body = (folder / "expected.html").read_text(encoding="utf-8")
        yield Labelled(
            id=folder.name,
            url=url,
            html=slim(html),
            title=checked_title(metadata.get("title"), tree),
            published_at=timestamp(metadata.get("publishedTime")),
            published_date=day(metadata.get("publishedTime")),
            authors=checked_authors(metadata.get("byline"), tree),
            body=text_lines(parse(expected_body)),
            origin={"set": "readability", "path": f"test/test-pages/{folder.name}"},
        )


def omnivore_pages(snapshot: Path) -> Iterator[Labelled]:
    """The test pages Omnivore's fork of readability adds to Mozilla's (those with a
    `url.txt`, which Mozilla's lack; none at an address of another set), with readability's
    values as labels where the page bears them out: the title a heading, the byline person
    names shown, the time one the page states with its offset (`metascraper_time`: the fork
    gives a day without a time as a midnight in some zone). No body: the fork's expected
    outputs were not reviewed as Mozilla's are, and some are a page's navigation and appeals
    instead of its article."""
    known = {plain_address(url) for url in addresses_of_other_sets("omnivore")}
    pages = snapshot / "packages" / "readabilityjs" / "test" / "test-pages"
    for folder in sorted(pages.iterdir()):
        source, address = folder / "source.html", folder / "url.txt"
        if folder.name in NOT_ARTICLES_OMNIVORE or not source.is_file() or not address.is_file():
            continue
        url = address.read_text(encoding="utf-8").strip()
        if plain_address(url) in known:
            continue
        html = slim(decode(source.read_bytes()))
        tree = parse(html)
        metadata = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        published_at, published_date = metascraper_time(metadata.get("publishedDate"), html)
        page = Labelled(
            id=folder.name,
            url=url,
            html=html,
            title=None
            if folder.name in WRONG_TITLE_LABELS_OMNIVORE
            else checked_title(metadata.get("title"), tree),
            published_at=published_at,
            published_date=published_date,
            authors=None
            if folder.name in WRONG_AUTHOR_LABELS_OMNIVORE
            else checked_authors(metadata.get("byline"), tree),
            origin={
                "set": "omnivore",
                "path": f"packages/readabilityjs/test/test-pages/{folder.name}",
            },
        )
        if page.title or page.published_at or page.authors:
            yield page


def trafilatura_pages(snapshot: Path, limit: int) -> Iterator[Labelled]:
    """trafilatura's hand-labelled evaluation pages with a title and a date or an author,
    one per host and none at a host of another set, in SHA-256 order of their address, at
    most `limit`."""
    tests = snapshot / "tests"
    labels = json.loads((tests / "evaldata.json").read_text(encoding="utf-8"))
    hosts = {site(url) for url in addresses_of_other_sets("trafilatura")}
    kept = 0
    for url in sorted(labels, key=lambda address: hashlib.sha256(address.encode()).hexdigest()):
        label = labels[url]
        host, domain = urlsplit(url).hostname or "", site(url)
        if kept >= limit or domain in hosts or not label.get("title"):
            continue
        if not url.startswith(("http://", "https://")) or host in NOT_ARTICLES_TRAFILATURA:
            continue
        if not (label.get("date") or label.get("author")):
            continue
        candidates = (tests / "eval" / label["file"], tests / "cache" / label["file"])
        file = next((path for path in candidates if path.is_file()), None)
        if file is None:
            continue
        html = decode(file.read_bytes())
        tree = parse(html)
        page = Labelled(
            id=f"{domain}-{hashlib.sha256(url.encode()).hexdigest()[:8]}",
            url=url,
            html=slim(html),
            title=checked_title(label.get("title"), tree),
            published_date=day(label.get("date")),
            authors=None
            if host in WRONG_AUTHOR_LABELS_TRAFILATURA
            else checked_authors(label.get("author"), tree),
            origin={"set": "trafilatura", "file": label["file"]},
        )
        if page.title is None or not (page.published_date or page.authors):
            continue
        hosts.add(domain)
        kept += 1
        yield page


def site(url: str) -> str:
    """The host of an address without `www.`: pages of one site share it."""
    return (urlsplit(url.strip()).hostname or "").removeprefix("www.")


def mediacloud_pages(snapshot: Path, limit: int, max_bytes: int) -> Iterator[Labelled]:
    """htmldate's worldwide news pages with their labelled day, one per host (Wikipedia and
    the hosts of the other sets left out), in SHA-256 order of their address, at most `limit`
    pages of at most `max_bytes` once slimmed."""
    tests = snapshot / "tests"
    labels = json.loads((tests / "eval_mediacloud_2020.json").read_text(encoding="utf-8"))
    hosts = hosts_of_other_sets()
    kept = 0
    for url in sorted(labels, key=lambda address: hashlib.sha256(address.encode()).hexdigest()):
        label = labels[url]
        host = urlsplit(url).hostname or ""
        date = label.get("date")
        if kept >= limit or host in hosts or "wikipedia.org" in host or not isinstance(date, str):
            continue
        html = slim(decode((tests / "test_set" / label["file"]).read_bytes()))
        if len(html.encode()) > max_bytes:
            continue
        hosts.add(host)
        kept += 1
        yield Labelled(
            id=f"{host.removeprefix('www.')}-{hashlib.sha256(url.encode()).hexdigest()[:8]}",
            url=url,
            html=html,
            published_date=date,
            origin={"set": "mediacloud", "file": f"tests/test_set/{label['file']}"},
        )


@dataclass
class MercuryCase:
    """One test case of a Mercury site-extractor test: the page it reads and the labels it
    asserts (None: not asserted, or not parsed unambiguously)."""

    url: str
    fixture: str
    title: str | None
    author: str | None
    date_published: str | None


def mercury_pages(snapshot: Path) -> Iterator[Labelled]:
    """Mercury's site-extractor test pages with the labels their tests assert, the first
    labelled case of each host."""
    custom = snapshot / "src" / "extractors" / "custom"
    for test in sorted(custom.glob("*/index.test.js")):
        declared = mercury_zone((test.parent / "index.js").read_text(encoding="utf-8"))
        zone = ZoneInfo(declared or "UTC")
        for case in mercury_cases(test.read_text(encoding="utf-8")):
            file = snapshot / case.fixture
            if not file.is_file() or not (case.title or case.author or case.date_published):
                continue
            page_id = case.fixture.removeprefix("fixtures/").removesuffix(".html")
            moment = parse_iso(case.date_published)
            dated = moment is not None and moment.astimezone(zone).time() == time()
            yield Labelled(
                id=page_id.replace("/", "-"),
                url=case.url,
                html=restored_meta(slim(decode(file.read_bytes()))),
                title=fold(case.title) if case.title else None,
                published_at=None if dated else timestamp(case.date_published),
                published_date=moment.astimezone(zone).date().isoformat() if dated else None,
                authors=mercury_authors(case.author, page_id),
                origin={"set": "mercury", "test": str(test.relative_to(snapshot))},
                tz=declared,
            )
            break


def mercury_authors(label: str | None, page_id: str) -> list[str] | None:
    """A Mercury author label split into names, None when unlabelled or left out on review
    (`WRONG_AUTHOR_LABELS`)."""
    if not label or page_id in WRONG_AUTHOR_LABELS:
        return None
    return split_names(label)


def mercury_cases(test: str, *, fork: bool = False) -> Iterator[MercuryCase]:
    """The test cases of a Mercury site-extractor test (one per `beforeAll`) whose address
    and fixture path parse unambiguously; a label asserted twice with different values, or
    not as a plain string literal, is None. `fork`: the tests of jocmp's fork, which also
    assert with `strictEqual` and read fixtures with an encoding."""
    fixture_pattern = _JS_FIXTURE_ENCODED if fork else _JS_FIXTURE
    label_pattern = _JS_LABEL_STRICT if fork else _JS_LABEL
    for case in test.split("beforeAll(")[1:]:
        urls = {js_string(found) for found in _JS_URL.findall(case)}
        fixtures = {js_string(found) for found in fixture_pattern.findall(case)}
        if len(urls) != 1 or len(fixtures) != 1:
            continue
        labels: dict[str, set[str | None]] = {}
        for name, value in label_pattern.findall(case):
            labels.setdefault(name, set()).add(None if value == "null" else js_string(value))
        asserted = {name: values.pop() for name, values in labels.items() if len(values) == 1}
        yield MercuryCase(
            urls.pop(),
            fixtures.pop().removeprefix("./"),
            asserted.get("title"),
            asserted.get("author"),
            asserted.get("date_published"),
        )


def mercury2_pages(
    snapshot: Path, name: str = "mercury2", known: set[str] | None = None
) -> Iterator[Labelled]:
    """The site-extractor test pages of a Mercury fork (jocmp's for `mercury2`, shinyfrog's
    for `mercury3`, a smaller one's for `mercury4`) whose address is in no other set (nor in
    `known`, when given), the first labelled such case of each host, every label checked
    against the page (left out when none is borne out)."""
    custom = snapshot / "src" / "extractors" / "custom"
    known = addresses_of_other_sets(name) if known is None else known
    left_out = {"mercury3": NOT_ARTICLES_MERCURY3, "mercury4": NOT_ARTICLES_MERCURY4}.get(name, {})
    wrong_authors = (
        WRONG_AUTHOR_LABELS_MERCURY4 if name == "mercury4" else WRONG_AUTHOR_LABELS_MERCURY2
    )
    for test in sorted(custom.glob("*/index.test.js")):
        declared = mercury_zone((test.parent / "index.js").read_text(encoding="utf-8"))
        for case in mercury_cases(test.read_text(encoding="utf-8"), fork=True):
            file = snapshot / case.fixture
            if not file.is_file() or case.url in known or test.parent.name in left_out:
                continue
            html = restored_meta(slim(decode(file.read_bytes())))
            tree = parse(html)
            published_at, published_date = metascraper_time(case.date_published, html)
            page = Labelled(
                id=test.parent.name,
                url=case.url,
                html=html,
                title=checked_title(case.title, tree),
                published_at=published_at,
                published_date=published_date,
                authors=None
                if test.parent.name in wrong_authors
                else checked_authors(case.author, tree),
                origin={
                    "set": name,
                    "test": str(test.relative_to(snapshot)),
                    "fixture": case.fixture,
                },
                tz=declared,
            )
            if page.title or page.published_at or page.authors:
                yield page
                break


def mercury4_pages(snapshot: Path) -> Iterator[Labelled]:
    """The site-extractor test pages of smaller forks of Mercury (`MERCURY4_BRANCHES`, each
    exported to `SNAPSHOT/<owner>+<branch>`), read and checked as `mercury2`'s, in the order
    listed: one page per site extractor, none at an address of another set."""
    known = addresses_of_other_sets("mercury4")
    taken: set[str] = set()
    for owner, branch, commit in MERCURY4_BRANCHES:
        folder = snapshot / f"{owner}+{branch.replace('/', '_').replace('#', '_')}"
        for page in mercury2_pages(folder, "mercury4", known):
            if page.id in taken:
                continue
            taken.add(page.id)
            known.add(page.url)
            fork = {"fork": f"{owner}/mercury-parser", "branch": branch, "commit": commit}
            page.origin = {"set": "mercury4", **fork} | {
                key: value for key, value in page.origin.items() if key != "set"
            }
            yield page


def wcxb_pages(snapshot: Path, limit: int) -> Iterator[Labelled]:
    """WCXB's pages of the type `article`, in the order of the SHA-1 of `<split>/<id>`, one per
    host, none at an address of another set, each with a label the page bears out (title a
    heading, authors person names in the visible text, the day shown: `checked_day`), at most
    `limit` pages of at most `WCXB_MAX_GZIPPED` bytes gzipped in all."""
    known = {plain_address(url) for url in addresses_of_other_sets("wcxb")}
    truths = sorted(
        snapshot.glob("*/ground-truth/*.json"),
        key=lambda path: hashlib.sha1(
            f"{path.parent.parent.name}/{path.stem}".encode()
        ).hexdigest(),
    )
    hosts: set[str] = set()
    kept = stored = 0
    for truth in truths:
        label = json.loads(truth.read_text(encoding="utf-8"))
        url = label.get("url", "")  # a few ground truths name no address (one page per host)
        host = site(url)
        kind = label.get("_internal", {}).get("page_type", {}).get("primary")
        if kind != "article" or host in hosts or plain_address(url) in known:
            continue
        split = truth.parent.parent.name
        source = snapshot / split / "html" / f"{truth.stem}.html.gz"
        html = slim(decode(gzip.decompress(source.read_bytes())))
        size = len(gzip.compress(html.encode(), mtime=0))
        if len(html.encode()) > MAX_PAGE_BYTES or stored + size > WCXB_MAX_GZIPPED:
            continue
        given = label["ground_truth"]
        tree = parse(html)
        page = Labelled(
            id=f"{host}-{truth.stem}",
            url=url,
            html=html,
            title=checked_title(given.get("title"), tree),
            published_date=checked_day(given.get("publish_date"), html, tree),
            authors=checked_authors(given.get("author"), tree),
            body=checked_body(given.get("main_content"), tree),
            origin={
                "set": "wcxb",
                "ground_truth": f"{split}/ground-truth/{truth.name}",
                "html": f"{split}/html/{source.name}",
            },
        )
        if not (page.title or page.published_date or page.authors):
            continue
        hosts.add(host)
        kept += 1
        stored += size
        yield page
        if kept >= limit:
            return


def plain_address(url: str) -> str:
    """An address without its scheme, `www.`, fragment and trailing slash, to tell the same
    page under two spellings."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{(parts.hostname or '').removeprefix('www.')}{path}{query}"


def checked_day(label: str | None, html: str, tree: etree._Element) -> str | None:
    """A day label (`YYYY-MM-DD`) when the page shows that day as its publication: in its
    visible text, written with the month's English name ("December 8, 2025", "8th Dec 2025")
    or in digits (`2025-12-08`, `12/08/2025`, `08.12.2025`), or as a machine-readable date or
    time (`2025-12-08T...`) not only under a name of modification; else None. A day the page
    gives as its update ("Last updated on December 8, 2025", `dateModified`) while it gives
    another day as its publication (`datePublished`) is None too."""
    moment = parse_iso(label)
    if moment is None or len(label or "") != 10:
        return None
    iso = moment.date().isoformat()
    named = [
        (match.group("name").casefold(), match.group("value"))
        for match in _DATED_VALUE.finditer(html)
    ]
    days = [(name, value[:10]) for name, value in named if _ISO_DAY.match(value)]
    modified = {value for name, value in days if "modified" in name or "updated" in name}
    published = {value for name, value in days if "published" in name}
    shown = visible_text(tree)
    patterns = day_patterns(moment)
    updated = any(
        re.search(rf"\b(?:updated|modified)(?:\s+on)?\s*:?\s*(?:{pattern})", shown, re.IGNORECASE)
        for pattern in patterns
    )
    if (updated or iso in modified) and published and iso not in published:
        return None
    if any(re.search(pattern, shown, re.IGNORECASE) for pattern in patterns):
        return iso
    stated = re.findall(rf"(?<![\d-]){iso}(?![\d])", html)
    named_here = [name for name, value in named if value.startswith(iso)]
    if not stated or (
        len(named_here) >= len(stated)
        and all("modified" in name or "updated" in name for name in named_here)
    ):
        return None
    return iso


def day_patterns(moment: datetime) -> list[str]:
    """Regular expressions for a day written in a page's text, in English or in digits."""
    month = moment.strftime("%B")
    names = (
        rf"(?:{month}|{month[:3]}\.?|Sept\.?)"
        if month == "September"
        else (rf"(?:{month}|{month[:3]}\.?)")
    )
    day_number = rf"0?{moment.day}(?:st|nd|rd|th)?"
    year = str(moment.year)
    m, d = moment.month, moment.day
    return [
        rf"\b{names}\s+{day_number},?\s+{year}\b",
        rf"\b{day_number}\s+(?:of\s+)?{names},?\s+{year}\b",
        rf"(?<![\d-]){moment.date().isoformat()}(?!\d)",
        rf"(?<![\d/.]){m:02d}/{d:02d}/{year}\b|(?<![\d/.]){m}/{d}/{year}\b",
        rf"(?<![\d/.]){d:02d}[./]{m:02d}[./]{year}\b|(?<![\d/.]){d}\.{m}\.{year}\b",
    ]


def addresses_of_other_sets(name: str) -> set[str]:
    """The addresses of the pages of the sets other than `name` (`scrapinghub/` by its
    ground truth)."""
    found = {
        json.loads(path.read_text(encoding="utf-8"))["input"]["url"]
        for path in DATA.glob("*/*/expected.json")
        if path.parent.parent.name != name
    }
    truth = DATA / "scrapinghub" / "ground-truth.json"
    if truth.is_file():
        found |= {item["url"] for item in json.loads(truth.read_text(encoding="utf-8")).values()}
    return found


def js_string(literal: str) -> str:
    """The value of a JavaScript string literal (quotes or backticks without `${`)."""
    escapes = {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}

    def unescape(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return escapes.get(code, code)

    return _JS_ESCAPE.sub(unescape, literal[1:-1])


def mercury_zone(extractor: str) -> str | None:
    """The time zone a Mercury site extractor reads the times its site shows in, if it
    names one."""
    declared = _EXTRACTOR_ZONE.search(extractor)
    return declared.group(1) if declared else None


def restored_meta(html: str) -> str:
    """A Mercury fixture with its `<meta value=...>` attributes named `content` again, as
    the publisher served them (Mercury renamed `content` to `value` before saving)."""
    return _META_VALUE.sub(r"\1content=", html)


def metascraper_pages(snapshot: Path) -> Iterator[Labelled]:
    """metascraper's integration-test pages with the snapshot values of their first test,
    checked against the page; pages that are not articles and pages left with no label are
    left out."""
    tests = snapshot / "packages" / "metascraper" / "test" / "integration"
    for folder in sorted(tests.iterdir()):
        script = folder / "index.js"
        snapshot_md = folder / "snapshots" / "index.js.md"
        if folder.name in NOT_ARTICLES_METASCRAPER or not script.is_file():
            continue
        code = script.read_text(encoding="utf-8")
        url, fixture = _MS_URL.search(code), _MS_FIXTURE.search(code)
        if url is None or fixture is None or not snapshot_md.is_file():
            continue
        first = snapshot_md.read_text(encoding="utf-8").split("> Snapshot 1")[1].split("\n## ")[0]
        values = {
            name: None if value == "null" else js_string(value)
            for name, value in reversed(_MS_FIELD.findall(first))
        }
        html = slim(decode((folder / js_string(fixture.group(1))).read_bytes()))
        tree = parse(html)
        published_at, published_date = metascraper_time(values.get("date"), html)
        page = Labelled(
            id=folder.name,
            url=js_string(url.group(1)),
            html=html,
            title=checked_title(values.get("title"), tree),
            published_at=published_at,
            published_date=published_date,
            authors=None
            if folder.name in WRONG_AUTHOR_LABELS_METASCRAPER
            else checked_authors(values.get("author"), tree),
            origin={
                "set": "metascraper",
                "test": str(script.relative_to(snapshot)),
                "fixture": str((folder / js_string(fixture.group(1))).relative_to(snapshot)),
            },
        )
        if page.title or page.published_at or page.authors:
            yield page


def metascraper_time(label: str | None, html: str) -> tuple[str | None, str | None]:
    """A metascraper `date` (UTC) as `published_at` and the publisher's day, when the page
    gives that instant (to the minute) as a time with an offset, and not only as a value
    named for modification (`dateModified`, `article:modified_time`, `og:updated_time`);
    else no label.

    metascraper reads a page's modified time first, a day without a time as noon or
    midnight UTC, and a time without an offset in its own zone: only a time the page states
    with its offset, named for publication or creation or not named at all, is its
    published time."""
    moment = parse_iso(label)
    if moment is None:
        return None, None
    wanted = moment.astimezone(UTC).replace(second=0, microsecond=0)
    stated = [found for found in map(offset_time, _OFFSET_TIME.findall(html)) if found]
    matching = [found for found in stated if minute_utc(found) == wanted]
    if not matching:
        return None, None
    named = [
        (match.group("name").casefold(), offset_time(match.group("value")))
        for match in _DATED_VALUE.finditer(html)
    ]
    named_here = [name for name, found in named if found and minute_utc(found) == wanted]
    if named_here and all("modified" in name or "updated" in name for name in named_here):
        return None, None
    return wanted.isoformat(), matching[0].date().isoformat()


def offset_time(text: str) -> datetime | None:
    """A time of day with an offset as written in a page (`T` or a space, `Z`, `+0200`)."""
    value = re.sub(r"\s*([+-]\d\d):?(\d\d)$", r"\1:\2", text.strip().replace(" ", "T", 1))
    moment = parse_iso(value)
    return moment if moment is not None and moment.tzinfo is not None else None


def minute_utc(moment: datetime) -> datetime:
    """The instant in UTC, seconds dropped."""
    return moment.astimezone(UTC).replace(second=0, microsecond=0)


def hosts_of_other_sets() -> set[str]:
    """The hosts of the pages already in the readability and trafilatura sets."""
    return {
        urlsplit(json.loads(path.read_text(encoding="utf-8"))["input"]["url"]).hostname or ""
        for name in ("readability", "trafilatura")
        for path in (DATA / name).glob("*/expected.json")
    }


def write_scrapinghub_set(snapshot: Path, out: Path) -> None:
    """The ScrapingHub benchmark's pages, slimmed and gzipped again, with its ground truth,
    in that benchmark's layout; a page over the size cap is left out."""
    truth = json.loads((snapshot / "ground-truth.json").read_text(encoding="utf-8"))
    kept: dict[str, object] = {}
    (out / "html").mkdir(parents=True)
    for page_id, expected in sorted(truth.items()):
        source = snapshot / "html" / f"{page_id}.html.gz"
        html = slim(decode(gzip.decompress(source.read_bytes()))).encode()
        if len(html) > MAX_PAGE_BYTES:
            continue
        (out / "html" / source.name).write_bytes(gzip.compress(html, mtime=0))
        kept[page_id] = expected
    (out / "ground-truth.json").write_text(
        json.dumps(kept, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"{len(kept)} pages written to {out}")


def decode(data: bytes) -> str:
    """The page's text: UTF-8, else the charset its meta tag names, else Windows-1252."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("cp1252", errors="replace")


# Text already decoded, handed to libxml2 as UTF-8 and read as such whatever the page declares:
# without the parser's encoding, a page declaring none (as readability's expected outputs) is
# read as Latin-1, and one declaring another charset than it was decoded from, as that one.
_UTF8_PARSER = lxml_html.HTMLParser(encoding="utf-8")


def parse(html: str) -> etree._Element:
    """The page's lxml tree (an empty document for an empty page)."""
    try:
        return lxml_html.document_fromstring(html.encode("utf-8"), parser=_UTF8_PARSER)
    except (etree.ParserError, ValueError):
        return lxml_html.document_fromstring("<html></html>")


def slim(html: str) -> str:
    """The page without the content of scripts (JSON-LD kept) and of style elements."""

    def keep_json_ld(match: re.Match[str]) -> str:
        return match.group(0) if "ld+json" in match.group("attrs").lower() else ""

    return _STYLE.sub(r"\1\2", _SCRIPT.sub(keep_json_ld, html))


def own_address(tree: etree._Element) -> str | None:
    """The page's canonical link or `og:url`, when it is a real http(s) address."""
    for value in tree.xpath(
        '//link[translate(@rel,"CANONICAL","canonical")="canonical"]/@href'
        '|//meta[@property="og:url"]/@content'
    ):
        parts = urlsplit(value.strip())
        if parts.scheme in ("http", "https") and parts.hostname not in (None, "fakehost"):
            return value.strip()
    return None


def fold(text: str) -> str:
    """NFC text with entities decoded and whitespace runs made single spaces."""
    return " ".join(unicodedata.normalize("NFC", html_lib.unescape(text)).split())


def visible_text(tree: etree._Element) -> str:
    """The folded text of the page's body, scripts and styles left out."""
    return fold(" ".join(text_lines(tree)))


def text_lines(tree: etree._Element) -> list[str]:
    """The text of an element as lines, one per block element, empty lines left out."""
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIPPED_TAGS:
            return
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if element.text and tag:
            parts.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCK_TAGS:
            parts.append("\n")

    walk(tree)
    return [line for line in (fold(line) for line in "".join(parts).split("\n")) if line]


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """The text's runs of `SHINGLE_WORDS` words, counted."""
    tokens = _TOKEN.findall(text)
    spans = range(max(1, len(tokens) - SHINGLE_WORDS + 1))
    return Counter(shingle for i in spans if (shingle := tuple(tokens[i : i + SHINGLE_WORDS])))


def checked_body(text: str | None, tree: etree._Element) -> list[str] | None:
    """A main-text label as paragraphs (one a line), when the page's visible text holds at
    least `MIN_BODY_SHOWN` of its shingles; else None."""
    paragraphs = [fold(line) for line in (text or "").splitlines() if fold(line)]
    expected = shingles("\n".join(paragraphs))
    if not expected:
        return None
    shown = sum((expected & shingles(visible_text(tree))).values())
    return paragraphs if shown >= MIN_BODY_SHOWN * sum(expected.values()) else None


def checked_title(title: str | None, tree: etree._Element) -> str | None:
    """The title label when a heading (`h1`-`h3`) of the page reads exactly so (after
    whitespace folding): the headline the page shows readers; else None."""
    if not title or not fold(title):
        return None
    wanted = fold(title)
    shown = {fold(element.text_content()) for tag in _HEADING_TAGS for element in tree.iter(tag)}
    return wanted if wanted in shown else None


def split_names(byline: str | list[str]) -> list[str]:
    """The names in an author label: a list as is, a string split at commas, semicolons,
    '&' and 'and' in several languages, a leading 'By'/'Von'/... removed."""
    values = byline if isinstance(byline, list) else [byline]
    names: list[str] = []
    for value in values:
        text = re.sub(r"[()]", ",", _AUTHOR_PREFIX.sub("", fold(value)))
        parts = (name.strip(" .-") for name in _AUTHOR_SEPARATORS.split(text))
        names += [_AUTHOR_PREFIX.sub("", name) for name in parts]
    return [name for name in names if name]


def is_person_name(name: str) -> bool:
    """Whether a name looks like a person's: two to five words, each capitalized (name
    particles such as "von" aside), no digits, `@`, `/` or newsroom words."""
    words = name.split()
    if not 2 <= len(words) <= 5 or re.search(r"[\d@/]", name):
        return False
    if any(word.strip(".,").casefold() in _NEWSROOM_WORDS for word in words):
        return False
    return all(word[0].isupper() or word in _NAME_PARTICLES for word in words)


def checked_authors(byline: str | list[str] | None, tree: etree._Element) -> list[str] | None:
    """The names of an author label when every one is a person's name shown in the page's
    visible text, else None."""
    if not byline:
        return None
    names = split_names(byline)
    text = visible_text(tree).casefold()
    if not names or not all(is_person_name(name) and name.casefold() in text for name in names):
        return None
    return names


def parse_iso(value: str | None) -> datetime | None:
    """An ISO 8601 date or time (`Z` read as UTC); None for None or an unreadable value."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def timestamp(value: str | None) -> str | None:
    """An ISO 8601 time of day with an offset, in UTC (`...+00:00`); else None."""
    moment = parse_iso(value) if value and "T" in value else None
    if moment is None or moment.tzinfo is None:
        return None
    return moment.astimezone(UTC).isoformat()


def day(value: str | None) -> str | None:
    """The publisher's day of an ISO 8601 date or time (its first ten characters)."""
    moment = parse_iso(value)
    return moment.date().isoformat() if moment else None


if __name__ == "__main__":
    main()
