"""Story matching: which earlier article reports the same event as a new one.

Every article is described by keys (`Signature.keys`): its content words, folded to ASCII and
cut to their first letters (`~presid`, so that inflected forms meet), and its entity keys:
people, places and numbers reduced to language-independent keys (`entity_keys`), so that
`Hasanov`, `Гасанов` and `Həsənov` meet. The keys are indexed by day; a new article's keys are
looked up in the days of its window (`WHERE day IN (...) AND key = ?`, the newest rows of each
key only), which gives both the candidates and how rare each key is in the window (its weight,
an inverse document frequency). MinHash LSH buckets of the word unigrams and bigrams add the
near-duplicates. Every lookup reads the articles of a few days through an index, so the cost
does not depend on the size of the store (beyond the logarithmic depth of the indexes).

An article joins the story it is closest to as a whole: the mean, over the story's newest
members (those in its language, when there are some), of the weighted cosine of their keys
(the keys of each one's headline weighing more; a near-duplicate counts 1), at least
`min_similarity` (`min_similarity_other_language` for a story with no member in the article's
language, where only names, numbers and shared word stems can agree); never through one
member alone (no chaining of A~B, B~C into one story of A and C), and only while the story is
young (`story_span_days`). Members are read through `articles(story_id)`, a few per story, so
the cost stays that of a few days' candidates. Where keys join no story, an article with an
embedding (`newsmon.semantic`) joins the candidate story closest to it in meaning, if it is
close enough (`min_meaning_similarity`): reports worded differently, which share too few keys.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import sqlite3
import struct
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
from anyascii import anyascii

from newsmon import semantic
from newsmon.places import cjk_country_names, country_names, uncased_country_names

RULE_NEAR_DUPLICATE = "near-duplicate"
RULE_ENTITIES = "entities"
RULE_WORD_OVERLAP = "word-overlap"
RULE_MEANING = "meaning"


@dataclass(frozen=True)
class StoryConfig:
    """Settings of story matching (defaults tuned on the dev splits of the labelled data).

    `num_perm` MinHash permutations are cut into `bands` LSH bands of `num_perm // bands` rows;
    a candidate is a near-duplicate at estimated Jaccard >= `jaccard_threshold`, unless
    `number_veto` and both texts carry numbers, none of them shared (daily rates, forecasts,
    tolls). Candidates lie within `window_days` of the article's day, at most
    `max_candidates` of them, found through at most `rows_per_key` articles (the newest) of
    each key. A key's weight is `log((rows_per_key + 1) / (n + 1))` for the `n` articles of the
    window that have it: a key found in `rows_per_key` of them says nothing about which event
    an article reports (and reading all its rows would make an article's cost grow with how
    common its words are); a key of a member that the article lacks weighs as much as the
    rarest. Entity keys (names, counts) weigh `entity_weight` times a word of the same rarity,
    the places of `COMMON_PLACES` and years (and their words) `common_key_weight` times; in
    the cosine of two articles, a key of an article's headline weighs `title_weight` times as
    much on its side (a headline says what the report is about; a lead also says what led to
    it).

    A story is joined when the mean weighted cosine of the article with the story's
    `story_members` newest members in the article's language is at least `min_similarity`;
    with no member in its language, with all of them, at least
    `min_similarity_other_language`. A member in another language whose names, places and
    numbers are (nearly) the article's, the weighted cosine of their entity keys alone at least
    `entity_similarity_other_language`, counts that much: words of other scripts can never
    agree, and they would hide it (`塞浦路斯` and `Cyprus`). Where no story is joined so, and
    the article has an embedding (`newsmon.semantic`), it joins the candidate story whose
    members with embeddings (besides those of its own source and language; those in its
    language, when the story has any) have a mean cosine with it of at least
    `min_meaning_similarity`, the highest; with no member in its language, at least
    `min_meaning_similarity_other_language` (the model scores a report and its translation
    lower than two reports in one language: on the labelled dev splits, unrelated reports in
    two languages are 0.03 to 0.04 less alike on average than in one). A near-duplicate member
    counts 1; a member of the same source and language that is not one, or one sharing fewer
    than `min_shared_keys` keys besides common places and years, counts 0 (in a store of few
    articles every word is rare, and one shared word would do). No member may be older than
    `story_span_days` before the article's day.
    """

    num_perm: int = 64
    bands: int = 16
    jaccard_threshold: float = 0.5
    number_veto: bool = True
    window_days: int = 3
    max_candidates: int = 20
    rows_per_key: int = 50
    min_similarity: float = 0.18
    min_similarity_other_language: float = 0.08
    entity_similarity_other_language: float = 0.9
    min_meaning_similarity: float = 0.88
    min_meaning_similarity_other_language: float = 0.87
    common_key_weight: float = 0.5
    entity_weight: float = 1.0
    title_weight: float = 1.5
    min_shared_keys: int = 2
    story_members: int = 8
    story_span_days: int = 5

    def __post_init__(self) -> None:
        if self.num_perm <= 0 or self.bands <= 0 or self.num_perm % self.bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of bands")
        if self.story_members <= 0 or self.rows_per_key <= 0:
            raise ValueError("story_members and rows_per_key must be positive")

    @property
    def rows(self) -> int:
        """MinHash values per LSH band."""
        return self.num_perm // self.bands


DEFAULT_CONFIG = StoryConfig()

# Entity keys: a name is the start of its consonant skeleton; prefixes mark the other kinds.
PLACE_PREFIX = "@"
NUMBER_PREFIX = "#"
TERM_PREFIX = "~"
NAME_KEY_CONSONANTS = 3
# A word names a country when it is one of its names, or a stem of one (`COUNTRY_STEM_LETTERS`
# letters at least) with one of these endings: case endings of the languages of
# `places.NEWS_LOCALES` (genitive, dative, locative: `Kıbrısta`, `Κύπρου`, `Греции`, `Grecji`)
# and English adjectives (`-an`, `-ian`, `-ese`, `-i`); shortest first. Not `-is` or `-o`:
# `Francis` and `Franco` are not France.
_COUNTRY_ENDING_TEXT = """
    s a e i u y an ian ean ese ii ie iu ia ja ji je ju ou oy as es os ya yu ye yi ei da de
    dan den ta te tan ten nin in un en n om em ym oj ze
