"""The watch query language: syntax, precedence, folding, positions, fields and errors."""

from __future__ import annotations

import random

import pytest

from newsmon.normalize.text import match_tokens
from newsmon.watch.query import Match, QuerySyntaxError, parse_query


def title_match(query: str, title: str) -> Match | None:
    """The match of `query` against a headline alone."""
    return parse_query(query).match({"title": title})


def matches_title(query: str, title: str) -> bool:
    return title_match(query, title) is not None


# --- Terms and folding -----------------------------------------------------------------------


def test_a_term_matches_a_whole_word_only() -> None:
    assert matches_title("azerbaijan", "Azerbaijan army holds drills")
    assert not matches_title("azerbaijan", "Azerbaijani army holds drills")


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("Türkiye", "TURKIYE hosts the summit"),
        ("TURKIYE", "Türkiye hosts the summit"),
        ("turkiye", "Türkiye hosts the summit"),
        ("Azərbaycan", "Azerbaycan ordusu"),
        ("azerbaycan", "Azərbaycan ordusu"),
        ("İzmir", "izmir port"),
        ("ığdır", "Iğdır airport"),
        ("Гасанов", "Zakir Gasanov visits Ankara"),
        ("gasanov", "Закир Гасанов посетил Анкару"),
    ],
)
def test_query_and_text_are_folded_alike(query: str, title: str) -> None:
    assert matches_title(query, title)


def test_a_term_that_folds_to_several_words_is_a_phrase() -> None:
    assert matches_title("Türkiye's", "Türkiye's defense budget")
    assert not matches_title("Türkiye's", "Türkiye and its allies")
    assert matches_title("defense-industry", "expanding defense industry cooperation")
    assert not matches_title("defense-industry", "industry and defense")


def test_lower_case_operator_words_are_terms() -> None:
    query = "azerbaijan and turkey"
    assert matches_title(query, "Azerbaijan and Turkey will ramp up military-technical cooperation")
    assert not matches_title(query, "Azerbaijan, Turkey discuss cooperation")
    assert matches_title("gas or oil", "Gas or oil: the choice ahead")
    assert not matches_title("gas or oil", "Gas and oil prices")
    assert not matches_title("not Baku", "Baku")


# --- Phrases and wildcards -------------------------------------------------------------------


def test_a_phrase_needs_consecutive_words_in_order() -> None:
    query = '"defense industry"'
    headline = "Azerbaijan, Türkiye discuss expanding defense industry cooperation"
    assert title_match(query, headline) == Match(
        terms=('"defense industry"',), fields=("title",), spans={"title": [(4, 6)]}
    )
    assert not matches_title(query, "industry of defense")
    assert not matches_title(query, "defense and industry")


def test_a_trailing_star_matches_a_prefix() -> None:
    match = title_match("azerbaijan*", "Azerbaijani and Azerbaijan officials")
    assert match is not None
    assert match.spans == {"title": [(0, 1), (2, 3)]}
    assert not matches_title("azerbaijan*", "Azerbaycan officials")


def test_phrase_words_may_be_prefixes() -> None:
    assert matches_title('"defense indus*"', "the defense industrial base")
    assert matches_title('"defen* cooperation"', "defensive cooperation pact")
    assert not matches_title('"defense indus*"', "defense and industrial base")


def test_a_cyrillic_wildcard_folds_to_latin() -> None:
    match = title_match(
        "оборон*", "Мустафаев и Гюлер обсудили расширение сотрудничества в сфере оборонпрома"
    )
    assert match == Match(terms=("оборон*",), fields=("title",), spans={"title": [(8, 9)]})


