"""Valid logs: events drawn one by one against the model, so a strict fold never raises."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs
from hypothesis import assume
from hypothesis import strategies as st

from events._actors import ActorTable, builtin_actors
from events._dates import EventDate, ImpreciseDate
from events._errors import LegationError
from events._kinds import EVENT_KINDS, TARGET_NONE, TARGET_OPTIONAL, TARGET_REQUIRED, Event
from events._log import Log
from events.strategies._atoms import (
    _BASE_FIELDS,
    BLOCS,
    DEFAULT_ACTORS,
    imprecise_dates,
)
from events.strategies._events import _field_strategy, _notes, _sources
from events.strategies._model import (
    _Model,
    rule_for,
)


@attrs.frozen
class _Drawn:
    events: tuple[Event, ...]
    table: ActorTable
    model: _Model
    codes: tuple[str, ...]


def _alive(model: _Model, table: ActorTable, codes: Sequence[str], when: EventDate) -> list[str]:
    return [code for code in codes if code not in model.dissolved and table[code].existed_possibly_on(when)]


def _deep_choices(model: _Model, alive: Sequence[str], allowed: Sequence[str]) -> list[tuple[str, str, str]]:
    """Every (actor, target, kind) possible now that was not possible in the empty state."""
    empty, found = _Model(), []
    for kind in allowed:
        if EVENT_KINDS[kind].TARGET != TARGET_REQUIRED:
            continue
        rule = rule_for(kind)
        for actor in alive:
            for target in alive:
                now = actor != target and rule.enabled(model, actor, target, len(alive))
                if now and not rule.enabled(empty, actor, target, len(alive)):
                    found.append((actor, target, kind))
    return found


def _draw_valid(
    draw: st.DrawFn,
    *,
    min_size: int,
    max_size: int,
    codes: Sequence[str],
    table: ActorTable | None,
    kinds: Iterable[str] | None,
    dates: st.SearchStrategy[ImpreciseDate] | None,
    max_causes: int,
) -> _Drawn:
    table = builtin_actors() if table is None else table
    codes = tuple(codes)
    for code in codes:
        if code not in table:
            raise LegationError(f"valid_logs: actor {code!r} is not in the actor table")
    allowed = tuple(EVENT_KINDS) if kinds is None else tuple(kind for kind in EVENT_KINDS if kind in set(kinds))
    for kind in allowed:
        rule_for(kind)
    size = draw(st.integers(min_size, max_size))
    # A few distinct dates, shared by several events, so that same-day events are common.
    pool = draw(
        st.lists(
            imprecise_dates(min_year=1800, max_year=2100) if dates is None else dates,
            min_size=1,
            max_size=size // 2 + 1,
        )
    )
    when_all = sorted((draw(st.sampled_from(pool)) for _ in range(size)), key=lambda date: date.sort_key)
    model, drawn = _Model(), list[Event]()
    for number, when in enumerate(when_all):
        alive = _alive(model, table, codes, when)
        assume(alive)
        # Kinds that only earlier events enable (an envoy to expel, aid to resume) are rare when actor,
        # target and kind are drawn one after the other; three times in four, draw among them directly,
        # over every direction. Shrinks to the plain draw.
        deep = _deep_choices(model, alive, allowed)
        target: str | None
        if deep and draw(st.integers(0, 3)) != 0:
            actor, target, kind = draw(st.sampled_from(deep))
        else:
            actor = draw(st.sampled_from(alive))
            others = [code for code in alive if code != actor]
            target = draw(st.sampled_from(others)) if others else None
            possible = []
            for kind in allowed:
                cls = EVENT_KINDS[kind]
                if cls.TARGET == TARGET_REQUIRED and target is None:
                    continue
                if rule_for(kind).allows(model, actor, None if cls.TARGET == TARGET_NONE else target, len(alive)):
                    possible.append(kind)
            assume(possible)
            kind = draw(st.sampled_from(possible))
        cls = EVENT_KINDS[kind]
        event_target = target
        if cls.TARGET == TARGET_NONE:
            event_target = None
        elif cls.TARGET == TARGET_OPTIONAL and target is not None:
            event_target = draw(st.one_of(st.none(), st.just(target)))
        rule = rule_for(kind)
        values = rule.fields(draw, model, actor, event_target) if event_target is not None else {}
        for field in attrs.fields(cls):
            if field.init and field.name not in _BASE_FIELDS and field.name not in values:
                values[field.name] = draw(_field_strategy(kind, field.name, codes))
        if kind in ("bloc_joined", "bloc_left") and values["bloc"] == actor:
            values["bloc"] = next(bloc for bloc in BLOCS if bloc != actor)
        earlier = [event.id for event in drawn]
        causes = draw(st.lists(st.sampled_from(earlier), max_size=max_causes, unique=True)) if earlier else []
        event = cls(
            id=f"e{number + 1}",
            date=when,
            actor=actor,
            target=event_target,
            sources=draw(_sources()),
            note=draw(_notes()),
            caused_by=tuple(causes),
            **values,
        )
        rule.update(model, event)
        drawn.append(event)
    return _Drawn(tuple(drawn), table, model, codes)


@st.composite
def valid_logs(
    draw: st.DrawFn,
    *,
    min_size: int = 0,
    max_size: int = 12,
    codes: Sequence[str] = DEFAULT_ACTORS,
    table: ActorTable | None = None,
    kinds: Iterable[str] | None = None,
    dates: st.SearchStrategy[ImpreciseDate] | None = None,
    max_causes: int = 2,
) -> Log:
    """Logs of `min_size` to `max_size` events among `codes` whose strict fold never raises.

    Each event is drawn in history order against a model of the state, so its preconditions hold: an
    envoy is expelled only while one is in post, relations are reestablished only once severed, aid
    resumes only after a suspension, a dissolved actor never acts again, and so on. Dates come from a
    small pool (so same-day events are common) and every actor existed on each date it is named.
    Events are numbered `e1`, `e2`, ... in history order; each may name up to `max_causes` earlier
    events in `caused_by`.

    Args:
        min_size, max_size: how many events.
        codes: the actors events may name (at least one; two for events with a target).
        table: the actor table the log validates against (the built-in one when None); it must hold `codes`.
        kinds: the event kinds to draw from (all of `EVENT_KINDS` when None).
        dates: the strategy each date of the pool comes from (years 1800-2100, any precision, when None).
        max_causes: the most `caused_by` links an event gets.

    Shrinks toward fewer events, one date, the first actor acting on the second, the first possible
    kind in `EVENT_KINDS` order, empty optional fields and no causes.
    """
    found = _draw_valid(
        draw,
        min_size=min_size,
        max_size=max_size,
        codes=codes,
        table=table,
        kinds=kinds,
        dates=dates,
        max_causes=max_causes,
    )
    return Log.of(found.events, found.table)
