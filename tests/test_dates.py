import datetime

import pytest

from events import DateFormatError, ImpreciseDate, Precision, parse_day

D = datetime.date


class TestParse:
    @pytest.mark.parametrize(
        ("text", "precision", "earliest", "latest"),
        [
            ("2008-09-10", Precision.DAY, D(2008, 9, 10), D(2008, 9, 10)),
            ("2008-09", Precision.MONTH, D(2008, 9, 1), D(2008, 9, 30)),
            ("2008-02", Precision.MONTH, D(2008, 2, 1), D(2008, 2, 29)),
            ("1971", Precision.YEAR, D(1971, 1, 1), D(1971, 12, 31)),
            ("196X", Precision.DECADE, D(1960, 1, 1), D(1969, 12, 31)),
            ("18XX", Precision.CENTURY, D(1800, 1, 1), D(1899, 12, 31)),
        ],
    )
    def test_span_of_each_precision(self, text, precision, earliest, latest):
        """Each supported form gives the precision and the span of days it stands for."""
        date = ImpreciseDate.parse(text)
        assert (date.precision, date.earliest, date.latest) == (precision, earliest, latest)

    @pytest.mark.parametrize(
        ("text", "uncertain", "approximate"),
        [("1980?", True, False), ("1980~", False, True), ("1980%", True, True), ("1980", False, False)],
    )
    def test_qualifiers(self, text, uncertain, approximate):
        """A trailing ?, ~ or % marks the date uncertain, approximate or both, without widening it."""
        date = ImpreciseDate.parse(text)
        assert (date.uncertain, date.approximate) == (uncertain, approximate)
        assert (date.earliest, date.latest) == (D(1980, 1, 1), D(1980, 12, 31))

    @pytest.mark.parametrize(
        "text", ["2008-09-10", "2008-09", "1971", "1980?", "1980~", "1980%", "196X", "18XX", "2008-09-10?"]
    )
    def test_round_trip(self, text):
        """Writing a parsed date gives back the same EDTF text."""
        assert str(ImpreciseDate.parse(text)) == text

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("2008-13-01", "a month from 01 to 12"),
            ("2007-02-29", "a day that exists in 2007-02"),
            ("2008/09/10", "an EDTF date"),
            ("", "an EDTF date"),
            ("September 2008", "an EDTF date"),
            ("0000", "a year from 0001"),
            ("196X-05", "no month or day after unspecified year digits"),
            ("08-09-10", "an EDTF date"),
        ],
    )
    def test_bad_text_names_what_was_expected(self, text, expected):
        """Text that is not a supported date raises DateFormatError saying what was expected and found."""
        with pytest.raises(DateFormatError) as raised:
            ImpreciseDate.parse(text)
        assert expected in raised.value.expected
        assert raised.value.found == text
        assert isinstance(raised.value, ValueError)

    def test_non_text_is_refused(self):
        """A number is not a date, even one that looks like a year."""
        with pytest.raises(DateFormatError):
            ImpreciseDate.parse(2008)

    def test_decade_spellings_are_one_value(self):
        """Two ways of naming the same decade give equal dates."""
        assert ImpreciseDate(1965, precision=Precision.DECADE) == ImpreciseDate.parse("196X")

    def test_from_date(self):
        """A datetime.date becomes an exact date."""
        assert ImpreciseDate.from_date(D(2014, 12, 19)) == ImpreciseDate.parse("2014-12-19")
        assert ImpreciseDate.parse("2014-12-19").is_exact
        assert not ImpreciseDate.parse("2014-12-19?").is_exact

    def test_query_day_is_last_day_of_span(self):
        """A month or year asked about is answered as of its last day."""
        assert parse_day("2010") == D(2010, 12, 31)
        assert parse_day("2010-02") == D(2010, 2, 28)
        assert parse_day("2010-02-03") == D(2010, 2, 3)


class TestOrderAndQuestions:
    def test_order_by_first_then_last_day(self):
        """Dates sort by their first possible day, then their last."""
        texts = ["2008-02", "2008-01-05", "2008", "2007-12-31", "2008-01"]
        ordered = sorted(ImpreciseDate.parse(t) for t in texts)
        assert [str(d) for d in ordered] == ["2007-12-31", "2008-01", "2008", "2008-01-05", "2008-02"]

    def test_comparisons_agree_with_sort_key(self):
        """<, <=, > and >= follow the sort key."""
        early, late = ImpreciseDate.parse("2008-09"), ImpreciseDate.parse("2008-09-10")
        assert early < late and early <= late and late > early and late >= early
        assert not late < early

    def test_certainly_possibly_undecided(self):
        """A month-precision event is possible from its first day and certain from its last."""
        september = ImpreciseDate.parse("2008-09")
        assert not september.possibly_by(D(2008, 8, 31))
        assert september.possibly_by(D(2008, 9, 1)) and not september.certainly_by(D(2008, 9, 1))
        assert september.undecided_at(D(2008, 9, 15))
        assert september.certainly_by(D(2008, 9, 30)) and not september.undecided_at(D(2008, 9, 30))

    def test_exact_day_is_never_undecided(self):
        """An exact date is decided on every day."""
        day = ImpreciseDate.parse("2008-09-10")
        assert not any(day.undecided_at(D(2008, 9, d)) for d in range(1, 31))
