"""The fold from columns: a history's record batches folded into states and a compact as-of index.

No event object is built per row. Three things make it faster than the fast fold over objects
(`engine._fast`), which it reuses for the rules themselves (the rule book's entries, `engine._rules`, run by
the fast fold's `_run`: there is no third copy of any rule):

- The rows that can change nothing are left out in C before any Python runs: record-only kinds
  (statements, visits, alignments...), unless they name an actor dissolved before them (the only way
  such a row can break a rule). In event data that is more than half the rows.
- The remaining rows are grouped by pair (one stable sort in numpy), so each pair's accumulator is
  looked up once per run of its rows, not once per event. The fold is pair-local: a pair's state
  depends on its own events and on which actors were dissolved before each, which `dissolutions`
  (the whole history's, from a dataset's manifest) answers for any position. Anomalies keep their
  events' positions and are put back in history order at the end; in strict mode the first one is
  raised, which is the error the fold in history order raises.
- Each handler reads one reused row view whose few fields are set from the columns.

The index keeps, for each row that ran a handler, the pair's state as small integer codes in numpy
arrays (`PairColumns`): 52 bytes a row instead of the ~200 of a `PairState` and its new `Side`, and
every pair's state on a day is one `searchsorted` and a gather per column, with no Python per pair.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import pairwise, repeat
from operator import attrgetter, itemgetter
from typing import Any

import immutables
import numpy as np
import pyarrow as pa

import events as ev
from engine._fast import ACTOR_LEVEL, FAST_HANDLERS, PairAccumulator, _empty_side, _run, paused_gc
from engine._reducer import TransitionError
from engine._rules import AID_RULES, RELATIONS_RULES, actor_after, dissolved_rule
from engine._state import ActorState, Agency, Anomaly, PairState, Post, Side, WorldState
from engine.dataset._files import Dissolution
from engine.dataset._schema import EPOCH_ORDINAL, FIELD_COLUMNS, date_of
from events import EVENT_KINDS, EventDate, ImpreciseDate, parse_date

FOLD_COLUMNS = [
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
    "choice",
    "text",
    "text2",
    "flag",
]
"""The columns the fold reads (the rest, citations and notes and the record-only kinds' own fields, stay on disk)."""

_PAIR_STATE = attrgetter(
    "relations",
    "relations_since",
    "agreed_level",
    *(
        f"{side}.{name}"
        for side in ("ab", "ba")
        for name in (
            "recognizes",
            "level",
            "envoy",
            "posts",
            "agencies",
            "aid",
            "certification",
            "visa_required",
            "persona_non_grata",
        )
    ),
)
_SIDE_NAMES = (
    "recognizes",
    "level",
    "envoy",
    "posts",
    "agencies",
    "aid",
    "certification",
    "visa_required",
    "persona_non_grata",
)
CHUNK_ROWS = 65_536
"""Index rows encoded at a time (bounds the tuples held before encoding)."""


class _RowView(tuple):
    """One row as the handlers read it: a plain tuple (built in C) whose fields are named after every kind's.

    (actor, target, packed date, choice, text, text2, flag): each kind-specific field name reads the
    column `FIELD_COLUMNS` puts it in, so `rank` and `post` both read `choice`; a handler reads only its
    own kind's names. `date` is unpacked only when read (the relations handlers).
    """

    __slots__ = ()

    @property
    def date(self) -> EventDate:
        return _unpacked(self[2])


try:  # the C descriptor namedtuple fields use: reading a field costs what reading a slot does
    from collections import _tuplegetter as _field_at  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Pythons: a property, a few times slower to read

    def _field_at(position: int, doc: str) -> property:
        return property(itemgetter(position), doc=doc)


_VIEW_COLUMNS = ("choice", "text", "text2", "flag")
for _field, _position in (("actor", 0), ("target", 1)):
    setattr(_RowView, _field, _field_at(_position, f"the {_field}'s code"))
for _field, _column in FIELD_COLUMNS.items():
    if _column in _VIEW_COLUMNS:
        setattr(_RowView, _field, _field_at(3 + _VIEW_COLUMNS.index(_column), f"the {_column} column"))


class _Interned:
    """Values (strings, dates, frozensets) numbered in order of first sight; code -> value is `values`."""

    __slots__ = ("codes", "values")

    def __init__(self, first: Sequence[object] = ()) -> None:
        self.values: list[object] = list(first)
        self.codes: dict[object, int] = {value: code for code, value in enumerate(self.values)}

    def encode(self, column: Sequence[object], dtype) -> np.ndarray:
        codes, values = self.codes, self.values
        for value in dict.fromkeys(column):  # the new distinct values, in C order of first sight
            if value not in codes:
                codes[value] = len(values)
                values.append(value)
        return np.fromiter(map(codes.__getitem__, column), dtype=dtype, count=len(column))


# Column order of `PairColumns.codes`: the pair's fields, then each direction's.
STATE_FIELDS = (
    "relations",
    "relations_since",
    "agreed_level",
    *(f"{side}_{name}" for side in ("ab", "ba") for name in _SIDE_NAMES),
)
_INTERNED_AS = {
    "relations": "small",
    "agreed_level": "small",
    "level": "small",
    "aid": "small",
    "certification": "small",
    "recognizes": "small",
    "visa_required": "small",
    "relations_since": "dates",
    "envoy": "names",
    "posts": "posts",
    "agencies": "agencies",
    "persona_non_grata": "people",
}


def _table_of(field: str) -> str:
    return _INTERNED_AS[field.split("_", 1)[1] if field.startswith(("ab_", "ba_")) else field]


class PairColumns:
    """Every pair's state after each of its state changes, as integer codes, grouped by pair.

    Pair p's rows are `offsets[p]:offsets[p+1]`, in history order; `days` holds each row's first
    possible day (ordinal). `codes[field]` is the row's value of that field as a code into the value
    table `tables[_table_of(field)]`.
    """

    def __init__(self) -> None:
        self.pairs: list[tuple[str, str]] = []
        self.offsets = np.zeros(1, dtype=np.int64)
        self.days = np.zeros(0, dtype=np.int32)
        self.tables: dict[str, _Interned] = {
            "small": _Interned([None, False, True]),
            "dates": _Interned([None]),
            "names": _Interned([None]),
            "posts": _Interned([frozenset()]),
            "agencies": _Interned([frozenset()]),
            "people": _Interned([frozenset()]),
        }
        self.codes: dict[str, np.ndarray] = {
            field: np.zeros(0, dtype=np.int8 if _table_of(field) == "small" else np.int32) for field in STATE_FIELDS
        }
        self._sorted_keys: np.ndarray | None = None

    def _append(self, states: list[tuple], days: list[int]) -> None:
        columns = list(zip(*states, strict=True)) if states else [() for _ in STATE_FIELDS]
        for field, column in zip(STATE_FIELDS, columns, strict=True):
            table = _table_of(field)
            dtype = np.int8 if table == "small" else np.int32
            self.codes[field] = np.concatenate([self.codes[field], self.tables[table].encode(column, dtype)])
        self.days = np.concatenate([self.days, np.asarray(days, dtype=np.int32)])

    def __len__(self) -> int:
        return len(self.days)

    @property
    def nbytes(self) -> int:
        """Bytes of the arrays (the value tables are shared with the states and not counted)."""
        return self.days.nbytes + self.offsets.nbytes + sum(array.nbytes for array in self.codes.values())

    def _keys(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self._sorted_keys is None:
            pair_of_row = np.repeat(np.arange(len(self.pairs), dtype=np.int64), np.diff(self.offsets))
            # Days are positive ordinals below 2**22, so (pair << 32 | day) sorts by pair, then day.
            self._sorted_keys = (pair_of_row << 32) | self.days.astype(np.int64)
        return self._sorted_keys, np.arange(len(self.pairs), dtype=np.int64) << 32, self.offsets[:-1]

    def rows_at(self, day: int) -> np.ndarray:
        """For each pair (in `pairs` order), its last row on or before the ordinal day; -1 for none yet."""
        keys, base, starts = self._keys()
        found = np.searchsorted(keys, base | day, side="right")
        return np.where(found > starts, found - 1, -1)

    def state(self, pair: int, row: int) -> PairState:
        """The `PairState` of one row of a pair (row -1: the pair before any event)."""
        a, b = self.pairs[pair]
        if row < 0:
            return PairState(a, b)
        value = {field: self.tables[_table_of(field)].values[self.codes[field][row]] for field in STATE_FIELDS}
        sides = [Side(*(value[f"{side}_{name}"] for name in _SIDE_NAMES)) for side in ("ab", "ba")]
        return PairState(a, b, value["relations"], value["relations_since"], value["agreed_level"], *sides)

    def world_at(self, when: datetime.date | ImpreciseDate | str | int) -> dict[tuple[str, str], PairState]:
        """Every pair some event had changed by the day, with its state (as `History.world_at`)."""
        rows = self.rows_at(_ordinal(when))
        return {self.pairs[pair]: self.state(pair, int(row)) for pair, row in enumerate(rows.tolist()) if row >= 0}

    def table_at(self, when: datetime.date | ImpreciseDate | str | int) -> pa.Table:
        """Every pair's state on the day as an Arrow table (`state_table`'s columns), gathered in C."""
        rows = self.rows_at(_ordinal(when))
        present = rows >= 0
        return self.table_of_rows(np.flatnonzero(present), rows[present])

    def table_of_rows(self, pairs: np.ndarray, rows: np.ndarray) -> pa.Table:
        """The states of these (pair, row) as a `state_table`."""
        firsts, seconds = zip(*self.pairs, strict=True) if self.pairs else ((), ())
        columns = {
            "a": pa.array(firsts, pa.string()).take(pa.array(pairs, pa.int64())),
            "b": pa.array(seconds, pa.string()).take(pa.array(pairs, pa.int64())),
        }
        for field in STATE_FIELDS:
            table = _table_of(field)
            codes = pa.array(self.codes[field][rows].astype(np.int32))
            columns[field] = _values_array(table, field, self.tables[table].values).take(codes)
        return pa.table(columns)


def _values_array(table: str, field: str, values: list) -> pa.Array:
    """The value table as an Arrow array of the output type of `field`."""
    if table == "small":
        if field.endswith(("recognizes", "visa_required")):
            return pa.array([value if isinstance(value, bool) else None for value in values], pa.bool_())
        return pa.array([value if isinstance(value, str) else None for value in values], pa.string())
    if table == "dates":
        return pa.array([None if value is None else str(value) for value in values], pa.string())
    if table == "names":
        return pa.array(values, pa.string())
    if table == "posts":
        rows = [
            sorted(({"kind": p.kind, "city": p.city} for p in value), key=itemgetter("kind", "city"))
            for value in values
        ]
        return pa.array(rows, POSTS_TYPE)
    if table == "agencies":
        rows = [
            sorted(
                ({"name": a.name, "excluded_regions": sorted(a.excluded_regions)} for a in value),
                key=itemgetter("name"),
            )
            for value in values
        ]
        return pa.array(rows, AGENCIES_TYPE)
    return pa.array([sorted(value) for value in values], pa.list_(pa.string()))


POSTS_TYPE = pa.list_(pa.struct([("kind", pa.string()), ("city", pa.string())]))
AGENCIES_TYPE = pa.list_(pa.struct([("name", pa.string()), ("excluded_regions", pa.list_(pa.string()))]))


def states_of_table(table: pa.Table) -> dict[tuple[str, str], PairState]:
    """The `PairState` of each row of a `state_table` (for comparing answers field for field)."""
    found = {}
    for row in table.to_pylist():
        sides = []
        for side in ("ab", "ba"):
            sides.append(
                Side(
                    row[f"{side}_recognizes"],
                    row[f"{side}_level"],
                    row[f"{side}_envoy"],
                    frozenset(Post(p["kind"], p["city"]) for p in row[f"{side}_posts"]),
                    frozenset(Agency(a["name"], frozenset(a["excluded_regions"])) for a in row[f"{side}_agencies"]),
                    row[f"{side}_aid"],
                    row[f"{side}_certification"],
                    row[f"{side}_visa_required"],
                    frozenset(row[f"{side}_persona_non_grata"]),
                )
            )
        since = row["relations_since"]
        found[(row["a"], row["b"])] = PairState(
            row["a"],
            row["b"],
            row["relations"],
            None if since is None else parse_date(since),
            row["agreed_level"],
            *sides,
        )
    return found


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

    def __init__(self, world: WorldState, anomalies: list[tuple[int, Anomaly]], index: PairColumns | None) -> None:
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
        table: the events, in history order (`seq` ascending); a whole history or one bucket of it.
        strict: raise the first impossible transition (as `engine.fold`); else record anomalies.
        dissolutions: every dissolution of the whole history (a bucket's fold needs those of other
            buckets); by default the table's own.
        index: build the as-of index (`PairColumns`) too.

    Raises:
        TransitionError: (strict) the first event, in history order, that breaks a rule; the same
            message as `engine.fold`.
    """
    with paused_gc():
        return _fold(table, strict, dissolutions, index)


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

    classes = [EVENT_KINDS[tag] for tag in kind_values]
    broken_at: list[tuple[int, int, list[str]]] = []  # (seq, row, rules), sorted at the end
    alone = np.flatnonzero((actor_kind | after_dissolution) & ~has_target)
    actor_states = _fold_actors(table, alone, seq, kind_index, classes, actor_index, actor_values, dissolved, broken_at)
    paired = np.flatnonzero((changes_pair | after_dissolution) & has_target)
    pairs, index = _fold_pairs(
        table,
        paired,
        seq,
        kind_index,
        classes,
        actor_index,
        actor_values,
        target_index,
        target_values,
        after_dissolution,
        dissolved,
        broken_at,
        want_index,
    )

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


def _fold_actors(table, rows, seq, kind_index, classes, actor_index, actor_values, dissolved, broken_at):
    """Changes of government, dissolutions, and rows without a target naming a dissolved actor, in order."""
    actor_states: dict[str, ActorState] = {}
    if not len(rows):
        return actor_states
    leaders = _gathered(table, "text", rows)
    dates = _packed_dates(table, rows)
    for position, row in enumerate(rows.tolist()):
        code = actor_values[actor_index[row]]
        cls = classes[kind_index[row]]
        broken = dissolved.rules(int(seq[row]), (code,))
        if FAST_HANDLERS[cls] is ACTOR_LEVEL:
            # The rule book reads a real event here (its class, leader and date): these rows, about one in a
            # hundred, get one, built with just those fields.
            event: Any = object.__new__(cls)
            object.__setattr__(event, "actor", code)
            object.__setattr__(event, "date", _unpacked(dates[position]))
            if cls is ev.GovernmentChanged:
                object.__setattr__(event, "leader", leaders[position])
            actor_states[code] = actor_after(actor_states.get(code) or ActorState(), event)
        if broken:
            broken_at.append((int(seq[row]), row, broken))
    return actor_states


def _fold_pairs(
    table,
    rows,
    seq,
    kind_index,
    classes,
    actor_index,
    actor_values,
    target_index,
    target_values,
    after_dissolution,
    dissolved,
    broken_at,
    want_index,
) -> tuple[list[PairAccumulator], PairColumns | None]:
    """Fold the pair rows, grouped by pair (each pair's rows in history order)."""
    index = PairColumns() if want_index else None
    pairs: list[PairAccumulator] = []
    if not len(rows):
        if index is not None:
            index._append([], [])
        return pairs, index
    # One code space for actors and targets, sorted, so that (min, max) of two codes is `events.pair_of`.
    codes = sorted(set(actor_values) | set(target_values))
    number = {code: position for position, code in enumerate(codes)}
    actor_ids = np.array([number[code] for code in actor_values] + [-1], dtype=np.int64)[actor_index[rows]]
    target_ids = np.array([number[code] for code in target_values] + [-1], dtype=np.int64)[target_index[rows]]
    low, high = np.minimum(actor_ids, target_ids), np.maximum(actor_ids, target_ids)
    by_pair = np.argsort(low * len(codes) + high, kind="stable")
    order, low, high = rows[by_pair], low[by_pair], high[by_pair]
    starts = np.flatnonzero(np.concatenate([[True], (low[1:] != low[:-1]) | (high[1:] != high[:-1])]))
    bounds = [*starts.tolist(), len(order)]
    flagged = after_dissolution[order]
    group_flagged = np.add.reduceat(flagged.astype(np.int64), starts) > 0
    named = np.asarray(codes, dtype=object)
    low_names, high_names = named[low[starts]].tolist(), named[high[starts]].tolist()
    actors = np.asarray(actor_values, dtype=object)[actor_index[order]].tolist()
    targets = np.asarray(target_values, dtype=object)[target_index[order]].tolist()
    slots = [_gathered(table, name, order) for name in _VIEW_COLUMNS]
    views: list[Any] = list(
        map(tuple.__new__, repeat(_RowView), zip(actors, targets, _packed_dates(table, order), *slots, strict=True))
    )
    handlers = np.asarray([*(FAST_HANDLERS[cls] for cls in classes), None], dtype=object)[kind_index[order]].tolist()
    typed = np.asarray([cls in _TYPED for cls in classes] + [False])[kind_index[order]]
    for position in np.flatnonzero(typed).tolist():
        views[position] = _stand_in(classes[kind_index[order[position]]], views[position])
    days = (_days(table, "first_day", order) if index is not None else np.zeros(0, np.int64)).tolist()
    order_list = order.tolist()
    states: list[tuple] = []
    index_days: list[int] = []
    offsets = [0]
    state_of = _PAIR_STATE
    for group, (start, end) in enumerate(pairwise(bounds)):
        count = end - start
        group_handlers, group_views = handlers[start:end], views[start:end]
        if group_flagged[group]:
            pair = _fold_flagged(
                group_handlers,
                group_views,
                order_list[start:end],
                days[start:end],
                flagged[start:end],
                low_names[group],
                high_names[group],
                seq,
                dissolved,
                broken_at,
                states,
                index_days,
                index is not None,
            )
            if pair is None:
                continue
        else:
            # Every row runs a handler: call them from C (map), and with the index take the state after
            # each (zip draws the handler's result, then the state, row by row).
            pair = _new_pair(low_names[group], high_names[group])
            if index is None:
                results = list(map(_run, group_handlers, repeat(pair, count), group_views))
            else:
                stepped = list(
                    zip(
                        map(_run, group_handlers, repeat(pair, count), group_views),
                        map(state_of, repeat(pair, count)),
                        strict=True,
                    )
                )
                results = [rules for rules, _ in stepped]
                states.extend(state for _, state in stepped)
                index_days.extend(days[start:end])
            if any(results):
                for row, rules in zip(order_list[start:end], results, strict=True):
                    if rules:
                        broken_at.append((int(seq[row]), row, rules))
        pairs.append(pair)
        if index is not None:
            offsets.append(len(index) + len(states))
            index.pairs.append((pair.a, pair.b))
            if len(states) >= CHUNK_ROWS:
                index._append(states, index_days)
                states, index_days = [], []
    if index is not None:
        index._append(states, index_days)
        index.offsets = np.asarray(offsets, dtype=np.int64)
    return pairs, index


def _fold_flagged(
    handlers, views, rows, days, flagged, a, b, seq, dissolved, broken_at, states, index_days, indexing
) -> PairAccumulator | None:
    """A pair's rows, some naming an actor dissolved before them: row by row, the dissolution rules first."""
    pair = None
    for handler, view, row, day, late in zip(handlers, views, rows, days or repeat(0), flagged, strict=False):
        broken = dissolved.rules(int(seq[row]), (view.actor, view.target)) if late else []
        if handler is not None:
            if pair is None:
                pair = _new_pair(a, b)
            broken.extend(_run(handler, pair, view) or ())
            if indexing:
                states.append(_PAIR_STATE(pair))
                index_days.append(day)
        if broken:
            broken_at.append((int(seq[row]), row, broken))
    return pair


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


def _gathered(table: pa.Table, name: str, rows: np.ndarray) -> list:
    """A column's values at these rows as Python objects (a dictionary column gathered in numpy)."""
    column = table.column(name).combine_chunks()
    if not pa.types.is_dictionary(column.type):
        return column.take(pa.array(rows, pa.int64())).to_pylist()
    values = np.asarray([*column.dictionary.to_pylist(), None], dtype=object)
    indices = column.indices.fill_null(-1).to_numpy().astype(np.int64)
    return values[indices[rows]].tolist()


_TYPED = frozenset(RELATIONS_RULES) | frozenset(AID_RULES)
"""Kinds whose rule looks its transition up by the event's class (`RELATIONS_RULES[type(event)]`)."""


def _stand_in(cls: type, view: _RowView) -> object:
    """An instance of the kind's own class carrying the row's actor, target and date (what those rules read).

    Only for `_TYPED` kinds (about a tenth of the rows): their rules find their transition by the event's
    class, which a row view cannot have; the rest of the event's fields are not set.
    """
    event: Any = object.__new__(cls)
    object.__setattr__(event, "actor", view[0])
    object.__setattr__(event, "target", view[1])
    object.__setattr__(event, "date", _unpacked(view[2]))
    return event


def _new_pair(a: str, b: str) -> PairAccumulator:
    pair = PairAccumulator.__new__(PairAccumulator)
    pair.a, pair.b = a, b
    pair.relations, pair.relations_since, pair.agreed_level = "none", None, None
    pair.ab, pair.ba = _empty_side(), _empty_side()
    pair.frozen = None
    return pair
