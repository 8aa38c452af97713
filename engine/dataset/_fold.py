"""The fold from columns: a history's record batches folded into states and a compact as-of index.

No event object is built per row, and nothing here names a state field or a kind's field: the row views
are made per kind from `attrs.fields` (via the schema's `KIND_SLOTS`), the index's fields from
`engine.dataset._state_columns` (itself derived from `attrs.fields(PairState)` and `attrs.fields(Side)`).
The rules are the rule book's (`engine.core._rules`, through the fast fold's `FAST_HANDLERS`): no rule is
written here. What makes it faster than the fast fold over objects (`engine.core._fast`):

- The rows that can change nothing are left out in C before any Python runs: record-only kinds
  (statements, visits, alignments...), unless they name an actor dissolved before them (the only way
  such a row can break a rule).
- Every remaining row's rule, pair accumulator, side and row view are gathered into lists in numpy, and
  the rules are called by one `map(operator.call, ...)`: C calls each rule directly, with no Python loop
  and no dispatch per row. The fold is pair-local, so each row carries its own pair's accumulator and the
  rows stay in history order; which actors were dissolved before each row is answered from `dissolutions`
  (the whole history's, from a dataset's manifest) in numpy.
- A row view is a plain tuple (built in C) of a per-kind class whose attributes are its kind's field
  names, answering the kind's class as `__class__` (which the rules that look their kind up read).

The index keeps change points, not states: for each state field, the (pair, day) keys at which its value
changed and the value's code, in numpy arrays; every pair's state on a day is one `searchsorted` and a
gather per field, with no Python per pair.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import attrgetter, call, itemgetter
from typing import Any

import attrs
import immutables
import numpy as np
import pyarrow as pa

import events as ev
from engine.core._fast import (
    ACTOR_LEVEL,
    FAST_HANDLERS,
    ON_BOTH_SIDES,
    ON_PAIR,
    ON_TARGET_SIDE,
    FastFolder,
    PairAccumulator,
    paused_gc,
)
from engine.core._reducer import TransitionError
from engine.core._rules import actor_after, dissolved_rule
from engine.core._state import ActorState, Anomaly, PairState, WorldState
from engine.dataset._files import Dissolution
from engine.dataset._resident import expanded, is_compacted
from engine.dataset._schema import EPOCH_ORDINAL, KIND_SLOTS, SCHEMA, ColumnarFormatError, date_of
from engine.dataset._state_columns import (
    PAIR_FIELDS,
    SIDE_FIELDS,
    SIDES,
    STATE_FIELDS,
    Codec,
    arrow_sort_key,
    state_of,
    state_schema,
)
from events import EVENT_KINDS, EventDate, ImpreciseDate, parse_date

_BASE_FOLD_COLUMNS = [
    "seq",
    "id",
    "kind",
    "actor",
    "target",
    "first_day",
    "last_day",
    "uncertain",
    "approximate",
    "interval",
]
FOLD_COLUMNS = _BASE_FOLD_COLUMNS + sorted(
    {column for tag, slots in KIND_SLOTS.items() if EVENT_KINDS[tag].CHANGES_STATE for _, column in slots},
    key=SCHEMA.names.index,
)
"""The columns the fold reads: the base ones and every column a state-changing kind's field is in (the
rest, citations and notes and the record-only kinds' own fields, stay on disk)."""
_LIST_COLUMNS = frozenset(column for column in FOLD_COLUMNS if pa.types.is_list(SCHEMA.field(column).type))

try:  # the C descriptor namedtuple fields use: reading a field costs what reading a slot does
    from collections import _tuplegetter as _field_at  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Pythons: a property, a few times slower to read

    def _field_at(position: int, doc: str) -> property:
        return property(itemgetter(position), doc=doc)


def _row_date(view: tuple) -> EventDate:
    return _unpacked(view[2])


def _view_class(cls: type[ev.Event]) -> type:
    """The row view of a kind: a tuple (actor, target, packed date, *the kind's fields in `KIND_SLOTS` order).

    Each of the kind's field names reads its position; `__class__` answers the kind's class, so a rule that
    looks its kind up (`RELATIONS_RULES[event.__class__]`) finds it; `date` is unpacked only when read.
    """
    namespace: dict[str, Any] = {
        "__slots__": (),
        "__class__": property(lambda view: cls, doc="the kind's class"),
        "date": property(_row_date, doc="the event's date"),
        "KIND": cls.KIND,
        "actor": _field_at(0, "the actor's code"),
        "target": _field_at(1, "the target's code"),
    }
    for position, (name, _) in enumerate(KIND_SLOTS[cls.KIND], 3):
        namespace[name] = _field_at(position, f"the {name} field")
    return type(f"{cls.__name__}Row", (tuple,), namespace)


