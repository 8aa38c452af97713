"""Scoped replay: refolding only the pairs an edit changed gives exactly the full fold of the edited history."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whatif_logs import edited_logs, logs, make

import events as ev
from engine import Counterfactual, History, TransitionError, differences_at, fold, fold_fast
from engine.analysis.alignment import AlignmentIndex
from engine.core._scoped import changed_units, scoped_replay
from events import Log, unit_of
from events.strategies import counterfactual_edits, valid_logs

CODES = ("BOL", "USA", "PER", "CHL")


def _edited(log: Log, edits) -> Counterfactual:
    what_if = Counterfactual(log)
    for edit in edits:
        what_if = what_if.then(edit)
    return what_if


def _scoped(what_if: Counterfactual, history: History, *, strict: bool, fast: bool):
    edited = what_if.edited
    position, checkpoint = history.checkpoint_before(edited.start)
    taken, put = edited.changed_events()
    gap = what_if.base.events[position : edited.start]
    return scoped_replay(checkpoint, gap, edited.suffix, history.final, taken, put, strict=strict, fast=fast)


def dissolution_log() -> Log:
    """PER is dissolved in 1990; its later dealings with BOL break that rule (a lenient fold records them)."""
    return Log.of(
        [
            make(ev.RelationsEstablished, "bol-per", "1980", "BOL", "PER"),
            make(ev.RelationsEstablished, "bol-usa", "1981", "BOL", "USA"),
            make(ev.StateDissolved, "per-dissolved", "1990", "PER", None),
            make(ev.EnvoyAccredited, "usa-envoy", "1991", "USA", "BOL", rank="ambassador", envoy="A"),
            make(ev.EnvoyAccredited, "per-envoy", "1992", "PER", "BOL", rank="ambassador", envoy="B"),
            make(ev.AidStarted, "per-aid", "1993", "PER", "BOL"),
            make(ev.AidStarted, "usa-aid", "1994", "USA", "BOL"),
        ],
    )


class TestWhatIsRefolded:
    def test_a_removal_refolds_only_its_pair(self):
        """Removing one USA-BOL event refolds USA-BOL alone; the BOL-PER states are the base's own objects."""
        base = dissolution_log()
        history = History(base, strict=False)
        replayed = Counterfactual(base).remove("usa-aid").replay(history, strict=False)
        assert replayed.refolded == {("BOL", "USA")}
        assert replayed.final.pairs[("BOL", "PER")] is history.final.pairs[("BOL", "PER")]
        assert replayed.final == fold(Counterfactual(base).remove("usa-aid").log, strict=False)

    def test_removing_a_dissolution_refolds_every_pair_naming_the_actor_after_it(self):
        """Without PER's dissolution, its later accreditation and aid are no longer anomalies."""
        base = dissolution_log()
        what_if = Counterfactual(base).remove("per-dissolved")
        replayed = what_if.replay(History(base, strict=False), strict=False)
        assert replayed.refolded == {("PER",), ("BOL", "PER")}
        assert replayed.final == fold(what_if.log, strict=False)
        assert not replayed.final.anomalies and len(fold(base, strict=False).anomalies) == 2

    def test_adding_a_dissolution_makes_later_events_anomalies_in_order(self):
        """Dissolving USA in 1991 (inserted) turns both later USA events into anomalies, merged in log order."""
        base = dissolution_log()
        dissolved = make(ev.StateDissolved, "usa-dissolved", "1991-01", "USA", None)
        what_if = Counterfactual(base).insert(dissolved)
        replayed = what_if.replay(History(base, strict=False), strict=False)
        full = fold(what_if.log, strict=False)
        assert replayed.final == full
        assert [a.event_id for a in full.anomalies] == ["usa-envoy", "per-envoy", "per-aid", "usa-aid"]

    def test_changed_events_names_what_was_taken_and_put(self):
        """A removal and a changed field: the removed event and the old version out, the new version in."""
        base = dissolution_log()
        edited = Counterfactual(base).remove("per-aid").set("usa-aid", "note", "changed").edited
        taken, put = edited.changed_events()
        assert {e.id for e in taken} == {"per-aid", "usa-aid"} and [e.id for e in put] == ["usa-aid"]
        assert put[0].note == "changed" and base.get("usa-aid") in taken

    @settings(max_examples=80, deadline=None)
    @given(base=logs(min_size=1), data=st.data())
    def test_every_other_event_of_the_suffix_is_the_bases_own(self, base, data):
        """What scoping relies on: the edited suffix is the base's suffix, object for object, less what
        `changed_events` says was taken and plus what it says was put."""
        edited = data.draw(edited_logs(base))
        taken, put = edited.changed_events()
        old, new = base.events[edited.start :], edited.suffix
        assert {id(e) for e in old} - {id(e) for e in new} == {id(e) for e in taken}
        assert {id(e) for e in new} - {id(e) for e in old} == {id(e) for e in put}

    def test_units_of_events(self):
        """An event's unit is its sorted pair, or its actor alone for a change of government or no target."""
        base = dissolution_log()
        assert unit_of(base.get("usa-envoy")) == ("BOL", "USA")
        assert unit_of(base.get("per-dissolved")) == ("PER",)
        assert changed_units([base.get("usa-aid")], [], base.events) == {("BOL", "USA")}


