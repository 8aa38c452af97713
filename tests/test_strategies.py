import subprocess
import sys

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from engine import TransitionError, fold
from events import EVENT_KINDS, EditedLog, ImpreciseDate, LegationError, Log, LogError, Precision
from events.strategies import (
    DEFECTS,
    actor_codes,
    actors,
    any_event,
    counterfactual_edits,
    defective_logs,
    events_of,
    imprecise_dates,
    valid_logs,
)
from events.strategies import _model as strategies_module


def _run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def _drawn(strategy, examples: int) -> list:
    """`examples` values drawn without shrinking (derandomised, so the same every run)."""
    found = []

    @settings(max_examples=examples, derandomize=True, database=None, phases=[Phase.generate], deadline=None)
    @given(strategy)
    def collect(value):
        found.append(value)

    collect()
    return found


class TestImport:
    def test_import_events_needs_no_hypothesis(self):
        """Importing the vocabulary and the engine does not import Hypothesis."""
        result = _run_python("import sys, events, engine; print('hypothesis' in sys.modules)")
        assert result.stdout.strip() == "False", result.stderr

    def test_missing_extra_names_the_install_command(self):
        """Without Hypothesis, importing the strategies raises a LegationError that says to install legation[test]."""
        code = (
            "import sys\n"
            "sys.modules['hypothesis'] = None\n"
            "import events\n"
            "try:\n"
            "    import events.strategies\n"
            "except events.LegationError as error:\n"
            "    print(type(error).__name__, isinstance(error, ImportError), error)\n"
        )
        result = _run_python(code)
        assert result.stdout.startswith("MissingTestExtraError True"), result.stderr
        assert "install legation[test]" in result.stdout


class TestDates:
    @given(imprecise_dates(min_year=1900, max_year=1950, precisions=[Precision.MONTH, Precision.YEAR]))
    def test_dates_respect_bounds_and_precisions(self, date):
        """Generated dates keep to the years and precisions asked for."""
        assert 1900 <= date.year <= 1950
        assert date.precision in (Precision.MONTH, Precision.YEAR)

    @given(imprecise_dates(qualifiers=False))
    def test_no_qualifiers_when_refused(self, date):
        """With qualifiers=False no date is uncertain or approximate."""
        assert not date.uncertain and not date.approximate

    def test_dates_shrink_to_an_exact_first_day(self):
        """The simplest date is 1 January of the first year, exact."""
        assert find(imprecise_dates(min_year=1990), lambda date: True) == ImpreciseDate(1990, 1, 1)


class TestActors:
    @given(actors())
    def test_declared_actors_have_user_codes_and_ordered_periods(self, actor):
        """Generated actors use the user-assigned X.. codes and never end before they start."""
        assert actor.code.startswith("X") and len(actor.code) == 3
        if actor.start is not None and actor.end is not None:
            assert actor.start.earliest <= actor.end.latest

    @given(actor_codes(["USA", "BOL"]))
    def test_codes_come_from_the_table(self, code):
        """Actor codes are drawn from the codes given."""
        assert code in ("USA", "BOL")


class TestEventStrategies:
    @pytest.mark.parametrize("kind", sorted(EVENT_KINDS))
    def test_every_kind_has_an_event_strategy(self, kind):
        """Every registered kind can be drawn (a new kind with an unfamiliar field fails here)."""
        assert {event.KIND for event in _drawn(events_of(kind), examples=5)} == {kind}

    @given(any_event())
    def test_any_event_is_a_registered_kind_with_valid_fields(self, event):
        """any_event draws events of registered kinds whose fields pass their validators."""
        assert EVENT_KINDS[event.KIND] is type(event)
        assert event.sources and event.target != event.actor

    def test_a_state_changing_kind_without_a_rule_is_refused(self):
        """The valid-log strategy refuses a state-changing kind it has no precondition rule for."""
        rules = strategies_module._RULES
        saved = rules.pop("post_closed")
        try:
            with pytest.raises(LegationError, match="post_closed"):
                strategies_module.rule_for("post_closed")
        finally:
            rules["post_closed"] = saved


