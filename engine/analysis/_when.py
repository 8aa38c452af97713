"""A small condition language over a pair's state, for `legation when` ("no ambassador of USA in BOL")."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

import attrs

from engine.core._state import AID_STATUSES, PairState
from events import POST_KINDS, LegationError

# Ranks as users say them; "envoy" means any head of mission at all.
_RANKS = {
    "ambassador": "ambassador",
    "minister": "minister",
    "charge": "charge",
    "chargé": "charge",
    "other": "other",
    "envoy": "any",
}
_CERTIFICATION_WORDS = {
    "certified": ("certified",),
    # Decertified with a national-interest waiver is still decertified ("failed demonstrably").
    "decertified": ("decertified", "decertified_waived"),
    "decertified_waived": ("decertified_waived",),
}
_AID_WORDS = {status: (status,) for status in AID_STATUSES} | {"flowing": ("active", "waived")}
_RELATIONS_WORDS = ("established", "severed", "none")
_TOKEN = re.compile(r"\s*(?:(?P<quoted>\"[^\"]*\"|'[^']*')|(?P<symbol>->|[()])|(?P<word>(?:(?!->)[^\s()\"'])+))")
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_]{1,31}")
MAX_NESTING = 64
"""Deepest nesting of parentheses a condition may have (each level is a frame of the recursive parser)."""

CONDITION_GRAMMAR = (
    "relations established|severed|none; [no] RANK of A in B (RANK: ambassador, minister, charge, other, envoy); "
    "[no] POST of A in B (embassy, consulate, ...); [no] AGENCY of A in B (DEA, USAID, ...); "
    "aid A->B active|suspended|restricted|waived|none|flowing; visa [not] required for A in B; "
    "B [not] certified|decertified|decertified_waived by A; A recognizes B; joined with and, or, not, ( )"
)
"""The condition language in one line (shown in errors and in `legation when --help`)."""


class ConditionError(LegationError, ValueError):
    """A condition that does not parse: names the word at fault and what was expected there.

    Attributes:
        condition: the whole condition as given.
        found: the word at fault ("end of condition" when it ended too soon).
        expected: what would have been understood there, in words.
    """

    def __init__(self, condition: str, found: str, expected: str) -> None:
        self.condition = condition
        self.found = found
        self.expected = expected
        # A long condition (a fuzzer's, or 2,000 "not"s) is shown by its start: the message stays one line.
        shown = condition if len(condition) <= 160 else condition[:160] + "…"
        message = f"condition {shown!r}: at {found[:80]!r}, expected {expected}"
        super().__init__(message)


@attrs.frozen
class Condition:
    """A parsed condition: a predicate over a pair's state, and the actors it names."""

    text: str
    """The condition as written."""
    actors: tuple[str, ...]
    """The actor codes it names, in order of first mention."""
    test: Callable[[PairState], bool] = attrs.field(repr=False)
    """The predicate."""

    def __call__(self, state: PairState) -> bool:
        """Whether the condition holds in this state."""
        return self.test(state)


