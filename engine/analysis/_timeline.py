"""A pair's timeline: its events and its two actors' own events, each with the fields it changed."""

from __future__ import annotations

import datetime
from collections.abc import Collection

import attrs

from engine.core._history import FieldChange, History, Possibility
from engine.core._state import initial_pair
from events import Event, GovernmentChanged, ImpreciseDate, StateDissolved, pair_of


@attrs.frozen
class TimelineEntry:
    """One event of a timeline and what it changed (empty `changes`: it belongs to the record only)."""

    event: Event
    """The event."""
    changes: tuple[FieldChange, ...]
    """Each field it changed, before and after (keys as in `PairState.field_values`, plus
    `leader X` and `dissolved X` for an actor's own events)."""
    unknown_before: tuple[Possibility, ...] = ()
    """For an attestation: what it makes possible on the days before it (unknown there, not none)."""

    @property
    def changes_state(self) -> bool:
        """Whether the event changed anything."""
        return bool(self.changes)


def timeline(
    history: History,
    a: str,
    b: str,
    *,
    start: ImpreciseDate | None = None,
    end: ImpreciseDate | None = None,
    kinds: Collection[str] | None = None,
    changes_only: bool = False,
) -> list[TimelineEntry]:
    """The events of a pair, and the events of either actor alone (changes of government, ...), in history order.

    Args:
        history: the folded log.
        a, b: the pair.
        start, end: keep only events whose date span overlaps [start, end] (either may be None).
        kinds: keep only events of these kinds (file tags), when given.
        changes_only: keep only events that changed some field.

    Raises:
        UnknownPairError: an actor the history does not know.
    """
    steps = {step.event.id: step for step in history.steps(a, b)}
    key = pair_of(a, b)
    previous = initial_pair(*key)
    leaders: dict[str, str | None] = {a: None, b: None}
    entries = []
    for event in history.log:
        if event.target is not None and pair_of(event.actor, event.target) == key:
            step = steps.get(event.id)
            if step is None:  # not folded (cannot happen for a log the history was built from)
                continue
            before, after = previous.field_values(), step.state.field_values()
            changes = tuple(FieldChange(field, before[field], after[field], (event.id,)) for field in step.changed)
            previous = step.state
        elif event.target is None and event.actor in (a, b):
            changes = _own_changes(event, leaders)
        else:
            continue
        if _kept(event, changes, start, end, kinds, changes_only):
            entries.append(TimelineEntry(event, changes, _unknown_before(history, event)))
    return entries


def _unknown_before(history: History, event: Event) -> tuple[Possibility, ...]:
    """What an attesting event leaves possible (unknown) on the day before its earliest day."""
    if event.target is None or event.KIND not in ("post_attested", "envoy_attested"):
        return ()
    day = event.date.earliest - datetime.timedelta(days=1)
    state = history.state_at(event.actor, event.target, day).state
    return tuple(
        item for item in history.possibly_at(event.actor, event.target, day, state) if item.event_id == event.id
    )


def _own_changes(event: Event, leaders: dict[str, str | None]) -> tuple[FieldChange, ...]:
    if isinstance(event, GovernmentChanged):
        before = leaders[event.actor]
        leaders[event.actor] = event.leader
        if before == event.leader:
            return ()
        return (FieldChange(f"leader {event.actor}", before, event.leader, (event.id,)),)
    if isinstance(event, StateDissolved):
        return (FieldChange(f"dissolved {event.actor}", None, str(event.date), (event.id,)),)
    return ()


def _kept(
    event: Event,
    changes: tuple[FieldChange, ...],
    start: ImpreciseDate | None,
    end: ImpreciseDate | None,
    kinds: Collection[str] | None,
    changes_only: bool,
) -> bool:
    if changes_only and not changes:
        return False
    if kinds is not None and event.KIND not in kinds:
        return False
    if start is not None and event.date.latest < start.earliest:
        return False
    return not (end is not None and event.date.earliest > end.latest)
