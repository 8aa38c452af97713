"""The state fields as columns: each field of `PairState` and `Side`, its default and its Arrow type, derived.

Nothing here names a state field: the fields, their defaults and their types come from `attrs.fields` and
the classes' annotations, so a field the model gains is indexed, answered and compared like the rest, and
a field of a type this module cannot put in a column fails when it loads (`UntypedStateFieldError`), never
dropped. `tests/test_dataset_fold.py` walks every field through a round trip.

Types: `str`, `bool`, `int` (each optionally `| None`) are Arrow scalars; an event date is its EDTF text;
a `frozenset` or `tuple` of any of these is a list (a set's items sorted, so equal sets are equal lists);
an attrs class (a `Post`, a `Sanction`...) is a struct of its own fields, by the same rules.
"""

from __future__ import annotations

import json
import types
import typing
from collections.abc import Callable
from typing import Any

import attrs
import pyarrow as pa

from engine.core._state import PairState, Side
from events import DateInterval, ImpreciseDate, parse_date

_DATE_CLASSES = frozenset({ImpreciseDate, DateInterval})


class UntypedStateFieldError(TypeError):
    """A state field whose type the dataset cannot hold in a column (raised when this module loads)."""


@attrs.frozen
class Codec:
    """How one type goes to an Arrow column and back: the Arrow type, and the two conversions."""

    type: pa.DataType
    """The Arrow type of the column."""
    to_arrow: Callable[[Any], Any]
    """A state value as the Python value `pyarrow.array` takes for `type`."""
    from_arrow: Callable[[Any], Any]
    """What `to_pylist` gives back, as the state value."""
    container: type | None = None
    """`frozenset` or `tuple` for a collection (a list column), else None."""
    item: Codec | None = None
    """A collection's items' codec (None for anything else)."""


def _same(value: Any) -> Any:
    return value


def arrow_sort_key(item: Any) -> str:
    """The order a set's items take in its list column (equal sets make equal lists)."""
    return json.dumps(item, sort_keys=True, default=str)


def codec_of(hint: Any, where: str) -> Codec:
    """The codec of a type annotation (resolved), or `UntypedStateFieldError` naming `where`."""
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        present = [argument for argument in arguments if argument is not type(None)]
        if frozenset(present) <= _DATE_CLASSES:
            return Codec(
                pa.string(),
                lambda value: None if value is None else str(value),
                lambda value: None if value is None else parse_date(value),
            )
        if len(present) == 1:
            inner = codec_of(present[0], where)
            return Codec(
                inner.type,
                lambda value: None if value is None else inner.to_arrow(value),
                lambda value: None if value is None else inner.from_arrow(value),
            )
    elif hint in (str, bool, int, float):
        arrow = {str: pa.string(), bool: pa.bool_(), int: pa.int64(), float: pa.float64()}[hint]
        return Codec(arrow, _same, _same)
    elif hint in _DATE_CLASSES:
        return Codec(pa.string(), str, parse_date)
    elif origin is frozenset and len(arguments) == 1:
        item = codec_of(arguments[0], where)
        return Codec(
            pa.list_(item.type),
            lambda value: sorted(map(item.to_arrow, value), key=arrow_sort_key),
            lambda value: frozenset(map(item.from_arrow, value)),
            frozenset,
            item,
        )
    elif origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
        item = codec_of(arguments[0], where)
        return Codec(
            pa.list_(item.type),
            lambda value: [item.to_arrow(one) for one in value],
            lambda value: tuple(map(item.from_arrow, value)),
            tuple,
            item,
        )
    elif attrs.has(hint):
        return _struct_codec(hint, where)
    raise UntypedStateFieldError(f"{where}: the dataset has no column type for {hint!r}; add one to codec_of")


def _struct_codec(cls: type, where: str) -> Codec:
    hints = typing.get_type_hints(cls)
    fields = [(field.name, codec_of(hints[field.name], f"{where}.{field.name}")) for field in attrs.fields(cls)]
    arrow = pa.struct([(name, codec.type) for name, codec in fields])

    def to_arrow(value: Any) -> dict[str, Any]:
        return {name: codec.to_arrow(getattr(value, name)) for name, codec in fields}

    def from_arrow(value: dict[str, Any]) -> Any:
        return cls(**{name: codec.from_arrow(value[name]) for name, codec in fields})

    return Codec(arrow, to_arrow, from_arrow)


@attrs.frozen
class StateField:
    """One field of a pair's state as the index and its tables hold it."""

    column: str
    """Its column name: the `PairState` field's own name, or `ab_`/`ba_` and the `Side` field's."""
    name: str
    """The attribute name on `PairState` or `Side`."""
    default: Any
    """Its value before any event (code 0 of its value table)."""
    codec: Codec


def _fields_of(cls: type, skip: frozenset[str]) -> tuple[StateField, ...]:
    hints = typing.get_type_hints(cls)
    found = []
    for field in attrs.fields(cls):
        if field.name in skip:
            continue
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # attrs' Factory is a class
            default = default.factory()
        codec = codec_of(hints[field.name], f"{cls.__name__}.{field.name}")
        found.append(StateField(field.name, field.name, default, codec))
    return tuple(found)


SIDES = ("ab", "ba")
"""The two directions of a pair, as `PairState` names them."""
PAIR_FIELDS = _fields_of(PairState, frozenset({"a", "b", *SIDES}))
"""The pair's own fields (relations, their date, the agreed level, consular relations...)."""
SIDE_FIELDS = _fields_of(Side, frozenset())
"""The fields of one direction (`Side`): recognition, representation, posts, ..., nominee."""
STATE_FIELDS: tuple[StateField, ...] = PAIR_FIELDS + tuple(
    StateField(f"{side}_{field.name}", field.name, field.default, field.codec)
    for side in SIDES
    for field in SIDE_FIELDS
)
"""Every column of an answer after `a` and `b`, in order: the pair's fields, then `ab_*`, then `ba_*`."""

_EXPECTED = {field.name for field in attrs.fields(PairState)} - {"a", "b", *SIDES}
if {field.name for field in PAIR_FIELDS} != _EXPECTED or any(
    attrs.fields_dict(PairState)[side].type not in (Side, "Side") for side in SIDES
):  # pragma: no cover - a guard for a model that grows a third direction or nests a state elsewhere
    raise UntypedStateFieldError(f"PairState's fields changed shape: {sorted(_EXPECTED)}")


def state_schema() -> pa.Schema:
    """The Arrow schema of an answer: `a`, `b`, then one column a state field (`STATE_FIELDS`)."""
    return pa.schema([("a", pa.string()), ("b", pa.string())] + [(f.column, f.codec.type) for f in STATE_FIELDS])


def state_of(a: str, b: str, values: dict[str, Any]) -> PairState:
    """The `PairState` of a pair from its values by column name (missing columns take their defaults)."""
    own = {field.name: values.get(field.column, field.default) for field in PAIR_FIELDS}
    sides: dict[str, Any] = {
        side: Side(**{field.name: values.get(f"{side}_{field.name}", field.default) for field in SIDE_FIELDS})
        for side in SIDES
    }
    return PairState(a, b, **own, **sides)


def states_of_table(table: pa.Table) -> dict[tuple[str, str], PairState]:
    """The `PairState` of each row of an answer table (for comparing answers field for field)."""
    decoders = [(field.column, field.codec.from_arrow) for field in STATE_FIELDS]
    found = {}
    for row in table.to_pylist():
        values = {column: decode(row[column]) for column, decode in decoders}
        found[(row["a"], row["b"])] = state_of(row["a"], row["b"], values)
    return found
