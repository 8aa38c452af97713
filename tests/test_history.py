import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import Counterfactual, History, TransitionError, UnknownPairError, fold
from events import Log
from events.strategies import counterfactual_edits, valid_logs

from factories import log_of, make, opened_relations

D = datetime.date


def history(*events, strict=True):
    return History(log_of(*events), strict=strict)


def level(answer, frm, to):
    return answer.state.side(frm, to).level


STORY = [
    *opened_relations("1848"),
    make("envoy_accredited", "1848", "USA", "BOL", id="appleton", rank="charge", envoy="John Appleton"),
    make("envoy_accredited", "2006-10", "USA", "BOL", id="goldberg", rank="ambassador", envoy="Philip S. Goldberg"),
    make("envoy_expelled", "2008-09-10", "BOL", "USA", id="expel-goldberg", envoy="Philip S. Goldberg"),
    make("agency_started", "1973", "USA", "BOL", id="dea-arrives", agency="DEA"),
    make("agency_expelled", "2008-11", "BOL", "USA", id="dea-out", agency="DEA"),
    make("government_changed", "2006-01-22", "BOL", None, id="morales", leader="Evo Morales"),
]


class TestStateAt:
    def test_state_on_dates(self):
        """The state on a date reflects exactly the events before it."""
        h = history(*STORY)
        assert level(h.state_at("USA", "BOL", "1847-12-31"), "USA", "BOL") == "none"
        assert h.state_at("USA", "BOL", "1900-01-01").state.side("USA", "BOL").envoy == "John Appleton"
        assert level(h.state_at("USA", "BOL", "2008-09-09"), "USA", "BOL") == "ambassador"
        assert level(h.state_at("USA", "BOL", "2008-09-10"), "USA", "BOL") == "charge"

    def test_pair_order_does_not_matter(self):
        """Asking about (A, B) or (B, A) gives the same state."""
        h = history(*STORY)
        assert h.state_at("BOL", "USA", "2000").state == h.state_at("USA", "BOL", "2000").state

    def test_same_day_events_apply_in_sequence(self):
        """Events on one day apply in the order given; the state that day is after all of them."""
        day = "1950-05-05"
        h = history(
            *opened_relations("1900"),
            make("envoy_accredited", day, rank="ambassador", envoy="First"),
            make("envoy_recalled", day, envoy="First"),
            make("envoy_accredited", day, rank="ambassador", envoy="Second"),
        )
        assert h.state_at("USA", "BOL", day).state.side("USA", "BOL").envoy == "Second"
        assert h.state_at("USA", "BOL", "1950-05-04").state.side("USA", "BOL").level == "none"

    def test_imprecise_event_is_uncertain_inside_its_span(self):
        """A month-precision event counts from the month's first day, flagged uncertain until its last."""
        h = history(*STORY)
        mid = h.state_at("USA", "BOL", "2008-11-15")
        assert mid.state.side("USA", "BOL").agencies == frozenset()
        assert mid.uncertain == {"agencies USA->BOL": ("dea-out",)}
        assert h.state_at("USA", "BOL", "2008-11-30").uncertain == {}
        assert h.state_at("USA", "BOL", "2008-10-31").uncertain == {}

    def test_imprecise_query_flags_changes_inside_it(self):
        """Asking about a year answers as of its end and flags what changed during it."""
        answer = history(*STORY).state_at("USA", "BOL", "2008")
        assert answer.day == D(2008, 12, 31)
        assert set(answer.uncertain) == {"representation USA->BOL", "persona_non_grata USA->BOL", "agencies USA->BOL"}

    def test_basis_cites_the_last_event_per_field(self):
        """Each field's value cites the event that last set it."""
        answer = history(*STORY).state_at("USA", "BOL", "2010")
        assert answer.basis["representation USA->BOL"] == "expel-goldberg"
        assert answer.basis["relations"] == "USA-BOL-relations"

    def test_unknown_actor(self):
        """An unknown actor or a pair of one actor is a clear error."""
        h = history(*STORY)
        with pytest.raises(UnknownPairError, match="unknown actor 'XXX'"):
            h.state_at("USA", "XXX", "2000")
        with pytest.raises(UnknownPairError, match="two different actors"):
            h.state_at("USA", "USA", "2000")

    def test_untouched_pair_is_initial(self):
        """A pair no event touched is in its initial state."""
        state = history(*STORY).state_at("FRA", "BOL", "2000").state
        assert state.relations == "none" and state.ab.level == "none"

    def test_index_agrees_with_prefix_fold(self):
        """At every event date the index gives the state of the fold of the events up to that date."""
        log = log_of(*STORY)
        h = History(log)
        for event in log:
            day = event.date.earliest
            expected = fold(e for e in log if e.date.earliest <= day).pair("USA", "BOL")
            assert h.state_at("USA", "BOL", day).state == expected

    def test_actor_at_and_world_at(self):
        """Leaders and all pairs can be asked about on a date."""
        h = history(*STORY)
        assert h.actor_at("BOL", "2006-01-21").leader is None
        assert h.actor_at("BOL", "2007").leader == "Evo Morales"
        assert set(h.world_at("2000")) == {("BOL", "USA")}
        assert h.world_at("1800") == {}

    def test_strict_and_lenient(self):
        """Strict building raises on an impossible event; lenient lists it and answers."""
        bad = make("envoy_expelled", "1990", "BOL", "USA", id="nobody-there")
        with pytest.raises(TransitionError, match="nobody-there"):
            history(bad)
        assert [a.event_id for a in history(bad, strict=False).anomalies] == ["nobody-there"]


