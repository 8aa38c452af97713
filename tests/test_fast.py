import datetime

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import events as ev
from engine import (
    ColumnarIndex,
    FastFolder,
    History,
    TransitionError,
    UnknownEventKindError,
    fold,
    fold_fast,
)
from engine.core._fast import FAST_HANDLERS
from engine.core._reducer import _PAIR_HANDLERS
from events import _fields as f
from events.strategies import valid_logs

ACTORS = ("AAA", "BBB", "CCC")
DATES = tuple(ev.ImpreciseDate.parse(text) for text in ("1990", "1990-03", "1990-03-04", "1991-07-01", "1992"))
TABLE = ev.ActorTable({code: ev.Actor(code, f"Test state {code}") for code in ACTORS})
BASE_FIELDS = {"id", "date", "actor", "target", "sources", "note", "caused_by"}
# Few values, so that the same envoy, post, agency or person meets itself often and rules are broken.
BY_VALIDATOR = {
    f.text: st.sampled_from(["Ann", "Bob"]),
    f.optional_text: st.sampled_from([None, "Ann", "Bob"]),
    f.flag: st.booleans(),
    f.code: st.just("BLOCX"),
    f.event_code: st.sampled_from(["043", "161"]),
    f.optional_weight: st.sampled_from([None, -4.0, 2.8]),
    f.optional_count: st.sampled_from([None, 1, 3]),
}
BY_NAME = {
    "city": st.sampled_from(["Xville", "Yton"]),
    "agency": st.sampled_from(["DEA", "USAID"]),
    "region": st.sampled_from([None, "north", "south"]),
    "successors": st.just(()),
    "results": st.just(()),
    "participants": st.none(),
    # issue 19's kinds: few values again, so that programmes, lists, governments and nominees meet themselves
    "programme": st.sampled_from(["P1", "P2"]),
    "scope": st.lists(st.sampled_from(["trade", "arms", "targeted"]), min_size=1, max_size=2, unique=True).map(tuple),
    "count": st.sampled_from([None, 0, 3]),
    "cap": st.sampled_from([None, 17]),
    "persons": st.sampled_from([(), ("Ann",), ("Ann", "Bob")]),
    "positions": st.sampled_from([(), ("vice consul",)]),
    "list_name": st.sampled_from(["SST", "SDGT"]),
    "entity": st.sampled_from([None, "Cartel"]),
    "government": st.sampled_from(["Gov A", "Gov B"]),
    "nominee": st.sampled_from(["Ann", "Bob"]),
}
BY_KIND_FIELD = {
    # optional where the kind allows it; the scope a widening adds may be empty
    ("sanction_widened", "scope"): st.sampled_from([(), ("trade",), ("financial", "arms")]),
    ("protecting_power_started", "protector"): st.sampled_from(["PPP", "QQQ"]),
    ("protecting_power_ended", "protector"): st.sampled_from([None, "PPP", "QQQ"]),
    ("government_recognition_withdrawn", "government"): st.sampled_from([None, "Gov A", "Gov B"]),
    ("nomination_refused", "nominee"): st.sampled_from([None, "Ann", "Bob"]),
    ("nomination_withdrawn", "nominee"): st.sampled_from([None, "Ann", "Bob"]),
}


def field_strategy(cls, field):
    """The values to try for one kind-specific field; fails loudly for a field nobody taught it."""
    if (cls.KIND, field.name) in BY_KIND_FIELD:
        return BY_KIND_FIELD[(cls.KIND, field.name)]
    if field.name in BY_NAME:
        return BY_NAME[field.name]
    options = getattr(field.validator, "options", None)
    if options is not None:
        return st.sampled_from(options)
    if field.validator in BY_VALIDATOR:
        return BY_VALIDATOR[field.validator]
    raise AssertionError(f"no strategy for {cls.__name__}.{field.name}: add one to tests/test_fast.py")


def kind_fields(cls):
    """A strategy for the kind-specific fields of one event class."""
    own = [field for field in attrs.fields(cls) if field.name not in BASE_FIELDS]
    return st.fixed_dictionaries({field.name: field_strategy(cls, field) for field in own})