@pytest.mark.parametrize(
    ("query", "title", "expected"),
    [
        # `?` stands for exactly one letter or digit of the folded word.
        ("colo?r", "The colour of money", True),
        ("colo?r", "The color of money", False),
        ("defen?e", "Defence ministers meet", True),
        ("defen?e", "Defense ministers meet", True),
        ("defen?e", "Defene ministers meet", False),
        ("defen?e", "Defenses tested", False),
        ("b??k", "Bank of Baku", True),
        ("b??k", "Back to Baku", True),
        ("b??k", "Bulk carriers", True),
        ("b??k", "Blank cheque", False),
        # `*` stands for any run of letters and digits (none included), anywhere in the word.
        ("defen?e*", "Defense industry", True),
        ("defen?e*", "Defence industry", True),
        ("defen?e*", "Defences strengthened", True),
        ("defen?e*", "Defensive posture", False),
        ("organi*ation", "A new organisation", True),
        ("organi*ation", "A new organization", True),
        ("organi*ation", "Two organizations", False),
        ("*ation", "A new organisation", True),
        ("*ation", "A new organ", False),
        ("org*ni*ation*", "Two organizations", True),
        ("*stan", "Kazakhstan and Uzbekistan", True),
        ("a*a", "Ankara talks", True),
        ("a*a", "Ankara", True),
        ("a*a", "Baku", False),
        ("a*a", "a", False),
        # A wildcard stays inside its word.
        ("drone*strike", "drone strike", False),
        ("drone*strike", "dronestrike", True),
        # Folded like the text: case, accents, dotted and dotless i, other scripts.
        ("T?rkiye", "Türkiye hosts the summit", True),
        ("T?rkiye", "TURKIYE hosts the summit", True),
        ("t?rk*", "Türkiyə ilə danışıqlar", True),
        ("Azərbayca?", "Azerbaycan ordusu", True),
        ("?zmir", "İzmir port", True),
        ("Гасан?в", "Гасанов посетил Анкару", True),
        ("Гасан?в", "Zakir Gasanov visits Ankara", True),
        ("gasan?v", "Закир Гасанов посетил Анкару", True),
        ("Мустаф*ев", "Zakir Mustafayev visits Ankara", True),
        ("Мустаф*ев", "Мустафаев и Гюлер", True),
        ("Мустаф*ев", "Мустафа и Гюлер", False),
        ("Ελλ?δα", "Ελλάδα και Κύπρος", True),
        ("北*", "北京", True),
        # `?` is one character of the folded word: `ß` folds to `ss`.
        ("Stra?e", "Straße gesperrt", False),
        ("Stra*e", "Straße gesperrt", True),
        # Wildcards in phrases, alias groups, proximity and NEAR.
        ('"defen?e indus*"', "the defence industrial base", True),
        ('"defen?e indus*"', "the defence and industrial base", False),
        ("{savunma|defen?e}", "Defence talks", True),
        ("{savunma|defen?e}", "Savunma sanayii", True),
        ("{savunma|defen?e}", "Defensive talks", False),
        ('"organi*ation cooperat*"~2', "cooperation with the organisation", True),
        ("defen?e NEAR/2 cooperat*", "defence and security cooperation", True),
        ("defen?e NEAR/1 cooperat*", "defence and security cooperation", False),
    ],
)
def test_question_mark_and_star_are_wildcards_anywhere_in_a_word(
    query: str, title: str, expected: bool
) -> None:
    assert matches_title(query, title) is expected


def test_a_wildcard_match_names_the_term_as_written() -> None:
    match = title_match("defen?e* AND organi*ation", "Defence organisation set up")
    assert match == Match(
        terms=("defen?e*", "organi*ation"), fields=("title",), spans={"title": [(0, 1), (1, 2)]}
    )


def test_a_wildcard_on_a_long_word_never_backtracks() -> None:
    # A naive translation to `a.*a.*a.*b` backtracks without end on a word of 200,000 letters.
    assert not matches_title("a*a*a*a*a*b", "a" * 200_000)
    assert matches_title("a*a*a*a*a*b", "a" * 200_000 + "b")


# --- Proximity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected_spans"),
    [
        ("defense cooperation", [(0, 2)]),
        ("defense and security cooperation", [(0, 4)]),
        ("cooperation in energy and defense", [(0, 5)]),
        ("expanding defense and security cooperation with Baku", [(1, 5)]),
    ],
)
def test_proximity_phrase_inside_the_window(
    title: str, expected_spans: list[tuple[int, int]]
) -> None:
    match = title_match('"defense cooperation"~3', title)
    assert match == Match(
        terms=('"defense cooperation"~3',), fields=("title",), spans={"title": expected_spans}
    )


