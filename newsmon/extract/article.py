"""The generic article extractor: one ArticleItem from any news page, without site code.

Each field is taken from the first source that has it, in this order: a per-field selector
given in the source's configuration, the page's JSON-LD article, its meta tags, a `<time>`
element (published time only), and last the page's HTML itself (`<h1>`/`<title>`,
`<html lang>`, trafilatura's main text). `item.methods[field]` names the source that won:

- `selector`  a configured CSS or XPath override
- `json-ld`   the JSON-LD article object
- `meta`      OpenGraph, `article:*`, Dublin Core, `author`, `parsely-*`, `sailthru.*`, cXense
              meta tags
- `time`      a `<time datetime>` element
- `html`      `<h1>`/`<title>`, `<html lang>`, the canonical and hreflang `<link>`s
- `main-text` trafilatura's main-text extraction
- `htmldate`  htmldate's search of the whole page (published day only, when nothing above has it)
- `default`   the `lang` argument, when the page names no language

A lead taken from the first body paragraph carries the body's method.

The title is the headline the page shows readers: a JSON-LD or meta title gives way to the
page's `<h1>` (without a kicker marked inside it) when that is the same headline in the page's
typography, the same without a kicker glued to its front, or the same headline worded
otherwise; the metadata title is then kept as `seo_title` (method: where it came from) unless
it differs from the headline only in typography or a site name after it.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from functools import cached_property, partial
from html import unescape
from itertools import chain, filterfalse, islice, takewhile
from typing import Any, TypeVar
from urllib.parse import urlsplit

import trafilatura
from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement, HTMLParser
from parsel import Selector

from newsmon.extract.given_names import is_given_name
from newsmon.extract.links import absolute_url, same_site
from newsmon.extract.metadata import (
    PageMetadata,
    json_ld_list,
    json_ld_text,
    page_timestamps,
    read_metadata,
)
from newsmon.extract.selectors import select
from newsmon.items import ArticleItem
from newsmon.normalize.dates import (
    SHOWN_ZONES,
    Published,
    padded_iso_date,
    parse_timestamp,
    published_date_only,
    published_exact,
    published_relative,
    published_shown,
    shown_date_start,
    utc_iso,
    zone,
)
from newsmon.normalize.text import TITLE_SEPARATOR, clean_text, match_key, strip_site_name
from newsmon.normalize.urls import canonical_url, site_host
from newsmon.normalize.zones import guess_time_zone

logger = logging.getLogger(__name__)

PARSER = "generic@1"

SELECTOR = "selector"
JSON_LD = "json-ld"
META = "meta"
TIME = "time"
HTML = "html"
MAIN_TEXT = "main-text"
HTMLDATE = "htmldate"
DEFAULT = "default"

# Fields a configured selector may override; list fields take one value per matched node.
SELECTOR_FIELDS = frozenset(
    {"title", "published_at", "modified_at", "authors", "section", "lang", "lead", "body", "tags"}
)

# A JSON-LD articleBody is the body as is (no main-text extraction) when it has this much
# text, does not end in an ellipsis and has this share of the text of the page's <p>s.
MIN_JSON_LD_BODY = 200
MIN_JSON_LD_BODY_SHARE = 0.2
# Main text is extracted favoring precision, by trafilatura's own extractor alone (its fast
# mode: no readability or jusText fallback, which cost as much again; see FULL_TEXT_SHARE),
# tables included (a comparison or a schedule is part of an article); a result shorter than
# this may have lost the article, so the balanced extraction is tried too and kept when at
# least twice as long.
SHORT_PRECISE_TEXT = 500
# When the text kept holds less than this share of the text of the page's <p>s, the fast path
# may have lost part of the article (a section under its own wrapper, a guide whose headings
# break it up): trafilatura's full extraction (with its readability and jusText fallbacks)
# is tried as well and kept when at least twice as long. A post on a page of teasers, or an
# article beside long comments, pays that cost for nothing, and most pages never do.
FULL_TEXT_SHARE = 0.6
# An article in elements trafilatura knows no content frame by (plain `<div>`s, no `<article>`
# in or around it; a `<main>` is read only when no element before it has a class or id
# starting "main") is read as loose paragraphs, its headings and lists left out. The element
# holding more than this share of the page's paragraph text (found from `<body>` down: with
# more than half, only one child can hold it) is then marked as the article's body, as
# schema.org microdata marks it, for the time of the extraction.
ARTICLE_FRAME_SHARE = 0.5
# Paragraphs holding less text than this (a promotion's blurb on a page whose article is in
# `<div>`s) are no article's.
MIN_ARTICLE_FRAME_TEXT = 500
# A post its editor splits into blocks of one class (a site builder's rich-text blocks around a
# call to action) has its frame in the block holding most of it: a sibling of the frame's tag
# and class holding this much paragraph text is another part of the article, and the frame is
# their parent (less, a caption or a blurb styled alike, is none).
MIN_PART_TEXT = 200
# trafilatura reads the first element its first frame XPath matches (a content class, an id or
# `itemprop="articleBody"`), in the page's order: a post's header or an author's box with such
# a class ahead of the article is read instead of it, its headings and lists lost when the
# fallbacks find the paragraphs. Such an element holding less than this share of the article
# frame's text is a decoy. When the precise text has lost the frame's headings or most of the
# page's paragraphs, it is extracted again with the decoys without the attributes they matched
# by and the frame marked, even inside an `<article>` (which trafilatura reads only after
# them); the check costs a millisecond a page, too much for every page.
MAX_DECOY_SHARE = 0.5
# An element with this share of its text in `<p>`s (a standfirst, an intro under its own
# content class) is the article's opening, not a decoy.
MAX_DECOY_PARAGRAPH_SHARE = 0.8
_DECOY_ATTRIBUTES = ("class", "id", "itemprop")
# A line pointing readers to another story of the site ("Related: ...", "READ MORE: ...",
# "Lire aussi : ..."): one of these labels (after a bullet or ">>" at most), a colon or bar,
# then the text of a link within the site. The label alone ("DON'T MISS", "You might also
# like:") heads the teasers listed under it, each opening with such a link's text. Neither is
# part of the article.
_POINTER_LABELS = (
    r"related(?: articles?| stories| reading)?",
    r"(?:also )?read(?: more| also| next)?",
    r"see(?: also| more)?",
    r"learn more",
    r"recommended(?: reading)?",
    r"you (?:may|might) also like",
    r"don'?t miss",
    r"check out",
    r"(?:à )?lire aussi",
    r"voir aussi",
    r"lesen sie auch",
    r"mehr zum thema",
    r"lee también",
    r"leer más",
    r"ver también",
    r"leggi anche",
    r"leia (?:também|mais)",
    r"lees (?:ook|meer)",
)
_POINTER = re.compile(
    rf"^\W{{0,3}}(?:{'|'.join(_POINTER_LABELS)})(?:\s*[:|]\s*(?P<title>\S.*)|\W{{0,3}})$",
    re.IGNORECASE,
)
# A link's text this long opening a line under a pointer label is a teaser's title (a shorter
# one, "News" or "Home", may open a sentence of the article).
MIN_TEASER_TITLE = 15
# A heading that is one link to another site names what the article presents (a round-up's
# book clubs, products or makers' projects), and one linking to itself (a permalink to the
# section it opens, '<h3 id="comptime"><a href="#comptime">Comptime</a></h3>') is the article's
# own, where a heading linking within the site is a teaser of its other pages and one linking
# to another place of the page a table of contents' entry: trafilatura's precise extraction
# drops them all alike, so the first two kinds of links read as plain text (`<span>`) for the
# time of the extraction.
_HEADINGS_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# An empty inline element with an id (a link target: a table of contents' anchor opening a
# heading, '<h3><span id="Sharding"></span>Sharding</h3>') is dropped by trafilatura's precise
# extraction with the text after it, as stray markup; such targets read as holding an empty
# text for the time of the extraction, which keeps them and their text. An `<a>` without an
# address is such a target ('<h3><a id="hub-nomad"></a>Finding a Digital Nomad Hub</h3>'), but
# read as a link without text it makes its heading a link list, dropped whole: it reads as a
# `<span>` meanwhile.
_LINK_TARGET_TAGS = ("a", "span", "b", "i", "em", "strong", "q")
# trafilatura's precise extraction drops the blocks it reads (these) whose inline style names a
# border, but an editor draws one around the article's own boxes (a "Key answer" summary, a
# caveat set apart, '<div style="padding: 16px; border: 1px solid #e5e6eb">'), and text pasted
# from another page keeps its styles ('<span style="box-sizing:border-box;margin:0px">'), where
# a widget is styled by its class: the declarations naming a border are left out of such
# styles for the time of the extraction (a hidden box stays hidden).
_BORDERED_TAGS = ("div", "p", "section", "span", "ul", "ol", "dl")
_BORDER_DECLARATION = re.compile(r"[^;]*border[^;]*;?")
# A collapsed panel of an accordion or a disclosure widget (a block named by the
# `aria-controls` of a control in the element before it: '<div><a role="button"
# aria-controls="step_1">1. Understand your electric bill</a></div><div id="step_1"
# style="display:none">...') is part of the article, a step or an answer the reader opens,
# where trafilatura drops every element its style hides: its `display: none` is left out for
# the time of the extraction.
# trafilatura also drops a block whose class holds "-icon" anywhere, which a page builder's
# wrapper of a whole section may ("kt-accodion-icon-style-arrow" around an accordion's panes):
# a block whose `<p>`s hold this much text is no icon, and its class words naming one are
# left out for the time of the extraction.
_ICON_CLASS = "-icon"
MIN_ICON_BLOCK_TEXT = 200
_HIDING_DECLARATION = re.compile(r"display\s*:\s*none\s*(?:!important\s*)?;?", re.IGNORECASE)
# A page without a description takes the first of its body's first paragraphs this long for
# its lead (a script written without spaces says as much in fewer characters).
MIN_LEAD = 60
MIN_UNSPACED_LEAD = 25
MAX_LEAD_PARAGRAPH = 5
# A title's part this long whose letters the host holds is the site's name ("Koia" on
# drinkkoia.com); a shorter one may be any word.
MIN_HOST_SPELLED = 4
# The words a title's part may add to the site's name and still be the site's ("Aeon Essays").
MAX_NAME_EXTENSION = 2
_TRADE_MARKS = re.compile("[\u00a9\u00ae\u2120\u2122]")
# Main-text lines longer than this are never a repeated headline or a byline.
MAX_HEADING_LENGTH = 300
# Main text is not extracted from markup nested deeper, or with more elements, than this: no
# article page is (a heavy one has a few thousand elements, a few dozen levels), and the
# extraction's cost grows with the square of the depth and takes seconds per 10,000 elements.
MAX_MAIN_TEXT_DEPTH = 256
MAX_MAIN_TEXT_ELEMENTS = 20_000

# An <h1> that shares this share of the shorter title's words with the metadata title is
# the same headline worded for readers (the metadata's is the SEO title).
SHARED_TITLE_WORDS = 0.5
MIN_SHARED_TITLE_WORDS = 2
# Scripts written without spaces between words (Thai and Lao, Myanmar, Khmer, Japanese kana,
# Chinese characters): their titles are compared by pairs of letters.
_UNSPACED_SCRIPT = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff]")
_NOT_LETTERS = re.compile(r"[\W_]+")
# An <h1> worded wholly otherwise than the metadata title is the headline only with this many
# words (or pairs of letters): shorter, it may name the section ("Nachrichten", "Fashion").
MIN_HEADLINE_WORDS = 4
# A kicker ("Deutschlandtakt: ...", "Topline - ...") has at most this many words.
MAX_KICKER_WORDS = 5

TITLE_META = (
    "og:title",
    "twitter:title",
    "dc.title",
    "dcterms.title",
    "parsely-title",
    "sailthru.title",
)
PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "article:post_date",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "cxenseparse:recs:publishtime",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "article:published",
    "article.published",
    "og:published_time",
    "published-date",
    "pdate",
)
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "dcterms.modified",
    "dc.date.modified",
    "datemodified",
)
AUTHOR_META = (
    "article:author",
    "og:article:author",
    "author",
    # Highwire Press tags of scholarly articles, one per author, before Dublin Core's
    # creator, which journals often give the first author only
    "citation_author",
    "citation_authors",  # its older form, which may list several split by semicolons
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "cxenseparse:author",
    "byl",
)
# `twitter:labelN` texts naming the author in `twitter:dataN`.
_AUTHOR_LABELS = frozenset(
    {
        "written by",
        "author",
        "autor",
        "autorin",
        "auteur",
        "verfasst von",
        "geschrieben von",
        "escrito por",
        "écrit par",
        "scritto da",
    }
)
MAX_TWITTER_LABELS = 4
_CITATION_AUTHOR_META = frozenset({"citation_author", "citation_authors"})
# What may follow a surname after a comma without being a given name ("Doe, Jr.").
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md"})
# A word of running text ("star" of "star-studded"), not a part of an address
# ("toby@tobyhede.com", "www.tobyhede.com").
_WORDS = re.compile(r"(?<![\w@./])[^\W\d_]+(?![\w@/]|\.\w)")
# A copyright line's holder: "© 2025 Toby Hede. All rights reserved.", "(c) Jane Doe •".
_COPYRIGHT_LINE = re.compile(
    r"(?:©|\(c\)|Copyright)\s*(?:\d{4}(?:\s*[-\u2013]\s*\d{4})?\s*)?(?P<name>[^\W\d][\w.' -]*?)"
    r"\s*(?:[.,|\u2022]|$|All rights)",
    re.IGNORECASE,
)
# Links to the site's home page, where a personal site's header names its owner.
_HOME_LINKS = etree.XPath("//a[@href = '/' or @href = './' or @href = $home or @href = $slashed]")
# Where a page names its copyright holder.
COPYRIGHT_META = ("copyright", "dc.rights", "dcterms.rights")
SECTION_META = ("article:section", "parsely-section", "section")
LANG_META = ("og:locale", "dc.language", "dcterms.language", "language")
LEAD_META = (
    "og:description",
    "description",
    "twitter:description",
    "dc.description",
    "dcterms.description",
    "sailthru.description",
)
TAG_META = (
    "article:tag",
    "parsely-tags",
    "sailthru.tags",
    "news_keywords",
    "keywords",
    "dc.subject",
    "dcterms.subject",
)
SITE_NAME_META = ("og:site_name", "application-name", "apple-mobile-web-app-title")
# Meta tags naming the publisher ('<meta name="DC.publisher" content="Auto Illustrierte">'),
# whose name is no author's when an author tag repeats it.
PUBLISHER_META = ("publisher", "dc.publisher")

# <time> elements in the order they are trusted as the publication time, a timestamp in a
# data attribute of one without `datetime` ('<time data-published="...">'), then any
# element's microdata `datePublished` or `datetime` attribute ('<div datetime="...">').
MAX_ARTICLE_TIMES = 3


def _holds_word(word: str, value: str = ".") -> str:
    """An XPath test that `value` (an attribute) holds `word` among its space-parted words
    ('itemprop="datePublished dateCreated"', 'class="byline author"')."""
    return f"contains(concat(' ', normalize-space({value}), ' '), ' {word} ')"


# An element microdata marks as the publication time, among its other marks or alone
# ('itemprop="datePublished dateCreated"'); found from the attribute (see `_DATE_CLASSES`).
_MARKED_PUBLISHED = f"//@itemprop[{_holds_word('datePublished')}]/parent::*"
_TIME_XPATHS = (
    f"//time[{_holds_word('datePublished', '@itemprop')}"
    " or @pubdate or contains(@class, 'publish')]/@datetime",
    # a time beside the headline, in the element holding the <h1> (its header)
    "//h1/parent::*[not(self::body or self::html or self::main)]//time/@datetime",
    # an <article> holding more times is a list (forum posts, reviews), not the article
    f"//article[count(.//time) <= {MAX_ARTICLE_TIMES}]//time/@datetime",
    "//h1/following::time/@datetime",
    "//time/@datetime",
    "//time[not(@datetime)]/@*[starts-with(name(), 'data-')]"
    "[not(contains(name(), 'modif') or contains(name(), 'updat'))]",
    f"{_MARKED_PUBLISHED}/@content",
    "//*[@datetime]/@datetime",
)
# Classes of the elements inside an <h1> that are not its headline: kickers and toplines,
# and text shown to screen readers only.
_KICKER_CLASS = re.compile(
    r"kicker|topline|overline|dachzeile|roofline|eyebrow|supertitle|"
    r"visually-hidden|sr-only|screen-reader",
    re.IGNORECASE,
)
# The headline microdata marks inside a heading, beside a kicker of a class no other page uses.
_MARKED_HEADLINE = etree.XPath(".//*[@itemprop='headline']")
# A bar between the parts of a <title> written without spaces ("标题|栏目|网站").
_GLUED_BAR = re.compile(r"\s*[|\uff5c]\s*")
_KICKER_SEPARATOR = re.compile(r"\s*[:|\u2013\u2014\u00b7\u2022\u00bb]\s+|\s+-\s+")
# What ends a kicker written in a headline's line ("Analysis:", "Exklusiv |").
_KICKER_MARKS = frozenset(":|-\u2013\u2014\u00b7\u2022\u00bb")
# An element in a comment: it or an element around it has a class naming comments, <body> and
# <html> aside (a theme's page class such as "inline-comments" says the page has comments).
_COMMENT_BOX = "*[not(self::body or self::html)][contains(@class, 'comment')]"
# Where pages show a date without an attribute holding it, in the order they are trusted:
# a <time>'s text, an element marked as the publication date, then bylines and elements a
# class names a date, inside the article (else after its <h1>), outside comments, then an
# element a class names the publication date anywhere.
# Each is found from its class attribute ("/@class[...]/parent::*"): libxml2 reads the page's
# attributes faster than it tests a predicate on every element.
_DATE_CLASSES = (
    "/@class[contains(., 'date') or contains(., 'byline') or contains(., 'time')"
    " or contains(., 'publish') or contains(., 'meta')]"
    f"/parent::*[not(ancestor-or-self::{_COMMENT_BOX})]"
)
# An element a class names the publication date, wherever it stands (above the headline too),
# outside sidebars, navigation and comments.
_PUBLISHED_CLASS = (
    "//@class[contains(., 'publish')]"
    f"/parent::*[not(ancestor-or-self::{_COMMENT_BOX} or ancestor::aside or ancestor::nav)]"
)
# Elements marked as a date whose text alone gives it, read before the date beside the headline;
# then elements a class names a date, read after it.
_MARKED_DATE_XPATHS = (
    ("time", "//time[not(@datetime)]"),
    ("html", f"{_MARKED_PUBLISHED}[not(@datetime) and not(@content)]"),
)
_DATE_CLASS_XPATHS = (
    ("html", f"//h1/following::*{_DATE_CLASSES}"),
    ("html", f"(//article | //main)//*{_DATE_CLASSES}"),
    ("html", _PUBLISHED_CLASS),
)
# Parts of a page that date other articles than its own, and the site's banner: a <header>
# outside the article holding no headline, whose date is the day the page was served.
_NOT_ARTICLE_TAGS = ("aside", "nav")
_BANNER = "header[not(ancestor::article or ancestor::main or descendant::h1)]"
_NOT_ARTICLE_ROLES = etree.XPath(
    "//*[@role='complementary' or @role='navigation']"
    "[not(ancestor::*[@role='complementary' or @role='navigation'])]"
    f" | //{_BANNER}[not(ancestor::header)]"
)
MAX_SHOWN_DATE_NODES = 20
# Date elements looked through for those MAX_SHOWN_DATE_NODES outside teasers of other articles.
MAX_SHOWN_DATE_NODES_READ = 100
# Text nodes read for a date shown in no marked element: after the first <h1>, else anywhere
# (the first MAX_SCANNED_TEXTS of them that are neither blank nor code's, `_SKIPPED_TAGS`),
# outside scripts, sidebars, navigation, comments and the site's banner. Only a text holding a
# year is tested for being outside: the test on every text node costs more than the search.
_NOT_TEXT_ELEMENT = (
    "self::script or self::style or self::aside or self::nav"
    f" or self::{_COMMENT_BOX} or self::{_BANNER}"
)
_OUTSIDE = f"[not(ancestor::*[{_NOT_TEXT_ELEMENT}])]"
_TEXTS_AFTER_HEADLINE = etree.XPath("(//h1)[1]/following::text()")
_BODY_TEXTS = etree.XPath("//body//text()")
_IN_LINK_OR_LIST = etree.XPath("boolean(ancestor-or-self::a or ancestor-or-self::li)")
_IN_NOT_TEXT_ELEMENT = etree.XPath(f"boolean(ancestor-or-self::*[{_NOT_TEXT_ELEMENT}])")
MAX_SCANNED_TEXTS = 100
# The texts just after the main <h1>, then just before it, read for the date shown beside the
# headline ("December 17, 2025 • 8 minutes" over it, "December 11, 2023 - Words by A" under it),
# nearest first; a date further away may be a related article's.
HEADLINE_TEXTS = 4
# Texts of fewer letters and digits are separators ("By", ",", "|" between a byline's names)
# and are not counted among them.
MIN_WORDED_CHARACTERS = 3
_WORD_CHARACTER = re.compile(r"[^\W_]")
# (the nearest texts first: the outside test only on them, as it is slow on a whole page)
_AFTER_HEADLINE = (
    f"(//h1)[1]/following::text()[normalize-space()][position() <= {2 * HEADLINE_TEXTS}]{_OUTSIDE}"
)
_BEFORE_HEADLINE = (
    f"(//h1)[1]/preceding::text()[normalize-space()][position() <= {2 * HEADLINE_TEXTS}]{_OUTSIDE}"
)
# A date labelled as the page's update, not its publication ("Last updated", "Aktualisiert").
_UPDATED = re.compile(
    r"\b(?:updated|modified|aktualisiert|actualizado|mis à jour|aggiornato)\b", re.IGNORECASE
)
# The text a reader sees on the page.
_VISIBLE_TEXT = "//body//text()[not(ancestor::script or ancestor::style)]"
# The page's own machine-readable publication times, beside its metadata.
_OWN_TIMES = f"//time/@datetime | {_MARKED_PUBLISHED}/@content"
_MINUTE = timedelta(minutes=1)
# Blank texts (spaces between elements) looked past for a time shown after a date.
MAX_TEXTS_BEFORE_TIME = 3
# The texts after an element, outside it: where a time shown apart from its date stands.
_FOLLOWING_TEXTS = etree.XPath(f"following::text()[position() <= {MAX_TEXTS_BEFORE_TIME}]")
# A time of day shown alone, in its own element after the date's ("2:24 pm", "14:24").
_LONE_TIME = re.compile(
    rf"\d{{1,2}}[:.]\d{{2}}(?:\s*(?:am|pm|a\.m\.|p\.m\.))?(?:\s*(?:{SHOWN_ZONES}))?", re.IGNORECASE
)
MAX_SHOWN_DATES_FOR_TIME = 5
MAX_SHOWN_DATE_TEXT = 200
# The opening of a longer text read for a dateline ("27.1.2022 - Bei der ...", "BERLIN, 3. März
# 2026 -"); a date further in is one the article quotes.
DATELINE_CHARS = 40
_HEADING_LEVELS = ("h1", "h2", "h3")
# The page's main <h1>, never one naming the page in a breadcrumb trail (<body> and <html>
# aside: a theme's page class such as "genesis-breadcrumbs-hidden" is a setting).
_NOT_BREADCRUMB = (
    "[not(ancestor::*[not(self::body or self::html)]"
    "[contains(@class, 'breadcrumb') or contains(@itemtype, 'BreadcrumbList')])]"
)
_H1_XPATHS = (
    f"(//article//h1 | //main//h1 | //h1[@itemprop='headline']){_NOT_BREADCRUMB}",
    f"//h1[not(ancestor::header or ancestor::nav or ancestor::footer)]{_NOT_BREADCRUMB}",
)
# Where a link to the site's home page points (its logo or name links there).
_HOME_PATHS = frozenset({"/", "./", "/index.html", "/index.htm", "/index.php"})
# The page's only <h1> stands in its <article>: the headline, however worded.
_ALONE_IN_ARTICLE = f"count(//h1) = 1 and boolean(//article//h1{_NOT_BREADCRUMB})"
# Headings read for the headline of a page without a main <h1>, and how many of each level.
_SUBHEADING_LEVELS = ("h2", "h3")
# Headings read for the one showing the metadata title on a page without a main <h1>.
_HEADLINE_LEVELS = ("h1", *_SUBHEADING_LEVELS)
MAX_SUBHEADINGS = 20
# Blocks that end a paragraph when an HTML fragment is turned into text.
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "table",
        "tr",
        "pre",
        "figure",
        "figcaption",
        "dd",
        "dt",
        "hr",
    }
)
_SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template"})
# Elements whose text is no byline's part, read one by one.
_NOT_LEAF_TEXT = _SKIPPED_TAGS | {"button"}
# Characters no XML tree may hold, as UTF-8: the C0 controls but tab and line ends, which
# never occur inside a multi-byte character, and the noncharacters U+FFFE and U+FFFF.
_NOT_XML_BYTES = bytes(sorted(set(range(0x20)) - {0x09, 0x0A, 0x0D}))
_NONCHARACTERS = ("\ufffe".encode(), "\uffff".encode())
_NONCHARACTER_LEAD = b"\xef\xbf"
_PAGE_PARSER = HTMLParser(
    recover=True, encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True
)
_TAG = re.compile(r"<[a-zA-Z/!]")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+\d*);")
# How many times metadata text is unescaped at most (a value may be escaped more than once).
MAX_ESCAPES = 3
_ESCAPED_TAG = re.compile(r"&lt;/?[a-zA-Z]")
_DATE_ONLY = re.compile(r"\d{4}-?\d{2}-?\d{2}")
_LANGUAGE = re.compile(r"([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*")
_NOT_LANGUAGES = frozenset({"und", "mul", "zxx", "mis"})
# The kind of piece before "by": "Analysis by A", "Ein Kommentar von A", "A guest post by A".
_PIECE_KIND = (
    r"(?:(?:a|an|ein|eine)\s+)?(?:analysis|story|text|report|reporting|words|interview"
    r"|commentary|opinion|column|essay|review|editorial|perspective|guest\s+post|guest\s+essay"
    r"|kommentar|gastkommentar|gastbeitrag|analyse|kolumne|reportage|leitartikel|rezension"
    r"|kritik|glosse|(?:blog\s*)?beitrag|blog\s*post|post|artikel|article|pressemitteilung"
    r"|pressemeldung|press\s+release)\s+"
)
_BYLINE_PREFIX = re.compile(
    rf"^(?:{_PIECE_KIND})?"
    r"(?:by|von|par|por|di|door|av|af|eftir|מאת|a cura di|geschrieben von"
    r"|(?:written|curated|compiled) by)(?:\s*:\s*|\s+)(?=\w)"
    # Indonesian and Malay "by", before a name of two words at least: "Oleh" alone before
    # one word is the Ukrainian given name ("Oleh Sukhov")
    r"|^oleh\s+(?=\S+\s+\S)"
    # "Posted by", as blogs and CMSs label their bylines in many languages
    r"|^(?:posted|published)\s+by\s+|^(?:eingestellt|veröffentlicht)\s+von\s+"
    r"|^(?:publicado|escrito)\s+por\s+|^(?:publié|écrit)\s+par\s+"
    r"|^(?:pubblicato|scritto)\s+da\s+|^geplaatst\s+door\s+"
    r"|^[^\W\d_]{2,12}:\s*(?=\w)"  # "Text: ", "Текст: ", "Autor: "
    r"|^(?-i:By(?=[A-Z][a-z]))"  # "ByTravis Haney": the byline's elements joined unspaced
    r"|^about\s+(?:the\s+author:?\s+)?(?=\w)"  # an author box's heading: "About Peter Bell"
    r"|^(?:كتب|كتبت|بقلم)\s*:?\s+(?=\w)",  # Arabic "wrote" (he, she), "by the pen of"
    re.IGNORECASE,
)
_NAME_CONJUNCTION = re.compile(
    r"\s+(?:and|und|og|och|et|ja|és|y|e|i|en|&)\s+|\s*&\s*", re.IGNORECASE
)
_WEAK_CONJUNCTION = re.compile(r"\s(?:y|e|i|en)\s", re.IGNORECASE)
# A conjunction opening the last of a list's names after its comma ("A, B, and C").
_SERIAL_CONJUNCTION = re.compile(r"^(?:and|und|og|och|et|ja|és|&)\s+", re.IGNORECASE)
# A desk code or initials after a name: "Jane Doe (jd)", "(dpa)", "(www.dw.com)".
_DESK_CODE = re.compile(r"\s*\([^()\s]{1,24}\)\s*$")
# A social media handle after a name: "Williams Perdomo @wperdomod".
_HANDLE = re.compile(r"\s+@[\w.]+$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A web address written without its scheme ("facebook.com/vegolosi", as `article:author` may
# give a social profile).
_SCHEMELESS_ADDRESS = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}/\S*", re.IGNORECASE)
# A login or a desk's code rather than a name: "christian.stadtfeld", "jane_doe",
# "brandon-peaktwo", "mdelatorreq6vkpg2ma0ci", "asty//now" (a writer's and an editor's).
_LOGIN = re.compile(r"[a-z\d]+(?:[._/-]+[a-z\d]+)+|[a-z]+\d[a-z\d]*")
# The words of a login or of a profile address's last part ("jon-fingas").
_IDENTIFIER_SEPARATOR = re.compile(r"[-._+@]+")
# Words a shown name may hold between the first and last word of a login ("P.").
MAX_MIDDLE_NAMES = 2
# The definite articles opening a publication's name, never a person's ("The Guardian", "Der
# Spiegel", "El Sol de México", "Le Monde", "Il Messaggero", "De Telegraaf" aside: "de" is
# also a name's particle).
_DEFINITE_ARTICLES = frozenset(
    {"the", "der", "die", "das", "el", "la", "los", "las", "le", "les", "il", "lo", "gli", "het"}
)
# Words around a publisher's host or name that still name the publisher ("SPIEGEL ONLINE",
# "DER SPIEGEL", "The Guardian").
# The legal form closing a company's name ("mediagene Inc.", "Global Media Group"): a company,
# not a person.
_COMPANY_FORMS = frozenset({"inc", "ltd", "llc", "gmbh", "corp", "plc", "s.a", "k.k", "group"})
# Japanese legal forms, written onto the company's name ("株式会社インプレス", Impress Corporation).
_JAPANESE_COMPANY = re.compile("株式会社|有限会社|合同会社")
_PUBLISHER_AFFIXES = (
    *("online", "news", "nachrichten", "de", "com", "digital", "sport", "blog"),
    # a newspaper's word for itself ("Jornal O Papel" on opapel.com), and its newsroom's
    # ("Redazione ANSA" on ansa.it)
    *("jornal", "journal", "diario", "zeitung", "gazette", "gazeta"),
    *("redazione", "redaccion", "redacao", "redaktion", "newsroom"),
    *sorted(_DEFINITE_ARTICLES),
    # legal forms ("Kong" of "Kong Inc."); not "group", a word of many a company's own name
    # (the writer "Alpha Apex" on alphaapexgroup.com)
    *sorted(_COMPANY_FORMS - {"group"}),
)
# A possessive's "'s", left out when a name is compared with the host ("xelz's blog" on
# xelz.info).
_POSSESSIVE = re.compile(r"['\u2019]s\b")
# A name starting with a publisher's name or host label this long is the publisher's
# ("India Post News Weekly" on indiapost.com).
MIN_PUBLISHER_PREFIX = 6
# Words opening no person's name: articles ("O Globo" too).
_ARTICLES = _DEFINITE_ARTICLES | {"a", "an", "o", "os"}
_JOB_WORDS = frozenset(
    {
        "writer",
        "editor",
        "editor-at-large",
        "editorial",
        "correspondent",
        "reporter",
        "press",
        "staff",
        "contributor",
        "columnist",
        "analyst",
        "bureau",
        "desk",
        "redaktion",
        "redakteur",
        "redakteurin",
        "korrespondent",
        "korrespondentin",
        "author",
        "autor",
        "autorin",
        "sponsored",
        "team",
        "expert",
        # the roles an author box shows under the name ("Content Marketing Coordinator",
        # "Former McKinsey Consultant", "Senior Research Executive")
        "journalist",
        "producer",
        "consultant",
        "coordinator",
        "controller",
        "executive",
        "manager",
        "director",
        "officer",
        "specialist",
        "strategist",
        "founder",
        "co-founder",
        "ceo",
        "researcher",
        "engineer",
        "developer",
        "designer",
        "marketer",
        "intern",
        "advisor",
        "adviser",
    }
)
# Credits for other work than the text, before a name: "Photographed by A", "Foto: A".
_OTHER_CREDITS = (
    "photo",
    "photos",
    "photographed",
    "photography",
    "pictures",
    "images",
    "video",
    "illustration",
    "illustrations",
    "illustrated",
    "graphics",
    "styled",
    "styling",
    "hair",
    "makeup",
    "modeled",
    "modelled",
    "foto",
    "fotos",
    "fotografie",
    "bild",
    "bilder",
    "grafik",
)
_OTHER_CREDIT = rf"\b(?:{'|'.join(_OTHER_CREDITS)})(?:\s+by)?\s*[:/]?\s*"
# A part of an author value naming the role of other work than the text before its maker
# ("content: MarketingSherpa, design: A, code: B" in a site's author tag): no author's.
_OTHER_ROLE = re.compile(
    rf"(?:{'|'.join((*_OTHER_CREDITS, 'design', 'code', 'coding', 'programming'))})\s*:",
    re.IGNORECASE,
)
# Words of the buttons and links beside a byline ("Email Bio Follow", "Link Copied",
# "Connect Directly" over the writer's social links).
_INTERFACE_WORDS = frozenset(
    {"email", "e-mail", "bio", "follow", "copied", "share", "tweet", "comment", "comments"}
    | {"connect", "subscribe", "contact", "about", "watch", "live", "updated", "published"}
    # social networks' share links in a byline's box ("Telegram ВКонтакте Twitter")
    | {"twitter", "facebook", "linkedin", "instagram", "telegram", "whatsapp", "вконтакте"}
    # an article is no name's word inside it either ("Source The Information")
    | {"the"}
)
# Words naming an organisation a writer belongs to, after the name ("Amalia Helen, Nature Tech
# Collective"): an affiliation, not a second author.
_BODY_WORDS = frozenset(
    {"collective", "group", "institute", "university", "foundation", "association", "council"}
    | {"society", "agency", "network", "magazine", "newspaper", "center", "centre", "company"}
    | {"organization", "organisation", "project", "lab", "labs", "college", "coalition"}
)
_NAME_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "da", "di", "du", "la", "le", "del", "bin", "al", "y", "zu"}
)
# Words before a byline's link to its section or category ("in <a>CPU Coolers</a>"); not
# Spanish "en", which is Dutch for "and" ("door <a>A</a> en <a>B</a>").
_PLACE_WORDS = frozenset({"in", "im", "dans", "under", "filed"})
# Where a byline's text names the section or place the article was filed in, after its
# names ("by Stephen Bay in Growth", "Von A in Wien").
_FILED_IN = re.compile(rf"\s+(?:{'|'.join(sorted(_PLACE_WORDS))})\s+")
# "by" after the date a byline opens with: "Posted on September 21, 2020 by A", "Veröffentlicht
# am 21.09.2020 von A".
_BY_AFTER_DATE = re.compile(r"\s(?:by|von|par|por)\s+(?=[^\W\d_])", re.IGNORECASE)
# The words before a date in a byline: a weekday's name the date opens with, as many pages
# show it ("Joe Wee Monday, February 29, 2016"; shortened, only with a stop or comma after
# it: "Yang Sun Jan 22" is a name), after a word leading to it or alone ("A on Jan 22, 2025",
# "A am Montag, 3. März 2026").
_WEEKDAYS = (
    r"(?:mon|tues?|wed|thu(?:rs)?|fri|sat|sun)[.,]|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|"
    r"lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|"
    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag),?"
)
_DATE_LEAD = re.compile(
    rf"(?:\s+(?:on|am|le|el|il|den|dne|op))?(?:\s+(?:{_WEEKDAYS}))?\s*$", re.IGNORECASE
)
_DATE_LABEL_AT_END = re.compile(
    r"\s+(?:last\s+)?(?:updated|published|posted|modified)(?:\s+(?:on|at))?\s*:?\s*$",
    re.IGNORECASE,
)
MIN_NAME_WORDS = 2
MAX_NAME_WORDS = 5
# Visible bylines, in the order they are trusted; their text is cut at these separators.
_NOT_COMMENT = f"[not(ancestor-or-self::{_COMMENT_BOX})]"
# Nor an image's caption, whose "author" is the photographer's credit ('<figcaption><span
# class="author">Autor: BelleCo, Cottonbro Studio / CC0</span>').
# Nor the page's <body> or <html>, whose class may name a theme setting
# ("tweak-blog-item-show-author-name").
_BYLINE_PLACE = f"{_NOT_COMMENT}[not(ancestor::figcaption)][not(self::body or self::html)]"
# Each is found from the attribute marking it ("//@rel[...]/parent::*"): libxml2
# reads the page's attributes faster than it tests a predicate on every element.
# A `rel` or `itemprop` holding "author" among other words ('itemprop="author creator"',
# 'rel="author noopener"') marks a byline as well.
_AUTHOR_MARK = f"[{_holds_word('author')}]"
_BYLINE_XPATHS = (
    f"//@rel{_AUTHOR_MARK}/parent::*{_BYLINE_PLACE}",
    f"//@itemprop{_AUTHOR_MARK}/parent::*{_BYLINE_PLACE}//*[@itemprop='name']",
    f"//@itemprop{_AUTHOR_MARK}/parent::*[not(.//*[@itemprop='name'])]{_BYLINE_PLACE}",
    f"//@class[contains(., 'byline') or contains(., 'Byline')]/parent::*{_BYLINE_PLACE}",
    # a news agency's feed markup left in the page (NITF's "<byline>Von A, dpa</byline>")
    f"//byline{_BYLINE_PLACE}",
    # (the class word "author" tested only in the few classes holding it)
    f"//@class[contains(., 'author')][{_holds_word('author')}"
    " or contains(., 'author-name') or contains(., 'author_name')]"
    f"/parent::*{_BYLINE_PLACE}",
    "(//@class[contains(., 'author') or contains(., 'Author')] | //@id[contains(., 'author')])"
    f"/parent::*{_BYLINE_PLACE}",
    # the word in Spanish, Portuguese, German, French ... ("<div class="autor"><h6>A |
    # Publicado hace 3 horas</h6></div>")
    "//@class[contains(., 'autor') or contains(., 'Autor') or contains(., 'auteur')]"
    f"/parent::*{_BYLINE_PLACE}",
)
# The headings of a list item or article: a teaser's link to the article it announces.
_HEADINGS = etree.XPath(".//*[self::h1 or self::h2 or self::h3 or self::h4]")
# A teaser shows a headline, a line or two and a byline: no more words than this (those of
# dev pages have at most 48; an article's text holding a related article's link, hundreds).
MAX_TEASER_WORDS = 100
# A link of this many words leading a list's item is a headline.
MIN_LINKED_HEADLINE_WORDS = 2
_WORD_COUNT = etree.XPath(
    "string-length(normalize-space()) - string-length(translate(normalize-space(), ' ', '')) + 1"
)
# A short paragraph or subheading that is a labelled byline ("Von Claudia Lindner", "Auteur :
# K. Tiassou", "<h5>By Quiet Light</h5>" under the headline), read when no element is marked
# as one.
_BYLINE_PARAGRAPHS = (
    "(//p | //h2 | //h3 | //h4 | //h5 | //h6)"
    f"[string-length(normalize-space()) <= 120][not(ancestor::nav)]{_NOT_COMMENT}"
)
# A byline label alone in its element, the name in the next one ("<span>By </span><a>Jane
# Doe</a>"), read when no element is marked as a byline: the label's element and its parent.
_LONE_LABELS = frozenset(
    {
        *("By", "by", "BY", "Von", "von", "Par", "par", "Por", "por"),
        *("Written by", "Written By", "WRITTEN BY", "Posted by", "Posted By"),
        *("Author:", "Authors:", "Author(s)", "Author(s):", "Contributor:", "Contributors:"),
        *("Autor:", "Autorin:", "Autoren:", "Auteur:", "Auteur :"),
    }
)
# The page's text nodes, among which those that are a lone label are found in Python: an XPath
# comparing each with every label costs milliseconds a page. Their elements are then tested.
_ALL_TEXTS = etree.XPath("//text()")
MAX_LABEL_TEXT = 200  # a lone label's text node, with the spaces and line breaks around it
# A fact sheet's label opening a line: one or two words and a colon ("Seiten: 400", "Dt.
# Titel: ...").
_FACT_LABEL = re.compile(r"^[^\W\d_][\w.]*(?:\s[\w.]+)?\s?:\s*\S")
_LONE_LABEL_PLACE = etree.XPath(f"boolean(self::*[not(ancestor::nav)]{_NOT_COMMENT})")
_BYLINE_LABEL = re.compile(
    rf"^(?:(?:(?:written|posted)\s+|{_PIECE_KIND})?(?:by|von|par|por|door|av|af|eftir|מאת)"
    r"(?:\s*:\s*|\s+)"
    r"|(?:authors?|autor|autorin|auteur|text|texte|contributors?)\s?:\s*|author\(s\):?\s*)"
    r"(?=[^\W\d_])",
    re.IGNORECASE,
)
# A short text of its own opening with "by" ("<small>posted on <time>...</time></small> by A"
# in a title's box) is a byline; not "von", "par" or "por", which open many a sentence ("Por
# favor, vuelva a intentarlo").
_LOOSE_BYLINE = re.compile(r"^(?:(?:written|posted)\s+)?by\s+(?=[^\W\d_])", re.IGNORECASE)
_DANGLING = " \t\n-\u2013\u2014|/\u00b7\u2022,"
# Classes of a date's element inside a byline, and of the byline's own.
_DATE_CLASS = re.compile(r"date|time|publish", re.IGNORECASE)
_AUTHOR_CLASS = re.compile(r"author|byline|autor|auteur", re.IGNORECASE)
_NAME_WORD = re.compile(r"[\w.'\u2019-]+")
# The address of an author's page, as blogs and newsrooms link a name to it
# ("/author/jane-doe/", "/autoren/jane-doe").
_AUTHOR_PAGE = re.compile(
    r"/(?:authors?|autor(?:en|in)?|auteurs?|profiles?|profil|by|people|staff|journalists?"
    r"|journalisten|reporters?|redaktion)/[^/?#]",
    re.IGNORECASE,
)
# Where a link may be a byline's when nothing marks one: not in a menu, list, sidebar, comment
# or the page's footer (an article's own footer may hold its byline: "Posted by <a>A</a> on
# <time>"). Only links to an author's page are tested: the test on every link costs more.
_AUTHOR_LINK_PLACE = etree.XPath(
    "boolean(self::*[not(ancestor::nav or ancestor::aside or ancestor::li)]"
    f"[not(ancestor::footer[not(ancestor::article)])]{_NOT_COMMENT})"
)
_BYLINE_BREAK = re.compile(r"\s*[|\u00b7\u2022\u22c5\n]\s*|\s+[\u2013\u2014/-]\s+")
MAX_BYLINE_LENGTH = 120
MAX_BYLINE_PEOPLE = 6
_BYLINE_WORDS = frozenset({"by", "and"})
# What separates the names of an author value: commas (also the Arabic and CJK ones) and
# a bar ("Nathan Bernier | KUT": what follows the first name must read as a person's to
# be another author).
_LIST_SEPARATOR = re.compile(r"[,;|\uff5c\u060c\u3001\uff0c]")
# A page's publisher as a microdata item, and the name properties within it.
_MICRODATA_PUBLISHERS = etree.XPath("//*[@itemprop='publisher'][@itemscope]")
_MICRODATA_NAMES = etree.XPath(".//*[@itemprop='name']")
# A Korean byline: the reporters' names, then their title ("홍길동 기자", "홍길동·김철수
# 기자", "홍길동 특파원"), after the wire's dateline in brackets and before "=" opening the
# story ("[서울=뉴시스]홍길동 기자 = ...") or the reporter's address.
_KOREAN_REPORTER = re.compile(
    r"\s*(?:[\[(（][^\])）]{1,30}[\])）]\s*)?"
    r"(?P<names>[\uac00-\ud7a3]{2,4}(?:\s*[·ㆍ,]\s*[\uac00-\ud7a3]{2,4})*)\s*"
    r"(?:선임|수석|객원|인턴|전문)?(?:기자|특파원)(?![\uac00-\ud7a3])"
    r"(?P<end>\s*=|\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$|\s*[|]?\s*$)"
)
_KOREAN_NAME_SEPARATOR = re.compile(r"\s*[·ㆍ,]\s*")
# A Chinese byline, the title before the names: "記者林宸誼／即時報導" (reporter Lin Chen-yi /
# real-time report), "记者 张三/北京", a paper's own reporters opening a story ("本报记者 张三
# 李四 ...", "〔記者巫其倫／台北報導〕財政部...").
_CJK_NAME_TEXT = r"[\u3040-\u30ff\u3400-\u9fff]{2,6}"
_CHINESE_NAME_WORD = rf"{_CJK_NAME_TEXT}(?=[\s／/)）]|$)"  # a word: the story's text is none
_CHINESE_REPORTERS = re.compile(
    rf"\s*[(（〔【\[]?(?:本报|本報)?(?:記者|记者)\s*"
    rf"(?P<names>{_CHINESE_NAME_WORD}(?:\s+{_CHINESE_NAME_WORD})*)"
)
# A Japanese paper's dateline and reporters in brackets opening a story, as Nikkei signs its
# stories ("【ワシントン=八十島綾平】米相互関税の..."), a wire's name there ("【ワシントン=共同】")
# being no one's.
_JAPANESE_SIGNATURE = re.compile(
    rf"\s*【[^=＝【】]{{1,12}}[=＝](?P<names>{_CJK_NAME_TEXT}(?:、{_CJK_NAME_TEXT})*)】"
)
_REPORTER_LANGUAGES = ("ko", "zh", "ja")
# The texts that may be a Korean, Chinese or Japanese byline (`_reporters`): those holding
# its title or bracket, found by libxml2 (testing every text in Python costs more).
_REPORTER_TEXTS = etree.XPath(
    "//body//text()[contains(., '기자') or contains(., '특파원') or contains(., '記者')"
    " or contains(., '记者') or contains(., '】')]"
)
# A Chinese or Japanese name (a Han character at least: kana alone are as often a loanword
# of the page's interface, "プロフィール") of two to six characters, or a family and a given
# name spaced; a Korean one of two to four syllables.
# A Chinese, Japanese or Korean credit for the text before the writer's name ("文／山田太郎",
# "文・山田太郎", "執筆者：山田太郎", "取材・文：山田太郎", "作者：张三", "文/张三", "글=홍길동").
_CJK_CREDIT = re.compile(
    r"^(?:取材・文|文・写真|写真・文|執筆者?|記者|著者?|作者|撰文|文|글[·・]사진|글)\s*[／/・：:=＝]\s*"
)
_CJK_NAME = re.compile(
    r"(?=.*[\u3400-\u9fff])(?:[\u3040-\u30ff\u3400-\u9fff]{2,6}"
    r"|[\u3040-\u30ff\u3400-\u9fff]{1,4} [\u3040-\u30ff\u3400-\u9fff]{1,4})"
    r"|[\uac00-\ud7af]{2,4}"
)
# What such a text holds when it is no person's name: a role (記者 reporter, 編集 editing, 撮影
# photography, 기자 reporter), an outlet (新聞, 新闻, 通信, 뉴스, 신문), a news agency's code (共同
# Kyodo, 時事 Jiji), a report (报道), a placeholder (管理人 the site's admin, 佚名 anonymous, 小编
# the editor), a writer's role (作家 writer, 专栏 column, 特约 contributing) or an interface word
# (記事 article, 一覧 list, 关注 follow), or the ending of a body's name (社 company, 部
# department, 报 paper, 台 station, 网 site).
_CJK_NOT_NAME = re.compile(
    "編集|编辑|編輯|記者|记者|著者|作者|撮影|摄影|写真|翻訳|翻译|取材|監修|特派|通讯|通信"
    "|新聞|新闻|日報|日报|記事|一覧|关注|關注|订阅|訂閱|分享|评论|評論|投稿|发布|發布|配信|提供"
    "|报道|報導|기자|특파원|편집|신문|뉴스|일보|^(?:共同|時事)$"
    "|管理人|管理者|匿名|佚名|未知|小编|小編|网友|網友|관리자"
    "|作家|撰稿|主编|主編|编者|編者|专栏|專欄|特约|特約|코너"
    "|[社部局室班課课組组團团網网台報报刊館馆]$"
)
# A value wholly in brackets is a dateline or a desk: "(أبوظبي - البيان)", "(Abu Dhabi - Al
# Bayan)".
_BRACKETED = re.compile(r"\s*\([^()]*\)\s*")
# Who made the site, not the article ('<meta name="DC.Creator" content="Developed By A">').
# A text signing the article with its writer's name, and where such texts may stand.
_SIGNATURE = re.compile(r"(?:(?:written|posted)\s+)?by\s+(?P<name>[^\W\d][\w.' -]+)", re.IGNORECASE)
_SIGNATURE_TEXTS = etree.XPath(
    f"//body//text()[contains(., $given)][string-length() <= {MAX_LABEL_TEXT}]{_OUTSIDE}"
)
_SITE_CREDIT = re.compile(
    r"\s*(?:developed|designed|powered|hosted|maintained|programmed|built|sponsored|presented)"
    r"\s+by\b",
    re.IGNORECASE,
)
# Author values that name no one: placeholders a CMS fills in, and links' words.
_NO_ONE = frozenset(
    {"unknown", "anonymous", "anonym", "anónimo", "anonimo", "inconnu", "null", "none"}
    | {"undefined", "admin", "administrator", "administrador", "webmaster", "publisher"}
    | {"author", "autor", "auteur", "user", "guest", "privacy policy", "learn more", "read more"}
)
_SPACED_DASH = re.compile(r"\s+[\u2013\u2014-]\s+")
# Whom a writer wrote for, after the name: "A on behalf of the Vision Doc group".
# What follows a name crediting whom it wrote for or with: "on behalf of A", "with Reuters",
# "mit dpa", "(mit Material von dpa)".
_WRITTEN_FOR_OR_WITH = re.compile(
    r"\s+(?:on behalf of|with|mit)\s.*$|\s*\((?:with|mit|via)\s[^()]*\)\s*$", re.IGNORECASE
)
# A slash between names ("Max Mustermann/Erika Musterfrau"), in a value that is no address.
_NAME_SLASH = re.compile(r"\s*/\s*")
_LETTER = re.compile(r"[^\W\d_]")
# A name's initial: "P." or "P".
_INITIAL = re.compile(r"[^\W\d_]\.?")
# Counted by libxml2, without a Python object per element: an element MAX_MAIN_TEXT_DEPTH
# levels below the tree's root, and the tree's elements.
_DEEPER_THAN_MAX = etree.XPath(f"boolean(self::*{'/*' * MAX_MAIN_TEXT_DEPTH})")
_ELEMENT_COUNT = etree.XPath("count(descendant-or-self::*)")
# An article frame trafilatura reads as such already: the page's first `<article>` comes
# before any class or id it knows; a wider frame around one would take in what is beside it.
_IN_ARTICLE_ELEMENT = etree.XPath("boolean(ancestor-or-self::article or descendant::article)")
_ARTICLE_BODY_PROPERTY = "itemprop"
# trafilatura's first frame XPath (see MAX_DECOY_SHARE), and an element's place in the page's
# order (the elements wholly before it). The XPaths are no public API of trafilatura's (they
# are in 2.0 to 2.3): a release without them leaves decoys unlooked for, not the page unread.
try:
    from trafilatura.xpaths import BODY_XPATH

    _TRAFILATURA_FRAMES: etree.XPath | None = BODY_XPATH[0]
except (ImportError, IndexError):
    _TRAFILATURA_FRAMES = None
_PRECEDING = etree.XPath("count(preceding::*)")
_FRAGMENT_PARSER = etree.HTMLParser(recover=True, encoding="utf-8", remove_comments=True)

T = TypeVar("T")

# Marks where a field's candidates pass from metadata to the generic fallbacks.
_FALLBACKS = ("fallbacks", None)


@dataclass
class _Page:
    """One parsed page and what every field's candidates read from it."""

    url: str
    tz: str
    fetched_at: datetime
    selector: Selector
    metadata: PageMetadata
    selectors: Mapping[str, str]
    owns_tree: bool

    @property
    def article(self) -> dict[str, Any]:
        return self.metadata.json_ld

    @cached_property
    def paragraphs_length(self) -> int:
        """How much text the page's `<p>` elements hold (read once: two rules weigh it)."""
        return sum(len(text.strip()) for text in self.selector.root.xpath("//p//text()"))

    @cached_property
    def publisher(self) -> _Publisher:
        """What names the page's publisher (read once: titles and authors weigh it)."""
        return _Publisher.of(self)

    @cached_property
    def visible_text(self) -> str:
        """The text a reader sees on the page, in one string."""
        return " ".join(self.selector.root.xpath(_VISIBLE_TEXT))

    @cached_property
    def small_letter_words(self) -> frozenset[str]:
        """The words the page's text writes in small letters only ("star" of "star-studded"),
        none a part of an address."""
        return frozenset(word for word in _WORDS.findall(self.visible_text) if word.islower())

    @cached_property
    def _selections(self) -> dict[str, list[Any]]:
        return {}

    def selected(self, xpath: str) -> list[Any]:
        """What `xpath` selects on the page (read once: bylines are looked for twice, with
        and without the publisher's names)."""
        if xpath not in self._selections:
            self._selections[xpath] = select(self.selector, xpath)
        return self._selections[xpath]

    @cached_property
    def author_links(self) -> list[etree._Element]:
        """The links to an author's page (`_AUTHOR_PAGE`) where a byline's may stand
        (`_AUTHOR_LINK_PLACE`), in page order (read once: bylines and full names seek them)."""
        return [
            link
            for link in self.selector.root.iter("a")
            if _AUTHOR_PAGE.search(link.get("href") or "") and _AUTHOR_LINK_PLACE(link)
        ]

    @cached_property
    def labelled_texts(self) -> tuple[list[etree._Element], list[tuple[etree._Element, str]]]:
        """The page's byline labels among its text nodes, in page order, none in navigation or
        a comment: the elements holding a label alone (`_LONE_LABELS`), and the short texts
        opening with "by" (`_LOOSE_BYLINE`: "by A" after a `<time>` in a title's box), with
        the element holding each."""
        alone: dict[etree._Element, None] = {}
        opening: list[tuple[etree._Element, str]] = []
        for text in _ALL_TEXTS(self.selector.root):
            if len(text) > MAX_LABEL_TEXT:
                continue
            words = " ".join(text.split())
            lone = words in _LONE_LABELS
            if not lone and (len(words) > MAX_BYLINE_LENGTH or not _LOOSE_BYLINE.match(words)):
                continue
            element = text.getparent()
            holder = element if text.is_text else element.getparent()
            if holder is None or not _LONE_LABEL_PLACE(holder):
                continue
            if lone:
                alone[holder] = None
            else:
                opening.append((holder, words))
        return list(alone), opening

    @cached_property
    def in_teaser(self) -> Callable[[etree._Element], bool]:
        """Whether an element stands in a teaser of another article: the list item or article
        nearest around it (`_is_box`) is one (`_teaser_test`), each box's answer kept, as the
        dates and bylines looked through in one article share it."""
        is_teaser = _teaser_test(self)
        answers: dict[etree._Element, bool] = {}

        def in_teaser(node: etree._Element) -> bool:
            box = next((up for up in node.iterancestors() if _is_box(up)), None)
            if box is None:
                return False
            if box not in answers:
                answers[box] = is_teaser(box)
            return answers[box]

        return in_teaser

    def matches(self, field: str) -> list[str]:
        """The cleaned text of every node the configured selector for `field` matches."""
        expression = self.selectors.get(field)
        if not expression:
            return []
        try:
            nodes = select(self.selector, expression)
        except ValueError as error:
            raise ValueError(f"invalid selector for {field!r}: {expression!r}") from error
        texts = (_node_text(node) for node in nodes)
        return [text for text in texts if text]

    def match(self, field: str) -> str | None:
        """The first text the configured selector for `field` matches."""
        return next(iter(self.matches(field)), None)

    def main_text_tree(self) -> HtmlElement | None:
        """The page's tree for trafilatura, free of comments (it drops their tails with them)."""
        root = self.selector.root
        if not isinstance(root, HtmlElement):
            return None
        if not self.owns_tree and root.xpath("boolean(.//comment())"):
            root = copy.deepcopy(root)
            _strip_comments(root)
        return root


