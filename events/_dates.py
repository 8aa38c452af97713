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
    INTERVAL = "interval"
    """An EDTF interval (`DateInterval`), from one date to another."""


# EDTF level 0 (YYYY, YYYY-MM, YYYY-MM-DD) and the two level-1 features historians need most:
# a trailing qualifier (? uncertain, ~ approximate, % both) and unspecified final year digits
# (196X, 19XX). Parsed by hand: the `edtf` package costs ~8.5 ms a date; this costs about 40 times
# `datetime.date.fromisoformat` on a first sight of the text, and a dict look-up after that (the cache).
# Digits are ASCII only: `\d` would take any Unicode digit ("٢٠٠٨" for 2008), which EDTF does not allow.
_EDTF = re.compile(
    r"(?P<year>[0-9]{4}|[0-9]{3}X|[0-9]{2}XX)"
    r"(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?"
    r"(?P<qualifier>[?~%])?"
)
SUPPORTED_FORMS = (
    "an EDTF date: YYYY-MM-DD, YYYY-MM, YYYY, 196X or 19XX, optionally ending in ? ~ or %, "
    "or an interval START/END of two such dates, either end open (..) or unknown (empty)"
)
OPEN = ".."
"""An interval end with no bound (EDTF `1990/..`: from 1990 on, with no end known to exist)."""
UNKNOWN = ""
"""An interval end that exists but is not known (EDTF `1990/`)."""
FIRST_DAY = datetime.date.min
"""The first day a date can name (0001-01-01): the earliest day of an interval open at its start."""
LAST_DAY = datetime.date.max
"""The last day a date can name (9999-12-31): the latest day of an interval open at its end."""


class _Span:
    """What a single date and an interval share: the span of days they stand for, and the questions about it."""

    __slots__ = ()
    earliest: datetime.date
    latest: datetime.date

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

    def __lt__(self, other: _Span) -> bool:
        return self.sort_key < other.sort_key

    def __le__(self, other: _Span) -> bool:
        return self.sort_key <= other.sort_key

    def __gt__(self, other: _Span) -> bool:
        return self.sort_key > other.sort_key

    def __ge__(self, other: _Span) -> bool:
        return self.sort_key >= other.sort_key


@attrs.frozen(order=False)
class ImpreciseDate(_Span):
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
        _check_parts(self.year, self.month, self.day, self.precision)
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
    def parse(cls, text: str) -> ImpreciseDate | DateInterval:
        """Parse an EDTF date such as `2008-09-10`, `2008-09`, `1971`, `1980?`, `196X`, or an interval.

        An interval (`1990-02-15/1990-12-31`, `1990/..`, `../1990`, `1990/`) gives a `DateInterval`.

        Raises:
            DateFormatError: the text is not one of the supported forms or not a real date.
        """
        if isinstance(text, ImpreciseDate | DateInterval):
            return text
        if isinstance(text, datetime.date):
            return cls.from_date(text)
        if not isinstance(text, str):
            raise DateFormatError("date", SUPPORTED_FORMS, text)
        if cls is ImpreciseDate:
            return _parse_cached(text)
        return cls._parse_text(text)

    @classmethod
    def _parse_text(cls, text: str) -> ImpreciseDate | DateInterval:
        stripped = text.strip()
        if stripped.count("/") == 1:
            return DateInterval._parse_text(stripped, text)
        return cls._parse_single(stripped, text)

    @classmethod
    def _parse_single(cls, stripped: str, text: str) -> ImpreciseDate:
        match = _EDTF.fullmatch(stripped)
        if match is None:
            raise DateFormatError("date", SUPPORTED_FORMS, text)
        year_text, month_text, day_text, qualifier = match.group("year", "month", "day", "qualifier")
        unspecified = year_text.count("X")
        if unspecified and month_text is not None:
            raise DateFormatError("date", "no month or day after unspecified year digits", text)
        year = int(year_text.replace("X", "0"))
        uncertain, approximate = qualifier in ("?", "%"), qualifier in ("~", "%")
        if unspecified:
            # 000X and 00XX are the first decade and century (years 1-9, 1-99).
            precision = Precision.DECADE if unspecified == 1 else Precision.CENTURY
            return cls(year, precision=precision, uncertain=uncertain, approximate=approximate)
        if year == 0:
            raise DateFormatError("date", "a year from 0001", text)
        month = int(month_text) if month_text is not None else None
        day = int(day_text) if day_text is not None else None
        if month is not None:
            if not 1 <= month <= 12:
                raise DateFormatError("date", "a month from 01 to 12", text)
            # The pattern gives a day only after a month.
            if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise DateFormatError("date", f"a day that exists in {year:04d}-{month:02d}", text)
        return cls(year, month, day, uncertain=uncertain, approximate=approximate)

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


