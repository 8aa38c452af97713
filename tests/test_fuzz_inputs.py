"""Fuzzing the input side: arbitrary and mutated scenario files, counterfactual files and `when` conditions, fed
through the public entry points, raise only the project's errors (LegationError) — never a traceback.

Budgets follow the Hypothesis profile: `ci` runs a few dozen inputs a test, `deep` thousands. Inputs that
once broke something are kept below as `@example`s.
"""

import contextlib
import functools
import io
from contextlib import redirect_stderr, redirect_stdout

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import scenarios
from engine import History, parse_condition
from engine.core._counterfactual import Counterfactual
from events import LegationError, document_kind, parse_counterfactual, parse_scenario

# Tokens that TOML, the event model and the condition language give meaning to, for mutations to splice in.
TOML_TOKENS = [
    "[[events]]",
    "[scenario]",
    "[[actors]]",
    "[counterfactual]",
    "[[edits]]",
    "[edits.event]",
    '"""',
    "'''",
    "[",
    "]",
    "{",
    "}",
    "=",
    ",",
    "#",
    "\n",
    '"',
    "'",
    ".",
    "\\",
    '"0001"',
    '"00XX"',
    '"99XX"',
    '"9999-12-31"',
    '"1990/.."',
    '"../1990"',
    '"2008-02-30"',
    '"٢٠٠٨"',
    "1e999",
    "-0",
    "true",
    "nan",
    "1979-05-27T07:32:00Z",
    '"USA"',
    '"BOL"',
    '"XPB"',
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    "{ a = { b = { c = { d = 1 } } } }",
    'kind = "envoy_expelled"',
    'op = "set"',
    'field = "date"',
    'value = "0001"',
    'base = "/dev/zero"',
    "name = 3",
]
CONDITION_TOKENS = [
    "relations",
    "established",
    "severed",
    "none",
    "ambassador",
    "envoy",
    "charge",
    "chargé",
    "embassy",
    "consulate",
    "DEA",
    "USAID",
    "Peace",
    "Corps",
    "of",
    "in",
    "USA",
    "BOL",
    "XPB",
    "PER",
    "aid",
    "->",
    "-",
    ">",
    "active",
    "flowing",
    "visa",
    "not",
    "no",
    "required",
    "for",
    "certified",
    "decertified",
    "by",
    "recognizes",
    "and",
    "or",
    "(",
    ")",
    '"',
    "'",
    "",
    "٢",
]


@functools.cache
def builtin_text(name: str) -> str:
    return scenarios.history_path(name).read_text(encoding="utf-8")


@functools.cache
def builtin_history():
    return History(scenarios.load().log)


def whatif_texts() -> list[str]:
    paths = [path for name in scenarios.names() for path in scenarios.counterfactuals(name)]
    return [path.read_text(encoding="utf-8") for path in paths]


@st.composite
def mutated(draw, text: str, tokens=TOML_TOKENS):
    """The text with a few lines deleted, duplicated or swapped, and tokens spliced in at random places."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "splice", "replace-value"]))
        index = draw(st.integers(0, len(lines) - 1))
        if operation == "delete":
            del lines[index]
        elif operation == "duplicate":
            lines.insert(index, lines[index])
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == "splice":
            line = lines[index]
            at = draw(st.integers(0, len(line)))
            lines[index] = line[:at] + draw(st.sampled_from(tokens)) + line[at:]
        else:
            key, equals, _ = lines[index].partition("=")
            if equals:
                lines[index] = f"{key}= {draw(st.sampled_from(tokens))}"
    return "\n".join(lines)


def read_and_answer(text: str) -> None:
    """What `legation validate`, `at` and `when` do with a scenario text, asserting only LegationError escapes."""
    try:
        found = parse_scenario(text, "fuzz.toml", stop_at_first=False)
        if isinstance(found, list):
            assert found and all(isinstance(problem, LegationError) for problem in found)
            return
        for strict in (False, True):
            history = History(found.log, strict=strict)
            for a, b in history.pairs()[:3]:
                for day in ("0001", "1900", "9999-12-31", "2008-09"):
                    history.state_at(a, b, day)
                history.periods(a, b, parse_condition(f"envoy of {a} in {b} or relations severed"))
    except LegationError:
        pass
    document_kind(text)


SMALL_SCENARIO = """\
schema_version = 1
[scenario]
name = "tiny"
pair = ["BOL", "USA"]
[[actors]]
code = "XPB"
name = "Peru–Bolivian Confederation"
start = "1836"
end = "1839"
[[events]]
kind = "relations_established"
id = "est"
date = "1849"
actor = "USA"
target = "BOL"
sources = ["s"]
[[events]]
kind = "envoy_accredited"
id = "envoy"
date = "1849-06/1850"
actor = "USA"
target = "BOL"
rank = "charge"
envoy = "John Appleton"
sources = ["s"]
note = \"\"\"on
[[events]]
two lines\"\"\"
"""


class TestScenarioFiles:
    @given(st.text(max_size=400))
    @example("x = " + "[" * 2000)
    @example("[a]\n" + "[a." * 0 + "b = 1\n" * 2)
    @example("schema_version = 1\n[[actors]]\ncode = 'XAA'\nname = 3\n")
    def test_arbitrary_text(self, text):
        """Any text read as a scenario gives a scenario or the project's errors."""
        read_and_answer(text)

    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.data())
    def test_mutated_builtin_history(self, data):
        """The built-in history, mutated, is read and answered with only the project's errors."""
        read_and_answer(data.draw(mutated(builtin_text(scenarios.DEFAULT))))

    @given(mutated(SMALL_SCENARIO))
    @example(SMALL_SCENARIO.replace('date = "1849"', 'date = "0001"').replace("1849-06/1850", "99XX"))
    @example(SMALL_SCENARIO.replace("1849-06/1850", "../0001"))
    def test_mutated_small_history(self, text):
        """A small history, mutated (dates at the calendar's ends, intervals, nesting), never raises else."""
        read_and_answer(text)


