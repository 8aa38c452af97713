"""A compact as-of index for histories of millions of events: flat arrays of days and frozen states per pair.

`History` keeps a `Step` (event, state, changed fields, basis) for every event, which is what answers
with uncertainty and basis need, at some 400 bytes an event. `ColumnarIndex` keeps, for each event that
changed a pair's state, only its first possible day (4 bytes in an `array`) and the frozen `PairState`
after it (shared structure: a new `Side` only for the direction that changed), grouped by pair. One
answer is a dict look-up and a `bisect` over the pair's stretch of the day array; the states of every
pair at one day is one `numpy.searchsorted` over a sorted int64 key array (numpy is optional: the
`fast` or `bench` extra; without it the same answer comes from a bisect per pair).

It answers what the state was, as `History.state_at(...).state` and `History.world_at` do (an event
counts from its first possible day); for which fields an imprecise date leaves uncertain, and the
events behind each value, use `History`.
"""

from __future__ import annotations

import datetime
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from operator import itemgetter
from types import ModuleType
from typing import TYPE_CHECKING

from engine.core._fast import FastFolder, paused_gc
from engine.core._history import UnknownPairError, as_day
from engine.core._state import Anomaly, PairState, initial_pair
from events import Actor, Event, ImpreciseDate

if TYPE_CHECKING:
    import numpy
    from numpy.typing import NDArray


def _ordinal(when: datetime.date | ImpreciseDate | str | int) -> int:
    if isinstance(when, int):
        return when
    if type(when) is datetime.date:
        return when.toordinal()
    return as_day(when)[0].toordinal()


