"""The Correlates of War module: parsing rows, exporting a history, comparing the two, and the real cross-check."""

from __future__ import annotations

import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scenarios
from engine import (
    COW_CODES,
    CowDisagreement,
    CowFormatError,
    CowRow,
    History,
    compare_with_cow,
    cow_row_from_record,
    format_cow_csv,
    history_cow_rows,
    levels_during_year,
    parse_cow_csv,
    years_covered,
)
from events import EnvoyAccredited, RelationsEstablished, scenario_of

HEADER = '"ccode1","ccode2","year","DR_at_1","DR_at_2","DE","version"\n'
SAMPLE = "cow_diplomatic_exchange_sample.csv"


@pytest.fixture(scope="module")
def sample_rows():
    return parse_cow_csv(scenarios.data_path(SAMPLE).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def history():
    return History(scenarios.load("bolivia_usa").log)


def small_history(*events):
    return History(scenario_of(events).log)


class TestParse:
    def test_reads_the_real_sample(self, sample_rows):
        """The shipped sample parses into its 145 rows, with Bolivia's first row as in the data set."""
        assert len(sample_rows) == 145
        first = next(r for r in sample_rows if r.ccode2 == 145)
        assert first == CowRow(2, 145, 1849, 0, 1, 1, "2006.0999755859375")

    def test_unquoted_header_and_blank_lines(self):
        """An unquoted header and blank lines are accepted."""
        text = "ccode1,ccode2,year,DR_at_1,DR_at_2,DE,version\n\n2,145,1970,3,3,1,2006.1\n\n"
        assert parse_cow_csv(text) == [CowRow(2, 145, 1970, 3, 3, 1, "2006.1")]

    def test_wrong_header(self):
        """A header in another order is refused, naming the expected header."""
        with pytest.raises(CowFormatError, match="line 1") as caught:
            parse_cow_csv('"ccode2","ccode1","year","DR_at_1","DR_at_2","DE","version"\n')
        assert caught.value.line == 1
        assert isinstance(caught.value, ValueError)

    def test_empty_text(self):
        """An empty text is refused: the header is missing."""
        with pytest.raises(CowFormatError, match="empty text"):
            parse_cow_csv("")

    def test_wrong_number_of_fields(self):
        """A row with a missing field is refused with its line."""
        with pytest.raises(CowFormatError, match=r"line 2.*7 fields"):
            parse_cow_csv(HEADER + "2,145,1970,3,3,1\n")

    @pytest.mark.parametrize(
        ("row", "column"),
        [
            ("2,145,1970,7,3,1,2006.1", "DR_at_1"),
            ("2,145,1970,3,4,1,2006.1", "DR_at_2"),
            ("2,145,1970,3,3,2,2006.1", "DE"),
            ("2,145,19x0,3,3,1,2006.1", "year"),
            ("two,145,1970,3,3,1,2006.1", "ccode1"),
            ("2,145,0,3,3,1,2006.1", "year"),
            ("2,145,1970,3,3,1, ", "version"),
        ],
    )
    def test_bad_values_name_line_and_column(self, row, column):
        """A value COW does not use is refused with the line and column it is in."""
        with pytest.raises(CowFormatError) as caught:
            parse_cow_csv(HEADER + row + "\n")
        assert (caught.value.line, caught.value.column) == (2, column)
        assert f"column {column}" in str(caught.value)

    def test_record_missing_a_column(self):
        """A record without a column is refused, naming it."""
        with pytest.raises(CowFormatError, match="column DE"):
            cow_row_from_record({"ccode1": "2", "ccode2": "145", "year": "1970", "DR_at_1": "3", "DR_at_2": "3"})

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(
            st.builds(
                CowRow,
                ccode1=st.integers(1, 999),
                ccode2=st.integers(1, 999),
                year=st.integers(1816, 2100),
                dr_at_1=st.sampled_from(sorted(COW_CODES)),
                dr_at_2=st.sampled_from(sorted(COW_CODES)),
                de=st.integers(0, 1),
                version=st.sampled_from(["2006.0999755859375", "legation", "2006.1"]),
            ),
            max_size=20,
        )
    )
    def test_format_then_parse_round_trips(self, rows):
        """Any rows written as COW CSV read back equal."""
        assert parse_cow_csv(format_cow_csv(rows)) == rows


