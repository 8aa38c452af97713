"""Tests of engine.core._counterfactual: the builder, replay from a checkpoint, and the comparison with the base."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whatif_logs import edited_logs, envoy_log, logs, make

import events as ev
from engine import (
    Agency,
    Counterfactual,
    History,
    ImpossibleEventError,
    ReplayError,
    TransitionError,
    compare,
    differences_at,
    fold,
    replay,
)
from events import Log, read_counterfactual

DAY = datetime.date


class TestBuilder:
    def test_each_step_returns_a_new_value(self):
        """Building never changes a counterfactual: each step gives a new one."""
        empty = Counterfactual(envoy_log())
        one = empty.remove("aid", "no aid")
        two = one.move("dea-expelled", "2008-12", "later")
        assert empty.edits == () and len(one.edits) == 1 and len(two.edits) == 2
        assert "aid" in empty.log and "aid" not in one.log

    def test_every_kind_of_step(self):
        """remove, replace, insert, move and set each add their edit."""
        visit = {"kind": "visit", "id": "visit", "date": "2007", "actor": "USA", "target": "BOL", "sources": ["x"]}
        recall = make(ev.EnvoyRecalled, "recalled", "2008-09-10", "USA", "BOL")
        what_if = (
            Counterfactual(envoy_log(), cascade="keep")
            .insert(visit, "a visit")
            .replace("ambassador-expelled", recall, "a recall instead")
            .move("aid", "2011", "later aid")
            .set("ambassador-accredited", "envoy", "Someone Else", "another envoy")
            .remove("dea-regret", "no regret")
        )
        assert [edit.OP for edit in what_if.edits] == ["insert", "replace", "move", "set", "remove"]
        assert what_if.log.get("ambassador-accredited").envoy == "Someone Else"

    def test_equal_edits_make_equal_counterfactuals(self):
        """Two counterfactuals built alike are equal values."""
        assert Counterfactual(envoy_log()).remove("aid") == Counterfactual(envoy_log()).remove("aid")
        assert Counterfactual(envoy_log()).remove("aid") != Counterfactual(envoy_log()).remove("dea-regret")

    def test_with_cascade_applies_the_edits_again(self):
        """Changing the policy re-applies the edits: what was dropped is now kept."""
        dropped = Counterfactual(envoy_log()).remove("dea-expelled")
        kept = dropped.with_cascade("keep")
        assert "dea-regret" not in dropped.log and "dea-regret" in kept.log

    def test_save_and_load_give_the_same_counterfactual(self, tmp_path):
        """A saved counterfactual reads back to an equal one."""
        what_if = Counterfactual(envoy_log(), question="No DEA expulsion?", base_name="hand").remove(
            "dea-expelled", "kept the DEA"
        )
        path = tmp_path / "cf.toml"
        what_if.save(str(path))
        again = Counterfactual.from_spec(read_counterfactual(path), envoy_log())
        assert again == what_if

    def test_save_needs_a_base_name(self, tmp_path):
        """Saving without naming the base fails clearly."""
        with pytest.raises(ReplayError, match="base name"):
            Counterfactual(envoy_log()).remove("aid", "r").save(str(tmp_path / "x.toml"))


class TestReplay:
    def test_resumes_from_the_last_checkpoint_before_the_first_edit(self):
        """With checkpoints every 3 events, an edit at position 8 resumes from 6 and folds only its pair's events."""
        base = envoy_log()
        history = History(base, checkpoint_every=3)
        what_if = Counterfactual(base).remove("dea-regret")
        assert (base.position("dea-regret"), len(base)) == (8, 10)
        replayed = what_if.replay(history)
        assert (replayed.start, replayed.resumed_from, replayed.folded) == (8, 6, 3)
        assert replayed.refolded == {("BOL", "USA")}
        assert replayed.final == fold(what_if.log)

    def test_an_empty_counterfactual_replays_to_the_base(self):
        """No edits: the replay folds nothing new and ends where the base ends."""
        history = History(envoy_log())
        assert replay(Counterfactual(envoy_log()), history).final == history.final

    def test_strict_replay_reports_the_chain(self):
        """Removing the accreditation makes the expulsion impossible; the error names the chain."""
        with pytest.raises(ImpossibleEventError) as caught:
            Counterfactual(envoy_log()).remove("ambassador-accredited").replay()
        error = caught.value
        assert error.event_id == "ambassador-expelled"
        assert [link.event_id for link in error.chain] == ["ambassador-accredited", "ambassador-expelled"]
        assert "removed by edit #1" in error.chain[0].what
        assert "USA has no head of mission in BOL to expel" in str(error)
        assert isinstance(error, TransitionError)

    def test_lenient_replay_records_an_anomaly_and_goes_on(self):
        """Lenient: the impossible expulsion is an anomaly; the fold reaches the end."""
        what_if = Counterfactual(envoy_log()).remove("ambassador-accredited")
        replayed = what_if.replay(History(envoy_log(), strict=False), strict=False)
        assert [anomaly.event_id for anomaly in replayed.anomalies] == ["ambassador-expelled"]
        assert replayed.final == fold(what_if.log, strict=False)

    def test_the_chain_names_an_inserted_event(self):
        """An inserted break of relations before the expulsion is in the chain of the expulsion it makes impossible."""
        severed = make(ev.RelationsSevered, "early-break", "2008-01", "BOL", "USA")
        with pytest.raises(ImpossibleEventError) as caught:
            Counterfactual(envoy_log()).insert(severed).replay()
        assert [link.event_id for link in caught.value.chain] == ["early-break", "ambassador-expelled"]
        assert caught.value.chain[0].what == "inserted by edit #1"

    def test_a_history_of_another_log_is_refused(self):
        """Replay checks that the history is its base's."""
        other = Log.of([make(ev.AidStarted, "a", "2000", "USA", "BOL")])
        with pytest.raises(ReplayError, match="another log"):
            replay(Counterfactual(envoy_log()).remove("aid"), History(other))

    def test_strict_replay_over_a_lenient_history_is_refused(self):
        """A strict replay cannot resume from checkpoints folded leniently."""
        with pytest.raises(ReplayError, match="strictly folded"):
            replay(Counterfactual(envoy_log()).remove("aid"), History(envoy_log(), strict=False), strict=True)


