"""Tests of events._edits: each edit kind, each cascade policy, every validation error, and the suffix."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whatif_logs import envoy_log, logs, make

import events as ev
from events import (
    CascadeError,
    EditedLog,
    EditError,
    InsertEvent,
    Log,
    MoveEvent,
    RemoveEvent,
    ReplaceEvent,
    SetEventField,
)


def ids(edited: EditedLog) -> list[str]:
    return [event.id for event in edited.events]


class TestEditKinds:
    def test_remove_takes_the_event_out(self):
        """A removed event is no longer in the edited log; the others keep their order."""
        edited = EditedLog.of(envoy_log(), [RemoveEvent(event_id="aid")])
        assert "aid" not in ids(edited)
        assert ids(edited) == [event.id for event in envoy_log() if event.id != "aid"]

    def test_replace_puts_the_new_event_in_its_place(self):
        """A replacement stands where its date puts it, and the events the original caused now name it."""
        recall = make(
            ev.EnvoyRecalled, "ambassador-recalled", "2008-09-10", "USA", "BOL", caused_by=["ambassador-accredited"]
        )
        edited = EditedLog.of(envoy_log(), [ReplaceEvent(event_id="ambassador-expelled", event=recall)])
        assert edited.get("ambassador-recalled") == recall
        assert "ambassador-expelled" not in edited
        assert edited.get("dea-expelled").caused_by == ("ambassador-recalled",)

    def test_replace_may_keep_the_id(self):
        """A replacement with the same id changes the event without renaming anything."""
        softer = make(ev.EnvoyRecalled, "ambassador-expelled", "2008-09-10", "USA", "BOL")
        edited = EditedLog.of(envoy_log(), [ReplaceEvent(event_id="ambassador-expelled", event=softer)])
        assert isinstance(edited.get("ambassador-expelled"), ev.EnvoyRecalled)
        assert edited.get("dea-expelled").caused_by == ("ambassador-expelled",)

    def test_insert_adds_an_event_in_date_order(self):
        """An inserted event lands among the others by its date."""
        visit = make(ev.VisitMade, "visit", "2007", "USA", "BOL")
        edited = EditedLog.of(envoy_log(), [InsertEvent(event=visit)])
        order = ids(edited)
        assert order.index("ambassador-accredited") < order.index("visit") < order.index("ambassador-expelled")

    def test_insert_on_a_busy_date_goes_after_the_events_already_there(self):
        """Like `Log.of`, an inserted event comes after the events already on its date."""
        same_day = make(ev.StatementMade, "same-day", "2008-09-10", "USA", "BOL")
        edited = EditedLog.of(envoy_log(), [InsertEvent(event=same_day)])
        order = ids(edited)
        assert order.index("same-day") == order.index("ambassador-expelled") + 1

    def test_move_changes_the_date_and_the_place(self):
        """A moved event has its new date and sorts by it."""
        edited = EditedLog.of(envoy_log(), [MoveEvent(event_id="aid", date="2007-05")])
        assert str(edited.get("aid").date) == "2007-05"
        order = ids(edited)
        assert order.index("aid") < order.index("ambassador-expelled")

    def test_set_changes_one_field(self):
        """Setting a field changes only that field."""
        edited = EditedLog.of(
            envoy_log(), [SetEventField(event_id="ambassador-accredited", field="rank", value="minister")]
        )
        event = edited.get("ambassador-accredited")
        assert event.rank == "minister"
        assert event.envoy == "PG"

    def test_edits_apply_in_order_to_the_log_as_edited(self):
        """A later edit can act on an event an earlier edit inserted."""
        visit = make(ev.VisitMade, "visit", "2007", "USA", "BOL")
        edited = EditedLog.of(envoy_log(), [InsertEvent(event=visit), MoveEvent(event_id="visit", date="2011")])
        assert ids(edited)[-1] == "visit"

    def test_an_id_removed_may_be_inserted_again(self):
        """Removing an event frees its id for an insertion."""
        again = make(ev.AidStarted, "aid", "2012", "USA", "BOL")
        edited = EditedLog.of(envoy_log(), [RemoveEvent(event_id="aid"), InsertEvent(event=again)])
        assert str(edited.get("aid").date) == "2012"

    def test_applying_returns_a_new_value(self):
        """An EditedLog never changes: apply returns another one."""
        empty = EditedLog.of(envoy_log())
        one = empty.apply(RemoveEvent(event_id="aid"))
        assert "aid" in empty and "aid" not in one
        assert empty.edits == () and len(one.edits) == 1


class TestCascade:
    def test_drop_removes_the_transitive_effects_and_says_why(self):
        """Policy drop removes every event the removed one caused, directly or not, with the chain."""
        edited = EditedLog.of(envoy_log(), [RemoveEvent(event_id="ambassador-expelled")], "drop")
        dropped = {effect.event_id: effect for effect in edited.dropped}
        assert set(dropped) == {"bolivian-expelled", "dea-expelled", "dea-regret"}
        assert dropped["dea-regret"].chain == ("ambassador-expelled", "dea-expelled", "dea-regret")
        assert "removed by edit #1" in dropped["dea-regret"].why
        assert not {"bolivian-expelled", "dea-expelled", "dea-regret"} & set(ids(edited))

    def test_drop_is_the_default(self):
        """Without a policy, effects are dropped."""
        assert EditedLog.of(envoy_log(), [RemoveEvent(event_id="dea-expelled")]).cascade == "drop"
        assert "dea-regret" not in EditedLog.of(envoy_log(), [RemoveEvent(event_id="dea-expelled")])

    def test_keep_keeps_effects_reported_as_orphaned(self):
        """Policy keep leaves the effects in, reports them, and the direct ones stop naming the removed cause."""
        edited = EditedLog.of(envoy_log(), [RemoveEvent(event_id="ambassador-expelled")], "keep")
        assert {e.event_id for e in edited.orphaned} == {"bolivian-expelled", "dea-expelled", "dea-regret"}
        assert edited.get("dea-expelled").caused_by == ()
        assert edited.get("dea-regret").caused_by == ("dea-expelled",)
        assert edited.dropped == ()

    def test_ask_fails_and_lists_the_effects(self):
        """Policy ask refuses an edit with effects and lists them, with their chains."""
        with pytest.raises(CascadeError) as caught:
            EditedLog.of(envoy_log(), [RemoveEvent(event_id="dea-expelled")], "ask")
        assert [effect.event_id for effect in caught.value.effects] == ["dea-regret"]
        assert "dea-regret" in str(caught.value) and "edit #1" in str(caught.value)

    def test_ask_allows_an_edit_without_effects(self):
        """Policy ask accepts a removal that caused nothing."""
        assert "aid" not in EditedLog.of(envoy_log(), [RemoveEvent(event_id="aid")], "ask")

    def test_move_cascades_like_a_removal(self):
        """Moving an event drops what it caused under policy drop."""
        edited = EditedLog.of(envoy_log(), [MoveEvent(event_id="dea-expelled", date="2008-12")], "drop")
        assert [e.event_id for e in edited.dropped] == ["dea-regret"]
        assert "moved by edit #1" in edited.dropped[0].why

    def test_move_with_keep_keeps_effects_that_still_follow(self):
        """Under keep, moving an event to a date still before its effects keeps them, as orphaned."""
        edited = EditedLog.of(envoy_log(), [MoveEvent(event_id="dea-expelled", date="2008-12")], "keep")
        assert edited.get("dea-regret").caused_by == ("dea-expelled",)
        assert [e.event_id for e in edited.orphaned] == ["dea-regret"]


class TestValidation:
    @pytest.mark.parametrize(
        "edit",
        [
            RemoveEvent(event_id="nobody"),
            MoveEvent(event_id="nobody", date="2000"),
            SetEventField(event_id="nobody", field="note", value=""),
            ReplaceEvent(event_id="nobody", event=make(ev.AidStarted, "x", "2010", "USA", "BOL")),
        ],
    )
    def test_unknown_id(self, edit):
        """An edit naming an id the log lacks is refused, naming the edit and the id."""
        with pytest.raises(EditError) as caught:
            EditedLog.of(envoy_log(), [edit])
        assert caught.value.edit == 1 and caught.value.event_id == "nobody" and caught.value.field == "id"
        assert "edit #1" in str(caught.value) and "'nobody'" in str(caught.value)

    def test_id_gone_says_which_edit_took_it(self):
        """Naming an event an earlier edit dropped says it was dropped, and by which edit."""
        with pytest.raises(EditError, match=r"edit #2 .*dropped by edit #1"):
            EditedLog.of(envoy_log(), [RemoveEvent(event_id="dea-expelled"), RemoveEvent(event_id="dea-regret")])

    def test_insert_colliding_id(self):
        """Inserting an event whose id is in use is refused."""
        with pytest.raises(EditError, match="expected an id no event of the log uses, found 'aid'") as caught:
            EditedLog.of(envoy_log(), [InsertEvent(event=make(ev.AidStarted, "aid", "2011", "USA", "BOL"))])
        assert caught.value.field == "id"

    def test_replace_with_an_id_in_use(self):
        """A replacement may not take the id of another event."""
        clash = make(ev.AidStarted, "dea-arrives", "2010", "USA", "BOL")
        with pytest.raises(EditError, match="'dea-arrives'"):
            EditedLog.of(envoy_log(), [ReplaceEvent(event_id="aid", event=clash)])

    def test_move_after_an_effect_breaks_the_order_of_causes(self):
        """Under keep, moving a cause after an event it caused is refused, naming both."""
        with pytest.raises(EditError) as caught:
            EditedLog.of(envoy_log(), [MoveEvent(event_id="dea-expelled", date="2010")], "keep")
        error = caught.value
        assert error.event_id == "dea-regret" and error.field == "caused_by"
        assert "'dea-expelled' (2010) to come first" in str(error)

    def test_move_before_its_own_cause(self):
        """Moving an event before the event that caused it is refused."""
        with pytest.raises(EditError, match=r"'ambassador-expelled' .* to come first"):
            EditedLog.of(envoy_log(), [MoveEvent(event_id="dea-expelled", date="2008-01")])

    def test_insert_naming_an_unknown_cause(self):
        """An inserted event whose cause is not in the log is refused."""
        orphan = make(ev.StatementMade, "odd", "2010", "USA", "BOL", caused_by=["nothing"])
        with pytest.raises(EditError, match=r"field 'caused_by'.*'nothing'"):
            EditedLog.of(envoy_log(), [InsertEvent(event=orphan)])

    def test_insert_naming_a_removed_cause(self):
        """An inserted event may not name an event removed earlier; the error says which edit removed it."""
        late = make(ev.StatementMade, "late", "2010", "USA", "BOL", caused_by=["aid"])
        with pytest.raises(EditError, match="removed by edit #1"):
            EditedLog.of(envoy_log(), [RemoveEvent(event_id="aid"), InsertEvent(event=late)])

    def test_insert_with_an_unknown_actor(self):
        """An inserted event naming an actor outside the table is refused."""
        stranger = make(ev.StatementMade, "who", "2010", "USA", "ZZZ")
        with pytest.raises(EditError, match=r"field 'target'.*known actor"):
            EditedLog.of(envoy_log(), [InsertEvent(event=stranger)])

    def test_set_unknown_field(self):
        """Setting a field the event's kind lacks is refused, listing the fields it has."""
        with pytest.raises(EditError, match=r"field 'field': expected a field of aid_started events \(actor"):
            EditedLog.of(envoy_log(), [SetEventField(event_id="aid", field="rank", value="charge")])

    def test_set_bad_value(self):
        """Setting a value the field refuses is refused with what it accepts."""
        with pytest.raises(EditError) as caught:
            EditedLog.of(envoy_log(), [SetEventField(event_id="ambassador-accredited", field="rank", value="pope")])
        assert caught.value.field == "rank" and caught.value.found == "pope"
        assert "ambassador" in caught.value.expected

    @pytest.mark.parametrize(("field", "hint"), [("id", "replace"), ("date", "move")])
    def test_set_id_or_date_points_to_the_right_op(self, field, hint):
        """Setting the id or date is refused with the op to use instead."""
        with pytest.raises(EditError, match=f"op = {hint}"):
            EditedLog.of(envoy_log(), [SetEventField(event_id="aid", field=field, value="x")])

    def test_bad_cascade_policy(self):
        """A cascade policy outside drop, keep and ask is refused."""
        with pytest.raises(ev.InvalidValueError, match="cascade"):
            EditedLog.of(envoy_log(), [], "maybe")


