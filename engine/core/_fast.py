"""The fast fold: a mutable accumulator per pair, proven equal to the pure reducer, freezing states on demand.

Both this fold and the pure reducer (`engine.apply`, the reference) interpret one rule book,
`engine.core._rules`: here a rule writes straight into the accumulator's slots, which carry the attribute names
of `PairState` and `Side`. `tests/test_fast.py` checks with Hypothesis that folding any sequence of events
of every kind gives an equal `WorldState` (strict and lenient) or the same `TransitionError`.

Why it is faster (see the README's Performance section for the profile): the pure fold spends most of
its time in `attrs.evolve` (two per event), `immutables.Map.set` and building a new `WorldState` per
event. Here a pair's state is a mutable `__slots__` object updated in place; its frozen `PairState` is
built only when asked for and cached until the next change. The sets (posts, agencies, persona non
grata) stay frozensets, so freezing never copies them.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs

import events as ev
from engine.core._reducer import TransitionError, UnknownEventKindError
from engine.core._rules import ACTOR, ACTOR_KINDS, BOTH, PAIR, RULES, TARGET, actor_after, agency_named, dissolved_rule
from engine.core._state import (
    EMPTY_ACTOR,
    EMPTY_SIDE,
    EMPTY_WORLD,
    ActorState,
    Agency,
    Anomaly,
    PairState,
    Side,
    WorldState,
)
from events import Event, EventDate

_NOTHING: frozenset[Any] = frozenset()


class _SideAcc:
    """One direction of a pair, mutable; `frozen` caches the equal `Side` until the next change."""

    __slots__ = (
        "agencies",
        "aid",
        "certification",
        "designations",
        "envoy",
        "frozen",
        "government",
        "government_status",
        "level",
        "mission_status",
        "nominee",
        "nominee_rank",
        "nominee_status",
        "persona_non_grata",
        "posts",
        "protecting_power",
        "recognizes",
        "sanctions",
        "staff_cap",
        "staff_capped",
        "visa_required",
    )

    def __init__(self, side: Side) -> None:
        self.recognizes = side.recognizes
        self.level = side.level
        self.envoy = side.envoy
        self.posts = side.posts
        self.agencies = side.agencies
        self.aid = side.aid
        self.certification = side.certification
        self.visa_required = side.visa_required
        self.persona_non_grata = side.persona_non_grata
        self.government = side.government
        self.government_status = side.government_status
        self.sanctions = side.sanctions
        self.designations = side.designations
        self.protecting_power = side.protecting_power
        self.mission_status = side.mission_status
        self.staff_capped = side.staff_capped
        self.staff_cap = side.staff_cap
        self.nominee = side.nominee
        self.nominee_rank = side.nominee_rank
        self.nominee_status = side.nominee_status
        self.frozen: Side | None = side

    def freeze(self, interned: dict[tuple[Any, ...], Side]) -> Side:
        """The immutable `Side` equal to this one (cached until the next change).

        `interned` is the fold's table of the sides it has frozen, by their values: an equal side met again
        (most are: a few thousand distinct among tens of thousands frozen) is shared rather than built anew,
        which is both the cost of freezing (a 20-field attrs constructor) and most of a state's memory. Safe
        because a `Side` is immutable and compares by value; each field holds one type (bools are refused
        where counts go), so equal tuples mean equal sides.
        """
        frozen = self.frozen
        if frozen is None:
            values = (
                self.recognizes,
                self.level,
                self.envoy,
                self.posts,
                self.agencies,
                self.aid,
                self.certification,
                self.visa_required,
                self.persona_non_grata,
                self.government,
                self.government_status,
                self.sanctions,
                self.designations,
                self.protecting_power,
                self.mission_status,
                self.staff_capped,
                self.staff_cap,
                self.nominee,
                self.nominee_rank,
                self.nominee_status,
            )
            frozen = interned.get(values)
            if frozen is None:
                frozen = interned[values] = Side(*values)
            self.frozen = frozen
        return frozen

    def agency(self, name: str) -> Agency | None:
        """This side's agency of this name, if it operates there."""
        return agency_named(self, name)


