"""The eventsourcing library as a peer: one aggregate per pair, whose events replay into the same state."""

from __future__ import annotations

import time

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from engine import apply_to_pair, fold_fast, initial_pair
from events import Event, event_from_dict, event_to_dict, pair_of


class PairHistory(Aggregate):
    """A pair's relationship as an eventsourcing aggregate; applying an event uses legation's reducer.

    So the state it replays to is, by construction, the state `engine.fold` gives: what is measured is
    the library's cost to store, load, decode and re-apply events (its idiomatic replay).
    """

    @event("Started")
    def __init__(self, a: str, b: str) -> None:
        self.state = initial_pair(a, b)

    @event("Happened")
    def happen(self, fields: dict) -> None:
        self.state, _ = apply_to_pair(self.state, event_from_dict(fields))


class Relations(Application):
    """An application with the default (in-memory) event store."""


def eventsourcing_replay(events: list[Event]) -> tuple[float, bool]:
    """Store the pair events as aggregates (not timed), then time (CPU) replaying every aggregate from the store.

    Returns:
        The replay's seconds, and whether every replayed state equals legation's fold.
    """
    application = Relations()
    aggregates: dict[tuple[str, str], PairHistory] = {}
    for item in events:
        key = pair_of(item.actor, item.target)
        aggregate = aggregates.get(key)
        if aggregate is None:
            aggregate = aggregates[key] = PairHistory(*key)
        aggregate.happen(event_to_dict(item))
    application.save(*aggregates.values())
    ids = {key: aggregate.id for key, aggregate in aggregates.items()}
    del aggregates
    started = time.process_time()
    replayed = {key: application.repository.get(aggregate_id) for key, aggregate_id in ids.items()}
    seconds = time.process_time() - started
    world = fold_fast(events)
    equal = all(aggregate.state == world.pair(*key) for key, aggregate in replayed.items())
    return seconds, equal