def extract_article(
    url: str,
    html: str | Selector,
    fetched_at: datetime,
    *,
    source: str,
    tz: str | None = "UTC",
    lang: str | None = None,
    selectors: Mapping[str, str] | None = None,
    metadata_first: bool = False,
) -> ArticleItem:
    """Extract an article page into an ArticleItem, recording each field's method.

    `html` is the page source or an already parsed Selector (never modified); `fetched_at`
    a timezone-aware datetime; `tz` the source's IANA zone, for timestamps without an
    offset (None for a page of no known source: `page_zone`); `lang` the language assumed
    when the page names none; `selectors` maps field names (see SELECTOR_FIELDS) to CSS or
    XPath (starting with `/` or `(`) overrides.
    With `metadata_first` (site parsers whose selectors back up well-kept metadata) JSON-LD
    and meta tags win over `selectors`, which still win over the generic fallbacks
    (`<time>`, `<h1>`, `<title>`, main text, `lang`).
    A bad page never raises: what cannot be read stays None or empty. An unknown field, a
    bad selector or a bad `tz` raise ValueError.
    """
    selectors = selectors or {}
    unknown = set(selectors) - SELECTOR_FIELDS
    if unknown:
        raise ValueError(f"no selector override for field(s): {', '.join(sorted(unknown))}")
    if tz is not None:
        try:
            zone(tz)
        except (KeyError, ValueError) as error:
            raise ValueError(f"unknown time zone {tz!r}") from error
    if isinstance(html, Selector):
        selector, owns_tree = html, False
    else:
        selector, owns_tree = _parse(html), True
    metadata = read_metadata(selector)
    if tz is None:
        tz = page_zone(url, selector, metadata)
    page = _Page(url, tz, fetched_at, selector, metadata, selectors, owns_tree)
    if page.metadata.json_ld_errors:
        blocks = page.metadata.json_ld_errors
        logger.warning(
            "%s: %d JSON-LD block%s not valid JSON, ignored",
            url,
            blocks,
            " is" if blocks == 1 else "s are",
        )
    item = ArticleItem(
        source=source,
        url=canonical_url(url),
        page_url=url,
        fetched_at=utc_iso(fetched_at),
        parser=PARSER,
    )
    methods = item.methods
    first = partial(_first, methods, metadata_first=metadata_first)
    item.url = first("url", _url_candidates(page)) or item.url

    item.section = first("section", _section_candidates(page))
    item.title = first("title", _title_candidates(page))
    if item.title and methods["title"] != SELECTOR:
        item.title = strip_site_name(item.title, _site_names(page, item.title))
    if item.title and methods["title"] in (JSON_LD, META):
        heading = _h1_showing(page.selector, item.title) or _headline_heading(
            page.selector, item.title
        )
        alone = (
            heading is not None and _is_alone_in_article(page) and not page.publisher.named(heading)
        )
        shown = _shown_title(
            item.title,
            heading,
            alone_in_article=alone,
            titled=heading is not None
            and not page.publisher.named(heading)
            and _titles_heading(page, heading, item.title),
        )
        if shown != item.title:
            if not _same_headline(item.title, shown):
                item.seo_title, methods["seo_title"] = item.title, methods["title"]
            item.title, methods["title"] = shown, HTML
    published = first("published_at", _published_candidates(page))
    if published and published.at and methods["published_at"] in (JSON_LD, META):
        local = _time_in_the_right_zone(page, published.at)
        if local:
            published, methods["published_at"] = local, TIME
        else:
            published, methods["published_at"] = _metadata_time_shown(
                page, published, methods["published_at"]
            )
    if published and published.basis == "date_only" and methods["published_at"] in (JSON_LD, META):
        timed = _metadata_time(page, published)
        if timed:
            published, methods["published_at"] = timed, META
    if published and published.basis == "date_only":
        with_time = _with_shown_time(page, published)
        if with_time is not published:
            published, methods["published_at"] = with_time, HTML
    if published:
        item.published_at = published.at
        item.published_date = published.date
        item.published_basis = published.basis
    item.modified_at = first("modified_at", _modified_candidates(page))
    item.authors = first("authors", _author_candidates(page)) or []
    if any(" " not in author for author in item.authors):
        item.authors = _with_full_names(item.authors, page)
    if methods.get("authors") in (JSON_LD, META) and len(item.authors) > 1:
        item.authors = _without_other_credits(item.authors, page)
    item.lang = first("lang", _lang_candidates(page, lang))
    item.body = first("body", _body_candidates(page, item.title, item.authors)) or []
    item.lead = first("lead", _lead_candidates(page, item.title, item.body, methods.get("body")))
    item.tags = first("tags", _tag_candidates(page)) or []
    item.alternates = _alternates(page)
    if item.alternates:
        methods["alternates"] = HTML
    return item