def test_proximity_phrase_outside_the_window() -> None:
    title = "cooperation in the field of defense"  # four words between
    assert not matches_title('"defense cooperation"~3', title)
    assert matches_title('"defense cooperation"~4', title)
    assert matches_title('"defense cooperation"~0', "cooperation defense")
    assert not matches_title('"defense cooperation"~0', "cooperation in defense")


def test_proximity_uses_a_distinct_word_for_each_phrase_word() -> None:
    assert not matches_title('"talks talks"~2', "talks in Baku")
    assert matches_title('"talks talks"~2', "talks in Baku talks")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("defense cooperation", True),
        ("cooperation on defense", True),
        ("defense and security cooperation", True),
        ("defense of the two states and cooperation", False),
        ("defense of the two states", False),
    ],
)
def test_near_operator(title: str, expected: bool) -> None:
    assert matches_title("defense NEAR/3 cooperation", title) is expected


def test_near_span_covers_both_operands() -> None:
    match = title_match("defense NEAR/3 cooperation", "expanding defense and security cooperation")
    assert match == Match(
        terms=("defense", "cooperation"), fields=("title",), spans={"title": [(1, 5)]}
    )


def test_near_operands_may_be_phrases_and_alias_groups() -> None:
    query = '{Azerbaijan|Baku} NEAR/2 "defense industry"'
    assert matches_title(query, "Baku hosts defense industry expo")
    assert matches_title(query, "defense industry expo in Azerbaijan")
    assert not matches_title(query, "Baku hosts a large defense industry expo")


def test_near_zero_means_adjacent_in_either_order() -> None:
    assert matches_title("gas NEAR/0 pipeline", "pipeline gas")
    assert not matches_title("gas NEAR/0 pipeline", "gas export pipeline")


# --- Alias groups ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "title", "expected"),
    [
        # Every pair of the inner NEAR counts for the outer one: the nearest, the farthest, and
        # those between (the outer operand must not overlap the pair).
        ("(drone NEAR/5 strike) NEAR/0 town", "drone a strike b c strike town", True),
        ("(drone NEAR/5 strike) NEAR/0 town", "town x drone a strike", False),
        ("(drone NEAR/5 strike) NEAR/0 town", "town drone a b c d e f strike", False),
        ("town NEAR/0 (drone NEAR/5 strike)", "town strike b c strike a drone", True),
        ("town NEAR/0 (drone NEAR/5 strike)", "town x strike a drone", False),
        ("(drone NEAR/3 strike) NEAR/0 town", "drone strike town strike", True),
        ("(drone NEAR/3 strike) NEAR/0 drone", "drone strike drone strike", True),
        ("(drone NEAR/1 strike) NEAR/1 (drone NEAR/1 strike)", "drone strike drone strike", True),
        ("(drone NEAR/1 strike) NEAR/1 (drone NEAR/1 strike)", "drone strike", False),
        ("drone NEAR/2 drone", "drone drone", True),
        ("drone NEAR/2 drone", "drone", False),
    ],
)
def test_nested_near(query: str, title: str, expected: bool) -> None:
    assert matches_title(query, title) is expected


@pytest.mark.parametrize(
    ("query", "title", "expected"),
    [
        ('"drone drone strike"~1', "drone strike drone", True),
        ('"drone drone strike"~1', "drone strike x drone", True),
        ('"drone drone strike"~1', "drone strike x y drone", False),
        ('"drone dro* strike"~0', "drone strike drones", True),
        ('"dro* drone strike"~0', "drone strike drones", True),
        ('"dro* drone strike"~0', "drones strike x", False),
        ('"a a a a"~0', "a a a", False),
        ('"a a a a"~0', "b a a a a b", True),
    ],
)
def test_proximity_with_words_that_share_a_position(query: str, title: str, expected: bool) -> None:
    assert matches_title(query, title) is expected


def test_near_and_proximity_spans_on_a_long_repetitive_text() -> None:
    text = "drone strike " * 2_000
    match = title_match("drone NEAR/10 strike", text)
    assert match is not None and match.spans == {"title": [(0, 4_000)]}
    match = title_match('"strike drone"~3', text)
    assert match is not None and match.spans == {"title": [(0, 4_000)]}
    assert not matches_title('"drone drone drone"~0', text)