"""
COUNTRY_ENDINGS = sorted(_COUNTRY_ENDING_TEXT.split(), key=len)
COUNTRY_STEM_LETTERS = 4
_VOWELS = "aeiouy"
MAX_ENTITY_KEYS = 32
# Content words: at least 3 letters, cut to 6 (inflection: `presidente`/`presidents`/`presidentin`),
# at most 40 of them (the first, the headline's).
TERM_MIN_LETTERS = 3
TERM_LETTERS = 6
MAX_TERMS = 40

# Function words of en/az/tr/ru/de/es/fr/pl/ar, folded as signature() folds them; they make
# neither shingles nor names. Words that are also English content words (`war`, `man`, `son`,
# `ten`) are left out, except `die` (the English verb keeps `died` and `dies`).
_STOPWORD_TEXT = """
    a an the and or but of in on at to for from by with as is are was were be been has have
    had it its this that these those not no than then into over after before about against
    between during under up down out off will would can could may might should shall do does
    did also more most new s says said his her their he she they we you my our your what
    which when where how why all any some just now only there here if them him
    ve ile bu bir ucun da de ki olan olub edib etdi oldu uzre barede arasinda haqqinda
    sonra evvel daha en ise kimi artiq hem ya yox deyil amma lakin icin gibi cok ne mi
    olarak yapti etti ancak tarafindan
    i v na s po o ob ot iz za ne k so u do pri dlia dlya chto kak eto ego ee ikh
    takzhe posle pered mezhdu cherez bez nad pod ili no zhe by li uzhe eshche
    der die das den dem des ein eine einer eines einem einen und oder aber auf aus bei mit
    nach von vor zum zur im ist sind wird werden wurde hat haben sich nicht auch als wie fur
    uber unter noch nur sein seine ihr ihre es er sie wir dass wenn so am um bis gegen durch
    ohne an
    el la los las un una unos unas y del al en con por para sobre entre hasta desde que se su
    sus fue ha han lo como mas muy este esta estos estas ese esa ya le les
    les une du et ou mais dans sur sous avec pour sans au aux ce cette ces qui est sont ont
    il elle ils elles sa ses leur pas nous vous
    w z ze we nie sie jest sa jak ale czy dla przez przy oraz juz ta te tego jego jej ich co
    bo lub ktory ktora ktore
    fy mn hdh hdhh lty ldhy qd kn qbl hwl thm byn khll mndh hta nd
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

# Capitalized words that name no one (titles, institutions, months, outlets) in en/az/tr/ru,
# compared by skeleton so that `Minister`, `Министр` and `Nazirliyi` forms are covered.
NOT_NAMES_TEXT = """
    president presidential prezident cumhurbaskani prime minister ministry ministr ministerstvo
    nazir nazirliyi bakan bakanligi deputy chairman chair head secretary general state united
    nation national foreign affairs defense defence industry industries military army armed
    forces navy air border guard security service council committee commission commissioner
    agency office press parliament assembly government republic cabinet court supreme
    central bank company international organization union european summit forum conference
    university embassy ambassador department chamber party city region regional district
    province north south east west western eastern world day week year first second third
    talks meeting monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december
    report informs trend apa news xinhua interfax tass ria anadolu reuters azertac azertag
    sputnik milli mudafie sanaye sanayi komitesi sedri xarici isler baskani baskan savunma
    ulusal disisleri glava predsedatel komitet sovet premyer
"""

# Countries, capitals and Karabakh are in every other report: never the name a match rests
# on. Each place lists the forms whose skeletons differ (declined forms reduce to them).
COMMON_PLACES: dict[str, tuple[str, ...]] = {
    "az": ("azerbaijan", "azeri", "azerbaijani"),
    "tr": ("turkey", "turkiye", "turkish", "turtsiya", "turetskiy"),
    "ru": ("russia", "rossiya", "russian", "rossiyskiy"),
    "ir": ("iran", "iranskiy"),
    "am": ("armenia", "ermenistan", "armyanskiy"),
    "ge": ("georgia", "gurcustan", "gruziya", "gruzinskiy"),
    "ua": ("ukraine", "ukrayna", "ukrainskiy"),
    "il": ("israel", "izrailskiy"),
    "us": ("usa", "us", "abs", "abd", "ssha", "america", "amerikan"),
    "kz": ("kazakhstan", "qazaxistan", "kazakistan"),
    "eu": ("eu", "ai", "ab", "es", "evrosoyuz", "europe", "avropa", "avrupa"),
    "karabakh": ("karabakh", "qarabag", "karabag"),
    "baku": ("baku",),
    "ankara": ("ankara",),
    "moscow": ("moscow", "moskva"),
    "tehran": ("tehran",),
    "yerevan": ("yerevan",),
    "tbilisi": ("tbilisi",),
    "istanbul": ("istanbul", "stambul"),
    "washington": ("washington",),
}

_WORD = re.compile(r"[a-z0-9]+")
_LOWER_WORD = re.compile(r"\b[a-z][a-z0-9]*\b")
_CAPITALIZED = re.compile(r"\b[A-Z][A-Za-z0-9]*")
_CAPITALIZED_OR_NUMBER = re.compile(r"\b(?:[A-Z][A-Za-z0-9]*|(?<![A-Za-z]-)[0-9]+\b)")
_LONG_WORD = re.compile(r"\b[A-Za-z]{4,}\b")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Scripts without capitals, so without names (anyascii capitalizes each syllable it writes for
# Chinese, Japanese and Korean): Chinese and Japanese characters (kana, ideographs), which set no
# spaces between words; Hangul; and Arabic, Hebrew, Devanagari, Bengali and Georgian words.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HANGUL = "\u1100-\u11ff\uac00-\ud7af"
_SPACED_UNCASED = "\u0590-\u05ff\u0620-\u064a\u066e-\u06d3\u0900-\u097f\u0980-\u09ff\u10d0-\u10ff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_OR_HANGUL = re.compile(f"[{_CJK}{_HANGUL}]")
_SPACED_UNCASED_WORD = re.compile(f"[{_SPACED_UNCASED}]+")
_UNCASED_RUN = re.compile(f"[{_CJK}{_HANGUL}{_SPACED_UNCASED}]+")
_ARABIC_LETTERS = str.maketrans("أإآٱىة", "اااايه")
_ARABIC_PREFIXES = ("وف", "بلك")
_ARABIC_ENDINGS = ("يين", "يون", "يه", "ي")
_HEBREW_PREFIXES = "והבלמשכ"
_ARABIC_WORD = re.compile(r"[\u0620-\u064a\u066e-\u06d3]+")
_SOFT_SIGNS = "ьъЬЪ"
_DIGRAPHS = re.compile(r"shch|dzh|kh|gh|zh|ch|sh|ts|tz|ph|th|dh|dj|ck|c(?![aeiouyh])")
_DIGRAPH_CLASS = {
    "shch": "s",
    "dzh": "c",
    "kh": "h",
    "gh": "h",
    "zh": "c",
    "ch": "c",
    "sh": "s",
    "ts": "s",
    "tz": "s",
    "ph": "f",
    "th": "t",
    "dh": "d",
    "dj": "c",
    "ck": "k",
}
_CONSONANT_CLASS = str.maketrans("gqxjzw", "hhhcsv")
_NO_VOWELS = str.maketrans("", "", "aeiouy")
_REPEATS = re.compile(r"(.)\1+")
# Consonant skeletons of case endings (az/tr -dan -da -nin -in -la, ru -om -ym).
_ENDINGS = ("dn", "tn", "nn", "d", "t", "n", "l", "m")
_TITLE_CASE_SHARE = 0.6
_YEARS = range(1900, 2100)

_SIGNATURE_MAGIC = b"NS1"
_HEADER = struct.Struct("<3sHHI")
_MIX_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)