def _empty_side() -> _SideAcc:
    side = _SideAcc.__new__(_SideAcc)
    side.recognizes, side.level, side.envoy = False, "none", None
    side.posts = side.agencies = side.persona_non_grata = _NOTHING
    side.aid, side.certification, side.visa_required = "none", "none", None
    side.government, side.government_status = None, "unknown"
    side.sanctions = side.designations = _NOTHING
    side.protecting_power, side.mission_status = None, "operating"
    side.staff_capped, side.staff_cap = False, None
    side.nominee = side.nominee_rank = side.nominee_status = None
    side.frozen = EMPTY_SIDE
    return side


class PairAccumulator:
    """The state of one pair, mutable, for the fast fold; `freeze()` gives the equal `PairState`."""

    __slots__ = (
        "a",
        "ab",
        "agreed_level",
        "b",
        "ba",
        "consular",
        "consular_since",
        "frozen",
        "interned",
        "relations",
        "relations_since",
    )

    def __init__(self, state: PairState, interned: dict[tuple[Any, ...], Side]) -> None:
        self.interned = interned
        """The fold's table of frozen sides by value (see `_SideAcc.freeze`), shared by all its pairs."""
        self.a = state.a
        self.b = state.b
        self.relations = state.relations
        self.relations_since = state.relations_since
        self.agreed_level = state.agreed_level
        self.ab = _SideAcc(state.ab)
        self.ba = _SideAcc(state.ba)
        self.consular = state.consular
        self.consular_since = state.consular_since
        self.frozen: PairState | None = state

    def freeze(self) -> PairState:
        """The immutable `PairState` equal to this one (cached until the next change)."""
        frozen = self.frozen
        if frozen is None:
            frozen = self.frozen = PairState(
                self.a,
                self.b,
                self.relations,
                self.relations_since,
                self.agreed_level,
                self.ab.freeze(self.interned),
                self.ba.freeze(self.interned),
                self.consular,
                self.consular_since,
            )
        return frozen

    def side(self, frm: str) -> _SideAcc:
        """The direction from `frm` to the other actor of the pair."""
        return self.ab if frm == self.a else self.ba


# The accumulators spell out the fields of Side and PairState (loops over attrs.fields measured ~25% slower
# at 1e5 events); a field added to either must be added above too, which this check says at import.
_MISSING = {field.name for field in attrs.fields(Side)} - set(_SideAcc.__slots__)
_MISSING |= {field.name for field in attrs.fields(PairState)} - set(PairAccumulator.__slots__)
assert not _MISSING, f"engine.core._fast's accumulators lack the state fields {sorted(_MISSING)}"

# The fast path's entry for each event class: the rule book's rule and what it acts on, as a number the
# loop tests cheaply (the side of the actor or of the target; the pair alone; the pair and both sides).
# None for kinds that change no pair state; ACTOR_LEVEL for government_changed and state_dissolved.
ON_ACTOR_SIDE, ON_TARGET_SIDE, ON_PAIR, ON_BOTH_SIDES = 0, 1, 2, 3
_MODE = {ACTOR: ON_ACTOR_SIDE, TARGET: ON_TARGET_SIDE, PAIR: ON_PAIR, BOTH: ON_BOTH_SIDES}
FastEntry = tuple[Callable[..., Any], int]
FAST_HANDLERS: dict[type[Event], FastEntry | None] = {}
"""Fast-path entry by event class; None for kinds that change no pair state. Must cover `EVENT_KINDS`."""
ACTOR_LEVEL: FastEntry = (actor_after, -1)
"""The entry of the actor-level kinds, which the folder applies itself (never called as a pair rule)."""

for _cls in ev.EVENT_KINDS.values():
    FAST_HANDLERS[_cls] = None
for _cls, (_rule, _acts_on) in RULES.items():
    FAST_HANDLERS[_cls] = (_rule, _MODE[_acts_on])
for _cls in ACTOR_KINDS:
    FAST_HANDLERS[_cls] = ACTOR_LEVEL


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk fold (restoring it after).

    Why: a fold allocates millions of small acyclic objects; each allocation burst triggers collections
    that traverse every live object (the whole log), which profiling showed costs up to half the fold.
    Nothing the fold makes has cycles, so reference counting frees it all the same.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _run(entry: FastEntry, pair: PairAccumulator, event: Event) -> list[str] | None:
    """Apply one pair rule to the accumulators in place, marking what it may have changed as not frozen.

    `FastFolder.feed` and `FastFolder.step` inline this (a call per event is measurable); the three must
    stay alike (tests/test_fast.py folds every kind through each).
    """
    rule, mode = entry
    broken: list[str] | None
    if mode < ON_PAIR:
        side = pair.ab if (event.target if mode else event.actor) == pair.a else pair.ba
        broken = rule(pair, side, event)
        pair.frozen = side.frozen = None
    else:
        broken = rule(pair, None, event)
        pair.frozen = None
        if mode == ON_BOTH_SIDES:
            pair.ab.frozen = pair.ba.frozen = None
    return broken