def extraction_report(item: ArticleItem) -> list[tuple[str, object, str]]:
    """(field, value, method) for every field of `item`; method is "" when none applies."""
    rows = []
    for spec in fields(item):
        if spec.name == "methods":
            continue
        method_key = "published_at" if spec.name.startswith("published_") else spec.name
        rows.append((spec.name, getattr(item, spec.name), item.methods.get(method_key, "")))
    return rows


def language_code(value: str | None) -> str | None:
    """A language tag as its short lower-case code (`en-US` → `en`); None when not one."""
    if not value:
        return None
    found = _LANGUAGE.fullmatch(value.strip())
    if not found:
        return None
    code = found[1].lower()
    return None if code in _NOT_LANGUAGES else code


def _first(
    methods: dict[str, str],
    field: str,
    candidates: Iterator[tuple[str, T | None]],
    *,
    metadata_first: bool,
) -> T | None:
    """The first non-empty candidate value, noting its method under `field`.

    Candidates come selector first, then metadata, then `_FALLBACKS` and the fallbacks;
    with `metadata_first` a selector value waits until the metadata had its turn.
    """
    waiting = None
    for method, value in candidates:
        if method == _FALLBACKS[0] and waiting:
            break
        if not value or method == _FALLBACKS[0]:
            continue
        if method == SELECTOR and metadata_first:
            waiting = value
            continue
        methods[field] = method
        return value
    if waiting:
        methods[field] = SELECTOR
    return waiting


