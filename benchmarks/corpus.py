"""A replay corpus of N article pages built on the seed sites' markup (run by hand).

    python benchmarks/corpus.py --pages 10000 --out /work/bench-corpus/10k [--seed 1]

Writes a fixture directory that `newsmon crawl report_az ccbsnews --replay DIR` (and the
anchor spider, `benchmarks/anchor.py`) crawl like the two seed sites: `manifest.json` in the
`seeds/manifest.json` format, both sites' `robots.txt`, one RSS feed and one "all news" listing
per site (the spiders' start pages: `site.feeds` + `site.listings`; the listing paginated, its
pages chained by `rel="next"` links) and N article pages.

The pages are the seed pages (`seeds/report_az/*`, `seeds/ccbsnews/*`) with their text
swapped out: every title, date, body, section, tag, hreflang block and sidebar of headlines is
generated, the markup around them is the seed's, byte for byte. Deterministic for a given
`--seed` and `--pages`.

What the N pages are made of, in publication order over `--days` days ending at the seed's
fetch time (2026-03-03 14:45, Baku):

- report.az articles in English (about 2/3 of the pages), a share of them (`--alternates`)
  published with an Azerbaijani and a Russian version linked by hreflang (az/ru pairs of the
  same story, and their "other languages" headlines);
- ccbsnews.info articles in English;
- near-duplicates (`--duplicates`): a syndicated copy of a report.az story on ccbsnews.info,
  or the same story re-posted by report.az under a new address, each with a small edit to the
  title and the same text;
- every report.az page shows the nine latest headlines of its language, every ccbsnews.info
  page the ten latest of its site (as the seed pages do), all of them pages of the corpus;
- the text cites a dozen invented agencies and ministries as its sources ("Report informs,
  citing ..."), so bodies, names and numbers vary from page to page. Stories are the two
  sites' own (the spiders are per site, so every page lives under report.az or ccbsnews.info).

Each site's feed links its newest `--feed-items` articles (50, as news sites' feeds do; 0:
all) and its listing every one of its articles, newest first, `--listing-items` (100) a page:
page 1 is the listing's own address, page K `?page=K`, each linking the next by `<link
rel="next">`. A crawl that follows the listing to its end (`-s NEWSMON_LISTING_PAGES=<enough>`)
reaches all N pages, and no page is larger than a real site's. Article pages are
written gzip-compressed (`.html.gz`, ~4 KiB for a ~16 KiB report.az page; `FixtureSet.body`
decompresses them) unless `--plain`. `corpus.json` records what was generated.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from itertools import accumulate
from pathlib import Path

from anyascii import anyascii

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
BAKU = timezone(timedelta(hours=4))  # Baku has kept +04:00 all year since 2016
END = datetime(2026, 3, 3, 14, 45, tzinfo=BAKU)
HTML_TYPE = "text/html; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
REPORT_FEED = "https://report.az/en/rss/"
REPORT_LISTING = "https://report.az/en/news-feed/"
CCBS_FEED = "https://ccbsnews.info/en/rss"
CCBS_LISTING = "https://ccbsnews.info/en/news"
REPORT_LATEST = 9
CCBS_LATEST = 10
CCBS_FIRST_ID = 5000
SHARD = 1000  # article files per directory
_PLACEHOLDER = re.compile(r"@@([A-Z_]+)@@")
_UNSAFE_TEXT = re.compile(r'["<>&\\]')


class CorpusError(Exception):
    """The seed markup is not what the generator expects; the message names what changed."""


# Text ---------------------------------------------------------------------------------------

# (English, Azerbaijani, Russian) names; Russian countries in the nominative.
COUNTRIES = [
    ("Azerbaijan", "Azərbaycan", "Азербайджан"),
    ("Türkiye", "Türkiyə", "Турция"),
    ("Georgia", "Gürcüstan", "Грузия"),
    ("Kazakhstan", "Qazaxıstan", "Казахстан"),
    ("Uzbekistan", "Özbəkistan", "Узбекистан"),
    ("Turkmenistan", "Türkmənistan", "Туркменистан"),
    ("Kyrgyzstan", "Qırğızıstan", "Кыргызстан"),
    ("Iran", "İran", "Иран"),
    ("Russia", "Rusiya", "Россия"),
    ("Ukraine", "Ukrayna", "Украина"),
    ("Armenia", "Ermənistan", "Армения"),
    ("China", "Çin", "Китай"),
    ("Italy", "İtaliya", "Италия"),
    ("Germany", "Almaniya", "Германия"),
    ("France", "Fransa", "Франция"),
    ("Pakistan", "Pakistan", "Пакистан"),
    ("Israel", "İsrail", "Израиль"),
    ("Hungary", "Macarıstan", "Венгрия"),
    ("Serbia", "Serbiya", "Сербия"),
    ("Romania", "Rumıniya", "Румыния"),
    ("Bulgaria", "Bolqarıstan", "Болгария"),
    ("Greece", "Yunanıstan", "Греция"),
    ("Egypt", "Misir", "Египет"),
    ("Japan", "Yaponiya", "Япония"),
    ("India", "Hindistan", "Индия"),
    ("Qatar", "Qətər", "Катар"),
    ("Poland", "Polşa", "Польша"),
    ("Lithuania", "Litva", "Литва"),
    ("Slovakia", "Slovakiya", "Словакия"),
    ("Albania", "Albaniya", "Албания"),
]
# (English, Azerbaijani "… sahəsində", Russian genitive "в сфере …").
TOPICS = [
    ("defense industry", "müdafiə sənayesi", "оборонной промышленности"),
    ("energy", "enerji", "энергетики"),
    ("transport", "nəqliyyat", "транспорта"),
    ("trade", "ticarət", "торговли"),
    ("agriculture", "kənd təsərrüfatı", "сельского хозяйства"),
    ("education", "təhsil", "образования"),
    ("healthcare", "səhiyyə", "здравоохранения"),
    ("tourism", "turizm", "туризма"),
    ("digital technologies", "rəqəmsal texnologiyalar", "цифровых технологий"),
    ("green energy", "yaşıl enerji", "зеленой энергетики"),
    ("logistics", "logistika", "логистики"),
    ("culture", "mədəniyyət", "культуры"),
    ("banking", "bank işi", "банковского дела"),
    ("security", "təhlükəsizlik", "безопасности"),
    ("science", "elm", "науки"),
    ("water management", "su təsərrüfatı", "водного хозяйства"),
    ("mining", "mədən sənayesi", "горнодобывающей промышленности"),
    ("aviation", "aviasiya", "авиации"),
    ("space research", "kosmik tədqiqatlar", "космических исследований"),
    ("telecommunications", "telekommunikasiya", "телекоммуникаций"),
    ("military", "hərbi", "военной"),
    ("shipbuilding", "gəmiqayırma", "судостроения"),
]
NAMED_PEOPLE = [
    ("Vugar Mustafayev", "Vüqar Mustafayev", "Вугар Мустафаев"),
    ("Yasar Guler", "Yaşar Gülər", "Яшар Гюлер"),
    ("Jeyhun Bayramov", "Ceyhun Bayramov", "Джейхун Байрамов"),
    ("Hakan Fidan", "Hakan Fidan", "Хакан Фидан"),
    ("Mikayil Jabbarov", "Mikayıl Cabbarov", "Микаил Джаббаров"),
    ("Parviz Shahbazov", "Pərviz Şahbazov", "Парвиз Шахбазов"),
    ("Zakir Hasanov", "Zakir Həsənov", "Закир Гасанов"),
    ("Haluk Gorgun", "Haluk Görgün", "Халюк Гёргюн"),
    ("Rashad Nabiyev", "Rəşad Nəbiyev", "Рашад Набиев"),
    ("Emin Amrullayev", "Emin Əmrullayev", "Эмин Амруллаев"),
    ("Samir Sharifov", "Samir Şərifov", "Самир Шарифов"),
    ("Mukhtar Babayev", "Muxtar Babayev", "Мухтар Бабаев"),
    ("Alparslan Bayraktar", "Alparslan Bayraktar", "Алпарслан Байрактар"),
    ("Irakli Kobakhidze", "İrakli Kobaxidze", "Ираклий Кобахидзе"),
    ("Murat Nurtleu", "Murat Nurtleu", "Мурат Нуртлеу"),
    ("Bakhtiyor Saidov", "Baxtiyor Saidov", "Бахтиёр Саидов"),
    ("Antonio Tajani", "Antonio Tayani", "Антонио Таяни"),
    ("Peter Szijjarto", "Peter Siyarto", "Петер Сийярто"),
    ("Goran Nikolovski", "Qoran Nikolovski", "Горан Николовски"),
    ("Anar Karimov", "Anar Kərimov", "Анар Керимов"),
    ("Farid Shafiyev", "Fərid Şəfiyev", "Фарид Шафиев"),
    ("Elnur Soltanov", "Elnur Soltanov", "Эльнур Солтанов"),
    ("Aida Mahmudova", "Aida Mahmudova", "Аида Махмудова"),
    ("Leyla Abdullayeva", "Leyla Abdullayeva", "Лейла Абдуллаева"),
]
# Everyone else in the news: first name × family name, (English, Azerbaijani, Russian).
FIRST_NAMES = [
    ("Elchin", "Elçin", "Эльчин"),
    ("Rashad", "Rəşad", "Рашад"),
    ("Orkhan", "Orxan", "Орхан"),
    ("Kamran", "Kamran", "Камран"),
    ("Tural", "Tural", "Турал"),
    ("Nigar", "Nigar", "Нигяр"),
    ("Aysel", "Aysel", "Айсель"),
    ("Gunel", "Günel", "Гюнель"),
    ("Vusal", "Vüsal", "Вюсал"),
    ("Ali", "Əli", "Али"),
    ("Mehmet", "Mehmet", "Мехмет"),
    ("Ahmet", "Ahmet", "Ахмет"),
    ("Sergey", "Sergey", "Сергей"),
    ("Andrey", "Andrey", "Андрей"),
    ("Giorgi", "Giorgi", "Георгий"),
    ("Nikola", "Nikola", "Никола"),
    ("Elena", "Yelena", "Елена"),
    ("Marco", "Marko", "Марко"),
    ("Jan", "Yan", "Ян"),
    ("Anna", "Anna", "Анна"),
    ("Timur", "Teymur", "Тимур"),
    ("Ruslan", "Ruslan", "Руслан"),
    ("Zaur", "Zaur", "Заур"),
    ("Sabina", "Səbinə", "Сабина"),
]
FAMILY_NAMES = [
    ("Mammadov", "Məmmədov", "Мамедов"),
    ("Aliyev", "Əliyev", "Алиев"),
    ("Huseynov", "Hüseynov", "Гусейнов"),
    ("Guliyev", "Quliyev", "Кулиев"),
    ("Ismayilov", "İsmayılov", "Исмаилов"),
    ("Abbasov", "Abbasov", "Аббасов"),
    ("Jafarov", "Cəfərov", "Джафаров"),
    ("Rzayev", "Rzayev", "Рзаев"),
    ("Suleymanov", "Süleymanov", "Сулейманов"),
    ("Valiyev", "Vəliyev", "Велиев"),
    ("Najafov", "Nəcəfov", "Наджафов"),
    ("Bagirov", "Bağırov", "Багиров"),
    ("Yilmaz", "Yılmaz", "Йылмаз"),
    ("Demir", "Demir", "Демир"),
    ("Kaya", "Kaya", "Кая"),
    ("Ivanov", "İvanov", "Иванов"),
    ("Petrov", "Petrov", "Петров"),
    ("Smirnov", "Smirnov", "Смирнов"),
    ("Beridze", "Beridze", "Беридзе"),
    ("Kapanadze", "Kapanadze", "Капанадзе"),
    ("Novak", "Novak", "Новак"),
    ("Horvat", "Horvat", "Хорват"),
    ("Rossi", "Rossi", "Росси"),
    ("Schmidt", "Şmidt", "Шмидт"),
    ("Kovacs", "Kovaç", "Ковач"),
    ("Tokayev", "Tokayev", "Токаев"),
    ("Saidov", "Saidov", "Саидов"),
    ("Orujov", "Orucov", "Оруджев"),
    ("Askerov", "Əsgərov", "Аскеров"),
    ("Nasirov", "Nəsirov", "Насиров"),
]
_OTHERS = [
    (f"{first[0]} {family[0]}", f"{first[1]} {family[1]}", f"{first[2]} {family[2]}")
    for first in FIRST_NAMES
    for family in FAMILY_NAMES
]
random.Random(0).shuffle(_OTHERS)
# The named people are in the news most; everyone's share falls with their rank (Zipf).
PEOPLE = NAMED_PEOPLE + _OTHERS
CITIES = [
    "Baku",
    "Ganja",
    "Sumgait",
    "Shusha",
    "Lankaran",
    "Sheki",
    "Nakhchivan",
    "Ankara",
    "Istanbul",
    "Tbilisi",
    "Astana",
    "Tashkent",
    "Rome",
    "Berlin",
    "Paris",
    "Budapest",
    "Belgrade",
    "Doha",
    "Cairo",
    "Tokyo",
    "Aktau",
    "Batumi",
    "Samarkand",
    "Izmir",
]
ROLES = [
    "Minister of Defense Industry",
    "Minister of National Defense",
    "Foreign Minister",
    "Minister of Economy",
    "Energy Minister",
    "Minister of Digital Development and Transport",
    "Deputy Prime Minister",
    "Minister of Agriculture",
    "Minister of Education",
    "Chairman of the Board",
    "Ambassador",
    "Minister of Ecology and Natural Resources",
]
# The invented sources the text cites.
AGENCIES = [
    "the ministry",
    "the press service of the Ministry of Defense",
    "the State Customs Committee",
    "the Caspian Energy Bureau",
    "the Agency for Regional Statistics",
    "the Ministry of Economy",
    "the Union of Caspian Ports",
    "the Transit Corridor Council",
    "the National Space Agency",
    "the Central Bank",
    "the Institute for Strategic Studies",
    "the Baku Chamber of Commerce",
]
OBJECTS = [
    "new projects",
    "joint ventures",
    "a roadmap for the next three years",
    "the results of the intergovernmental commission",
    "the expansion of direct flights",
    "investment opportunities",
    "the construction of a new terminal",
    "cargo transit through the Middle Corridor",
    "the supply of equipment",
    "training programs for specialists",
    "the modernization of infrastructure",
    "the application of modern technologies",
    "a memorandum of understanding",
    "the exchange of experience",
    "regional security issues",
    "the protection of critical infrastructure",
]
ADJECTIVES = [
    "bilateral",
    "strategic",
    "regional",
    "long-term",
    "practical",
    "mutually beneficial",
    "multilateral",
    "sustainable",
]
EN_TITLES = [
    "{A}, {B} discuss expanding {topic} cooperation",
    "{A} and {B} sign agreement on {topic}",
    "{person} and {person2} discuss {topic} projects",
    "{A} to boost {topic} investment by {n}%",
    "{A}, {B} agree on {n} new {topic} projects",
    "{person}: {A} ready to expand {topic} ties with {B}",
]
AZ_TITLES = [
    "{A} və {B} {topic} sahəsində əməkdaşlığın genişləndirilməsini müzakirə edib",
    "{A} və {B} {topic} üzrə saziş imzalayıb",
    "{person} və {person2} {topic} layihələrini müzakirə edib",
    "{A} {topic} sahəsinə investisiyaları {n}% artıracaq",
    "{A} və {B} {topic} sahəsində {n} yeni layihə üzrə razılığa gəlib",
    "{person}: {A} {B} ilə {topic} əlaqələrini genişləndirməyə hazırdır",
]
RU_TITLES = [
    "{A} и {B} обсудили расширение сотрудничества в сфере {topic}",
    "{A} и {B} подписали соглашение в сфере {topic}",
    "{person} и {person2} обсудили проекты в сфере {topic}",
    "{A} увеличит инвестиции в сфере {topic} на {n}%",
    "{A} и {B} договорились о {n} новых проектах в сфере {topic}",
    "{person}: {A} готова расширять связи с {B} в сфере {topic}",
]
# Titles of English-only stories.
EN_ONLY_TITLES = [
    "{n} people evacuated from {A} to {B} over past three hours",
    "{org} confirms {n} new {topic} projects in {A}",
    "{A}'s {topic} exports grow by {n}% in two months",
    "{person} meets delegation from {B}",
    "{A} hosts international forum on {topic}",
    "{person}: {topic} cooperation with {B} enters new stage",
    "{A} launches tender for {topic} infrastructure",
    "{B} interested in {A}'s experience in {topic}",
    "{org} reports {n}% rise in {topic} output",
    "{A} and {B} hold {n}th meeting of intergovernmental commission",
    "{city} to host {topic} exhibition with {n} participants",
    "{person} visits {city} to discuss {object}",
    "{org} signs {topic} contract worth {n} million",
    "{A} opens {topic} center in {city}",
    "New {topic} rules take effect in {A}",
    "{person} appointed head of {A}'s {topic} agency",
    "{B} delegation arrives in {city} for talks on {object}",
    "{A} records {n}% growth in {topic} investment",
    "{org} and {person} discuss {object}",
    "{city} airport to launch {n} new routes",
    "{A} to allocate {n} million for {topic} in {city}",
    "Talks on {object} held in {city}",
]
EN_SENTENCES = [
    "{person}, {role} of {A}, held meetings with representatives of {B} on {day}.",
    "The discussions focused on the current state and further development of {adj} "
    "cooperation between {A} and {B} in the field of {topic}.",
    "The sides exchanged views on {object} and {object2}.",
    "According to {agency}, the volume of {topic} projects reached {n} million manat in {year}.",
    "It was noted that strengthening cooperation in {topic} is of great importance for both "
    "countries.",
    "{person} stressed that {A} is interested in {object}.",
    "The parties also discussed {object} and agreed to continue consultations.",
    "During the visit, the delegation familiarized itself with {object} in {B}.",
    "{n} companies from {A} and {B} took part in the event.",
    "Earlier, {agency} reported that {topic} turnover between the two countries grew by "
    "{n}% year on year.",
    "The next meeting of the working group on {topic} is planned for {month} in {B}.",
    "Experts note that {adj} projects in {topic} open new opportunities for the region.",
]
AZ_SENTENCES = [
    "{person} {B} nümayəndələri ilə görüş keçirib.",
    "Görüşdə {A} ilə {B} arasında {topic} sahəsində əməkdaşlığın hazırkı vəziyyəti "
    "müzakirə olunub.",
    "Tərəflər yeni layihələrin həyata keçirilməsi barədə fikir mübadiləsi aparıblar.",
    "{agency_az} məlumatına görə, {year}-ci ildə layihələrin həcmi {n} milyon manat olub.",
    "Qeyd olunub ki, {topic} sahəsində əməkdaşlığın gücləndirilməsi hər iki ölkə üçün "
    "böyük əhəmiyyət kəsb edir.",
    "Tədbirdə {A} və {B} şirkətlərindən {n} nümayəndə iştirak edib.",
]
RU_SENTENCES = [
    "{person} провел встречу с представителями {B_gen} в {day_ru}.",
    "Стороны обсудили текущее состояние и перспективы сотрудничества в сфере {topic}.",
    "По данным {agency_ru}, объем проектов в {year} году составил {n} млн манатов.",
    "Было отмечено, что укрепление сотрудничества в сфере {topic} имеет большое значение "
    "для обеих стран.",
    "В мероприятии приняли участие {n} компаний из {A_gen} и {B_gen}.",
    "Следующее заседание рабочей группы запланировано на {month_ru}.",
]
AZ_AGENCIES = [
    "Nazirliyin",
    "Dövlət Gömrük Komitəsinin",
    "Mərkəzi Bankın",
    "Statistika Agentliyinin",
]
RU_AGENCIES = ["министерства", "Государственного таможенного комитета", "Центрального банка"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
DAYS_RU = ["понедельник", "вторник", "среду", "четверг", "пятницу"]
MONTHS_EN = ["April", "May", "June", "September", "October", "November"]
MONTHS_RU = ["апрель", "май", "июнь", "сентябрь", "октябрь", "ноябрь"]
# Sections of report.az: (English name, en slug, az slug, ru slug).
SECTIONS = [
    ("Military", "military", "herbi", "voennye"),
    ("Energy", "energy", "energetika", "energetika"),
    ("Region", "region", "region", "region"),
    ("Politics", "politics", "siyaset", "politika"),
    ("Finance", "finance", "maliyye", "finansy"),
    ("Foreign policy", "foreign-politics", "xarici-siyaset", "vneshnyaya-politika"),
    ("Other countries", "other-countries", "diger-olkeler", "drugie-strany"),
    ("Business", "business", "biznes", "biznes"),
]
# Small edits a syndicating or re-posting editor makes to a title.
TITLE_EDITS: list[Callable[[str], str]] = [
    lambda title: title.replace(", ", " and ", 1) if ", " in title else title + " - report",
    lambda title: "UPDATED: " + title,
    lambda title: (
        title.replace("discuss", "mull", 1)
        if "discuss" in title
        else title.replace(" on ", " about ", 1)
        if " on " in title
        else title + " amid growing ties"
    ),
    lambda title: title.rstrip(".") + " - ministry",
]
ORGS = ["SOCAR", "AzerGold", "Azerenergy", "Baku Port", "AZAL", "Azercosmos", "BOTAS", "TPAO"]
GENITIVE_RU = {"Турция": "Турции", "Россия": "России", "Грузия": "Грузии", "Украина": "Украины"}


def _russian_genitive(name: str) -> str:
    if name in GENITIVE_RU:
        return GENITIVE_RU[name]
    if name.endswith("ия"):
        return name[:-2] + "ии"
    if name.endswith("а"):
        return name[:-1] + "ы"
    if name.endswith(("н", "л", "т", "р")):
        return name + "а"
    return name


def _zipf(count: int, exponent: float) -> list[float]:
    """Cumulative weights of `count` ranks, the n-th weighing 1/n**exponent."""
    return list(accumulate(1 / rank**exponent for rank in range(1, count + 1)))


# The most named person is in about 7% of the stories, the most named country in 25%.
_PEOPLE_WEIGHTS = _zipf(len(PEOPLE), 0.8)
_COUNTRY_WEIGHTS = _zipf(len(COUNTRIES), 1.0)


def _two(rng: random.Random, weights: list[float]) -> tuple[int, int]:
    """Two different ranks drawn by weight."""
    first, second = rng.choices(range(len(weights)), cum_weights=weights, k=2)
    while second == first:
        second = rng.choices(range(len(weights)), cum_weights=weights)[0]
    return first, second


@dataclass
class Article:
    """One generated article page."""

    number: int
    site: str  # "report_az" or "ccbsnews"
    lang: str
    url: str
    title: str
    lead: str
    body: list[str]
    published: datetime  # Baku time
    fetched: datetime
    section: tuple[str, str, str, str] = SECTIONS[0]
    tags: list[str] = field(default_factory=list)
    alternates: dict[str, Article] = field(default_factory=dict)  # lang -> page, itself too
    photo: bool = False
    kind: str = "original"  # original, alternate, syndicated, repost

    @property
    def file(self) -> str:
        shard = self.number // SHARD
        return f"{self.site}/articles/{shard:04d}/{self.number:07d}.html"


class Writer:
    """Texts for one corpus, from one random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def slots(self) -> dict[str, int]:
        """Indexes of the entities one story is about (the same in every language); people
        and countries by popularity."""
        rng = self.rng
        a, b = _two(rng, _COUNTRY_WEIGHTS)
        p1, p2 = _two(rng, _PEOPLE_WEIGHTS)
        return {
            "A": a,
            "B": b,
            "topic": rng.randrange(len(TOPICS)),
            "person": p1,
            "person2": p2,
            "n": rng.choice([3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 17, 20, 25, 30, 40, 120, 350]),
            "template": rng.randrange(1_000_000),
            "org": rng.randrange(len(ORGS)),
            "city": rng.randrange(len(CITIES)),
            "object": rng.randrange(len(OBJECTS)),
        }

    def title(self, slots: dict[str, int], lang: str, english_only: bool) -> str:
        column = {"en": 0, "az": 1, "ru": 2}[lang]
        templates = EN_ONLY_TITLES if english_only else (EN_TITLES, AZ_TITLES, RU_TITLES)[column]
        template = templates[slots["template"] % len(templates)]
        text = template.format(
            A=COUNTRIES[slots["A"]][column],
            B=COUNTRIES[slots["B"]][column],
            topic=TOPICS[slots["topic"]][column],
            person=PEOPLE[slots["person"]][column],
            person2=PEOPLE[slots["person2"]][column],
            n=slots["n"],
            org=ORGS[slots["org"]],
            city=CITIES[slots["city"]],
            object=OBJECTS[slots["object"]],
        )
        return text[0].upper() + text[1:]

    def paragraphs(self, slots: dict[str, int], lang: str, count: int) -> list[str]:
        """`count` paragraphs of 2-4 sentences about the story's entities."""
        column = {"en": 0, "az": 1, "ru": 2}[lang]
        sentences = (EN_SENTENCES, AZ_SENTENCES, RU_SENTENCES)[column]
        rng = self.rng
        paragraphs = []
        for _ in range(count):
            chosen = [rng.choice(sentences) for _ in range(rng.randint(2, 4))]
            paragraphs.append(" ".join(self._fill(text, slots, column) for text in chosen))
        return paragraphs

    def lead(self, slots: dict[str, int], lang: str) -> str:
        """The first paragraph: who did what, citing one of the invented sources."""
        column = {"en": 0, "az": 1, "ru": 2}[lang]
        person = PEOPLE[slots["person"]][column]
        country_a, country_b = COUNTRIES[slots["A"]][column], COUNTRIES[slots["B"]][column]
        topic = TOPICS[slots["topic"]][column]
        role = self.rng.choice(ROLES)
        if lang == "az":
            agency = self.rng.choice(AZ_AGENCIES)
            return (
                f"{country_a} ilə {country_b} arasında {topic} sahəsində əməkdaşlıq "
                f"müzakirə olunub. {person} rəsmi səfərdədir, Report {agency} "
                f"məlumatına istinadən xəbər verir."
            )
        if lang == "ru":
            agency = self.rng.choice(RU_AGENCIES)
            return (
                f"{person} находится с официальным визитом, в ходе которого обсуждается "
                f"сотрудничество {_russian_genitive(country_a)} и "
                f"{_russian_genitive(country_b)} в сфере {topic}, сообщает Report со "
                f"ссылкой на пресс-службу {agency}."
            )
        agency = self.rng.choice(AGENCIES)
        return (
            f"A delegation led by {country_a}'s {role} {person} is on an official visit to "
            f"{country_b}, where {topic} cooperation is on the agenda, Report informs, citing "
            f"{agency}."
        )

    def _fill(self, template: str, slots: dict[str, int], column: int) -> str:
        rng = self.rng
        a, b = COUNTRIES[slots["A"]][column], COUNTRIES[slots["B"]][column]
        return template.format(
            A=a,
            B=b,
            A_gen=_russian_genitive(a),
            B_gen=_russian_genitive(b),
            topic=TOPICS[slots["topic"]][column],
            person=PEOPLE[rng.choice((slots["person"], slots["person2"]))][column],
            role=rng.choice(ROLES),
            agency=rng.choice(AGENCIES),
            agency_az=rng.choice(AZ_AGENCIES),
            agency_ru=rng.choice(RU_AGENCIES),
            adj=rng.choice(ADJECTIVES),
            object=rng.choice(OBJECTS),
            object2=rng.choice(OBJECTS),
            n=rng.randint(2, 950),
            year=rng.choice((2023, 2024, 2025)),
            day=rng.choice(DAYS_EN),
            day_ru=rng.choice(DAYS_RU),
            month=rng.choice(MONTHS_EN),
            month_ru=rng.choice(MONTHS_RU),
        )

    def tags(self, slots: dict[str, int]) -> list[str]:
        return [
            COUNTRIES[slots["A"]][0],
            COUNTRIES[slots["B"]][0],
            PEOPLE[slots["person"]][0],
            TOPICS[slots["topic"]][0],
        ]


