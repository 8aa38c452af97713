"""Dates at their edges: ASCII digits only, impossible parts, the calendar's first and last days, EDTF intervals."""

import calendar
import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from engine import History
from events import (
    OPEN,
    UNKNOWN,
    DateFormatError,
    DateInterval,
    ImpreciseDate,
    LegationError,
    Log,
    Precision,
    parse_date,
    parse_scenario,
)
from events.strategies import imprecise_dates

from factories import make

D = datetime.date
SINGLE_PRECISION = "the precision of a single date (an interval is a DateInterval)"


class TestDigits:
    @pytest.mark.parametrize("text", ["٢٠٠٨-٠٩", "２００８", "2008-٠٩", "۱۹۷۱", "2008-09-1٠"])
    def test_non_ascii_digits_are_refused(self, text):
        """Digits of other scripts are not EDTF digits: the text is a DateFormatError, not 2008-09."""
        with pytest.raises(DateFormatError):
            parse_date(text)


class TestImpossibleParts:
    @pytest.mark.parametrize(
        ("parts", "field"),
        [
            ((2008, 2, 30), "day"),
            ((2007, 2, 29), "day"),
            ((2008, 13), "month"),
            ((2008, 0), "month"),
            ((0,), "year"),
            ((10000,), "year"),
            ((-5,), "year"),
            ((2008, None, 3), "day"),
            (("2008",), "year"),
            ((True,), "year"),
        ],
    )
    def test_built_directly_raises_the_projects_error(self, parts, field):
        """An ImpreciseDate built from parts that name no day raises DateFormatError (a LegationError and a
        ValueError) naming the part, not a bare ValueError or TypeError."""
        with pytest.raises(DateFormatError) as raised:
            ImpreciseDate(*parts)
        assert isinstance(raised.value, LegationError) and isinstance(raised.value, ValueError)
        assert raised.value.field == field

    def test_precision_must_fit_the_parts(self):
        """A year precision with a month, or an interval precision on a single date, is refused."""
        with pytest.raises(DateFormatError):
            ImpreciseDate(2008, 5, precision=Precision.YEAR)
        with pytest.raises(DateFormatError):
            ImpreciseDate(2008, precision=Precision.INTERVAL)