def skeleton(word: str) -> str:
    """The consonant skeleton of a folded (match_key) word, alike across scripts.

    Digraphs first (kh/gh -> h, sh/shch/ts -> s, ch/dzh/zh/dj -> c, ph -> f, th -> t, c before
    a consonant -> k), then g/h/q/x -> h, j -> c, z -> s, w -> v; doubled letters collapse and
    vowels (with y) go: `gasanov`, `hesenov`, `hasanov` -> `hsnv`; `gyuler`, `guler` -> `hlr`.
    """
    spelled = _DIGRAPHS.sub(lambda match: _DIGRAPH_CLASS.get(match.group(), "k"), word)
    return _REPEATS.sub(r"\1", spelled.translate(_CONSONANT_CLASS)).translate(_NO_VOWELS)


def _without_ending(bone: str) -> tuple[str, ...]:
    """Forms of a skeleton without one case ending (`nkrd` -> `nkr`, `rnn` -> `rn`)."""
    return tuple(
        bone[: -len(end)] for end in _ENDINGS if bone.endswith(end) and len(bone) - len(end) >= 2
    )


_PLACE_BY_WORD = {
    form: PLACE_PREFIX + place for place, forms in COMMON_PLACES.items() for form in forms
}
_PLACE_BY_SKELETON = {
    (form[0], skeleton(form)): PLACE_PREFIX + place
    for place, forms in COMMON_PLACES.items()
    for form in forms
    if len(skeleton(form)) >= 2
}
_COMMON_PLACE_KEYS = frozenset(PLACE_PREFIX + place for place in COMMON_PLACES)
_COMMON_TERMS = frozenset(
    TERM_PREFIX + form[:TERM_LETTERS]
    for forms in COMMON_PLACES.values()
    for form in forms
    if len(form) >= TERM_MIN_LETTERS
)
_NOT_NAME_SKELETONS = frozenset(skeleton(word) for word in NOT_NAMES_TEXT.split())