def test_an_alias_group_matches_any_alternative() -> None:
    query = "{Turkey|Türkiye|Turkish|Ankara}"
    for title in ["Turkey votes", "TÜRKİYE votes", "Turkish parliament votes", "Ankara votes"]:
        assert title_match(query, title) == Match(
            terms=(query,), fields=("title",), spans={"title": [(0, 1)]}
        )
    assert not matches_title(query, "Turkmenistan votes")


def test_alias_alternatives_may_be_wildcards_and_phrases() -> None:
    query = '{turk*|"military technical"|"defense cooperation"~2}'
    assert matches_title(query, "Turkmenistan votes")
    match = title_match(query, "Azerbaijan and Turkey will ramp up military-technical cooperation")
    assert match is not None
    assert match.spans == {"title": [(2, 3), (6, 8)]}
    assert matches_title(query, "cooperation in defense")
    assert not matches_title(query, "technical military aid")


# --- Precedence ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Baku", True), ("Ankara", False), ("gas", False), ("Ankara gas", True)],
)
def test_and_binds_tighter_than_or(title: str, expected: bool) -> None:
    assert matches_title("baku OR ankara AND gas", title) is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Ankara", False), ("Ankara gas", True), ("Baku", False), ("Baku gas", True)],
)
def test_parentheses_group(title: str, expected: bool) -> None:
    assert matches_title("(baku OR ankara) AND gas", title) is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [("Azerbaijan", True), ("Russia and Azerbaijan", False), ("Russia", False)],
)
def test_not_applies_to_the_next_operand_only(title: str, expected: bool) -> None:
    assert matches_title("NOT russia azerbaijan", title) is expected
    assert matches_title("azerbaijan NOT russia", title) is expected
    assert matches_title("azerbaijan -russia", title) is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("army", True),
        ("defense and cooperation", True),
        ("defense of the two states and cooperation", False),
    ],
)
def test_near_binds_tighter_than_or(title: str, expected: bool) -> None:
    assert matches_title("defense NEAR/2 cooperation OR army", title) is expected


def test_adjacent_operands_mean_and() -> None:
    assert matches_title('azerbaijan "defense industry"', "Azerbaijan defense industry expo")
    assert not matches_title('azerbaijan "defense industry"', "Azerbaijan army expo")


def test_not_of_a_group() -> None:
    query = "azerbaijan NOT (russia OR iran)"
    assert matches_title(query, "Azerbaijan and Georgia")
    assert not matches_title(query, "Azerbaijan and Iran")


# --- Match values ----------------------------------------------------------------------------


def test_match_lists_the_query_parts_that_matched_in_query_order() -> None:
    query = 'azerbaijan* AND {Turkey|Türkiye} AND ("defense industry" OR defen* OR army)'
    headline = "Azerbaijan, Türkiye discuss expanding defense industry cooperation"
    match = title_match(query, headline)
    assert match == Match(
        terms=("azerbaijan*", "{Turkey|Türkiye}", '"defense industry"', "defen*"),
        fields=("title",),
        spans={"title": [(0, 1), (1, 2), (4, 6)]},
    )
    assert match.to_json() == {
        "terms": ["azerbaijan*", "{Turkey|Türkiye}", '"defense industry"', "defen*"],
        "fields": ["title"],
    }


def test_match_terms_are_deduplicated_and_exclude_negated_parts() -> None:
    query = "azerbaijan OR (azerbaijan AND baku) NOT moscow"
    match = title_match(query, "Baku: Azerbaijan hosts talks")
    assert match == Match(
        terms=("azerbaijan", "baku"), fields=("title",), spans={"title": [(0, 1), (1, 2)]}
    )


def test_query_terms_are_the_positive_parts() -> None:
    query = parse_query('azerbaijan* {Turkey|Türkiye} NOT russia -"energy supply"')
    assert query.text == 'azerbaijan* {Turkey|Türkiye} NOT russia -"energy supply"'
    assert query.terms == ("azerbaijan*", "{Turkey|Türkiye}")


# --- Fields ----------------------------------------------------------------------------------


def test_and_is_satisfied_across_fields() -> None:
    match = parse_query("azerbaijan AND turkiye").match(
        {
            "title": "Azerbaijan hosts defense expo",
            "lead": "Delegations from Türkiye came",
            "body": None,
        }
    )
    assert match == Match(
        terms=("azerbaijan", "turkiye"),
        fields=("title", "lead"),
        spans={"title": [(0, 1)], "lead": [(2, 3)]},
    )