class _Parser:
    """Recursive descent over the tokens: or > and > not > atom."""

    def __init__(self, text: str, actors: Collection[str] | None, agencies: Collection[str] | None) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.position = 0
        self.known_actors = actors
        self.agencies = {name.casefold(): name for name in agencies} if agencies is not None else None
        # Each agency name as the words a condition writes it in (case and spacing aside).
        self.agency_words = {tuple(key.split()): name for key, name in (self.agencies or {}).items() if key.split()}
        self.named: list[str] = []
        self.depth = 0

    # --- token helpers

    def peek(self, offset: int = 0) -> str | None:
        index = self.position + offset
        return self.tokens[index] if index < len(self.tokens) else None

    def word(self, offset: int = 0) -> str:
        token = self.peek(offset)
        return token.casefold() if token is not None else ""

    def fail(self, expected: str) -> ConditionError:
        found = self.peek()
        return ConditionError(self.text, "end of condition" if found is None else found, expected)

    def take(self, *words: str) -> str:
        if self.word() not in words:
            raise self.fail(" or ".join(repr(word) for word in words))
        token = self.tokens[self.position]
        self.position += 1
        return token

    def other_code(self, first: str) -> str:
        """An actor code, which must differ from `first`: a phrase is about two different actors."""
        if self.word() == first.casefold():
            raise self.fail(f"an actor other than {first} (a phrase relates two different actors)")
        return self.code()

    def code(self) -> str:
        token = self.peek()
        if token is None or not _CODE.fullmatch(token):
            raise self.fail("an actor code such as BOL or USA")
        code = token.upper()
        if self.known_actors is not None and code not in self.known_actors:
            raise self.fail("an actor code this history knows, such as BOL or USA")
        self.position += 1
        if code not in self.named:
            self.named.append(code)
        return code

    # --- grammar

    def parse(self) -> Condition:
        if not self.tokens:
            raise self.fail("a condition: " + CONDITION_GRAMMAR)
        test = self.either()
        if self.peek() is not None:
            raise self.fail("'and', 'or' or the end of the condition")
        return Condition(self.text, tuple(self.named), test)

    def either(self) -> Callable[[PairState], bool]:
        parts = [self.both()]
        while self.word() == "or":
            self.position += 1
            parts.append(self.both())
        if len(parts) == 1:
            return parts[0]
        return lambda state: any(part(state) for part in parts)

    def both(self) -> Callable[[PairState], bool]:
        parts = [self.negation()]
        while self.word() == "and":
            self.position += 1
            parts.append(self.negation())
        if len(parts) == 1:
            return parts[0]
        return lambda state: all(part(state) for part in parts)

    def negation(self) -> Callable[[PairState], bool]:
        # A run of "not"s is read in a loop (2,000 of them are one negation or none, not 2,000 frames).
        negated = False
        while self.word() == "not":
            self.position += 1
            negated = not negated
        if self.peek() == "(":
            if self.depth >= MAX_NESTING:
                raise self.fail(f"a condition with at most {MAX_NESTING} nested parentheses")
            self.position += 1
            self.depth += 1
            inner = self.either()
            self.take(")")
            self.depth -= 1
        else:
            inner = self.atom()
        if negated:
            return lambda state: not inner(state)
        return inner

    def atom(self) -> Callable[[PairState], bool]:
        first = self.word()
        if first == "relations":
            return self.relations()
        if first == "aid":
            return self.aid()
        if first == "visa" or (first == "no" and self.word(1) == "visa"):
            return self.visa()
        if first == "no":
            self.position += 1
            inner = self.presence()
            return lambda state: not inner(state)
        if self.word(1) in ("recognizes", "recognises"):
            return self.recognition()
        if self.word(1) in _CERTIFICATION_WORDS or (self.word(1) == "not" and self.word(2) in _CERTIFICATION_WORDS):
            return self.certification()
        if first in _RANKS or first in POST_KINDS or self.agency_length() is not None or self.of_ahead():
            return self.presence()
        raise self.fail("a condition: " + CONDITION_GRAMMAR)

    def relations(self) -> Callable[[PairState], bool]:
        self.take("relations")
        status = self.take(*_RELATIONS_WORDS).casefold()
        return lambda state: state.relations == status

    def presence(self) -> Callable[[PairState], bool]:
        """RANK|POST|AGENCY of A in B."""
        first = self.word()
        if first in _RANKS:
            self.position += 1
            rank = _RANKS[first]
            frm, to = self.of_in()
            if rank == "any":
                return lambda state: state.side(frm, to).level != "none"
            return lambda state: state.side(frm, to).level == rank
        if first in POST_KINDS:
            self.position += 1
            frm, to = self.of_in()
            return lambda state: any(post.kind == first for post in state.side(frm, to).posts)
        name = self.agency_name().casefold()
        frm, to = self.of_in()
        return lambda state: any(agency.name.casefold() == name for agency in state.side(frm, to).agencies)

    def of_ahead(self) -> bool:
        """Whether an "of" comes after a word or more, before a parenthesis, "and" or "or".

        That is a presence phrase whose first words are not a rank, post kind or known agency: read as one,
        its error lists the names this history knows.
        """
        offset = 1
        while (token := self.peek(offset)) is not None and token not in ("(", ")"):
            if token.casefold() == "of":
                return True
            if token.casefold() in ("and", "or"):
                return False
            offset += 1
        return False

    def agency_length(self) -> int | None:
        """How many tokens from here name an agency followed by "of", or None when none does.

        With the history's agencies known, the longest of their names that the next words spell (any number
        of words, quoted or not, "of" included, as in "Department of State") counts; without, the words
        up to the first "of".
        """
        words: list[str] = []
        found = None
        longest = max((len(key) for key in self.agency_words), default=0)
        offset = 0
        while (token := self.peek(offset)) is not None and token not in ("(", ")"):
            if self.agencies is None and token.casefold() == "of":
                return offset or None
            words.extend(token.strip("\"'").casefold().split())
            offset += 1
            if self.agencies is not None:
                if tuple(words) in self.agency_words and self.word(offset) == "of":
                    found = offset
                if len(words) >= longest:
                    break
        return found

    def agency_name(self) -> str:
        length = self.agency_length()
        if length is None:
            if self.agencies is None:
                raise self.fail("a rank (ambassador, minister, charge, other, envoy), a post kind or an agency")
            known = ", ".join(sorted(self.agencies.values())) or "none in this history"
            kinds = ", ".join(POST_KINDS)
            raise self.fail(
                f"a rank (ambassador, minister, charge, other, envoy), a post kind ({kinds}) or an agency "
                f"of this history ({known})"
            )
        words = [token.strip("\"'") for token in self.tokens[self.position : self.position + length]]
        self.position += length
        name = " ".join(" ".join(words).split())
        return name if self.agencies is None else self.agency_words[tuple(name.casefold().split())]

    def of_in(self) -> tuple[str, str]:
        self.take("of")
        frm = self.code()
        self.take("in")
        return frm, self.other_code(frm)

    def direction(self) -> tuple[str, str]:
        frm = self.code()
        self.take("->")
        return frm, self.other_code(frm)

    def aid(self) -> Callable[[PairState], bool]:
        self.take("aid")
        frm, to = self.direction()
        statuses = _AID_WORDS[self.take(*_AID_WORDS).casefold()]
        return lambda state: state.side(frm, to).aid in statuses

    def visa(self) -> Callable[[PairState], bool]:
        wanted = True
        if self.word() == "no":
            self.position += 1
            wanted = False
        self.take("visa")
        if self.word() == "not":
            self.position += 1
            wanted = False
        self.take("required")
        self.take("for")
        frm = self.code()
        self.take("in")
        to = self.other_code(frm)
        return lambda state: state.side(frm, to).visa_required is wanted

    def certification(self) -> Callable[[PairState], bool]:
        certified = self.code()
        negated = self.word() == "not"
        if negated:
            self.position += 1
        decisions = _CERTIFICATION_WORDS[self.take(*_CERTIFICATION_WORDS).casefold()]
        self.take("by")
        certifier = self.other_code(certified)
        if negated:
            return lambda state: state.side(certifier, certified).certification not in decisions
        return lambda state: state.side(certifier, certified).certification in decisions

    def recognition(self) -> Callable[[PairState], bool]:
        frm = self.code()
        self.take("recognizes", "recognises")
        to = self.other_code(frm)
        return lambda state: state.side(frm, to).recognizes


def _tokens(text: str) -> list[str]:
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        # A match always has one of the three groups; the last test says so to the checker.
        if match is None or match.end() == position or match.lastgroup is None:
            if text[position:].strip():
                tokens.append(text[position:].strip())
            break
        tokens.append(match.group(match.lastgroup))
        position = match.end()
    return tokens


def parse_condition(
    text: str, actors: Collection[str] | None = None, agencies: Collection[str] | None = None
) -> Condition:
    """Parse a condition such as `"no ambassador of USA in BOL and relations established"`.

    Args:
        text: the condition (see `CONDITION_GRAMMAR`); keywords are case-insensitive, actor codes are upper-cased.
        actors: the actor codes allowed, or None to allow any code.
        agencies: the agency names allowed (matched ignoring case), or None to take any name before "of".

    Raises:
        ConditionError: the text does not parse; the message names the word at fault and what was expected.
    """
    return _Parser(text, actors, agencies).parse()
