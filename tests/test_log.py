import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from events import (
    Actor,
    EnvoyAccredited,
    GovernmentChanged,
    ImpreciseDate,
    Log,
    LogError,
    RelationsEstablished,
    StatementMade,
    builtin_actors,
    check_events,
    events_of_units,
    naming,
    target_of,
)
from events.strategies import any_event, valid_logs

SRC = ["test"]


def established(id, date, actor="USA", target="BOL", caused_by=()):
    return RelationsEstablished(id=id, date=date, actor=actor, target=target, sources=SRC, caused_by=caused_by)


def said(id, date, caused_by=(), actor="BOL"):
    return StatementMade(id=id, date=date, actor=actor, sources=SRC, caused_by=caused_by)


class TestOrder:
    def test_sorted_by_date_then_given_order(self):
        """Events sort by date; events on the same date keep the order they were given in."""
        log = Log.of([said("c", "2008-09-10"), said("a", "2008"), said("b", "2008-09-10"), said("d", "2007-12-31")])
        assert [e.id for e in log] == ["d", "a", "c", "b"]

    def test_position_get_and_contains(self):
        """Events can be found by id."""
        log = Log.of([said("x", "2001"), said("y", "2000")])
        assert log.position("x") == 1 and log.get("y").id == "y"
        assert "x" in log and "z" not in log
        with pytest.raises(LogError, match="no event with this id"):
            log.position("z")

    def test_pairs_and_effects(self):
        """The log lists the pairs it touches and the transitive effects of an event."""
        log = Log.of(
            [
                said("root", "2000"),
                said("child", "2001", caused_by=["root"]),
                said("grandchild", "2002", caused_by=["child"]),
                said("other", "2003"),
                established("rel", "2004"),
            ]
        )
        assert log.effects_of("root") == ["child", "grandchild"]
        assert log.pairs() == {("BOL", "USA")}


class TestRules:
    def test_duplicate_id(self):
        """Two events with one id are refused, naming the id."""
        with pytest.raises(LogError) as raised:
            Log.of([said("same", "2000"), said("same", "2001")])
        assert raised.value.event_id == "same" and raised.value.field == "id"

    def test_unknown_cause(self):
        """A cause that is not in the log is refused."""
        with pytest.raises(LogError, match="expected the id of an event in the log, found 'ghost'"):
            Log.of([said("a", "2000", caused_by=["ghost"])])

    def test_later_cause(self):
        """A cause dated after its effect is refused."""
        with pytest.raises(LogError, match="comes after this event") as raised:
            Log.of([said("effect", "2000", caused_by=["cause"]), said("cause", "2001")])
        assert raised.value.event_id == "effect" and raised.value.field == "caused_by"

    def test_self_cause(self):
        """An event cannot cause itself."""
        with pytest.raises(LogError, match="cannot cause itself"):
            Log.of([said("a", "2000", caused_by=["a"])])

    def test_cycle(self):
        """Two events that cause each other are reported as a cycle."""
        with pytest.raises(LogError, match="cycle"):
            Log.of([said("a", "2000", caused_by=["b"]), said("b", "2000", caused_by=["a"])])

    def test_unknown_actor(self):
        """An actor missing from the table is refused, naming the field."""
        with pytest.raises(LogError, match="found 'ZZZ'") as raised:
            Log.of([established("a", "2000", target="ZZZ")])
        assert raised.value.field == "target"

    def test_outside_existence(self):
        """An event dated certainly after an actor ceased to exist is refused."""
        confederation = Actor("XPB", "Peru–Bolivian Confederation", None, ImpreciseDate.parse("1836"), None)
        table = builtin_actors().with_actors(
            [
                Actor(
                    "XPB", "Peru–Bolivian Confederation", None, ImpreciseDate.parse("1836"), ImpreciseDate.parse("1839")
                )
            ]
        )
        Log.of([established("ok", "1837", target="XPB")], table)
        Log.of([established("edge", "1839-12-31", target="XPB")], table)
        with pytest.raises(LogError, match="XPB existed 1836/1839"):
            Log.of([established("late", "1840", target="XPB")], table)
        with pytest.raises(LogError, match="existed"):
            Log.of([established("early", "1835", target="XPB")], builtin_actors().with_actors([confederation]))

    def test_not_an_event(self):
        """Anything but an event of a registered kind is refused."""
        with pytest.raises(LogError, match="expected an event"):
            Log.of(["not an event"])

    def test_check_events_lists_every_problem(self):
        """check_events reports all problems, not just the first."""
        problems = check_events(
            [said("a", "2000", caused_by=["ghost"]), said("a", "2001"), established("b", "2002", target="QQQ")]
        )
        assert {(p.event_id, p.field) for p in problems} == {("a", "id"), ("b", "target"), ("a", "caused_by")}
        assert check_events([said("fine", "2000")]) == []

    def test_unilateral_events_need_no_target(self):
        """A change of government names only its actor."""
        log = Log.of([GovernmentChanged(id="g", date="2006-01-22", actor="BOL", leader="Evo Morales", sources=SRC)])
        assert log.pairs() == set()

    def test_equality(self):
        """Logs of the same events over the same actors are equal."""
        events = [
            said("a", "2000"),
            EnvoyAccredited(id="e", date="2001", actor="USA", target="BOL", rank="charge", sources=SRC),
        ]
        assert Log.of(events) == Log.of(list(reversed(events)))