def test_a_phrase_never_spans_two_fields() -> None:
    query = parse_query('"azerbaijan turkiye"')
    fields = {"title": "Defense talks in Azerbaijan", "lead": "Türkiye sent a delegation"}
    assert query.match(fields) is None


def test_near_never_spans_two_fields() -> None:
    query = parse_query("defense NEAR/5 cooperation")
    assert query.match({"title": "Azerbaijan defense", "lead": "cooperation grows"}) is None


def test_not_is_checked_in_every_field() -> None:
    query = parse_query("azerbaijan NOT russia")
    assert (
        query.match({"title": "Azerbaijan hosts talks", "body": "Russia was not invited"}) is None
    )


def test_match_fields_follow_the_mapping_order() -> None:
    match = parse_query("baku OR ankara").match({"body": "in Ankara", "lead": "", "title": "Baku"})
    assert match == Match(
        terms=("baku", "ankara"),
        fields=("body", "title"),
        spans={"body": [(1, 2)], "title": [(0, 1)]},
    )


def test_match_tokens_takes_folded_words() -> None:
    query = parse_query('azerbaijan AND "defense industry"')
    title = "Azerbaijan, Türkiye discuss expanding defense industry cooperation"
    assert query.match_tokens({"title": match_tokens(title)}) == query.match({"title": title})
    assert query.match_tokens({"title": ["azerbaijan", "defense", "industry"]}) == Match(
        terms=("azerbaijan", '"defense industry"'),
        fields=("title",),
        spans={"title": [(0, 1), (1, 3)]},
    )


# --- A realistic watch: "Azerbaijan-Türkiye defense cooperation" -----------------------------

DEFENSE_COOPERATION_WATCH = (
    "{azerbaijan*|azerbaycan*|azərbaycan*|азербайджан*|aliyev}"
    " AND {turkey|türkiye|turkish|ankara|turkiye*|турци*}"
    ' AND {defen*|military*|"defense industry"|оборон*|müdafiə*|herbi|army}'
)
AZERBAIJAN = "{azerbaijan*|azerbaycan*|azərbaycan*|азербайджан*|aliyev}"
TURKEY = "{turkey|türkiye|turkish|ankara|turkiye*|турци*}"
DEFENSE = '{defen*|military*|"defense industry"|оборон*|müdafiə*|herbi|army}'


@pytest.mark.parametrize(
    ("title", "expected_spans"),
    [
        (
            "Azerbaijan, Türkiye discuss expanding defense industry cooperation",
            [(0, 1), (1, 2), (4, 6)],
        ),
        (
            "Azerbaijan and Turkey will ramp up military-technical cooperation",
            [(0, 1), (2, 3), (6, 7)],
        ),
        (
            "Azərbaycan və Türkiyə müdafiə sənayesi "
            "əməkdaşlığının genişləndirilməsini müzakirə edib",
            [(0, 1), (2, 3), (3, 4)],
        ),
    ],
)
def test_watch_matches_defense_cooperation_headlines(
    title: str, expected_spans: list[tuple[int, int]]
) -> None:
    assert title_match(DEFENSE_COOPERATION_WATCH, title) == Match(
        terms=(AZERBAIJAN, TURKEY, DEFENSE), fields=("title",), spans={"title": expected_spans}
    )


def test_watch_needs_the_lead_for_a_title_naming_neither_country() -> None:
    watch = parse_query(DEFENSE_COOPERATION_WATCH)
    title = "Мустафаев и Гюлер обсудили расширение сотрудничества в сфере оборонпрома"
    lead = (
        "Вице-премьер Азербайджана Шахин Мустафаев и министр национальной обороны Турции"
        " Яшар Гюлер обсудили расширение сотрудничества в оборонной промышленности"
    )
    assert watch.match({"title": title}) is None
    assert watch.match({"title": title, "lead": lead}) == Match(
        terms=(AZERBAIJAN, TURKEY, DEFENSE),
        fields=("title", "lead"),
        spans={"title": [(8, 9)], "lead": [(3, 4), (10, 11), (11, 12), (18, 19)]},
    )


