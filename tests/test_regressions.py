"""Examples of bugs the property tests found, kept so that they stay fixed."""

import datetime

import pytest

from events import ImpreciseDate, InvalidValueError, Precision, dump_scenario, parse_scenario, scenario_of

from factories import make


class TestFirstDecadeAndCentury:
    @pytest.mark.parametrize(
        ("text", "precision", "latest"),
        [("000X", Precision.DECADE, datetime.date(9, 12, 31)), ("00XX", Precision.CENTURY, datetime.date(99, 12, 31))],
    )
    def test_first_decade_and_century_read_back(self, text, precision, latest):
        """The first decade and century (years 1-9 and 1-99), which dates write as 000X and 00XX, parse back."""
        date = ImpreciseDate.parse(text)
        assert (date.precision, date.earliest, date.latest) == (precision, datetime.date(1, 1, 1), latest)
        assert ImpreciseDate.parse(str(ImpreciseDate(5, precision=precision))) == ImpreciseDate(5, precision=precision)


class TestCarriageReturns:
    def test_crlf_in_a_text_survives_a_scenario_file(self):
        """A note or source holding a Windows line break (CR LF) is read back from a scenario file unchanged."""
        event = make("statement", target=None, note="first line\r\nsecond line", sources=["a\r\nb"])
        scenario = scenario_of([event])
        again = parse_scenario(dump_scenario(scenario))
        assert again.log[0].note == "first line\r\nsecond line"
        assert again.log[0].sources == ("a\r\nb",)

    def test_plain_line_breaks_are_still_written_as_multiline_text(self):
        """Notes with plain line breaks are still written as readable multi-line strings."""
        event = make("statement", target=None, note="first line\nsecond line")
        assert '"""' in dump_scenario(scenario_of([event]))


class TestPollAnswers:
    def test_a_repeated_answer_is_refused(self):
        """A poll cannot list the same answer twice: its file form is a table, which would keep only one."""
        with pytest.raises(InvalidValueError, match="each answer once"):
            make("poll", target=None, question="q", results=[["yes", 10.0], ["yes", 20.0]])