class TestCheckpoints:
    def test_checkpoint_is_the_fold_of_the_prefix(self):
        """Each checkpoint is the state after the events before it."""
        base = envoy_log()
        history = History(base, checkpoint_every=3)
        for position in range(len(base) + 1):
            at, state = history.checkpoint_before(position)
            assert at <= position and position - at < 3
            assert state == fold(base.events[:at])

    def test_default_interval_keeps_memory_modest(self):
        """By default a long log keeps at most CHECKPOINT_MAX_COUNT checkpoints."""
        from engine import CHECKPOINT_MAX_COUNT, CHECKPOINT_MIN_INTERVAL

        assert History(envoy_log()).checkpoint_every == CHECKPOINT_MIN_INTERVAL
        assert CHECKPOINT_MAX_COUNT * CHECKPOINT_MIN_INTERVAL < 10**6


class TestProperties:
    @settings(max_examples=80, deadline=None)
    @given(base=logs(), data=st.data(), every=st.integers(1, 6))
    def test_replay_from_the_checkpoint_equals_a_full_refold(self, base: Log, data, every: int):
        """For any edits, folding from the checkpoint gives the same world as folding the whole edited log."""
        edited = data.draw(edited_logs(base))
        what_if = Counterfactual(base, cascade=edited.cascade, edited=edited)
        history = History(base, strict=False, checkpoint_every=every)
        assert what_if.replay(history, strict=False).final == fold(what_if.log, strict=False)

    @settings(max_examples=40, deadline=None)
    @given(base=logs())
    def test_an_empty_counterfactual_equals_its_base(self, base: Log):
        """No edits: the same log, the same final state, and no difference at all."""
        what_if = Counterfactual(base)
        assert what_if.log == base
        comparison = what_if.compare(strict=False)
        assert comparison.diverges is None and comparison.timeline == () and comparison.state == ()

    @settings(max_examples=60, deadline=None)
    @given(base=logs(min_size=1), data=st.data())
    def test_states_before_the_first_edit_are_identical(self, base: Log, data):
        """Every pair's state on any day before the first changed event is the same in both histories."""
        edited = data.draw(edited_logs(base))
        what_if = Counterfactual(base, cascade=edited.cascade, edited=edited)
        changed = list(base.events[edited.start :]) + list(edited.suffix)
        if not changed:
            return
        first = min(event.date.earliest for event in changed)
        before, after = History(base, strict=False), History(what_if.log, strict=False)
        days = {event.date.earliest for event in base} | {first - datetime.timedelta(days=1)}
        for day in sorted(d for d in days if d < first):
            for pair in set(before.pairs()) | set(after.pairs()):
                assert before.state_at(*pair, day).state == after.state_at(*pair, day).state
        diverges = what_if.compare(strict=False).diverges
        assert diverges is None or diverges >= first


