import json

import pytest

import scenarios
from engine import History, history_cow_rows, parse_cow_csv
from engine.cli import main
from events import parse_scenario


def run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


class TestExport:
    def test_toml_round_trips(self, capsys):
        """The exported scenario file reads back into the same log."""
        status, out, _ = run(capsys, "export", "--format", "toml")
        assert status == 0
        assert parse_scenario(out).log == scenarios.load().log

    def test_json_lists_every_event(self, capsys):
        """The JSON export holds the scenario's name, pair and every event with its kind."""
        status, out, _ = run(capsys, "export", "--format", "json")
        document = json.loads(out)
        assert status == 0 and document["scenario"]["pair"] == ["BOL", "USA"]
        assert len(document["events"]) == len(scenarios.load().log)
        assert all("kind" in event for event in document["events"])

    def test_cow_rows(self, capsys):
        """COW rows are one a year with the history's levels, the first actor as ccode1."""
        status, out, _ = run(
            capsys, "export", "--format", "cow", "--pair", "USA", "BOL", "--from", "2007", "--to", "2009"
        )
        rows = parse_cow_csv(out)
        assert status == 0 and [(r.ccode1, r.ccode2, r.year) for r in rows] == [(2, 145, y) for y in (2007, 2008, 2009)]
        assert rows == history_cow_rows(History(scenarios.load().log), "USA", "BOL", range(2007, 2010))
        assert (rows[0].dr_at_2, rows[1].dr_at_2) == (3, 1)  # an ambassador in La Paz, then a chargé after Goldberg

    def test_writes_a_file(self, capsys, tmp_path):
        """-o writes the whole text to the file."""
        out = tmp_path / "copy.toml"
        assert run(capsys, "export", "-o", str(out))[0] == 0
        assert parse_scenario(out.read_text(encoding="utf-8")).log == scenarios.load().log

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (["--format", "cow", "--pair", "USA", "XPB"], "has no Correlates of War code"),
            (["--format", "cow", "--from", "2010", "--to", "2000"], "is before --from"),
            (["--format", "csv"], "--panel goes with --format csv or parquet"),
            (["--format", "xml"], "invalid choice"),
            (["-o", "/nonexistent/folder/x.toml"], "cannot write"),
        ],
    )
    def test_errors(self, capsys, argv, message):
        """Bad export options give one line on stderr and exit status 2."""
        status, _, err = run(capsys, "export", *argv)
        assert status == 2 and message in err and err.count("\n") == 1
