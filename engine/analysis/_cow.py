"""Correlates of War Diplomatic Exchange rows: parse them, export a history's levels as rows, compare the two."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

import attrs

from engine.core._history import History
from engine.core._state import COW_LEVEL
from events import LegationError, pair_of

COW_COLUMNS = ("ccode1", "ccode2", "year", "DR_at_1", "DR_at_2", "DE", "version")
"""The columns of the COW Diplomatic Exchange CSV (v2006.1), in the data set's order."""
COW_CODES = frozenset(COW_LEVEL.values())
"""The levels COW uses: 0 none, 1 chargé d'affaires, 2 minister, 3 ambassador, 9 other."""
EXCHANGE_LEVELS = frozenset({1, 2, 3})
"""Levels that are an exchange of representatives: a row with one of them has DE = 1."""
EXPORT_VERSION = "legation"
"""The `version` written into rows exported from a history (COW's own rows carry the data set's version)."""


class CowFormatError(LegationError, ValueError):
    """A COW CSV text or record that is not in the data set's format.

    Attributes:
        line: the 1-based line of the text (None for a record given alone).
        column: the column at fault (None for a whole-row problem).
        expected: what the format requires.
        found: what was there.
    """

    def __init__(self, line: int | None, column: str | None, expected: str, found: object) -> None:
        self.line = line
        self.column = column
        self.expected = expected
        self.found = found
        where = ", ".join(
            part for part in (f"line {line}" if line else "", f"column {column}" if column else "") if part
        )
        super().__init__(f"COW data{' (' + where + ')' if where else ''}: expected {expected}, found {found!r}")


@attrs.frozen
class CowRow:
    """One directed-dyad year of the COW Diplomatic Exchange data.

    `dr_at_2` is the level of side 1's representative at side 2's capital (side 1 in side 2);
    `dr_at_1` the level of side 2's representative at side 1's capital (side 2 in side 1).
    """

    ccode1: int
    """COW state code of side 1."""
    ccode2: int
    """COW state code of side 2."""
    year: int
    """The observed year."""
    dr_at_1: int
    """Level of side 2's representative in side 1 (0, 1, 2, 3 or 9)."""
    dr_at_2: int
    """Level of side 1's representative in side 2 (0, 1, 2, 3 or 9)."""
    de: int
    """1 where any exchange exists, else 0."""
    version: str = EXPORT_VERSION
    """The data set version, as written in the file."""


@attrs.frozen
class CowDisagreement:
    """An observed year in which COW's level for one direction was never the history's level that year."""

    year: int
    """The observed year."""
    sender: str
    """The actor whose representative it is (the history's actor code)."""
    host: str
    """The actor in whose capital the representative sits."""
    cow_level: int
    """COW's level for sender in host."""
    history_level: int
    """The history's level for sender in host on 31 December of the year (COW code)."""
    history_levels: tuple[int, ...]
    """Every level the history gives sender in host at some time during the year, in order (COW codes)."""

    @property
    def direction(self) -> str:
        """The direction as the CLI writes it, e.g. `USA->BOL`."""
        return f"{self.sender}->{self.host}"


def _int_field(record: Mapping[str, str], column: str, line: int | None, allowed: frozenset[int] | None = None) -> int:
    text = record.get(column)
    expected = "a whole number" if allowed is None else f"one of {', '.join(str(v) for v in sorted(allowed))}"
    if text is None:
        raise CowFormatError(line, column, expected, None)
    try:
        value = int(str(text).strip())
    except ValueError:
        raise CowFormatError(line, column, expected, text) from None
    if allowed is not None and value not in allowed:
        raise CowFormatError(line, column, expected, text)
    return value


def cow_row_from_record(record: Mapping[str, str], line: int | None = None) -> CowRow:
    """One COW row from a record keyed by the COW column names (as `csv.DictReader` gives them).

    Raises:
        CowFormatError: a column is missing or holds a value COW does not use.
    """
    # Checked in the data set's column order, so the first bad column is the one reported.
    ccode1 = _int_field(record, "ccode1", line)
    ccode2 = _int_field(record, "ccode2", line)
    year = _int_field(record, "year", line)
    if year < 1:
        raise CowFormatError(line, "year", "a year from 1", record.get("year"))
    dr_at_1 = _int_field(record, "DR_at_1", line, COW_CODES)
    dr_at_2 = _int_field(record, "DR_at_2", line, COW_CODES)
    de = _int_field(record, "DE", line, frozenset({0, 1}))
    version = record.get("version")
    if version is None or not str(version).strip():
        raise CowFormatError(line, "version", "the data set version", version)
    return CowRow(ccode1, ccode2, year, dr_at_1, dr_at_2, de, str(version).strip())


def parse_cow_csv(text: str) -> list[CowRow]:
    """The rows of a COW Diplomatic Exchange CSV text (header first, in the data set's column order).

    Pure: the caller reads the file. Blank lines are skipped.

    Raises:
        CowFormatError: wrong header, wrong number of fields, or a bad value (names line and column).
    """
    reader = csv.reader(io.StringIO(text))
    rows: list[CowRow] = []
    header: list[str] | None = None
    for fields in reader:
        line = reader.line_num
        if not fields or all(not field.strip() for field in fields):
            continue
        if header is None:
            header = [field.strip() for field in fields]
            if tuple(header) != COW_COLUMNS:
                raise CowFormatError(line, None, f"the header {','.join(COW_COLUMNS)}", ",".join(fields))
            continue
        if len(fields) != len(COW_COLUMNS):
            raise CowFormatError(line, None, f"{len(COW_COLUMNS)} fields", len(fields))
        rows.append(cow_row_from_record(dict(zip(COW_COLUMNS, fields, strict=True)), line))
    if header is None:
        raise CowFormatError(None, None, f"the header {','.join(COW_COLUMNS)}", "an empty text")
    return rows