class TestCompare:
    def test_divergence_timeline_and_state(self):
        """Without the expulsion: diverges that day, the ambassador stays, the DEA stays, and why."""
        comparison = Counterfactual(envoy_log(), question="No expulsion?").remove("ambassador-expelled").compare()
        assert comparison.diverges == DAY(2008, 9, 10)
        assert comparison.diverges_with == ("ambassador-expelled",)
        assert {d.event_id for d in comparison.dropped} == {"bolivian-expelled", "dea-expelled", "dea-regret"}
        by_field = {d.field: d for d in comparison.timeline}
        envoy = by_field["representation USA->BOL"]
        assert (envoy.base, envoy.counterfactual) == (("charge", None), ("ambassador", "PG"))
        assert (envoy.appears, envoy.disappears) == (DAY(2008, 9, 10), None)
        dea = by_field["agencies USA->BOL"]
        assert (dea.base, dea.counterfactual, dea.appears, dea.appears_with) == (
            (),
            (Agency("DEA"),),
            DAY(2008, 11, 1),
            ("dea-expelled",),
        )
        assert {d.field for d in comparison.state} == {
            "representation USA->BOL",
            "persona_non_grata USA->BOL",
            "representation BOL->USA",
            "persona_non_grata BOL->USA",
            "agencies USA->BOL",
        }

    def test_state_at_a_date_shows_only_what_differs_then(self):
        """Between the expulsion and the DEA's expulsion only the envoys differ."""
        comparison = Counterfactual(envoy_log()).remove("ambassador-expelled").compare(at="2008-10-15")
        assert comparison.at == DAY(2008, 10, 15) and not comparison.at_end
        assert "agencies USA->BOL" not in {d.field for d in comparison.state}
        assert "representation USA->BOL" in {d.field for d in comparison.state}

    def test_a_difference_that_disappears(self):
        """Moving aid from 2010 to 2012: aid differs from 2010 and the difference ends in 2012."""
        comparison = Counterfactual(envoy_log()).move("aid", "2012").compare()
        [aid] = comparison.timeline
        assert (aid.field, aid.base, aid.counterfactual) == ("aid USA->BOL", "active", "none")
        assert (aid.appears, aid.disappears, aid.disappears_with) == (DAY(2010, 1, 1), DAY(2012, 1, 1), ("aid",))
        assert comparison.state == ()  # at the end both have aid
        assert list(differences_at(comparison, DAY(2011, 6, 1))) == [aid]
        assert list(differences_at(comparison, DAY(2012, 6, 1))) == []

    def test_an_actor_difference(self):
        """Without the inauguration, Bolivia's leader differs from that day."""
        comparison = Counterfactual(envoy_log()).remove("morales-inaugurated").compare()
        [leader] = comparison.timeline
        assert (leader.subject, leader.field, leader.base, leader.counterfactual) == (
            "BOL",
            "leader",
            "Evo Morales",
            None,
        )
        assert comparison.diverges == DAY(2006, 1, 22)

    def test_an_edit_without_effect_never_diverges(self):
        """Removing a statement changes no state: no divergence."""
        comparison = Counterfactual(envoy_log(), cascade="keep").remove("dea-regret").compare()
        assert comparison.diverges is None and comparison.timeline == ()

    def test_imprecise_divergence_keeps_its_precision(self):
        """A divergence by an event dated to the month is counted from its first day and shown as the month."""
        comparison = Counterfactual(envoy_log()).remove("dea-expelled").compare()
        assert comparison.diverges == DAY(2008, 11, 1) and str(comparison.diverges_as) == "2008-11"

    def test_lenient_compare_lists_the_anomalies_the_edits_cause(self):
        """Lenient: the impossible expulsion is reported as an anomaly of the counterfactual."""
        comparison = compare(Counterfactual(envoy_log()).remove("ambassador-accredited"), strict=False)
        assert [a.event_id for a in comparison.anomalies] == ["ambassador-expelled"]

    def test_alignment_is_none_until_the_alignment_index_exists(self):
        """Without engine.analysis.alignment the alignment difference is absent, not wrong."""
        import importlib.util

        comparison = Counterfactual(envoy_log()).remove("aid").compare()
        if importlib.util.find_spec("engine.analysis.alignment") is None:
            assert comparison.alignment is None
        else:
            assert comparison.alignment is not None
