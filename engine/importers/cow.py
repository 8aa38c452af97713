"""Correlates of War Diplomatic Exchange in and out: a whole v2006.1 file streamed into a history, and back to rows."""

from __future__ import annotations

import csv
import datetime
import functools
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from engine.analysis._cow import (
    COW_COLUMNS,
    EXCHANGE_LEVELS,
    EXPORT_VERSION,
    CowFormatError,
    CowRow,
    contradiction,
    cow_row_from_record,
    row_de,
)
from engine.core._history import History
from engine.core._reducer import apply_to_pair
from engine.core._state import COW_LEVEL, LEVEL_OF_COW, PairState, initial_pair
from engine.importers._common import DATA_DIR, ImportFormatError, ImportReport, bounded_lines, open_text
from events import (
    Actor,
    DateFormatError,
    EnvoyAccredited,
    EnvoyRecalled,
    Event,
    ImpreciseDate,
    Log,
    RelationsEstablished,
    RelationsReestablished,
    RelationsSevered,
    Scenario,
    builtin_actors,
)

COW_YEARS = (
    1817,
    1824,
    1827,
    1832,
    1836,
    1840,
    *range(1844, 1915, 5),
    *range(1920, 1941, 5),
    *range(1950, 2006, 5),
)
"""The years the Diplomatic Exchange data set v2006.1 observes (its README): the default years of an export."""
COW_CITATION = 'Bayer, Reşat. 2006. "Diplomatic Exchange Data set, v2006.1." Correlates of War Project'
STATES_CITATION = 'Correlates of War Project. 2017. "State System Membership List, v2016."'
SYSTEM_START = datetime.date(1816, 1, 1)
"""COW's state system list begins here: a state listed from this day may have existed long before."""
SYSTEM_END = datetime.date(2016, 12, 31)
"""The v2016 list ends here: a state listed to this day still exists."""


@attrs.frozen
class CowState:
    """A state of the COW state system list: its code, abbreviation, name and spells of membership."""

    ccode: int
    abbreviation: str
    name: str
    spells: tuple[tuple[datetime.date, datetime.date], ...]
    """(first day, last day) of each spell in the system, in order."""

    def member_in(self, year: int) -> bool:
        """Whether the state was in the system on some day of `year`."""
        return any(start.year <= year <= end.year for start, end in self.spells)


@functools.cache
def cow_states() -> dict[int, CowState]:
    """The COW State System Membership List v2016, shipped in `engine/importers/data/cow_states2016.csv`."""
    spells: dict[int, list] = {}
    names: dict[int, tuple[str, str]] = {}
    with (DATA_DIR / "cow_states2016.csv").open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            code = int(row["ccode"])
            names[code] = (row["stateabb"], row["statenme"])
            start = datetime.date(int(row["styear"]), int(row["stmonth"]), int(row["stday"]))
            end = datetime.date(int(row["endyear"]), int(row["endmonth"]), int(row["endday"]))
            spells.setdefault(code, []).append((start, end))
    return {code: CowState(code, *names[code], tuple(sorted(spells[code]))) for code in sorted(spells)}