def _unambiguous(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """`form -> key` for the forms that only one key has."""
    keys: dict[str, set[str]] = {}
    for form, key in pairs:
        keys.setdefault(form, set()).add(key)
    return {form: found.pop() for form, found in keys.items() if len(found) == 1}


def _stems(name: str) -> set[str]:
    """The stems inflected forms of a folded country name begin with: the name, the name less
    its final vowels, and less a final `s` and the vowels before it (`kypros` -> `kypr`, `ellada` ->
    `ellad`, `gretsiya` -> `grets`), of at least `COUNTRY_STEM_LETTERS` letters."""
    stems = {name, name.rstrip(_VOWELS), name.removesuffix("s").rstrip(_VOWELS)}
    return {stem for stem in stems if len(stem) >= COUNTRY_STEM_LETTERS}


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """Place keys of countries by folded one-word name and by the stems of those names; a form
    two countries share is left out. Built on first use: reading CLDR's names takes a fifth of
    a second."""
    names = [
        (words[0], PLACE_PREFIX + code)
        for code, forms in country_names().items()
        for form in forms
        if len(words := _WORD.findall(_ascii(form).lower())) == 1
    ]
    stems = [(stem, key) for name, key in names for stem in _stems(name)]
    return _unambiguous(names), _unambiguous(stems)


def _country(folded: str) -> str | None:
    """The place key of the country a folded word names, or None: a name, a stem of one longer
    than `COUNTRY_STEM_LETTERS` (`german`), or a stem with an inflection or adjective ending
    (`COUNTRY_ENDINGS`: `kyproy`, `griechenlands`, `kibrista`, `mexican`), the longest stem
    first (`nigerian` is Nigeria, not Niger)."""
    by_name, by_stem = _countries()
    if folded in by_name:
        return by_name[folded]
    if len(folded) > COUNTRY_STEM_LETTERS and folded in by_stem:
        return by_stem[folded]
    for ending in COUNTRY_ENDINGS:
        if folded.endswith(ending):
            key = by_stem.get(folded[: -len(ending)])
            if key:
                return key
    return None


@lru_cache(maxsize=1 << 16)
def entity_key(folded: str) -> str | None:
    """The entity key of a capitalized word (folded), or None when it names no one.

    A place gives its place key: a common place (`COMMON_PLACES`: `@tr` for Turkey, Türkiyə,
    Турции, Türkiyənin) or any country, by its name in many languages (`@cy` for Cyprus,
    Cypriot, Zypern, Κύπρου, Kıbrıs; `places.country_names`). A name gives the first three
    consonants of its skeleton, which drops inflection and suffix variants (`mustafayev`,
    `мустафаевым` -> `mst`); shorter skeletons are too common.
    """
    if folded in _PLACE_BY_WORD:
        return _PLACE_BY_WORD[folded]
    country = _country(folded)
    if country:
        return country
    bone = skeleton(folded)
    forms = (bone, *_without_ending(bone))
    for form in forms:
        place = _PLACE_BY_SKELETON.get((folded[0], form))
        if place:
            return place
    if len(bone) < NAME_KEY_CONSONANTS or any(
        form in _NOT_NAME_SKELETONS for form in forms if len(form) >= NAME_KEY_CONSONANTS
    ):
        return None
    return bone[:NAME_KEY_CONSONANTS]


@dataclass(frozen=True)
class Signature:
    """What story matching knows of an article: MinHash, LSH buckets, entity keys, terms.

    `minhash` holds `num_perm` little-endian uint32 values; `buckets` are the LSH band hashes
    (non-negative, within SQLite's signed 64-bit INTEGER); `tokens` counts content words;
    `terms` are the folded, cut content words (signatures stored before terms have none);
    `title` the keys (of `keys`) that the headline has (none in signatures stored before).
    """

    minhash: bytes
    buckets: tuple[int, ...]
    entities: tuple[str, ...]
    tokens: int
    terms: tuple[str, ...] = ()
    title: tuple[str, ...] = ()

    @property
    def values(self) -> np.ndarray:
        """The MinHash values as a read-only uint32 array."""
        return np.frombuffer(self.minhash, dtype="<u4")

    @property
    def num_perm(self) -> int:
        """How many MinHash permutations the signature has."""
        return len(self.minhash) // 4

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """The keys indexed and compared: entity keys, then terms (`~` before each)."""
        return self.entities + tuple(TERM_PREFIX + term for term in self.terms)

    def to_bytes(self) -> bytes:
        """The form stored in `articles.signature`."""
        header = _HEADER.pack(_SIGNATURE_MAGIC, self.num_perm, len(self.buckets), self.tokens)
        buckets = struct.pack(f"<{len(self.buckets)}q", *self.buckets)
        keys = "\n".join(" ".join(part) for part in (self.entities, self.terms, self.title))
        return header + self.minhash + buckets + keys.encode("ascii")

    @classmethod
    def from_bytes(cls, blob: bytes) -> Signature:
        """The signature `to_bytes` wrote; ValueError for anything else."""
        if len(blob) < _HEADER.size:
            raise ValueError("signature blob too short")
        magic, num_perm, bands, tokens = _HEADER.unpack_from(blob)
        minhash_end = _HEADER.size + 4 * num_perm
        buckets_end = minhash_end + 8 * bands
        if magic != _SIGNATURE_MAGIC or len(blob) < buckets_end:
            raise ValueError("not a story signature")
        buckets = struct.unpack_from(f"<{bands}q", blob, minhash_end)
        entities, _, rest = blob[buckets_end:].decode("ascii").partition("\n")
        terms, _, title = rest.partition("\n")
        return cls(
            bytes(blob[_HEADER.size : minhash_end]),
            buckets,
            tuple(entities.split()),
            tokens,
            tuple(terms.split()),
            tuple(title.split()),
        )


@dataclass(frozen=True)
class StoryEvidence:
    """Why an article belongs to a story: the earlier article, the rule, its score."""

    story_id: int
    other_article_id: int
    rule: str
    score: float


@lru_cache(maxsize=16)
def _constants(label: str, count: int) -> np.ndarray:
    """`count` fixed odd 64-bit constants derived from `label` by BLAKE2b (stable everywhere:
    stored signatures and buckets must not change with a library version)."""
    digests = b"".join(
        hashlib.blake2b(f"newsmon-stories:{label}:{number}".encode(), digest_size=8).digest()
        for number in range(count)
    )
    return np.frombuffer(digests, dtype="<u8").astype(np.uint64) | np.uint64(1)


def signature(
    title: str, lead: str | None = None, *, config: StoryConfig = DEFAULT_CONFIG
) -> Signature:
    """The signature of an article's title and lead (pure; stable across processes)."""
    texts = [title, lead] if lead else [title]
    # Chinese and Japanese as pairs of characters for words; the texts as written for names.
    spaced = [_cjk_pairs(text) for text in texts] if any(map(_CJK_RUN.search, texts)) else texts
    parts = [_ascii(text) for text in spaced]
    content = [word for part in parts for word in _content_words(part)]
    minhash = _minhash(content, config.num_perm)
    buckets = _buckets(minhash, config) if content else ()
    if any(_ARABIC_WORD.search(text) for text in texts):
        parts_of_terms = [_ascii(_arabic_stemmed(text)) for text in spaced]
        content_of_terms = [word for part in parts_of_terms for word in _content_words(part)]
    else:
        parts_of_terms, content_of_terms = parts, content
    if any(_UNCASED_RUN.search(text) for text in texts):
        parts_of_names = [_ascii(_UNCASED_RUN.sub(" ", text)) for text in texts]
        places = [_uncased_places(text) for text in texts]
    else:
        parts_of_names, places = parts, [[] for _ in texts]
    entities = _with_places(_entities(parts_of_names), [key for found in places for key in found])
    terms = _terms(content_of_terms)
    headline = {
        *_with_places(_entities(parts_of_names[:1]), places[0]),
        *_terms(_content_words(parts_of_terms[0])),
    }
    headline_keys = tuple(key for key in entities if key in headline) + tuple(
        TERM_PREFIX + term for term in terms if term in headline
    )
    return Signature(minhash.tobytes(), buckets, entities, len(content), terms, headline_keys)


def _cjk_pairs(text: str) -> str:
    """Text with each run of Chinese or Japanese characters written as its overlapping pairs
    of characters, apart: these scripts set no spaces between words, and pairs are what
    search engines index them by (`希腊和塞浦路斯` -> `希腊 腊和 和塞 塞浦 浦路 路斯`)."""
    return _CJK_RUN.sub(lambda match: f" {' '.join(_character_pairs(match.group()))} ", text)


def _character_pairs(run: str) -> list[str]:
    return [run[index : index + 2] for index in range(len(run) - 1)] or [run]


def _uncased_places(text: str) -> list[str]:
    """Place keys of the countries a text names in scripts without capitals: inside the words
    of Chinese, Japanese and Korean (`塞浦路斯`, `キプロス`, `키프로스` -> `@cy`), and word by
    word in Arabic, Persian, Hebrew, Hindi, Bengali and Georgian, with the letters written onto
    a word taken off (`واليونان`, `בישראל`)."""
    found: list[str] = []
    if _CJK_OR_HANGUL.search(text):
        pattern, keys = _cjk_countries()
        found.extend(keys[match.group()] for match in pattern.finditer(text))
    for match in _SPACED_UNCASED_WORD.finditer(text):
        key = _uncased_country(match.group())
        if key:
            found.append(key)
    return found


@lru_cache(maxsize=1)
def _cjk_countries() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern of the Chinese, Japanese and Korean names of countries (longest first) and
    the place key of each, names two countries share left out."""
    keys = _unambiguous(
        [
            (name, PLACE_PREFIX + code)
            for code, names in cjk_country_names().items()
            for name in names
        ]
    )
    return re.compile("|".join(map(re.escape, sorted(keys, key=len, reverse=True)))), keys


@lru_cache(maxsize=1 << 14)
def _uncased_country(word: str) -> str | None:
    """The place key of the country an Arabic, Persian, Hebrew, Hindi, Bengali or Georgian
    word names, or None; the least stripped form that names one wins."""
    keys = _uncased_countries()
    for form in sorted(_bare_forms(_normalized_letters(word)), key=len, reverse=True):
        if form in keys:
            return keys[form]
    return None


@lru_cache(maxsize=1)
def _uncased_countries() -> dict[str, str]:
    """Place keys by the normalized names of `places.UNCASED_LOCALES` and their bare forms
    (`اليونان`, `يونان`; `أمريكا`, `امريك`), forms two countries share left out."""
    return _unambiguous(
        [
            (form, PLACE_PREFIX + code)
            for code, names in uncased_country_names().items()
            for name in names
            for form in _name_forms(_normalized_letters(name))
        ]
    )


def _normalized_letters(word: str) -> str:
    """Arabic letters written several ways made one (alef forms, alef maqsura, ta marbuta)."""
    return word.translate(_ARABIC_LETTERS)


def _name_forms(name: str) -> set[str]:
    """A name, without the Arabic article, and less a final alef (the stem of `أمريكي`)."""
    forms = {name, name.removeprefix("ال")}
    return forms | {form[:-1] for form in forms if form.endswith("ا") and len(form) > 3}


def _bare_forms(word: str) -> set[str]:
    """A word with the letters Arabic and Hebrew write onto it taken off, in every way they
    may be: Arabic `و`/`ف`, then `ب`/`ل`/`ك`, then the article, then an adjective ending
    (`والمصرية` -> `مصر`); Hebrew up to two of `ו ה ב ל מ ש כ` (`ובישראל` -> `ישראל`)."""
    forms = {word}
    for letters in _ARABIC_PREFIXES:
        forms |= {form[1:] for form in forms if form[:1] in letters}
    forms |= {form[2:] for form in forms if form.startswith("ال")}
    forms |= {form[1:] for form in forms if form.startswith("ل")}
    forms |= {
        form[: -len(ending)]
        for form in forms
        for ending in _ARABIC_ENDINGS
        if form.endswith(ending)
    }
    for _ in range(2):
        forms |= {form[1:] for form in forms if form[:1] in _HEBREW_PREFIXES}
    return {form for form in forms if len(form) >= 2}


def _with_places(entities: tuple[str, ...], places: list[str]) -> tuple[str, ...]:
    """Entity keys with the place keys found in scripts without capitals after them."""
    if not places:
        return entities
    return tuple(dict.fromkeys((*entities, *places)))[:MAX_ENTITY_KEYS]


def _arabic_stemmed(text: str) -> str:
    """Text with its Arabic-script words stemmed (Snowball): the article, the conjunctions and
    prepositions written onto a word and its endings go, so that `الرئيس`, `بالرئيس` and
    `رئيس` make one term (Arabic writes no capitals, so its words are only terms)."""
    return _ARABIC_WORD.sub(lambda match: _arabic_stem(match.group()), text)


@lru_cache(maxsize=1 << 16)
def _arabic_stem(word: str) -> str:
    """The Snowball stem of an Arabic word (cached: the stemmer takes milliseconds a headline,
    and words repeat)."""
    return _arabic_stemmer()(word)


@lru_cache(maxsize=1)
def _arabic_stemmer() -> Callable[[str], str]:
    """Snowball's Arabic stemmer (imported on first use: it brings 36 languages' stemmers)."""
    import snowballstemmer

    stem: Callable[[str], str] = snowballstemmer.stemmer("arabic").stemWord
    return stem


def _content_words(text: str) -> list[str]:
    """The folded words of an ASCII text, function words left out."""
    return [word for word in _WORD.findall(text.lower()) if word not in STOPWORDS]


def _terms(words: list[str]) -> tuple[str, ...]:
    """The content words (not numbers) of at least `TERM_MIN_LETTERS` letters, cut to
    `TERM_LETTERS`, each once, the first `MAX_TERMS` of them."""
    terms = dict.fromkeys(
        word[:TERM_LETTERS]
        for word in words
        if len(word) >= TERM_MIN_LETTERS and not word.isdigit()
    )
    return tuple(terms)[:MAX_TERMS]


def _ascii(text: str) -> str:
    """Text transliterated to ASCII as match_key does (Cyrillic soft/hard signs dropped)."""
    text = unicodedata.normalize("NFC", text)
    return text if text.isascii() else _NON_ASCII.sub(_transliterated, text)


def _transliterated(match: re.Match[str]) -> str:
    return _transliterate(match.group())


@lru_cache(maxsize=1 << 16)
def _transliterate(run: str) -> str:
    """anyascii of a run of non-ASCII characters (runs repeat: words, letters)."""
    for sign in _SOFT_SIGNS:
        run = run.replace(sign, "")
    return anyascii(run)


def _token_hashes(tokens: list[str]) -> np.ndarray:
    """Stable 64-bit hashes of ASCII tokens: linear in 8-byte words, then mixed."""
    width = -(-max(len(token) for token in tokens) // 8)
    words = np.array(tokens, dtype=f"S{width * 8}").view("<u8").reshape(len(tokens), width)
    mixed = words @ _constants("token", width)
    mixed ^= mixed >> np.uint64(29)
    mixed *= _MIX_MULTIPLIER
    mixed ^= mixed >> np.uint64(32)
    return mixed


def _minhash(tokens: list[str], num_perm: int) -> np.ndarray:
    """MinHash of the tokens' unigrams and bigrams under fixed multiply-add-shift hashes."""
    if not tokens:
        return np.full(num_perm, 0xFFFFFFFF, dtype="<u4")
    position: dict[str, int] = {}
    order = [position.setdefault(token, len(position)) for token in tokens]
    unigrams = _token_hashes(list(position))
    sequence = unigrams[order]
    bigrams = sequence[:-1] * _MIX_MULTIPLIER + (sequence[1:] >> np.uint64(7))
    hashed = np.concatenate((unigrams, bigrams))[:, None] * _constants("multiply", num_perm)
    hashed += _constants("add", num_perm)
    return (hashed.min(axis=0) >> np.uint64(32)).astype("<u4")


