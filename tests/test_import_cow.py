"""COW Diplomatic Exchange import and export: every row round-trips; bad rows are reported with their lines."""

from __future__ import annotations

import csv
import io
import os
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import History
from engine.importers._common import ImportFormatError, write_atomically, write_atomically_with
from engine.importers.cow import COW_YEARS, cow_actors, export_cow_rows, import_cow, import_cow_text, span_date
from events import ImpreciseDate
from scenarios import data_path

SAMPLE = data_path("cow_diplomatic_exchange_sample.csv")
HEADER = '"ccode1","ccode2","year","DR_at_1","DR_at_2","DE","version"'


def file_rows(text: str) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(text)) if row][1:]


def exported(result, rows: list[list[str]]) -> list[list[str]]:
    history = History(result.scenario.log)
    keys = [(int(row[0]), int(row[1]), int(row[2])) for row in rows]
    return [
        [str(value) for value in (r.ccode1, r.ccode2, r.year, r.dr_at_1, r.dr_at_2, r.de, r.version)]
        for r in export_cow_rows(history, keys, version=result.versions[0])
    ]


def test_every_row_of_the_shipped_sample_round_trips():
    result = import_cow(SAMPLE)
    rows = file_rows(SAMPLE.read_text(encoding="utf-8"))
    assert result.report.problems == []
    assert exported(result, rows) == rows


def test_the_sample_names_states_with_their_cow_dates_of_existence():
    actors = import_cow(SAMPLE).scenario.log.actors
    assert actors["CAN"].start == ImpreciseDate.parse("1920-01-10")  # COW: Canada enters the system then
    assert actors["USA"].start is None  # in the system from COW's first day: left open
    assert {actor.code for actor in cow_actors().values()} >= {"USA", "BOL", "XBAV", "XGDR"}


def test_a_change_between_observed_years_is_dated_to_the_span_not_a_made_up_day():
    text = f"{HEADER}\n2,145,1900,2,2,1,v\n2,145,1905,3,3,1,v\n"
    log = import_cow_text(text).scenario.log
    later = [event for event in log if event.id.startswith("cow-2-145-1905")]
    assert later and all(event.date.earliest.year >= 1901 and event.date.latest.year == 1905 for event in later)
    for event in log:  # a year, or a span of years: never a day the data does not give
        ends = (event.date.start, event.date.end) if hasattr(event.date, "start") else (event.date,)
        assert all(getattr(end, "day", None) is None for end in ends)
    assert span_date(1901, 1905)[0] in ("1901/1905", "1905?")


def test_contradictions_duplicates_and_unknown_codes_are_reported_with_their_lines():
    text = "\n".join(
        [
            HEADER,
            "2,145,1900,2,2,1,v",
            "2,145,1900,3,3,1,v",  # line 3: the same dyad-year again
            "2,145,1905,3,3,0,v",  # line 4: DE 0 with ambassadors
            "2,146,1905,0,0,0,v",  # line 5: 146 is not a COW state
            "2,150,1905,0,0,1,v",  # line 6: DE 1 with no one
        ]
    )
    result = import_cow_text(text)
    problems = "\n".join(result.report.problems)
    for line in ("line 3", "line 4", "line 5", "line 6"):
        assert line in problems
    assert result.report.counts["rows set aside"] == 4
    with pytest.raises(ImportFormatError, match=r"<string>:3"):
        import_cow_text(text, strict=True)