_VIEWS = {cls: _view_class(cls) for cls in EVENT_KINDS.values() if FAST_HANDLERS[cls] is not None}
"""The row view class of every kind with a rule: a pair rule, or the actor-level `actor_after`."""


class _Interned:
    """Values numbered in order of first sight (code 0: the field's default), while a fold encodes them."""

    __slots__ = ("codes", "values")

    def __init__(self, default: object) -> None:
        self.values: list[object] = [default]
        self.codes: dict[object, int] = {default: 0}

    def encode(self, column: Sequence[object]) -> np.ndarray:
        codes, values = self.codes, self.values
        for value in dict.fromkeys(column):  # the new distinct values, in C order of first sight
            if value not in codes:
                codes[value] = len(values)
                values.append(value)
        return np.fromiter(map(codes.__getitem__, column), dtype=np.int32, count=len(column))

    def kept(self, codec: Codec) -> _Values | _FlatCollections:
        """What the index keeps once the fold is done: the values without the dict that numbered them.

        A collection field's values (a side's posts, sanctions...) are kept as item codes, not as Python
        frozensets: a new set at nearly every change is what made the tables grow with the events.
        """
        if (
            codec.container is not None
            and codec.item is not None
            and all(map(codec.container.__instancecheck__, self.values))
        ):
            return _FlatCollections(self.values, codec.container, codec.item)
        return _Values(self.values)


class _Values:
    """A field's distinct values by code (code 0: the field's default)."""

    __slots__ = ("array", "values")

    def __init__(self, values: list[object]) -> None:
        self.values = values
        self.array: pa.Array | None = None

    def __len__(self) -> int:
        return len(self.values)

    @property
    def nbytes(self) -> int:
        return 0  # Python objects (strings, dates, codes), counted by tracemalloc, not here

    def decode(self, codes: list[int]) -> list[object]:
        return list(map(self.values.__getitem__, codes))

    def arrow(self, codec: Codec) -> pa.Array:
        """The values as an Arrow array of the field's column type (made once: a few thousand values)."""
        if self.array is None:
            self.array = pa.array([codec.to_arrow(value) for value in self.values], codec.type)
        return self.array