def _buckets(minhash: np.ndarray, config: StoryConfig) -> tuple[int, ...]:
    """One hash per LSH band of `rows` MinHash values, as non-negative 63-bit integers."""
    bands = minhash.reshape(config.bands, config.rows).astype(np.uint64)
    mixed = bands @ _constants("row", config.rows)
    mixed += _constants("band", config.bands)
    mixed ^= mixed >> np.uint64(31)
    return tuple((mixed >> np.uint64(1)).tolist())


def _entities(parts: list[str]) -> tuple[str, ...]:
    """Entity keys of the title and lead (ASCII), in order of first appearance.

    Capitalized words (and acronyms) are names unless the text also writes them in lower case
    (which drops sentence-initial common words and English institutional capitals) or they
    are known not to be names; a title in Title Case contributes only words its lead also
    capitalizes. Numbers of two or more digits are kept as `#n`, unless hyphenated to a word
    (`COVID-19`, `F-16`): those are part of a name, not a count or a year.
    """
    text = " ".join(parts)
    lowered = set(_LOWER_WORD.findall(text))
    if len(parts) > 1 and _is_title_case(parts[0]):
        confirmed = {word.lower() for word in _CAPITALIZED.findall(parts[1])}
        words = [
            word
            for word in _CAPITALIZED_OR_NUMBER.findall(parts[0])
            if word.lower() in confirmed or word.isdigit()
        ]
        words += _CAPITALIZED_OR_NUMBER.findall(parts[1])
    else:
        words = _CAPITALIZED_OR_NUMBER.findall(text)
    keys: dict[str, None] = {}
    for word in words:
        if word.isdigit():
            number = word.lstrip("0")
            if len(number) >= 2:
                keys[NUMBER_PREFIX + number] = None
            continue
        folded = word.lower()
        if folded not in lowered and folded not in STOPWORDS:
            key = entity_key(folded)
            if key:
                keys[key] = None
    return tuple(keys)[:MAX_ENTITY_KEYS]


