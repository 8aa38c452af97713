"""Imprecise historical dates (day, month, year, decade or century) in EDTF notation."""

from __future__ import annotations

import calendar
import datetime
import enum
import functools
import re

import attrs

from events._errors import DateFormatError


class Precision(enum.Enum):
    """How much of a date its source gives."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"


# EDTF level 0 (YYYY, YYYY-MM, YYYY-MM-DD) and the two level-1 features historians need most:
# a trailing qualifier (? uncertain, ~ approximate, % both) and unspecified final year digits
# (196X, 19XX). Parsed by hand: the `edtf` package costs ~8.5 ms a date; this costs about 40 times
# `datetime.date.fromisoformat` on a first sight of the text, and a dict look-up after that (the cache).
_EDTF = re.compile(
    r"(?P<year>\d{4}|\d{3}X|\d{2}XX)"
    r"(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?"
    r"(?P<qualifier>[?~%])?"
)
SUPPORTED_FORMS = "an EDTF date: YYYY-MM-DD, YYYY-MM, YYYY, 196X or 19XX, optionally ending in ? ~ or %"


@attrs.frozen(order=False)
class ImpreciseDate:
    """A date known to day, month, year, decade or century precision.

    The date stands for a span of days, from `earliest` to `latest` inclusive. An event dated
    `2008-09` happened on one day of September 2008; which one the source does not say.

    Ordering: dates sort by their first possible day, then by their last, so `2008` sorts before
    `2008-01-05`, which sorts before `2008-02`. `uncertain` (EDTF `?`) and `approximate` (`~`) are
    kept and written back but do not widen the span.

    Questions about a day D:
        `certainly_by(D)`: the whole span is on or before D.
        `possibly_by(D)`: the span starts on or before D.
        `undecided_at(D)`: possibly but not certainly by D (D falls inside the span, before its end).
    """

    year: int = attrs.field()
    """The year (for decade and century precision, the first year of the span)."""
    month: int | None = None
    """1 to 12, or None when the source gives only a year."""
    day: int | None = None
    """Day of month, or None when the source gives only a month or year."""
    precision: Precision = attrs.field(default=None)
    """Derived from which parts are given, unless it is a decade or century."""
    uncertain: bool = False
    """EDTF `?`: the source is unsure of the date."""
    approximate: bool = False
    """EDTF `~`: the source gives the date as approximate."""
    earliest: datetime.date = attrs.field(init=False, eq=False, repr=False)
    """First day of the span."""
    latest: datetime.date = attrs.field(init=False, eq=False, repr=False)
    """Last day of the span."""

    def __attrs_post_init__(self) -> None:
        precision = self.precision
        if precision is None:
            precision = (
                Precision.DAY if self.day is not None else Precision.MONTH if self.month is not None else Precision.YEAR
            )
            object.__setattr__(self, "precision", precision)
        if precision in (Precision.DECADE, Precision.CENTURY):
            # One spelling per span, so that equal spans compare equal.
            width = 10 if precision is Precision.DECADE else 100
            object.__setattr__(self, "year", self.year - self.year % width)
        first, last = _span(self.year, self.month, self.day, precision)
        object.__setattr__(self, "earliest", first)
        object.__setattr__(self, "latest", last)

    @classmethod
    def parse(cls, text: str) -> ImpreciseDate:
        """Parse an EDTF date such as `2008-09-10`, `2008-09`, `1971`, `1980?`, `196X`.

        Raises:
            DateFormatError: the text is not one of the supported forms or not a real date.
        """
        if isinstance(text, ImpreciseDate):
            return text
        if isinstance(text, datetime.date):
            return cls.from_date(text)
        if not isinstance(text, str):
            raise DateFormatError("date", SUPPORTED_FORMS, text)
        if cls is ImpreciseDate:
            return _parse_cached(text)
        return cls._parse_text(text)

    @classmethod
    def _parse_text(cls, text: str) -> ImpreciseDate:
        match = _EDTF.fullmatch(text.strip())
        if match is None:
            raise DateFormatError("date", SUPPORTED_FORMS, text)
        year_text, month_text, day_text, qualifier = match.group("year", "month", "day", "qualifier")
        unspecified = year_text.count("X")
        if unspecified and month_text is not None:
            raise DateFormatError("date", "no month or day after unspecified year digits", text)
        precision = {0: None, 1: Precision.DECADE, 2: Precision.CENTURY}[unspecified]
        year = int(year_text.replace("X", "0"))
        month = int(month_text) if month_text is not None else None
        day = int(day_text) if day_text is not None else None
        # 000X and 00XX are the first decade and century (years 1-9, 1-99); only a whole year 0000 is refused.
        if year == 0 and not unspecified:
            raise DateFormatError("date", "a year from 0001", text)
        if month is not None and not 1 <= month <= 12:
            raise DateFormatError("date", "a month from 01 to 12", text)
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise DateFormatError("date", f"a day that exists in {year:04d}-{month:02d}", text)
        return cls(
            year,
            month,
            day,
            precision=precision,
            uncertain=qualifier in ("?", "%"),
            approximate=qualifier in ("~", "%"),
        )

    @classmethod
    def from_date(cls, day: datetime.date) -> ImpreciseDate:
        """The exact date of a `datetime.date`."""
        return cls(day.year, day.month, day.day)

    def __str__(self) -> str:
        if self.precision is Precision.CENTURY:
            text = f"{self.year // 100:02d}XX"
        elif self.precision is Precision.DECADE:
            text = f"{self.year // 10:03d}X"
        else:
            text = f"{self.year:04d}"
            if self.month is not None:
                text += f"-{self.month:02d}"
                if self.day is not None:
                    text += f"-{self.day:02d}"
        if self.uncertain and self.approximate:
            text += "%"
        elif self.uncertain:
            text += "?"
        elif self.approximate:
            text += "~"
        return text

    @property
    def is_exact(self) -> bool:
        """True when the date names a single day with no qualifier."""
        return self.precision is Precision.DAY and not (self.uncertain or self.approximate)

    @property
    def sort_key(self) -> tuple[int, int]:
        """The key the log orders by: first possible day, then last possible day."""
        return (self.earliest.toordinal(), self.latest.toordinal())

    def certainly_by(self, day: datetime.date) -> bool:
        """True when the whole span lies on or before `day`."""
        return self.latest <= day

    def possibly_by(self, day: datetime.date) -> bool:
        """True when the span starts on or before `day`."""
        return self.earliest <= day

    def undecided_at(self, day: datetime.date) -> bool:
        """True when `day` is inside the span but not its last day: it may or may not have happened."""
        return self.earliest <= day < self.latest

    def __lt__(self, other: ImpreciseDate) -> bool:
        return self.sort_key < other.sort_key

    def __le__(self, other: ImpreciseDate) -> bool:
        return self.sort_key <= other.sort_key

    def __gt__(self, other: ImpreciseDate) -> bool:
        return self.sort_key > other.sort_key

    def __ge__(self, other: ImpreciseDate) -> bool:
        return self.sort_key >= other.sort_key


def _span(year: int, month: int | None, day: int | None, precision: Precision) -> tuple[datetime.date, datetime.date]:
    if precision is Precision.DAY:
        single = datetime.date(year, month, day)
        return single, single
    if precision is Precision.MONTH:
        return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
    if precision is Precision.YEAR:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    width = 10 if precision is Precision.DECADE else 100
    start = year - year % width
    return datetime.date(max(start, 1), 1, 1), datetime.date(start + width - 1, 12, 31)


@functools.lru_cache(maxsize=1 << 16)
def _parse_cached(text: str) -> ImpreciseDate:
    # Dates are immutable, and histories repeat the same few thousand texts: parse each once.
    return ImpreciseDate._parse_text(text)


def parse_date(text: str) -> ImpreciseDate:
    """Parse an EDTF date; see `ImpreciseDate.parse`."""
    return ImpreciseDate.parse(text)


def parse_day(text: str) -> datetime.date:
    """Parse a query date and return the last day of its span (`2010` asks about 2010-12-31).

    Raises:
        DateFormatError: the text is not a supported EDTF date.
    """
    return ImpreciseDate.parse(text).latest