class TestEqualsAFullFold:
    @settings(max_examples=120, deadline=None)
    @given(log=valid_logs(max_size=14, codes=CODES), data=st.data(), fast=st.booleans())
    def test_lenient_replay_of_any_edits_equals_the_full_fold(self, log, data, fast):
        """Any edits of a possible history, dissolutions included: the whole final world (pairs, actors and
        anomalies in order) equals a lenient fold of the edited log, with either fold."""
        what_if = _edited(log, data.draw(counterfactual_edits(log, max_edits=3)))
        history = History(log, strict=False, checkpoint_every=data.draw(st.integers(1, 5)))
        assert _scoped(what_if, history, strict=False, fast=fast).final == fold(what_if.log, strict=False)

    @settings(max_examples=120, deadline=None)
    @given(log=valid_logs(max_size=14, codes=CODES), data=st.data(), fast=st.booleans())
    def test_strict_replay_fails_where_the_full_fold_fails(self, log, data, fast):
        """Strict: the replay raises at the same event with the same rule as a strict fold of the edited log,
        or, when that fold succeeds, gives the same world."""
        what_if = _edited(log, data.draw(counterfactual_edits(log, max_edits=3)))
        history = History(log, checkpoint_every=data.draw(st.integers(1, 5)))
        try:
            expected = fold(what_if.log)
        except TransitionError as error:
            with pytest.raises(TransitionError) as caught:
                _scoped(what_if, history, strict=True, fast=fast)
            assert (caught.value.event_id, caught.value.rule) == (error.event_id, error.rule)
        else:
            assert _scoped(what_if, history, strict=True, fast=fast).final == expected

    @settings(max_examples=80, deadline=None)
    @given(base=logs(), data=st.data())
    def test_impossible_histories_keep_their_anomalies_in_order(self, base, data):
        """Histories full of impossible events: the fast scoped replay's anomalies are the full fold's, in order."""
        edited = data.draw(edited_logs(base))
        what_if = Counterfactual(base, cascade=edited.cascade, edited=edited)
        history = History(base, strict=False, checkpoint_every=data.draw(st.integers(1, 6)))
        assert _scoped(what_if, history, strict=False, fast=True).final == fold_fast(what_if.log, strict=False)


