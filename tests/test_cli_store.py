"""The store from the command line: init, import, record, log, verify, export, and --store in place of --scenario."""

from __future__ import annotations

import json

import pytest

import scenarios
from engine.cli import main
from events import dump_scenario, read_scenario

HEAD = len(scenarios.load("bolivia_usa").log) + 1
"""Where the stream ends after importing the built-in history: its header, then one record an event."""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture
def store(tmp_path, capsys):
    """A store file holding the built-in history, imported from the command line."""
    path = str(tmp_path / "history.db")
    assert run(capsys, "store", "init", path)[0] == 0
    status, out, _ = run(capsys, "store", "import", "bolivia_usa", "--store", path)
    assert status == 0 and f"{HEAD} records written" in out
    return path


class TestReaders:
    @pytest.mark.parametrize(
        "argv",
        [
            ["at", "2008-10-01"],
            ["timeline", "--from", "2006", "--to", "2009"],
            ["diff", "2008-01-01", "2009-12-31"],
            ["when", "relations established"],
            ["export", "--format", "cow", "--pair", "USA", "BOL", "--from", "1900", "--to", "2005"],
            ["graph", "--at", "2008-10-01"],
        ],
        ids=lambda argv: argv[0],
    )
    def test_a_store_answers_as_the_file_does(self, store, capsys, argv):
        """Every reader given --store answers as with --scenario (an `at` adds the record it cites)."""
        status_file, from_file, _ = run(capsys, *argv, "--scenario", "bolivia_usa")
        status_store, from_store, _ = run(capsys, *argv, "--store", store)
        assert status_file == status_store == 0
        if argv[0] == "at":
            from_store, citation = from_store.rsplit("\n\n", 1)
            from_file = from_file.rstrip("\n")
            assert citation.startswith("As recorded: ") and f"position {HEAD}" in citation
        assert from_store == from_file

    def test_as_recorded_gives_the_history_as_it_stood(self, store, capsys):
        """After a backdated event is recorded, --as-recorded at the earlier position gives the earlier answer."""
        _, before, _ = run(capsys, "at", "2008-10-01", "--store", store, "--format", "json")
        visa = ["--kind", "visa_policy", "--id", "v", "--date", "2008-09-01", "--actor", "USA", "--target", "BOL"]
        status, _, err = run(capsys, "record", "--store", store, *visa, "--source", "test", "--field", "required=true")
        assert status == 0, err
        _, now, _ = run(capsys, "at", "2008-10-01", "--store", store, "--format", "json")
        _, then, _ = run(capsys, "at", "2008-10-01", "--store", store, "--format", "json", "--as-recorded", str(HEAD))
        assert json.loads(then)["visa_required"] == json.loads(before)["visa_required"]
        assert json.loads(now)["visa_required"] != json.loads(before)["visa_required"]
        assert json.loads(then)["record"]["position"] == HEAD and json.loads(now)["record"]["position"] == HEAD + 1

    def test_as_recorded_needs_a_store(self, capsys):
        """--as-recorded without --store is one line, exit 2."""
        status, _, err = run(capsys, "at", "2008-10-01", "--as-recorded", "3")
        assert status == 2 and "--as-recorded reads from a store" in err

    def test_an_unknown_stream_is_named(self, store, capsys):
        """A stream the store does not have is named, with the ones it has."""
        status, _, err = run(capsys, "at", "2008-10-01", "--store", store, "--stream", "elsewhere")
        assert status == 2 and "no stream 'elsewhere'" in err and "main" in err