@pytest.mark.parametrize(
    "title",
    [
        "Turkish FM: Regional tensions may pose risks to energy supply security",
        "Ankara counting on renewable supplies to EU via Azerbaijan, Türkiye",
        "An Alliance Without Illusions: Why Russia Needs Azerbaijan",
    ],
)
def test_watch_ignores_other_stories(title: str) -> None:
    assert title_match(DEFENSE_COOPERATION_WATCH, title) is None


def test_watch_terms() -> None:
    assert parse_query(DEFENSE_COOPERATION_WATCH).terms == (AZERBAIJAN, TURKEY, DEFENSE)


# --- Syntax errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ("", "empty query", 0),
        ("   ", "empty query", 0),
        ("(azerbaijan OR turkey", "unbalanced parenthesis: '(' is never closed", 0),
        ("azerbaijan (", "unbalanced parenthesis: '(' is never closed", 11),
        ("azerbaijan OR turkey)", "unbalanced parenthesis: no '(' before ')'", 20),
        ("()", "empty parentheses", 0),
        ('azerbaijan "defense industry', "unbalanced quote: '\"' is never closed", 11),
        ('""', "empty phrase", 0),
        ("{Turkey|Türkiye", "unbalanced brace: '{' is never closed", 0),
        ("Turkey}", "unbalanced brace: no '{' before '}'", 6),
        ("azerbaijan { }", "empty alias group", 11),
        ("{Turkey||Türkiye}", "empty alternative in alias group", 8),
        ("{Turkey|}", "empty alternative in alias group", 8),
        ('{Turkey|"Turkish army" x}', "expected '|' or '}' in alias group", 23),
        ("{Turkey|(Türkiye)}", "unexpected '(' inside an alias group", 8),
        ("azerbaijan | turkey", "'|' outside an alias group", 11),
        ("azerbaijan AND", "dangling operator 'AND'", 11),
        ("OR turkey", "dangling operator 'OR'", 0),
        ("azerbaijan AND OR turkey", "dangling operator 'OR'", 15),
        ("(azerbaijan OR)", "dangling operator 'OR'", 12),
        ("azerbaijan NOT", "dangling operator 'NOT'", 11),
        ("azerbaijan - turkey", "'-' must be directly followed by a term", 11),
        ("defense NEAR cooperation", "NEAR needs a distance, as in NEAR/3", 8),
        ("defense NEAR/x cooperation", "bad NEAR/N: expected a number of words after 'NEAR/'", 13),
        ("defense NEAR/3x cooperation", "bad NEAR/N: unexpected character after the number", 14),
        (
            "NOT defense NEAR/3 cooperation",
            "NEAR needs a term, phrase or alias group on each side",
            12,
        ),
        ('"defense cooperation"~', "bad ~N: expected a number of words after '~'", 22),
        ('"defense cooperation"~3x', "bad ~N: unexpected character after the number", 23),
        ("defense~3", "'~N' can only follow a quoted phrase", 7),
        ('"defense *"', "a wildcard needs a letter or digit in its word", 9),
        ("*", "a wildcard needs a letter or digit in its word", 0),
        ("drone ?", "a wildcard needs a letter or digit in its word", 6),
        ("{drone|-*}", "a wildcard needs a letter or digit in its word", 8),
        ("...", "term has no letters or digits", 0),
        ("+drone", "'+' is not part of the query language (terms are required by default)", 0),
        ("drone !strike", "'!' is not part of the query language (write NOT)", 6),
        ("drone && strike", "'&' is not part of the query language (write AND)", 6),
        ("title:drone", "':' is not part of the query language (every field is searched)", 5),
        ("drone^2", "'^' is not part of the query language", 5),
        ("[a TO b]", "'[' is not part of the query language", 0),
        ("{drone|uav]}", "']' is not part of the query language", 10),
        ("drone\\strike", "'\\' is not part of the query language", 5),
        ("24/7", "'/' is not part of the query language (NEAR/N is written in capitals)", 2),
        (
            "drone near/3 strike",
            "'/' is not part of the query language (NEAR/N is written in capitals)",
            10,
        ),
        ("(" * 51 + "drone" + ")" * 51, "query nested too deeply (more than 50 levels)", 50),
        ("(" * 200 + "drone" + ")" * 200, "query nested too deeply (more than 50 levels)", 50),
        ("drone " + "NOT " * 300 + "strike", "query nested too deeply (more than 50 levels)", 206),
        ("drone " + "-" * 300 + "strike", "query nested too deeply (more than 50 levels)", 56),
        (
            "drone" + " NEAR/1 drone" * 300,
            "query nested too deeply (more than 50 levels)",
            6 + 13 * 50,
        ),
        (
            "(" * 45 + "NOT " * 10 + "a" + ")" * 45,
            "query nested too deeply (more than 50 levels)",
            65,
        ),
        ("NOT russia", "query matches nothing positive", 0),
        ("-russia -iran", "query matches nothing positive", 0),
        ("azerbaijan OR NOT russia", "query matches nothing positive", 14),
    ],
)
def test_syntax_errors_point_at_the_offending_character(
    query: str, message: str, position: int
) -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        parse_query(query)
    assert (raised.value.message, raised.value.position, raised.value.query) == (
        message,
        position,
        query,
    )