def read_and_replay(text: str) -> None:
    """What `legation whatif` does with a counterfactual text (against the built-in base)."""
    try:
        spec = parse_counterfactual(text, "cf.toml")
        for strict in (False, True):
            counterfactual = Counterfactual.from_spec(spec, scenarios.load().log)
            counterfactual.compare(strict=strict)
    except LegationError:
        pass


class TestCounterfactualFiles:
    @given(st.text(max_size=300))
    @example("[counterfactual]\nbase = 'bolivia_usa'\nquestion = 'q'\n" + "x = " + "{a=" * 600)
    def test_arbitrary_text(self, text):
        """Any text read as a counterfactual gives one or the project's errors."""
        read_and_replay(text)

    @settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(st.data())
    def test_mutated_builtin_counterfactuals(self, data):
        """The built-in what-ifs, mutated (ids, dates, ops, fields, values), replay or fail cleanly."""
        base = data.draw(st.sampled_from(whatif_texts()))
        read_and_replay(data.draw(mutated(base)))

    @pytest.mark.parametrize("date", ["0001-01-01", "00XX", "000X", "../0001", "99XX", "9999-12-31", "1990/.."])
    def test_inserts_at_the_calendar_ends(self, date):
        """Inserting an event at the calendar's ends, strict or lenient, ends well or in the project's error."""
        text = (
            "[counterfactual]\nbase = 'bolivia_usa'\nquestion = 'q'\n[[edits]]\nop = 'insert'\nrationale = 'r'\n"
            f"[edits.event]\nkind = 'relations_severed'\nid = 'zz'\ndate = '{date}'\nactor = 'USA'\ntarget = 'BOL'\n"
            "sources = ['s']\n"
        )
        read_and_replay(text)


def condition_and_periods(text: str) -> None:
    """What `legation when` does with a condition over the built-in history."""
    history = builtin_history()
    agencies = {"DEA", "USAID", "Peace Corps"}
    try:
        condition = parse_condition(text, actors=history.log.actors, agencies=agencies)
    except LegationError:
        return
    # The pair as `legation when` takes it: the two actors named, else the history's main pair.
    named = set(condition.actors)
    pair = ("USA", "BOL") if named <= {"USA", "BOL"} else tuple(named)
    if len(pair) == 2:
        with contextlib.suppress(LegationError):
            history.periods(*pair, condition)


class TestConditions:
    @given(st.text(max_size=200))
    @example("(" * 500 + "relations established" + ")" * 500)
    @example("not " * 2000 + "relations established")
    @example("ambassador of USA in USA")
    @example("USA recognizes USA")
    def test_arbitrary_text(self, text):
        """Any text as a condition parses or raises ConditionError; periods of what parses never raise else."""
        condition_and_periods(text)

    @given(st.lists(st.sampled_from(CONDITION_TOKENS), max_size=14).map(" ".join))
    @example("aid USA -> USA flowing")
    @example("Peace Corps of BOL in BOL")
    def test_token_soup(self, text):
        """Conditions assembled from the language's own words parse or fail cleanly."""
        condition_and_periods(text)


def run_cli(*argv: str) -> tuple[int, str]:
    """Run `legation ARGV...` in-process (the answer cache off, as main's default is); status and stderr."""
    from engine.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main(list(argv))
    return status, err.getvalue()


class TestWhenCommand:
    @given(st.lists(st.sampled_from(CONDITION_TOKENS), max_size=12).map(" ".join) | st.text(max_size=80))
    @example("ambassador of USA in USA")
    @example("USA recognizes USA")
    @example("envoy of XPB in USA")
    @example("(" * 500 + "relations established" + ")" * 500)
    @example("not " * 2000 + "relations established")
    def test_when_exits_0_or_2_with_one_line(self, text):
        """`legation when` answers a condition, or refuses it in one line with exit status 2."""
        status, err = run_cli("when", text)
        assert status in (0, 2), err
        if status == 2:
            assert err.startswith("legation: error: ") and err.count("\n") == 1, err
