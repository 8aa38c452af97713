"""`when` at its edges: the history's names, one actor named twice, deep nesting, and agreeing with `at` each day."""

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import ConditionError, History, parse_condition
from engine.analysis._when import MAX_NESTING
from events import OPEN, UNKNOWN, DateInterval, Log
from events.strategies import imprecise_dates, valid_logs

from factories import make, opened_relations

PAIR = ("USA", "BOL")


class TestNames:
    @pytest.mark.parametrize(
        "agency",
        ["Bureau of International Narcotics and Law Enforcement Affairs", "Narcotics Affairs Section Office", "DEA"],
    )
    def test_long_agency_names_the_history_has(self, agency):
        """An agency of any number of words ("of" and "and" inside it too) is matched when the history has it."""
        log = Log.of([*opened_relations(), make("agency_started", "1990", id="start", agency=agency)])
        agencies = {agency, "DEA"}
        condition = parse_condition(f"{agency} of USA in BOL and relations established", agencies=agencies)
        assert History(log).periods("USA", "BOL", condition)[0].start_event == "start"
        quoted = parse_condition(f'"{agency}" of USA in BOL', agencies=agencies)
        assert quoted.actors == ("USA", "BOL")

    def test_longest_known_name_wins(self):
        """Of two known names, one the start of the other, the one the words spell in full is taken."""
        agencies = {"Peace Corps", "Peace Corps Response"}
        condition = parse_condition("Peace Corps Response of USA in BOL", agencies=agencies)
        assert condition.actors == ("USA", "BOL")

    def test_unknown_agency_lists_known_names(self):
        """Words before "of" that name no agency of the history are an error listing the ones it has."""
        with pytest.raises(ConditionError, match=r"agency of this history \(Agency of Long Name, DEA\)"):
            parse_condition("Agency of Long Nam of USA in BOL", agencies={"DEA", "Agency of Long Name"})


class TestSameActorTwice:
    @pytest.mark.parametrize(
        "text",
        [
            "ambassador of USA in USA",
            "no envoy of USA in usa",
            "embassy of USA in USA",
            "DEA of USA in USA",
            "aid USA->USA active",
            "visa required for USA in USA",
            "no visa required for USA in USA",
            "USA certified by USA",
            "USA not decertified by USA",
            "USA recognizes USA",
            "relations established and USA recognises USA",
        ],
    )
    def test_is_a_condition_error(self, text):
        """A phrase naming one actor on both sides is refused with the word at fault, never a KeyError."""
        with pytest.raises(ConditionError) as raised:
            parse_condition(text, actors={"USA", "BOL"}, agencies={"DEA"})
        assert "an actor other than USA" in raised.value.expected


class TestDepth:
    def test_deep_parentheses_are_a_clean_error(self):
        """500 nested parentheses are refused with the limit, not RecursionError."""
        text = "(" * 500 + "relations established" + ")" * 500
        with pytest.raises(ConditionError, match=f"at most {MAX_NESTING} nested") as raised:
            parse_condition(text)
        assert len(str(raised.value)) < 400

    def test_nesting_up_to_the_limit_reads(self):
        """Parentheses up to the limit are read as usual."""
        text = "(" * MAX_NESTING + "relations established" + ")" * MAX_NESTING
        assert parse_condition(text).actors == ()

    @pytest.mark.parametrize("count", [2000, 2001])
    def test_thousands_of_nots_are_read_without_recursion(self, count):
        """A run of 2,000 "not"s is read in a loop: an even run is no negation, an odd one is one."""
        condition = parse_condition("not " * count + "relations established")
        log = Log.of(opened_relations())
        held = History(log).periods("USA", "BOL", condition)
        assert (held[0].start is None) == (count % 2 == 1)


