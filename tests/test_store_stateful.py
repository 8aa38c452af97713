"""A stateful test: appends, corrections, retractions and as-recorded queries against each backend match a list."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from engine.store import ConflictError, EventStore, RecordRefusedError, verify
from engine.store._records import event_payload
from events import Log

from factories import make

DATES = ("1990", "1990-05", "1990-05-01", "1991-02-14", "1989")
"""Few dates, so that events share dates (ties keep the order they were first recorded in) and arrive backdated."""


class Model:
    """The record as a list of (operation, event id, event or None), and the history it stands for at any length."""

    def __init__(self) -> None:
        self.records: list[tuple[str, str, object]] = []

    def current(self, length: int | None = None) -> dict:
        """Event id -> (first position, event or None if retracted), after the first `length` records."""
        state: dict = {}
        for position, (operation, event_id, event) in enumerate(self.records[:length], start=1):
            first = state[event_id][0] if event_id in state else position
            state[event_id] = (first, None if operation == "retract" else event)
        return state

    def log(self, length: int | None = None) -> Log:
        state = self.current(length)
        return Log.of(event for _, event in sorted(state.values(), key=lambda entry: entry[0]) if event is not None)

    def outcome(self, operation: str, event_id: str, event) -> str:
        """What the store must do with one record: "write", "skip" or "refuse" (the rules, written plainly)."""
        found = self.current().get(event_id)
        if operation == "event":
            if found is None:
                return "write"
            if found[1] is None:
                return "refuse"
            return "skip" if event_payload(found[1]) == event_payload(event) else "refuse"
        if found is None:
            return "refuse"
        if operation == "retract":
            return "skip" if found[1] is None else "write"
        if found[1] is None:
            return "refuse"
        return "skip" if event_payload(found[1]) == event_payload(event) else "write"


class StoreMachine(RuleBasedStateMachine):
    """Drives a real store and the list model with the same commands."""

    new_url = None  # set per backend by the fixture below

    def __init__(self) -> None:
        super().__init__()
        self.url = type(self).new_url()
        self.store = EventStore.open(self.url, create=True)
        self.model = Model()
        self.ids = itertools.count()
        self.appended: list = []

    def teardown(self) -> None:
        self.store.close()

    def _do(self, operation: str, records: list, call, stale: int = 0) -> None:
        outcomes = [self.model.outcome(operation, event_id, event) for event_id, event in records]
        length = len(self.model.records)
        expected = length - stale if stale else None
        if "refuse" in outcomes:
            with pytest.raises(RecordRefusedError):
                call(expected)
        elif "write" in outcomes and stale:
            with pytest.raises(ConflictError) as conflict:
                call(expected)
            assert (conflict.value.expected, conflict.value.actual) == (length - stale, length)
        else:
            result = call(expected)
            assert result.written == outcomes.count("write")
            # Within one call, a later record of the same id sees the earlier: apply them one by one.
            for (event_id, event), _ in zip(records, outcomes, strict=True):
                if self.model.outcome(operation, event_id, event) == "write":
                    self.model.records.append((operation, event_id, event))
        assert self.store.head().position == len(self.model.records)

    @rule(
        dates=st.lists(st.sampled_from(DATES), min_size=1, max_size=3),
        stale=st.sampled_from([0, 0, 0, 1]),
    )
    def append_new(self, dates, stale):
        if stale > len(self.model.records):
            stale = 0
        events = [make("statement", date, "BOL", "USA", id=f"e{next(self.ids)}") for date in dates]
        self._do(
            "event", [(e.id, e) for e in events], lambda expected: self.store.append(events, expected=expected), stale
        )
        self.appended.extend(events)

    @precondition(lambda self: self.appended)
    @rule(data=st.data())
    def retry_an_append(self, data):
        event = data.draw(st.sampled_from(self.appended))
        self._do("event", [(event.id, event)], lambda expected: self.store.append([event], expected=expected))

    @precondition(lambda self: self.appended)
    @rule(data=st.data(), date=st.sampled_from(DATES), note=st.sampled_from(["", "corrected", "again"]))
    def correct(self, data, date, note):
        old = data.draw(st.sampled_from(self.appended))
        event = make("statement", date, "BOL", "USA", id=old.id, note=note)
        self._do("correct", [(event.id, event)], lambda expected: self.store.correct([event], expected=expected))

    @precondition(lambda self: self.appended)
    @rule(data=st.data())
    def retract(self, data):
        event_id = data.draw(st.sampled_from(self.appended)).id
        self._do("retract", [(event_id, None)], lambda expected: self.store.retract([event_id], expected=expected))

    @rule()
    def reopen(self):
        """A new connection (no cached view) reads what the old one wrote."""
        self.store.close()
        self.store = EventStore.open(self.url)

    @rule(data=st.data())
    def as_recorded(self, data):
        position = data.draw(st.integers(min_value=0, max_value=len(self.model.records)))
        assert self.store.scenario(as_recorded=position).log == self.model.log(position)

    @invariant()
    def the_history_is_the_models(self):
        assert self.store.scenario().log == self.model.log()

    @invariant()
    def the_chain_holds(self):
        verdicts = verify(self.store.recorder)
        assert all(verdict.ok for verdict in verdicts)
        assert sum(verdict.records for verdict in verdicts) == len(self.model.records)


class SQLiteMachine(StoreMachine):
    pass


class PostgresMachine(StoreMachine):
    pass


_SETTINGS = settings(stateful_step_count=12, max_examples=min(settings.default.max_examples, 25))
TestStoreSQLite = SQLiteMachine.TestCase
TestStoreSQLite.settings = _SETTINGS
TestStorePostgres = PostgresMachine.TestCase
TestStorePostgres.settings = _SETTINGS


@pytest.fixture(autouse=True)
def _urls(request, tmp_path_factory):
    """Give each machine its backend's way to make a new store."""
    if request.cls is TestStorePostgres:
        PostgresMachine.new_url = request.getfixturevalue("postgres_server").fresh_url
    elif request.cls is TestStoreSQLite:
        folder, counter = tmp_path_factory.mktemp("machine"), itertools.count()
        SQLiteMachine.new_url = lambda: str(folder / f"store-{next(counter)}.db")