class TestEachRefusalNamesFieldExpectedAndFound:
    """Every way `ImpreciseDate` refuses its parts gives the field, the words for what it accepts, and the value
    found: the one line a user reads when a file or a call holds a date that names no day."""

    @pytest.mark.parametrize(
        ("parts", "precision", "field", "expected", "found"),
        [
            ((2008,), Precision.INTERVAL, "precision", SINGLE_PRECISION, Precision.INTERVAL),
            ((2008,), "year", "precision", SINGLE_PRECISION, "year"),
            ((None,), None, "year", "a whole number", None),
            ((2008.0,), None, "year", "a whole number", 2008.0),
            ((2008, "5"), None, "month", "a whole number", "5"),
            ((2008, 5, True), None, "day", "a whole number", True),
            ((2008, 5, 1.5), None, "day", "a whole number", 1.5),
            ((10000,), None, "year", "a year from 0001 to 9999", 10000),
            ((0,), Precision.YEAR, "year", "a year from 0001 to 9999", 0),
            ((-10,), Precision.DECADE, "year", "a year from 0001 to 9999", -10),
            ((1990, 5), Precision.DECADE, "month", "no month or day in a decade or century", 5),
            ((1900, None, 3), Precision.CENTURY, "month", "no month or day in a decade or century", None),
            ((2008, 5), Precision.YEAR, "month", "no month in a date of year precision", 5),
            ((2008, None, 3), None, "day", "no day without a month", 3),
            ((2008,), Precision.MONTH, "month", "a month, for month precision", None),
            ((2008,), Precision.DAY, "month", "a month, for day precision", None),
            ((2008, 13), None, "month", "a month from 01 to 12", 13),
            ((2008, 0, 1), Precision.DAY, "month", "a month from 01 to 12", 0),
            ((2008, 5), Precision.DAY, "day", "a day, for day precision", None),
            ((2008, 5, 3), Precision.MONTH, "day", "no day in a date of month precision", 3),
            ((2008, 2, 30), None, "day", "a day that exists in 2008-02", 30),
            ((2008, 4, 0), Precision.DAY, "day", "a day that exists in 2008-04", 0),
        ],
    )
    def test_refusal(self, parts, precision, field, expected, found):
        with pytest.raises(DateFormatError) as raised:
            ImpreciseDate(*parts, precision=precision)
        assert (raised.value.field, raised.value.expected, raised.value.found) == (field, expected, found)

    @pytest.mark.parametrize(
        ("parts", "precision", "earliest", "latest"),
        [
            ((2008, 5), Precision.MONTH, D(2008, 5, 1), D(2008, 5, 31)),
            ((2008, 5, 1), Precision.DAY, D(2008, 5, 1), D(2008, 5, 1)),
            ((2008, 2, 29), Precision.DAY, D(2008, 2, 29), D(2008, 2, 29)),
            ((1, 1, 1), Precision.DAY, D(1, 1, 1), D(1, 1, 1)),
            ((9999, 12, 31), Precision.DAY, D(9999, 12, 31), D(9999, 12, 31)),
            ((2008,), Precision.YEAR, D(2008, 1, 1), D(2008, 12, 31)),
            ((0,), Precision.CENTURY, D(1, 1, 1), D(99, 12, 31)),
        ],
    )
    def test_parts_that_fit_their_stated_precision_are_accepted(self, parts, precision, earliest, latest):
        """Stating the precision the parts already have changes nothing about the span."""
        date = ImpreciseDate(*parts, precision=precision)
        assert (date.earliest, date.latest, date.precision) == (earliest, latest, precision)

    @given(
        st.integers(-2, 10001),
        st.one_of(st.none(), st.integers(-1, 14)),
        st.one_of(st.none(), st.integers(-1, 33)),
    )
    @example(1, 1, 1)
    @example(9999, 12, 28)
    @example(2008, 12, 31)
    @example(2007, 2, 29)
    def test_accepted_exactly_when_the_calendar_has_the_day(self, year, month, day):
        """Whole-number parts with no stated precision are accepted exactly when the proleptic Gregorian
        calendar has that year, month or day; the span is then that day, month or year."""
        try:
            first = D(year, 1 if month is None else month, 1 if day is None else day)
        except ValueError:
            first = None
        if first is None or (month is None and day is not None):
            with pytest.raises(DateFormatError):
                ImpreciseDate(year, month, day)
            return
        date = ImpreciseDate(year, month, day)
        if day is not None:
            last = first
        elif month is not None:
            last = D(year, month, calendar.monthrange(year, month)[1])
        else:
            last = D(year, 12, 31)
        assert (date.earliest, date.latest) == (first, last)


class TestCalendarEnds:
    @pytest.mark.parametrize(
        ("text", "earliest", "latest"),
        [
            ("0001", D(1, 1, 1), D(1, 12, 31)),
            ("000X", D(1, 1, 1), D(9, 12, 31)),
            ("00XX", D(1, 1, 1), D(99, 12, 31)),
            ("99XX", D(9900, 1, 1), D(9999, 12, 31)),
            ("9999-12", D(9999, 12, 1), D(9999, 12, 31)),
            ("999X", D(9990, 1, 1), D(9999, 12, 31)),
            ("../0001", D.min, D(1, 12, 31)),
            ("9999/..", D(9999, 1, 1), D.max),
        ],
    )
    def test_spans_at_the_ends(self, text, earliest, latest):
        """The first and last years, decades and centuries stand for the days they should."""
        date = parse_date(text)
        assert (date.earliest, date.latest) == (earliest, latest)

    @pytest.mark.parametrize("asked", ["0001", "0001-01-01", "0005-06-01", "000X", "00XX", "../0001", "9999", "99XX"])
    def test_history_answers_at_the_ends(self, asked):
        """`state_at` for any day in years 1-10 or at 9999 answers, instead of OverflowError."""
        log = Log.of(
            [
                make("relations_established", "0001-01-01", id="e"),
                make("envoy_accredited", "9999-12-31", id="a", rank="charge", envoy="J"),
            ]
        )
        history = History(log)
        answer = history.state_at("USA", "BOL", asked)
        assert answer.state.relations == "established"
        assert history.changes_on("USA", "BOL", D.min)[0].event_ids == ("e",)

    def test_interval_event_in_a_history(self):
        """An event dated by an interval counts from its first day and is undecided until its last."""
        log = Log.of([make("relations_established", "1800", id="e"), make("relations_severed", "1850/1900", id="s")])
        history = History(log)
        early = history.state_at("USA", "BOL", "1860-06-01")
        assert early.state.relations == "severed" and "relations" in early.uncertain
        assert history.state_at("USA", "BOL", "1901").uncertain == {}


