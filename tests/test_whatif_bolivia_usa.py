"""Tests of the worked Bolivia–United States counterfactuals in scenarios/bolivia_usa/whatif/: their outputs."""

from __future__ import annotations

import datetime
import json

import pytest

import scenarios
from engine import Comparison, Counterfactual, History, fold
from engine.cli import main
from engine.cli._whatif_render import WHATIF_KEYS
from events import parse_counterfactual, read_counterfactual
from events._counterfactual_file import dump_counterfactual

DAY = datetime.date
NAMES = ("no_goldberg_expulsion", "no_morales_presidency", "reestablishment_in_2020")


@pytest.fixture(scope="module")
def base():
    return scenarios.load("bolivia_usa")


@pytest.fixture(scope="module")
def history(base):
    return History(base.log)


def counterfactual(name: str) -> Counterfactual:
    spec, base = scenarios.load_counterfactual(f"bolivia_usa/{name}")
    return Counterfactual.from_spec(spec, base.log)


def comparison(name: str, history: History, at: str | None = None) -> Comparison:
    return counterfactual(name).compare(at=at, history=history)


class TestEveryWorkedCounterfactual:
    def test_the_three_are_shipped(self):
        """The scenario ships the three worked counterfactuals the issue asks for."""
        assert [path.stem for path in scenarios.counterfactuals("bolivia_usa")] == sorted(NAMES)

    @pytest.mark.parametrize("name", NAMES)
    def test_question_at_the_top(self, name):
        """Each file starts with its question, and asks the same one in [counterfactual]."""
        path = scenarios.counterfactual_path(f"bolivia_usa/{name}")
        first = path.read_text(encoding="utf-8").splitlines()[0]
        spec = read_counterfactual(path)
        assert first == f"# {spec.question}" and spec.question.startswith("What if")

    @pytest.mark.parametrize("name", NAMES)
    def test_round_trip_and_strict_replay(self, name, history):
        """Each file round-trips, replays strictly, and its replay equals a full refold of the edited log."""
        spec = read_counterfactual(scenarios.counterfactual_path(f"bolivia_usa/{name}"))
        assert parse_counterfactual(dump_counterfactual(spec)).edits == spec.edits
        what_if = counterfactual(name)
        assert what_if.replay(history).final == fold(what_if.log)


class TestNoGoldbergExpulsion:
    def test_dropped_and_divergence(self, history):
        """Removing the expulsion drops its effects, the later US chargés among them; they part on 2008-09-10."""
        result = comparison("no_goldberg_expulsion", history)
        # The US chargés d'affaires after 2008 (Office of the Historian) are recorded as effects of the expulsion.
        assert {e.event_id for e in result.dropped} == {
            "guzman-expelled",
            "bolivia-turns-hostile-to-usa",
            "creamer-accredited",
            "memmott-accredited",
            "brennan-accredited",
            "williamson-accredited",
            "phillips-accredited",
        }
        assert all(e.chain[0] == "goldberg-expelled" for e in result.dropped)
        assert (result.diverges, result.diverges_with) == (DAY(2008, 9, 10), ("goldberg-expelled",))

    def test_ambassadors_stay(self, history):
        """In mid-2010 both ambassadors are still in post instead of chargés d'affaires, and none is PNG."""
        result = comparison("no_goldberg_expulsion", history, at="2010-06-01")
        state = {d.field: (d.base, d.counterfactual) for d in result.state}
        # The base names the chargé d'affaires ad interim, John S. Creamer (Office of the Historian).
        assert state["representation USA->BOL"] == (("charge", "John S. Creamer"), ("ambassador", "Philip S. Goldberg"))
        assert state["representation BOL->USA"] == (("charge", None), ("ambassador", "Gustavo Guzmán"))
        assert state["persona_non_grata USA->BOL"] == (("Philip S. Goldberg",), ())
        assert set(state) == {
            "representation USA->BOL",
            "representation BOL->USA",
            "persona_non_grata USA->BOL",
            "persona_non_grata BOL->USA",
        }

    def test_timeline(self, history):
        """Four differences open on the 10th and 11th of September 2008; the US one changes with each base chargé."""
        result = comparison("no_goldberg_expulsion", history)
        opened = [(d.appears, d.field, d.appears_with, d.disappears) for d in result.timeline]
        us = "representation USA->BOL"
        assert opened == [
            (DAY(2008, 9, 10), "persona_non_grata USA->BOL", ("goldberg-expelled",), None),
            (DAY(2008, 9, 10), us, ("goldberg-expelled",), DAY(2009, 8, 1)),
            (DAY(2008, 9, 11), "persona_non_grata BOL->USA", ("guzman-expelled",), None),
            (DAY(2008, 9, 11), "representation BOL->USA", ("guzman-expelled",), None),
            (DAY(2009, 8, 1), us, ("creamer-accredited",), DAY(2012, 7, 1)),
            (DAY(2012, 7, 1), us, ("memmott-accredited",), DAY(2014, 6, 8)),
            (DAY(2014, 6, 8), us, ("brennan-accredited",), DAY(2017, 12, 20)),
            (DAY(2017, 12, 20), us, ("williamson-accredited",), DAY(2020, 8, 26)),
            (DAY(2020, 8, 26), us, ("phillips-accredited",), None),
        ]

    def test_before_the_expulsion_nothing_differs(self, history):
        """On 2008-09-09 the two histories agree."""
        assert comparison("no_goldberg_expulsion", history, at="2008-09-09").state == ()