def test_rows_of_a_dyad_out_of_order_are_refused_naming_the_line():
    text = f"{HEADER}\n2,145,1900,0,0,0,v\n2,150,1900,0,0,0,v\n2,145,1905,0,0,0,v\n"
    with pytest.raises(ImportFormatError, match=r"<string>:4: field 'ccode1': expected the rows of a dyad together"):
        import_cow_text(text)
    with pytest.raises(ImportFormatError, match=r"<string>:3: field 'year': expected years rising"):
        import_cow_text(f"{HEADER}\n2,145,1905,0,0,0,v\n2,145,1900,0,0,0,v\n")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "expected the header"),
        (b'"ccode1","ccode2","year"\n2,145,1900\n', ":1: expected the header"),
        (HEADER.encode() + b"\n2,145,1900,0,0\n", ":2: expected 7 fields, found 5"),
        (HEADER.encode() + b"\n2,145,19x0,0,0,0,v\n", ":2: field 'year': expected a whole number"),
        (HEADER.encode() + b"\n2,145,1900,4,0,0,v\n", ":2: field 'DR_at_1': expected one of 0, 1, 2, 3, 9"),
        (HEADER.encode() + b"\n2,145,1900,0,0,0,v\xe9\xff\n", ":2: expected UTF-8 text"),
    ],
)
def test_malformed_files_are_one_clear_error_naming_the_line(tmp_path, content, message):
    path = tmp_path / "cow.csv"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError) as caught:
        import_cow(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_a_very_long_line_is_refused_without_reading_it_whole(tmp_path):
    path = tmp_path / "long.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n2,145,1900,0,0,0," + "v" * (3 << 20) + "\n")
    with pytest.raises(ImportFormatError, match=r"long.csv:2: expected a line of at most"):
        import_cow(path)


def test_writes_land_whole_or_not_at_all_and_keep_permissions(tmp_path):
    target = tmp_path / "out.toml"
    target.write_text("old", encoding="utf-8")
    os.chmod(target, 0o640)
    write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640

    def half_then_fail(temporary: str) -> None:
        with open(temporary, "w", encoding="utf-8") as out:
            out.write("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically_with(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.toml"]


# Generated valid COW files: a few states in the system from 1816, rows in the data set's own years.
STATES = (2, 200, 220, 230, 365)
LEVEL_ROWS = [(l1, l2, de) for l1 in (0, 1, 2, 3, 9) for l2 in (0, 1, 2, 3, 9) for de in (0, 1)]
VALID = [
    (l1, l2, de)
    for l1, l2, de in LEVEL_ROWS
    if ((l1 in (1, 2, 3) or l2 in (1, 2, 3)) and de == 1)
    or ((l1, l2) == (0, 0) and de == 0)
    or ({l1, l2} <= {0, 9} and (l1, l2) != (0, 0))
]


@st.composite
def cow_files(draw) -> str:
    dyads = draw(
        st.lists(
            st.tuples(st.sampled_from(STATES), st.sampled_from(STATES)).filter(lambda d: d[0] < d[1]),
            min_size=1,
            max_size=3,
            unique=True,
        )
    )
    lines = [HEADER]
    for code1, code2 in sorted(dyads):
        years = draw(st.lists(st.sampled_from(COW_YEARS), min_size=1, max_size=8, unique=True))
        for year in sorted(years):
            l1, l2, de = draw(st.sampled_from(VALID))
            lines.append(f"{code1},{code2},{year},{l1},{l2},{de},2006.0999755859375")
    return "\n".join(lines) + "\n"


@settings(max_examples=40, deadline=None)
@given(cow_files())
def test_import_then_export_gives_any_valid_file_back_row_for_row(text):
    result = import_cow_text(text)
    rows = file_rows(text)
    assert result.report.problems == []
    assert exported(result, rows) == rows


def test_the_existing_cow_export_writes_de_as_cow_does_for_interests_sections():
    """`export --format cow` (history_cow_rows) and the importer share one DE rule: 9, 9 is DE 0 without relations."""
    from engine import history_cow_rows

    result = import_cow(SAMPLE)
    rows = [row for row in file_rows(SAMPLE.read_text(encoding="utf-8")) if row[1] == "40"]
    years = [int(row[2]) for row in rows]
    history = History(result.scenario.log)
    exported = history_cow_rows(history, "USA", "CUB", years, version=result.versions[0])
    assert [
        [str(v) for v in (r.ccode1, r.ccode2, r.year, r.dr_at_1, r.dr_at_2, r.de, r.version)] for r in exported
    ] == rows
    assert any(row[3:6] == ["9", "9", "0"] for row in rows) and any(row[3:6] == ["9", "9", "1"] for row in rows)
