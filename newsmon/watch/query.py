"""The boolean query language of watches: parse once, then match the folded words of fields.

Syntax (operators are the upper-case words AND, OR, NOT and NEAR/N; lower-case `and` is a term):

    azerbaijan                 a word, folded like the text (`Türkiye` = `turkiye`)
    azerbaijan*                a prefix: `azerbaijani`, `azerbaijan`
    defen?e  organi*ation      wildcards anywhere in a word, as in Lucene: `?` is exactly one
                               letter or digit of the folded word, `*` any number (none too)
    "defense industry"         consecutive words; any word may hold wildcards
    "defense cooperation"~3    all the words, in any order, with at most 3 other words between
                               the first and the last
    defense NEAR/3 cooperation the two operands within 3 words of each other, in any order
    {Turkey|Türkiye|"Turkish army"}   an alias group: any one alternative
    a AND b, a b, a OR b, NOT a, -a, a NOT b (= a AND NOT b), parentheses

Precedence is NOT > NEAR > AND > OR. A term that folds to several words (`Türkiye's`) is a
phrase. Characters other query languages use as operators (`+ ! & : ^ [ ] \\ /`) are errors
outside quotes, and nesting (parentheses, NOT, NEAR) is at most `MAX_NESTING` deep. Each field
is matched on its own: a phrase or NEAR never spans two fields, while AND is satisfied by its
operands matching in different fields.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newsmon.normalize.text import match_key
from newsmon.normalize.text import match_tokens as folded_words

# Levels of parentheses, NOT and NEAR a query may nest: far beyond any real query, and well
# within Python's recursion limit for parsing and matching.
MAX_NESTING = 50
# Characters that end a bare word in a query.
_DELIMITERS = frozenset('()"{}|')
_WILDCARDS = "?*"
# Characters other query languages give a meaning this one does not have: refused outside quotes,
# so that `+drone`, `title:drone` or `!strike` never silently mean something else.
_FOREIGN_OPERATORS = {
    "+": "terms are required by default",
    "!": "write NOT",
    "&": "write AND",
    ":": "every field is searched",
    "^": "",
    "[": "",
    "]": "",
    "\\": "",
    "/": "NEAR/N is written in capitals",
}
# A wildcard, or a run of text without one.
_WORD_PIECES = re.compile(r"[?*]|[^?*]+")
# Characters besides whitespace that may directly follow `~N`.
_AFTER_PROXIMITY = frozenset(")|}")
_BOOLEAN_OPERATORS = frozenset(("AND", "OR", "NOT"))
_BINARY_OPERATORS = ("AND", "OR", "NEAR")

Span = tuple[int, int]


class QuerySyntaxError(ValueError):
    """A query that cannot be parsed, with the 0-based position of the offending character."""

    def __init__(self, message: str, position: int, query: str) -> None:
        super().__init__(message, position, query)
        self.message = message
        self.position = position
        self.query = query

    def one_line(self) -> str:
        """The message and position, without the query and caret."""
        return f"{self.message} at position {self.position}"

    def __str__(self) -> str:
        shown_query = self.query.replace("\t", " ").replace("\n", " ").replace("\r", " ")
        return f"{self.one_line()}\n  {shown_query}\n  {' ' * self.position}^"


@dataclass(frozen=True)
class Match:
    """What made a query true.

    `terms`: the matched query parts as written, in query order; `fields`: the fields they
    matched in, in the mapping's order; `spans`: per field, sorted token spans (start, end
    exclusive) with overlaps merged; a proximity or NEAR span runs from its first to last word.
    """

    terms: tuple[str, ...]
    fields: tuple[str, ...]
    spans: dict[str, list[Span]]

    def to_json(self) -> dict[str, list[str]]:
        """The matched terms and fields as JSON-ready lists."""
        return {"terms": list(self.terms), "fields": list(self.fields)}


class _Field:
    """The folded words of one field, indexed by word."""

    __slots__ = ("positions", "tokens")

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens = tokens
        self.positions: dict[str, list[int]] = {}
        for index, token in enumerate(tokens):
            token_positions = self.positions.get(token)
            if token_positions is None:
                self.positions[token] = [index]
            else:
                token_positions.append(index)


class _Word:
    """One folded word of a pattern: exact, a prefix (`defen*`) or with wildcards (`defen?e`)."""

    __slots__ = ("glob", "is_exact", "stem", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        first_wildcard = next(
            (index for index, char in enumerate(text) if char in _WILDCARDS), len(text)
        )
        # The letters before the first wildcard: every accepted token starts with them.
        self.stem = text[:first_wildcard]
        self.is_exact = first_wildcard == len(text)
        # A prefix (one `*`, at the end) needs no more than the stem.
        is_prefix = first_wildcard == len(text) - 1 and text.endswith("*")
        self.glob = None if self.is_exact or is_prefix else _glob(text)

    def positions(self, field: _Field) -> Sequence[int]:
        if self.is_exact:
            return field.positions.get(self.text, ())
        return sorted(
            position
            for token, token_positions in field.positions.items()
            if self.accepts(token)
            for position in token_positions
        )

    def accepts(self, token: str) -> bool:
        if self.is_exact:
            return token == self.text
        if not token.startswith(self.stem):
            return False
        return self.glob is None or self.glob.fullmatch(token) is not None


def _glob(word: str) -> re.Pattern[str]:
    """A regular expression for `word` with `?` and `*` that never backtracks more than
    linearly: each part between two stars is taken at its leftmost place (an atomic group),
    which leaves the most room to what follows, so no other place needs trying."""
    parts = [
        "".join("." if char == "?" else re.escape(char) for char in part)
        for part in word.split("*")
    ]
    if len(parts) == 1:
        return re.compile(parts[0])
    middle = "".join(f"(?>.*?{part})" for part in parts[1:-1] if part)
    return re.compile(f"{parts[0]}{middle}.*{parts[-1]}")


class _Pattern(ABC):
    """Something found at token spans of a field."""

    __slots__ = ()

    @abstractmethod
    def spans(self, field: _Field) -> list[Span]:
        """The spans of `field` where the pattern occurs."""


class _ExactWord(_Pattern):
    """One exact word."""

    __slots__ = ("word",)

    def __init__(self, word: str) -> None:
        self.word = word

    def spans(self, field: _Field) -> list[Span]:
        positions = field.positions.get(self.word)
        return [(position, position + 1) for position in positions] if positions else []


class _WordSet(_Pattern):
    """Single words: any of the exact words, or any word a prefix or wildcard word accepts."""

    __slots__ = ("exact", "inexact")

    def __init__(self, words: Sequence[_Word]) -> None:
        self.exact = frozenset(word.text for word in words if word.is_exact)
        self.inexact = tuple(word for word in words if not word.is_exact)

    def spans(self, field: _Field) -> list[Span]:
        positions = field.positions
        found: list[int] = []
        for word in self.exact:
            found.extend(positions.get(word, ()))
        if self.inexact:
            for token, token_positions in positions.items():
                if token not in self.exact and any(word.accepts(token) for word in self.inexact):
                    found.extend(token_positions)
        return [(position, position + 1) for position in found]


class _Phrase(_Pattern):
    """Consecutive words."""

    __slots__ = ("words",)

    def __init__(self, words: Sequence[_Word]) -> None:
        self.words = tuple(words)

    def spans(self, field: _Field) -> list[Span]:
        tokens = field.tokens
        length = len(self.words)
        last_start = len(tokens) - length
        following = self.words[1:]
        return [
            (start, start + length)
            for start in self.words[0].positions(field)
            if start <= last_start
            and all(
                word.accepts(tokens[start + offset]) for offset, word in enumerate(following, 1)
            )
        ]


class _Proximity(_Pattern):
    """All the words in any order, with at most `slack` other words between first and last."""

    __slots__ = ("slack", "words")

    def __init__(self, words: Sequence[_Word], slack: int) -> None:
        self.words = tuple(words)
        self.slack = slack

    def spans(self, field: _Field) -> list[Span]:
        position_lists = [word.positions(field) for word in self.words]
        if not all(position_lists):
            return []
        window = len(self.words) + self.slack
        found: set[Span] = set()
        for start in sorted({position for positions in position_lists for position in positions}):
            chosen = _distinct_positions(position_lists, start, start + window)
            if chosen:
                found.add((min(chosen), max(chosen) + 1))
        return sorted(found)


def _distinct_positions(
    position_lists: Sequence[Sequence[int]], low: int, high: int
) -> list[int] | None:
    """One distinct position in [low, high) for each word (each word's positions sorted), or
    None: a bipartite matching by augmenting paths, in time bounded by the number of words.

    A word is offered only its first positions in the window, as many as there are words: the
    other words can hold no more than one fewer, so one of these is always left for it.
    """
    count = len(position_lists)
    candidates: list[list[int]] = []
    for positions in position_lists:
        first = bisect_left(positions, low)
        offered = [position for position in positions[first : first + count] if position < high]
        if not offered:
            return None
        candidates.append(offered)
    taken_by: dict[int, int] = {}  # position → word
    held: list[int | None] = [None] * count  # word → position
    for word in range(count):
        reached_from: dict[int, int] = {}  # position → the word whose search reached it
        queue = [word]
        free = None
        for searching in queue:
            for candidate in candidates[searching]:
                if candidate in reached_from:
                    continue
                reached_from[candidate] = searching
                if candidate not in taken_by:
                    free = candidate
                    break
                queue.append(taken_by[candidate])
            if free is not None:
                break
        if free is None:
            return None
        # Each word on the path takes the position it reached, leaving its own to the next.
        position: int | None = free
        while position is not None:
            mover = reached_from[position]
            taken_by[position] = mover
            position, held[mover] = held[mover], position
    return [position for position in held if position is not None]


# A contribution to a match: the labels of the query parts, the field's index, the spans.
_Contribution = tuple[tuple[int, ...], int, list[Span]]


class _Node(ABC):
    """A compiled part of a query."""

    __slots__ = ("position",)

    position: int

    @abstractmethod
    def evaluate(self, fields: Sequence[_Field]) -> list[_Contribution] | None:
        """None when false, else what the positive parts contributed."""

    @abstractmethod
    def is_true(self, fields: Sequence[_Field]) -> bool:
        """Whether the node is true, without collecting contributions."""


class _Positional(_Node):
    """A node found at spans of a single field: an operand, or a NEAR of two."""

    __slots__ = ("labels",)

    labels: tuple[int, ...]

    @abstractmethod
    def spans(self, field: _Field) -> list[Span]:
        """The spans of `field` where the node occurs."""

    def evaluate(self, fields: Sequence[_Field]) -> list[_Contribution] | None:
        contributions: list[_Contribution] = []
        for index, field in enumerate(fields):
            spans = self.spans(field)
            if spans:
                contributions.append((self.labels, index, spans))
        return contributions or None

    def is_true(self, fields: Sequence[_Field]) -> bool:
        return any(self.spans(field) for field in fields)


class _Operand(_Positional):
    """A term, phrase or alias group, labelled with its text in the query."""

    __slots__ = ("patterns",)

    def __init__(self, label: int, patterns: Sequence[_Pattern], position: int) -> None:
        self.labels = (label,)
        self.patterns = tuple(patterns)
        self.position = position

    def spans(self, field: _Field) -> list[Span]:
        if len(self.patterns) == 1:
            return self.patterns[0].spans(field)
        return [span for pattern in self.patterns for span in pattern.spans(field)]


class _Near(_Positional):
    """Two positional nodes with at most `distance` words between them, in either order.

    Its spans run from the first to the last word of each pair, but not every pair is needed:
    a span containing another is as near to anything else, and the merged spans of a match are
    the same without it. A NEAR keeps, for each occurrence of either operand, its widest pair
    on either side (linear in the text however wide the distance): enough for its own match,
    and for a NEAR around it, whose pairs depend only on one end of each span. Two NEARs down,
    that no longer holds: there, every pair is kept, which costs in proportion to the pairs.
    """

    __slots__ = ("distance", "every_pair", "left", "right")

    def __init__(self, left: _Positional, right: _Positional, distance: int, position: int) -> None:
        self.left = left
        self.right = right
        self.distance = distance
        self.every_pair = False
        self.labels = left.labels + right.labels
        self.position = position
        for operand in (left, right):
            if isinstance(operand, _Near):
                operand.keep_every_pair_below()

    def keep_every_pair_below(self) -> None:
        """This NEAR is an operand of another: the NEARs inside it keep every pair."""
        for operand in (self.left, self.right):
            if isinstance(operand, _Near) and not operand.every_pair:
                operand.every_pair = True
                operand.keep_every_pair_below()

    def spans(self, field: _Field) -> list[Span]:
        left_spans = self.left.spans(field)
        if not left_spans:
            return []
        right_spans = self.right.spans(field)
        if not right_spans:
            return []
        distance = self.distance
        # Right before left is right after left read backwards.
        left_back, right_back = _mirrored(left_spans), _mirrored(right_spans)
        if self.every_pair:
            found = set(_pairs_after(left_spans, right_spans, distance))
            found.update(_mirrored(_pairs_after(left_back, right_back, distance)))
            return list(found)
        found = set(_widest_pairs_after(left_spans, right_spans, distance))
        found.update(_widest_pairs_after(right_spans, left_spans, distance))
        found.update(_mirrored(_widest_pairs_after(left_back, right_back, distance)))
        found.update(_mirrored(_widest_pairs_after(right_back, left_back, distance)))
        return list(found)


def _mirrored(spans: Sequence[Span]) -> list[Span]:
    """The spans as seen reading the text backwards (positions negated)."""
    return [(-end, -start) for start, end in spans]


def _pairs_after(left: Sequence[Span], right: Sequence[Span], distance: int) -> list[Span]:
    """The span of each left span with each right span starting at most `distance` words after
    its end."""
    rights = sorted(right)
    starts = [start for start, _ in rights]
    found: list[Span] = []
    for left_start, left_end in left:
        first = bisect_left(starts, left_end)
        last = bisect_right(starts, left_end + distance)
        found.extend((left_start, right_end) for _, right_end in rights[first:last])
    return found


def _widest_pairs_after(left: Sequence[Span], right: Sequence[Span], distance: int) -> list[Span]:
    """For each left span, its span with the right span ending last among those starting at
    most `distance` words after its end (a sliding-window maximum: linear after sorting)."""
    rights = sorted(right)
    found: list[Span] = []
    window: deque[int] = deque()  # indexes of rights in the window, their ends decreasing
    following = 0
    for left_start, left_end in sorted(left, key=lambda span: span[1]):
        while following < len(rights) and rights[following][0] <= left_end + distance:
            end = rights[following][1]
            while window and rights[window[-1]][1] <= end:
                window.pop()
            window.append(following)
            following += 1
        while window and rights[window[0]][0] < left_end:
            window.popleft()
        if window:
            found.append((left_start, rights[window[0]][1]))
    return found


class _And(_Node):
    """True when every child is true."""

    __slots__ = ("children",)

    def __init__(self, children: Sequence[_Node]) -> None:
        self.children = tuple(children)
        self.position = children[0].position

    def evaluate(self, fields: Sequence[_Field]) -> list[_Contribution] | None:
        contributions: list[_Contribution] = []
        for child in self.children:
            found = child.evaluate(fields)
            if found is None:
                return None
            contributions.extend(found)
        return contributions

    def is_true(self, fields: Sequence[_Field]) -> bool:
        return all(child.is_true(fields) for child in self.children)


class _Or(_Node):
    """True when any child is true; every true child contributes."""

    __slots__ = ("children",)

    def __init__(self, children: Sequence[_Node]) -> None:
        self.children = tuple(children)
        self.position = children[0].position

    def evaluate(self, fields: Sequence[_Field]) -> list[_Contribution] | None:
        contributions: list[_Contribution] = []
        matched = False
        for child in self.children:
            found = child.evaluate(fields)
            if found is not None:
                matched = True
                contributions.extend(found)
        return contributions if matched else None

    def is_true(self, fields: Sequence[_Field]) -> bool:
        return any(child.is_true(fields) for child in self.children)


class _Not(_Node):
    """True when the child matches in no field; contributes nothing."""

    __slots__ = ("child",)

    def __init__(self, child: _Node, position: int) -> None:
        self.child = child
        self.position = position

    def evaluate(self, fields: Sequence[_Field]) -> list[_Contribution] | None:
        return None if self.child.is_true(fields) else []

    def is_true(self, fields: Sequence[_Field]) -> bool:
        return not self.child.is_true(fields)


class Query:
    """A parsed watch query; build it with `parse_query`."""

    __slots__ = ("_labels", "_root", "terms", "text")

    def __init__(self, text: str, root: _Node, labels: Sequence[str]) -> None:
        self.text = text
        self._root = root
        self._labels = tuple(labels)
        self.terms: tuple[str, ...] = tuple(
            self._labels[label] for label in sorted(_positive_labels(root))
        )

    def __repr__(self) -> str:
        return f"Query({self.text!r})"

    def match(self, fields: Mapping[str, str | None]) -> Match | None:
        """Match text fields (e.g. title, lead, body), each folded once; None when false."""
        return self.match_tokens({name: folded_words(value) for name, value in fields.items()})

    def match_tokens(self, fields: Mapping[str, Sequence[str]]) -> Match | None:
        """Match fields given as already folded words (`newsmon.normalize.text.match_tokens`)."""
        names: list[str] = []
        indexed: list[_Field] = []
        for name, tokens in fields.items():
            if tokens:
                names.append(name)
                indexed.append(_Field(tokens))
        contributions = self._root.evaluate(indexed)
        if contributions is None:
            return None
        labels: set[int] = set()
        spans_by_field: dict[int, list[Span]] = {}
        for contribution_labels, field_index, spans in contributions:
            labels.update(contribution_labels)
            if field_index in spans_by_field:
                spans_by_field[field_index] += spans
            else:
                spans_by_field[field_index] = list(spans)
        field_spans = {
            names[index]: _merge_spans(spans_by_field[index]) for index in sorted(spans_by_field)
        }
        label_texts = self._labels
        return Match(
            terms=tuple([label_texts[label] for label in sorted(labels)]),
            fields=tuple(field_spans),
            spans=field_spans,
        )


def _merge_spans(spans: list[Span]) -> list[Span]:
    """Sorted spans with overlapping ones merged."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _positive_labels(node: _Node) -> set[int]:
    """The labels of the operands not under a NOT."""
    if isinstance(node, _Positional):
        return set(node.labels)
    if isinstance(node, (_And, _Or)):
        return {label for child in node.children for label in _positive_labels(child)}
    return set()


def _unanchored(node: _Node) -> _Node | None:
    """A part of `node` that can be true while no positive operand matches, if any."""
    if isinstance(node, _Not):
        return node
    if isinstance(node, _And):
        culprits = [_unanchored(child) for child in node.children]
        return node if all(culprits) else None
    if isinstance(node, _Or):
        return next((culprit for child in node.children if (culprit := _unanchored(child))), None)
    return None


@dataclass(frozen=True, slots=True)
class _Token:
    """A lexical token: an operand, a parenthesis, an operator, or the end of the query."""

    kind: str  # "operand", "(", ")", "AND", "OR", "NOT", "NEAR" or "end"
    position: int
    end: int
    operand: _Operand | None = None
    distance: int = 0


class _Lexer:
    """Splits a query into tokens, compiling operands as it goes."""

    def __init__(self, query: str) -> None:
        self.query = query
        self.labels: dict[str, int] = {}

    def error(self, message: str, position: int) -> QuerySyntaxError:
        return QuerySyntaxError(message, position, self.query)

    def tokens(self) -> list[_Token]:
        query = self.query
        tokens: list[_Token] = []
        position = 0
        while position < len(query):
            char = query[position]
            if char.isspace():
                position += 1
            elif char in "()":
                tokens.append(_Token(char, position, position + 1))
                position += 1
            elif char == '"':
                words, slack, end = self.read_quoted(position)
                tokens.append(self.operand_token([_pattern(words, slack)], position, end))
                position = end
            elif char == "{":
                patterns, end = self.read_alias_group(position)
                tokens.append(self.operand_token(patterns, position, end))
                position = end
            elif char == "}":
                raise self.error("unbalanced brace: no '{' before '}'", position)
            elif char == "|":
                raise self.error("'|' outside an alias group", position)
            elif char == "-":
                following = query[position + 1 : position + 2]
                if not following or following.isspace() or following in ")|}":
                    raise self.error("'-' must be directly followed by a term", position)
                tokens.append(_Token("NOT", position, position + 1))
                position += 1
            else:
                end = position
                while (
                    end < len(query) and not query[end].isspace() and query[end] not in _DELIMITERS
                ):
                    end += 1
                tokens.append(self.word_token(position, end))
                position = end
        tokens.append(_Token("end", len(query), len(query)))
        return tokens

    def operand_token(self, patterns: Sequence[_Pattern], position: int, end: int) -> _Token:
        label = self.labels.setdefault(self.query[position:end], len(self.labels))
        return _Token("operand", position, end, operand=_Operand(label, patterns, position))

    def word_token(self, position: int, end: int) -> _Token:
        word = self.query[position:end]
        if word in _BOOLEAN_OPERATORS:
            return _Token(word, position, end)
        if word == "NEAR" or word.startswith("NEAR/"):
            return _Token("NEAR", position, end, distance=self.near_distance(position, end))
        if "~" in word:
            raise self.error("'~N' can only follow a quoted phrase", position + word.index("~"))
        words = self.compile_words(word, position)
        if not words:
            raise self.error("term has no letters or digits", position)
        return self.operand_token([_pattern(words, None)], position, end)

    def near_distance(self, position: int, end: int) -> int:
        if end == position + 4:
            raise self.error("NEAR needs a distance, as in NEAR/3", position)
        digits_start = position + 5
        digits_end = self.digits_end(digits_start)
        if digits_end == digits_start:
            raise self.error("bad NEAR/N: expected a number of words after 'NEAR/'", digits_start)
        if digits_end < end:
            raise self.error("bad NEAR/N: unexpected character after the number", digits_end)
        return int(self.query[digits_start:digits_end])

    def digits_end(self, position: int) -> int:
        """The end of the ASCII digits starting at `position`."""
        while position < len(self.query) and self.query[position] in "0123456789":
            position += 1
        return position

    def read_quoted(self, position: int) -> tuple[list[_Word], int | None, int]:
        """The words of the phrase opening at `position`, its `~N` slack, and where it ends."""
        query = self.query
        closing = query.find('"', position + 1)
        if closing == -1:
            raise self.error("unbalanced quote: '\"' is never closed", position)
        words = self.compile_words(query[position + 1 : closing], position + 1, quoted=True)
        if not words:
            raise self.error("empty phrase", position)
        end = closing + 1
        if query[end : end + 1] != "~":
            return words, None, end
        digits_end = self.digits_end(end + 1)
        if digits_end == end + 1:
            raise self.error("bad ~N: expected a number of words after '~'", end + 1)
        if digits_end < len(query):
            following = query[digits_end]
            if not following.isspace() and following not in _AFTER_PROXIMITY:
                raise self.error("bad ~N: unexpected character after the number", digits_end)
        return words, int(query[end + 1 : digits_end]), digits_end

    def read_alias_group(self, position: int) -> tuple[list[_Pattern], int]:
        """The alternatives of the alias group opening at `position`, and where it ends."""
        query = self.query
        single_words: list[_Word] = []
        patterns: list[_Pattern] = []
        index = position + 1
        after_separator = False
        while True:
            while index < len(query) and query[index].isspace():
                index += 1
            if index == len(query):
                raise self.error("unbalanced brace: '{' is never closed", position)
            char = query[index]
            if char in "|}":
                if char == "}" and not after_separator:
                    raise self.error("empty alias group", position)
                raise self.error("empty alternative in alias group", index)
            slack: int | None = None
            if char == '"':
                words, slack, index = self.read_quoted(index)
                while index < len(query) and query[index].isspace():
                    index += 1
            else:
                words, index = self.read_bare_alternative(position, index)
            if len(words) == 1:
                single_words.extend(words)
            else:
                patterns.append(_pattern(words, slack))
            if index == len(query):
                raise self.error("unbalanced brace: '{' is never closed", position)
            if query[index] == "}":
                break
            if query[index] != "|":
                raise self.error("expected '|' or '}' in alias group", index)
            index += 1
            after_separator = True
        if single_words:
            patterns.insert(0, _WordSet(single_words))
        return patterns, index + 1

    def read_bare_alternative(self, group_position: int, index: int) -> tuple[list[_Word], int]:
        """The words of an unquoted alias alternative starting at `index`, and where it ends."""
        query = self.query
        end = index
        while end < len(query) and query[end] not in "|}":
            if query[end] in '"{()~':
                raise self.error(f"unexpected '{query[end]}' inside an alias group", end)
            end += 1
        if end == len(query):
            raise self.error("unbalanced brace: '{' is never closed", group_position)
        words = self.compile_words(query[index:end], index)
        if not words:
            raise self.error("alternative has no letters or digits", index)
        return words, end

    def compile_words(self, raw: str, offset: int, *, quoted: bool = False) -> list[_Word]:
        """Fold `raw` (at `offset` in the query) into words, keeping each word's wildcards;
        outside quotes, another query language's operator is an error."""
        if not quoted:
            self.refuse_foreign_operators(raw, offset)
        words: list[_Word] = []
        spelled = ""  # the word being read: folded letters and wildcards
        first_wildcard = 0  # where its first wildcard is in the query

        def end_word() -> None:
            nonlocal spelled
            if spelled.strip(_WILDCARDS):
                words.append(_Word(spelled))
            elif spelled:
                raise self.error("a wildcard needs a letter or digit in its word", first_wildcard)
            spelled = ""

        for piece in _WORD_PIECES.finditer(raw):
            text = piece.group()
            if text in _WILDCARDS:
                if not spelled:
                    first_wildcard = offset + piece.start()
                spelled += text
                continue
            # Punctuation and spaces separate words; a piece that starts or ends with a letter
            # or digit continues the word of the wildcard beside it.
            folded = match_key(text).split()
            if not match_key(text[0]):
                end_word()
            for number, word in enumerate(folded):
                if number:
                    end_word()
                spelled += word
            if not match_key(text[-1]):
                end_word()
        end_word()
        return words

    def refuse_foreign_operators(self, raw: str, offset: int) -> None:
        for index, char in enumerate(raw):
            if char in _FOREIGN_OPERATORS:
                hint = _FOREIGN_OPERATORS[char]
                message = f"'{char}' is not part of the query language"
                raise self.error(f"{message} ({hint})" if hint else message, offset + index)


def _pattern(words: Sequence[_Word], slack: int | None) -> _Pattern:
    if len(words) == 1:
        return _ExactWord(words[0].text) if words[0].is_exact else _WordSet(words)
    if slack is None:
        return _Phrase(words)
    return _Proximity(words, slack)


class _Parser:
    """Recursive descent over the tokens: or → and → near → unary → primary."""

    def __init__(self, query: str, tokens: list[_Token]) -> None:
        self.query = query
        self.tokens = tokens
        self.index = 0
        self.depth = 0  # the parentheses, NOTs and NEARs around the token being read

    def nest(self, token: _Token) -> None:
        """Go one level deeper at `token`, refusing to go deeper than MAX_NESTING."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(
                f"query nested too deeply (more than {MAX_NESTING} levels)", token.position
            )

    def error(self, message: str, position: int) -> QuerySyntaxError:
        return QuerySyntaxError(message, position, self.query)

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> _Node:
        if self.peek().kind == "end":
            raise self.error("empty query", 0)
        root = self.parse_or()
        token = self.peek()
        if token.kind == ")":
            raise self.error("unbalanced parenthesis: no '(' before ')'", token.position)
        return root

    def parse_or(self) -> _Node:
        children = [self.parse_and()]
        while self.peek().kind == "OR":
            self.advance()
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else _Or(children)

    def parse_and(self) -> _Node:
        children = [self.parse_near()]
        while self.peek().kind in ("AND", "operand", "(", "NOT"):
            if self.peek().kind == "AND":
                self.advance()
            children.append(self.parse_near())
        return children[0] if len(children) == 1 else _And(children)

    def parse_near(self) -> _Node:
        node = self.parse_unary()
        chained = 0
        while self.peek().kind == "NEAR":
            operator = self.advance()
            # `a NEAR/1 b NEAR/1 c` nests the first NEAR inside the second.
            self.nest(operator)
            chained += 1
            right = self.parse_unary()
            if not isinstance(node, _Positional) or not isinstance(right, _Positional):
                raise self.error(
                    "NEAR needs a term, phrase or alias group on each side", operator.position
                )
            node = _Near(node, right, operator.distance, node.position)
        self.depth -= chained
        return node

    def parse_unary(self) -> _Node:
        if self.peek().kind == "NOT":
            operator = self.advance()
            self.nest(operator)
            node = _Not(self.parse_unary(), operator.position)
            self.depth -= 1
            return node
        return self.parse_primary()

    def parse_primary(self) -> _Node:
        token = self.peek()
        if token.operand is not None:
            self.advance()
            return token.operand
        if token.kind == "(":
            self.advance()
            if self.peek().kind == ")":
                raise self.error("empty parentheses", token.position)
            self.nest(token)
            node = self.parse_or()
            if self.peek().kind != ")":
                raise self.error("unbalanced parenthesis: '(' is never closed", token.position)
            self.advance()
            self.depth -= 1
            return node
        if token.kind in _BINARY_OPERATORS:
            raise self.dangling(token)
        previous = self.tokens[self.index - 1] if self.index else None
        if previous is not None and previous.kind != "(":
            raise self.dangling(previous)
        if token.kind == ")" or previous is None:
            raise self.error("unbalanced parenthesis: no '(' before ')'", token.position)
        raise self.error("unbalanced parenthesis: '(' is never closed", previous.position)

    def dangling(self, operator: _Token) -> QuerySyntaxError:
        text = self.query[operator.position : operator.end]
        return self.error(f"dangling operator '{text}'", operator.position)


def parse_query(text: str) -> Query:
    """Compile a watch query; raises QuerySyntaxError pointing at the offending character."""
    lexer = _Lexer(text)
    root = _Parser(text, lexer.tokens()).parse()
    culprit = _unanchored(root)
    if culprit is not None:
        raise QuerySyntaxError("query matches nothing positive", culprit.position, text)
    return Query(text, root, list(lexer.labels))
