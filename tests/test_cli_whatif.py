"""Tests of `legation whatif`: text and JSON output, options, and one-line errors with exit status 2."""

from __future__ import annotations

import json
import textwrap

import pytest
from whatif_logs import envoy_log

from engine.cli import main
from engine.cli._whatif_render import WHATIF_KEYS
from events import Scenario, write_scenario


@pytest.fixture
def folder(tmp_path):
    """A folder with a hand-made base history and a counterfactual naming it by relative path."""
    write_scenario(Scenario(name="hand", log=envoy_log(), pair=("BOL", "USA")), tmp_path / "history.toml")
    (tmp_path / "no_expulsion.toml").write_text(
        textwrap.dedent(
            """\
            # What if the ambassador had not been expelled?
            schema_version = 1

            [counterfactual]
            base = "history.toml"
            question = "What if the ambassador had not been expelled?"

            [[edits]]
            op = "remove"
            id = "ambassador-expelled"
            rationale = "No expulsion."
            """
        ),
        encoding="utf-8",
    )
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


class TestWhatif:
    def test_text_names_question_cascade_divergence_and_timeline(self, folder, capsys):
        """The text output asks the question, lists what was dropped and when the histories part."""
        status, out, _ = run(capsys, "whatif", str(folder / "no_expulsion.toml"))
        assert status == 0
        assert out.startswith("Question: What if the ambassador had not been expelled?")
        assert "Dropped by cascade:" in out and "dea-expelled (2008-11)" in out
        assert "First divergence: 2008-09-10: ambassador-expelled" in out
        assert "representation USA->BOL" in out and "ambassador (PG)" in out

    def test_json_has_the_documented_keys(self, folder, capsys):
        """--format json prints one object with the documented keys, in order."""
        status, out, _ = run(capsys, "whatif", str(folder / "no_expulsion.toml"), "--format", "json", "--at", "2008-10")
        data = json.loads(out)
        assert status == 0 and tuple(data) == WHATIF_KEYS
        assert data["diverges"]["date"] == "2008-09-10"
        assert data["at"] == {
            "date": "2008-10-31",
            "end_of_histories": False,
            "differences": data["at"]["differences"],
        }
        assert {d["field"] for d in data["at"]["differences"]} >= {"representation USA->BOL"}
        assert [d["id"] for d in data["dropped"]] == ["bolivian-expelled", "dea-expelled", "dea-regret"]

    def test_cascade_option_overrides_the_file(self, folder, capsys):
        """--cascade keep keeps the effects, reported as orphaned."""
        _, out, _ = run(capsys, "whatif", str(folder / "no_expulsion.toml"), "--cascade", "keep", "--format", "json")
        data = json.loads(out)
        assert data["cascade"] == "keep" and data["dropped"] == [] and len(data["orphaned"]) == 3

    def test_ask_fails_in_one_line(self, folder, capsys):
        """--cascade ask fails with one line listing the events the removal would act on."""
        status, out, err = run(capsys, "whatif", str(folder / "no_expulsion.toml"), "--cascade", "ask")
        assert status == 2 and out == "" and len(err.strip().splitlines()) == 1
        assert "no_expulsion.toml:10: edit #1 (remove)" in err and "dea-regret" in err

    def test_strict_failure_names_the_chain_lenient_goes_on(self, folder, capsys):
        """An edit that makes a later event impossible fails strictly with its chain; --lenient reports it."""
        path = folder / "no_expulsion.toml"
        path.write_text(path.read_text().replace("ambassador-expelled", "ambassador-accredited"))
        status, _, err = run(capsys, "whatif", str(path))
        assert status == 2 and len(err.strip().splitlines()) == 1
        assert "chain: ambassador-accredited (2006-10, removed by edit #1) -> ambassador-expelled" in err
        status, out, _ = run(capsys, "whatif", str(path), "--lenient", "--format", "json")
        assert status == 0 and json.loads(out)["anomalies"][0]["event_id"] == "ambassador-expelled"

    def test_unknown_id_is_one_line_with_file_and_line(self, folder, capsys):
        """A bad edit is one line naming the file, line, edit and id; exit status 2."""
        path = folder / "no_expulsion.toml"
        path.write_text(path.read_text().replace('id = "ambassador-expelled"', 'id = "nobody"'))
        status, _, err = run(capsys, "whatif", str(path))
        assert status == 2
        assert err.strip() == (
            f"legation: error: {path}:10: edit #1 (remove), event 'nobody', field 'id': "
            "expected the id of an event in the base log, found 'nobody'"
        )

    def test_unknown_base(self, folder, capsys):
        """A base that is neither a file nor a built-in name is one line naming the base's line."""
        path = folder / "no_expulsion.toml"
        path.write_text(path.read_text().replace('base = "history.toml"', 'base = "atlantis"'))
        status, _, err = run(capsys, "whatif", str(path))
        assert status == 2 and f"{path}:5: [counterfactual] field 'base'" in err and "'atlantis'" in err

    def test_missing_file(self, capsys):
        """A missing file is one line, exit 2."""
        status, _, err = run(capsys, "whatif", "no/such/file.toml")
        assert status == 2 and "no such file" in err and len(err.strip().splitlines()) == 1

    def test_help_has_an_example(self, capsys):
        """whatif --help shows an example."""
        assert main(["whatif", "--help"]) == 0
        assert "Example: legation whatif" in capsys.readouterr().out
