"""As-of queries over a folded log: state at a date, changes between dates, when a condition held."""

from __future__ import annotations

import datetime
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import immutables

from engine.core._reducer import TransitionError, apply, fold_from
from engine.core._rules import post_of
from engine.core._state import (
    EMPTY_WORLD,
    ActorState,
    Anomaly,
    PairState,
    WorldState,
    changed_fields,
    initial_pair,
)
from events import (
    DateInterval,
    EnvoyAccredited,
    EnvoyAttested,
    Event,
    EventDate,
    GovernmentChanged,
    ImpreciseDate,
    LegationError,
    Log,
    PostAttested,
    PostOpened,
    StateDissolved,
    events_of_units,
    pair_of,
    unit_of,
)

if TYPE_CHECKING:
    from pandas import DataFrame

_Row = TypeVar("_Row")

CHECKPOINT_MIN_INTERVAL = 1024
"""Fewest events between two world-state checkpoints of a `History` (see `History.checkpoint_before`)."""
CHECKPOINT_MAX_COUNT = 256
"""Most checkpoints a `History` keeps: the interval grows with the log so that memory stays modest."""


class UnknownPairError(LegationError, KeyError):
    """A pair or actor the history does not know."""

    def __str__(self) -> str:
        return str(self.args[0])


@attrs.frozen
class Step:
    """One event's effect on one pair: the state after it and the fields it changed."""

    event: Event
    """The event."""
    state: PairState
    """The pair's state after it."""
    changed: tuple[str, ...]
    """The fields it changed (keys as in `PairState.field_values`)."""
    basis: immutables.Map[str, str]
    """For each field set so far, the id of the last event that set it (shared with earlier steps)."""


@attrs.frozen
class Possibility:
    """A value a field possibly had on a day: unknown there, because a source attests it only later.

    An attestation (`post_attested`, `envoy_attested`) shows a post open or a head of mission in post on
    its date, without dating the opening or the accreditation; before that date the log cannot say
    whether it was there. Such a day's answer keeps the known state and lists this, so that "not known"
    does not read as "none".
    """

    field: str
    """The field, keyed as in `PairState.field_values`: `posts A->B` or `representation A->B`."""
    value: Any
    """The `Post` possibly open, or the `(level, envoy)` possibly in post (envoy None when not named)."""
    event_id: str
    """The attesting event."""
    attested: EventDate
    """Its date."""


@attrs.frozen
class AsOf:
    """The answer to "what was the state of this pair on this day?"."""

    pair: tuple[str, str]
    """The pair as asked (first actor first)."""
    day: datetime.date
    """The day the state is of."""
    asked: EventDate
    """The date as asked; a month or year is answered as of its last day."""
    state: PairState
    """The state."""
    uncertain: dict[str, tuple[str, ...]]
    """Fields that an imprecisely dated event may or may not have changed by `day`, or that changed
    inside the asked span, with the ids of those events."""
    basis: dict[str, str]
    """For each field an event has set, the id of the last event that set it."""
    possibly: tuple[Possibility, ...] = ()
    """Values the state does not know on `day` but a later attestation makes possible (unknown, not none)."""


@attrs.frozen
class _Attestation:
    """An attesting event indexed for `History.possibly_at`."""

    event: PostAttested | EnvoyAttested
    direction: tuple[str, str]
    slot: object
    """What it attests: a `Post`, or "representation" (one head of mission per direction)."""
    introduced: int
    """The earliest ordinal of the last event before it, in log order, that made its value known on its
    own (an opening of the post, an accreditation in the direction); -1 when none did. Before that day
    the attestation can be explained by that event and says nothing of the unknown."""


@attrs.frozen
class FieldChange:
    """How one field changed between two dates, and the events that changed it."""

    field: str
    before: Any
    after: Any
    event_ids: tuple[str, ...]


@attrs.frozen
class Period:
    """A stretch of history during which a condition held; `end` None means it still holds."""

    start: EventDate | None
    """Date of the event that made it true; None when it held from the start of the history."""
    end: EventDate | None
    """Date of the event that made it false; None when it holds at the end of the history."""
    start_event: str | None
    end_event: str | None


def as_day(when: datetime.date | EventDate | str) -> tuple[datetime.date, EventDate]:
    """The day a query is answered for (the last day of an imprecise date or interval) and the date as asked."""
    if isinstance(when, str):
        when = ImpreciseDate.parse(when)
    if isinstance(when, ImpreciseDate | DateInterval):
        return when.latest, when
    return when, ImpreciseDate.from_date(when)