def _iso_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-3 code pycountry finds for a COW state name by exact (case-blind) look-up."""
    import pycountry

    for candidate in (name, name.replace("St. ", "Saint ").replace(" & ", " and ")):
        try:
            return pycountry.countries.lookup(candidate).alpha_3
        except LookupError:
            continue
    return None


@functools.cache
def cow_actors() -> dict[int, Actor]:
    """An actor for every state of the COW list, keyed by COW code.

    The code is the built-in actor's where legation knows the state (`events/actors.toml`), else the ISO
    3166-1 alpha-3 code pycountry gives for the COW name, else `X` + COW's abbreviation (ISO's user-assigned
    range, for states ISO never listed: XBAV Bavaria). A code is given once: a later state that would reuse
    one takes the X form. The period is COW's membership, from the first day of the first spell (left open
    when that is COW's first day, 1816-01-01) to the last day of the last spell (open when it is COW's last,
    2016-12-31); gaps between spells are not modelled.
    """
    builtin = {actor.cow: actor for actor in builtin_actors().values() if actor.cow is not None}
    taken = {actor.code for actor in builtin_actors().values()}
    actors: dict[int, Actor] = {}
    for code, state in cow_states().items():
        first, last = state.spells[0][0], state.spells[-1][1]
        start = ImpreciseDate.from_date(first) if first > SYSTEM_START else None
        end = ImpreciseDate.from_date(last) if last < SYSTEM_END else None
        known = builtin.get(code)
        if known is not None:
            actors[code] = attrs.evolve(known, start=start, end=end)
            continue
        iso = _iso_code(state.name)
        actor_code = iso if iso is not None and iso not in taken else f"X{state.abbreviation}"
        taken.add(actor_code)
        actors[code] = Actor(code=actor_code, name=state.name, cow=code, start=start, end=end)
    return actors


@functools.cache
def _intervals_supported() -> bool:
    try:
        ImpreciseDate.parse("1990/1995")
    except DateFormatError:
        return False
    return True


def span_date(first_year: int, last_year: int) -> tuple[str, str]:
    """The date of a change known only to lie in the years `first_year`..`last_year`, and a note saying so.

    The one place that decides how a span of years is written. With EDTF intervals (`1991/1995`) the date
    is the span itself. Until the date type has them, a span of more than one year is written as its last
    year marked uncertain (`1995?`): the change was certainly in force by the end of that year, which is
    what the row of that year says, and it never reaches back into the earlier observed year; the note
    gives the real span.
    """
    if first_year >= last_year:
        return f"{last_year:04d}", ""
    if _intervals_supported():
        return f"{first_year:04d}/{last_year:04d}", ""
    note = f"COW says only that this happened between {first_year} and {last_year}"
    return f"{last_year:04d}?", note


def _wanted_relations(row: CowRow) -> bool | None:
    """Whether the row needs relations established (True), not established (False), or leaves them open (None)."""
    levels = (row.dr_at_1, row.dr_at_2)
    if any(level in EXCHANGE_LEVELS for level in levels):
        return True
    if levels == (0, 0):
        return None
    return row.de == 1


class _Dyad:
    """The state of one dyad while its rows stream by, and the events that bring it from row to row."""

    def __init__(self, code1: int, code2: int, side1: Actor, side2: Actor, path: str) -> None:
        self.code1, self.code2 = code1, code2
        self.side1, self.side2 = side1.code, side2.code
        self.state: PairState = initial_pair(side1.code, side2.code)
        self.last_year: int | None = None
        self.last_line = 0
        self.path = path
        entries = [actor.start.latest.year for actor in (side1, side2) if actor.start is not None]
        self.entry_year = max(entries, default=SYSTEM_START.year)

    def advance(self, row: CowRow, line: int) -> list[Event]:
        """The events that take the dyad from its state to the row's, dated to the span since the last row."""
        first = self.last_year + 1 if self.last_year is not None else min(self.entry_year, row.year)
        date, span_note = span_date(first, row.year)
        where = f"{self.path} line {line}"
        before = "" if self.last_year is None else f" (line {self.last_line}: {self.last_year})"
        note = f"COW row {row.ccode1}-{row.ccode2} {row.year}{before}" + (f"; {span_note}" if span_note else "")
        if self.last_year is None:
            note += "; the dyad's first row: the level may predate it"
        made: list[Event] = []

        def add(cls: type[Event], actor: str, target: str, extra_note: str = "", **fields) -> None:
            event = cls(
                id=f"cow-{row.ccode1}-{row.ccode2}-{row.year}-{len(made) + 1}",
                date=date,
                actor=actor,
                target=target,
                sources=(f"{COW_CITATION}; {where}",),
                note=note + extra_note,
                **fields,
            )
            self.state, broken = apply_to_pair(self.state, event)
            if broken:  # the rules of the model changed under the importer: never write a wrong history
                raise AssertionError(f"COW import made an impossible event {event.id}: {'; '.join(broken)}")
            made.append(event)

        wanted = _wanted_relations(row)
        relations = self.state.relations
        if wanted is True and relations != "established":
            add(RelationsEstablished if relations == "none" else RelationsReestablished, self.side1, self.side2)
        elif wanted is False and relations == "established":
            add(
                RelationsSevered,
                self.side1,
                self.side2,
                "; COW codes no exchange (DE 0): it does not say which side broke relations, so the dyad's "
                "first state is written as the actor",
            )
        for sender, host, level in ((self.side1, self.side2, row.dr_at_2), (self.side2, self.side1, row.dr_at_1)):
            want = LEVEL_OF_COW[level]
            for _ in range(3):  # a recall of a minister or ambassador leaves a chargé: at most three steps
                have = self.state.side(sender, host).level
                if have == want:
                    break
                if want == "none":
                    add(EnvoyRecalled, sender, host, "; COW codes no representative")
                else:
                    add(EnvoyAccredited, sender, host, rank=want)
            if self.state.side(sender, host).level != want:
                raise AssertionError(f"COW import could not bring {sender}->{host} to {want} ({where})")
        self.last_year, self.last_line = row.year, line
        return made


