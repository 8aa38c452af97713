"""A history's dataset folded on a Dask cluster: one task a bucket, answers gathered or written as Parquet.

The fold is pair-local, and a dataset's buckets hold whole pairs, so each bucket folds on its own
(`fold_table`, given every dissolution from the manifest) into its own as-of index; the index stays in
the memory of the worker that built it (a Dask future), and questions are tasks run beside it. Dask
retries a task whose worker dies, and recomputes a lost index from its bucket's file, so a killed
worker costs time, not answers.

The same code runs on a `LocalCluster` (the default: no set-up) and on a real cluster given its
scheduler address; the workers must then see the dataset's directory at the same path (shared storage).
"""

from __future__ import annotations

import datetime
import logging
import os
from collections.abc import Iterable, Sequence
from operator import attrgetter, itemgetter
from pathlib import Path

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from engine.core._reducer import TransitionError
from engine.core._state import Anomaly, WorldState
from engine.dataset._files import Dataset, Dissolution, bucket_of
from engine.dataset._fold import FOLD_COLUMNS, ColumnFold, _ordinal, fold_table
from engine.dataset._schema import EPOCH_ORDINAL, SCHEMA, ColumnarFormatError, events_to_table, table_to_events
from events import Event, EventDate, ImpreciseDate, LegationError, StateDissolved, unit_of

EDIT_SCALE = 1 << 20
"""An edited history numbers its events `seq * EDIT_SCALE` (+ j for the j-th event put after one)."""


class ClusterError(LegationError, OSError):
    """A Dask scheduler that cannot be reached, or a cluster that cannot be started."""


def connect(*, workers: int | None = None, scheduler: str | None = None, processes: bool = True, timeout: str = "5s"):
    """A Dask client: to the scheduler at `scheduler` (tcp://host:port), or to a new `LocalCluster`.

    Raises:
        ClusterError: the scheduler does not answer (names the address and the reason).
    """
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            return Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as error:
            raise ClusterError(
                f"scheduler {scheduler}: expected a Dask scheduler there, found none ({error})"
            ) from None
    cluster = LocalCluster(
        n_workers=workers or os.cpu_count() or 1,
        threads_per_worker=1,
        processes=processes,
        # Its scheduler's HTTP server on a free port: the default (8787) taken by another cluster on the machine
        # would print a warning on every run's stderr.
        dashboard_address=":0",
        # The cluster is ours and short-lived: what goes wrong in it reaches the caller as an exception (one
        # line from the command line), not as the scheduler's and workers' logs of the tasks left running.
        silence_logs=logging.CRITICAL + 1,
    )
    return Client(cluster)


@attrs.frozen
class _Edits:
    """The edits an edited history's buckets apply to their files: ids taken out, events put in."""

    removed: frozenset[str] = frozenset()
    added: tuple[tuple[int, Event], ...] = ()
    """(seq in the edited numbering, event) for each event put in."""


def _bucket_table(directory: str, bucket: int, edits: _Edits | None, columns: list[str] | None) -> pa.Table:
    table = Dataset.open(directory).read_bucket(bucket, columns)
    if edits is None:
        return table
    seqs = pc.multiply(table.column("seq"), EDIT_SCALE)
    table = table.set_column(table.schema.get_field_index("seq"), "seq", seqs)
    if edits.removed:
        table = table.filter(pc.invert(pc.is_in(table.column("id"), pa.array(sorted(edits.removed), pa.string()))))
    if edits.added:
        added = events_to_table([event for _, event in edits.added])
        added = added.set_column(0, "seq", pa.array([seq for seq, _ in edits.added], pa.int64()))
        if columns is not None:
            added = added.select(columns)
        table = pa.concat_tables([table, added.cast(table.schema)]).combine_chunks()
        table = table.take(pc.sort_indices(table, [("seq", "ascending")]))
    return table


def _fold_bucket(directory: str, bucket: int, dissolutions, edits: _Edits | None) -> ColumnFold:
    # Always lenient: a strict history raises the first anomaly of all buckets, in history order (`_first_broken`).
    return fold_table(_bucket_table(directory, bucket, edits, FOLD_COLUMNS), strict=False, dissolutions=dissolutions)