@attrs.frozen
class SoundUntil:
    """Where the sound part of a strict history ends: the first impossible event, and the first day it can reach."""

    error: TransitionError
    """The impossible event's error (its id, date and the rule it broke)."""
    first_unsound_day: datetime.date
    """Answers about this day and later could depend on the impossible event or on events after it."""


_ATTESTATION_INDEXED = frozenset({PostOpened, PostAttested, EnvoyAccredited, EnvoyAttested})
"""The kinds `History._index_attestation` keeps: attestations, and the events that make what they attest known."""


class History:
    """A log folded once, indexed for as-of queries.

    Building folds the log once (O(n)); each pair keeps the list of its states after each event that
    touched it, sorted by date, so `state_at` is a binary search: O(log k) for a pair with k events.
    """

    def __init__(self, log: Log, *, strict: bool = True, checkpoint_every: int | None = None) -> None:
        """Fold and index a log.

        Args:
            log: the history.
            strict: raise on an impossible transition; when False, record it as an anomaly and go on.
            checkpoint_every: keep the world state every this many events (for replays that resume
                mid-log); by default the larger of `CHECKPOINT_MIN_INTERVAL` and len(log) / `CHECKPOINT_MAX_COUNT`.

        Raises:
            TransitionError: (strict) an event is impossible in the state it meets.
        """
        self.log = log
        self.strict = strict
        self._steps: dict[tuple[str, str], list[Step]] = {}
        self._keys: dict[tuple[str, str], list[int]] = {}
        self._imprecise: dict[tuple[str, str], list[Step]] = {}
        self._longest_span = 0  # days; bounds how far back an imprecise event can still be undecided
        self._actor_steps: dict[str, list[tuple[int, ActorState, Event]]] = {}
        self._attestations: dict[tuple[str, str], list[_Attestation]] = {}
        self._introductions: dict[tuple[str, str, object], int] = {}
        world = EMPTY_WORLD
        # World states share structure, so a checkpoint costs only the map nodes changed after it.
        every = checkpoint_every or max(CHECKPOINT_MIN_INTERVAL, -(-len(log) // CHECKPOINT_MAX_COUNT))
        self.checkpoint_every: int = every
        self._checkpoints: list[WorldState] = []
        for position, event in enumerate(log):
            if position % every == 0:
                self._checkpoints.append(world)
            before = world
            world = apply(world, event, strict=strict)
            self._record(event, before, world)
        self.final: WorldState = world

    def _record(self, event: Event, before: WorldState, world: WorldState) -> None:
        """Index one event's effect: the step of its pair, or the new state of its actor."""
        if event.target is not None:
            key = pair_of(event.actor, event.target)
            old, new = before.pair(*key), world.pair(*key)
            changed = changed_fields(old, new)
            previous = self._steps.get(key)
            basis = previous[-1].basis if previous else immutables.Map()
            if changed:
                with basis.mutate() as updating:
                    for field in changed:
                        updating[field] = event.id
                    basis = updating.finish()
            step = Step(event, new, changed, basis)
            self._steps.setdefault(key, []).append(step)
            self._keys.setdefault(key, []).append(event.date.earliest.toordinal())
            if event.__class__ in _ATTESTATION_INDEXED:  # a set look-up: most events are none of these
                self._index_attestation(key, event)
            if event.date.earliest != event.date.latest and step.changed:
                self._imprecise.setdefault(key, []).append(step)
                span = (event.date.latest - event.date.earliest).days
                self._longest_span = max(self._longest_span, span)
        elif world.actors is not before.actors:
            self._actor_steps.setdefault(event.actor, []).append(
                (event.date.earliest.toordinal(), world.actor(event.actor), event)
            )

    def _index_attestation(self, key: tuple[str, str], event: Event) -> None:
        """Keep attestations, and the last event that made each attested value known, for `possibly_at`."""
        target = event.target
        if target is None:  # never: the four kinds require a target (and `key` is their pair)
            return
        direction = (event.actor, target)
        slot: object
        if isinstance(event, (PostOpened, PostAttested)):
            slot = post_of(event.post, event.city)
        elif isinstance(event, (EnvoyAccredited, EnvoyAttested)):
            slot = "representation"
        else:
            return
        if isinstance(event, (PostAttested, EnvoyAttested)):
            introduced = self._introductions.get((*direction, slot), -1)
            self._attestations.setdefault(key, []).append(_Attestation(event, direction, slot, introduced))
        else:
            self._introductions[(*direction, slot)] = event.date.earliest.toordinal()

    def possibly_at(self, a: str, b: str, day: datetime.date, state: PairState) -> tuple[Possibility, ...]:
        """What the pair possibly had on `day` beyond the known `state`: each attested value not known then.

        From the pair's first event on, and before the earliest day of an attestation, the attested post
        (or head of mission) is listed, citing the nearest later attestation of it, unless the state
        already shows it or an event between the day and the attestation opened the post (accredited an
        envoy) and so explains what the source saw.
        """
        key = pair_of(a, b)
        attestations = self._attestations.get(key)
        keys = self._keys.get(key)
        if not attestations or not keys or day.toordinal() < keys[0]:
            return ()
        ordinal = day.toordinal()
        first = bisect_right(attestations, ordinal, key=lambda item: item.event.date.earliest.toordinal())
        seen: set[tuple[tuple[str, str], object]] = set()
        found = []
        for item in attestations[first:]:
            slot = (item.direction, item.slot)
            if slot in seen:
                continue
            seen.add(slot)
            if item.introduced > ordinal:
                continue
            event = item.event
            side = state.side(*item.direction)
            label = f"{item.direction[0]}->{item.direction[1]}"
            if isinstance(event, PostAttested):  # its slot is the post
                if item.slot not in side.posts:
                    found.append(Possibility(f"posts {label}", item.slot, event.id, event.date))
            elif side.level != event.rank or (event.envoy is not None and side.envoy != event.envoy):
                found.append(Possibility(f"representation {label}", (event.rank, event.envoy), event.id, event.date))
        return tuple(found)

    @classmethod
    def sound_part(cls, log: Log) -> tuple[History, SoundUntil | None]:
        """Fold strictly as far as the log is possible: the history of its sound part, and where that ends.

        In strict mode a log with an impossible event has no history, yet everything before that event is
        sound: a question about a day before the event (and before every later event's earliest possible
        day, since an imprecise event sorted after it may have happened earlier) is answered by the fold of
        the events before it exactly as a fixed log would answer it. Returns `(history, None)` for a
        possible log, else the history of the prefix and the `SoundUntil` saying from which day on answers
        would depend on the impossible event.
        """
        try:
            return cls(log), None
        except TransitionError as error:
            broken = error
        position = next(index for index, event in enumerate(log.events) if event.id == broken.event_id)
        prefix = Log.of(log.events[:position], log.actors)
        first_unsound = min(event.date.earliest for event in log.events[position:])
        return cls(prefix), SoundUntil(broken, first_unsound)

    @classmethod
    def resumed(
        cls,
        base: History,
        log: Log,
        start: int,
        *,
        refolded: frozenset[tuple[str, ...]] | None = None,
        final: WorldState | None = None,
    ) -> History:
        """The history of `log`, which shares its first `start` events with `base.log`, folded from there.

        A counterfactual's edited log is the base's first `start` events and then a changed suffix: the
        index of the shared prefix is taken from `base` (cut at `start`) and only the suffix is folded,
        from the last checkpoint at or before `start`. Equal to `History(log, strict=base.strict)`.

        With `refolded` (the pairs and 1-tuple actors whose events differ between the two logs, as
        `engine.replay` reports them) and `final` (the new log's final world, as `replay` gives it), only
        those units' events are folded and indexed; every other pair and actor keeps the base's index
        whole, since its events, and so its states, are the same. The answers are the same; only the
        world-state checkpoints after `start` are not kept (a replay from this history resumes from the
        last one before `start`).

        Raises:
            ValueError: `start` is past the end of either log, or `refolded` comes without `final`.
            TransitionError: (strict) a suffix event is impossible in the state it meets.
        """
        if not 0 <= start <= min(len(log), len(base.log)):
            raise ValueError(f"start must be within both logs, found {start}")
        if refolded is not None and final is None:
            raise ValueError("a scoped resumption needs the new log's final world (`final`)")
        positions = base.log.position
        history = cls.__new__(cls)
        history.log = log
        history.strict = base.strict
        history.checkpoint_every = every = base.checkpoint_every
        history._longest_span = base._longest_span  # a bound: a larger one only widens a scan

        def kept(rows: Sequence[_Row], event_of: Callable[[_Row], Event]) -> int:
            return bisect_right(rows, start - 1, key=lambda row: positions(event_of(row).id))

        def whole(key: object) -> bool:
            # An untouched unit shares the base's lists (never appended to); a refolded one gets a copy.
            return refolded is not None and key not in refolded

        history._steps, history._keys, history._imprecise, history._actor_steps = {}, {}, {}, {}
        for key, steps in base._steps.items():
            if whole(key):
                history._steps[key], history._keys[key] = steps, base._keys[key]
            elif count := kept(steps, lambda step: step.event):
                history._steps[key] = steps[:count]
                history._keys[key] = base._keys[key][:count]
        for key, steps in base._imprecise.items():
            if whole(key):
                history._imprecise[key] = steps
            elif count := kept(steps, lambda step: step.event):
                history._imprecise[key] = steps[:count]
        history._attestations, history._introductions = {}, {}
        for key, steps in history._steps.items():
            if whole(key):
                if key in base._attestations:
                    history._attestations[key] = base._attestations[key]
            else:  # re-index the kept prefix of a refolded pair (cheap: no fold, type checks only)
                for step in steps:
                    history._index_attestation(key, step.event)
        for code, rows in base._actor_steps.items():
            if whole((code,)):
                history._actor_steps[code] = rows
            elif count := kept(rows, lambda row: row[2]):
                history._actor_steps[code] = rows[:count]
        position, world = base.checkpoint_before(start)
        # A checkpoint at position p is the state before log[p]: keep those at or before start that the
        # new log also has (none at its end).
        history._checkpoints = [
            state
            for index, state in enumerate(base._checkpoints)
            if index * every <= start and index * every < len(log)
        ]
        gap = base.log.events[position:start]
        if refolded is None:
            world = fold_from(world, gap, strict=base.strict)
            for position, event in enumerate(log.events[start:], start=start):
                if position % every == 0 and position // every == len(history._checkpoints):
                    history._checkpoints.append(world)
                before = world
                world = apply(world, event, strict=base.strict)
                history._record(event, before, world)
            history.final = world
            return history
        # Scoped: fold the refolded units' events (and every dissolution, which decides what they may do).
        world = fold_from(world, events_of_units(gap, refolded), strict=base.strict)
        for event in events_of_units(log.events[start:], refolded):
            before = world
            world = apply(world, event, strict=base.strict)
            if unit_of(event) in refolded:
                history._record(event, before, world)
        assert final is not None  # refused on entry: a scoped resumption comes with `final`
        history.final = final
        return history

    def checkpoint_before(self, position: int) -> tuple[int, WorldState]:
        """The last checkpoint at or before a log position: `(p, state)`, `state` being the fold of `log[:p]`.

        A replay that changes the log from `position` on resumes from here: `fold_from(state, log[p:position])`
        then the changed events.
        """
        position = max(0, min(position, len(self.log)))
        if not self._checkpoints:
            return 0, EMPTY_WORLD
        index = min(position // self.checkpoint_every, len(self._checkpoints) - 1)
        return index * self.checkpoint_every, self._checkpoints[index]

    @property
    def anomalies(self) -> tuple[Anomaly, ...]:
        """Impossible transitions met (lenient mode; always empty in strict mode)."""
        return self.final.anomalies

    def pairs(self) -> list[tuple[str, str]]:
        """Every pair some event touched, sorted."""
        return sorted(self._steps)

    def _check_actors(self, a: str, b: str) -> tuple[str, str]:
        for code in (a, b):
            if code not in self.log.actors:
                raise UnknownPairError(f"unknown actor {code!r}: expected a code such as BOL or USA")
        if a == b:
            raise UnknownPairError(f"a pair needs two different actors, found {a!r} twice")
        return pair_of(a, b)

    def steps(self, a: str, b: str) -> list[Step]:
        """Every event that touched the pair, with the state after it, in history order."""
        return list(self._steps.get(self._check_actors(a, b), []))

    def _index_at(self, key: tuple[str, str], day: datetime.date | int) -> int:
        """How many of the pair's steps count on a day (or a day's ordinal, which may lie before 0001-01-01)."""
        ordinal = day if isinstance(day, int) else day.toordinal()
        return bisect_right(self._keys.get(key, []), ordinal)

    def state_at(self, a: str, b: str, when: datetime.date | ImpreciseDate | str) -> AsOf:
        """The state of the pair on a day, O(log k) for a pair with k events.

        Events count from their first possible day: an event dated `2008-09` is in the state from
        2008-09-01, and the fields it changed are reported `uncertain` until 2008-09-30. A month or
        year asked is answered as of its last day, and fields changed during it are `uncertain` too.
        """
        key = self._check_actors(a, b)
        day, asked = as_day(when)
        steps = self._steps.get(key, [])
        index = self._index_at(key, day)
        state = steps[index - 1].state if index else initial_pair(*key)
        uncertain: dict[str, list[str]] = {}
        imprecise = self._imprecise.get(key, [])
        # Only events starting within the longest span before `day` can still be undecided on it. Counted in
        # ordinals: an interval open at its start spans from 0001-01-01, and a date cannot go further back.
        horizon = day.toordinal() - self._longest_span
        first = bisect_right(imprecise, horizon - 1, key=lambda s: s.event.date.earliest.toordinal())
        for step in imprecise[first:]:
            if step.event.date.earliest > day:
                break
            if step.event.date.undecided_at(day):
                for field in step.changed:
                    uncertain.setdefault(field, []).append(step.event.id)
        if asked.earliest != asked.latest:
            for step in steps[self._index_at(key, asked.earliest.toordinal() - 1) : index]:
                for field in step.changed:
                    if step.event.id not in uncertain.get(field, ()):
                        uncertain.setdefault(field, []).append(step.event.id)
        basis = dict(steps[index - 1].basis) if index else {}
        uncertain_ids = {field: tuple(ids) for field, ids in uncertain.items()}
        return AsOf((a, b), day, asked, state, uncertain_ids, basis, self.possibly_at(a, b, day, state))

    def world_at(self, when: datetime.date | ImpreciseDate | str) -> dict[tuple[str, str], PairState]:
        """Every touched pair's state on a day."""
        day, _ = as_day(when)
        found = {}
        for key, steps in self._steps.items():
            index = self._index_at(key, day)
            if index:
                found[key] = steps[index - 1].state
        return found

    def actor_at(self, code: str, when: datetime.date | ImpreciseDate | str) -> ActorState:
        """Who led an actor, and whether it still existed, on a day."""
        if code not in self.log.actors:
            raise UnknownPairError(f"unknown actor {code!r}: expected a code such as BOL or USA")
        day, _ = as_day(when)
        rows = self._actor_steps.get(code, [])
        index = bisect_right(rows, day.toordinal(), key=_first)
        return rows[index - 1][1] if index else ActorState()

    def dissolution(self, code: str, when: datetime.date | ImpreciseDate | str) -> tuple[EventDate, str] | None:
        """When an actor ceased to exist and the event saying so, if it had by a day, else None.

        Counted from the event's first possible day, as `actor_at` counts.
        """
        day, _ = as_day(when)
        if self.actor_at(code, day).dissolved is None:
            return None
        rows = self._actor_steps.get(code, [])
        index = bisect_right(rows, day.toordinal(), key=_first)
        event = next(event for _, _, event in reversed(rows[:index]) if event.KIND == "state_dissolved")
        return event.date, event.id

    def changes_between(
        self, a: str, b: str, start: datetime.date | ImpreciseDate | str, end: datetime.date | ImpreciseDate | str
    ) -> list[FieldChange]:
        """Each field whose value differs between two days, with the events that changed it between them."""
        key = self._check_actors(a, b)
        first, _ = as_day(start)
        last, _ = as_day(end)
        if last < first:
            first, last = last, first
        return self._changes(key, first.toordinal(), last.toordinal())

    def changes_on(self, a: str, b: str, day: datetime.date) -> list[FieldChange]:
        """Each field an event counted on `day` changed: `changes_between` the day before and the day.

        Also for 0001-01-01, which has no day before it that a date can name.
        """
        return self._changes(self._check_actors(a, b), day.toordinal() - 1, day.toordinal())

    def _changes(self, key: tuple[str, str], first: int, last: int) -> list[FieldChange]:
        steps = self._steps.get(key, [])
        lo, hi = self._index_at(key, first), self._index_at(key, last)
        before = steps[lo - 1].state if lo else initial_pair(*key)
        after = steps[hi - 1].state if hi else initial_pair(*key)
        old, new = before.field_values(), after.field_values()
        changes = []
        for field in changed_fields(before, after):
            ids = tuple(step.event.id for step in steps[lo:hi] if field in step.changed)
            changes.append(FieldChange(field, old[field], new[field], ids))
        for code in key:
            changes.extend(self._actor_changes(code, first, last))
        return changes

    def _actor_changes(self, code: str, first: int, last: int) -> list[FieldChange]:
        """An actor's own fields (`leader X`, `dissolved X`, as the timeline names them) that differ between days.

        The days are ordinals, so that the day before 0001-01-01 can be asked about.
        """
        rows = self._actor_steps.get(code, [])
        lo = bisect_right(rows, first, key=_first)
        hi = bisect_right(rows, last, key=_first)
        before = rows[lo - 1][1] if lo else ActorState()
        after = rows[hi - 1][1] if hi else ActorState()
        between = [row[2] for row in rows[lo:hi]]
        changes = []
        if before.leader != after.leader:
            ids = tuple(event.id for event in between if isinstance(event, GovernmentChanged))
            changes.append(FieldChange(f"leader {code}", before.leader, after.leader, ids))
        if before.dissolved != after.dissolved:
            ids = tuple(event.id for event in between if isinstance(event, StateDissolved))
            dissolved = None if after.dissolved is None else str(after.dissolved)
            changes.append(FieldChange(f"dissolved {code}", None, dissolved, ids))
        return changes

    def periods(self, a: str, b: str, condition: Callable[[PairState], bool]) -> list[Period]:
        """The maximal periods during which `condition(state)` held for the pair, in order. O(k).

        The answer agrees with `state_at` day by day: a day is inside a period exactly when the condition
        holds in the state `state_at` gives for that day. So the condition is judged on each day's last
        state, after all the events counted on that day (an accreditation and a severance on one day never
        make a period of their own), and a period ends only on a day the condition stops holding, not at an
        event that merely changes why it holds. A period starts at the day's event that made it true (the
        last one whose effect did), and ends at the one that made it false.
        """
        key = self._check_actors(a, b)
        strangers = [code for code in getattr(condition, "actors", ()) if code not in key]
        if strangers:
            # A parsed condition knows its actors: one about another pair would fail on the first state.
            raise UnknownPairError(
                f"the condition names {', '.join(strangers)}, but the pair is {a}-{b}: ask about the pair it names"
            )
        steps = self._steps.get(key, [])
        days = self._keys.get(key, [])
        holds = bool(condition(initial_pair(*key)))
        periods: list[Period] = []
        opened: Step | None = None  # the step that opened the running period (None: held from the start)
        first = 0
        while first < len(steps):
            last = bisect_right(days, days[first], lo=first)  # the steps counted on this day: [first, last)
            truths = [bool(condition(step.state)) for step in steps[first:last]]
            if truths[-1] != holds:
                # The event that settled the day: the last one after which the condition took its final value.
                settled = next(
                    index
                    for index in range(len(truths) - 1, -1, -1)
                    if truths[index] == truths[-1] and (truths[index - 1] if index else holds) != truths[-1]
                )
                step = steps[first + settled]
                if truths[-1]:
                    opened = step
                else:
                    periods.append(_period(opened, step))
                holds = truths[-1]
            first = last
        if holds:
            periods.append(_period(opened, None))
        return periods

    def first_true(self, a: str, b: str, condition: Callable[[PairState], bool]) -> Period | None:
        """The first period during which the condition held, or None if it never did."""
        found = self.periods(a, b, condition)
        return found[0] if found else None

    def panel(
        self,
        pairs: Iterable[tuple[str, str]] | None = None,
        *,
        freq: str = "year",
        start: str | None = None,
        end: str | None = None,
    ) -> DataFrame:
        """A dyad-year (month, day) panel of the state fields as a pandas DataFrame."""
        from engine.analysis._panel import panel

        return panel(self, pairs, freq=freq, start=start, end=end)


def _period(start: Step | None, end: Step | None) -> Period:
    return Period(
        None if start is None else start.event.date,
        None if end is None else end.event.date,
        None if start is None else start.event.id,
        None if end is None else end.event.id,
    )


def _first(row: tuple[int, ActorState, Event]) -> int:
    return row[0]