class TestAgreesWithAt:
    def test_same_day_accreditation_and_severance_is_no_period(self):
        """An envoy accredited and relations severed on one day: `at` shows no envoy that day, nor does `when`."""
        log = Log.of(
            [
                *opened_relations("1900"),
                make("envoy_accredited", "1950-03-01", id="in", rank="ambassador", envoy="A"),
                make("relations_severed", "1950-03-01", id="cut"),
            ]
        )
        history = History(log)
        condition = parse_condition("envoy of USA in BOL")
        assert history.state_at("USA", "BOL", "1950-03-01").state.side("USA", "BOL").level == "none"
        assert history.periods("USA", "BOL", condition) == []

    def test_condition_holding_every_day_is_one_period(self):
        """An event that changes which disjunct holds, on a day another event keeps it true, does not split it."""
        log = Log.of(
            [
                *opened_relations("1900"),
                make("envoy_accredited", "1950", id="in", rank="ambassador", envoy="A"),
                make("envoy_recalled", "1960-05-01", id="out"),
                make("post_opened", "1960-05-01", id="embassy", post="embassy", city="La Paz"),
            ]
        )
        periods = History(log).periods(
            "USA", "BOL", parse_condition("ambassador of USA in BOL or embassy of USA in BOL")
        )
        assert [(p.start_event, p.end_event) for p in periods] == [("in", None)]


ATOMS = [
    "relations established",
    "relations severed",
    "relations none",
    "envoy of USA in BOL",
    "ambassador of BOL in USA",
    "charge of USA in BOL",
    "embassy of USA in BOL",
    "consulate of BOL in USA",
    "aid USA->BOL flowing",
    "aid USA->BOL suspended",
    "visa required for USA in BOL",
    "BOL decertified by USA",
    "USA recognizes BOL",
    "BOL recognizes USA",
]


def conditions(depth=2):
    atom = st.sampled_from(ATOMS)
    if depth == 0:
        return atom
    inner = conditions(depth - 1)
    return st.one_of(
        atom,
        inner.map(lambda text: f"not ({text})"),
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
            lambda parts: f"({parts[0]}) {parts[1]} ({parts[2]})"
        ),
    )


def _covers(period, day):
    return (period.start is None or period.start.earliest <= day) and (period.end is None or day < period.end.earliest)


def _interval(ends):
    start, end = ends  # start may be open or unknown; end is a date
    if not isinstance(start, str) and end.latest < start.earliest:
        start, end = end, start
    return DateInterval(start, end)


SINGLE = imprecise_dates(min_year=1800, max_year=2100)
# Dates of every form, intervals with open and unknown ends among them, so same-day and overlapping spans occur.
ANY_DATES = st.one_of(SINGLE, st.tuples(SINGLE | st.sampled_from([OPEN, UNKNOWN]), SINGLE).map(_interval))


@given(log=valid_logs(min_size=1, max_size=14, codes=("USA", "BOL"), dates=ANY_DATES), text=conditions())
def test_when_agrees_with_at_day_by_day(log, text):
    """For generated histories and conditions, a day is inside a period of `when` exactly when the condition
    holds in the state `at` gives for that day; periods are maximal (a day where it fails between any two)."""
    history = History(log)
    condition = parse_condition(text)
    periods = history.periods(*PAIR, condition)
    # The state changes only on the days events count from: those days and the days before them cover it all.
    days = {datetime.date.min}
    for event in log:
        day = event.date.earliest
        days.add(day)
        if day > datetime.date.min:
            days.add(day - datetime.timedelta(days=1))
    for day in sorted(days):
        holds = condition(history.state_at(*PAIR, day).state)
        assert holds == any(_covers(period, day) for period in periods), (day, periods)
    for period in periods:
        if period.start is not None and period.end is not None:
            assert period.start.earliest < period.end.earliest
    for before, after in itertools.pairwise(periods):
        assert before.end is not None and after.start is not None
        assert before.end.earliest < after.start.earliest
        gap = after.start.earliest - datetime.timedelta(days=1)
        assert not condition(history.state_at(*PAIR, gap).state)


def test_condition_about_another_pair_is_the_projects_error():
    """A parsed condition naming an actor outside the pair asked about is a LegationError, not a KeyError."""
    from events import LegationError

    history = History(Log.of(opened_relations()))
    with pytest.raises(LegationError, match="names PER"):
        history.periods("USA", "BOL", parse_condition("envoy of PER in BOL"))