# Plan ---------------------------------------------------------------------------------------


@dataclass
class Options:
    """What to generate."""

    pages: int
    seed: int = 1
    days: int = 30
    alternates: float = 0.12  # share of report.az stories published in az and ru too
    duplicates: float = 0.06  # share of stories copied with a small title edit
    ccbsnews: float = 0.35  # share of stories that are ccbsnews.info's own
    feed_items: int = 50  # newest articles per feed (0: every article of the site)
    listing_items: int = 100  # articles per listing page


def plan(options: Options) -> list[Article]:
    """The N articles, in publication order, with their texts and addresses."""
    rng = random.Random(options.seed)
    writer = Writer(rng)
    articles: list[Article] = []
    slugs: set[str] = set()
    span = timedelta(days=options.days).total_seconds()
    start = END - timedelta(days=options.days)
    n = options.pages
    while len(articles) < n:
        offset = timedelta(seconds=span * len(articles) / n + rng.uniform(0, 60))
        moment = (start + offset).replace(second=0, microsecond=0)
        slots = writer.slots()
        if rng.random() < options.ccbsnews:
            story = [_ccbs_article(writer, len(articles), slots, moment)]
        else:
            story = _report_story(writer, len(articles), slots, moment, options, slugs)
        if rng.random() < options.duplicates:
            story.append(_copy(writer, story[0], len(articles) + len(story), slugs))
        story = story[: n - len(articles)]
        for article in story:  # a story cut short at N links only the pages that exist
            article.alternates = {
                lang: other for lang, other in article.alternates.items() if other in story
            }
            if len(article.alternates) < 2:
                article.alternates = {}
        articles.extend(story)
    articles.sort(key=lambda article: (article.published, article.number))
    for position, article in enumerate(articles):
        article.number = position  # numbers follow publication order
    return articles