def _unknown(event: Event) -> UnknownEventKindError:
    return UnknownEventKindError(f"no reducer handler for event kind {type(event).__name__} (event {event.id!r})")


_STATE_DISSOLVED = ev.StateDissolved
_UNKNOWN: FastEntry = (actor_after, -2)  # a marker for FAST_HANDLERS.get


class FastFolder:
    """Folds events into mutable per-pair accumulators; `world()` freezes them into a `WorldState`.

    Equal to the pure fold (`fold_fast(events) == fold(events)`, strict or lenient, with the same
    `TransitionError`); starting from any `WorldState`, only the pairs the new events touch are thawed,
    so resuming from a checkpoint costs what the remaining events cost.
    """

    def __init__(self, initial: WorldState = EMPTY_WORLD, *, strict: bool = True) -> None:
        self.initial = initial
        self.strict = strict
        self.pairs: dict[tuple[str, str], PairAccumulator] = {}
        """Accumulators of the pairs the fold has touched."""
        self._actors: dict[str, ActorState] = {}
        self._dissolved: dict[str, EventDate] = {
            code: actor.dissolved for code, actor in initial.actors.items() if actor.dissolved is not None
        }
        self._anomalies: list[Anomaly] = []
        self._published = initial.pairs
        self._interned: dict[tuple[Any, ...], Side] = {}

    def pair(self, key: tuple[str, str]) -> PairAccumulator:
        """The accumulator of a sorted pair key, to read (a pair no event changed yet gets a fresh one)."""
        accumulator = self.pairs.get(key)
        if accumulator is None:
            found = self.initial.pairs.get(key)
            accumulator = PairAccumulator(found if found is not None else PairState(*key), self._interned)
        return accumulator

    def _thaw(self, key: tuple[str, str]) -> PairAccumulator:
        # `pair` for a handler about to run (which marks the pair changed): a new pair needs no PairState.
        found = self.initial.pairs.get(key)
        if found is not None:
            accumulator = PairAccumulator(found, self._interned)
        else:
            accumulator = PairAccumulator.__new__(PairAccumulator)
            accumulator.interned = self._interned
            accumulator.a, accumulator.b = key
            accumulator.relations, accumulator.relations_since, accumulator.agreed_level = "none", None, None
            accumulator.ab, accumulator.ba = _empty_side(), _empty_side()
            accumulator.consular, accumulator.consular_since = "none", None
            accumulator.frozen = None
        self.pairs[key] = accumulator
        return accumulator

    def feed(self, events: Iterable[Event]) -> None:
        """Apply events in order.

        Raises:
            TransitionError: (strict) an event breaks a rule; same message as `engine.apply`.
            UnknownEventKindError: no handler for an event's class.
        """
        handlers = FAST_HANDLERS
        pairs = self.pairs
        dissolved = self._dissolved
        thaw = self._thaw
        on_pair, on_both_sides = ON_PAIR, ON_BOTH_SIDES  # locals: read once per event
        with paused_gc():
            for event in events:
                try:
                    entry = handlers[event.__class__]
                except KeyError:
                    raise _unknown(event) from None
                if entry is None:
                    if dissolved and (event.actor in dissolved or event.target in dissolved):
                        self._actor_event(event, None)
                elif entry is ACTOR_LEVEL or (dissolved and (event.actor in dissolved or event.target in dissolved)):
                    self._actor_event(event, entry)
                else:
                    actor: str = event.actor
                    target: str = event.target  # type: ignore[assignment]  # a pair rule's kind has a target
                    key = (actor, target) if actor <= target else (target, actor)
                    pair = pairs.get(key) or thaw(key)
                    # _run, inlined
                    rule, mode = entry
                    if mode < on_pair:
                        side = pair.ab if (target if mode else actor) == pair.a else pair.ba
                        broken = rule(pair, side, event)
                        pair.frozen = side.frozen = None
                    else:
                        broken = rule(pair, None, event)
                        pair.frozen = None
                        if mode == on_both_sides:
                            pair.ab.frozen = pair.ba.frozen = None
                    if broken is not None:
                        self._broke(event, broken)

    def step(self, event: Event) -> PairAccumulator | None:
        """Apply one event; return the accumulator of its pair if a state-changing rule ran."""
        entry = FAST_HANDLERS.get(event.__class__, _UNKNOWN)
        if entry is _UNKNOWN:
            raise _unknown(event)
        if entry is None or entry is ACTOR_LEVEL:
            return self._actor_event(event, entry)
        dissolved = self._dissolved
        if dissolved and (event.actor in dissolved or event.target in dissolved):
            return self._actor_event(event, entry)
        actor: str = event.actor
        target: str = event.target  # type: ignore[assignment]  # a pair rule's kind has a target
        key = (actor, target) if actor <= target else (target, actor)
        pair = self.pairs.get(key) or self._thaw(key)
        rule, mode = entry  # _run, inlined (the columnar index steps through every event)
        if mode < ON_PAIR:
            side = pair.ab if (target if mode else actor) == pair.a else pair.ba
            broken = rule(pair, side, event)
            pair.frozen = side.frozen = None
        else:
            broken = rule(pair, None, event)
            pair.frozen = None
            if mode == ON_BOTH_SIDES:
                pair.ab.frozen = pair.ba.frozen = None
        if broken is not None:
            self._broke(event, broken)
        return pair

    def _actor_event(self, event: Event, entry: FastEntry | None) -> PairAccumulator | None:
        # The slow path: actor-level kinds, and any event naming a dissolved actor (rules checked first).
        broken = []
        for code in (event.actor, event.target):  # a loop, not a comprehension: this runs for every event of step()
            if code is not None and code in self._dissolved:
                broken.append(dissolved_rule(code, self._dissolved[code]))
        pair = None
        if entry is ACTOR_LEVEL:
            current = self._actors.get(event.actor) or self.initial.actors.get(event.actor) or EMPTY_ACTOR
            self._actors[event.actor] = actor_after(current, event)
        elif entry is not None and event.target is not None:
            actor, target = event.actor, event.target
            key = (actor, target) if actor <= target else (target, actor)
            pair = self.pairs.get(key) or self._thaw(key)
            broken.extend(_run(entry, pair, event) or ())
        if broken:
            self._broke(event, broken)
        if event.__class__ is _STATE_DISSOLVED:
            # After the rules: an actor's own dissolution does not break the rule it sets.
            self._dissolved[event.actor] = event.date
        return pair

    def _broke(self, event: Event, broken: list[str]) -> None:
        if self.strict:
            raise TransitionError(event.id, event.date, "; ".join(broken))
        self._anomalies.extend(Anomaly(event.id, event.date, rule) for rule in broken)

    def world(self) -> WorldState:
        """The world state now; only pairs changed since the last call are frozen and stored again."""
        pairs = self._published
        published = pairs.get
        changed = []
        for key, pair in self.pairs.items():
            state = pair.freeze()
            if published(key) is not state:
                changed.append((key, state))
        if changed:
            with pairs.mutate() as updating:
                for key, state in changed:
                    updating[key] = state
                pairs = self._published = updating.finish()
        actors = self.initial.actors
        if self._actors:
            with actors.mutate() as updating:
                for code, actor_state in self._actors.items():
                    updating[code] = actor_state
                actors = updating.finish()
        anomalies = self.initial.anomalies + tuple(self._anomalies) if self._anomalies else self.initial.anomalies
        if pairs is self.initial.pairs and actors is self.initial.actors and anomalies is self.initial.anomalies:
            return self.initial
        return WorldState(pairs, actors, anomalies)


def fold_fast(events: Iterable[Event], *, strict: bool = True, initial: WorldState = EMPTY_WORLD) -> WorldState:
    """The same `WorldState` as `engine.fold(events, strict=..., initial=...)`, several times faster.

    Raises:
        TransitionError: (strict) as `engine.fold`, at the same event with the same message.
        UnknownEventKindError: no handler for an event's class.
    """
    with paused_gc():  # one pause for both steps: re-enabling triggers a collection of what they built
        folder = FastFolder(initial, strict=strict)
        folder.feed(events)
        return folder.world()