KINDS = sorted(ev.EVENT_KINDS.values(), key=lambda cls: cls.KIND)


ANY_KIND = st.sampled_from(KINDS)


@st.composite
def an_event(draw, kinds=ANY_KIND):
    """An event of any kind between three actors, without an id yet (as a class and keyword arguments)."""
    cls = draw(kinds)
    actor = draw(st.sampled_from(ACTORS))
    others = [code for code in ACTORS if code != actor]
    if cls.TARGET == ev._kinds.TARGET_NONE:
        target = None
    elif cls.TARGET == ev._kinds.TARGET_REQUIRED:
        target = draw(st.sampled_from(others))
    else:
        target = draw(st.sampled_from([None, *others]))
    return cls, {"actor": actor, "target": target, "date": draw(st.sampled_from(DATES)), **draw(kind_fields(cls))}


def numbered(drafts):
    """Events with ids e0, e1, ... in the order given."""
    return [cls(id=f"e{number}", sources=("test",), **fields) for number, (cls, fields) in enumerate(drafts)]


event_lists = st.lists(an_event(), max_size=40).map(numbered)
# Mostly state-changing kinds, so that strict folds get far before a rule breaks.
state_kinds = st.sampled_from([cls for cls in KINDS if cls.CHANGES_STATE and cls is not ev.StateDissolved])
strict_lists = st.lists(an_event(state_kinds), max_size=25).map(numbered)


def outcome(folding, events, **options):
    """The world a fold gives, or the message of the TransitionError it raises."""
    try:
        return folding(events, **options)
    except TransitionError as error:
        return ("TransitionError", str(error), error.event_id)


class TestCoverage:
    def test_every_kind_has_a_fast_handler_entry(self):
        """Adding an event kind without deciding its fast-path handler fails this test."""
        assert set(FAST_HANDLERS) == set(ev.EVENT_KINDS.values())

    def test_fast_path_changes_state_for_the_same_kinds_as_the_pure_reducer(self):
        """A kind is a no-op in the fast path exactly when the pure reducer leaves the pair unchanged."""
        unchanged = _PAIR_HANDLERS[ev.StatementMade]
        for cls in KINDS:
            if cls in (ev.GovernmentChanged, ev.StateDissolved):
                continue
            assert (FAST_HANDLERS[cls] is None) == (_PAIR_HANDLERS[cls] is unchanged), cls.KIND

    def test_every_kind_can_be_drawn(self):
        """The test strategies know how to build every registered kind."""
        for cls in KINDS:
            kind_fields(cls)


