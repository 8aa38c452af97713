import datetime

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, precondition, rule

from engine import EMPTY_WORLD, LEVELS, History, TransitionError, apply, fold, fold_from
from events import EVENT_KINDS, Log, pair_of
from events.strategies import events_of, imprecise_dates

CODES = ("BOL", "USA", "PER")
PAIRS = [pair_of(a, b) for index, a in enumerate(CODES) for b in CODES[index + 1 :]]
DATES = imprecise_dates(min_year=1990, max_year=1994)


@attrs.frozen
class Branch:
    """A history as it stood when branched: its events and the state the system had folded them to."""

    events: tuple
    world: object


class HistoryMachine(RuleBasedStateMachine):
    """Appends events to a history, queries it as of dates and branches it, checked against a reference model.

    The reference model is the simplest one there is: the list of events, folded from scratch whenever it is
    asked. The system under test is the incremental state (one `apply` per appended event), the `History`
    index built over the log, and earlier branches, which later appends must never disturb.
    """

    branches = Bundle("branches")

    def __init__(self) -> None:
        super().__init__()
        self.events: list = []
        self.world = EMPTY_WORLD
        self.count = 0

    @rule(data=st.data(), kind=st.sampled_from(sorted(EVENT_KINDS)))
    def append(self, data, kind):
        """Append any event (possible or not) dated no earlier than the last; strict and lenient must agree."""
        self.count += 1
        event = data.draw(events_of(kind, codes=CODES, dates=DATES, ids=st.just(f"s{self.count}")))
        if self.events and event.date < self.events[-1].date:
            event = attrs.evolve(event, date=self.events[-1].date)
        if self.events:
            earlier = [item.id for item in self.events]
            causes = data.draw(st.lists(st.sampled_from(earlier), max_size=2, unique=True))
            event = attrs.evolve(event, caused_by=tuple(causes))
        before = self.world
        self.world = apply(before, event, strict=False)
        new_anomalies = self.world.anomalies[len(before.anomalies) :]
        try:
            strict = apply(before, event)
        except TransitionError as error:
            assert new_anomalies, "strict mode refused an event that lenient mode accepted without an anomaly"
            assert error.event_id == event.id and all(a.event_id == event.id for a in new_anomalies)
        else:
            assert not new_anomalies and strict == self.world
        self.events.append(event)

    @precondition(lambda self: self.events)
    @rule(data=st.data())
    def query(self, data):
        """The History index answers as of any day like a fold of the events started by then."""
        history = History(Log.of(self.events), strict=False)
        last = self.events[-1].date.latest
        day = data.draw(st.dates(datetime.date(1989, 12, 31), last + datetime.timedelta(days=1)))
        started = [event for event in self.events if event.date.earliest <= day]
        naive = fold(started, strict=False)
        for a, b in PAIRS:
            assert history.state_at(a, b, day).state == naive.pair(a, b)

    @rule(target=branches)
    def branch(self):
        """Remember the history as it stands, to return to later."""
        return Branch(tuple(self.events), self.world)

    @rule(branch=branches)
    def checkout(self, branch):
        """Return to a branch: its state is still the fold of its events, whatever was appended since."""
        assert branch.world == fold(branch.events, strict=False)
        self.events, self.world = list(branch.events), branch.world

    @precondition(lambda self: len(self.events) >= 2)
    @rule(data=st.data())
    def continue_a_fold(self, data):
        """Folding a head and continuing with the tail gives the state of the whole history."""
        split = data.draw(st.integers(0, len(self.events)))
        head = fold(self.events[:split], strict=False)
        assert fold_from(head, self.events[split:], strict=False) == self.world

    @invariant()
    def matches_the_reference(self):
        """After every step the incremental state equals the reference fold of the event list."""
        assert self.world == fold(self.events, strict=False)

    @invariant()
    def representation_on_the_scale(self):
        """After every step every rank is on the scale and an envoy is named only with a rank."""
        for state in self.world.pairs.values():
            for _, _, side in state.directions():
                assert side.level in LEVELS
                assert side.envoy is None or side.level != "none"


HistoryMachine.TestCase.settings = settings(settings(), stateful_step_count=25)
TestHistoryMachine = HistoryMachine.TestCase