def test_quoted_text_may_hold_any_character() -> None:
    assert matches_title('"C++ & 24/7: [live]"', "C++ & 24/7: live coverage")
    assert matches_title('{"AT&T"|verizon}', "AT&T outage")


def test_nesting_up_to_the_limit_is_accepted() -> None:
    assert matches_title("(" * 50 + "drone" + ")" * 50, "Drone strike")
    assert matches_title("drone AND " + "NOT " * 49 + "missile", "Drone strike")
    assert matches_title("drone" + " NEAR/1 drone" * 49, "drone " * 50)


def test_syntax_error_message_shows_a_caret_under_the_position() -> None:
    with pytest.raises(ValueError, match="never closed") as raised:
        parse_query("turkey AND (azerbaijan OR baku")
    error = raised.value
    assert isinstance(error, QuerySyntaxError)
    assert error.one_line() == "unbalanced parenthesis: '(' is never closed at position 11"
    assert str(error) == (
        "unbalanced parenthesis: '(' is never closed at position 11\n"
        "  turkey AND (azerbaijan OR baku\n"
        "             ^"
    )


def _all_pairs_near(spans_left: set, spans_right: set, distance: int) -> set:
    """NEAR's spans by definition: every pair of occurrences within `distance` words."""
    return {
        (min(left_start, right_start), max(left_end, right_end))
        for left_start, left_end in spans_left
        for right_start, right_end in spans_right
        if 0 <= max(right_start - left_end, left_start - right_end) <= distance
    }


def _merged(spans: set) -> list:
    merged: list = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def test_nested_near_agrees_with_every_pair_on_random_texts() -> None:
    rng = random.Random(25)
    for _ in range(300):
        words = [rng.choice("abc") for _ in range(rng.randint(1, 14))]
        near = {
            letter: {(i, i + 1) for i, word in enumerate(words) if word == letter}
            for letter in "abc"
        }
        # ((x NEAR/d1 y) NEAR/d2 z) NEAR/d3 w, and the same nested on the right.
        x, y, z, w = (rng.choice("abc") for _ in range(4))
        d1, d2, d3 = (rng.randint(0, 3) for _ in range(3))
        inner = _all_pairs_near(near[x], near[y], d1)
        middle = _all_pairs_near(inner, near[z], d2)
        for query, expected in (
            (f"({x} NEAR/{d1} {y}) NEAR/{d2} {z}", middle),
            (f"{z} NEAR/{d2} ({x} NEAR/{d1} {y})", _all_pairs_near(near[z], inner, d2)),
            (
                f"(({x} NEAR/{d1} {y}) NEAR/{d2} {z}) NEAR/{d3} {w}",
                _all_pairs_near(middle, near[w], d3),
            ),
            (
                f"{w} NEAR/{d3} ({z} NEAR/{d2} ({x} NEAR/{d1} {y}))",
                _all_pairs_near(near[w], _all_pairs_near(near[z], inner, d2), d3),
            ),
        ):
            match = title_match(query, " ".join(words))
            found = match.spans["title"] if match else None
            assert found == (_merged(expected) or None), (query, words)