def _first_broken(fold: ColumnFold) -> tuple[int, str, EventDate, list[str]] | None:
    """The bucket's first anomaly: (seq, event id, date, every rule that event broke); None if none."""
    found = fold.positioned_anomalies
    if not found:
        return None
    seq, first = found[0]
    rules = [anomaly.rule for position, anomaly in found if position == seq]
    return seq, first.event_id, first.date, rules


def _states_at(fold: ColumnFold, day: int) -> pa.Table:
    assert fold.index is not None  # a bucket's fold always builds its index
    return fold.index.table_at(day)


def _panel(fold: ColumnFold, days: Sequence[tuple[int, str]]) -> pa.Table:
    assert fold.index is not None  # a bucket's fold always builds its index
    parts = []
    for day, asked in days:
        part = fold.index.table_at(day)
        parts.append(part.add_column(0, "date", pa.array([asked] * part.num_rows, pa.string())))
    return pa.concat_tables(parts) if parts else pa.table({})


def _last_seqs_by(directory: str, bucket: int, keys: Sequence[tuple[int, int]]) -> list[int]:
    """For each (first, last day) key, the largest `seq` of the bucket's events sorting at or before it; -1 if none."""
    table = Dataset.open(directory).read_bucket(bucket, ["seq", "first_day", "last_day"])
    first = table.column("first_day").cast(pa.int32()).to_numpy().astype(np.int64) + EPOCH_ORDINAL
    last = table.column("last_day").cast(pa.int32()).to_numpy().astype(np.int64) + EPOCH_ORDINAL
    seqs = table.column("seq").to_numpy()
    found = []
    for key_first, key_last in keys:
        chosen = seqs[(first < key_first) | ((first == key_first) & (last <= key_last))]
        found.append(int(chosen.max()) if len(chosen) else -1)
    return found


def _found(directory: str, bucket: int, ids: frozenset[str]) -> list[tuple[str, str, int]]:
    """(id, kind, seq) of the bucket's events with these ids."""
    table = Dataset.open(directory).read_bucket(bucket, ["seq", "id", "kind"])
    chosen = table.filter(pc.is_in(table.column("id"), pa.array(sorted(ids), pa.string())))
    columns = (chosen.column(name).to_pylist() for name in ("id", "kind", "seq"))
    return list(zip(*columns, strict=True))


def alignment_kinds() -> list[str]:
    """The tags of the kinds the alignment graph reads, as `engine.analysis.alignment` names them (the rest ignored)."""
    from engine.analysis import alignment
    from events import AlignmentChanged, BlocJoined, BlocLeft

    named = [AlignmentChanged, BlocJoined, BlocLeft, StateDissolved]
    for group in ("IMPLIED_HOSTILE", "ENDS_HOSTILITY", "ENDS_DERIVED_HOSTILITY"):
        named.extend(getattr(alignment, group))  # no default: a renamed group must fail here, not be skipped
    return sorted({cls.KIND for cls in named})


def _alignment_rows(directory: str, bucket: int, day: int, edits: _Edits | None, kinds: list[str]) -> pa.Table:
    table = _bucket_table(directory, bucket, edits, None)
    first = pc.add(table.column("first_day").cast(pa.int32()), EPOCH_ORDINAL)
    kinds = pc.is_in(table.column("kind").cast(pa.string()), pa.array(kinds, pa.string()))
    wanted = pc.and_(kinds, pc.less_equal(first, day))
    return table.filter(wanted)