def page_zone(url: str, selector: Selector, metadata: PageMetadata) -> str:
    """The IANA zone a page of no known source tells of itself: the region of its language
    tags (`<html lang="de-AT">`, `og:locale`), else its country-code domain, checked against
    the UTC offsets of its own timestamps where the country has several zones; else UTC."""
    tags = [tag for tag in (metadata.lang, metadata.first_meta("og:locale")) if tag]
    guessed, _ = guess_time_zone(url, tags, page_timestamps(selector))
    return guessed or "UTC"


def _parse(html: str) -> Selector:
    """The page parsed once for every step, as HTML whatever it declares, without comments
    and without characters no XML tree may hold (lxml refuses them later, when attributes are
    read). Lone surrogates from a bad decode become "?"."""
    body = html.encode("utf-8", "replace").translate(None, _NOT_XML_BYTES)
    if _NONCHARACTER_LEAD in body:
        for noncharacter in _NONCHARACTERS:
            body = body.replace(noncharacter, b"")
    try:
        root = etree.fromstring(body, parser=_PAGE_PARSER)
    except etree.XMLSyntaxError:  # nothing to parse
        root = None
    if root is None:
        root = etree.fromstring(b"<html/>", parser=_PAGE_PARSER)
    return Selector(root=root, type="html")


def _strip_comments(root: etree._Element) -> None:
    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)


def _url_candidates(page: _Page) -> Iterator[tuple[str, str | None]]:
    """The canonical link, when it is an address on the same site other than its home page."""
    candidate = absolute_url(page.metadata.canonical or "", page.url)
    if candidate is None:
        return
    if not same_site(candidate, page.url):
        logger.warning("%s: canonical link to another site ignored: %s", page.url, candidate)
        return
    if urlsplit(candidate).path == "/" and urlsplit(page.url).path not in ("", "/"):
        return  # every page naming the home page as canonical is a site's mistake
    yield HTML, candidate


def _title_candidates(page: _Page) -> Iterator[tuple[str, str | None]]:
    yield SELECTOR, page.match("title")
    article = page.article
    yield JSON_LD, _plain(_ld_string(article.get("headline")) or _ld_string(article.get("name")))
    yield META, _plain(_meta_title(page))
    yield _FALLBACKS
    yield HTML, _titled_heading(page)
    yield HTML, _heading(page.selector)
    yield HTML, clean_text(page.selector.xpath("string(//title)").get())


def _meta_title(page: _Page) -> str | None:
    """The first title meta tag's value that is more than the site's name (a page may give
    `og:title` twice, "Robomow" then its headline)."""
    publisher = page.publisher
    values = (value for name in TITLE_META for value in page.metadata.all_meta(name))
    return next(
        (value for value in values if _squeezed(value) not in publisher.names | publisher.labels),
        None,
    )


def _titled_heading(page: _Page) -> str | None:
    """The first `<h1>`, else `<h2>`, else `<h3>` whose text is the page's `<title>` or one of
    its parts other than the site's name ("Headline | Section | Site", also with the bars
    unspaced, as Chinese and Japanese titles write them: "标题|栏目|网站"): the headline, where
    the first `<h1>` may be the site's logo or a skip link ("Navigation und Service")."""
    title = clean_text(page.selector.xpath("string(//title)").get())
    if not title:
        return None
    publisher = page.publisher
    parts = [title, *TITLE_SEPARATOR.split(title), *_GLUED_BAR.split(title)]
    keys = {match_key(part) for part in parts if not publisher.named(part)} - {""}
    for level in _HEADING_LEVELS:
        for node in select(page.selector, f"//{level}"):
            if _is_home_link(node):
                continue  # the site's name as its logo, whatever part of the title it is
            text = _heading_text(_without_kickers(node))
            if text and match_key(text) in keys:
                return text
    return None


def _heading(selector: Selector) -> str | None:
    """The text of the page's main `<h1>`, without a kicker or topline shown inside it; never
    an `<h1>` that is a link to the site's home page (its logo, where no `<header>` holds it)."""
    for xpath in _H1_XPATHS:
        for node in select(selector, xpath):
            if _is_home_link(node):
                continue
            text = _heading_text(_without_kickers(node))
            if text:
                return text
    return None


def _is_home_link(heading: etree._Element) -> bool:
    """Whether a heading is inside a link to the site's home page, or all its text is one."""
    if any(_links_home(link.get("href")) for link in heading.iterancestors("a")):
        return True
    text = _node_text(heading)
    return any(
        _links_home(link.get("href")) and _node_text(link) == text
        for link in heading.iterdescendants("a")
    )


def _links_home(href: str | None) -> bool:
    """Whether a link's address is a site's home page ("/", "https://site.example")."""
    parts = urlsplit((href or "").strip())
    if parts.query:
        return False
    return parts.path in _HOME_PATHS or (bool(parts.netloc) and not parts.path)


def _headline_heading(selector: Selector, title: str) -> str | None:
    """The page's main `<h1>`; on a page without one, the first heading that shows the
    metadata `title`, or it without the kicker glued in front ("Genetik: ..."): an `<h1>` in a
    `<header>` (the article's own header; a site's would hold its logo), else an `<h2>` or
    `<h3>`; else the first `<h1>` or `<h2>` rewording it (half the words of the longer)."""
    heading = _heading(selector)
    title_key = match_key(title)
    title_words = _title_words(title, title_key)
    if heading and not title_words & _title_words(heading, match_key(heading)):
        # the first <h1> a place or section ("Bangkok"), another the headline
        return _rewording(selector, "//h1", title) or heading
    if heading:
        return heading
    for level in _HEADLINE_LEVELS:
        for node in select(selector, f"//{level}")[:MAX_SUBHEADINGS]:
            text = _heading_text(_without_kickers(node))
            key = match_key(text)
            if text and (key == title_key or _kicker_glued(title, key)):
                return text
    return _rewording(selector, "//h1 | //h2", title)


def _rewording(selector: Selector, xpath: str, title: str) -> str | None:
    """The first heading `xpath` selects that rewords the metadata `title` (half the words of
    the longer in common), not the title with more around it (a date line, a site's name):
    the headline, reworded for search engines in the metadata."""
    title_key = match_key(title)
    title_words = _title_words(title, title_key)
    for node in select(selector, xpath)[:MAX_SUBHEADINGS]:
        text = _heading_text(_without_kickers(node)) or ""
        key = match_key(text)
        if title_key in key:
            continue
        words = _title_words(text, key)
        shared = len(title_words & words)
        if shared >= MIN_SHARED_TITLE_WORDS and shared >= SHARED_TITLE_WORDS * max(
            len(title_words), len(words)
        ):
            return text
    return None


def _h1_showing(selector: Selector, title: str) -> str | None:
    """The text of an `<h1>` that shows the metadata `title` (in the page's typography),
    wherever it stands: the page shows that title, whatever its other `<h1>`s say."""
    key = match_key(title)
    for node in select(selector, f"//h1{_NOT_BREADCRUMB}"):
        text = _heading_text(_without_kickers(node))
        if text and match_key(text) == key:
            return text
    return None


def _without_kickers(node: etree._Element) -> etree._Element:
    """`node`, or a copy of it without the elements a class names a kicker or hidden text;
    the element inside it that microdata marks as the headline, when there is one ('<h1><span
    class="article__subheadline">Family finances</span><br><span itemprop="headline">America’s
    huge stimulus ...</span></h1>')."""
    marked = _MARKED_HEADLINE(node)
    if len(marked) == 1 and _node_text(marked[0]):
        return marked[0]
    if not any(map(_is_kicker, node.iterdescendants())):
        return node
    copied = copy.deepcopy(node)
    for element in [element for element in copied.iterdescendants() if _is_kicker(element)]:
        parent = element.getparent()
        if parent is None:  # inside a kicker removed already
            continue
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + (element.tail or "")
        else:
            parent.text = (parent.text or "") + (element.tail or "")
        parent.remove(element)
    return copied


def _is_kicker(element: etree._Element) -> bool:
    return bool(_KICKER_CLASS.search(str(element.get("class") or "")))


def _shown_title(
    title: str, heading: str | None, *, alone_in_article: bool = False, titled: bool = False
) -> str:
    """The headline readers see, given the metadata `title` and the page's `<h1>` text.

    The `<h1>` wins when it is the same title in the page's own typography, when the
    metadata glues a kicker to its front ("Kicker: Headline"), when another of the page's
    titles is its text (`titled`: `og:title` or `<title>` beside a JSON-LD headline worded
    for search engines), and when it is another
    wording of the same headline (half the words of the shorter one in common), and when the
    metadata gives a single word of it (a topic's name); not when
    the `<h1>` glues a kicker to the metadata's title, or shares too few words with it (a
    site's name, another article's headline) unless it is the page's only `<h1>`, stands in
    its `<article>` (`alone_in_article`) and has MIN_HEADLINE_WORDS words: the headline, the
    metadata's an SEO title.
    """
    if not heading:
        return title
    title_key, heading_key = match_key(title), match_key(heading)
    kicker, headline = _kicker_split(title)
    if title_key == heading_key and kicker and _kicker_before(heading, headline):
        return _headline_words(heading, headline)  # the kicker on a line of its own
    if title_key == heading_key or _kicker_glued(title, heading_key):
        return heading
    if _kicker_glued(heading, title_key):
        return title
    if titled:
        return heading
    title_words, heading_words = _title_words(title, title_key), _title_words(heading, heading_key)
    if len(title_words) == 1 and title_words < heading_words:
        return heading  # a topic's name ("Arbeit") over "Wir kämpfen für gute Arbeit"
    shared = len(title_words & heading_words)
    shorter = min(len(title_words), len(heading_words))
    if shared >= MIN_SHARED_TITLE_WORDS and shared >= SHARED_TITLE_WORDS * shorter:
        return heading
    if alone_in_article and len(heading_words) >= MIN_HEADLINE_WORDS:
        return heading
    return title


def _titles_heading(page: _Page, heading: str, metadata_title: str) -> bool:
    """Whether a title meta tag or the `<title>` (or one of its parts) is the `heading`'s
    text: the page titles its headline so, whatever its JSON-LD says. Not a part before the
    metadata's title in the `<title>`: the site's or a section's name ("GALORE.de | Kultur |
    Literatur | 30.11. | Buch der Woche", the `<h1>` "Literatur")."""
    key = match_key(heading)
    metas = (value for name in TITLE_META for value in page.metadata.all_meta(name))
    title = clean_text(page.selector.xpath("string(//title)").get()) or ""
    start = title.find(metadata_title)
    if start > 0:
        title = title[start:]
    parts = [*metas, title, *TITLE_SEPARATOR.split(title)]
    return bool(key) and any(match_key(part) == key for part in parts)


def _is_alone_in_article(page: _Page) -> bool:
    """Whether the page has a single `<h1>`, inside an `<article>` (and no breadcrumb)."""
    return bool(page.selector.root.xpath(_ALONE_IN_ARTICLE))


def _title_words(title: str, key: str) -> set[str]:
    """The words of a title (by its match key `key`); for one in a script written without
    spaces (Japanese, Chinese, Thai), its pairs of letters."""
    if not _UNSPACED_SCRIPT.search(title):
        return set(key.split())
    letters = _NOT_LETTERS.sub("", title.lower())
    return {letters[index : index + 2] for index in range(len(letters) - 1)}


def _same_headline(title: str, headline: str) -> bool:
    """Whether `title` is `headline` in other typography, or followed by a site's name."""
    if match_key(title) == match_key(headline):
        return True
    return title.startswith(headline) and bool(TITLE_SEPARATOR.match(title, len(headline)))


def _kicker_glued(title: str, headline_key: str) -> bool:
    """Whether `title` is a short kicker, a separator and the headline (by its match key)."""
    kicker, headline = _kicker_split(title)
    return bool(kicker) and match_key(headline) == headline_key


def _kicker_before(heading: str, headline: str) -> bool:
    """Whether `heading` is a short kicker on a line of its own, then `headline`: no separator
    follows the kicker (`_heading_text` sets the lines apart: "Rentenreform Regierung
    beschließt ..."), as it does in one line of text ("Analysis: Why ...")."""
    heading_words, headline_words = heading.split(), headline.split()
    extra = len(heading_words) - len(headline_words)
    if not 0 < extra <= MAX_KICKER_WORDS or heading_words[extra - 1][-1] in _KICKER_MARKS:
        return False
    return match_key(_headline_words(heading, headline)) == match_key(headline)


def _kicker_split(title: str) -> tuple[str, str]:
    """A metadata title's short kicker and its headline ("Rentenreform: Regierung ..."), or
    no kicker and the whole title."""
    found = _KICKER_SEPARATOR.search(title)
    if not found or len(title[: found.start()].split()) > MAX_KICKER_WORDS:
        return "", title
    return title[: found.start()], title[found.end() :]


def _headline_words(heading: str, headline: str) -> str:
    """The last words of `heading`, as many as `headline` has: the headline after a kicker,
    in the page's own typography."""
    return " ".join(heading.split()[-len(headline.split()) :])


def _site_names(page: _Page, title: str) -> set[str]:
    """Names a title may carry around the headline: the site's name and host, whatever
    follows the `<h1>` text in `<title>`, the title's parts its host spells and those that
    are the site's declared name and a word or two more ("Aeon Essays" of "Aeon")."""
    names = {name for key in SITE_NAME_META if (name := page.metadata.first_meta(key))}
    publisher = json_ld_text(page.article.get("publisher"))
    if publisher:
        names.add(publisher)
    declared = set(names)
    host = site_host(page.url)
    names.update(filter(None, (host, host.split(".")[0])))
    for part in TITLE_SEPARATOR.split(title):
        if _spelled_by_host(part, host) or _extends_name(part, declared):
            names.add(part)
    title_tag = clean_text(page.selector.xpath("string(//title)").get()) or ""
    heading = _heading(page.selector)
    if heading and title_tag.startswith(heading):
        separator = TITLE_SEPARATOR.match(title_tag, len(heading))
        if separator:
            names.add(title_tag[separator.end() :])
    return names