class TestWriters:
    def test_record_correct_and_retract(self, store, capsys):
        """An event recorded from options, corrected, then retracted: three records, the history follows."""
        common = ["--store", store, "--kind", "statement", "--id", "s1", "--actor", "BOL", "--target", "USA"]
        status, out, err = run(capsys, "record", *common, "--date", "2025-12-01", "--source", "a press release")
        assert status == 0 and f"position {HEAD + 1}" in out, err
        status, out, _ = run(
            capsys, "record", *common, "--date", "2025-12-02", "--source", "a press release", "--correct"
        )
        assert status == 0 and f"position {HEAD + 2}" in out
        status, out, _ = run(capsys, "log", "--store", store, "--from", str(HEAD + 1), "--format", "json")
        rows = [json.loads(line) for line in out.splitlines()]
        assert [(row["operation"], row["happened"]) for row in rows] == [
            ("event", "2025-12-01"),
            ("correct", "2025-12-02"),
        ]
        assert all(row["recorded_at"].endswith("Z") for row in rows)
        status, out, _ = run(capsys, "record", "--store", store, "--retract", "s1")
        assert status == 0 and f"position {HEAD + 3}" in out
        status, out, _ = run(capsys, "record", "--store", store, "--retract", "s1")
        assert status == 0 and "already recorded" in out

    def test_record_from_a_toml_snippet(self, store, capsys, tmp_path):
        """The fields as TOML, inline or from a file."""
        snippet = 'kind = "visit"\nid = "v1"\ndate = "2025-12-05"\nactor = "USA"\ntarget = "BOL"\nsources = ["x"]\n'
        (tmp_path / "visit.toml").write_text(snippet, encoding="utf-8")
        status, out, err = run(capsys, "record", "--store", store, "--toml", f"@{tmp_path / 'visit.toml'}")
        assert status == 0 and f"position {HEAD + 1}" in out, err
        status, out, _ = run(capsys, "record", "--store", store, "--toml", snippet)
        assert status == 0 and "already recorded" in out

    def test_an_impossible_event_is_refused_unless_kept_as_an_anomaly(self, store, capsys):
        """The reducer's rule in one line; --anomaly keeps it, and `log` marks it."""
        argv = ["record", "--store", store, "--kind", "relations_established", "--id", "again"]
        argv += ["--date", "2025-12-09", "--actor", "BOL", "--target", "USA", "--source", "x"]
        status, _, err = run(capsys, *argv)
        assert status == 2 and "already established" in err and "--anomaly" in err
        status, _, _ = run(capsys, *argv, "--anomaly")
        assert status == 0
        _, out, _ = run(capsys, "log", "--store", store, "--from", str(HEAD + 1))
        assert "(anomaly)" in out

    def test_verify_passes_and_prints_the_head(self, store, capsys):
        """A sound store verifies, exit 0, with the head hash to publish."""
        status, out, _ = run(capsys, "verify", "--store", store)
        assert status == 0 and out.startswith("ok") and f"{HEAD} records" in out


class TestImportExport:
    def test_toml_export_is_the_file_written_again(self, store, capsys, tmp_path):
        """Exporting the imported history as TOML gives what writing the scenario gives (lossless)."""
        out = tmp_path / "out.toml"
        status, _, err = run(capsys, "store", "export", "--store", store, "--format", "toml", "-o", str(out))
        assert status == 0, err
        scenario = scenarios.load("bolivia_usa")
        assert out.read_text(encoding="utf-8") == dump_scenario(scenario)
        assert read_scenario(out).log == scenario.log

    def test_jsonl_round_trip_through_a_second_store(self, store, capsys, tmp_path):
        """Export as JSON Lines, import into another store, export as TOML: the same history."""
        jsonl, second = tmp_path / "out.jsonl", str(tmp_path / "second.db")
        assert run(capsys, "store", "export", "--store", store, "--format", "jsonl", "-o", str(jsonl))[0] == 0
        assert run(capsys, "store", "init", second)[0] == 0
        status, _, err = run(capsys, "store", "import", str(jsonl), "--store", second, "--stream", "copy")
        assert status == 0, err
        _, first_toml, _ = run(capsys, "store", "export", "--store", store)
        _, second_toml, _ = run(capsys, "store", "export", "--store", second, "--stream", "copy")
        assert first_toml == second_toml

    def test_export_as_recorded(self, store, capsys):
        """An export can be of the record as it stood at an earlier position."""
        _, out, _ = run(capsys, "store", "export", "--store", store, "--format", "jsonl", "--as-recorded", "11")
        assert len(out.splitlines()) == 11  # the header line and the first ten events