def _is_title_case(title: str) -> bool:
    """Whether most longer words after the first are capitalized (`Massive Attack on ...`)."""
    words = _LONG_WORD.findall(title)[1:]
    capitalized = sum(1 for word in words if word[0].isupper())
    return len(words) >= 2 and capitalized >= _TITLE_CASE_SHARE * len(words)


def _is_count(key: str) -> bool:
    """A number key that is not a year."""
    return key.startswith(NUMBER_PREFIX) and int(key[1:]) not in _YEARS


def estimated_jaccard(first: Signature, second: Signature) -> float:
    """The share of MinHash values two signatures agree on."""
    if not first.tokens or not second.tokens or first.num_perm != second.num_perm:
        return 0.0
    return float(np.count_nonzero(first.values == second.values)) / first.num_perm


def estimated_jaccards(first: Signature, others: list[Signature]) -> list[float]:
    """`estimated_jaccard(first, other)` for each of `others`, compared all at once."""
    comparable = [
        index
        for index, other in enumerate(others)
        if other.tokens and other.num_perm == first.num_perm
    ]
    jaccards = [0.0] * len(others)
    if not first.tokens or not comparable:
        return jaccards
    stacked = np.frombuffer(
        b"".join(others[index].minhash for index in comparable), dtype="<u4"
    ).reshape(len(comparable), first.num_perm)
    agreeing = np.count_nonzero(stacked == first.values, axis=1) / first.num_perm
    for index, jaccard in zip(comparable, agreeing.tolist(), strict=True):
        jaccards[index] = jaccard
    return jaccards


@lru_cache(maxsize=1 << 16)
def _is_common(key: str) -> bool:
    """A year, or a place of `COMMON_PLACES` (or the term of its name): in every other report,
    never what an event rests on."""
    if key.startswith(NUMBER_PREFIX):
        return int(key[1:]) in _YEARS
    return key in _COMMON_PLACE_KEYS or key in _COMMON_TERMS


def _key_rows_sql(keys: int, days: int) -> str:
    """The (key, article) rows of `keys` keys, each key read through the (day, key) index,
    newest rows first, on the window's `days` days only (parameters: per key the days, the key,
    the article to leave out and the rows to read)."""
    per_key = (
        "SELECT * FROM (SELECT key, article_id FROM entity_keys WHERE day IN "
        f"({', '.join('?' * days)}) AND key = ? AND article_id IS NOT ? ORDER BY day DESC LIMIT ?)"
    )
    return " UNION ALL ".join([per_key] * keys)


def _members_sql(stories: int) -> str:
    """The newest members of each of `stories` stories with their signature, embedding and
    first indexed day, each story read through `articles(story_id)` (parameters: per story the
    story, the article to leave out and the members wanted)."""
    per_story = (
        "SELECT * FROM (SELECT a.id, a.story_id, a.source_id, a.lang, a.signature, a.embedding, "
        "(SELECT MIN(b.day) FROM lsh_buckets b WHERE b.article_id = a.id) FROM articles a "
        "WHERE a.story_id = ? AND a.id IS NOT ? AND a.signature IS NOT NULL "
        "ORDER BY a.id DESC LIMIT ?)"
    )
    return " UNION ALL ".join([per_story] * stories)


# id, story, source, language, signature, embedding, first indexed day
Member = tuple[int, int, str | None, str | None, bytes, bytes | None, int | None]