def _extends_name(part: str, names: set[str]) -> bool:
    """Whether a title's part is one of `names` followed by one or two words: a site's name
    with its edition or section ("Aeon Essays" of "Aeon", "BBC Sport" of "BBC")."""
    words = len(part.split())
    return any(
        part.startswith(f"{name} ") and 1 <= words - len(name.split()) <= MAX_NAME_EXTENSION
        for name in names
    )


def _spelled_by_host(name: str, host: str) -> bool:
    """Whether `name` is the site's as its host spells it: "Koia" on drinkkoia.com, "JOHNSON'S®"
    on johnsonsbaby.com (its letters in the host's), "Rust Blog" on blog.rust-lang.org (each
    of its words one of the host's)."""
    words = match_key(_TRADE_MARKS.sub("", name)).split()
    tokens = [token for label in host.split(".")[:-1] for token in label.split("-") if token]
    squeezed = "".join(words)
    if len(squeezed) >= MIN_HOST_SPELLED and squeezed in "".join(tokens):
        return True
    return bool(words) and all(word in tokens for word in words)


def _published_candidates(page: _Page) -> Iterator[tuple[str, Published | None]]:
    for text in page.matches("published_at"):
        yield SELECTOR, _published(text, page.tz)
    raw = page.article.get("datePublished")
    published = _published(_ld_string(raw), page.tz)
    if published is None and raw not in (None, "", []):
        _unreadable_date(page.url, raw, "JSON-LD datePublished")
    yield JSON_LD, published
    for name in PUBLISHED_META:
        for value in page.metadata.all_meta(name):
            published = _published(value, page.tz)
            if published is None:
                _unreadable_date(page.url, value, f"meta {name}")
            yield META, published
    yield _FALLBACKS
    in_teaser = page.in_teaser
    for xpath in _TIME_XPATHS:
        for value in page.selector.root.xpath(xpath):
            if not in_teaser(value.getparent()):
                yield TIME, _published(str(value), page.tz)
    for text in page.selector.xpath("//time[not(@datetime)]//text()").getall():
        yield TIME, published_relative(text, page.fetched_at, page.tz)
    for method, published in _shown_dates(page):
        yield method, published
    yield HTMLDATE, _searched_day(page)
    yield HTML, _first_shown_day(page)


def _shown_dates(page: _Page) -> Iterator[tuple[str, Published]]:
    """The dates the page shows readers where no attribute holds them: a `<time>`'s text,
    then a byline's or date element's, the article's first (with their methods); never a
    teaser's of another article."""
    lang = language_code(page.metadata.lang)
    in_teaser = page.in_teaser
    yield from _dated_elements(page, _MARKED_DATE_XPATHS, lang, in_teaser)
    beside = _headline_day(page, lang)
    if beside:
        yield HTML, beside
    yield from _dated_elements(page, _DATE_CLASS_XPATHS, lang, in_teaser)


def _dated_elements(
    page: _Page,
    xpaths: tuple[tuple[str, str], ...],
    lang: str | None,
    in_teaser: Callable[[etree._Element], bool],
) -> Iterator[tuple[str, Published]]:
    """The dates shown in the short texts of the elements `xpaths` find (with their methods),
    none of a teaser's; a date without a time takes the time shown alone just after its
    element ("<time>May 15, 2020,</time><time>07:02pm EDT</time>")."""
    for method, xpath in xpaths:
        nodes = page.selected(xpath)[:MAX_SHOWN_DATE_NODES_READ]
        for node in islice(filterfalse(in_teaser, nodes), MAX_SHOWN_DATE_NODES):
            text = _node_text(node)
            if text and len(text) <= MAX_SHOWN_DATE_TEXT:
                published = published_shown(text, page.tz, lang)
                if published and not published.at and isinstance(node, etree._Element):
                    following = [str(text) for text in _FOLLOWING_TEXTS(node)]
                    published = _with_time_in_next_text(published, text, following, page.tz, lang)
                if published:
                    yield method, published


def _headline_day(page: _Page, lang: str | None) -> Published | None:
    """The date shown beside the headline: in the few short texts just after the main `<h1>`
    (up to the article's first longer text, whose opening may be a dateline), else just
    before it (a date line over the headline), nearest first; none labelled as an update (in
    its text or the one before it), none later than the fetch."""
    fetch_day = page.fetched_at.astimezone(zone(page.tz)).date().isoformat()
    after = _worded(page.selector.root.xpath(_AFTER_HEADLINE))[: HEADLINE_TEXTS + 1]
    before = _worded(page.selector.root.xpath(_BEFORE_HEADLINE))[-HEADLINE_TEXTS - 1 :]
    sides = (
        list(zip(after[:HEADLINE_TEXTS], ["", *after], strict=False)),
        list(reversed(list(zip(before, ["", *before], strict=False))[-HEADLINE_TEXTS:])),
    )
    for side in sides:
        for shown_text, label in side:
            text = " ".join(shown_text.split())
            if len(text) > MAX_SHOWN_DATE_TEXT or _UPDATED.search(f"{label} {text}"):
                break
            shown = published_shown(text[:DATELINE_CHARS], page.tz, lang)
            if shown and shown.date and shown.date <= fetch_day:
                return shown
            if len(text) > DATELINE_CHARS:
                break  # the article's text has begun: a date further on may be another's
    return None


def _worded(texts: list[str]) -> list[str]:
    """`texts` without those of fewer than MIN_WORDED_CHARACTERS letters and digits: the
    separators and "By" between a byline's names, which do not set a date further away."""
    return [text for text in texts if len(_WORD_CHARACTER.findall(text)) >= MIN_WORDED_CHARACTERS]


def _searched_day(page: _Page) -> Published | None:
    """The publication day htmldate finds in the page (its address, scripts, image names,
    free text) outside sidebars and navigation (dated lists of other articles), no later
    than the fetch: a day only, as its times are not checked. The first of a month is not
    taken: it is how htmldate gives a month or a year it found without a day ("February,
    2026", "© 2026")."""
    root = page.selector.root
    if not isinstance(root, HtmlElement):
        return None
    tree = copy.deepcopy(root)
    etree.strip_elements(tree, *_NOT_ARTICLE_TAGS, with_tail=False)
    for element in _NOT_ARTICLE_ROLES(tree):
        element.drop_tree()
    fetch_day = page.fetched_at.astimezone(zone(page.tz)).date()
    found = find_date(
        tree,  # a tree, never a string (a string that is an address is fetched)
        url=page.url,
        original_date=True,
        # its extensive search reads free text with dateparser in every language, whose
        # loading blocks the first page of a crawl for seconds
        extensive_search=False,
        max_date=datetime.combine(fetch_day, time.max),
    )
    if not found or found.endswith("-01"):
        return None
    return _published(found, page.tz)


def _first_shown_day(page: _Page) -> Published | None:
    """The first date no later than the fetch that the page's text shows after its `<h1>`
    (or anywhere, without one), outside sidebars, navigation, scripts and comments: for
    pages whose only date is in a byline no markup names ("Gunter Frank / 22.04.2020") or a
    dateline opening a paragraph ("27.1.2022 - Bei der ...")."""
    return next(_days_shown_in_text(page), None)


def _days_shown_in_text(page: _Page) -> Iterator[Published]:
    """The dates no later than the fetch that the page's text shows, in its order, as
    `_first_shown_day` reads them, none of a teaser's."""
    lang = language_code(page.metadata.lang)
    fetch_day = page.fetched_at.astimezone(zone(page.tz)).date().isoformat()
    in_teaser = page.in_teaser
    root = page.selector.root
    texts = _TEXTS_AFTER_HEADLINE(root) or _BODY_TEXTS(root)
    scanned = 0
    for index, text in enumerate(texts):
        if not text.strip() or (text.is_text and text.getparent().tag in _SKIPPED_TAGS):
            continue
        scanned += 1
        if scanned > MAX_SCANNED_TEXTS:
            return
        shown_text = text[:DATELINE_CHARS] if len(text) > MAX_SHOWN_DATE_TEXT else text
        shown = published_shown(shown_text, page.tz, lang)  # a long one: its dateline only
        if not shown or not shown.date or shown.date > fetch_day:
            continue
        element = text.getparent()
        holder = element if text.is_text else element.getparent()
        if holder is None or _IN_NOT_TEXT_ELEMENT(holder) or in_teaser(element):
            continue
        following = texts[index + 1 : index + 1 + MAX_TEXTS_BEFORE_TIME]
        yield _with_time_in_next_text(shown, shown_text, following, page.tz, lang)


def _with_time_in_next_text(
    shown: Published, text: str, following: list[str], tz: str, lang: str | None
) -> Published:
    """A date shown without a time of day with the time the next text shows alone ("December
    14, 2016" then "2:24 pm" in the element after it); `shown` as it is otherwise."""
    next_text = next((part.strip() for part in following if part.strip()), "")
    if shown.at or not _LONE_TIME.fullmatch(next_text):
        return shown
    return published_shown(f"{text.strip()} {next_text}", tz, lang) or shown


def _time_in_the_right_zone(page: _Page, at: str) -> Published | None:
    """The page's own time in a zone other than UTC (a `<time datetime>`, its microdata
    `datePublished`) when the metadata time `at` (UTC) is off from it by exactly that zone's
    offset, as metadata writing the local clock marked UTC ("20:00Z" beside "20:00+09:00") or
    the UTC clock marked with the local offset ("19:11-04:00" beside "15:11-04:00") is; None
    when there is no such time."""
    metadata = parse_timestamp(at)
    if metadata is None or metadata.utcoffset() is None:
        return None
    for value in page.selector.xpath(_OWN_TIMES).getall():
        moment = parse_timestamp(value)
        offset = moment.utcoffset() if moment else None
        if moment and offset and abs(abs(metadata - moment) - abs(offset)) < _MINUTE:
            return published_exact(moment, page.tz)
    return None


def _metadata_time_shown(page: _Page, published: Published, method: str) -> tuple[Published, str]:
    """Where the page's metadata gives publication times more than a minute apart (JSON-LD
    "09:09:17Z", `article:published_time` "09:08:08+02:00"), the one that is the time the page
    shows readers, read in its zone ("13 gusht 2020, 09:08" in Pristina); else `published`."""
    assert published.at is not None
    chosen = parse_timestamp(published.at)
    given = [
        (found, moment)
        for found, value in _metadata_times(page)
        if (moment := parse_timestamp(value)) and moment.utcoffset() is not None
    ]
    if chosen is None or all(abs(moment - chosen) <= _MINUTE for _, moment in given):
        return published, method
    shown = next((found for found in _dates_shown_first(page) if found and found.at), None)
    shown_at = parse_timestamp(shown.at) if shown and shown.at else None
    if shown_at is None:
        return published, method
    for found, moment in given:
        if moment.replace(second=0, microsecond=0) == shown_at.replace(second=0, microsecond=0):
            return published_exact(moment, page.tz), found
    return published, method


def _metadata_times(page: _Page) -> Iterator[tuple[str, str]]:
    """The publication times the page's JSON-LD and meta tags give, with where each is."""
    value = _ld_string(page.article.get("datePublished"))
    if value:
        yield JSON_LD, value
    for name in PUBLISHED_META:
        for value in page.metadata.all_meta(name):
            yield META, value


def _metadata_time(page: _Page, published: Published) -> Published | None:
    """The time a publication meta tag gives on the day a date-only metadata value gives
    ("2020-03-23" in JSON-LD beside `parsely-pub-date` "2020-03-23T17:10:08Z"); None when
    none does."""
    for _, value in _metadata_times(page):
        found = _published(value, page.tz)
        if found and found.at and found.date == published.date:
            return found
    return None


def _with_shown_time(page: _Page, published: Published) -> Published:
    """A date-only publication date with the time of day the page shows for that date (among
    the first dates it shows, else the first date its text shows after the headline)."""
    for shown in _dates_shown_first(page):
        if shown and shown.at and shown.date == published.date:
            return shown
    return published


def _dates_shown_first(page: _Page) -> Iterator[Published | None]:
    """The first dates the page shows in marked elements, then the first its text shows
    after the headline, each read only when asked for."""
    for _, shown in islice(_shown_dates(page), MAX_SHOWN_DATES_FOR_TIME):
        yield shown
    yield from islice(_days_shown_in_text(page), MAX_SHOWN_DATES_FOR_TIME)


def _unreadable_date(url: str, value: Any, where: str) -> None:
    shown = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    logger.warning("%s: publication date unreadable: %s (%s), ignored", url, shown, where)


def _modified_candidates(page: _Page) -> Iterator[tuple[str, str | None]]:
    def moment(value: str | None) -> str | None:
        published = _published(value, page.tz)
        return published.at if published else None

    for text in page.matches("modified_at"):
        yield SELECTOR, moment(text)
    yield JSON_LD, moment(_ld_string(page.article.get("dateModified")))
    for name in MODIFIED_META:
        for value in page.metadata.all_meta(name):
            yield META, moment(value)


def _published(value: str | None, tz: str) -> Published | None:
    """A timestamp or a bare date as Published; None when it is no possible date."""
    if not value or not value.strip():
        return None
    text = padded_iso_date(value.strip())
    try:
        if _DATE_ONLY.fullmatch(text):
            return published_date_only(date.fromisoformat(text))
        published = published_exact(text, tz)
    except (ValueError, OverflowError):
        return None
    return published if published.date else None


def _author_candidates(page: _Page) -> Iterator[tuple[str, list[str] | None]]:
    yield SELECTOR, _names(page.matches("authors"))
    article = page.article
    publisher = page.publisher
    written = page.metadata.resolved(article.get("author") or article.get("creator"))
    yield JSON_LD, _people(_ld_texts(written), page, publisher)
    for name in AUTHOR_META:
        values = page.metadata.all_meta(name)
        if name in _CITATION_AUTHOR_META:
            values = _citation_names(values)
        people = _people(values, page, publisher)
        yield META, [] if _copyright_holders(people, page, publisher) else people
    yield _FALLBACKS
    yield HTML, _byline_people(page, publisher)
    yield HTML, _reporter_line(page, publisher)
    yield META, _people(_twitter_authors(page.metadata), page, publisher)
    yield HTML, _site_credited(page, publisher)
    yield HTML, _dated_name(page, publisher)
    yield META, _site_owner(page, publisher)


def _reporter_line(page: _Page, publisher: _Publisher) -> list[str]:
    """The reporters a text of the page names as Korean and Chinese bylines do
    (`_reporters`), when no element is marked as a byline: "이용민 기자 |" over the story,
    "김지혜 기자 kim.jihye6@joongang.co.kr" under it; not a teaser's, a sidebar's or a
    comment's. Pages declaring another language are not searched (the search reads every
    text of the page)."""
    if language_code(page.metadata.lang) not in (None, *_REPORTER_LANGUAGES):
        return []
    in_teaser = page.in_teaser
    for text in _REPORTER_TEXTS(page.selector.root):
        # a long text, a story's paragraph, may open with a wire's byline
        reporters = [
            name for name in _reporters(text[:MAX_LABEL_TEXT]) if not publisher.named(name)
        ]
        if not reporters:
            continue
        element = text.getparent()
        holder = element if text.is_text else element.getparent()
        if holder is None or _IN_NOT_TEXT_ELEMENT(holder) or in_teaser(element):
            continue
        return reporters[:MAX_BYLINE_PEOPLE]
    return []


def _dated_name(page: _Page, publisher: _Publisher) -> list[str]:
    """The people a text beside the headline names on its own, when nothing else names an
    author: the first text just under the headline ("<h1>…</h1><div><img><span>Jennifer
    Simonazzi</span></div>"), or one next to the date shown there (under the lead "<p>Elliot
    Raba</p>" over "<p>23.07.2025 · 6 min read</p>"; "<p>Naftali Tishby, Fernando C. Pereira,
    William Bialek</p>" over "<time>24 Apr 2000</time>"). Every name reads as a person's,
    most open with a given name (`_read_as_people`), none is the publisher's."""
    for xpath in (_AFTER_HEADLINE, _BEFORE_HEADLINE):
        nodes = _worded(page.selector.root.xpath(xpath))
        texts = [clean_text(text) or "" for text in nodes]
        for index, text in enumerate(texts):
            if len(text) > MAX_BYLINE_LENGTH or publisher.named(text):
                continue
            # a date line ending with the names: "04.02.2022 | 13:10 Uhr | Uta Helkenberg"
            parts = _BYLINE_BREAK.split(text)
            dated = len(parts) > 1 and shown_date_start(text) == 0
            named = parts[-1] if dated else text
            if label := _BYLINE_LABEL.match(named):
                named = named[label.end() :]  # "Von A", not "Foto: A"
            names = [name for part in _LIST_SEPARATOR.split(named) for name in _split_names(part)]
            if not _read_as_people(names, page):
                continue
            # the first text alone only as plain text: a link or a list item there may be a
            # list of the site's authors or a link to another site
            first = xpath == _AFTER_HEADLINE and index == 0 and _is_plain_text(nodes[index])
            near = texts[max(0, index - 1) : index + 2]
            if (
                dated
                or first
                or any(shown_date_start(other) is not None for other in near if other != text)
            ):
                return names[:MAX_BYLINE_PEOPLE]
    return []


def _is_plain_text(text: str) -> bool:
    """Whether a text node of the page stands in no link and no list item."""
    parent = getattr(text, "getparent", lambda: None)()
    return parent is not None and not _IN_LINK_OR_LIST(parent)


def _read_as_people(names: list[str], page: _Page) -> bool:
    """Whether `names` read as people's, not as a brand's or a heading's words: each has a
    person's name's shape, none has a later word the page writes in small letters, and most
    open with a given name ("Naftali" of "Naftali Tishby" is none in the lists)."""
    if not names or not all(map(_is_person_name, names)):
        return False
    if any(_written_as_words(name, page) for name in names):
        return False
    given = sum(is_given_name(name.split()[0]) for name in names)
    return given * 2 > len(names)


def _site_owner(page: _Page, publisher: _Publisher) -> list[str]:
    """The person a personal site is named for, when nothing names an author: the site's
    declared name ("Polly Barks" on pollybarks.com), its copyright line's holder ("© 2025
    Toby Hede" on tobyhede.com) or the words of its link home ("<a href="/">Christoffer
    Artmann</a>" heading artmann.co), read as a person's name opening with a given name (not
    a brand's, "Quiet Light") whose whole or surname the host spells."""
    declared = [page.metadata.first_meta(key) for key in SITE_NAME_META]
    holders = [found["name"] for found in map(_COPYRIGHT_LINE.search, _footer_texts(page)) if found]
    for name in (*declared, *holders, *_home_link_texts(page)):
        name = clean_text(name)
        if (
            name
            and {_squeezed(name), _squeezed(name.split()[-1])} & publisher.labels
            and _read_as_people([name], page)
        ):
            return [name]
    return []