class TestFoldFast:
    @settings(max_examples=300, deadline=None)
    @given(event_lists)
    def test_lenient_fold_equals_the_pure_fold(self, events):
        """Any sequence of events of any kinds folds leniently to the same world, anomalies included."""
        assert fold_fast(events, strict=False) == fold(events, strict=False)

    @settings(max_examples=300, deadline=None)
    @given(strict_lists)
    def test_strict_fold_equals_the_pure_fold_or_fails_the_same_way(self, events):
        """Strict folds give the same world, or the same TransitionError at the same event."""
        assert outcome(fold_fast, events) == outcome(fold, events)

    @settings(max_examples=150, deadline=None)
    @given(valid_logs(min_size=10, max_size=40, codes=("BOL", "USA")))
    def test_a_valid_history_folds_strictly_to_the_same_world(self, log):
        """A history every rule allows (one pair, so long chains: a nomination then its refusal, a programme then
        its easing) folds strictly without error in both folds, to the same world."""
        assert fold_fast(log) == fold(log)

    @pytest.mark.parametrize("cls", KINDS, ids=lambda cls: cls.KIND)
    @settings(max_examples=40, deadline=None)
    @given(data=st.data())
    def test_each_kind_after_any_history_matches(self, cls, data):
        """Every kind, met in any state a short history can reach, changes the world as the pure reducer does."""
        before = data.draw(st.lists(an_event(), max_size=15))
        after = data.draw(st.lists(an_event(), max_size=3))
        events = numbered([*before, data.draw(an_event(st.just(cls))), *after])
        assert fold_fast(events, strict=False) == fold(events, strict=False)
        assert outcome(fold_fast, events) == outcome(fold, events)

    @settings(max_examples=150, deadline=None)
    @given(event_lists, st.integers(0, 40))
    def test_resuming_from_a_checkpoint_equals_folding_everything(self, events, cut):
        """Folding the rest from a checkpoint world (the counterfactual replay path) equals one fold of all."""
        checkpoint = fold(events[:cut], strict=False)
        assert fold_fast(events[cut:], strict=False, initial=checkpoint) == fold(events, strict=False)

    @settings(max_examples=150, deadline=None)
    @given(event_lists, st.integers(0, 40))
    def test_world_can_be_taken_mid_fold(self, events, cut):
        """A folder's world taken part-way and again at the end equals the pure folds of both prefixes."""
        folder = FastFolder(strict=False)
        folder.feed(events[:cut])
        assert folder.world() == fold(events[:cut], strict=False)
        folder.feed(events[cut:])
        assert folder.world() == fold(events, strict=False)

    def test_an_unregistered_kind_is_rejected_like_the_pure_reducer_does(self):
        """An event class with no handler raises UnknownEventKindError naming it, in both folds."""

        @attrs.frozen(kw_only=True)
        class Unheard(ev.Event):
            KIND = "unheard"

        event = Unheard(id="u1", date="2000", actor="AAA", target="BBB", sources=["test"])
        messages = []
        for folding in (fold, fold_fast):
            with pytest.raises(UnknownEventKindError) as raised:
                folding([event])
            messages.append(str(raised.value))
        assert messages[0] == messages[1]
        assert "Unheard" in messages[0]

    def test_a_dissolved_actor_breaks_the_rule_in_both_folds(self):
        """After a state dissolves, an event naming it fails strictly with the pure reducer's message."""
        events = numbered(
            [
                (ev.StateDissolved, {"actor": "AAA", "date": DATES[0]}),
                (ev.StatementMade, {"actor": "BBB", "target": "AAA", "date": DATES[1]}),
            ]
        )
        assert outcome(fold_fast, events) == outcome(fold, events)
        assert outcome(fold, events)[0] == "TransitionError"


class TestColumnarIndex:
    @settings(max_examples=100, deadline=None)
    @given(event_lists, st.lists(st.integers(726_000, 728_000), min_size=1, max_size=5))
    def test_state_at_equals_history(self, events, ordinals):
        """The columnar index answers every pair on every day as History does."""
        log = ev.Log.of(events, TABLE)
        history = History(log, strict=False)
        index = ColumnarIndex(log, strict=False)
        assert index.final == history.final
        for ordinal in ordinals:
            day = datetime.date.fromordinal(ordinal)
            for a in ACTORS:
                for b in ACTORS:
                    if a != b:
                        assert index.state_at(a, b, day) == history.state_at(a, b, day).state

    @settings(max_examples=100, deadline=None)
    @given(event_lists, st.integers(726_000, 728_000))
    def test_world_at_holds_the_pairs_some_event_changed(self, events, ordinal):
        """world_at gives History's world restricted to pairs a state-changing event had reached by then."""
        log = ev.Log.of(events, TABLE)
        history = History(log, strict=False)
        index = ColumnarIndex(log, strict=False)
        day = datetime.date.fromordinal(ordinal)
        changed_by_then = {
            ev.pair_of(e.actor, e.target)
            for e in log
            if e.target is not None and FAST_HANDLERS[type(e)] is not None and e.date.earliest <= day
        }
        expected = {key: state for key, state in history.world_at(day).items() if key in changed_by_then}
        assert index.world_at(day) == expected
        assert index._world_at_by_bisect(ordinal) == expected
        listed = index.states_at(day)
        assert {key: state for key, state in zip(index.pair_keys, listed, strict=True) if state} == expected
        assert len(listed) == len(index.pairs())

    def test_unknown_actor_is_refused(self):
        """Asking about an actor the log's table lacks raises UnknownPairError, as History does."""
        from engine import UnknownPairError

        index = ColumnarIndex(ev.Log.of([], TABLE))
        with pytest.raises(UnknownPairError):
            index.state_at("AAA", "ZZZ", "2000")