def _check_parts(year: object, month: object, day: object, precision: object) -> None:
    """Refuse parts that name no day, with the project's error (a ValueError that names the field)."""
    # The common case first, in a few comparisons: a whole year, month and day that every month has.
    if precision is None and type(year) is int and 1 <= year <= 9999:
        if month is None and day is None:
            return
        if type(month) is int and 1 <= month <= 12 and (day is None or (type(day) is int and 1 <= day <= 28)):
            return
    if precision is not None and (not isinstance(precision, Precision) or precision is Precision.INTERVAL):
        raise DateFormatError("precision", "the precision of a single date (an interval is a DateInterval)", precision)
    year, month, day = _whole("year", year), _whole("month", month), _whole("day", day)
    if year is None:
        raise DateFormatError("year", "a whole number", year)
    # The decade and century spellings 000X and 00XX start at year 0, which stands for their first real year.
    lowest = 0 if precision in (Precision.DECADE, Precision.CENTURY) else 1
    if not lowest <= year <= 9999:
        raise DateFormatError("year", "a year from 0001 to 9999", year)
    if precision in (Precision.DECADE, Precision.CENTURY) and (month is not None or day is not None):
        raise DateFormatError("month", "no month or day in a decade or century", month)
    if precision in (Precision.YEAR,) and month is not None:
        raise DateFormatError("month", "no month in a date of year precision", month)
    if month is None:
        if day is not None:
            raise DateFormatError("day", "no day without a month", day)
        if precision is Precision.MONTH or precision is Precision.DAY:
            raise DateFormatError("month", f"a month, for {precision.value} precision", month)
        return
    if not 1 <= month <= 12:
        raise DateFormatError("month", "a month from 01 to 12", month)
    if day is None:
        if precision is Precision.DAY:
            raise DateFormatError("day", "a day, for day precision", day)
        return
    if precision is not None and precision is not Precision.DAY:
        raise DateFormatError("day", f"no day in a date of {precision.value} precision", day)
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise DateFormatError("day", f"a day that exists in {year:04d}-{month:02d}", day)