class ColumnarIndex:
    """The state of every pair at any day, for histories of up to tens of millions of events.

    Build it from a `Log` or any iterable of events in log order (a stream: the events are not kept).
    Building is one fast fold (`engine.core._fast`), freezing a `PairState` after each state-changing event.
    """

    # Built on the first many-pair query (`_build_sorted_keys`), from numpy, which is optional.
    _query_base: NDArray[numpy.int64]
    _starts: NDArray[numpy.int64]
    _states_or_none: list[PairState | None]

    def __init__(
        self, events: Iterable[Event], *, strict: bool = True, actors: Mapping[str, Actor] | None = None
    ) -> None:
        """Fold and index events given in log order.

        Args:
            events: the events, in history order (a `Log`, or a stream such as `engine.synthetic`'s).
            strict: raise on an impossible transition (as `engine.fold`); otherwise record anomalies.
            actors: the actor table, to reject unknown actors in queries (a `Log`'s by default).

        Raises:
            TransitionError: (strict) an event is impossible in the state it meets.
        """
        self.actors = actors if actors is not None else getattr(events, "actors", None)
        folder = FastFolder(strict=strict)
        pair_ids: dict[tuple[str, str], int] = {}
        days_by_pair: list[array[int]] = []  # C ints: a list of Python ints would cost 32 bytes a row
        states_by_pair: list[list[PairState]] = []
        count = 0
        with paused_gc():
            step = folder.step
            for event in events:
                count += 1
                pair = step(event)
                if pair is None:
                    continue
                key = (pair.a, pair.b)
                pid = pair_ids.get(key)
                if pid is None:
                    pid = pair_ids[key] = len(days_by_pair)
                    days_by_pair.append(array("i"))
                    states_by_pair.append([])
                days_by_pair[pid].append(event.date.earliest.toordinal())
                states_by_pair[pid].append(pair.freeze())
            self.final = folder.world()
            # One flat stretch per pair, in pair-id order: a pair's rows are days[offsets[p]:offsets[p+1]].
            self._days = array("i")
            self._states: list[PairState] = []
            self._offsets = [0]
            for days, states in zip(days_by_pair, states_by_pair, strict=True):
                self._days.extend(days)
                self._states.extend(states)
                self._offsets.append(len(self._days))
            self._none_row = len(self._states)  # in `_states_or_none`, what `states_at` gathers for a stateless pair
        self._pair_ids = pair_ids
        self._keys = list(pair_ids)
        self.events = count
        """How many events were indexed."""
        # The int64 (pair id << 32 | day) array, built on the first many-pair query.
        self._sorted_keys: NDArray[numpy.int64] | None = None

    def __len__(self) -> int:
        """The number of indexed state changes (rows)."""
        return self._none_row

    @property
    def anomalies(self) -> tuple[Anomaly, ...]:
        """Impossible transitions met (lenient mode; always empty in strict mode)."""
        return self.final.anomalies

    def pairs(self) -> list[tuple[str, str]]:
        """Every pair whose state some event changed, sorted."""
        return sorted(self._pair_ids)

    def _unknown(self, a: str, b: str) -> PairState:
        if self.actors is not None:
            for code in (a, b):
                if code not in self.actors:
                    raise UnknownPairError(f"unknown actor {code!r}: expected a code such as BOL or USA")
        if a == b:
            raise UnknownPairError(f"a pair needs two different actors, found {a!r} twice")
        return initial_pair(a, b)

    def state_at(self, a: str, b: str, when: datetime.date | ImpreciseDate | str | int) -> PairState:
        """The pair's state on a day (a date, an EDTF string answered as of its last day, or an ordinal).

        O(log k) for a pair with k state changes: a dict look-up and a bisect.

        Raises:
            UnknownPairError: an actor the index's actor table does not know, or a == b.
        """
        pid = self._pair_ids.get((a, b) if a <= b else (b, a))
        if pid is None:
            return self._unknown(a, b)
        lo = self._offsets[pid]
        found = bisect_right(self._days, _ordinal(when), lo, self._offsets[pid + 1])
        return self._states[found - 1] if found > lo else initial_pair(a, b)

    def world_at(self, when: datetime.date | ImpreciseDate | str | int) -> dict[tuple[str, str], PairState]:
        """Every pair whose state some event had changed by the day, with that state (as `History.world_at`).

        With numpy installed, one vectorised binary search over all pairs; otherwise a bisect per pair.
        """
        day = _ordinal(when)
        try:
            import numpy as np
        except ImportError:  # numpy is optional; the loop is ~5x slower, still O(pairs log k)
            return self._world_at_by_bisect(day)
        sorted_keys = self._sorted_keys if self._sorted_keys is not None else self._build_sorted_keys(np)
        found = np.searchsorted(sorted_keys, self._query_base | day, side="right")
        has_state = found > self._starts
        pids = np.flatnonzero(has_state).tolist()
        if not pids:
            return {}
        rows = (found[has_state] - 1).tolist()
        if len(pids) == 1:
            return {self._keys[pids[0]]: self._states[rows[0]]}
        # itemgetter gathers in C: the answer is one searchsorted and two gathers, no Python loop.
        return dict(zip(itemgetter(*pids)(self._keys), itemgetter(*rows)(self._states), strict=True))

    def states_at(self, when: datetime.date | ImpreciseDate | str | int) -> list[PairState | None]:
        """Each pair's state on the day, in `pair_keys` order; None for a pair no event had changed yet.

        The leanest many-pair answer (what `pandas.merge_asof` gives for a frame of pairs): one
        `numpy.searchsorted` and one gather, no Python-level loop. Needs numpy.
        """
        import numpy as np

        day = _ordinal(when)
        sorted_keys = self._sorted_keys if self._sorted_keys is not None else self._build_sorted_keys(np)
        found = np.searchsorted(sorted_keys, self._query_base | day, side="right")
        rows = np.where(found > self._starts, found - 1, self._none_row)
        if len(rows) == 0:
            return []
        if len(rows) == 1:
            return [self._states_or_none[int(rows[0])]]
        return list(itemgetter(*rows.tolist())(self._states_or_none))

    @property
    def pair_keys(self) -> list[tuple[str, str]]:
        """The indexed pairs in the order `states_at` answers them."""
        return list(self._keys)

    def _build_sorted_keys(self, np: ModuleType) -> NDArray[numpy.int64]:
        days = np.frombuffer(self._days, dtype=np.int32).astype(np.int64)
        offsets = np.asarray(self._offsets, dtype=np.int64)
        pair_of_row = np.repeat(np.arange(len(self._keys), dtype=np.int64), np.diff(offsets))
        # Days are positive ordinals below 2**20, so (pair id << 32 | day) sorts by pair, then day.
        self._sorted_keys = (pair_of_row << 32) | days
        self._query_base = np.arange(len(self._keys), dtype=np.int64) << 32
        self._starts = offsets[:-1]
        self._states_or_none = [*self._states, None]
        return self._sorted_keys

    def _world_at_by_bisect(self, day: int) -> dict[tuple[str, str], PairState]:
        found: dict[tuple[str, str], PairState] = {}
        days, offsets, states = self._days, self._offsets, self._states
        for pid, key in enumerate(self._keys):
            lo = offsets[pid]
            row = bisect_right(days, day, lo, offsets[pid + 1])
            if row > lo:
                found[key] = states[row - 1]
        return found
