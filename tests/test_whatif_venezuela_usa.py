"""The worked counterfactual whose cascade crosses from the Bolivia pair to the Venezuela pair, and its output."""

from __future__ import annotations

import datetime
import json

import pytest

import scenarios
from engine import Counterfactual, History, fold
from engine.cli import main
from engine.cli._whatif_render import WHATIF_KEYS
from events import parse_counterfactual, read_counterfactual
from events._counterfactual_file import dump_counterfactual

DAY = datetime.date
NAME = "venezuela_usa/no_bolivian_expulsion"


@pytest.fixture(scope="module")
def history():
    return History(scenarios.load("venezuela_usa").log)


@pytest.fixture(scope="module")
def what_if():
    spec, base = scenarios.load_counterfactual(NAME)
    return Counterfactual.from_spec(spec, base.log)


def test_is_shipped_with_its_question_at_the_top():
    """The scenario ships the counterfactual, and its first line is the question it asks."""
    assert [path.stem for path in scenarios.counterfactuals("venezuela_usa")] == ["no_bolivian_expulsion"]
    path = scenarios.counterfactual_path(NAME)
    spec = read_counterfactual(path)
    assert path.read_text(encoding="utf-8").splitlines()[0] == f"# {spec.question}"
    assert parse_counterfactual(dump_counterfactual(spec)).edits == spec.edits


def test_strict_replay_equals_a_refold(what_if, history):
    """The replay from the last common state equals folding the whole edited log, strictly."""
    assert what_if.replay(history).final == fold(what_if.log)


def test_the_cascade_crosses_into_the_venezuela_pair(what_if, history):
    """Removing Bolivia's expulsion drops Venezuela's expulsion of Duddy and everything that followed from it."""
    result = what_if.compare(history=history)
    dropped = {effect.event_id: effect.chain for effect in result.dropped}
    assert dropped["duddy-expelled"] == ("goldberg-expelled", "duddy-expelled")
    assert dropped["duddy-returns"] == (
        "goldberg-expelled",
        "duddy-expelled",
        "ambassadors-restoration-agreed",
        "duddy-returns",
    )
    venezuelan = {
        event
        for event in dropped
        if scenarios.load("venezuela_usa").origin(event).endswith("venezuela_usa/history.toml")
    }
    assert venezuelan == {
        "duddy-expelled",
        "alvarez-recalled",
        "venezuela-hostile-2008",
        "usa-expels-alvarez-2008",
        "ambassadors-restoration-agreed",
        "alvarez-returns",
        "duddy-returns",
    }
    assert {"guzman-expelled", "creamer-accredited"} <= set(dropped)
    assert (result.diverges, result.diverges_with) == (DAY(2008, 9, 10), ("goldberg-expelled",))


def test_what_the_histories_do_not_attribute_to_it_stays(what_if, history):
    """The 2010 dispute over Palmer and the 2019 break stay: nothing about USA–VEN differs at the end of 2010."""
    result = what_if.compare(at="2010-12-31", history=history)
    assert [d.field for d in result.state if d.subject == "USA-VEN"] == [
        "persona_non_grata USA->VEN",
        "persona_non_grata VEN->USA",
    ]


def test_text_output_for_the_venezuela_pair(capsys):
    """`legation whatif ... --at 2009-01-01 --pair USA VEN` prints the ambassadors who stay, in text."""
    assert main(["whatif", NAME, "--at", "2009-01-01", "--pair", "USA", "VEN"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Question: What if Bolivia had not expelled US Ambassador Philip Goldberg in September 2008?"
    dropped = "  duddy-expelled (2008-09-11): goldberg-expelled was removed by edit #1; caused by it via "
    assert dropped + "goldberg-expelled -> duddy-expelled" in lines
    block = lines[lines.index("State difference on 2009-01-01:") + 1 :]
    assert [" ".join(line.split()) for line in block[:5]] == [
        "subject field base counterfactual",
        "USA-VEN representation USA->VEN chargé d'affaires ambassador (Patrick D. Duddy)",
        "USA-VEN persona_non_grata USA->VEN Patrick D. Duddy none",
        "USA-VEN representation VEN->USA chargé d'affaires ambassador (Bernardo Álvarez Herrera)",
        "USA-VEN persona_non_grata VEN->USA Bernardo Álvarez Herrera none",
    ]
    assert lines[-2:] == ["Alignment graph on 2009-01-01:", "  only in base: USA-VEN (-1)"]
    assert "BOL-USA" not in "\n".join(block[:5])


def test_json_output_for_the_venezuela_pair(capsys):
    """The JSON output has the documented keys and the two ambassadors kept in the counterfactual."""
    assert main(["whatif", NAME, "--at", "2009-01-01", "--pair", "USA", "VEN", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert tuple(data) == WHATIF_KEYS
    assert data["base"] == "venezuela_usa" and data["diverges"]["events"] == ["goldberg-expelled"]
    differences = {(d["field"]): (d["base"], d["counterfactual"]) for d in data["at"]["differences"]}
    assert differences == {
        "representation USA->VEN": (
            {"level": "charge", "envoy": None, "cow": 1},
            {"level": "ambassador", "envoy": "Patrick D. Duddy", "cow": 3},
        ),
        "persona_non_grata USA->VEN": (["Patrick D. Duddy"], []),
        "representation VEN->USA": (
            {"level": "charge", "envoy": None, "cow": 1},
            {"level": "ambassador", "envoy": "Bernardo Álvarez Herrera", "cow": 3},
        ),
        "persona_non_grata VEN->USA": (["Bernardo Álvarez Herrera"], []),
    }
    first = data["timeline"][0]
    assert (first["subject"], first["appears"], first["appears_with"]) == ("USA-VEN", "2008-09-11", ["duddy-expelled"])
    assert data["alignment"]["only_base"] == [["USA", "VEN", -1]]


def test_without_the_pair_both_pairs_differ(capsys):
    """Without --pair the same comparison shows the Bolivia pair's differences and the Venezuela pair's."""
    assert main(["whatif", NAME, "--at", "2009-01-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {d["subject"] for d in data["at"]["differences"]} == {"BOL-USA", "USA-VEN"}