@attrs.frozen
class CowImport:
    """The result of importing a COW file: the history, the report, and what export needs to give the rows back."""

    scenario: Scenario
    report: ImportReport
    versions: tuple[str, ...]
    """The `version` values the file's rows carry, in order of first sight."""


def iter_cow_rows(lines: Iterable[tuple[int, str]], path: str) -> Iterator[tuple[int, CowRow]]:
    """The rows of a COW CSV, each with its line number, one at a time (the header is checked first).

    Raises:
        ImportFormatError: an empty file, a wrong header, a wrong number of fields or a bad value.
    """
    header_seen = False
    for number, text in lines:
        if not text.strip():
            continue
        try:
            fields = next(csv.reader([text]))
        except csv.Error as error:
            raise ImportFormatError(path, number, None, "a CSV line", str(error)) from None
        if not header_seen:
            if tuple(field.strip() for field in fields) != COW_COLUMNS:
                raise ImportFormatError(path, number, None, f"the header {','.join(COW_COLUMNS)}", text)
            header_seen = True
            continue
        if len(fields) != len(COW_COLUMNS):
            raise ImportFormatError(path, number, None, f"{len(COW_COLUMNS)} fields", len(fields))
        try:
            yield number, cow_row_from_record(dict(zip(COW_COLUMNS, fields, strict=True)), number)
        except CowFormatError as error:
            raise ImportFormatError(path, number, error.column, error.expected, error.found) from None
    if not header_seen:
        raise ImportFormatError(path, 1, None, f"the header {','.join(COW_COLUMNS)}", "an empty file")


def import_cow_lines(lines: Iterable[tuple[int, str]], path: str = "<string>", *, strict: bool = False) -> CowImport:
    """Import COW Diplomatic Exchange rows (a whole v2006.1 file or any part of it) as a history.

    Streams: a dyad's rows must come together, years rising, as in the data set's file (sorted by
    ccode1, ccode2, year); only the current dyad's state is held, plus the set of finished dyads (one entry
    per dyad, not per row) to check the order. The events made are kept (they are the result).

    Each dyad's first row brings it from nothing to its levels, with events dated from the dyad's entry
    into the state system to that year; each later row that differs brings it from the previous row's
    state, with events dated to the years after the previous observation up to this one (`span_date`).
    Relations are established while the rows say there is an exchange (DE 1, or a level of 1-3) and
    severed when a later row says there is none for a level of 9 (for 0, 0 they are left as they were).

    Rows that contradict themselves, repeat a dyad-year or name a code outside the COW state list are set
    aside and reported with their line (or, with `strict`, the first is raised).

    Raises:
        ImportFormatError: a malformed file, rows out of order, or (strict) a row set aside.
    """
    report = ImportReport(path)
    actors = cow_actors()
    finished: set[tuple[int, int]] = set()
    used: dict[int, Actor] = {}
    versions: dict[str, None] = {}
    events: list[Event] = []
    dyad: _Dyad | None = None

    def set_aside(line: int, message: str, field: str | None, found: object) -> None:
        if strict:
            raise ImportFormatError(path, line, field, message, found)
        report.problems.append(f"line {line}: {message} (found {found!r}); row set aside")
        report.count("rows set aside")

    for line, row in iter_cow_rows(lines, path):
        report.rows += 1
        versions.setdefault(row.version)
        key = (row.ccode1, row.ccode2)
        if dyad is None or (dyad.code1, dyad.code2) != key:
            if key in finished or (row.ccode2, row.ccode1) in finished:
                raise ImportFormatError(
                    path, line, "ccode1", "the rows of a dyad together (a file sorted by ccode1, ccode2, year)", key
                )
            if dyad is not None:
                finished.add((dyad.code1, dyad.code2))
            dyad = None
            unknown = [code for code in key if code not in actors]
            if unknown or row.ccode1 == row.ccode2:
                field = "ccode1" if row.ccode1 not in actors else "ccode2"
                what = "a state code of the COW state system list" if unknown else "two different states"
                set_aside(line, what, field, unknown[0] if unknown else row.ccode2)
                finished.add(key)  # its other rows are set aside too, each reported
                dyad = _Unknown(key)  # type: ignore[assignment]
                continue
            dyad = _Dyad(row.ccode1, row.ccode2, actors[row.ccode1], actors[row.ccode2], path)
            used[row.ccode1], used[row.ccode2] = actors[row.ccode1], actors[row.ccode2]
        if isinstance(dyad, _Unknown):
            set_aside(line, "a state code of the COW state system list", "ccode1", key)
            continue
        if dyad.last_year is not None and row.year <= dyad.last_year:
            if row.year == dyad.last_year:
                set_aside(
                    line, f"one row per dyad-year (line {dyad.last_line} has {key} in {row.year})", "year", row.year
                )
                continue
            raise ImportFormatError(
                path, line, "year", f"years rising within a dyad (after {dyad.last_year})", row.year
            )
        problem = contradiction(row)
        if problem is not None:
            set_aside(line, f"a row consistent with itself: {problem}", "DE", row.de)
            continue
        events.extend(dyad.advance(row, line))
    declared = tuple(used[code] for code in sorted(used))
    table = builtin_actors().with_actors(declared)
    log = Log.of(events, table)
    report.events = len(log)
    description = (
        f"Imported from {Path(path).name} ({COW_CITATION}); actors from the {STATES_CITATION}. "
        "Events between observed years are dated to the span between them."
    )
    scenario = Scenario(
        name=Path(path).stem if path != "<string>" else "cow",
        log=log,
        title="Correlates of War Diplomatic Exchange",
        description=description,
        path=None,
        declared_actors=declared,
    )
    return CowImport(scenario, report, tuple(versions))