def _home_link_texts(page: _Page) -> list[str]:
    """The texts of the page's links to its site's home page, in page order."""
    parts = urlsplit(page.url)
    home = f"{parts.scheme}://{parts.netloc}"
    links = _HOME_LINKS(page.selector.root, home=home, slashed=f"{home}/")
    return [text for link in links if (text := clean_text(link.text_content()))]


def _written_as_words(name: str, page: _Page) -> bool:
    """Whether a word of `name` after the first stands in the page's text in small letters,
    as a word of its language does ("Asia Pacific Star" beside "star-studded"); a surname
    ("McCravy") does not, and a given name may ("learn with elizabeth", a menu in small
    letters)."""
    return any(word.lower() in page.small_letter_words for word in name.split()[1:])


def _footer_texts(page: _Page) -> list[str]:
    """The texts of the page's footers."""
    return [text for footer in page.selected("//footer") for text in _blocks(footer)]


def _site_credited(page: _Page, publisher: _Publisher) -> list[str]:
    """The site's own name when the visible byline credits it with the text and no one else
    ("By Block Renovation", "Written By <a>Christine Haynes</a>" on christinehaynes.com):
    only metadata giving the publisher's name ("BBC News") names no author."""
    shown = _byline_people(page, _Publisher(set(), set(), ""))
    return shown if shown and all(publisher.named(name) for name in shown) else []


def _citation_names(values: list[str]) -> list[str]:
    """The names `citation_author` tags give, one a tag (or several split by semicolons),
    those written "Last, First" as "First Last" ("Roy, Aniruddha": "Aniruddha Roy")."""
    names = []
    for value in values:
        for name in value.split(";"):
            last, comma, given = name.partition(",")
            words = given.split()
            if (
                comma
                and words
                and "," not in given
                and all(word[0].isupper() for word in words)
                and given.strip().lower().rstrip(".") not in _NAME_SUFFIXES
            ):
                name = f"{given.strip()} {last.strip()}"
            names.append(name)
    return names


def _copyright_holders(people: list[str], page: _Page, publisher: _Publisher) -> bool:
    """Whether metadata's `people` are the page's copyright holder (its `copyright` or
    `dc.rights` meta names each: "Copyright (c) Condé Nast 2021") while the visible byline
    names someone else: the publishing company, not the writer."""
    rights = " ".join(value for name in COPYRIGHT_META for value in page.metadata.all_meta(name))
    if not people or not rights:
        return False
    key = f" {match_key(rights)} "
    if not all(f" {match_key(person)} " in key for person in people):
        return False
    shown = _byline_people(page, publisher)
    return bool(shown) and not set(shown) & set(people)


def _twitter_authors(metadata: PageMetadata) -> list[str]:
    """The `twitter:dataN` values whose `twitter:labelN` says they are the author ("Written
    by", as WordPress' Yoast writes it)."""
    return [
        data
        for number in range(1, MAX_TWITTER_LABELS + 1)
        if (label := metadata.first_meta(f"twitter:label{number}"))
        and label.strip().lower() in _AUTHOR_LABELS
        and (data := metadata.first_meta(f"twitter:data{number}"))
    ]


def _with_full_names(authors: list[str], page: _Page) -> list[str]:
    """`authors` with each one-word name ("Stefanus") or login written as one word
    ("mikecason") replaced by the full name the page's byline or author box shows starting
    with it or spelling it ("Stefanus Stahl", "Mike Cason"), that a link to the author's
    page named by that login shows (`/author/officialrajdeepsingh/`: "Rajdeep Singh"), or
    that the article is signed with ("Written by Linda McCall")."""
    shown = _byline_people(page, page.publisher)
    return [
        next(
            (
                name
                for name in shown
                if " " in name
                and (name.startswith(f"{author} ") or _squeezed(name) == _squeezed(author))
            ),
            None,
        )
        or _linked_name(author, page)
        or _signed_name(author, page)
        or author
        if " " not in author
        else author
        for author in authors
    ]


def _signed_name(given: str, page: _Page) -> str | None:
    """The full name opening with `given` that a text of the page signs the article with
    whole ("<p>Written by Linda McCall</p>" in a post whose byline shows "Linda")."""
    for text in _SIGNATURE_TEXTS(page.selector.root, given=f"{given} "):
        found = _SIGNATURE.fullmatch(text.strip())
        name = found["name"] if found else ""
        if name.startswith(f"{given} ") and _read_as_people([name], page):
            return name
    return None


def _linked_name(login: str, page: _Page) -> str | None:
    """The person's name a link to `login`'s author page on the page's own site shows, one
    of whose words the login spells (not a link's words such as "Alle Beiträge", all posts,
    to `/autoren/peta-team/`)."""
    key = login.casefold()
    spelled = _squeezed(login)
    for link in page.author_links:
        href = link.get("href") or ""
        if href.rstrip("/").rsplit("/", 1)[-1].casefold() != key:
            continue
        url = absolute_url(href, page.url)
        name = clean_text(link.text_content()) or ""
        words = (_squeezed(word) for word in name.split())
        if not any(len(word) > 2 and word in spelled for word in words):
            continue
        if url and same_site(url, page.url) and _is_person_name(name):
            return name
    return None


def _without_other_credits(authors: list[str], page: _Page) -> list[str]:
    """`authors` without those the page credits only for other work than the text
    ("Photographed by A", "Foto: A"), as metadata listing every contributor names them; all
    of them when the page credits every one so."""
    writers = [author for author in authors if not _credited_otherwise_only(author, page)]
    return writers or authors


def _credited_otherwise_only(name: str, page: _Page) -> bool:
    """Whether every time the page shows `name`, it credits them for other work."""
    shown = re.findall(rf"\b{re.escape(name)}\b", page.visible_text, re.IGNORECASE)
    credited = re.findall(rf"{_OTHER_CREDIT}{re.escape(name)}\b", page.visible_text, re.IGNORECASE)
    return bool(credited) and len(credited) == len(shown)


def _ld_texts(value: Any) -> list[str]:
    """A JSON-LD value that may be a list, as its texts (names as written, unsplit)."""
    values = value if isinstance(value, list) else [value]
    return [text for item in values if (text := json_ld_text(item))]


@dataclass
class _Publisher:
    """What names the page's publisher: its names' keys without spaces, its host's labels."""

    names: set[str]
    labels: set[str]
    host: str

    @classmethod
    def of(cls, page: _Page) -> _Publisher:
        host = site_host(page.url)
        named = [page.metadata.first_meta(key) for key in SITE_NAME_META]
        # a person's site may name its owner its publisher, and the author: who is no brand
        named += [
            name
            for key in PUBLISHER_META
            if (name := page.metadata.first_meta(key)) and not is_given_name(name.split()[0])
        ]
        publisher = json_ld_text(page.article.get("publisher"))
        microdata = _microdata_publisher_names(page.selector.root)
        given = [name for name in (*named, publisher, *microdata) if name]
        # a site name with a tagline or place after a bar: "Townsquare Interactive | Charlotte, NC"
        heads = [TITLE_SEPARATOR.split(name, maxsplit=1)[0] for name in given]
        names = {_squeezed(name) for name in (*given, *heads, host)}
        labels = {_squeezed(label) for label in host.split(".")[:-1] if len(label) > 1}
        return cls(names - {""}, labels - {""}, host)

    def named(self, name: str) -> bool:
        """Whether `name` is the publisher's ("SPIEGEL ONLINE", "STERN.de", "BBC News")."""
        if self.host and self.host in name.lower():
            return True
        head = TITLE_SEPARATOR.split(name, maxsplit=1)[0]
        if head != name and self.named(head):  # "L-MAG – Das Magazin für Lesben"
            return True
        key = _squeezed(name)
        if key in self.names or key in self.labels:
            return True
        if any(
            (len(label) >= MIN_PUBLISHER_PREFIX and key.startswith(label))
            or key == label + suffix
            or label == key + suffix
            or key == suffix + label
            for label in self.labels | self.names
            for suffix in _PUBLISHER_AFFIXES
        ):
            return True
        bare = _POSSESSIVE.sub("", name)  # "xelz's blog" on xelz.info
        return bare != name and self.named(bare)

    def excludes(self, name: str) -> bool:
        """Whether `name` is the publisher's, not an author's: named by it, and not a personal
        site's owner (`owner`)."""
        return self.named(name) and not self.owner(name)

    def owner(self, name: str) -> bool:
        """Whether `name` is a person's whom the host spells whole, as one of its labels
        ("simonsarris.substack.com") or as one label a word ("anisse.astier.eu"), and no
        declared site name names, unless each word is a label of its own ("sam.bossley.com"
        named "Sam Bossley"): a personal site's owner, who writes it, not its brand."""
        if not _is_person_name(name):
            return False
        words = name.split()
        if all(_squeezed(word) in self.labels for word in words):
            # "BBC News" on news.bbc.co.uk is the site's
            return not any(word.lower() in _PUBLISHER_AFFIXES for word in words)
        key = _squeezed(name)
        return key in self.labels and key not in self.names


def _microdata_publisher_names(root: etree._Element) -> list[str]:
    """The names a page's microdata gives its publisher ('<div itemprop="publisher" itemscope
    ...><meta itemprop="name" content="Faro de Vigo">'), not those of items nested in it (its
    navigation's links)."""
    names = []
    for publisher in _MICRODATA_PUBLISHERS(root):
        for element in _MICRODATA_NAMES(publisher):
            item = next(up for up in element.iterancestors() if up.get("itemscope") is not None)
            if item is publisher:
                names.append(element.get("content") or "".join(element.itertext()))
    return names


def _squeezed(name: str) -> str:
    return match_key(name).replace(" ", "")


def _people(values: Iterable[str], page: _Page, publisher: _Publisher) -> list[str]:
    """The people named in author values as written ("By A and B, AP Writer", "Jane Doe
    (jd)", "jd@site.example"): split, without prefixes, desk codes, job titles, credentials
    or the publisher's own name; an e-mail address becomes the name the page links to it; a
    credit for the site ("Developed By A") or a dateline in brackets names no author."""
    people: list[str] = []
    for value in values:
        if _SITE_CREDIT.match(value) or _BRACKETED.fullmatch(value):
            continue
        reporters = _reporters(value)
        if reporters:
            people.extend(name for name in reporters if not publisher.named(name))
            continue
        parts = [
            name
            for part in _LIST_SEPARATOR.split(_email_name(_plain(value) or "", page) or "")
            for name in _slash_names(part)
        ]
        for index, part in enumerate(parts):
            if _OTHER_ROLE.match(part.strip()):
                continue
            if _SCHEMELESS_ADDRESS.fullmatch(part.strip()):
                part = f"https://{part.strip()}"
            if "://" in part or part.lstrip().startswith("/"):
                part = _profile_name(part.strip(), page) or ""
            # beside a person, a name the site's host spells is the publisher's, not an owner's
            # ("Charlie Wood, Business Insider")
            beside = bool(index or people)
            if publisher.excludes(part) or (beside and publisher.named(part)):
                continue
            # "Desk - ICI.Radio-Canada.ca" is the publisher's, "Jane Doe - Remote Jobs" hers
            part = _WRITTEN_FOR_OR_WITH.sub("", _without_tagline(part))
            if index and (_names_a_job(part) or _names_a_body(part)):
                break  # "A, Senior Staff Technologist, ACLU Project": the rest is about A
            bare = _without_capitals_affiliation(_HANDLE.sub("", _strip_byline_prefix(part)))
            for name in _split_names(bare):
                role = _DESK_CODE.search(name)
                if role and _names_other_work(role.group()):
                    continue  # "B (Fotos)" beside "A (Text)"
                name = name[: role.start()] if role else name
                if publisher.excludes(name) or (beside and publisher.named(name)):
                    continue
                if index and not _is_person_name(name):
                    continue
                if _names_a_company(name):
                    continue
                if _LOGIN.fullmatch(name):
                    name = _shown_name(name, page) or ""
                if name:
                    people.append(name)
    return _names(people)


def _slash_names(part: str) -> list[str]:
    """An author value's part split at slashes when a person's name comes first ("Max
    Mustermann/Erika Musterfrau", "Max Mustermann / dpa"); kept whole otherwise: an address,
    a path, agencies' or editors' codes ("dpa/AFP", "asty/kab")."""
    if "://" in part or part.strip().startswith("/") or "." in part:
        return [part]
    names = _NAME_SLASH.split(part)
    return names if len(names) > 1 and _is_person_name(names[0].strip()) else [part]


def _names_other_work(credit: str) -> bool:
    """Whether a credit beside a name ("(Fotos)", "(photos)") is for other work than the text."""
    return credit.strip(" ()").casefold() in _OTHER_CREDITS


def _reporters(text: str) -> list[str]:
    """The reporters a Korean, Chinese or Japanese byline names, when `text` is one:
    "홍길동·김철수 기자" (their names, then their title), "[서울=뉴시스]홍길동 기자 = ..." (a
    wire story's opening), "本报记者 张三 李四" (the title, then the names), "【ワシントン=山田
    太郎】" (a Japanese paper's dateline and reporter, opening the story)."""
    korean = _KOREAN_REPORTER.match(text)
    if korean:
        names = _KOREAN_NAME_SEPARATOR.split(korean["names"])
    elif chinese := _CHINESE_REPORTERS.match(text):
        names = chinese["names"].split()
    elif japanese := _JAPANESE_SIGNATURE.match(text):
        names = japanese["names"].split("、")
    else:
        return []
    # a list of names ends where the story begins ("北京报道")
    return list(takewhile(_is_cjk_name, names))


def _names_a_company(name: str) -> bool:
    """Whether `name` is a company's: closed by a legal form ("mediagene Inc.", "Global Media
    Group"), holding one before its address ("Web Commerce GmbH www.w-commerce.de") or
    holding a Japanese one ("株式会社インプレス")."""
    *words, last = (word.lower().rstrip(".,") for word in name.split())
    return (
        last in _COMPANY_FORMS
        or any(word in _COMPANY_FORMS and word != "group" for word in words)
        or bool(_JAPANESE_COMPANY.search(name))
    )


def _without_capitals_affiliation(value: str) -> str:
    """A name in capitals without the outlet written after it in small letters, as
    newspapers print a wire story's byline ("By JANE DOE Associated Press": "By JANE DOE")."""
    words = value.split()
    capitals = list(takewhile(str.isupper, words))
    rest = words[len(capitals) :]
    spelled = [word for word in capitals if sum(map(str.isalpha, word)) > 1]  # no initials
    if len(spelled) >= MIN_NAME_WORDS and rest and all(_is_title_case(word) for word in rest):
        return " ".join(capitals)
    return value


def _is_title_case(word: str) -> bool:
    """Whether a word opens with a capital and goes on in small letters ("Associated")."""
    return word[0].isupper() and word[1:].islower()


def _without_tagline(value: str) -> str:
    """A person's name with what follows it after a spaced dash left out ("Andrea Valeria -
    Remote Jobs", "Jane Doe \u2013 The Times"): people are joined by "and" or commas."""
    first = _SPACED_DASH.split(value.strip(), maxsplit=1)[0]
    return (
        first if first != value.strip() and _is_person_name(_strip_byline_prefix(first)) else value
    )


def _byline_people(page: _Page, publisher: _Publisher) -> list[str]:
    """The people a visible byline names, when the page's metadata names none: those of the
    first byline element naming anyone, and of its siblings ("By <a>A</a> and <a>B</a>")."""
    in_teaser = page.in_teaser
    for xpath in _BYLINE_XPATHS:
        nodes = [
            node
            for node in page.selected(xpath)
            if not isinstance(node, str) and not in_teaser(node)
        ]
        first = next((node for node in nodes if _node_people(node, page, publisher)), None)
        if first is not None:
            parent = first.getparent()
            siblings = [node for node in nodes if node is first or node.getparent() is parent]
            people = [name for node in siblings for name in _node_people(node, page, publisher)]
            return _without_variants(_unique(people))[:MAX_BYLINE_PEOPLE]
    paragraphs = (
        (node, text)
        for node in page.selected(_BYLINE_PARAGRAPHS)
        if isinstance(node, etree._Element)
        for text in _blocks(node)
    )
    for node, text in chain(paragraphs, _lone_label_bylines(page), page.labelled_texts[1]):
        if in_teaser(node):
            continue
        label = _BYLINE_LABEL.match(text)
        if label:
            # cut where a marked byline is cut: "By A \u22c5 Review Editor", "By A | Photos"
            named = _texts_people([text[label.end() :]], page, publisher)
            if named:
                return named[:MAX_BYLINE_PEOPLE]
    return _author_link_people(page, publisher, in_teaser)


def _author_link_people(
    page: _Page, publisher: _Publisher, in_teaser: Callable[[etree._Element], bool]
) -> list[str]:
    """The people named by the first link to an author's page on the page's own site
    (`/author/jane-doe`) that shows a person's name, when nothing is marked as a byline
    ("<p><strong><a href="/authors/Jane+Doe">Jane Doe</a></strong> - 12/03/2026</p>"), and by
    the links beside it ("By <a>A</a> and <a>B</a>"); never one in a menu, list, sidebar,
    footer, comment or teaser of another article."""
    first: etree._Element | None = None
    people: list[str] = []
    for link in page.author_links:
        if in_teaser(link):
            continue
        url = absolute_url(link.get("href") or "", page.url)
        if not url or not same_site(url, page.url):
            continue
        if first is not None and link.getparent() is not first.getparent():
            continue
        if first is None and _in_running_text(link):
            continue
        named = _texts_people([clean_text(link.text_content()) or ""], page, publisher)
        if named:
            first = link if first is None else first
            people.extend(named)
    return _unique(people)[:MAX_BYLINE_PEOPLE]


def _in_running_text(link: etree._Element) -> bool:
    """Whether a link stands inside a sentence of a long paragraph ("... experts, including
    <a href="/profile/lewis-ziska">Lewis Ziska</a>, PhD, from ..."): a person the text
    mentions, not its byline."""
    paragraph = next((up for up in link.iterancestors() if up.tag == "p"), None)
    if paragraph is None:
        return False
    text = clean_text(paragraph.text_content()) or ""
    before = "".join(_text_before(link, paragraph)).strip()
    return len(text) > MAX_BYLINE_LENGTH and any(letter.isalpha() for letter in before)


def _text_before(node: etree._Element, holder: etree._Element) -> Iterator[str]:
    """The texts of `holder` before `node`, in page order."""
    for event, element in etree.iterwalk(holder, events=("start", "end")):
        if element is node:
            return
        if event == "start" and element.text:
            yield element.text
        elif event == "end" and element is not holder and element.tail:
            yield element.tail


def _is_box(element: etree._Element) -> bool:
    """Whether an element is a list item or an article, by its tag or its ARIA role (site
    builders lay out a list of cards as `<div role="listitem">`)."""
    return element.tag in ("li", "article") or element.get("role") in ("listitem", "article")


