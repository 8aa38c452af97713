"""One event of a kind, every field valid."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import attrs
from hypothesis import assume
from hypothesis import strategies as st

from events import _fields as f
from events._dates import ImpreciseDate
from events._errors import LegationError
from events._kinds import EVENT_KINDS, TARGET_OPTIONAL, TARGET_REQUIRED, Event
from events.strategies._atoms import (
    _BASE_FIELDS,
    BLOCS,
    DEFAULT_ACTORS,
    event_ids,
    imprecise_dates,
    texts,
)

# --- One event of a kind -------------------------------------------------------------------


@functools.cache
def _field_strategy(kind: str, name: str, codes: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """A strategy for one kind-specific field, from its name or its validator (cached: building one is slow)."""
    cls = EVENT_KINDS[kind]
    chosen: st.SearchStrategy[Any]
    field = attrs.fields_dict(cls)[name]
    optional = field.default is None
    validator = field.validator
    if field.name == "results":
        row = st.tuples(texts(pool=("yes", "no", "don't know")), st.floats(0, 100, allow_nan=False))
        chosen = st.lists(row, max_size=4, unique_by=lambda item: item[0]).map(tuple)
    elif field.name == "successors":
        chosen = st.lists(st.sampled_from(tuple(codes)), max_size=2, unique=True).map(tuple)
    elif field.name == "bloc":
        chosen = st.sampled_from(BLOCS)
    elif field.name == "participants":
        chosen = st.integers(0, 10**7)
    elif isinstance(validator, f.SomeOf):  # a list of values of a vocabulary (a sanction's scope)
        least = 0 if field.default == () else 1
        chosen = st.lists(st.sampled_from(validator.members), min_size=least, max_size=3, unique=True).map(tuple)
    elif field.name in ("persons", "positions"):
        chosen = st.lists(texts(), max_size=3, unique=True).map(tuple)
    elif validator is f.optional_count:
        chosen = st.integers(0, 10**6)
    elif validator is f.optional_weight:
        chosen = st.floats(-10, 10, allow_nan=False).map(lambda weight: round(weight, 1))
    elif validator is f.event_code:
        chosen = st.sampled_from(("010", "043", "051", "1621", "163", "20"))
    elif isinstance(validator, f.OneOf):
        chosen = st.sampled_from(tuple(validator.options))
    elif validator in (f.text, f.optional_text):
        chosen = texts()
    elif validator is f.flag:
        chosen = st.booleans()
    elif validator in (f.code, f.optional_code):
        chosen = st.sampled_from(tuple(codes))
    else:
        message = (
            f"events.strategies has no strategy for field {field.name!r} of {cls.KIND!r}; "
            "add one to _field_strategy when adding a kind"
        )
        raise LegationError(message)
    return st.one_of(st.none(), chosen) if optional else chosen


@functools.cache
def _sources() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(texts(pool=("Wikipedia, Bolivia–United States relations",)), min_size=1, max_size=2).map(tuple)


@functools.cache
def _notes() -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), texts())


@st.composite
def events_of(
    draw: st.DrawFn,
    kind: str | type[Event],
    *,
    codes: Sequence[str] = DEFAULT_ACTORS,
    dates: st.SearchStrategy[ImpreciseDate] | None = None,
    ids: st.SearchStrategy[str] | None = None,
) -> Event:
    """One event of `kind` (a tag such as `"relations_severed"` or its class) with every field valid.

    No precondition is simulated: the event may be impossible in a given state (use `valid_logs` for
    histories that fold). `caused_by` is empty. Actor and target come from `codes` (at least two).
    Shrinks toward the first code as actor, the next as target, an empty note and empty optional fields.
    """
    cls = EVENT_KINDS[kind] if isinstance(kind, str) else kind
    codes = tuple(codes)
    actor = draw(st.sampled_from(codes))
    others = tuple(code for code in codes if code != actor)
    target = None
    if cls.TARGET == TARGET_REQUIRED or (cls.TARGET == TARGET_OPTIONAL and others and draw(st.booleans())):
        target = draw(st.sampled_from(others))
    values = _base_values(draw, cls, dates, ids)
    values.update(actor=actor, target=target)
    for field in attrs.fields(cls):
        if field.init and field.name not in _BASE_FIELDS:
            values[field.name] = draw(_field_strategy(cls.KIND, field.name, codes))
    if cls.KIND in ("bloc_joined", "bloc_left"):
        assume(values["bloc"] != actor)
    if cls.KIND.startswith("protecting_power") and values["protector"] is not None:
        third = [code for code in codes if code not in (actor, target)]
        assume(third)
        values["protector"] = draw(st.sampled_from(third))
    return cls(**values)


def _base_values(
    draw: st.DrawFn,
    cls: type[Event],
    dates: st.SearchStrategy[ImpreciseDate] | None,
    ids: st.SearchStrategy[str] | None,
) -> dict[str, Any]:
    return {
        "id": draw(event_ids() if ids is None else ids),
        "date": draw(imprecise_dates() if dates is None else dates),
        "sources": draw(_sources()),
        "note": draw(_notes()),
    }


def any_event(
    *, codes: Sequence[str] = DEFAULT_ACTORS, dates: st.SearchStrategy[ImpreciseDate] | None = None
) -> st.SearchStrategy[Event]:
    """One event of any kind (see `events_of`); shrinks toward the first kind of `EVENT_KINDS`."""
    return st.sampled_from(tuple(EVENT_KINDS)).flatmap(lambda kind: events_of(kind, codes=codes, dates=dates))