class TestNoMoralesPresidency:
    def test_dropped_are_his_presidency_and_its_alignments(self, history):
        """Removing the election drops his taking office and the four alignments it caused."""
        result = comparison("no_morales_presidency", history)
        assert [e.event_id for e in result.dropped] == [
            "morales-takes-office",
            "bolivia-aligns-with-venezuela",
            "bolivia-aligns-with-cuba",
            "bolivia-aligns-with-russia",
            "bolivia-aligns-with-china",
        ]
        assert result.dropped[1].chain == ("morales-elected", "morales-takes-office", "bolivia-aligns-with-venezuela")

    def test_leader_differs_until_anez(self, history):
        """Bolivia's leader differs from 2006 until Áñez takes power, and nothing differs at the end."""
        result = comparison("no_morales_presidency", history)
        [leader] = result.timeline
        assert (leader.subject, leader.field, leader.base) == ("BOL", "leader", "Evo Morales")
        assert (leader.appears, leader.disappears) == (DAY(2006, 1, 1), DAY(2019, 11, 12))
        assert leader.disappears_with == ("anez-takes-power",)
        assert str(result.diverges_as) == "2006" and result.state == ()

    def test_alignment_graph_loses_the_four_alignments(self, history):
        """In 2010 only the base graph has Bolivia aligned with Venezuela, Cuba, Russia and China."""
        pytest.importorskip("engine.analysis.alignment")  # the alignment index lands from its own branch
        alignment = comparison("no_morales_presidency", history, at="2010").alignment
        assert {(a, b) for a, b, _ in alignment.only_base} >= {("BOL", c) for c in ("CHN", "CUB", "RUS", "VEN")}
        assert alignment.only_counterfactual == ()

    def test_state_in_2010(self, history):
        """In 2010 the only state difference in the relationship's actors is who leads Bolivia."""
        result = comparison("no_morales_presidency", history, at="2010-06-01")
        assert [(d.subject, d.field, d.base) for d in result.state] == [("BOL", "leader", "Evo Morales")]