class TestIntervals:
    @pytest.mark.parametrize(
        ("text", "earliest", "latest", "start", "end"),
        [
            ("1990-02-15/1990-12-31", D(1990, 2, 15), D(1990, 12, 31), "1990-02-15", "1990-12-31"),
            ("1990/..", D(1990, 1, 1), D.max, "1990", OPEN),
            ("../1990", D.min, D(1990, 12, 31), OPEN, "1990"),
            ("1990/", D(1990, 1, 1), D.max, "1990", UNKNOWN),
            ("/1990-06", D.min, D(1990, 6, 30), UNKNOWN, "1990-06"),
            ("1985-04~/1986?", D(1985, 4, 1), D(1986, 12, 31), "1985-04~", "1986?"),
            ("196X/1975", D(1960, 1, 1), D(1975, 12, 31), "196X", "1975"),
        ],
    )
    def test_forms_and_spans(self, text, earliest, latest, start, end):
        """Each EDTF level-1 interval form parses to the span from its start's first day to its end's last."""
        date = parse_date(text)
        assert isinstance(date, DateInterval) and date.precision is Precision.INTERVAL
        assert (date.earliest, date.latest) == (earliest, latest)
        assert str(date.start) == start and str(date.end) == end
        assert str(date) == text and not date.is_exact

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("1991/1990", "end is not before its start"),
            ("../..", "a date at one end"),
            ("/", "a date at one end"),
            ("1990/2008-02-30", "a day that exists"),
            ("1990/2000/2010", "an EDTF date"),
            ("1990 / 1991", "an EDTF date"),
        ],
    )
    def test_bad_intervals(self, text, expected):
        """An interval running backwards, with no date at either end, or a bad end is refused, naming why."""
        with pytest.raises(DateFormatError) as raised:
            parse_date(text)
        assert expected in raised.value.expected and raised.value.found == text
        assert raised.value.field == "date"

    @pytest.mark.parametrize(
        ("start", "end", "field", "expected", "found"),
        [
            ("1990", OPEN, "start", "an EDTF date, '..' (open) or '' (unknown)", "1990"),
            (OPEN, 1991, "end", "an EDTF date, '..' (open) or '' (unknown)", 1991),
            (OPEN, UNKNOWN, "date", "an interval with a date at one end at least", "../"),
            (
                ImpreciseDate(1991),
                ImpreciseDate(1990),
                "date",
                "an interval whose end is not before its start",
                "1991/1990",
            ),
        ],
    )
    def test_built_directly_a_bad_interval_names_its_field(self, start, end, field, expected, found):
        """Built in Python rather than parsed, a bad interval says which end is wrong, what it needs and what it got."""
        with pytest.raises(DateFormatError) as raised:
            DateInterval(start, end)
        assert (raised.value.field, raised.value.expected, raised.value.found) == (field, expected, found)
        assert str(raised.value) == f"field {field!r}: expected {expected}, found {found!r}"

    def test_certain_and_possible_by(self):
        """An interval is possible from its first day and certain once its last day is reached, as dates are."""
        date = parse_date("1990-02-15/1990-12-31")
        assert not date.possibly_by(D(1990, 2, 14)) and date.possibly_by(D(1990, 2, 15))
        assert date.undecided_at(D(1990, 6, 1)) and not date.certainly_by(D(1990, 12, 30))
        assert date.certainly_by(D(1990, 12, 31)) and not date.undecided_at(D(1990, 12, 31))
        assert not parse_date("1990/..").certainly_by(D(5000, 1, 1))

    def test_sorts_among_dates_by_span(self):
        """Intervals sort with dates by first possible day, then last: a year before its later part."""
        texts = ["1991", "1990-02-15/1990-12-31", "1990", "../1990", "1990-02", "1990/.."]
        ordered = sorted((parse_date(text) for text in texts), key=lambda date: date.sort_key)
        assert [str(date) for date in ordered] == [
            "../1990",
            "1990",
            "1990/..",
            "1990-02",
            "1990-02-15/1990-12-31",
            "1991",
        ]
        assert parse_date("1990") < parse_date("1990-02-15/1990-12-31") < parse_date("1991")

    def test_round_trips_through_a_scenario_file(self):
        """An event dated by an interval is read from a file, written back and read again unchanged."""
        from events import dump_scenario

        text = (
            'schema_version = 1\n[[events]]\nkind = "relations_established"\nid = "e"\ndate = "1990-02-15/1990-12-31"\n'
            'actor = "USA"\ntarget = "BOL"\nsources = ["s"]\n'
        )
        scenario = parse_scenario(text, "i.toml")
        assert str(scenario.log[0].date) == "1990-02-15/1990-12-31"
        again = parse_scenario(dump_scenario(scenario), "i.toml")
        assert again.log == scenario.log