class TestChangesAndPeriods:
    def test_changes_between(self):
        """The changes between two dates list each field with before, after and the events."""
        changes = history(*STORY).changes_between("USA", "BOL", "2008-01-01", "2009-01-01")
        by_field = {c.field: c for c in changes}
        rep = by_field["representation USA->BOL"]
        assert rep.before == ("ambassador", "Philip S. Goldberg") and rep.after == ("charge", None)
        assert rep.event_ids == ("expel-goldberg",)
        assert by_field["agencies USA->BOL"].event_ids == ("dea-out",)

    def test_changes_between_dates_in_any_order(self):
        """The two dates may be given in either order."""
        h = history(*STORY)
        assert h.changes_between("USA", "BOL", "2009", "2008-01-01") == h.changes_between(
            "USA", "BOL", "2008-01-01", "2009"
        )

    def test_field_changed_and_changed_back_is_no_change(self):
        """A field that returns to its value between the dates is not a change."""
        h = history(make("aid_started", "1950"), make("aid_suspended", "1960"), make("aid_resumed", "1970"))
        assert h.changes_between("USA", "BOL", "1955", "1975") == []

    def test_periods(self):
        """Periods of a condition start and end with the events that made it true and false."""
        h = history(*STORY)
        periods = h.periods("USA", "BOL", lambda s: s.side("USA", "BOL").level == "ambassador")
        assert [(str(p.start), str(p.end), p.start_event, p.end_event) for p in periods] == [
            ("2006-10", "2008-09-10", "goldberg", "expel-goldberg")
        ]
        assert h.first_true("USA", "BOL", lambda s: s.relations == "established").start_event == "USA-BOL-relations"
        assert h.first_true("USA", "BOL", lambda s: s.relations == "severed") is None

    def test_period_from_the_start_and_still_open(self):
        """A condition true before any event starts with None; one true at the end ends with None."""
        h = history(*STORY)
        periods = h.periods("USA", "BOL", lambda s: s.side("USA", "BOL").level != "ambassador")
        assert periods[0].start is None and str(periods[0].end) == "2006-10"
        assert periods[-1].end is None and periods[-1].start_event == "expel-goldberg"