class TestValidLogs:
    def test_every_kind_appears_in_some_valid_log(self):
        """Valid logs reach every kind, including those that need earlier events (resuming aid needs a suspension)."""
        seen = {event.KIND for log in _drawn(valid_logs(max_size=16), examples=500) for event in log}
        assert sorted(set(EVENT_KINDS) - seen) == []

    @given(valid_logs())
    def test_valid_logs_fold_strictly(self, log):
        """A strict fold of a generated valid log never raises and records no anomaly."""
        assert fold(log, strict=False).anomalies == ()
        fold(log)

    @given(valid_logs(min_size=3, max_size=5, codes=("ECU", "CHL")))
    def test_sizes_and_actors_are_kept(self, log):
        """Valid logs have the number of events asked for and name only the actors given."""
        assert 3 <= len(log) <= 5
        assert {event.actor for event in log} <= {"ECU", "CHL"}
        assert {event.target for event in log} <= {"ECU", "CHL", None}

    @given(valid_logs(kinds=["relations_established", "relations_severed", "relations_reestablished"]))
    def test_kinds_can_be_restricted(self, log):
        """Asked for some kinds only, valid logs hold only those kinds."""
        assert {event.KIND for event in log} <= {
            "relations_established",
            "relations_severed",
            "relations_reestablished",
        }

    @given(valid_logs(max_size=8))
    def test_causes_name_earlier_events(self, log):
        """Every caused_by link names an event earlier in the log."""
        for position, event in enumerate(log):
            assert all(log.position(cause) < position for cause in event.caused_by)

    def test_valid_logs_shrink_to_one_recognition(self):
        """The simplest non-empty valid log is one recognition by the first actor of the second, on an exact day."""
        log = find(valid_logs(min_size=1, max_size=2), lambda log: True)
        assert len(log) == 1
        assert (log[0].KIND, log[0].actor, log[0].target) == ("recognition", "BOL", "USA")
        assert log[0].date.is_exact and log[0].caused_by == ()


class TestDefectiveLogs:
    @pytest.mark.parametrize("defect", DEFECTS)
    def test_every_defect_is_planted(self, defect):
        """Asked for a defect, the strategy plants it, naming an event of its log."""
        planted = _drawn(defective_logs([defect]), examples=5)
        assert {item.defect for item in planted} == {defect}
        assert all(any(event.id == item.event_id for event in item.events) for item in planted)

    @given(defective_logs([defect for defect in DEFECTS if defect != "impossible_transition"]))
    def test_log_defects_are_refused_by_the_log(self, planted):
        """Log.of refuses each planted log defect, naming the event and field the strategy reports."""
        with pytest.raises(LogError) as raised:
            Log.of(planted.events, planted.actors)
        assert (raised.value.event_id, raised.value.field) == (planted.event_id, planted.field)
        if planted.defect == "cause_cycle":
            assert "cycle" in raised.value.rule
        if planted.defect == "later_cause":
            assert "must come first" in raised.value.rule

    @given(defective_logs(["impossible_transition"]))
    def test_impossible_transitions_pass_the_log_but_not_a_strict_fold(self, planted):
        """An impossible transition makes a sound log whose strict fold fails on the planted event."""
        log = Log.of(planted.events, planted.actors)
        with pytest.raises(TransitionError) as raised:
            fold(log)
        assert raised.value.event_id == planted.event_id


class TestCoverage:
    def test_rule_table_covers_every_state_changing_kind(self):
        """Every kind that changes state has a precondition rule, and no rule names an unknown kind."""
        rules = strategies_module._RULES
        assert set(rules) <= set(EVENT_KINDS)
        missing = [kind for kind, cls in EVENT_KINDS.items() if cls.CHANGES_STATE and kind not in rules]
        assert missing == []

    def test_a_rule_refuses_an_event_of_another_kind(self):
        """The model's update for a kind refuses another kind's event, naming both, and leaves the model as it was."""
        model = strategies_module._Model()
        severed = EVENT_KINDS["relations_severed"](id="e1", date="1990", actor="USA", target="BOL", sources=["s"])
        with pytest.raises(LegationError, match="envoy_accredited rule was given a relations_severed event 'e1'"):
            strategies_module.rule_for("envoy_accredited").update(model, severed)
        assert model == strategies_module._Model()


class TestCounterfactualEdits:
    @given(st.data())
    def test_edits_fit_their_log(self, data):
        """Generated edits apply, in order, to the log they were drawn for, without an EditError."""
        log = data.draw(valid_logs(max_size=8))
        edits = data.draw(counterfactual_edits(log))
        assert len(EditedLog.of(log, edits).edits) == len(edits)

    def test_every_op_is_drawn(self):
        """Every edit op is drawn for some log."""
        drawn = _drawn(valid_logs(min_size=2, max_size=6).flatmap(counterfactual_edits), examples=150)
        assert {edit.OP for edits in drawn for edit in edits} == {"remove", "move", "replace", "insert", "set"}

    def test_edits_shrink_to_none(self):
        """The simplest edits of a log are no edits at all."""
        log = find(valid_logs(min_size=1, max_size=1), lambda log: True)
        assert find(counterfactual_edits(log), lambda edits: True) == ()
