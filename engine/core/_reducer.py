"""The pure reducer: `apply(state, event) -> state`, reading each kind's rule from the rule book (strict or lenient)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import reduce
from typing import Any

import attrs

import events as ev
from engine.core._rules import ACTOR, ACTOR_KINDS, RULES, TARGET, actor_after, dissolved_rule
from engine.core._state import EMPTY_WORLD, Anomaly, PairState, Side, WorldState, initial_pair
from events import Event, EventDate, LegationError

# Handlers take the pair's state and the event and return the new state and the rules it broke.
# They always return a state: in lenient mode the fold records the broken rules and goes on with it.
PairHandler = Callable[[PairState, Event], tuple[PairState, list[str]]]
_PAIR_HANDLERS: dict[type[Event], PairHandler] = {}


class TransitionError(LegationError, ValueError):
    """An event that cannot happen in the state it meets (strict mode).

    Attributes:
        event_id: the event's id.
        date: the event's date.
        rule: the rule it broke.
    """

    def __init__(self, event_id: str, date: EventDate, rule: str) -> None:
        self.event_id = event_id
        self.date = date
        self.rule = rule
        super().__init__(f"event {event_id!r} ({date}): {rule}")


class UnknownEventKindError(LegationError, TypeError):
    """An event of a class no handler is registered for."""


def handles(*kinds: type[Event]) -> Callable[[PairHandler], PairHandler]:
    """Register a pair handler for event kinds."""

    def register(handler: PairHandler) -> PairHandler:
        for cls in kinds:
            _PAIR_HANDLERS[cls] = handler
        return handler

    return register


def _unchanged(state: PairState, event: Event) -> tuple[PairState, list[str]]:
    return state, []


# Kinds the rule book has no pair rule for change no pair (the actor-level kinds are applied in `apply`).
for _cls in ev.EVENT_KINDS.values():
    if _cls not in RULES and _cls not in ACTOR_KINDS:
        _PAIR_HANDLERS[_cls] = _unchanged


# --- Interpreting the rule book --------------------------------------------------------------


class _Draft:
    """A frozen attrs instance as a rule sees it: reads fall through to it, writes are kept for `attrs.evolve`.

    A pair's draft hands out drafts of its sides (`ab`, `ba`), so what a rule writes through `side` and
    through `pair.ab` is one draft.
    """

    __slots__ = ("_base", "_changes")

    def __init__(self, base: Any) -> None:
        object.__setattr__(self, "_base", base)
        object.__setattr__(self, "_changes", {})

    def __getattr__(self, name: str) -> Any:
        changes = self._changes
        if name in changes:
            return changes[name]
        value = getattr(self._base, name)
        if isinstance(value, Side):
            value = changes[name] = _Draft(value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        self._changes[name] = value

    def evolved(self) -> Any:
        """The frozen instance with every write applied (the instance itself when nothing was written)."""
        changes = {
            name: value.evolved() if isinstance(value, _Draft) else value for name, value in self._changes.items()
        }
        return attrs.evolve(self._base, **changes) if changes else self._base


def _by_the_rule_book(state: PairState, event: Event) -> tuple[PairState, list[str]]:
    rule, acts_on = RULES[type(event)]
    pair = _Draft(state)
    side = None
    if acts_on in (ACTOR, TARGET):
        sender = event.actor if acts_on == ACTOR else event.target
        side = pair.ab if sender == state.a else pair.ba
    broken = rule(pair, side, event)
    return pair.evolved(), broken or []


_PAIR_HANDLERS.update(dict.fromkeys(RULES, _by_the_rule_book))


# --- The fold ------------------------------------------------------------------------------


def apply_to_pair(state: PairState, event: Event) -> tuple[PairState, list[str]]:
    """The new state of the event's pair and the rules the event broke (empty when it is possible).

    Raises:
        UnknownEventKindError: no handler is registered for the event's class.
    """
    handler = _PAIR_HANDLERS.get(type(event))
    if handler is None:
        message = f"no reducer handler for event kind {type(event).__name__} (event {event.id!r})"
        raise UnknownEventKindError(message)
    return handler(state, event)


def _actor_rules(world: WorldState, event: Event) -> list[str]:
    broken = []
    for code in (event.actor, event.target):
        if code is None:
            continue
        dissolved = world.actor(code).dissolved
        if dissolved is not None:
            broken.append(dissolved_rule(code, dissolved))
    return broken


def apply(state: WorldState, event: Event, *, strict: bool = True) -> WorldState:
    """The world state after one event. Pure: `state` and `event` are not changed.

    Args:
        state: the state before the event.
        event: the event.
        strict: raise on an impossible transition; when False, record it in `anomalies` and go on.

    Raises:
        TransitionError: (strict) the event breaks a rule in this state; names event id, date, rule.
        UnknownEventKindError: no handler for the event's class.
    """
    broken = _actor_rules(state, event)
    pairs, actors = state.pairs, state.actors
    if isinstance(event, ACTOR_KINDS):
        actors = actors.set(event.actor, actor_after(state.actor(event.actor), event))
    elif event.target is not None:
        key = (event.actor, event.target) if event.actor <= event.target else (event.target, event.actor)
        before = pairs.get(key) or initial_pair(*key)
        after, pair_broken = apply_to_pair(before, event)
        broken.extend(pair_broken)
        if after is not before:
            pairs = pairs.set(key, after)
    elif type(event) not in _PAIR_HANDLERS:
        apply_to_pair(initial_pair(event.actor, event.actor), event)  # raises for unknown kinds
    anomalies = state.anomalies
    if broken:
        if strict:
            raise TransitionError(event.id, event.date, "; ".join(broken))
        anomalies = anomalies + tuple(Anomaly(event.id, event.date, rule) for rule in broken)
    if pairs is state.pairs and actors is state.actors and anomalies is state.anomalies:
        return state
    return WorldState(pairs, actors, anomalies)


def fold(events: Iterable[Event], *, strict: bool = True, initial: WorldState = EMPTY_WORLD) -> WorldState:
    """The world state after all the events, in the order given (a log's order for a `Log`)."""
    return reduce(lambda state, event: apply(state, event, strict=strict), events, initial)


def fold_from(state: WorldState, events: Iterable[Event], *, strict: bool = True) -> WorldState:
    """Continue a fold: `fold_from(fold(a), b) == fold(a + b)`."""
    return fold(events, strict=strict, initial=state)


def check_transitions(events: Iterable[Event]) -> list[Anomaly]:
    """Every impossible transition in a sequence of events (a lenient fold's anomalies)."""
    return list(fold(events, strict=False).anomalies)