single_dates = imprecise_dates(min_year=1, max_year=9999)


@st.composite
def intervals(draw):
    ends = st.one_of(st.just(OPEN), st.just(UNKNOWN), single_dates)
    start, end = draw(ends), draw(ends)
    if not isinstance(start, ImpreciseDate) and not isinstance(end, ImpreciseDate):
        end = draw(single_dates)
    if isinstance(start, ImpreciseDate) and isinstance(end, ImpreciseDate) and end.latest < start.earliest:
        start, end = end, start
    return DateInterval(start, end)


class TestProperties:
    @given(st.one_of(single_dates, intervals()))
    def test_round_trip(self, date):
        """Every date and interval is written as EDTF text that parses back to an equal value with the same span."""
        again = parse_date(str(date))
        assert again == date and (again.earliest, again.latest) == (date.earliest, date.latest)

    @given(st.one_of(single_dates, intervals()), st.one_of(single_dates, intervals()))
    def test_order_is_by_span(self, first, second):
        """Comparisons agree with the span key, across dates and intervals."""
        assert (first < second) == (first.sort_key < second.sort_key)
        assert (first <= second) == (first.sort_key <= second.sort_key)

    @given(st.text(max_size=30) | st.text(alphabet="0123456789X-/.?~%٢ ", max_size=30))
    @example("9999-12-31/..")
    @example("0000X")
    @example("00XX/0000")
    @example("1990/..?")
    def test_arbitrary_text_raises_only_date_format_error(self, text):
        """Any text parses or raises DateFormatError; never another exception."""
        try:
            date = parse_date(text)
        except DateFormatError:
            return
        assert date.earliest <= date.latest


class TestEndsThroughTheAnalyses:
    """The places that step through days or years meet the calendar's ends cleanly."""

    LOG_AT_THE_ENDS = (
        ("relations_established", "0001", {"id": "first"}),
        ("envoy_accredited", "99XX", {"id": "last", "rank": "charge", "envoy": "J"}),
        (
            "envoy_accredited",
            "1990/..",
            {"id": "open", "actor": "BOL", "target": "USA", "rank": "charge", "envoy": "K"},
        ),
    )

    def history(self):
        return History(Log.of([make(kind, date, **fields) for kind, date, fields in self.LOG_AT_THE_ENDS]))

    def test_cow_rows_from_year_one_to_9999(self):
        """COW rows for a pair whose events run from year 1 to 99XX cover those years, without OverflowError."""
        from engine import history_cow_rows, years_covered

        history = self.history()
        years = years_covered(history, "USA", "BOL")
        assert (years.start, years.stop) == (1, 10000)
        rows = history_cow_rows(history, "USA", "BOL", [1, 2, 1990, 9999])
        assert [row.year for row in rows] == [1, 2, 1990, 9999] and rows[-1].dr_at_2 == 1

    def test_timeline_picture_with_events_at_the_ends(self):
        """A timeline with an event in year 1, one dated 99XX and an open interval is drawn."""
        pytest.importorskip("matplotlib", reason="the plot extra is not installed")
        from engine.cli._pictures import timeline_figure

        figure = timeline_figure(self.history(), "USA", "BOL", {"USA": "United States", "BOL": "Bolivia"})
        assert figure.axes