def _teaser_test(page: _Page) -> Callable[[etree._Element], bool]:
    """A test of whether a list item or article is a teaser of another article: it is short
    and has headings, each a link to another page than this one (an article's own text may
    hold a heading linking to a related one): a link in or around the heading, or one of the
    box titled with the heading's words, as a card lays a link over itself ('<h1>A</h1> ...
    <a title="A" href="/a"></a>'); without headings, a list item led by a link of a few words
    to another page (related pieces listed with their bylines)."""

    def path(href: str) -> str | None:
        url = absolute_url(href, page.url)
        return urlsplit(url).path.rstrip("/") if url else None

    own_paths = {path(page.url), path(page.metadata.canonical or "")}

    def links_elsewhere(heading: etree._Element, box: etree._Element) -> bool:
        hrefs = heading.xpath("self::a/@href | .//a/@href | ancestor::a/@href")
        words = clean_text(heading.text_content())
        if words:
            titled = (link for link in box.iter("a") if _link_title(link) == words)
            hrefs += [link.get("href") or "" for link in titled]
        paths = (path(href) for href in hrefs)
        return any(found is not None and found not in own_paths for found in paths)

    def is_teaser(box: etree._Element) -> bool:
        if _WORD_COUNT(box) > MAX_TEASER_WORDS:
            return False
        headings = _HEADINGS(box)
        if not headings:
            # a list's item led by a link to another article, its headline ("<li><a
            # href="/news/other/">Die Opfer nicht vergessen</a><div class="autor">...")
            listed = box.tag == "li" or box.get("role") == "listitem"
            lead = next(box.iter("a"), None)
            return (
                listed
                and lead is not None
                and len((clean_text(lead.text_content()) or "").split())
                >= MIN_LINKED_HEADLINE_WORDS
                and links_elsewhere(lead, box)
            )
        return all(links_elsewhere(heading, box) for heading in headings)

    return is_teaser


def _link_title(link: etree._Element) -> str | None:
    """The words a link's `title` (else `aria-label`) gives it."""
    return clean_text(link.get("title") or link.get("aria-label"))


def _lone_label_bylines(page: _Page) -> Iterator[tuple[etree._Element, str]]:
    """The short elements starting with a lone byline label, with their text: the label's
    own element when the name follows inside it, else its parent (its parts read apart:
    "<span>By</span><span><a>J.R. Stone</a></span>"), else (when the parent also holds a
    biography) the label followed by the next element's text ("<div>Written
    by</div><div>Jack Shepherd</div><div>Hi! I'm Jack, ...</div>"), or the label opening a
    longer line followed by the element after it; never a line of a fact sheet
    (`_among_facts`)."""
    for node in page.labelled_texts[0]:
        if isinstance(node, etree._Element):
            label = _node_text(node) or ""
            element = node.getparent() if label in _LONE_LABELS else node
            if element is not None and _among_facts(element):
                continue
            # the names a list gives one an item stay apart ("Author(s)" over <li>s)
            blocks = _text_blocks(element, unglued=True) if element is not None else []
            text = "\n".join(cleaned for block in blocks if (cleaned := clean_text(block)))
            if element is not None and len(text) <= MAX_BYLINE_LENGTH:
                yield element, text
            elif label in _LONE_LABELS and (following := node.getnext()) is not None:
                name = _node_text(following) or ""
                if len(name) <= MAX_BYLINE_LENGTH:
                    yield node, f"{label} {name}"
            elif (lead := clean_text(node.text)) in _LONE_LABELS and len(node):
                # the label opens a longer line, the name in the element after it ("<p>Autor:
                # <a>Klausmartin Friedrich</a> Tags: <a>1907</a>, ...</p>")
                name = _node_text(node[0]) or ""
                if len(name) <= MAX_BYLINE_LENGTH:
                    yield node, f"{lead} {name}"


def _among_facts(element: etree._Element) -> bool:
    """Whether an element is a line of a fact sheet, between lines that are labelled too: a
    book's ("Seiten: 400 Seiten" / "Autorin: Alys Arden" / "Verlag: ..."), whose author is
    not the article's."""
    around = (element.getprevious(), element.getnext())
    return all(
        line is not None and _FACT_LABEL.match(_node_text(line) or "") is not None
        for line in around
    )


def _node_people(node: etree._Element, page: _Page, publisher: _Publisher) -> list[str]:
    """The people a byline element names; when its text as a whole names no one ("Written
    by <a>A</a> in <a>Science</a> on 1 June"), those its links show, if it is short; if it
    is longer (an author box, the name in a biography), the first its links to an author's
    page show ("<a href="/author/jdoe/">Jane Doe</a> is a writer who ..."); failing those,
    the names its innermost elements show, set side by side with no space between
    ("<span>Dec 17, 2025</span><span>Jane Doe</span>")."""
    people = _texts_people(_blocks(node), page, publisher)
    if people or isinstance(node, str):
        return people
    whole = _node_text(node) or ""
    names = [name.strip() for name in _strip_byline_prefix(whole).split("、")]
    if all(_is_cjk_name(name) and not publisher.named(name) for name in names):
        return names
    links = [link for link in node.iter("a") if not _names_a_place(link)]
    if len(whole) > MAX_BYLINE_LENGTH:
        links = [link for link in links if _AUTHOR_PAGE.search(link.get("href") or "")]
        people = _texts_people(
            [text for link in links if (text := clean_text(link.text_content()))], page, publisher
        )
        return people[:1]
    linked = [text for link in links if (text := clean_text(link.text_content()))]
    return _texts_people(linked, page, publisher) or _texts_people(
        _leaf_texts(node), page, publisher
    )


def _leaf_texts(node: etree._Element) -> list[str]:
    """The texts of an element's innermost elements (no buttons, scripts or styles, no link
    naming where the article was filed: "in <a>CPU Coolers</a>")."""
    return [
        text
        for leaf in node.iter()
        if isinstance(leaf.tag, str)
        and not len(leaf)
        and leaf.tag not in _NOT_LEAF_TEXT
        and not (leaf.tag == "a" and _names_a_place(leaf))
        and (text := clean_text(leaf.text))
    ]


def _names_a_place(link: etree._Element) -> bool:
    """Whether a byline's link follows a word that makes it where the article was filed
    ("Written by <a>A</a> in <a>Raspberry Pi</a>"), not a person."""
    before = link.getprevious()
    text = (before.tail if before is not None else link.getparent().text) or ""
    words = text.split()
    return bool(words) and words[-1].casefold() in _PLACE_WORDS


def _texts_people(texts: list[str], page: _Page, publisher: _Publisher) -> list[str]:
    """The people bylines' texts name, each text read part by part ("A | B") up to the date
    after its credit: "By Townsquare Interactive | Feb 6, 2025 | Business Tips, CRM" credits
    the site, then gives the date and the post's categories."""
    people: list[str] = []
    for text in texts:
        credited = False
        reporters = _reporters(text)
        if reporters:
            people += [name for name in reporters if not publisher.named(name)]
            continue
        for part in _BYLINE_BREAK.split(text):
            piece = _FILED_IN.split(_before_date(_after_date_by(part)), maxsplit=1)[0]
            if len(piece) <= MAX_BYLINE_LENGTH:
                named = [
                    name
                    for name in _people([piece], page, publisher)
                    if _is_person_name(name) or _is_lone_given_name(name)
                ]
                people += named
                credited = credited or bool(named) or publisher.named(piece)
            if credited and shown_date_start(part) is not None:
                break
    return people


def _after_date_by(text: str) -> str:
    """A byline's text from the "by" after the date it opens with ("Posted on September 21,
    2020 by Adi Tzlil": "by Adi Tzlil"); the whole text otherwise, and when it opens with
    its byline ("By A, March 3, 2024")."""
    start = shown_date_start(text)
    if start is None or _BYLINE_LABEL.match(text):
        return text
    after = _BY_AFTER_DATE.search(text, start)
    return text[after.start() :].strip() if after else text


def _is_lone_given_name(name: str) -> bool:
    """Whether a byline's name is one capitalised given name ("By <a>Paul</a>"), as writers
    of small sites sign; not in capitals ("EFE", the news agency, is a Turkish name too)."""
    return (
        " " not in name
        and name[:1].isupper()
        and not name.isupper()
        and name not in _LONE_LABELS  # "Von", a given name too, left from "Von <a>Redaktion</a>"
        and is_given_name(name)
    )


def _is_cjk_name(name: str) -> bool:
    """Whether a byline's name is a Chinese, Japanese or Korean one as bylines show it
    (`_CJK_NAME`): "林宸誼", "小暮ひさのり", "伊藤 雅博", "김철수"; not a desk's, an outlet's or a
    role's ("ASCII編集部", "朝日新聞", "記者")."""
    return _CJK_NAME.fullmatch(name) is not None and not _CJK_NOT_NAME.search(name)


def _before_date(text: str) -> str:
    """A byline's text up to the date it shows, without the word that leads to it ("ALLIN
    ONE on Jan 22, 2025": "ALLIN ONE"), nor a date's label ending it ("Richard Garner
    Updated", the date in the next element)."""
    start = shown_date_start(text)
    if start:
        text = _DATE_LEAD.sub("", text[:start]).strip(_DANGLING)
    return _DATE_LABEL_AT_END.sub("", text)


def _without_variants(names: list[str]) -> list[str]:
    """`names` without those that are another of them followed by more words ("Kevin McCoy
    USA TODAY" beside "Kevin McCoy"), or a full name of another after more words ("Alles von
    Martin Junker", all by him, an author box's link, beside "Martin Junker"), or with its
    last name cut to an initial ("Scott P." beside "Scott Pletcher", as an author box under
    the byline writes it)."""
    return [
        name
        for name in names
        if not any(
            other != name
            and (
                name.startswith(f"{other} ")
                or (" " in other and name.endswith(f" {other}"))
                or _shortens(name, other)
            )
            for other in names
        )
    ]


def _shortens(short: str, name: str) -> bool:
    """Whether `short` is `name` with its last word cut to an initial ("Scott P.")."""
    *given, initial = short.split()
    *full_given, last = name.split()
    return (
        bool(given)
        and given == full_given
        and _INITIAL.fullmatch(initial) is not None
        and last.startswith(initial.rstrip("."))
        and len(last) > 1
    )


def _blocks(node: str | etree._Element) -> list[str]:
    """The cleaned text blocks of a byline node (one for a text or attribute value); a date
    inside it is a block of its own ('<span>Piše: P. Mucović</span> <span
    class="published_at">prije 26 minuta</span>')."""
    if isinstance(node, str):
        texts = [node]
    elif isinstance(node.tag, str):
        texts = _text_blocks(node, apart=_is_dated, unglued=True)
    else:
        texts = []
    # a separator left dangling where a date was cut off: "A and B -"
    return [text for text in (clean_text(text.strip(_DANGLING)) for text in texts) if text]


def _is_dated(element: etree._Element) -> bool:
    """Whether an element holds a date: a `<time>`, or a class naming one ("published_at",
    "post-date"), not a byline's or author's."""
    if element.tag == "time":
        return True
    names = str(element.get("class") or "")
    return bool(_DATE_CLASS.search(names)) and not _AUTHOR_CLASS.search(names)


def _strip_byline_prefix(text: str) -> str:
    return _CJK_CREDIT.sub("", _BYLINE_PREFIX.sub("", text.strip()))


def _split_names(text: str) -> list[str]:
    """Names joined by a conjunction ("A and B", "A og B", "A y B"); "y", "e", "i" and "en"
    only between names of two words or more (they also join a Spanish or Catalan surname)."""
    text = _SERIAL_CONJUNCTION.sub("", text.strip())
    parts = [part.strip() for part in _NAME_CONJUNCTION.split(text)]
    if len(parts) == 1:
        return parts if parts[0] else []
    weak = _WEAK_CONJUNCTION.search(text)
    if weak and any(len(part.split()) < 2 for part in parts):
        return [text.strip()]
    if any(_is_common_word(word) for part in parts for word in part.split()[1:-1]):
        return [text.strip()]  # one body's name: "Center for Drug Evaluation and Research"
    return [part for part in parts if part]


def _is_common_word(word: str) -> bool:
    """Whether a word inside a name is no name's: written in lower case in a script with case
    ("for", "of"), and no particle of a surname ("van", "de"). Only words between others
    count: "Jane Doe and the Editors" is still two."""
    return word[0].islower() and word.lower() not in _NAME_PARTICLES


def _profile_name(address: str, page: _Page) -> str | None:
    """The name the page shows for the person whose profile on the page's own site `address`
    is, by its last part (".../editors/jon-fingas": "Jon Fingas")."""
    url = absolute_url(address, page.url)
    if not url or not same_site(url, page.url):
        return None
    return _shown_name(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1], page)


def _shown_name(login: str, page: _Page) -> str | None:
    """The person's name the page's text shows for a login spelling it, its first and last
    word ("christian.stadtfeld": "Christian P. Stadtfeld"); None when it shows none."""
    words = [word for word in _IDENTIFIER_SEPARATOR.split(login) if word and not word.isdigit()]
    if len(words) < MIN_NAME_WORDS or not all(map(str.isalpha, words)):
        return None
    pattern = re.compile(
        rf"(?<!\w){re.escape(words[0])}(?:\s+[^\W\d_]+\.?){{0,{MAX_MIDDLE_NAMES}}}?"
        rf"\s+{re.escape(words[-1])}(?!\w)",
        re.IGNORECASE,
    )
    return next(
        (found[0] for found in pattern.finditer(page.visible_text) if _is_person_name(found[0])),
        None,
    )


def _email_name(value: str, page: _Page) -> str | None:
    """`value`, or for an e-mail address the name beside it or the page's link to it shows."""
    found = _EMAIL.search(value)
    if not found:
        return value
    rest = clean_text(_EMAIL.sub(" ", value).strip(" ()<>[]"))
    if rest and _LETTER.search(rest):
        return rest
    address = found.group(0)
    for text in page.selector.xpath(f"//a[@href='mailto:{address}']//text()").getall():
        if (name := clean_text(text)) and not _EMAIL.search(name):
            return name
    return None


def _is_person_name(name: str) -> bool:
    """Whether `name` reads as a person's name: two to five capitalised words (particles
    such as "van" or "de" aside; any word of a script without case), no digits, no job
    title or button word ("Follow")."""
    words = name.split()
    if not MIN_NAME_WORDS <= len(words) <= MAX_NAME_WORDS or any(c.isdigit() for c in name):
        return False
    if _names_a_job(name) or {word.lower() for word in words} & _INTERFACE_WORDS:
        return False
    if words[0].lower() in _ARTICLES or not all(map(_NAME_WORD.fullmatch, words)):
        return False
    if words[-1].lower() in _BYLINE_WORDS:  # a byline's label without its name: "Written By"
        return False
    return all(
        word[0].isupper() or _uncased(word[0]) or word.lower() in _NAME_PARTICLES for word in words
    )


def _uncased(letter: str) -> bool:
    """Whether a letter is of a script without case that spaces its words (Arabic, Hebrew,
    Devanagari): its names capitalise nothing. Not Chinese or Japanese, whose words no space
    parts, so two words there are no name's shape."""
    return letter.isalpha() and not letter.islower() and not _UNSPACED_SCRIPT.match(letter)


def _names_a_body(text: str) -> bool:
    """Whether `text` holds a word naming an organisation ("Nature Tech Collective")."""
    return bool({word.lower().strip(".,") for word in text.split()} & _BODY_WORDS)


def _names_a_job(text: str) -> bool:
    """Whether `text` holds a job title's word ("Staff", "Redakteurin")."""
    return bool({word.lower().strip(".,") for word in text.split()} & _JOB_WORDS)


def _names(values: Iterable[str]) -> list[str]:
    """Author names, cleaned and deduplicated: no "By ", no addresses or paths ("/@jane"),
    no handles, no text without letters, no placeholder ("Unknown", "admin")."""
    names = []
    for value in values:
        name = _plain(_BYLINE_PREFIX.sub("", value.strip()))
        if not name or not _LETTER.search(name) or "://" in name or name[0] in "@/":
            continue
        if name.casefold().strip(".") in _NO_ONE:
            continue
        names.append(_once(name))
    return _unique(names)


def _once(name: str) -> str:
    """A name written twice in a row without a space, once ("Andrea WongAndrea Wong": a
    byline's visible and screen-reader texts side by side)."""
    half = len(name) // 2
    return name[:half] if len(name) % 2 == 0 and name[:half] == name[half:] else name


def _section_candidates(page: _Page) -> Iterator[tuple[str, str | None]]:
    yield SELECTOR, page.match("section")
    yield JSON_LD, _plain(json_ld_text(page.article.get("articleSection")))
    yield META, _plain(page.metadata.first_meta(*SECTION_META))


def _lang_candidates(page: _Page, default: str | None) -> Iterator[tuple[str, str | None]]:
    yield SELECTOR, language_code(page.match("lang"))
    in_language = page.article.get("inLanguage")
    if isinstance(in_language, dict):
        in_language = in_language.get("alternateName") or in_language.get("name")
    yield JSON_LD, language_code(json_ld_text(in_language))
    yield HTML, language_code(page.selector.xpath("/html/@lang").get())
    for name in LANG_META:
        yield META, language_code(page.metadata.first_meta(name))
    yield _FALLBACKS
    yield DEFAULT, language_code(default)


def _lead_candidates(
    page: _Page, title: str | None, body: list[str], body_method: str | None
) -> Iterator[tuple[str, str | None]]:
    """The page's lead: its description, unless that only repeats the headline, else the
    first of the body's first paragraphs that reads as prose (`_body_lead`)."""
    title_key = match_key(title)

    def beyond_title(lead: str | None) -> str | None:
        return lead if lead and match_key(lead) != title_key else None

    yield SELECTOR, page.match("lead")
    yield JSON_LD, beyond_title(_plain(_ld_string(page.article.get("description"))))
    yield META, beyond_title(_plain(page.metadata.first_meta(*LEAD_META)))
    yield _FALLBACKS
    if body_method:
        yield body_method, _body_lead(body)


def _body_lead(body: list[str]) -> str | None:
    """The first of the body's first paragraphs that reads as prose: a sentence's length, not
    a dateline ("Updated Thu, 16 Apr 2020 01:00 AM IST"), a label or a button; a table row's
    cells ("| | Seeking a bigger role ... |", a page laid out in a table) read as one text."""
    for paragraph in body[:MAX_LEAD_PARAGRAPH]:
        if paragraph.startswith("|"):
            paragraph = " ".join(cell.strip() for cell in paragraph.split("|") if cell.strip())
        shortest = MIN_UNSPACED_LEAD if _UNSPACED_SCRIPT.search(paragraph) else MIN_LEAD
        if len(paragraph) >= shortest:
            return paragraph
    return None


def _body_candidates(
    page: _Page, title: str | None, authors: list[str]
) -> Iterator[tuple[str, list[str] | None]]:
    yield SELECTOR, page.matches("body")
    paragraphs = _paragraphs(_ld_string(page.article.get("articleBody")) or "")
    if _is_whole_body(paragraphs, page):
        yield JSON_LD, paragraphs
    yield _FALLBACKS
    yield MAIN_TEXT, _main_text(page, title, authors)


def _is_whole_body(paragraphs: list[str], page: _Page) -> bool:
    """Whether a JSON-LD articleBody is the whole article, not a teaser cut short."""
    length = sum(map(len, paragraphs))
    if length < MIN_JSON_LD_BODY or paragraphs[-1].endswith(("\u2026", "...")):
        return False
    return length >= MIN_JSON_LD_BODY_SHARE * page.paragraphs_length


def _is_lost(length: int, page: _Page) -> bool:
    """Whether main text this long holds too little of the page's paragraphs' text."""
    return length < FULL_TEXT_SHARE * page.paragraphs_length