@dataclass(frozen=True)
class KeyWeights:
    """The keys of a new article weighed in its window (`of_key`), the keys of its headline
    (`title`) and the norm of its keys with them; the weight of a key no article of the window
    has (`rarest`), and the factors of entity keys, of common keys and of headline keys
    (`StoryConfig`)."""

    of_key: dict[str, float]
    norm: float
    rarest: float
    entity_factor: float
    common_factor: float
    title_factor: float
    title: frozenset[str] = frozenset()
    of_absent: dict[str, float] = field(default_factory=dict)

    def factor(self, key: str) -> float:
        """How much more (or less) a key counts than a word of the same rarity."""
        if _is_common(key):
            return self.common_factor
        return 1.0 if key.startswith(TERM_PREFIX) else self.entity_factor

    def absent(self, key: str) -> float:
        """The weight of a key no article of the window has (cached: members share keys)."""
        weight = self.of_absent.get(key)
        if weight is None:
            weight = self.of_absent[key] = self.rarest * self.factor(key)
        return weight

    def norm_of(self, keys: tuple[str, ...]) -> float:
        """The norm of some of the article's own keys, weighed as for `norm`."""
        return math.sqrt(
            sum(
                (self.of_key.get(key, 0.0) * (self.title_factor if key in self.title else 1.0)) ** 2
                for key in keys
            )
        )

    def cosine(
        self, keys: tuple[str, ...], title: tuple[str, ...] = (), norm: float | None = None
    ) -> float:
        """The weighted cosine of the article's keys with another article's keys, `title` the
        other's headline keys (a key the article lacks weighs as much as the rarest); `norm`
        that of the article's keys compared, when they are not all of them."""
        norm = self.norm if norm is None else norm
        headline = set(title)
        dot = 0.0
        other = 0.0
        for key in keys:
            factor = self.title_factor if key in headline else 1.0
            weight = self.of_key.get(key)
            if weight is None:
                weight = self.absent(key)
            else:
                own = self.title_factor if key in self.title else 1.0
                dot += weight * weight * factor * own
            other += (weight * factor) ** 2
        return dot / (norm * math.sqrt(other)) if dot else 0.0


