"""The ordered log of events: sorted by date then sequence, with its integrity rules checked once."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import compress, islice
from operator import attrgetter, or_
from typing import overload

import attrs

from events._actors import ActorTable, builtin_actors
from events._errors import LogError
from events._kinds import BlocJoined, BlocLeft, Event, GovernmentChanged, StateDissolved


def pair_of(a: str, b: str) -> tuple[str, str]:
    """The unordered pair of two actors, as a sorted tuple."""
    return (a, b) if a <= b else (b, a)


def target_of(event: Event) -> str:
    """The target of an event that concerns a pair, for code that is given only pair events.

    Raises:
        LogError: the event has no target (a one-actor kind, or an optional target left out), naming its id.
    """
    target = event.target
    if target is None:
        raise LogError(f"a {event.KIND} event without a target where a pair was needed", event.id, "target")
    return target


_ACTOR_KINDS = (GovernmentChanged, StateDissolved)


def unit_of(event: Event) -> tuple[str, ...]:
    """What an event's effect belongs to: its sorted pair, or its actor alone (a 1-tuple).

    The actor alone when the event has no target, or is a change of government or a dissolution (which
    change the actor, not a pair).
    """
    actor, target = event.actor, event.target
    if target is None or type(event) in _ACTOR_KINDS:
        return (actor,)
    return (actor, target) if actor <= target else (target, actor)


_DISSOLUTION = frozenset({StateDissolved})
_ACTOR, _TARGET = attrgetter("actor"), attrgetter("target")


def naming(
    events: Sequence[Event], codes: Collection[str], *, targets: bool = True, dissolutions: bool = False
) -> Iterator[Event]:
    """The events naming one of `codes` as actor or (unless `targets` is False) target, in order.

    With `dissolutions`, every dissolution too. Picked in C (`map`, `compress`, `attrgetter`): replays
    and comparisons use it to find the few events of a few actors in a long suffix, where a Python loop
    over every event would cost more than the rest.
    """
    chosen = map(codes.__contains__, map(_ACTOR, events))
    if targets:
        chosen = map(or_, chosen, map(codes.__contains__, map(_TARGET, events)))
    if dissolutions:
        chosen = map(or_, chosen, map(_DISSOLUTION.__contains__, map(type, events)))
    return compress(events, chosen)


def events_of_units(events: Sequence[Event], units: Collection[tuple[str, ...]]) -> list[Event]:
    """What refolding `units` (see `unit_of`) needs: their events, and every dissolution, in order.

    A dissolution decides what later events of any pair naming the dissolved actor may do.
    """
    codes = {code for unit in units for code in unit}
    # An event of a unit names one of its codes as actor: for a pair, whichever of the two acted.
    return [
        event
        for event in naming(events, codes, targets=False, dissolutions=True)
        if type(event) is StateDissolved or unit_of(event) in units
    ]


@attrs.frozen(eq=False)
class Log(Sequence[Event]):
    """An immutable, validated sequence of events in history order.

    Order: by date (`ImpreciseDate.sort_key`: first possible day, then last), then by the order the
    events were given in (their sequence). Build one with `Log.of(events, actors)`; the constructor
    rejects duplicate ids, causes that are unknown or not earlier, cause cycles, unknown actors, and
    events dated certainly outside an actor's existence.
    """

    events: tuple[Event, ...]
    """The events, in history order."""
    actors: ActorTable
    """Every actor the events may name."""
    _positions: dict[str, int] = attrs.field(repr=False)

    @classmethod
    def of(cls, events: Iterable[Event], actors: ActorTable | None = None) -> Log:
        """Order and validate events into a log.

        Args:
            events: in any order; events on the same date keep the order given.
            actors: the actor table; the built-in one when None.

        Raises:
            LogError: a rule is broken; the message names the event id and the field.
        """
        table = builtin_actors() if actors is None else actors
        given = list(events)
        for item in given:
            if not isinstance(item, Event) or type(item) is Event:
                raise LogError(f"expected an event of a registered kind, found {type(item).__name__}")
        # sorted() is stable, so events on the same date keep the sequence they were given in.
        in_order = tuple(sorted(given, key=_order_key))
        positions: dict[str, int] = {}
        for problem in _problems(in_order, table, 0, positions):
            raise problem
        return cls(in_order, table, positions)

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Event, ...]: ...
    def __getitem__(self, index: int | slice) -> Event | tuple[Event, ...]:
        return self.events[index]

    def __len__(self) -> int:
        return len(self.events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Log) and self.events == other.events and self.actors == other.actors

    def __hash__(self) -> int:
        return hash(self.events)

    def position(self, event_id: str) -> int:
        """Where the event with this id stands in the log.

        Raises:
            LogError: no event has this id.
        """
        try:
            return self._positions[event_id]
        except KeyError:
            raise LogError("no event with this id in the log", event_id) from None

    def get(self, event_id: str) -> Event:
        """The event with this id (see `position`)."""
        return self.events[self.position(event_id)]

    def __contains__(self, item: object) -> bool:
        if isinstance(item, str):
            return item in self._positions
        return isinstance(item, Event) and self._positions.get(item.id) is not None

    def pairs(self) -> set[tuple[str, str]]:
        """Every unordered pair of actors some event names as actor and target."""
        return {pair_of(e.actor, e.target) for e in self.events if e.target is not None}

    def replace_events(self, events: Iterable[Event]) -> Log:
        """A new log of these events over the same actor table (validated again)."""
        return Log.of(events, self.actors)

    def with_suffix(self, start: int, suffix: Iterable[Event]) -> Log:
        """This log's first `start` events, then `suffix`: `Log.of(self[:start] + suffix, self.actors)`.

        The prefix was checked when this log was built, so only the suffix is: its ids against the whole
        log, its actors and dates, its causes. An edited history (`EditedLog.log`) is built this way, in
        O(suffix) checks rather than O(n). When the suffix would not stay where it is (it is not in
        history order, or sorts before the prefix's last event), this is `Log.of` itself.

        Raises:
            LogError: as `Log.of` would for the whole sequence (the same first problem).
        """
        tail = tuple(suffix)
        if not 0 <= start <= len(self.events):
            raise LogError(f"expected a start within the log (0 to {len(self.events)}), found {start}")
        prefix = self.events[:start]
        if not all(isinstance(event, Event) and type(event) is not Event for event in tail):
            return Log.of((*prefix, *tail), self.actors)
        keys = [event.date.sort_key for event in tail]
        if keys != sorted(keys) or (prefix and keys and keys[0] < prefix[-1].date.sort_key):
            return Log.of((*prefix, *tail), self.actors)
        events = prefix + tail
        positions = dict(islice(self._positions.items(), start))  # ids in log order, so the prefix's first
        for problem in _problems(events, self.actors, start, positions):
            raise problem
        return Log(events, self.actors, positions)

    def effects_of(self, event_id: str) -> list[str]:
        """Ids of every event that `event_id` caused, directly or through others, in log order."""
        self.position(event_id)
        caused = {event_id}
        found = []
        for event in self.events[self._positions[event_id] + 1 :]:
            if any(cause in caused for cause in event.caused_by):
                caused.add(event.id)
                found.append(event.id)
        return found


def _order_key(event: Event) -> tuple[int, int]:
    return event.date.sort_key


def check_events(events: Iterable[Event], actors: ActorTable | None = None) -> list[LogError]:
    """Every rule a log of these events would break, in history order (empty when `Log.of` would accept them)."""
    table = builtin_actors() if actors is None else actors
    given = list(events)
    in_order = tuple(sorted(given, key=_order_key)) if all(isinstance(e, Event) for e in given) else tuple(given)
    return list(_problems(in_order, table))


def _problems(
    events: tuple[Event, ...], table: ActorTable, start: int = 0, positions: dict[str, int] | None = None
) -> Iterator[LogError]:
    """The rules `events[start:]` break; `positions` holds the ids of `events[:start]` (sound) and gets theirs."""
    positions = {} if positions is None else positions
    for position in range(start, len(events)):
        event = events[position]
        if not isinstance(event, Event) or type(event) is Event:
            yield LogError(f"expected an event of a registered kind, found {type(event).__name__}")
            return
        if event.id in positions:
            yield LogError("the id is used by another event already (ids must be unique)", event.id, "id")
            continue
        positions[event.id] = position
    for position in range(start, len(events)):
        yield from _actor_problems(events[position], table)
    yield from _cause_problems(events, positions, start)


def _actor_problems(event: Event, table: ActorTable) -> Iterator[LogError]:
    named = [("actor", event.actor)]
    if event.target is not None:
        named.append(("target", event.target))
    if isinstance(event, StateDissolved):
        named.extend(("successors", code) for code in event.successors)
    for field, code in named:
        actor = table.get(code)
        if actor is None:
            expected = "a known actor code (declare it among the actors)"
            yield LogError(f"expected {expected}, found {code!r}", event.id, field, expected=expected, found=code)
        elif field != "successors" and not actor.existed_possibly_on(event.date):
            period = f"{actor.start or '..'}/{actor.end or '..'}"
            yield LogError(
                f"{code} existed {period}, but the event is dated {event.date}",
                event.id,
                field,
                expected=f"an actor that existed on {event.date} ({code} existed {period})",
                found=code,
            )
    if isinstance(event, BlocJoined | BlocLeft) and event.bloc == event.actor:
        yield LogError("an actor cannot join or leave itself", event.id, "bloc")


def _cause_problems(events: tuple[Event, ...], positions: dict[str, int], start: int = 0) -> Iterator[LogError]:
    for position in range(start, len(events)):
        event = events[position]
        for cause in event.caused_by:
            cause_position = positions.get(cause)
            if cause_position is None:
                yield LogError(f"expected the id of an event in the log, found {cause!r}", event.id, "caused_by")
            elif cause_position == position:
                yield LogError("an event cannot cause itself", event.id, "caused_by")
            elif cause_position > position:
                later = events[cause_position]
                if event.id in _ancestors(later, events, positions):
                    rule = f"cycle: {cause!r} is also caused, directly or not, by this event"
                else:
                    rule = (
                        f"cause {cause!r} ({later.date}) comes after this event ({event.date}) in "
                        "history order; a cause must come first"
                    )
                yield LogError(rule, event.id, "caused_by")


def _ancestors(event: Event, events: tuple[Event, ...], positions: dict[str, int]) -> set[str]:
    seen: set[str] = set()
    stack = list(event.caused_by)
    while stack:
        current = stack.pop()
        if current in seen or current not in positions:
            continue
        seen.add(current)
        stack.extend(events[positions[current]].caused_by)
    return seen