def _main_text(page: _Page, title: str | None, authors: list[str]) -> list[str]:
    """The page's main text by trafilatura, as paragraphs, without headline or byline lines."""
    tree = page.main_text_tree()
    if tree is None:
        return []
    excess = _excess(tree)
    if excess:
        logger.warning("%s: %s; main text not extracted", page.url, excess)
        return []
    frame = _article_frame(tree)
    with (
        _article_frame_marked(frame),
        _article_heading_links_unlinked(tree, page.url),
        _link_targets_filled(tree),
        _discard_marks_relaxed(tree),
    ):
        text = _trafilatura_text(tree, favor_precision=True)
        if frame is not None and (_is_lost(len(text), page) or _headings_lost(frame, text)):
            with _frame_decoys_hidden(tree, frame) as hidden:
                if hidden:
                    text = _trafilatura_text(tree, favor_precision=True)
        if len(text) < SHORT_PRECISE_TEXT:
            balanced = _trafilatura_text(tree, favor_precision=False)
            if len(balanced) >= 2 * len(text):
                text = balanced
        if _is_lost(len(text), page):
            full = _trafilatura_text(tree, favor_precision=False, fast=False)
            if len(full) >= 2 * len(text):
                text = full
    paragraphs = [line for line in map(clean_text, text.splitlines()) if line]
    title_key = match_key(title)
    author_keys = [key for key in map(match_key, authors) if key]

    def repeats_metadata(paragraph: str) -> bool:
        if len(paragraph) > MAX_HEADING_LENGTH:
            return False
        return match_key(paragraph) == title_key or _is_byline(paragraph, author_keys)

    return _without_pointers(
        [paragraph for paragraph in paragraphs if not repeats_metadata(paragraph)], page
    )


def _without_pointers(paragraphs: list[str], page: _Page) -> list[str]:
    """`paragraphs` without the lines pointing readers to other stories of the site
    (`_POINTER`): a label and a title, the text of a link within the site; or a label alone
    and the teasers under it, each opening with such a link's text."""
    labelled = {
        index: match["title"]
        for index, paragraph in enumerate(paragraphs)
        if (match := _POINTER.match(paragraph))
    }
    if not labelled:
        return paragraphs
    titles = _site_link_texts(page)
    dropped: set[int] = set()
    for index, title in labelled.items():
        if title is not None:
            if title in titles:
                dropped.add(index)
            continue
        end = index + 1
        while end < len(paragraphs) and _is_teaser(paragraphs[end], titles):
            end += 1
        if end > index + 1:
            dropped.update(range(index, end))
    return [paragraph for index, paragraph in enumerate(paragraphs) if index not in dropped]


def _site_link_texts(page: _Page) -> set[str]:
    """The texts of the page's links to pages of its own site."""
    texts: set[str] = set()
    for link in page.selector.root.iter("a"):
        text = clean_text(link.text_content())
        target = absolute_url(link.get("href", ""), page.url) if text else None
        if text and target is not None and same_site(target, page.url):
            texts.add(text)
    return texts


def _is_teaser(paragraph: str, titles: set[str]) -> bool:
    """Whether a line (a list item, its bullet aside) is a teaser: a link's title of
    `titles`, alone or opening it (one at least MIN_TEASER_TITLE long)."""
    line = paragraph.removeprefix("- ")
    if line in titles:
        return True
    return any(len(title) >= MIN_TEASER_TITLE and line.startswith(title) for title in titles)


@contextmanager
def _article_frame_marked(frame: HtmlElement | None) -> Iterator[None]:
    """The article frame (`_article_frame`) marked `itemprop="articleBody"` inside the block,
    unless it is, holds or lies in an `<article>`, and as it was after it (the tree may be the
    caller's)."""
    if frame is None or _IN_ARTICLE_ELEMENT(frame):
        yield
        return
    with _marked(frame):
        yield


@contextmanager
def _frame_decoys_hidden(tree: HtmlElement, frame: HtmlElement) -> Iterator[bool]:
    """`tree` with `frame` marked and the decoys before it (`_frame_decoys`) without the
    attributes trafilatura reads them by inside the block, and as it was after it; whether
    there are such decoys."""
    decoys = _frame_decoys(tree, frame)
    if not decoys:
        yield False
        return
    hidden = [(decoy, dict(decoy.attrib)) for decoy in decoys]
    for decoy, _ in hidden:
        for name in _DECOY_ATTRIBUTES:
            decoy.attrib.pop(name, None)
    try:
        with _marked(frame):
            yield True
    finally:
        for decoy, attributes in hidden:
            decoy.attrib.update(attributes)


@contextmanager
def _marked(frame: HtmlElement) -> Iterator[None]:
    """`frame` marked `itemprop="articleBody"` inside the block, and as it was after it."""
    before = frame.get(_ARTICLE_BODY_PROPERTY)
    frame.set(_ARTICLE_BODY_PROPERTY, "articleBody")
    try:
        yield
    finally:
        if before is None:
            del frame.attrib[_ARTICLE_BODY_PROPERTY]
        else:
            frame.set(_ARTICLE_BODY_PROPERTY, before)


def _headings_lost(frame: HtmlElement, text: str) -> bool:
    """Whether `frame` has `<h2>`/`<h3>` headings and `text` holds none of them as a line."""
    headings = {clean_text(heading.text_content()) for heading in frame.iter("h2", "h3")}
    headings.discard("")
    return bool(headings) and headings.isdisjoint(map(clean_text, text.splitlines()))


@contextmanager
def _article_heading_links_unlinked(tree: HtmlElement, url: str) -> Iterator[None]:
    """`tree` with each heading that is one link to another site or to itself (`_heading_links`)
    holding that link as a `<span>` inside the block, and as it was after it. An empty one (a
    permalink's icon) holds an empty text meanwhile: the precise extraction drops an empty
    `<span>` with the text after it."""
    links = [link for link in _heading_links(tree) if _links_article_heading(link, url)]
    empty = [link for link in links if link.text is None and not len(link)]
    for link in links:
        link.tag = "span"
    for link in empty:
        link.text = ""
    try:
        yield
    finally:
        for link in links:
            link.tag = "a"
        for link in empty:
            link.text = None


@contextmanager
def _link_targets_filled(tree: HtmlElement) -> Iterator[None]:
    """`tree` with each empty link target before text (`_empty_link_targets`) holding an empty
    text, an `<a>` one read as a `<span>`, inside the block, and as it was after it."""
    targets = [target for target in _empty_link_targets(tree) if (target.tail or "").strip()]
    anchors = [target for target in targets if target.tag == "a"]
    for target in targets:
        target.text = ""
    for anchor in anchors:
        anchor.tag = "span"
    try:
        yield
    finally:
        for target in targets:
            target.text = None
        for anchor in anchors:
            anchor.tag = "a"


@contextmanager
def _discard_marks_relaxed(tree: HtmlElement) -> Iterator[None]:
    """`tree` with the marks trafilatura's precise extraction drops its blocks by relaxed where
    they mislead, inside the block, and as they were after it: the declarations naming a border
    (`_BORDER_DECLARATION`), the `display: none` of a panel a control before it names
    (`_controlled_before`), the class words naming an icon of a block holding paragraphs
    (`MIN_ICON_BLOCK_TEXT`)."""
    body = tree.find("body")
    relaxed: list[tuple[HtmlElement, str, str]] = []
    if body is not None:
        for element in body.iter(_BORDERED_TAGS):
            style = element.get("style")
            if style:
                kept = _BORDER_DECLARATION.sub("", style) if "border" in style else style
                hidden = "none" in kept and _HIDING_DECLARATION.search(kept)
                if hidden and _controlled_before(element):
                    kept = _HIDING_DECLARATION.sub("", kept)
                if kept != style:
                    relaxed.append((element, "style", style))
                    element.set("style", kept)
            classes = element.get("class")
            if classes and _ICON_CLASS in classes and _holds_paragraphs(element):
                relaxed.append((element, "class", classes))
                element.set("class", " ".join(w for w in classes.split() if _ICON_CLASS not in w))
    try:
        yield
    finally:
        for element, name, value in relaxed:
            element.set(name, value)


def _holds_paragraphs(element: HtmlElement) -> bool:
    """Whether `element`'s `<p>`s hold MIN_ICON_BLOCK_TEXT characters or more."""
    held = 0
    for paragraph in element.iter("p"):
        held += len(paragraph.text_content())
        if held >= MIN_ICON_BLOCK_TEXT:
            return True
    return False


def _controlled_before(panel: HtmlElement) -> bool:
    """Whether the element before `panel`, or one inside it, names `panel`'s id in its
    `aria-controls`."""
    name = panel.get("id")
    control = panel.getprevious()
    return (
        bool(name)
        and control is not None
        and any(name in (element.get("aria-controls") or "").split() for element in control.iter())
    )


def _heading_links(tree: HtmlElement) -> list[HtmlElement]:
    """The links that are the only link of a heading and have an address (walked in order,
    which costs a fifth of the XPath saying as much)."""
    links: dict[HtmlElement, None] = {}
    for heading in tree.iter(_HEADINGS_TAGS):
        inside = list(heading.iter("a"))
        if len(inside) == 1 and inside[0].get("href") is not None:
            links[inside[0]] = None
    return list(links)


def _empty_link_targets(tree: HtmlElement) -> list[HtmlElement]:
    """The empty inline elements of the `<body>` with an id or a name (`_LINK_TARGET_TAGS`, or
    an `<a>` without an address)."""
    body = tree.find("body")
    if body is None:
        return []
    return [
        element
        for element in body.iter(_LINK_TARGET_TAGS)
        if element.text is None
        and not len(element)
        and (element.get("id") is not None or element.get("name") is not None)
        and (element.tag != "a" or element.get("href") is None)
    ]


def _links_article_heading(link: etree._Element, url: str) -> bool:
    """Whether `link` holds all its heading's text and leads to another site than `url`, or
    holds all or none of it (a permalink's icon) and leads to the heading itself on this page
    (an element with the id or name its fragment gives: the heading, one in it or one around
    it)."""
    heading = next(link.iterancestors("h1", "h2", "h3", "h4", "h5", "h6"))
    text = clean_text(link.text_content())
    if text and text != clean_text(heading.text_content()):
        return False
    href = link.get("href", "").strip()
    address, _, anchor = href.partition("#")
    if anchor and (not address or absolute_url(address, url) == absolute_url(url, url)):
        return any(
            anchor in (element.get("id"), element.get("name"))
            for element in chain(heading.iterancestors(), heading.iter())
        )
    target = absolute_url(href, url)
    return bool(text) and target is not None and not same_site(target, url)


def _article_frame(tree: HtmlElement) -> HtmlElement | None:
    """The element holding more than ARTICLE_FRAME_SHARE of the text of the page's `<p>`s,
    the deepest such one, or its parent when it is one part of the article
    (`_has_part_sibling`); None when that is `<body>` or holds less than
    MIN_ARTICLE_FRAME_TEXT. One that is, holds or lies in an `<article>` is marked only past
    decoys (trafilatura reads that `<article>` as the article's frame already)."""
    body = tree.find("body")
    if body is None:
        return None
    held: Counter[etree._Element] = Counter()
    for paragraph in body.iter("p"):
        length = len(paragraph.text_content().strip())
        if length:
            held.update(dict.fromkeys(paragraph.iterancestors(), length))
    least = ARTICLE_FRAME_SHARE * held[body]
    frame = body
    while len(frame):
        child = max(frame, key=held.__getitem__)
        if held[child] <= least:
            break
        frame = child
    if frame is body or held[frame] < MIN_ARTICLE_FRAME_TEXT:
        return None
    parent = frame.getparent()
    if parent is not body and _has_part_sibling(frame, held):
        return parent
    return frame


def _has_part_sibling(frame: HtmlElement, held: Counter[etree._Element]) -> bool:
    """Whether a sibling of `frame` of its tag and class holds MIN_PART_TEXT of the text of
    the `<p>`s under it (`held`)."""
    kind = frame.get("class")
    return bool(kind) and any(
        sibling.tag == frame.tag and sibling.get("class") == kind and held[sibling] >= MIN_PART_TEXT
        for sibling in chain(frame.itersiblings(preceding=True), frame.itersiblings())
    )


def _frame_decoys(tree: HtmlElement, frame: HtmlElement) -> list[HtmlElement]:
    """The elements trafilatura would read before `frame` (`_TRAFILATURA_FRAMES` matches ahead
    of it in the page, none holding it), when each holds less than MAX_DECOY_SHARE of its
    text, less than MAX_DECOY_PARAGRAPH_SHARE of its own in `<p>`s; else none."""
    if _TRAFILATURA_FRAMES is None:
        return []
    around = set(frame.iterancestors())
    position = _PRECEDING(frame)
    most = MAX_DECOY_SHARE * len(frame.text_content())
    decoys = []
    for match in _TRAFILATURA_FRAMES(tree):
        if match is frame or match in around or _PRECEDING(match) >= position:
            break
        length = len(match.text_content())
        in_paragraphs = sum(len(paragraph.text_content()) for paragraph in match.iter("p"))
        if length >= most or in_paragraphs >= MAX_DECOY_PARAGRAPH_SHARE * length:
            return []
        decoys.append(match)
    return decoys


def _excess(tree: HtmlElement) -> str | None:
    """What makes `tree` too big for main-text extraction, if anything."""
    if _DEEPER_THAN_MAX(tree):
        return f"markup nested deeper than {MAX_MAIN_TEXT_DEPTH} levels"
    if _ELEMENT_COUNT(tree) > MAX_MAIN_TEXT_ELEMENTS:
        return f"more than {MAX_MAIN_TEXT_ELEMENTS} elements"
    return None


def _trafilatura_text(tree: HtmlElement, *, favor_precision: bool, fast: bool = True) -> str:
    return (
        trafilatura.extract(
            tree,
            output_format="txt",
            fast=fast,
            favor_precision=favor_precision,
            include_comments=False,
            include_tables=True,
            with_metadata=False,
            deduplicate=False,
        )
        or ""
    )


def _is_byline(paragraph: str, author_keys: list[str]) -> bool:
    """Whether a paragraph only names the article's authors ("By A and B", "A - B")."""
    key = f" {match_key(paragraph)} "
    rest = key
    for author_key in author_keys:
        rest = rest.replace(f" {author_key} ", " ")
    return rest != key and set(rest.split()) <= _BYLINE_WORDS


def _tag_candidates(page: _Page) -> Iterator[tuple[str, list[str]]]:
    yield SELECTOR, _tags(part for text in page.matches("tags") for part in text.split(","))
    yield JSON_LD, _tags(json_ld_list(page.article.get("keywords")))
    for name in TAG_META:
        values = page.metadata.all_meta(name)
        yield META, _tags(part for value in values for part in value.split(","))


def _tags(values: Iterable[str]) -> list[str]:
    return _unique(tag for value in values if (tag := _plain(value)))


def _alternates(page: _Page) -> dict[str, str]:
    alternates = {}
    for language, href in page.metadata.alternates.items():
        url = absolute_url(href, page.url)
        if language != "x-default" and url:
            alternates[language] = url
    return alternates


def _unique(values: Iterable[str]) -> list[str]:
    """`values` in order, without repeats that differ only in case or punctuation."""
    seen: set[str] = set()
    unique = []
    for value in values:
        key = match_key(value) or value
        if key not in seen:
            seen.add(key)
            unique.append(value)
    return unique


def _ld_string(value: Any) -> str | None:
    """A JSON-LD value that must be text (headline, dates, body): strings only."""
    if isinstance(value, dict):
        value = value.get("@value")
    return value if isinstance(value, str) else None


def _plain(value: str | None) -> str | None:
    """Metadata text as shown: HTML tags dropped, entities decoded, whitespace cleaned."""
    return clean_text(" ".join(_text_lines(value))) if value else None


def _paragraphs(value: str) -> list[str]:
    """A text body as paragraphs: one per line, or per block when it is HTML."""
    return [paragraph for paragraph in map(clean_text, _text_lines(value)) if paragraph]


def _text_lines(value: str) -> list[str]:
    """Text that may hold HTML or entities, as the lines, or HTML blocks, a reader sees."""
    if _ESCAPED_TAG.search(value):  # HTML escaped once more than needed: "&lt;p&gt;"
        value = unescape(value)
    if _TAG.search(value):
        wrapped = f"<div>{value}</div>".encode("utf-8", "replace")
        return _text_blocks(etree.fromstring(wrapped, parser=_FRAGMENT_PARSER))
    for _ in range(MAX_ESCAPES):  # "&amp;#8230;": escaped twice by a CMS and its SEO plugin
        if not _ENTITY.search(value):
            break
        value = unescape(value)
    return value.splitlines()


def _heading_text(node: etree._Element) -> str | None:
    """A heading's text, its parts set apart where one element's text ends in a small letter
    and the next one's opens with a capital: a kicker and the headline in elements of their
    own, shown on lines of their own ('<h1><span>Rentenreform</span><span>Regierung
    beschließt ...</span></h1>')."""
    if not isinstance(node.tag, str):
        return None
    return clean_text(" ".join(_text_blocks(node, unglued=True)))


def _node_text(node: str | etree._Element) -> str | None:
    """The text of a selected node: an element's text, or a text or attribute value."""
    if isinstance(node, str):
        return clean_text(node)
    if isinstance(node.tag, str):  # not a comment or processing instruction
        return clean_text(" ".join(_text_blocks(node)))
    return None


# A small letter ending one element's text and a capital opening the next one's.
_GLUED_WORDS = re.compile(r"[^\W\d_](?<=[a-z\u00df-\u00ff])[A-Z\u00c0-\u00de]")


def _text_blocks(
    element: etree._Element,
    apart: Callable[[etree._Element], bool] | None = None,
    *,
    unglued: bool = False,
) -> list[str]:
    """The text of `element` split at block elements, and at those `apart` tells (its own line
    breaks are spaces), without script or style text; `unglued`, also where one element's
    text ends in a small letter and the next one's opens with a capital, no space between
    ("<a>Marla Milling</a><span>Contributor</span>"), and where a letter closes an element and
    another opens the next one ("<span>By <a>jdoe</a></span><a>Jane Doe's site</a>")."""
    parts: list[str] = []
    skipping = 0  # depth inside a script or style element
    closed = False  # whether an element closed after the last text, no tail after it

    def add(text: str | None, opening: bool = False) -> None:
        nonlocal closed
        if text:
            last = parts[-1][-1:] if parts else ""
            if unglued and (
                _GLUED_WORDS.match(last + text[:1])
                or (opening and closed and last.isalpha() and text[:1].isalpha())
            ):
                parts.append("\n")
            parts.append(text.replace("\n", " "))
            closed = False

    for event, node in etree.iterwalk(element, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        skipped = not tag or tag in _SKIPPED_TAGS
        block = tag in _BLOCK_TAGS or (apart is not None and bool(tag) and apart(node))
        if event == "start":
            skipping += skipped
            if block:
                parts.append("\n")
            if not skipping:
                add(node.text, opening=True)
            continue
        skipping -= skipped
        if block:
            parts.append("\n")
        if node is not element and not skipping:
            closed = True
            add(node.tail)
    return [block for block in "".join(parts).split("\n") if block.strip()]