def _whole(name: str, value: object) -> int | None:
    """`value` as a whole number or None, refusing anything else (a bool too) with an error that names the part."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise DateFormatError(name, "a whole number", value)


@attrs.frozen(order=False)
class DateInterval(_Span):
    """An EDTF level-1 interval: the event happened on one day from its start to its end, which day unknown.

    `1990-02-15/1990-12-31` ("some time in 1990 after 15 February"), `1990/..` (in 1990 or later, open
    end), `../1990` (in 1990 or before), `1990/` (from 1990 to an end that is not known). Each end is an
    `ImpreciseDate`, `OPEN` (`..`) or `UNKNOWN` (empty). An interval is used where a date is, with the
    same meaning: it stands for the span of days from the first possible day of its start to the last
    possible day of its end (an open or unknown end reaching `FIRST_DAY` or `LAST_DAY`), it is certain by
    a day once the whole span is over and possible once the span has begun, and it sorts among dates by
    that span. Open and unknown ends mean the same span; they are kept apart only to be written back.
    """

    start: ImpreciseDate | str
    """The first end: a date, `OPEN` or `UNKNOWN`."""
    end: ImpreciseDate | str
    """The second end: a date, `OPEN` or `UNKNOWN`."""
    earliest: datetime.date = attrs.field(init=False, eq=False, repr=False)
    """First day of the span."""
    latest: datetime.date = attrs.field(init=False, eq=False, repr=False)
    """Last day of the span."""

    precision = Precision.INTERVAL
    """Always `Precision.INTERVAL`."""

    def __attrs_post_init__(self) -> None:
        for name, value in (("start", self.start), ("end", self.end)):
            if not (isinstance(value, ImpreciseDate) or value in (OPEN, UNKNOWN)):
                raise DateFormatError(name, "an EDTF date, '..' (open) or '' (unknown)", value)
        if not isinstance(self.start, ImpreciseDate) and not isinstance(self.end, ImpreciseDate):
            raise DateFormatError("date", "an interval with a date at one end at least", str(self))
        first = self.start.earliest if isinstance(self.start, ImpreciseDate) else FIRST_DAY
        last = self.end.latest if isinstance(self.end, ImpreciseDate) else LAST_DAY
        if last < first:
            raise DateFormatError("date", "an interval whose end is not before its start", str(self))
        object.__setattr__(self, "earliest", first)
        object.__setattr__(self, "latest", last)

    @classmethod
    def _parse_text(cls, stripped: str, text: str) -> DateInterval:
        ends: list[ImpreciseDate | str] = []
        for part in stripped.split("/"):
            if part in (OPEN, UNKNOWN):
                ends.append(part)
                continue
            try:
                ends.append(ImpreciseDate._parse_single(part, text))
            except DateFormatError as error:
                raise DateFormatError("date", error.expected, text) from None
        try:
            return cls(*ends)
        except DateFormatError as error:
            raise DateFormatError("date", error.expected, text) from None

    @property
    def uncertain(self) -> bool:
        """Either end is marked uncertain (`?`)."""
        return any(isinstance(end, ImpreciseDate) and end.uncertain for end in (self.start, self.end))

    @property
    def approximate(self) -> bool:
        """Either end is marked approximate (`~`)."""
        return any(isinstance(end, ImpreciseDate) and end.approximate for end in (self.start, self.end))

    is_exact = False
    """An interval never names a single day for certain."""

    def __str__(self) -> str:
        return f"{self.start}/{self.end}"


EventDate = ImpreciseDate | DateInterval
"""What an event's date may be: a single imprecise date or an interval."""


def _span(year: int, month: int | None, day: int | None, precision: Precision) -> tuple[datetime.date, datetime.date]:
    # `_check_parts` has made the parts agree with the precision: a day (and month) at day precision, a month
    # at month precision, neither otherwise. Reading the parts themselves lets the checker see it too.
    if month is not None:
        if day is not None:
            single = datetime.date(year, month, day)
            return single, single
        return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])
    if precision is Precision.YEAR:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    width = 10 if precision is Precision.DECADE else 100
    start = year - year % width
    return datetime.date(max(start, 1), 1, 1), datetime.date(start + width - 1, 12, 31)


@functools.lru_cache(maxsize=1 << 16)
def _parse_cached(text: str) -> ImpreciseDate | DateInterval:
    # Dates are immutable, and histories repeat the same few thousand texts: parse each once.
    return ImpreciseDate._parse_text(text)


def parse_date(text: str) -> ImpreciseDate | DateInterval:
    """Parse an EDTF date; see `ImpreciseDate.parse`."""
    return ImpreciseDate.parse(text)


def parse_day(text: str) -> datetime.date:
    """Parse a query date and return the last day of its span (`2010` asks about 2010-12-31).

    Raises:
        DateFormatError: the text is not a supported EDTF date.
    """
    return ImpreciseDate.parse(text).latest