class _FlatCollections:
    """A collection field's distinct values as item codes: value c is `items[item_codes[offsets[c]:offsets[c + 1]]]`.

    Each distinct item (a `Post`, a `Sanction`, a name) is kept once; a set's items are in the order its list
    column takes (`arrow_sort_key`), so its Arrow form is one take, and a tuple's in its own order.
    """

    __slots__ = ("container", "item_codes", "items", "items_array", "offsets")

    def __init__(self, values: list, container: type, item: Codec) -> None:
        numbering: dict[object, int] = {}
        for value in values:
            for one in value:
                numbering.setdefault(one, len(numbering))
        items = list(numbering)
        if container is frozenset:  # number the items in their column order, so a set's codes sort to it
            items.sort(key=lambda one: arrow_sort_key(item.to_arrow(one)))
            numbering = {one: code for code, one in enumerate(items)}
        flat = [numbering[one] for value in values for one in value]
        sizes = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        offsets = np.zeros(len(values) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        item_codes = np.asarray(flat, dtype=np.int64)
        if container is frozenset and len(item_codes):  # sort each set's codes (its items' column order)
            owner = np.repeat(np.arange(len(values), dtype=np.int64), sizes)
            item_codes = item_codes[np.lexsort((item_codes, owner))]
        self.container = container
        self.items = items
        self.offsets = offsets.astype(np.int32)
        self.item_codes = _narrow(item_codes, len(items))
        self.items_array = pa.array([item.to_arrow(one) for one in items], item.type)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    @property
    def nbytes(self) -> int:
        return self.offsets.nbytes + self.item_codes.nbytes + self.items_array.nbytes

    def decode(self, codes: list[int]) -> list[object]:
        """The values of these codes, each distinct one built once."""
        built: dict[int, object] = {}
        items, offsets, item_codes, container = self.items, self.offsets, self.item_codes, self.container
        for code in codes:
            if code not in built:
                built[code] = container(map(items.__getitem__, item_codes[offsets[code] : offsets[code + 1]].tolist()))
        return list(map(built.__getitem__, codes))

    def arrow(self, codec: Codec) -> pa.Array:
        """The values as the field's list column, from the item codes in C."""
        values = self.items_array.take(pa.array(self.item_codes.astype(np.int64), pa.int64()))
        return pa.ListArray.from_arrays(pa.array(self.offsets, pa.int32()), values, type=codec.type)


def _narrow(codes: np.ndarray, count: int) -> np.ndarray:
    for dtype in (np.int8, np.int16):
        if count <= np.iinfo(dtype).max:
            return codes.astype(dtype)
    return codes


_SIDE_NAMES = tuple(field.name for field in SIDE_FIELDS)
_PAIR_NAMES = tuple(field.name for field in PAIR_FIELDS)
_SIDE_OF = attrgetter(*_SIDE_NAMES)
_PAIR_OF = attrgetter(*_PAIR_NAMES)
_WHOLE_OF = attrgetter(*_PAIR_NAMES, *(f"{side}.{name}" for side in SIDES for name in _SIDE_NAMES))


class PairIndex:
    """Every pair's state at any day, as change points: for each state field, when its value changed.

    Pair p's own fields (`PAIR_FIELDS`) are keyed by part p, its directions' fields (`SIDE_FIELDS`) by
    part 2p (a->b) and 2p+1 (b->a); `keys[name]` holds `part << 32 | day` of each change (first possible
    day, ordinal), sorted, and `codes[name]` the new value's code in `tables[name]` (code 0 is the
    field's default). `first_days[p]` is the first day a rule ran on pair p: from then on it is answered.
    """

    def __init__(self, pairs: list[tuple[str, str]], first_days: np.ndarray) -> None:
        self.pairs = pairs
        self.first_days = first_days
        self.tables: dict[str, Any] = {field.name: _Interned(field.default) for field in (*PAIR_FIELDS, *SIDE_FIELDS)}
        """Each field's values by code: `_Interned` while the fold runs, then what `_Interned.kept` keeps."""
        self.keys: dict[str, np.ndarray] = {}
        self.codes: dict[str, np.ndarray] = {}

    def _record(self, names: Sequence[str], parts: np.ndarray, days: np.ndarray, snapshots: list[tuple]) -> None:
        """Keep the change points of one stream of (part, day, values after) rows given in history order."""
        order = np.argsort(parts, kind="stable")
        parts, days = parts[order], days[order]
        starts = np.ones(len(parts), dtype=bool)
        starts[1:] = parts[1:] != parts[:-1]
        keys = (parts << 32) | days
        columns = list(zip(*snapshots, strict=True)) if snapshots else [() for _ in names]
        for name, column in zip(names, columns, strict=True):
            codes = self.tables[name].encode(column)[order]
            previous = np.zeros_like(codes)
            previous[1:] = codes[:-1]
            changed = codes != np.where(starts, 0, previous)
            self.keys[name] = keys[changed]
            self.codes[name] = codes[changed]

    def _finish(self) -> None:
        codecs = {field.name: field.codec for field in (*PAIR_FIELDS, *SIDE_FIELDS)}
        for name, codes in self.codes.items():
            self.tables[name] = self.tables[name].kept(codecs[name])
            self.codes[name] = _narrow(codes, len(self.tables[name]))

    @property
    def nbytes(self) -> int:
        """Bytes of the arrays: change points, and the collections' item codes (other values are Python objects)."""
        arrays = [self.first_days, *self.keys.values(), *self.codes.values()]
        return sum(array.nbytes for array in arrays) + sum(table.nbytes for table in self.tables.values())

    def present_at(self, day: int) -> np.ndarray:
        """The pairs (numbers into `pairs`) some rule had run on by the ordinal day."""
        return np.flatnonzero(self.first_days <= day)

    def _codes_at(self, name: str, parts: np.ndarray, day: int | np.ndarray) -> np.ndarray:
        keys = self.keys[name]
        if not len(keys):
            return np.zeros(len(parts), dtype=np.int64)
        found = np.searchsorted(keys, (parts << 32) | day, side="right") - 1
        safe = np.maximum(found, 0)
        valid = (found >= 0) & ((keys[safe] >> 32) == parts)
        return np.where(valid, self.codes[name][safe], 0)

    def _codes_on(self, name: str, parts: np.ndarray, queries: np.ndarray, day: int, part_count: int) -> np.ndarray:
        keys = self.keys[name]
        if len(keys) > 2 * len(parts):
            found = np.searchsorted(keys, queries, side="right") - 1
            safe = np.maximum(found, 0)
            return np.where((found >= 0) & ((keys[safe] >> 32) == parts), self.codes[name][safe], 0)
        # Fewer changes than questions (most fields: nominees, caps, sanctions...): one pass over the changes.
        # A part's changes on or before the day are the first of its run (its days ascend), so the last of
        # them is the one whose successor is another part's or after the day.
        owner = keys >> 32
        before = (keys & 0xFFFFFFFF) <= day
        last = before.copy()
        last[:-1] &= (owner[1:] != owner[:-1]) | ~before[1:]
        dense = np.zeros(part_count, dtype=self.codes[name].dtype)
        dense[owner[last]] = self.codes[name][last]
        return dense[parts]

    def codes_at(self, day: int, pairs: np.ndarray) -> dict[str, np.ndarray]:
        """For each state column (`STATE_FIELDS`), the code of each of these pairs' values on the day."""
        pairs = pairs.astype(np.int64)
        count = len(self.pairs)
        queries = (pairs << 32) | day
        found = {field.column: self._codes_on(field.name, pairs, queries, day, count) for field in PAIR_FIELDS}
        for direction, side in enumerate(SIDES):
            parts = 2 * pairs + direction
            queries = (parts << 32) | day
            for field in SIDE_FIELDS:
                found[f"{side}_{field.name}"] = self._codes_on(field.name, parts, queries, day, 2 * count)
        return found

    def change_rows(self) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """The index as dense rows: (pair, day, codes of every column) on each day a pair's state changed.

        Also on each pair's first day; sorted by pair and day: what an as-of join of whole states searches.
        """
        keys = [self.keys[field.name] for field in PAIR_FIELDS]
        parts = [self.keys[field.name] for field in SIDE_FIELDS]
        pair_days = [np.arange(len(self.pairs), dtype=np.int64) << 32 | self.first_days.astype(np.int64)]
        pair_days += keys
        pair_days += [(part >> 33) << 32 | (part & 0xFFFFFFFF) for part in parts]
        rows = np.unique(np.concatenate(pair_days))
        pairs, days = rows >> 32, rows & 0xFFFFFFFF
        found = {field.column: self._codes_at(field.name, pairs, days) for field in PAIR_FIELDS}
        for direction, side in enumerate(SIDES):
            for field in SIDE_FIELDS:
                found[f"{side}_{field.name}"] = self._codes_at(field.name, 2 * pairs + direction, days)
        return pairs, days, found

    def world_at(self, when: datetime.date | ImpreciseDate | str | int) -> dict[tuple[str, str], PairState]:
        """Every pair some event had changed by the day, with its state (as `History.world_at`)."""
        day = _ordinal(when)
        pairs = self.present_at(day)
        codes = self.codes_at(day, pairs)
        decoded = {field.column: self.tables[field.name].decode(codes[field.column].tolist()) for field in STATE_FIELDS}
        answer = {}
        for position, pair in enumerate(pairs.tolist()):
            values = {column: found[position] for column, found in decoded.items()}
            a, b = self.pairs[pair]
            answer[(a, b)] = state_of(a, b, values)
        return answer

    def table_at(self, when: datetime.date | ImpreciseDate | str | int) -> pa.Table:
        """Every pair's state on the day as an Arrow table (`state_schema()`), gathered in C."""
        day = _ordinal(when)
        pairs = self.present_at(day)
        codes = self.codes_at(day, pairs)
        firsts, seconds = zip(*self.pairs, strict=True) if self.pairs else ((), ())
        taken = pa.array(pairs, pa.int64())
        columns = [pa.array(firsts, pa.string()).take(taken), pa.array(seconds, pa.string()).take(taken)]
        for field in STATE_FIELDS:
            values = self.tables[field.name].arrow(field.codec)
            columns.append(values.take(pa.array(codes[field.column], pa.int64())))
        return pa.Table.from_arrays(columns, schema=state_schema())


def _ordinal(when: datetime.date | ImpreciseDate | str | int) -> int:
    if isinstance(when, int):
        return when
    if isinstance(when, str):
        return parse_date(when).latest.toordinal()
    if isinstance(when, ImpreciseDate):
        return when.latest.toordinal()
    return when.toordinal()


class ColumnFold:
    """The result of folding a table of events: final states, anomalies by position, and the index."""

    def __init__(self, world: WorldState, anomalies: list[tuple[int, Anomaly]], index: PairIndex | None) -> None:
        self.world = world
        """The final `WorldState` of the events folded (its anomalies in history order)."""
        self.positioned_anomalies = anomalies
        """(seq, anomaly) for each anomaly, in history order: what merging buckets sorts by."""
        self.index = index
        """The as-of index (None when not asked for)."""


_CHANGES_PAIR = {
    tag: FAST_HANDLERS[cls] is not None and FAST_HANDLERS[cls] is not ACTOR_LEVEL for tag, cls in EVENT_KINDS.items()
}

_ACTOR_KIND = {tag: FAST_HANDLERS[cls] is ACTOR_LEVEL for tag, cls in EVENT_KINDS.items()}


def _dictionary(column: pa.ChunkedArray) -> tuple[np.ndarray, list]:
    """The indices (int64, -1 for null) and values of a dictionary column."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    if not pa.types.is_dictionary(array.type):
        array = array.dictionary_encode()
    indices = array.indices.to_numpy(zero_copy_only=False)
    if array.null_count:
        indices = np.where(array.is_valid().to_numpy(zero_copy_only=False), indices, -1)
    return indices.astype(np.int64), array.dictionary.to_pylist()


class _DissolvedBefore:
    """Which actors were dissolved before a position, and on what date (the latest dissolution wins)."""

    def __init__(self, dissolutions: Iterable[Dissolution]) -> None:
        by_actor: dict[str, list[Dissolution]] = {}
        for dissolution in sorted(dissolutions, key=attrgetter("seq")):
            by_actor.setdefault(dissolution.actor, []).append(dissolution)
        self.by_actor = by_actor
        self.seqs = {actor: [d.seq for d in found] for actor, found in by_actor.items()}

    def first_seq(self, actor: str) -> int:
        found = self.seqs.get(actor)
        return found[0] if found else np.iinfo(np.int64).max

    def rules(self, seq: int, codes: Iterable[str]) -> list[str]:
        broken = []
        for code in codes:
            seqs = self.seqs.get(code)
            if seqs:
                before = bisect_left(seqs, seq)
                if before:
                    broken.append(dissolved_rule(code, self.by_actor[code][before - 1].date))
        return broken


def fold_table(
    table: pa.Table,
    *,
    strict: bool = True,
    dissolutions: Iterable[Dissolution] | None = None,
    index: bool = True,
) -> ColumnFold:
    """Fold a table of events (`SCHEMA`'s columns, at least `FOLD_COLUMNS`) given in history order.

    Args:
        table: the events, in history order (`seq` ascending); a whole history or one bucket of it, as
            `SCHEMA` types them or as kept resident (`engine.dataset.compacted`, expanded here to the fold's
            columns first: one pass in C, so that nothing below reads two forms), to the same result.
        strict: raise the first impossible transition (as `engine.fold`); else record anomalies.
        dissolutions: every dissolution of the whole history (a bucket's fold needs those of other
            buckets); by default the table's own.
        index: build the as-of index (`PairIndex`) too.

    Raises:
        TransitionError: (strict) the first event, in history order, that breaks a rule; the same
            message as `engine.fold`.
    """
    if is_compacted(table):
        table = expanded(table, FOLD_COLUMNS)
    with paused_gc():
        return _fold(table, strict, dissolutions, index)


@attrs.frozen(eq=False)
class _Rows:
    """A table's columns as the fold reads them: numpy codes per row, and what the codes stand for."""

    table: pa.Table
    seq: np.ndarray
    kind_index: np.ndarray
    classes: list[type[ev.Event]]
    actor_index: np.ndarray
    actor_values: list[str]
    target_index: np.ndarray
    target_values: list[str]
    after_dissolution: np.ndarray
    """Rows naming an actor dissolved before them (each breaks a rule whatever its kind)."""
    dissolved: _DissolvedBefore

    def views(self, rows: np.ndarray) -> list:
        """The row views of these rows (see `_views`)."""
        return _views(
            self.table,
            rows,
            self.kind_index[rows],
            self.classes,
            self.actor_index,
            self.actor_values,
            self.target_index,
            self.target_values,
        )


def _fold(table: pa.Table, strict: bool, dissolutions, want_index: bool) -> ColumnFold:
    kind_index, kind_values = _dictionary(table.column("kind"))
    actor_index, actor_values = _dictionary(table.column("actor"))
    target_index, target_values = _dictionary(table.column("target"))
    seq = table.column("seq").to_numpy()
    if len(seq) > 1 and not bool(np.all(seq[1:] > seq[:-1])):
        raise ValueError("fold_table needs its rows in history order (seq ascending)")
    if dissolutions is None:
        dissolutions = _own_dissolutions(table, kind_index, kind_values, actor_index, actor_values, seq)
    dissolved = _DissolvedBefore(dissolutions)
    never = np.iinfo(np.int64).max

    changes_pair = np.array([_CHANGES_PAIR[tag] for tag in kind_values] + [False], dtype=bool)[kind_index]
    actor_kind = np.array([_ACTOR_KIND[tag] for tag in kind_values] + [False], dtype=bool)[kind_index]
    # A row naming an actor dissolved before it breaks a rule whatever its kind.
    first_actor = np.array([dissolved.first_seq(code) for code in actor_values] + [never], dtype=np.int64)
    first_target = np.array([dissolved.first_seq(code) for code in target_values] + [never], dtype=np.int64)
    after_dissolution = (seq > first_actor[actor_index]) | (seq > first_target[target_index])
    has_target = target_index >= 0

    unknown = sorted(set(kind_values) - set(EVENT_KINDS))
    if unknown:
        raise ColumnarFormatError(f"column 'kind': expected one of {', '.join(sorted(EVENT_KINDS))}, found {unknown}")
    classes = [EVENT_KINDS[tag] for tag in kind_values]
    broken_at: list[tuple[int, int, list[str]]] = []  # (seq, row, rules), sorted at the end
    alone = np.flatnonzero((actor_kind | after_dissolution) & ~has_target)
    columns = _Rows(
        table,
        seq,
        kind_index,
        classes,
        actor_index,
        actor_values,
        target_index,
        target_values,
        after_dissolution,
        dissolved,
    )
    actor_states = _fold_actors(columns, alone, broken_at)
    paired = np.flatnonzero((changes_pair | after_dissolution) & has_target)
    pairs, index = _fold_pairs(columns, paired, broken_at, want_index)

    broken_at.sort(key=itemgetter(0))
    ids = table.column("id")
    packed = _packed_dates(table, np.asarray([row for _, row, _ in broken_at], dtype=np.int64))
    positioned = [
        (position, Anomaly(ids[row].as_py(), _unpacked(key), rule))
        for (position, row, rules), key in zip(broken_at, packed, strict=True)
        for rule in rules
    ]
    if strict and broken_at:
        _, row, rules = broken_at[0]
        raise TransitionError(ids[row].as_py(), _unpacked(packed[0]), "; ".join(rules))
    world = WorldState(
        immutables.Map({(pair.a, pair.b): pair.freeze() for pair in pairs}),
        immutables.Map(actor_states),
        tuple(anomaly for _, anomaly in positioned),
    )
    return ColumnFold(world, positioned, index)


def _fold_actors(columns: _Rows, rows: np.ndarray, broken_at: list) -> dict[str, ActorState]:
    """Changes of government, dissolutions, and rows without a target naming a dissolved actor, in order."""
    actor_states: dict[str, ActorState] = {}
    if not len(rows):
        return actor_states
    actor_level = np.array([FAST_HANDLERS[cls] is ACTOR_LEVEL for cls in columns.classes] + [False])
    acting = rows[actor_level[columns.kind_index[rows]]]
    # The rule book's `actor_after` reads the event's class (a view answers it), fields and date.
    views = dict(zip(acting.tolist(), columns.views(acting), strict=True))
    for row in rows.tolist():
        code = columns.actor_values[columns.actor_index[row]]
        broken = columns.dissolved.rules(int(columns.seq[row]), (code,))
        view = views.get(row)
        if view is not None:
            actor_states[code] = actor_after(actor_states.get(code) or ActorState(), view)
        if broken:
            broken_at.append((int(columns.seq[row]), row, broken))
    return actor_states


def _fold_pairs(
    columns: _Rows, rows: np.ndarray, broken_at: list, want_index: bool
) -> tuple[list[PairAccumulator], PairIndex | None]:
    """Fold the rows with a target that run a pair rule or name a dissolved actor, in history order."""
    table, seq, kind_index, classes = columns.table, columns.seq, columns.kind_index, columns.classes
    actor_index, actor_values = columns.actor_index, columns.actor_values
    target_index, target_values = columns.target_index, columns.target_values
    after_dissolution, dissolved = columns.after_dissolution, columns.dissolved
    entries = [FAST_HANDLERS[cls] for cls in classes]
    runs_rule = np.array([entry not in (None, ACTOR_LEVEL) for entry in entries] + [False])[kind_index[rows]]
    late_rows = rows[after_dissolution[rows]]
    rows = rows[runs_rule]
    count = len(rows)
    # One code space for actors and targets, sorted, so that (min, max) of two codes is `events.pair_of`.
    codes = sorted(set(actor_values) | set(target_values))
    number = {code: position for position, code in enumerate(codes)}
    actor_ids = np.array([number[code] for code in actor_values] + [-1], dtype=np.int64)[actor_index[rows]]
    target_ids = np.array([number[code] for code in target_values] + [-1], dtype=np.int64)[target_index[rows]]
    low, high = np.minimum(actor_ids, target_ids), np.maximum(actor_ids, target_ids)
    pair_keys, first_rows, group = np.unique(low * len(codes) + high, return_index=True, return_inverse=True)
    group = group.reshape(-1).astype(np.int64)
    pair_count = len(pair_keys)
    names = np.asarray(codes, dtype=object)
    firsts, seconds = names[low[first_rows]].tolist(), names[high[first_rows]].tolist()
    # New accumulators as the fast fold makes them (its `_thaw` of a pair no state holds yet).
    accumulators = list(map(FastFolder()._thaw, zip(firsts, seconds, strict=True)))

    kinds = kind_index[rows]
    rule_of_kind = [entry[0] if entry not in (None, ACTOR_LEVEL) else None for entry in entries]
    mode_of_kind = np.array([entry[1] if entry not in (None, ACTOR_LEVEL) else -1 for entry in entries] + [-1])
    modes = mode_of_kind[kinds]
    # The side a rule acts on: a->b (low->high) when the acting actor is the pair's first; none for pair rules.
    acting = np.where(modes == ON_TARGET_SIDE, target_ids, actor_ids)
    on_side = modes < ON_PAIR
    side_slot = np.where(on_side, group + pair_count * (acting != low), 2 * pair_count)
    slots = _objects([*(pair.ab for pair in accumulators), *(pair.ba for pair in accumulators), None])
    pair_objects = _objects(accumulators)[group].tolist() if count else []
    sides = slots[side_slot].tolist() if count else []
    rules = _objects([*rule_of_kind, None])[kinds].tolist() if count else []
    views = columns.views(rows)

    index = None
    if want_index:
        days = _days(table, "first_day", rows)
        first_days = np.full(pair_count, np.iinfo(np.int32).max, dtype=np.int32)
        first_days[group[first_rows]] = days[first_rows]
        index = PairIndex(list(zip(firsts, seconds, strict=True)), first_days)
        # zip draws each rule's result, then the snapshot of what that rule may have changed, row by row.
        snapshot_of = _objects([_SIDE_OF, _SIDE_OF, _PAIR_OF, _WHOLE_OF])[modes].tolist() if count else []
        snapshot_from = np.where(on_side, _objects(sides), _objects(pair_objects)).tolist() if count else []
        stepped = list(
            zip(map(call, rules, pair_objects, sides, views), map(call, snapshot_of, snapshot_from), strict=True)
        )
        results = [result for result, _ in stepped]
        _index_snapshots(index, [snapshot for _, snapshot in stepped], modes, group, acting != low, days)
        del stepped
    else:
        results = list(map(call, rules, pair_objects, sides, views))
    # The rules wrote in place without marking anything changed: every pair a rule ran on, and the sides its
    # rules may have written (the side a side rule acts on; both for BOTH rules), freeze anew.
    for pair in accumulators:
        pair.frozen = None
    both = group[modes == ON_BOTH_SIDES]
    touched = np.unique(np.concatenate([side_slot[on_side], both, both + pair_count]))
    for side in slots[touched].tolist():
        side.frozen = None

    broken: dict[int, list[str]] = {}
    if any(results):
        for row, result in zip(rows.tolist(), results, strict=True):
            if result:
                broken[row] = result
    if len(late_rows):
        late_targets = target_index[late_rows]
        for row, actor, target in zip(
            late_rows.tolist(), actor_index[late_rows].tolist(), late_targets.tolist(), strict=True
        ):
            rules_broken = dissolved.rules(int(seq[row]), (actor_values[actor], target_values[target]))
            broken[row] = rules_broken + broken.get(row, [])
    broken_at.extend((int(seq[row]), row, rules_broken) for row, rules_broken in broken.items())
    return accumulators, index


def _objects(items: Sequence[object]) -> np.ndarray:
    """A one-dimensional object array of the items (tuples stay items, not rows)."""
    return np.fromiter(items, dtype=object, count=len(items))


def _index_snapshots(index: PairIndex, snapshots, modes, group, on_ba, days) -> None:
    """Split each row's snapshot into the pair's own fields and its directions' fields, and record both."""
    side_rows = np.flatnonzero(modes < ON_PAIR)
    pair_rows = np.flatnonzero(modes == ON_PAIR)
    both_rows = np.flatnonzero(modes == ON_BOTH_SIDES)
    side_snapshots = [snapshots[row] for row in side_rows.tolist()]
    side_parts = [2 * group[side_rows] + on_ba[side_rows]]
    side_days = [days[side_rows]]
    pair_snapshots = [snapshots[row] for row in pair_rows.tolist()]
    own = len(_PAIR_NAMES)
    width = len(_SIDE_NAMES)
    pair_positions = [pair_rows]
    both = [snapshots[row] for row in both_rows.tolist()]
    pair_snapshots += [whole[:own] for whole in both]
    pair_positions.append(both_rows)
    for direction in range(2):
        start = own + direction * width
        side_snapshots += [whole[start : start + width] for whole in both]
        side_parts.append(2 * group[both_rows] + direction)
        side_days.append(days[both_rows])
    side_positions = np.concatenate([side_rows, both_rows, both_rows])
    pair_positions_all = np.concatenate(pair_positions)
    # Each stream in history order (a stable sort by part then keeps each part's rows in that order).
    side_order = np.argsort(side_positions, kind="stable")
    pair_order = np.argsort(pair_positions_all, kind="stable")
    index._record(
        _SIDE_NAMES,
        np.concatenate(side_parts)[side_order],
        np.concatenate(side_days)[side_order],
        [side_snapshots[position] for position in side_order.tolist()],
    )
    index._record(
        _PAIR_NAMES,
        group[pair_positions_all][pair_order],
        days[pair_positions_all][pair_order],
        [pair_snapshots[position] for position in pair_order.tolist()],
    )
    index._finish()


def _views(table, rows, kinds, classes, actor_index, actor_values, target_index, target_values) -> list:
    """The row view of each row (its kind's `_VIEWS` class), built per kind in C and put back in row order."""
    views = np.empty(len(rows), dtype=object)
    if not len(rows):
        return []
    actors = _objects([*actor_values, None])[actor_index[rows]]
    targets = _objects([*target_values, None])[target_index[rows]]
    dates = np.asarray(_packed_dates(table, rows), dtype=np.int64)
    present = [classes[kind] for kind in np.unique(kinds).tolist()]
    needed = {column for cls in present for _, column in KIND_SLOTS[cls.KIND]}
    gathered = {}  # each column once, at the rows of the kinds that have a field in it
    for column in needed:
        uses = np.zeros(len(classes) + 1, dtype=bool)
        uses[[classes.index(cls) for cls in present if column in dict(KIND_SLOTS[cls.KIND]).values()]] = True
        used = np.flatnonzero(uses[kinds])
        gathered[column] = np.empty(len(rows), dtype=object)
        gathered[column][used] = _column_at(table, column, rows[used])
    for cls in present:
        positions = np.flatnonzero(kinds == classes.index(cls))
        fields = [gathered[column][positions].tolist() for _, column in KIND_SLOTS[cls.KIND]]
        built: list[tuple] = list(
            map(
                tuple.__new__,
                repeat(_VIEWS[cls]),
                zip(
                    actors[positions].tolist(),
                    targets[positions].tolist(),
                    dates[positions].tolist(),
                    *fields,
                    strict=True,
                ),
            )
        )
        views[positions] = _objects(built)
    return views.tolist()


def _own_dissolutions(table, kind_index, kind_values, actor_index, actor_values, seq) -> list[Dissolution]:
    if "state_dissolved" not in kind_values:
        return []
    rows = np.flatnonzero(kind_index == kind_values.index("state_dissolved"))
    dates = _dates(table, rows)
    return [
        Dissolution(int(seq[row]), actor_values[actor_index[row]], date)
        for row, date in zip(rows.tolist(), dates, strict=True)
    ]


def _days(table: pa.Table, name: str, rows: np.ndarray) -> np.ndarray:
    column = table.column(name).combine_chunks().take(pa.array(rows, pa.int64()))
    return column.cast(pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64) + EPOCH_ORDINAL


def _packed_dates(table: pa.Table, rows: np.ndarray) -> list[int]:
    """Each row's date as one int: first day (ordinal) << 20 | span in days << 2 | uncertain << 1 | approximate.

    An EDTF interval is no span of a precision (and may span more days than the key holds): its key is
    negative, naming it in an interned table of intervals (see `_unpacked`).
    """
    first = _days(table, "first_day", rows)
    span = _days(table, "last_day", rows) - first
    taken = pa.array(rows, pa.int64())
    uncertain = table.column("uncertain").combine_chunks().take(taken).to_numpy(zero_copy_only=False)
    approximate = table.column("approximate").combine_chunks().take(taken).to_numpy(zero_copy_only=False)
    packed = (first << 20) | (span << 2) | (uncertain.astype(np.int64) << 1) | approximate.astype(np.int64)
    keys: list[int] = packed.tolist()
    intervals = table.column("interval").combine_chunks().take(taken)
    if intervals.null_count < len(intervals):
        for position, text in enumerate(intervals.to_pylist()):
            if text is not None:
                keys[position] = _interval_key(text)
    return keys


_UNPACKED: dict[int, EventDate] = {}
_INTERVAL_KEYS: dict[str, int] = {}


def _interval_key(text: str) -> int:
    """The negative key of an interval's text, its date parsed once."""
    key = _INTERVAL_KEYS.get(text)
    if key is None:
        key = _INTERVAL_KEYS[text] = -1 - len(_INTERVAL_KEYS)
        _UNPACKED[key] = parse_date(text)
    return key


def _unpacked(key: int) -> EventDate:
    """The date of a packed key (see `_packed_dates`), each built once."""
    found = _UNPACKED.get(key)
    if found is None:
        first = key >> 20
        found = _UNPACKED[key] = date_of(first, first + ((key >> 2) & 0x3FFFF), bool(key & 2), bool(key & 1))
    return found


def _dates(table: pa.Table, rows: np.ndarray) -> list[EventDate]:
    return [_unpacked(key) for key in _packed_dates(table, rows)]


def _column_at(table: pa.Table, name: str, rows: np.ndarray) -> np.ndarray:
    """A column's values at these rows as an object array (a list column's values as tuples, () for null)."""
    if name in _LIST_COLUMNS:
        values = table.column(name).take(pa.array(rows, pa.int64())).to_pylist()
        return _objects([() if value is None else tuple(value) for value in values])
    if pa.types.is_dictionary(table.schema.field(name).type):
        column = table.column(name).combine_chunks()
        values = _objects([*column.dictionary.to_pylist(), None])
        return values[column.indices.fill_null(-1).to_numpy().astype(np.int64)[rows]]
    return _objects(table.column(name).take(pa.array(rows, pa.int64())).to_pylist())