def _report_story(
    writer: Writer,
    number: int,
    slots: dict[str, int],
    moment: datetime,
    options: Options,
    slugs: set[str],
) -> list[Article]:
    rng = writer.rng
    languages = ["en"]
    if rng.random() < options.alternates:
        languages += ["az", "ru"]
    english_only = len(languages) == 1 and rng.random() < 0.6
    section = rng.choice(SECTIONS)
    paragraph_count = rng.randint(3, 7)
    story = []
    for offset, lang in enumerate(languages):
        title = writer.title(slots, lang, english_only)
        column = {"en": 1, "az": 2, "ru": 3}[lang]
        url = _unique_url(f"https://report.az/{lang}/{section[column]}/", title, slugs)
        published = _before_end(moment + timedelta(minutes=3 * offset))
        story.append(
            Article(
                number=number + offset,
                site="report_az",
                lang=lang,
                url=url,
                title=title,
                lead=writer.lead(slots, lang),
                body=writer.paragraphs(slots, lang, paragraph_count),
                published=published,
                fetched=_fetched(rng, published),
                section=section,
                tags=writer.tags(slots),
                photo=rng.random() < 0.3,
                kind="original" if offset == 0 else "alternate",
            )
        )
    if len(story) > 1:
        versions = {article.lang: article for article in story}
        for article in story:
            article.alternates = dict(versions)
    return story