class TestExport:
    def test_rows_for_bolivia_usa(self, history):
        """The export gives each year's levels on 31 December, in COW's orientation (US first)."""
        # 1849 ends with no US envoy: Appleton left Bolivia on 4 May 1849 (Office of the Historian).
        rows = history_cow_rows(history, "USA", "BOL", [1849, 1850, 1970, 2008, 2025])
        assert [(r.year, r.dr_at_1, r.dr_at_2, r.de) for r in rows] == [
            (1849, 0, 0, 0),
            (1850, 0, 1, 1),
            (1970, 3, 3, 1),
            (2008, 1, 1, 1),
            (2025, 1, 1, 1),
        ]
        assert all((r.ccode1, r.ccode2, r.version) == (2, 145, "legation") for r in rows)

    def test_no_exchange_before_relations(self, history):
        """Before any envoy the export has level 0 both ways and DE 0."""
        (row,) = history_cow_rows(history, "USA", "BOL", [1845])
        assert (row.dr_at_1, row.dr_at_2, row.de) == (0, 0, 0)

    def test_actor_without_a_cow_code(self, history):
        """Exporting a pair with an actor COW has no code for is refused."""
        with pytest.raises(CowFormatError, match="XPB"):
            history_cow_rows(history, "USA", "XPB", [1838])

    def test_levels_during_a_year_of_change(self, history):
        """1849 holds none then chargé for the US; 2008 holds ambassador then chargé; Bolivia has no envoy
        in 1870, and in 1884 none and then the minister a COW row attests (an envoy_attested event)."""
        assert levels_during_year(history, "USA", "BOL", 1849) == (0, 1)
        assert levels_during_year(history, "USA", "BOL", 2008) == (3, 1)
        assert levels_during_year(history, "BOL", "USA", 1870) == (0,)
        assert levels_during_year(history, "BOL", "USA", 1884) == (0, 2)
        assert levels_during_year(history, "BOL", "USA", 1930) == (2,)

    def test_a_year_precision_event_keeps_the_level_before_it(self, history):
        """Thornton, received at some time in 1837, leaves 1837 holding both none and chargé."""
        assert levels_during_year(history, "USA", "XPB", 1837) == (0, 1)

    def test_same_day_recall_and_accreditation(self, history):
        """A chief of mission who leaves the day his successor arrives leaves a chargé in that year's levels."""
        # Dana presented his recall and Smith his credentials on 10 March 1859 (Office of the Historian).
        assert levels_during_year(history, "USA", "BOL", 1859) == (2, 1)


class TestCompare:
    def test_agreement_and_disagreement(self):
        """A row matching the history gives nothing; a row that does not names year, direction and levels."""
        history = small_history(
            RelationsEstablished(id="rel", date="1900", actor="USA", target="BOL", sources=["s"]),
            EnvoyAccredited(id="env", date="1900", actor="USA", target="BOL", rank="minister", sources=["s"]),
        )
        rows = [CowRow(2, 145, 1900, 0, 2, 1), CowRow(2, 145, 1900, 1, 3, 1)]
        assert compare_with_cow(history, rows) == [
            CowDisagreement(1900, "BOL", "USA", 1, 0, (0,)),
            CowDisagreement(1900, "USA", "BOL", 3, 2, (0, 2)),
        ]

    def test_rows_outside_the_history_are_skipped(self):
        """Rows for years the history does not cover, or for states it does not know, are not compared."""
        history = small_history(
            RelationsEstablished(id="rel", date="1900", actor="USA", target="BOL", sources=["s"]),
        )
        rows = [CowRow(2, 145, 1890, 3, 3, 1), CowRow(2, 145, 1910, 3, 3, 1), CowRow(2, 998, 1900, 3, 3, 1)]
        assert list(years_covered(history, "BOL", "USA")) == [1900]
        assert compare_with_cow(history, rows) == []

    def test_direction_reads_as_the_cli_writes_it(self):
        """A disagreement's direction reads sender->host."""
        assert CowDisagreement(1950, "USA", "BOL", 0, 3, (3,)).direction == "USA->BOL"


def listed_disagreements() -> list[tuple[int, str, str, int, int]]:
    path = scenarios.history_path("bolivia_usa").parent / "cow_disagreements.toml"
    groups = tomllib.loads(path.read_text(encoding="utf-8"))["disagreements"]
    listed = []
    for group in groups:
        assert group["reason"].strip()
        for year in group["years"]:
            listed.append((year, group["sender"], group["host"], group["cow_level"], group["history_level"]))
    return sorted(listed)


class TestCrossCheck:
    def test_history_covers_every_observed_bolivia_year(self, history, sample_rows):
        """Every COW year observed for the pair (1849–2005) lies in the years the history covers."""
        years = {r.year for r in sample_rows if (r.ccode1, r.ccode2) == (2, 145)}
        assert len(years) == 31
        assert years <= set(years_covered(history, "USA", "BOL"))

    def test_disagreements_are_exactly_those_in_the_notes(self, history, sample_rows):
        """The history agrees with every Bolivia–US COW row except the ones listed, with reasons, in the notes."""
        found = sorted(
            (d.year, d.sender, d.host, d.cow_level, d.history_level) for d in compare_with_cow(history, sample_rows)
        )
        assert found == listed_disagreements()

    def test_notes_point_to_the_list(self):
        """NOTES.md names the machine-readable list and the day-of-year rule."""
        notes = (scenarios.history_path("bolivia_usa").parent / "NOTES.md").read_text(encoding="utf-8")
        assert "cow_disagreements.toml" in notes
        assert "Which day of the year" in notes
