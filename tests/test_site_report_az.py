"""report.az parser, specified by the seed capture and its reconstructed fixtures."""

from __future__ import annotations

from newsmon.items import ArticleItem, HeadlineItem
from newsmon.sites import all_sites
from tests.conftest import REPORT_AZ_CAPTURE, capture_lines, parse_seed_article, seed_page

ARTICLE_URL = "https://report.az/en/military/azerbaijan-turkiye-discuss-expanding-defense-industry-cooperation"
TITLE = "Azerbaijan, Türkiye discuss expanding defense industry cooperation"
AZ_URL = (
    "https://report.az/az/herbi/"
    "azerbaycan-ve-turkiye-mudafie-senayesi-emekdasliginin-genislendirilmesini-muzakire-edib"
)
RU_URL = (
    "https://report.az/ru/voennye/"
    "mustafaev-i-guler-obsudili-rasshirenie-sotrudnichestva-v-sfere-oboronproma"
)
# (time shown, UTC time, Photo badge, headline, section) of the capture's "Latest News".
LATEST = [
    (
        "14:34",
        "10:34",
        False,
        "Iran strikes oil tanker off Oman coast, one killed",
        "Other countries",
    ),
    (
        "14:18",
        "10:18",
        False,
        "Ankara counting on renewable supplies to EU via Azerbaijan, Türkiye",
        "Energy",
    ),
    (
        "14:07",
        "10:07",
        False,
        "Turkish FM: Regional tensions may pose risks to energy supply security",
        "Region",
    ),
    (
        "13:51",
        "09:51",
        False,
        "CBA: AniPay mobile application and anipay.az to be suspended",
        "Finance",
    ),
    ("13:43", "09:43", False, "IAEA confirms damage to nuclear facility in Iran", "Region"),
    ("13:41", "09:41", True, TITLE, "Military"),
    (
        "13:39",
        "09:39",
        False,
        "Goran Nikolovski: SGC holds central place in North Macedonia's gas supply strategy",
        "Energy",
    ),
    (
        "13:34",
        "09:34",
        True,
        "89 people evacuated from Iran to Azerbaijan over past three hours",
        "Foreign policy",
    ),
    (
        "13:25",
        "09:25",
        False,
        "Energy minister: Azerbaijan to commission four upstream projects in four years",
        "Energy",
    ),
]


def article_and_headlines(seed_fixtures) -> tuple[ArticleItem, list[HeadlineItem]]:
    items = parse_seed_article(seed_fixtures, "report_az", ARTICLE_URL)
    articles = [item for item in items if isinstance(item, ArticleItem)]
    assert len(articles) == 1
    return articles[0], [item for item in items if isinstance(item, HeadlineItem)]


def test_article_fields_come_from_the_page(seed_fixtures):
    article, _ = article_and_headlines(seed_fixtures)
    lines = capture_lines(REPORT_AZ_CAPTURE)
    first = lines.index(
        "A delegation led by Azerbaijan's Minister of Defense Industry Vugar "
        "Mustafayev is on an official visit to Ankara, Türkiye, Report informs, "
        "citing the ministry."
    )
    assert article.url == ARTICLE_URL
    assert article.source == "report_az"
    assert article.title == TITLE
    assert article.published_at == "2026-03-03T09:41:00+00:00"
    assert article.published_date == "2026-03-03"
    assert article.published_basis == "exact"
    assert article.section == "Military"
    assert article.lang == "en"
    assert article.body == lines[first : first + 5]
    assert article.lead == lines[first]
    assert article.tags == [
        "Azerbaijan",
        "Turkiye",
        "Vugar Mustafayev",
        "Yaşar Güler",
        "Ministry of Defence Industry",
        "defense industry",
    ]
    assert article.alternates == {"az": AZ_URL, "ru": RU_URL}
    assert article.parser == "report_az@1"
    assert article.methods["title"] == "json-ld"
    assert article.methods["body"] == "selector"


def test_the_title_repeated_six_times_is_one_article_headline(seed_fixtures):
    _, headlines = article_and_headlines(seed_fixtures)
    own = [h for h in headlines if h.context == "article"]
    assert [(h.title, h.url, h.published_at) for h in own] == [
        (TITLE, ARTICLE_URL, "2026-03-03T09:41:00+00:00")
    ]


def test_language_versions_are_alternate_headlines(seed_fixtures):
    _, headlines = article_and_headlines(seed_fixtures)
    alternates = [(h.title, h.url, h.lang, h.badges) for h in headlines if h.context == "alternate"]
    assert alternates == [
        (
            "Azərbaycan və Türkiyə müdafiə sənayesi əməkdaşlığının genişləndirilməsini müzakirə edib",
            AZ_URL,
            "az",
            ["Photo"],
        ),
        (
            "Мустафаев и Гюлер обсудили расширение сотрудничества в сфере оборонпрома",
            RU_URL,
            "ru",
            ["Photo"],
        ),
    ]


def test_latest_news_times_are_resolved_to_utc_on_the_fetch_day(seed_fixtures):
    _, headlines = article_and_headlines(seed_fixtures)
    latest = [h for h in headlines if h.context == "latest"]
    assert [(h.published_at, "Photo" in h.badges, h.title, h.section) for h in latest] == [
        (f"2026-03-03T{utc}:00+00:00", photo, title, section)
        for _, utc, photo, title, section in LATEST
    ]
    assert {h.published_basis for h in latest} == {"fetch_time"}
    assert latest[5].url == ARTICLE_URL


def test_chrome_is_not_a_headline(seed_fixtures):
    _, headlines = article_and_headlines(seed_fixtures)
    titles = {h.title for h in headlines}
    for chrome in [
        "Ilham Aliyev",
        "WUF13",
        "Airstrikes on Iran",
        "SGC Advisory Council",
        "All News Feed",
        "Latest News",
        "Military",
        "Vugar Mustafayev",
    ]:
        assert chrome not in titles
    assert len(headlines) == 1 + 2 + 9


def test_every_headline_line_of_the_capture_is_extracted(seed_fixtures):
    _, headlines = article_and_headlines(seed_fixtures)
    titles = {h.title for h in headlines}
    lines = capture_lines(REPORT_AZ_CAPTURE)
    start = lines.index("Latest News")
    shown = [line for line in lines[start + 1 : -1] if not line[:2].isdigit() or line[2] != ":"]
    headline_lines = [
        line
        for line in shown
        if line != "Photo" and line not in {section for *_, section in LATEST}
    ]
    assert headline_lines == [title for *_, title, _ in LATEST]
    assert set(headline_lines) <= titles


def test_news_feed_listing_resolves_times_against_its_date(seed_fixtures):
    page = seed_page(seed_fixtures, "https://report.az/en/news-feed/")
    parser = all_sites()["report_az"].parser_for(page.fetched_at)
    headlines = list(parser.parse_listing(page))
    assert [
        (h.context, h.published_at, h.published_basis, h.title, h.section) for h in headlines
    ] == [
        ("listing", f"2026-03-03T{utc}:00+00:00", "page_date", title, section)
        for _, utc, _, title, section in LATEST
    ]