class TestReestablishmentIn2020:
    def test_agreement_moves_and_rapprochement_is_orphaned(self, history):
        """The agreement is dated January 2020; the 2025 rapprochement it caused is kept and reported."""
        what_if = counterfactual("reestablishment_in_2020")
        moved = what_if.log.get("ambassador-level-reestablishment-agreed")
        assert str(moved.date) == "2020-01" and moved.caused_by == (
            "anez-improves-relations",
            "temporary-ambassador-named",
        )
        result = what_if.compare(history=history)
        assert [(e.event_id, e.action) for e in result.orphaned] == [("rapprochement", "kept")]
        assert result.dropped == ()

    def test_agreed_level_differs_from_2020_to_2025(self, history):
        """The agreed rank differs from January 2020 until the base reaches it in November 2025."""
        result = comparison("reestablishment_in_2020", history)
        [agreed] = result.timeline
        assert (agreed.field, agreed.base, agreed.counterfactual) == ("agreed_level", None, "ambassador")
        assert (agreed.appears, agreed.disappears) == (DAY(2020, 1, 1), DAY(2025, 11, 1))
        assert result.diverges == DAY(2020, 1, 1) and result.state == ()

    def test_state_in_2022(self, history):
        """In 2022 the counterfactual has an agreement to exchange ambassadors; the base has none."""
        result = comparison("reestablishment_in_2020", history, at="2022")
        assert [(d.field, d.base, d.counterfactual) for d in result.state] == [("agreed_level", None, "ambassador")]


class TestCommand:
    def test_json_of_a_built_in_counterfactual(self, capsys):
        """legation whatif with a built-in name prints the documented JSON."""
        assert main(["whatif", "bolivia_usa/no_goldberg_expulsion", "--at", "2010-06-01", "--format", "json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert tuple(data) == WHATIF_KEYS
        assert data["base"] == "bolivia_usa" and data["diverges"]["events"] == ["goldberg-expelled"]
        assert [d["id"] for d in data["dropped"]][:2] == ["bolivia-turns-hostile-to-usa", "guzman-expelled"]

    def test_text_of_a_built_in_counterfactual(self, capsys):
        """The text output leads with the file's question."""
        assert main(["whatif", "bolivia_usa/reestablishment_in_2020"]) == 0
        out = capsys.readouterr().out
        question = "What if the 2025 agreement to restore ambassador-level relations had been reached in 2020 instead?"
        assert out.splitlines()[0] == f"Question: {question}"
        assert "rapprochement (2025-11)" in out


class TestImpossibleOnTheRealHistory:
    # Guzmán's: Goldberg's predecessor Greenlee left post on 10 May 2006 (Office of the Historian), so without
    # Goldberg's accreditation an unnamed chargé heads the US mission and his expulsion breaks no rule; the
    # Bolivian mission, by contrast, is still under the named Guachalla.
    def test_removing_guzmans_accreditation_makes_his_expulsion_impossible(self, base, history):
        """Strict: without his accreditation, expelling Guzmán is impossible; the chain names both events."""
        from engine import ImpossibleEventError

        with pytest.raises(ImpossibleEventError) as caught:
            Counterfactual(base.log).remove("guzman-accredited", "never accredited").replay(history)
        error = caught.value
        assert error.event_id == "guzman-expelled"
        assert [link.event_id for link in error.chain] == ["guzman-accredited", "guzman-expelled"]
        assert "Luis Fernando Guachalla, not Gustavo Guzmán" in error.rule

    def test_lenient_records_it_and_goes_on(self, base):
        """Lenient: the impossible expulsion is an anomaly and the comparison still runs to the end."""
        result = Counterfactual(base.log).remove("guzman-accredited", "never accredited").compare(strict=False)
        assert [a.event_id for a in result.anomalies] == ["guzman-expelled"]
        assert result.diverges == DAY(2006, 1, 1)


def test_whatif_differences_have_the_shape_of_at(capsys):
    """Each of `whatif`'s differences on a date gives the base's value exactly as `legation at --format json`
    gives that field on that date (representation as level, envoy and COW code; posts as kind and city)."""
    assert main(["whatif", "bolivia_usa/no_goldberg_expulsion", "--at", "2010-06-01", "--format", "json"]) == 0
    differences = json.loads(capsys.readouterr().out)["at"]["differences"]
    assert main(["at", "2010-06-01", "--format", "json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert differences
    for difference in differences:
        field, _, direction = difference["field"].partition(" ")
        expected = answer[field][direction] if direction else answer[field]
        assert difference["base"] == expected, difference