def _index_of(history):
    """Everything a History answers from, for comparing two of them."""
    return (
        history._steps,
        history._keys,
        history._imprecise,
        history._actor_steps,
        history.final,
        history._checkpoints,
        history.checkpoint_every,
    )


class TestResumed:
    @given(
        log=valid_logs(min_size=1, max_size=14),
        data=st.data(),
        every=st.integers(min_value=1, max_value=5),
    )
    def test_resumed_equals_a_full_fold(self, log, data, every):
        """A history resumed after a shared prefix indexes exactly what folding the new log from scratch does."""
        start = data.draw(st.integers(min_value=0, max_value=len(log)))
        later = st.sets(st.integers(min_value=start, max_value=len(log) - 1), max_size=3)
        removed = data.draw(later) if start < len(log) else set()
        dropped = {log[position].id for position in removed}
        dropped.update(effect for event_id in list(dropped) for effect in log.effects_of(event_id))
        suffix = [event for event in log.events[start:] if event.id not in dropped]
        changed = Log.of([*log.events[:start], *suffix], log.actors)
        base = History(log, strict=False, checkpoint_every=every)
        resumed = History.resumed(base, changed, start)
        assert _index_of(resumed) == _index_of(History(changed, strict=False, checkpoint_every=every))

    @given(
        log=valid_logs(min_size=1, max_size=14),
        data=st.data(),
        every=st.integers(min_value=1, max_value=5),
    )
    def test_scoped_resumption_answers_as_a_full_fold(self, log, data, every):
        """Given the refolded units and the final world, a resumed history indexes every pair and actor as a
        full fold does; it keeps only the checkpoints at or before the edit."""
        edits = data.draw(counterfactual_edits(log, max_edits=3))
        what_if = Counterfactual(log)
        for edit in edits:
            what_if = what_if.then(edit)
        base = History(log, strict=False, checkpoint_every=every)
        replayed = what_if.replay(base, strict=False)
        start = what_if.edited.start
        resumed = History.resumed(base, what_if.log, start, refolded=replayed.refolded, final=replayed.final)
        full = History(what_if.log, strict=False, checkpoint_every=every)
        assert _index_of(resumed)[:5] == _index_of(full)[:5]
        assert resumed._checkpoints == full._checkpoints[: len(resumed._checkpoints)]
        assert all(index * every <= start for index in range(len(resumed._checkpoints)))

    def test_scoped_resumption_needs_the_final_world(self):
        """Naming the refolded units without the final world is refused."""
        log = log_of(*STORY)
        with pytest.raises(ValueError, match="final world"):
            History.resumed(History(log), log, 0, refolded=frozenset())

    def test_start_must_be_inside_both_logs(self):
        """A start past the end of a log is refused."""
        log = log_of(*STORY)
        with pytest.raises(ValueError, match="start must be within both logs"):
            History.resumed(History(log), log, len(log) + 1)


@given(valid_logs(max_size=14), st.integers(1800, 2100), st.integers(1800, 2100))
def test_diff_lists_the_changes_of_leader_and_dissolutions_of_the_pairs_actors(log, year1, year2):
    """`changes_between` reports an actor's leader and dissolution wherever `actor_at` differs between the days."""
    history = History(log)
    first, second = sorted((datetime.date(year1, 6, 30), datetime.date(year2, 6, 30)))
    for a, b in (("BOL", "USA"), ("BOL", "PER")):
        found = {change.field: change for change in history.changes_between(a, b, first, second)}
        for code in (a, b):
            before, after = history.actor_at(code, first), history.actor_at(code, second)
            leader = found.get(f"leader {code}")
            assert (leader is not None) == (before.leader != after.leader)
            if leader is not None:
                assert (leader.before, leader.after) == (before.leader, after.leader)
                assert leader.event_ids
            assert (f"dissolved {code}" in found) == (before.dissolved != after.dissolved)