class TestSuffix:
    def test_no_edit_is_the_base(self):
        """Without edits the edited log is the base, and nothing is materialised."""
        edited = EditedLog.of(envoy_log())
        assert edited.events == envoy_log().events and edited.suffix == () and edited.start == len(envoy_log())

    def test_start_is_the_first_position_an_edit_reaches(self):
        """The unchanged prefix runs up to the first edited position."""
        base = envoy_log()
        edited = EditedLog.of(base, [RemoveEvent(event_id="dea-regret")])
        assert edited.start == base.position("dea-regret")

    def test_a_move_back_in_time_reaches_its_new_place(self):
        """Moving an event earlier makes the suffix start where it now lands."""
        base = envoy_log()
        edited = EditedLog.of(base, [MoveEvent(event_id="aid", date="1999")])
        assert edited.start == base.position("morales-inaugurated")

    @settings(max_examples=60, deadline=None)
    @given(base=logs(), data=st.data())
    def test_edited_events_are_a_valid_log_in_history_order(self, base: Log, data):
        """Whatever the edits, the edited events form a valid log already in history order."""
        from whatif_logs import edited_logs

        edited = data.draw(edited_logs(base))
        assert Log.of(edited.events).events == edited.events
        assert edited.events[: edited.start] == base.events[: edited.start]
