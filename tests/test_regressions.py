"""Examples of bugs the property tests found, kept so that they stay fixed."""

import datetime

import pytest

from events import ImpreciseDate, Precision


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