def format_cow_csv(rows: Iterable[CowRow]) -> str:
    """COW CSV text of rows, header quoted as in the data set; `parse_cow_csv` of it gives the rows back."""
    out = io.StringIO()
    out.write(",".join(f'"{column}"' for column in COW_COLUMNS) + "\n")
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([row.ccode1, row.ccode2, row.year, row.dr_at_1, row.dr_at_2, row.de, row.version])
    return out.getvalue()


def contradiction(row: CowRow) -> str | None:
    """What makes a row contradict itself, or None: DE must be 1 with a level of 1-3, and 0 with no level."""
    levels = (row.dr_at_1, row.dr_at_2)
    if any(level in EXCHANGE_LEVELS for level in levels) and row.de != 1:
        return f"DE is {row.de} but a level of 1-3 ({levels[0]}, {levels[1]}) is an exchange (DE 1)"
    if levels == (0, 0) and row.de != 0:
        return f"DE is {row.de} but neither side has a representative (0, 0)"
    return None


def row_de(level_1: int, level_2: int, relations: str) -> int:
    """The DE of a dyad-year from its levels and relations (see `contradiction`); relations decide for level 9."""
    levels = (level_1, level_2)
    if any(level in EXCHANGE_LEVELS for level in levels):
        return 1
    if levels == (0, 0):
        return 0
    return int(relations == "established")


def _cow_code(history: History, actor: str) -> int:
    known = history.log.actors.get(actor)
    if known is None or known.cow is None:
        raise CowFormatError(None, "ccode", f"an actor with a Correlates of War code (for {actor})", None)
    return known.cow


def level_at_year_end(history: History, sender: str, host: str, year: int) -> int:
    """The COW code of sender's level in host on 31 December of `year`."""
    state = history.state_at(sender, host, f"{year:04d}-12-31").state
    return COW_LEVEL[state.side(sender, host).level]


def levels_during_year(history: History, sender: str, host: str, year: int) -> tuple[int, ...]:
    """The COW codes of every level sender had in host at some time in `year`, in order, without repeats.

    The year's first level is the one in force when it began; an event dated only to the year (or to a
    span reaching into it) counts from its first possible day, so the level before it is also in the year.
    """
    before = history.state_at(sender, host, f"{year - 1:04d}-12-31").state if year > 1 else None
    levels = [COW_LEVEL[(before.side(sender, host).level if before is not None else "none")]]
    for step in history.steps(sender, host):
        start = step.event.date.earliest.year
        if start > year:
            break
        if start == year:
            levels.append(COW_LEVEL[step.state.side(sender, host).level])
    return tuple(dict.fromkeys(levels))


def history_cow_rows(
    history: History, side1: str, side2: str, years: Iterable[int], version: str = EXPORT_VERSION
) -> list[CowRow]:
    """COW rows for a pair of the history, one per year, each level as it stood on 31 December.

    DE as COW codes it (`row_de`): 1 with a level of 1-3, 0 with none, and for a level of 9 alone
    (an interests section) 1 only while relations are established.

    Args:
        history: the folded history.
        side1: the actor written as ccode1 (COW's rows put the United States, 2, first for its dyads).
        side2: the actor written as ccode2.
        years: the years to export.
        version: the `version` column.

    Raises:
        CowFormatError: an actor has no Correlates of War code.
        UnknownPairError: an actor the history does not know.
    """
    code1, code2 = _cow_code(history, side1), _cow_code(history, side2)
    rows = []
    for year in years:
        state = history.state_at(side1, side2, f"{year:04d}-12-31").state
        in_1 = COW_LEVEL[state.side(side2, side1).level]
        in_2 = COW_LEVEL[state.side(side1, side2).level]
        rows.append(CowRow(code1, code2, year, in_1, in_2, row_de(in_1, in_2, state.relations), version))
    return rows


def years_covered(history: History, a: str, b: str) -> range:
    """The years from the pair's first event to its last (empty when no event touches the pair)."""
    steps = history.steps(a, b)
    if not steps:
        return range(0)
    return range(steps[0].event.date.earliest.year, steps[-1].event.date.latest.year + 1)


def compare_with_cow(history: History, rows: Sequence[CowRow]) -> list[CowDisagreement]:
    """Every observed year and direction where COW's level is not a level the history held that year.

    A row is compared when both its state codes map to actors of the history and its year lies in the
    years the history covers for that pair (`years_covered`); other rows say nothing about the history.
    COW codes the situation of a year without naming a day, so a row agrees when its level is any level
    the history gives during that year (`levels_during_year`); the disagreement reports the level on
    31 December and all the year's levels.

    Returns:
        Disagreements sorted by year, then sender.
    """
    found = []
    covered: dict[tuple[str, str], range] = {}
    for row in rows:
        try:
            side1 = history.log.actors.by_cow(row.ccode1).code
            side2 = history.log.actors.by_cow(row.ccode2).code
        except KeyError:
            continue
        key = pair_of(side1, side2)
        if key not in covered:
            covered[key] = years_covered(history, side1, side2)
        if row.year not in covered[key]:
            continue
        for sender, host, cow_level in ((side1, side2, row.dr_at_2), (side2, side1, row.dr_at_1)):
            held = levels_during_year(history, sender, host, row.year)
            if cow_level not in held:
                end = level_at_year_end(history, sender, host, row.year)
                found.append(CowDisagreement(row.year, sender, host, cow_level, end, held))
    return sorted(found, key=lambda d: (d.year, d.sender, d.host))