class StoryIndex:
    """Finds the story of a new article among articles of nearby days; indexes articles."""

    def __init__(self, conn: sqlite3.Connection, config: StoryConfig = DEFAULT_CONFIG) -> None:
        self.conn = conn
        self.config = config
        article_marks = ", ".join("?" * config.max_candidates)
        days = 2 * config.window_days + 1
        self._bucket_sql = f"""
            SELECT article_id FROM lsh_buckets
            WHERE day IN ({", ".join("?" * days)}) AND bucket IN ({", ".join("?" * config.bands)})
              AND article_id IS NOT ?
            GROUP BY article_id ORDER BY COUNT(*) DESC, article_id DESC LIMIT ?"""
        self._key_sql = {
            count: _key_rows_sql(count, days) for count in range(1, MAX_ENTITY_KEYS + MAX_TERMS + 1)
        }
        self._articles_sql = f"""
            SELECT id, story_id, source_id, lang, signature FROM articles
            WHERE id IN ({article_marks}) AND signature IS NOT NULL"""
        self._members_sql = {
            count: _members_sql(count) for count in range(1, config.max_candidates + 1)
        }

    def find(
        self,
        sig: Signature,
        day: int,
        *,
        exclude_article: int | None = None,
        source_id: str | None = None,
        lang: str | None = None,
        embedding: bytes | None = None,
    ) -> StoryEvidence | None:
        """The best evidence placing an article (of `day`) in an existing story, or None.

        The candidates' stories are weighed whole (`StoryConfig`); the evidence names the story,
        its member most like the article, the rule that member agrees by (`near-duplicate`;
        `word-overlap` in one language, `entities` across languages; `meaning` when only the
        article's `embedding` places it) and the story's similarity. `source_id` and `lang`
        describe the new article: a member of its source and language counts only as a
        near-duplicate (unknown counts as different).
        """
        if sig.num_perm != self.config.num_perm:
            raise ValueError(
                f"signature has {sig.num_perm} permutations, index uses {self.config.num_perm}"
            )
        ids, weights = self.candidates(sig, day, exclude_article)
        if not ids:
            return None
        padding = [None] * (self.config.max_candidates - len(ids))
        rows = self.conn.execute(self._articles_sql, (*ids, *padding)).fetchall()
        stories = list(dict.fromkeys(row[1] for row in rows if row[1] is not None))
        voting: dict[int, tuple[list[Member], bool]] = {}
        for story_id, members in self._members(stories, exclude_article).items():
            if any(
                first_day is not None and first_day < day - self.config.story_span_days
                for *_, first_day in members
            ):
                continue
            same = [member for member in members if member[3] == lang and lang]
            voting[story_id] = same or members, bool(same)
        voters = [member for members, _ in voting.values() for member in members]
        others = [Signature.from_bytes(member[4]) for member in voters]
        jaccards = iter(estimated_jaccards(sig, others))
        keys = set(sig.keys)
        similarities = iter(
            self.similarity(
                sig,
                other,
                next(jaccards),
                weights,
                same_language=member[3] == lang and lang is not None,
                same_source=member[2] == source_id and source_id is not None,
                keys=keys,
            )
            for member, other in zip(voters, others, strict=True)
        )
        best: tuple[float, StoryEvidence] | None = None
        for story_id, (story_voters, in_language) in voting.items():
            scored = [(next(similarities), member[0]) for member in story_voters]
            similarity = sum(score for (score, _), _ in scored) / len(scored)
            needed = (
                self.config.min_similarity
                if in_language
                else self.config.min_similarity_other_language
            )
            if similarity < needed or (best is not None and similarity <= best[0]):
                continue
            (_, rule), article_id = max(scored)
            best = similarity, StoryEvidence(story_id, article_id, rule, round(similarity, 4))
        if best is None and embedding is not None:
            return self._by_meaning(embedding, voting, source_id, lang)
        return best[1] if best else None

    def _by_meaning(
        self,
        embedding: bytes,
        voting: dict[int, tuple[list[Member], bool]],
        source_id: str | None,
        lang: str | None,
    ) -> StoryEvidence | None:
        """The story whose members are closest in meaning to the article, as a whole: the mean
        cosine of their embeddings with the article's (members of its own source and language,
        and members stored without a whole embedding, left out), at least
        `min_meaning_similarity`, or `min_meaning_similarity_other_language` when none of them
        is in the article's language."""
        best: tuple[float, StoryEvidence] | None = None
        for story_id, (members, in_language) in voting.items():
            scored = [
                (semantic.similarity(embedding, member[5]), member[0])
                for member in members
                if member[5] is not None
                and len(member[5]) == semantic.EMBEDDING_BYTES
                and not (lang and member[3] == lang and source_id and member[2] == source_id)
            ]
            if not scored:
                continue
            mean = sum(score for score, _ in scored) / len(scored)
            needed = (
                self.config.min_meaning_similarity
                if in_language
                else self.config.min_meaning_similarity_other_language
            )
            if mean < needed or (best is not None and mean <= best[0]):
                continue
            _, article_id = max(scored)
            best = mean, StoryEvidence(story_id, article_id, RULE_MEANING, round(mean, 4))
        return best[1] if best else None

    def similarity(
        self,
        sig: Signature,
        other: Signature,
        jaccard: float,
        weights: KeyWeights,
        *,
        same_language: bool,
        same_source: bool,
        keys: set[str] | None = None,
    ) -> tuple[float, str]:
        """How alike an earlier article is to the new one (`weights`: the new article's, from
        `candidates`), and by which rule: a near-duplicate counts 1; an article of the same
        source and language that is not one, or one that shares fewer than `min_shared_keys`
        keys besides common places and years with it, counts 0; else the weighted cosine
        of their keys. `keys`: the new article's keys as a set, when the caller has it."""
        if self._near_duplicate(sig, other, jaccard):
            return 1.0, RULE_NEAR_DUPLICATE
        if same_language and same_source:
            return 0.0, RULE_WORD_OVERLAP
        rule = RULE_WORD_OVERLAP if same_language else RULE_ENTITIES
        shared = (keys if keys is not None else set(sig.keys)).intersection(other.keys)
        if sum(not _is_common(key) for key in shared) < self.config.min_shared_keys:
            return 0.0, rule
        score = weights.cosine(other.keys, other.title)
        if not same_language:
            names = weights.cosine(other.entities, other.title, weights.norm_of(sig.entities))
            if names >= self.config.entity_similarity_other_language:
                score = max(score, names)
        return score, rule

    def _members(self, stories: list[int], exclude_article: int | None) -> dict[int, list[Member]]:
        """The newest `story_members` members of each story (newest first), with their
        first indexed day."""
        if not stories:
            return {}
        stories = stories[: self.config.max_candidates]
        parameters = [
            value
            for story in stories
            for value in (story, exclude_article, self.config.story_members)
        ]
        found: dict[int, list[Member]] = {story: [] for story in stories}
        for row in self.conn.execute(self._members_sql[len(stories)], parameters):
            found[row[1]].append(row)
        return {story: members for story, members in found.items() if members}

    def is_near_duplicate(self, first: Signature, second: Signature) -> bool:
        """Estimated Jaccard at the threshold, and no disagreement on every number."""
        return self._near_duplicate(first, second, estimated_jaccard(first, second))

    def _near_duplicate(self, first: Signature, second: Signature, jaccard: float) -> bool:
        if jaccard < self.config.jaccard_threshold:
            return False
        if not self.config.number_veto:
            return True
        counts = {key for key in first.entities if _is_count(key)}
        other_counts = {key for key in second.entities if _is_count(key)}
        return not counts or not other_counts or not counts.isdisjoint(other_counts)

    def add(
        self, article_id: int, sig: Signature, day: int, embedding: bytes | None = None
    ) -> None:
        """Index an existing article (replacing its earlier rows) and store its signature and,
        when given, its embedding."""
        self.conn.execute("SAVEPOINT story_index_add")
        try:
            updated = self.conn.execute(
                "UPDATE articles SET signature = ?, embedding = coalesce(?, embedding) "
                "WHERE id = ?",
                (sig.to_bytes(), embedding, article_id),
            )
            if updated.rowcount != 1:
                raise LookupError(f"article {article_id} does not exist")
            self.conn.execute("DELETE FROM lsh_buckets WHERE article_id = ?", (article_id,))
            self.conn.execute("DELETE FROM entity_keys WHERE article_id = ?", (article_id,))
            self.conn.executemany(
                "INSERT INTO lsh_buckets (bucket, article_id, day) VALUES (?, ?, ?)",
                [(bucket, article_id, day) for bucket in sig.buckets],
            )
            self.conn.executemany(
                "INSERT INTO entity_keys (key, article_id, day) VALUES (?, ?, ?)",
                [(key, article_id, day) for key in sig.keys],
            )
        except BaseException:
            self.conn.execute("ROLLBACK TO story_index_add")
            raise
        finally:
            self.conn.execute("RELEASE story_index_add")

    def candidates(
        self, sig: Signature, day: int, exclude_article: int | None
    ) -> tuple[list[int], KeyWeights]:
        """The candidate articles (near-duplicate buckets first, then by the summed weight of
        the keys they share with the article, at most `max_candidates`) and the weights of the
        article's keys in the window."""
        window = range(day - self.config.window_days, day + self.config.window_days + 1)
        limit = self.config.max_candidates
        cap = self.config.rows_per_key
        found: dict[int, None] = {}
        if sig.buckets:
            rows = self.conn.execute(
                self._bucket_sql, (*window, *sig.buckets, exclude_article, limit)
            )
            found.update((row[0], None) for row in rows)
        keys = sig.keys
        holders: dict[str, list[int]] = {key: [] for key in keys}
        if keys:
            parameters = [value for key in keys for value in (*window, key, exclude_article, cap)]
            for key, article_id in self.conn.execute(self._key_sql[len(keys)], parameters):
                holders[key].append(article_id)
        weights = KeyWeights(
            {},
            0.0,
            math.log(cap + 1),
            self.config.entity_weight,
            self.config.common_key_weight,
            self.config.title_weight,
            frozenset(sig.title),
        )
        of_key = {
            key: math.log((cap + 1) / (len(ids) + 1)) * weights.factor(key)
            for key, ids in holders.items()
        }
        shared: dict[int, float] = {}
        for key, ids in holders.items():
            for article_id in ids:
                shared[article_id] = shared.get(article_id, 0.0) + of_key[key]
        ranked = sorted(
            (article_id for article_id, weight in shared.items() if weight > 0),
            key=lambda article_id: (-shared[article_id], -article_id),
        )
        found.update((article_id, None) for article_id in ranked[:limit])
        norm = math.sqrt(
            sum(
                (weight * (weights.title_factor if key in weights.title else 1.0)) ** 2
                for key, weight in of_key.items()
            )
        )
        return list(found)[:limit], dataclasses.replace(weights, of_key=of_key, norm=norm)