def _ccbs_article(writer: Writer, number: int, slots: dict[str, int], moment: datetime) -> Article:
    rng = writer.rng
    title = writer.title(slots, "en", english_only=rng.random() < 0.6)
    return Article(
        number=number,
        site="ccbsnews",
        lang="en",
        url="",  # numbered once the order is known
        title=title,
        lead=writer.lead(slots, "en"),
        body=writer.paragraphs(slots, "en", rng.randint(2, 5)),
        published=moment,
        fetched=_fetched(rng, moment),
    )


def _copy(writer: Writer, original: Article, number: int, slugs: set[str]) -> Article:
    """A near-duplicate: a syndicated copy on ccbsnews.info or a report.az re-post."""
    rng = writer.rng
    title = rng.choice(TITLE_EDITS)(original.title)
    published = _before_end(original.published + timedelta(minutes=rng.randint(20, 240)))
    if original.site == "ccbsnews":
        site, url, kind = "ccbsnews", "", "repost"
    elif rng.random() < 0.6:
        site, url, kind = "ccbsnews", "", "syndicated"
    else:
        url = _unique_url(f"https://report.az/en/{original.section[1]}/", title, slugs)
        site, kind = "report_az", "repost"
    return Article(
        number=number,
        site=site,
        lang="en",
        url=url,
        title=title,
        lead=original.lead,
        body=list(original.body),
        published=published,
        fetched=_fetched(rng, published),
        section=original.section,
        tags=list(original.tags),
        kind=kind,
    )