class _Unknown(tuple):
    """A dyad whose rows are all set aside (an unknown code); its key stands where a `_Dyad` would."""

    @property
    def code1(self) -> int:
        return self[0]

    @property
    def code2(self) -> int:
        return self[1]


def import_cow(path: str | Path, *, strict: bool = False) -> CowImport:
    """Import a COW Diplomatic Exchange CSV file (see `import_cow_lines`), reading it line by line."""
    with open_text(path) as stream:
        return import_cow_lines(bounded_lines(stream, str(path)), str(path), strict=strict)


def import_cow_text(text: str, *, strict: bool = False) -> CowImport:
    """Import COW CSV text held in memory (see `import_cow_lines`)."""
    numbered = enumerate(text.splitlines(), start=1)
    return import_cow_lines(numbered, "<string>", strict=strict)


def export_cow_rows(
    history: History,
    keys: Iterable[tuple[int, int, int]] | None = None,
    *,
    years: Iterable[int] | None = None,
    version: str = EXPORT_VERSION,
) -> Iterator[CowRow]:
    """COW rows of a history: levels as they stood on 31 December, DE from the levels and relations.

    Args:
        history: any history whose actors have COW codes (a scenario, a store, an import).
        keys: the (ccode1, ccode2, year) to export, in order (for instance the keys of a file, to give
            it back row for row); by default every pair of the history's actors with COW codes, lower code
            first, in every year of `years` in which both were in the COW state system.
        years: the years when `keys` is not given; by default the data set's own (`COW_YEARS`).
        version: the `version` column (the imported file's, to give it back).

    Raises:
        CowFormatError: a code no actor of the history has.
    """
    by_cow = {actor.cow: actor.code for actor in history.log.actors.values() if actor.cow is not None}
    if keys is None:
        keys = _default_keys(sorted(by_cow), tuple(COW_YEARS if years is None else years))
    for code1, code2, year in keys:
        side1, side2 = by_cow.get(code1), by_cow.get(code2)
        if side1 is None or side2 is None:
            missing = code1 if side1 is None else code2
            raise CowFormatError(None, "ccode", "a COW code one of the history's actors has", missing)
        state = history.state_at(side1, side2, f"{year:04d}-12-31").state
        level_1 = COW_LEVEL[state.side(side2, side1).level]
        level_2 = COW_LEVEL[state.side(side1, side2).level]
        yield CowRow(code1, code2, year, level_1, level_2, row_de(level_1, level_2, state.relations), version)


def _default_keys(codes: list[int], years: tuple[int, ...]) -> Iterator[tuple[int, int, int]]:
    states = cow_states()
    for code1, code2 in itertools.combinations(codes, 2):
        first, second = states.get(code1), states.get(code2)
        for year in years:
            if first is None or second is None or (first.member_in(year) and second.member_in(year)):
                yield code1, code2, year