class DistributedHistory:
    """A dataset's buckets folded on a Dask cluster, each into its as-of index, held by the workers."""

    def __init__(self, dataset: Dataset | str | os.PathLike, client, *, strict: bool = True) -> None:
        """Start folding every bucket (returns at once; answers wait for the folds they need).

        Args:
            dataset: the dataset, or its directory (which every worker must see at that path).
            client: a `distributed.Client` (see `connect`).
            strict: a bucket's fold raises its first impossible transition; else anomalies are kept.
        """
        self.dataset = dataset if isinstance(dataset, Dataset) else Dataset.open(dataset)
        self.client = client
        self.strict = strict
        self.directory = str(Path(self.dataset.directory).resolve())
        self._edits: dict[int, _Edits] = {}
        self._scaled = False
        self._checked = False
        self.dissolutions: tuple[Dissolution, ...] = self.dataset.dissolutions
        self.touched: frozenset[int] = frozenset(range(self.dataset.buckets))
        """The buckets this history folded itself (an edited history: those its edits touch)."""
        self.folds = [self._submit_fold(bucket) for bucket in range(self.dataset.buckets)]
        """One future a bucket: its `ColumnFold` (kept on the worker that computed it)."""

    def _submit_fold(self, bucket: int):
        edits = self._edits.get(bucket, _Edits()) if self._scaled else None
        return self.client.submit(_fold_bucket, self.directory, bucket, self.dissolutions, edits, pure=False)

    def _gather(self, futures):
        return self.client.gather(futures)

    def _sound(self) -> None:
        """Strict: raise the first impossible transition of the whole history, as the fold in order would."""
        if not self.strict or self._checked:
            return
        found = [item for item in self._gather([self.client.submit(_first_broken, f) for f in self.folds]) if item]
        if found:
            _, event_id, date, rules = min(found, key=itemgetter(0))
            raise TransitionError(event_id, date, "; ".join(rules))
        self._checked = True

    def states_at(self, when: ImpreciseDate | str | int) -> pa.Table:
        """Every pair some event had changed by the day, and its state on it (sorted by pair)."""
        self._sound()
        day = _ordinal(when)
        parts = self._gather([self.client.submit(_states_at, fold, day, pure=False) for fold in self.folds])
        table = pa.concat_tables(parts)
        return table.take(pc.sort_indices(table, [("a", "ascending"), ("b", "ascending")]))

    def panel(self, dates: Iterable[ImpreciseDate | str]) -> pa.Table:
        """For each date (answered at its end), every changed pair's state: `states_at`'s columns and `date`."""
        self._sound()
        days = [(_ordinal(date), str(date)) for date in dates]
        parts = self._gather([self.client.submit(_panel, fold, days, pure=False) for fold in self.folds])
        table = pa.concat_tables([part for part in parts if part.num_columns])
        order = {asked: position for position, (_, asked) in enumerate(days)}
        rank = pa.array([order[asked] for asked in table.column("date").to_pylist()], pa.int32())
        table = table.append_column("_rank", rank)
        table = table.take(pc.sort_indices(table, [("_rank", "ascending"), ("a", "ascending"), ("b", "ascending")]))
        return table.drop_columns(["_rank"])

    def world(self) -> WorldState:
        """The final world of the whole history (pairs, actors, anomalies in history order), gathered."""
        self._sound()
        import immutables

        folds = self._gather(self.folds)
        pairs, actors, anomalies = {}, {}, []
        for fold in folds:
            pairs.update(fold.world.pairs.items())
            actors.update(fold.world.actors.items())
            anomalies.extend(fold.positioned_anomalies)
        anomalies.sort(key=lambda item: item[0])  # stable: an event's rules keep their order
        return WorldState(immutables.Map(pairs), immutables.Map(actors), tuple(a for _, a in anomalies))

    @property
    def anomalies(self) -> tuple[Anomaly, ...]:
        """Impossible transitions met (lenient mode)."""
        return self.world().anomalies

    def with_edits(self, removed: Iterable[str] = (), added: Sequence[Event] = ()) -> DistributedHistory:
        """The history with the events of these ids taken out and these put in, refolding only the buckets they touch.

        Put-in events go where `Log.of` would put them if appended to the log's events: after every
        event whose date sorts at or before theirs. When a dissolution is taken out or put in, every
        bucket is refolded (a dissolution decides what later events of any pair may do).

        Raises:
            ColumnarFormatError: an id that no event of the history has.
        """
        if self._scaled:
            raise ValueError("an edited history is not edited again: give the base history every edit at once")
        removed = frozenset(removed)
        buckets = self.dataset.buckets
        found: list[tuple[int, str, str, int]] = []  # (bucket, id, kind, seq)
        if removed:
            futures = [self.client.submit(_found, self.directory, b, removed, pure=False) for b in range(buckets)]
            for bucket, rows in enumerate(self._gather(futures)):
                found.extend((bucket, *row) for row in rows)
        missing = removed - {event_id for _, event_id, _, _ in found}
        if missing:
            raise ColumnarFormatError(f"{self.directory}: no event has the id {sorted(missing)[0]!r}")
        touched = {bucket for bucket, _, _, _ in found}
        # As `Log.of` orders events appended to a log: by date, the log's own events first, then in the order given.
        in_order = sorted(added, key=lambda event: event.date.sort_key)
        keys = [event.date.sort_key for event in in_order]
        futures = [self.client.submit(_last_seqs_by, self.directory, b, keys, pure=False) for b in range(buckets)]
        afters = [max(column) for column in zip(*self._gather(futures), strict=True)] if keys else []
        placed: list[tuple[int, Event]] = []
        counts: dict[int, int] = {}
        for event, after in zip(in_order, afters, strict=True):
            counts[after] = counts.get(after, 0) + 1
            placed.append((after * EDIT_SCALE + counts[after], event))
            touched.add(bucket_of(unit_of(event), buckets))
        removed_seqs = {seq for _, _, _, seq in found}
        changes_dissolutions = any(kind == "state_dissolved" for _, _, kind, _ in found) or any(
            type(event) is StateDissolved for event in added
        )
        edited = DistributedHistory.__new__(DistributedHistory)
        edited.dataset, edited.client, edited.strict = self.dataset, self.client, self.strict
        edited.directory = self.directory
        edited._scaled, edited._checked = True, False
        kept = [attrs.evolve(d, seq=d.seq * EDIT_SCALE) for d in self.dissolutions if d.seq not in removed_seqs]
        put = [Dissolution(seq, event.actor, event.date) for seq, event in placed if type(event) is StateDissolved]
        edited.dissolutions = tuple(sorted(kept + put, key=attrgetter("seq")))
        edited._edits = {
            bucket: _Edits(removed, tuple((seq, e) for seq, e in placed if bucket_of(unit_of(e), buckets) == bucket))
            for bucket in range(buckets)
        }
        if changes_dissolutions:
            touched = set(range(buckets))
        edited.touched = frozenset(touched)  # the others' folds are the base's, renumbered
        edited.folds = [edited._submit_fold(b) if b in touched else self._scaled_fold(b) for b in range(buckets)]
        return edited

    def _scaled_fold(self, bucket: int):
        return self.client.submit(_rescaled, self.folds[bucket], pure=False)

    def alignment_graph(self, when: ImpreciseDate | str, *, implied: bool = True):
        """The alignment graph on a day (as `AlignmentIndex.graph_at`), from the alignment events."""
        self._sound()
        from engine.analysis.alignment import graph_from_scratch

        day = _ordinal(when)
        edits = [self._edits.get(b, _Edits()) if self._scaled else None for b in range(self.dataset.buckets)]
        kinds = alignment_kinds()
        futures = [
            self.client.submit(_alignment_rows, self.directory, b, day, edits[b], kinds, pure=False)
            for b in range(self.dataset.buckets)
        ]
        table = pa.concat_tables(self._gather(futures)).combine_chunks()
        table = table.take(pc.sort_indices(table, [("seq", "ascending")]))
        events = table_to_events(table.cast(SCHEMA), self.directory)
        return graph_from_scratch(events, self.dataset.actors, implied=implied, at=datetime.date.fromordinal(day))


def _rescaled(fold: ColumnFold) -> ColumnFold:
    return ColumnFold(
        fold.world, [(seq * EDIT_SCALE, anomaly) for seq, anomaly in fold.positioned_anomalies], fold.index
    )