def _fetched(rng: random.Random, published: datetime) -> datetime:
    return min(END, published + timedelta(minutes=rng.randint(5, 90)))


def _before_end(moment: datetime) -> datetime:
    """A publication time no later than a few minutes before the last fetch."""
    return min(moment, END - timedelta(minutes=5))


def _unique_url(prefix: str, title: str, slugs: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", anyascii(title).lower()).strip("-")[:90].rstrip("-")
    candidate, suffix = slug, 2
    while prefix + candidate in slugs:
        candidate = f"{slug}-{suffix}"
        suffix += 1
    slugs.add(prefix + candidate)
    return prefix + candidate


def number_ccbs_urls(articles: list[Article]) -> None:
    """ccbsnews.info addresses carry increasing ids, in publication order."""
    next_id = CCBS_FIRST_ID
    for article in articles:
        if article.site == "ccbsnews":
            article.url = f"https://ccbsnews.info/en/news/detail/{next_id}"
            next_id += 3  # the site's ids have gaps (other editions)


# Seed markup --------------------------------------------------------------------------------


def _swap(text: str, old: str, new: str, *, count: int | None = None) -> str:
    found = text.count(old)
    if not found or (count is not None and found != count):
        raise CorpusError(f"seed markup changed: {old[:70]!r} found {found} times")
    return text.replace(old, new)


def _swap_block(text: str, pattern: str, new: str) -> str:
    changed, found = re.subn(pattern, new, text, flags=re.DOTALL)
    if found != 1:
        raise CorpusError(f"seed markup changed: /{pattern[:70]}/ matched {found} times")
    return changed


def _seed(path: str) -> str:
    return (SEEDS / path).read_text(encoding="utf-8")


@dataclass
class Templates:
    """The seed pages with `@@NAME@@` where the generated text goes."""

    report_article: str
    report_listing: str
    report_feed: str
    ccbs_article: str
    ccbs_listing: str
    ccbs_feed: str

    @classmethod
    def from_seeds(cls) -> Templates:
        return cls(
            report_article=_report_article_template(),
            report_listing=_swap_block(
                _seed("report_az/news-feed.html"),
                r'\n\s*<div class="news-feed-day">.*</div>(?=\n\s*</section>)',
                "@@DAYS@@",
            ),
            report_feed=_feed_template(_seed("report_az/rss.xml")),
            ccbs_article=_ccbs_article_template(),
            ccbs_listing=_swap_block(
                _seed("ccbsnews/news.html"),
                r'(<ul class="news-list">\n).*?(\n\s*</ul>)',
                r"\1@@ITEMS@@\2",
            ),
            ccbs_feed=_feed_template(_seed("ccbsnews/rss.xml")),
        )


SEED_REPORT_TITLE = "Azerbaijan, Türkiye discuss expanding defense industry cooperation"
SEED_REPORT_URL = "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
SEED_REPORT_LEAD = (
    "A delegation led by Azerbaijan's Minister of Defense Industry Vugar Mustafayev is on an "
    "official visit to Ankara, Türkiye, Report informs, citing the ministry."
)
SEED_CCBS_TITLE = "Azerbaijan and Turkey will ramp up military-technical cooperation"
SEED_CCBS_URL = "https://ccbsnews.info/en/news/detail/3293"


def _report_article_template() -> str:
    text = _seed("report_az/article-2026-03-03.html")
    text = _swap_block(
        text,
        r'(<section class="latest-news">.*?<ul class="news-list latest-news-list">\n).*?'
        r"(\n\s*</ul>)",
        r"\1@@LATEST@@\2",
    )
    text = _swap_block(
        text, r'\n\s*<div class="other-languages">.*?</ul>\n\s*</div>', "@@OTHER_LANGUAGES@@"
    )
    text = _swap_block(text, r'<ul class="lang-switcher">.*?</ul>', "@@LANG_SWITCHER@@")
    text = _swap_block(
        text, r'\n\s*<link rel="alternate" hreflang="az".*?hreflang="en"[^\n]*>', "@@HREFLANG@@"
    )
    text = _swap_block(text, r'(?:\n\s*<meta property="og:locale:alternate"[^\n]*>)+', "")
    text = _swap(text, 'content="en_US"', 'content="@@LOCALE@@"', count=1)
    text = _swap_block(
        text,
        r'(<div class="news-detail-text article-body">\n).*?(\n\s*</div>)',
        r"\1@@BODY@@\2",
    )
    text = _swap_block(text, r'(<ul class="tags-list">\n).*?(\n\s*</ul>)', r"\1@@TAGS@@\2")
    text = _swap_block(
        text, r'(?:\n\s*<meta property="article:tag" content="[^"]*">)+', "@@META_TAGS@@"
    )
    text = _swap_block(text, r'"keywords": "[^"]*"', '"keywords": "@@KEYWORDS@@"')
    text = _swap(text, "2026/03/03/azerbaijan-turkiye-defense-industry-cooperation", "@@PHOTO@@")
    text = _swap(text, SEED_REPORT_URL, "@@URL@@")
    text = _swap(text, SEED_REPORT_TITLE, "@@TITLE@@")
    text = _swap(text, SEED_REPORT_LEAD, "@@LEAD@@", count=3)
    text = _swap(text, "2026-03-03T13:41:00+04:00", "@@ISO@@", count=3)
    text = _swap(
        text,
        '<span class="article-date">03 March, 2026</span>',
        '<span class="article-date">@@DAY@@</span>',
        count=1,
    )
    text = _swap(
        text,
        '<span class="article-time">13:41</span>',
        '<span class="article-time">@@TIME@@</span>',
        count=1,
    )
    text = _swap(
        text,
        '<a class="article-category" href="/en/military/">Military</a>',
        '<a class="article-category" href="/@@LANG@@/@@SECTION_SLUG@@/">@@SECTION@@</a>',
        count=1,
    )
    text = _swap(text, '"articleSection": "Military"', '"articleSection": "@@SECTION@@"')
    text = _swap(text, 'content="Military"', 'content="@@SECTION@@"', count=1)
    text = _swap(text, 'data-section="military"', 'data-section="@@SECTION_SLUG@@"')
    text = _swap(text, '<html lang="en">', '<html lang="@@LANG@@">', count=1)
    return _swap(text, '"inLanguage": "en"', '"inLanguage": "@@LANG@@"', count=1)


def _ccbs_article_template() -> str:
    text = _seed("ccbsnews/article-3293.html")
    text = _swap_block(
        text,
        r'(<ul class="news-list latest-news-list">\n).*?(\n\s*</ul>)',
        r"\1@@LATEST@@\2",
    )
    text = _swap_block(text, r'(<div class="news-detail-text">\n).*?(\n\s*</div>)', r"\1@@BODY@@\2")
    lead = re.search(r'<meta name="description" content="([^"]*)">', text)
    if lead is None:
        raise CorpusError("seed markup changed: ccbsnews article has no description")
    text = _swap(text, lead[1], "@@LEAD@@", count=3)
    text = _swap(text, SEED_CCBS_TITLE, "@@TITLE@@")
    return _swap(text, SEED_CCBS_URL, "@@URL@@")


def _feed_template(text: str) -> str:
    text = _swap_block(text, r"\n\s*<item>.*</item>", "@@ITEMS@@")
    return re.sub(
        r"<lastBuildDate>[^<]*</lastBuildDate>", "<lastBuildDate>@@BUILT@@</lastBuildDate>", text
    )


def fill(template: str, values: dict[str, str]) -> str:
    """`template` with every `@@NAME@@` replaced by `values[NAME]`."""
    return _PLACEHOLDER.sub(lambda found: values[found[1]], template)


# Pages --------------------------------------------------------------------------------------


class Pages:
    """Renders the corpus's pages from the templates."""

    def __init__(self, articles: list[Article], templates: Templates) -> None:
        self.articles = articles
        self.templates = templates
        # Per site and language, the article numbers in publication order (for sidebars).
        self.timelines: dict[tuple[str, str], list[int]] = {}
        self.places: dict[int, int] = {}
        for article in articles:
            timeline = self.timelines.setdefault((article.site, article.lang), [])
            self.places[article.number] = len(timeline)
            timeline.append(article.number)

    def latest(self, article: Article, count: int) -> list[Article]:
        """The `count` articles of the same site and language published last before this one
        (the first pages of a timeline show the ones after them)."""
        timeline = self.timelines[(article.site, article.lang)]
        place = self.places[article.number]
        numbers = timeline[max(0, place - count + 1) : place + 1]
        numbers += timeline[place + 1 : place + 1 + count - len(numbers)]
        return [self.articles[number] for number in reversed(numbers)]

    def article(self, article: Article) -> str:
        if article.site == "ccbsnews":
            return fill(
                self.templates.ccbs_article,
                {
                    "TITLE": article.title,
                    "LEAD": article.lead,
                    "URL": article.url,
                    "BODY": _paragraphs(article, 10),
                    "LATEST": "\n".join(
                        _ccbs_item(other, 10) for other in self.latest(article, CCBS_LATEST)
                    ),
                },
            )
        section_name, *slugs = article.section
        slug = slugs[("en", "az", "ru").index(article.lang)]
        alternates = article.alternates
        return fill(
            self.templates.report_article,
            {
                "TITLE": article.title,
                "LEAD": article.lead,
                "URL": article.url,
                "BODY": _paragraphs(article, 10),
                "ISO": article.published.isoformat(),
                "DAY": article.published.strftime("%d %B, %Y"),
                "TIME": article.published.strftime("%H:%M"),
                "SECTION": section_name,
                "SECTION_SLUG": slug,
                "LANG": article.lang,
                "LOCALE": {"en": "en_US", "az": "az_AZ", "ru": "ru_RU"}[article.lang],
                "PHOTO": f"{article.published:%Y/%m/%d}/{article.url.rsplit('/', 1)[1][:60]}",
                "TAGS": "\n".join(
                    f'            <li><a class="tag" href="/{article.lang}/tags/{_slug(tag)}/">'
                    f"{tag}</a></li>"
                    for tag in article.tags
                ),
                "META_TAGS": "".join(
                    f'\n  <meta property="article:tag" content="{tag}">' for tag in article.tags
                ),
                "KEYWORDS": ", ".join(article.tags),
                "HREFLANG": "".join(
                    f'\n  <link rel="alternate" hreflang="{lang}" href="{other.url}">'
                    for lang, other in alternates.items()
                ),
                "LANG_SWITCHER": _lang_switcher(article, alternates),
                "OTHER_LANGUAGES": _other_languages(article, alternates),
                "LATEST": "\n".join(
                    _report_item(other, 14) for other in self.latest(article, REPORT_LATEST)
                ),
            },
        )

    def report_listing(self, articles: list[Article]) -> str:
        days: dict[str, list[Article]] = {}
        for article in articles:
            days.setdefault(article.published.strftime("%d %B, %Y"), []).append(article)
        blocks = []
        for day, entries in days.items():
            items = "\n".join(_report_item(entry, 10) for entry in entries)
            blocks.append(
                '\n      <div class="news-feed-day">\n'
                f'        <h2 class="news-feed-date">{day}</h2>\n'
                '        <ul class="news-list latest-news-list">\n'
                f"{items}\n"
                "        </ul>\n"
                "      </div>"
            )
        return fill(self.templates.report_listing, {"DAYS": "".join(blocks)})

    def ccbs_listing(self, articles: list[Article]) -> str:
        items = "\n".join(_ccbs_item(article, 8) for article in articles)
        return fill(self.templates.ccbs_listing, {"ITEMS": items})

    def listing_pages(self, site: str, url: str, per_page: int) -> Iterator[tuple[str, str]]:
        """(address, html) of each page of `site`'s listing, newest articles first."""
        articles = [a for a in reversed(self.articles) if a.site == site]
        render = self.report_listing if site == "report_az" else self.ccbs_listing
        count = max(1, -(-len(articles) // per_page))
        for number in range(1, count + 1):
            html = render(articles[(number - 1) * per_page : number * per_page])
            if number < count:
                html = html.replace(
                    "</head>", f'  <link rel="next" href="{url}?page={number + 1}">\n</head>', 1
                )
            yield (url if number == 1 else f"{url}?page={number}"), html

    def feed(self, site: str, limit: int) -> str:
        articles = [a for a in reversed(self.articles) if a.site == site and a.lang == "en"][
            : limit or None
        ]
        if site == "report_az":
            items = "".join(_report_feed_item(article) for article in articles)
            return fill(
                self.templates.report_feed,
                {"ITEMS": items, "BUILT": format_datetime(END)},
            )
        items = "".join(_ccbs_feed_item(article) for article in articles)
        return fill(self.templates.ccbs_feed, {"ITEMS": items, "BUILT": format_datetime(END)})


def _paragraphs(article: Article, indent: int) -> str:
    pad = " " * indent
    return "\n".join(f"{pad}<p>{text}</p>" for text in [article.lead, *article.body])


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")


def _report_item(article: Article, indent: int) -> str:
    pad = " " * indent
    badge = f'{pad}  <span class="news-badge badge-photo">Photo</span>\n' if article.photo else ""
    name, *slugs = article.section
    slug = slugs[("en", "az", "ru").index(article.lang)]
    return (
        f'{pad}<li class="news-item">\n'
        f'{pad}  <span class="news-time">{article.published:%H:%M}</span>\n'
        f"{badge}"
        f'{pad}  <a class="news-title" href="{article.url}">{article.title}</a>\n'
        f'{pad}  <a class="news-category" href="/{article.lang}/{slug}/">{name}</a>\n'
        f"{pad}</li>"
    )


def _ccbs_item(article: Article, indent: int) -> str:
    pad = " " * indent
    return (
        f'{pad}<li class="news-item">\n'
        f'{pad}  <a class="news-title" href="{article.url}">{article.title}</a>\n'
        f'{pad}  <span class="news-date">{article.published:%d.%b.%Y}</span>\n'
        f"{pad}</li>"
    )


def _lang_switcher(article: Article, alternates: dict[str, Article]) -> str:
    lines = ['<ul class="lang-switcher">']
    for lang in ("az", "ru", "en"):
        other = alternates.get(lang) or (article if lang == article.lang else None)
        url = other.url if other else f"https://report.az/{lang}/"
        active = ' class="active"' if lang == article.lang else ""
        lines.append(
            f'      <li{active}><a href="{url}" hreflang="{lang}" lang="{lang}">'
            f"{lang.title()}</a></li>"
        )
    return "\n".join(lines) + "\n    </ul>"


def _other_languages(article: Article, alternates: dict[str, Article]) -> str:
    others = [other for lang, other in alternates.items() if lang != article.lang]
    if not others:
        return ""
    items = "".join(
        f'\n            <li class="other-language-item" lang="{other.lang}">\n'
        + (
            '              <span class="news-badge badge-photo">Photo</span>\n'
            if other.photo
            else ""
        )
        + f'              <a class="other-language-title" href="{other.url}" '
        f'hreflang="{other.lang}">{other.title}</a>\n'
        "            </li>"
        for other in others
    )
    return (
        '\n        <div class="other-languages">\n'
        f'          <ul class="other-languages-list">{items}\n'
        "          </ul>\n"
        "        </div>"
    )


def _report_feed_item(article: Article) -> str:
    return (
        "\n    <item>\n"
        f"      <title>{article.title}</title>\n"
        f"      <link>{article.url}</link>\n"
        f'      <guid isPermaLink="true">{article.url}</guid>\n'
        f"      <pubDate>{format_datetime(article.published)}</pubDate>\n"
        f"      <category>{article.section[0]}</category>\n"
        "    </item>"
    )


def _ccbs_feed_item(article: Article) -> str:
    midnight = article.published.replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        "\n    <item>\n"
        f"      <title>{article.title}</title>\n"
        f"      <link>{article.url}</link>\n"
        f'      <guid isPermaLink="true">{article.url}</guid>\n'
        f"      <pubDate>{format_datetime(midnight)}</pubDate>\n"
        "    </item>"
    )


# Writing ------------------------------------------------------------------------------------


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def write_corpus(options: Options, out: Path, *, compress: bool = True) -> dict[str, object]:
    """Generate the corpus into `out` (emptied first); returns what `corpus.json` records."""
    started = time.perf_counter()
    templates = Templates.from_seeds()
    articles = plan(options)
    number_ccbs_urls(articles)
    for article in articles:
        for text in (article.title, article.lead, *article.body, *article.tags):
            if _UNSAFE_TEXT.search(text):
                raise CorpusError(f"generated text needs escaping: {text!r}")
    pages = Pages(articles, templates)
    if out.exists():
        if not (out / "corpus.json").exists() and any(out.iterdir()):
            raise CorpusError(f"{out}: not empty and not a corpus; refusing to overwrite it")
        shutil.rmtree(out)
    out.mkdir(parents=True)
    # Marks the directory as a corpus at once, so that an interrupted run can be redone.
    (out / "corpus.json").write_text('{"complete": false}\n', encoding="utf-8")
    fixtures: list[dict[str, object]] = []
    end_utc = _utc(END)
    written = 0

    def save(relative: str, body: str, url: str, source: str, fetched: str, kind: str) -> None:
        nonlocal written
        data = body.encode("utf-8")
        if compress and kind != TEXT_TYPE:
            relative += ".gz"
            data = gzip.compress(data, compresslevel=6, mtime=0)
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += len(data)
        fixtures.append(
            {
                "fetched_at": fetched,
                "file": relative,
                "headers": {"Content-Type": kind},
                "source": source,
                "status": 200,
                "url": url,
            }
        )

    for site, host in (("report_az", "report.az"), ("ccbsnews", "ccbsnews.info")):
        shutil.copyfile(SEEDS / site / "robots.txt", out / f"{site}-robots.txt")
        fixtures.append(
            {
                "fetched_at": end_utc,
                "file": f"{site}-robots.txt",
                "headers": {"Content-Type": TEXT_TYPE},
                "source": site,
                "status": 200,
                "url": f"https://{host}/robots.txt",
            }
        )
    listing_pages = 0
    for site, feed, listing, name in (
        ("report_az", REPORT_FEED, REPORT_LISTING, "news-feed"),
        ("ccbsnews", CCBS_FEED, CCBS_LISTING, "news"),
    ):
        save(f"{site}/rss.xml", pages.feed(site, options.feed_items), feed, site, end_utc,
             RSS_TYPE)  # fmt: skip
        for number, (url, html) in enumerate(
            pages.listing_pages(site, listing, options.listing_items), start=1
        ):
            suffix = "" if number == 1 else f"-{number}"
            save(f"{site}/{name}{suffix}.html", html, url, site, end_utc, HTML_TYPE)
            listing_pages += 1
    html_bytes = 0
    for article in articles:
        html = pages.article(article)
        html_bytes += len(html.encode("utf-8"))
        save(article.file, html, article.url, article.site, _utc(article.fetched), HTML_TYPE)
    (out / "manifest.json").write_text(
        json.dumps({"fixtures": fixtures}, indent=1, ensure_ascii=False) + "\n", "utf-8"
    )
    summary = describe(options, articles, html_bytes, written, compress)
    summary["listing_pages"] = listing_pages
    summary["generated_in_s"] = round(time.perf_counter() - started, 1)
    (out / "corpus.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def describe(
    options: Options, articles: list[Article], html_bytes: int, written: int, compress: bool
) -> dict[str, object]:
    """What a corpus is made of (written as `corpus.json`)."""
    counts: dict[str, int] = {}
    for article in articles:
        for key in (f"site/{article.site}", f"lang/{article.lang}", f"kind/{article.kind}"):
            counts[key] = counts.get(key, 0) + 1
    return {
        "generator": "benchmarks/corpus.py",
        "complete": True,
        "options": vars(options),
        "articles": len(articles),
        "start_pages": 4,
        "robots": 2,
        "counts": dict(sorted(counts.items())),
        "mean_article_kib": round(html_bytes / max(1, len(articles)) / 1024, 1),
        "bytes_on_disk": written,
        "compressed": compress,
        "first_published": articles[0].published.isoformat() if articles else None,
        "last_published": articles[-1].published.isoformat() if articles else None,
    }


def main() -> None:
    """Generate one corpus."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, required=True, help="number of article pages")
    parser.add_argument("--out", type=Path, required=True, help="directory to (re)create")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--days", type=int, default=30, help="days the articles span")
    parser.add_argument("--alternates", type=float, default=Options.alternates)
    parser.add_argument("--duplicates", type=float, default=Options.duplicates)
    parser.add_argument(
        "--feed-items",
        type=int,
        default=Options.feed_items,
        help="newest articles per feed (0: all)",
    )
    parser.add_argument(
        "--listing-items", type=int, default=Options.listing_items, help="articles per listing page"
    )
    parser.add_argument("--plain", action="store_true", help="write .html, not .html.gz")
    args = parser.parse_args()
    if args.pages < 1:
        parser.error("--pages must be at least 1")
    if args.listing_items < 1:
        parser.error("--listing-items must be at least 1")
    if args.out.resolve().is_relative_to(ROOT):
        parser.error(f"--out {args.out}: corpora never go into the repository")
    options = Options(
        pages=args.pages,
        seed=args.seed,
        days=args.days,
        alternates=args.alternates,
        duplicates=args.duplicates,
        feed_items=args.feed_items,
        listing_items=args.listing_items,
    )
    try:
        summary = write_corpus(options, args.out, compress=not args.plain)
    except CorpusError as error:
        sys.exit(f"corpus: {error}")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