def _naive_differences(base: History, edited: History, day) -> set[tuple[str, str]]:
    """Every (subject, field) whose value differs between two histories on a day, pair by pair and actor by actor."""
    found = set()
    for a, b in set(base.pairs()) | set(edited.pairs()):
        before, after = base.state_at(a, b, day).state, edited.state_at(a, b, day).state
        old, new = before.field_values(), after.field_values()
        found.update((f"{a}-{b}", field) for field in old if old[field] != new[field])
    for code in base.log.actors:
        before, after = base.actor_at(code, day), edited.actor_at(code, day)
        if before.leader != after.leader:
            found.add((code, "leader"))
        if before.dissolved != after.dissolved:
            found.add((code, "dissolved"))
    return found


class TestComparisonLooksOnlyWhereItMust:
    @settings(max_examples=80, deadline=None)
    @given(base=logs(min_size=1), data=st.data())
    def test_timeline_lists_every_difference_on_every_day(self, base, data):
        """Comparing only the refolded pairs misses nothing: on every day an event acts, the timeline's differences
        in force are exactly the fields whose values differ between the two histories, over every pair."""
        edited = data.draw(edited_logs(base))
        what_if = Counterfactual(base, cascade=edited.cascade, edited=edited)
        comparison = what_if.compare(strict=False)
        before, after = History(base, strict=False), History(what_if.log, strict=False)
        days = sorted({event.date.earliest for event in (*base, *what_if.log)})
        for day in days:
            expected = _naive_differences(before, after, day)
            assert {(d.subject, d.field) for d in differences_at(comparison, day)} == expected
        assert {(d.subject, d.field) for d in comparison.state} == _naive_differences(before, after, comparison.at)

    @settings(max_examples=80, deadline=None)
    @given(base=valid_logs(max_size=14, codes=CODES), data=st.data())
    def test_alignment_difference_equals_the_whole_graphs_difference(self, base, data):
        """Rebuilding only the edges the edits reach gives the difference of the two whole graphs, on any day."""
        what_if = _edited(base, data.draw(counterfactual_edits(base, max_edits=3)))
        days = sorted({event.date.earliest for event in (*base, *what_if.log)})
        day = data.draw(st.sampled_from(days)) if days else None
        comparison = what_if.compare(strict=False, at=day)

        def signs(log):
            graph = AlignmentIndex(log).graph_at(comparison.at)
            return {(a, b) if a <= b else (b, a): edge["sign"] for a, b, edge in graph.edges(data=True)}

        before, after = signs(base), signs(what_if.log)
        found = comparison.alignment
        assert {(a, b) for a, b, _ in found.only_base} == before.keys() - after.keys()
        assert {(a, b) for a, b, _ in found.only_counterfactual} == after.keys() - before.keys()
        assert {(a, b) for a, b, *_ in found.sign_changed} == {
            k for k in before.keys() & after.keys() if before[k] != after[k]
        }

    def test_a_dissolution_the_edits_left_alone_still_removes_edges(self):
        """PER's dissolution removes its hostile edge with BOL in the base, so removing the stance that made the
        edge shows no alignment difference after the dissolution."""
        base = Log.of(
            [
                make(ev.AlignmentChanged, "hostile", "1980", "BOL", "PER", stance="hostile"),
                make(ev.StateDissolved, "per-dissolved", "1990", "PER", None),
            ]
        )
        comparison = Counterfactual(base).remove("hostile").compare(strict=False, at="1995")
        assert comparison.alignment is not None
        assert (comparison.alignment.only_base, comparison.alignment.only_counterfactual) == ((), ())
        assert comparison.alignment.sign_changed == ()

    @settings(max_examples=60, deadline=None)
    @given(base=logs(min_size=1), data=st.data())
    def test_comparing_leaves_the_base_history_alone(self, base, data):
        """The compared base History answers as before: scoped indexing shares its lists but never adds to them."""
        edited = data.draw(edited_logs(base))
        what_if = Counterfactual(base, cascade=edited.cascade, edited=edited)
        history, fresh = History(base, strict=False), History(base, strict=False)
        what_if.compare(strict=False, history=history)
        for pair in fresh.pairs():
            assert history.steps(*pair) == fresh.steps(*pair)
        assert history.pairs() == fresh.pairs() and history.final == fresh.final
