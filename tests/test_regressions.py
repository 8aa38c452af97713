"""Examples of bugs the property tests found, kept so that they stay fixed."""

import datetime

import pytest

from events import (
    EditedLog,
    ImpreciseDate,
    InvalidValueError,
    Log,
    Precision,
    RemoveEvent,
    dump_scenario,
    parse_scenario,
    scenario_of,
)

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


class TestCascadeKeep:
    def test_an_effect_caused_directly_and_indirectly_is_kept_without_the_removed_cause(self):
        """Under cascade keep, removing an event keeps an effect that names it both directly and through another
        effect, and that effect stops naming the removed event."""
        cause = make("recognition", "2000", id="cause")
        middle = make("envoy_exchange_agreed", "2001", id="middle", rank="ambassador", caused_by=["cause"])
        both = make("statement", "2002", target=None, id="both", caused_by=["middle", "cause"])
        edited = EditedLog.of(Log.of([cause, middle, both]), [RemoveEvent(event_id="cause")], cascade="keep")
        assert [event.id for event in edited.events] == ["middle", "both"]
        assert edited.get("both").caused_by == ("middle",)
        assert {effect.event_id for effect in edited.orphaned} == {"middle", "both"}