class TestWithSuffix:
    @settings(max_examples=150, deadline=None)
    @given(log=valid_logs(max_size=10), data=st.data())
    def test_checking_only_the_suffix_gives_what_checking_everything_gives(self, log, data):
        """A log's prefix and any suffix (its own later events, repeats of earlier ones, new events that may
        name unknown causes or actors) give the log `Log.of` gives, positions included, or its first error."""
        start = data.draw(st.integers(0, len(log)))
        own = data.draw(st.lists(st.sampled_from(log.events), max_size=3)) if len(log) else []
        new = data.draw(st.lists(any_event(), max_size=3))
        later = [event for event in log.events[start:] if data.draw(st.booleans())]
        suffix = sorted([*later, *own, *new], key=lambda event: event.date.sort_key)
        whole = (*log.events[:start], *suffix)
        try:
            expected = Log.of(whole, log.actors)
        except LogError as error:
            with pytest.raises(LogError) as caught:
                log.with_suffix(start, suffix)
            assert str(caught.value) == str(error)
        else:
            found = log.with_suffix(start, suffix)
            assert found == expected
            assert [found.position(event.id) for event in found] == list(range(len(found)))

    def test_a_start_outside_the_log_is_refused(self):
        """A start past the end names the range it expected."""
        log = Log.of([established("a", "1900")])
        with pytest.raises(LogError, match="start within the log"):
            log.with_suffix(2, [])


class TestPickingEvents:
    def test_naming_finds_an_actor_as_actor_or_target_and_dissolutions_when_asked(self):
        """`naming` keeps log order; `targets=False` drops events naming the code only as target."""
        log = Log.of([established("a", "1900"), established("b", "1901", actor="BOL", target="PER"), said("c", "1902")])
        assert [e.id for e in naming(log.events, {"USA"})] == ["a"]
        assert [e.id for e in naming(log.events, {"BOL"})] == ["a", "b", "c"]
        assert [e.id for e in naming(log.events, {"BOL"}, targets=False)] == ["b", "c"]

    def test_events_of_units_are_a_pairs_events_and_every_dissolution(self):
        """The events a refold of BOL-USA needs: that pair's, whoever acted, and no other pair's."""
        log = Log.of([established("a", "1900"), established("b", "1901", actor="BOL", target="PER"), said("c", "1902")])
        assert [e.id for e in events_of_units(log.events, {("BOL", "USA")})] == ["a"]
        assert [e.id for e in events_of_units(log.events, {("BOL",)})] == ["c"]


class TestTargetOf:
    def test_a_pair_event_gives_its_target(self):
        """target_of gives a pair event's target."""
        assert target_of(established("e1", "1900", actor="USA", target="BOL")) == "BOL"

    def test_an_event_without_a_target_is_refused_naming_it(self):
        """An event without a target, where a pair was needed, is a LogError naming its id and the field."""
        with pytest.raises(LogError, match="target") as caught:
            target_of(said("s1", "2001"))
        assert caught.value.event_id == "s1"
        assert caught.value.field == "target"
        assert "statement" in str(caught.value)
