"""Benchmark: a history beyond one process. The fold over objects, the fold from columns, Dask, as-of peers.

Run as a script: `python benchmarks/bench_scale.py` (10^6 synthetic events), `--events 10000000` (the full
run; a profile CI does not use) or `--quick` (seconds; what CI runs). In one process, on the same events:

- the fast fold over event objects (`engine.fold_fast`) and the columnar index over objects
  (`engine.ColumnarIndex`), against the fold from Arrow columns without and with its index
  (`engine.dataset._fold.fold_table`) on the columns it reads; run in turn `--repeats` times, medians;
- memory per event: the events as objects plus `ColumnarIndex` (tracemalloc), against the fold's Arrow
  columns as kept resident (`engine.dataset._resident.compacted`: their buffers) plus what the fold leaves
  alive (tracemalloc: the `PairIndex` change points and value tables, the final states, the dates' caches);
- Dask on a `LocalCluster` of 1 and of 2 worker processes: folding every bucket of the Parquet dataset
  and answering all pairs at a date; the workers' resident memory per event;
- all pairs' states at a date: `PairIndex` (a searchsorted and a gather per field over its change points)
  against pandas `merge_asof` and polars `join_asof` on the same states as dense rows (pair, day, every
  field's code on each day a pair's state changed), at each size of `--asof-sizes`;
- the fold from columns and the fast fold against the eventsourcing library's replay (`benchmarks/peers.py`)
  on `--peer-events` events, when the bench extra is installed.

Every answer compared is checked equal first. Ratios are written to JSON (`--out`).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import ColumnarIndex, fold_fast
from engine.dataset import events_to_table, write_dataset
from engine.dataset._fold import FOLD_COLUMNS, fold_table
from engine.dataset._resident import compacted
from engine.synthetic import synthetic_actors, synthetic_events

DEFAULT_EVENTS = 1_000_000
QUICK_EVENTS = 20_000
ASOF_DATE = "2000-06-30"


def _timed(function) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def _alternated(first, second, repeats: int) -> tuple[float, float, float, object, object]:
    """Median seconds of each, and the median of the ratios first/second, the two run in turn `repeats` times.

    On a machine shared with other work, running them in turn gives both the same conditions.
    """
    times: tuple[list[float], list[float]] = ([], [])
    ratios = []
    first_result = second_result = None
    for _ in range(repeats):
        first_time, first_result = _timed(first)
        second_time, second_result = _timed(second)
        times[0].append(first_time)
        times[1].append(second_time)
        ratios.append(first_time / second_time)
    return (
        statistics.median(times[0]),
        statistics.median(times[1]),
        statistics.median(ratios),
        first_result,
        second_result,
    )


def _best(function, repeats: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        seconds, result = _timed(function)
        best = min(best, seconds)
    return best, result


def _traced(build) -> tuple[int, object]:
    gc.collect()
    tracemalloc.start()
    try:
        result = build()
        current, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return current, result


def _forget_interned_dates() -> None:
    """Empty the module-wide tables of dates the fold from columns interns, so a trace counts what it needs."""
    from engine.dataset import _fold, _schema

    _fold._UNPACKED.clear()
    _fold._INTERVAL_KEYS.clear()  # its keys name entries of _UNPACKED: emptied together
    _schema._DATES.clear()


def folds(events: list, table, repeats: int) -> dict:
    """The folds over objects and from columns, run in turn, and the memory an event of each."""
    # What the fold reads (a dataset's buckets are read with these columns), as a process keeps it resident:
    # the same values in the narrowest types, null and implied columns left out (`engine.dataset._resident`).
    schema_bytes = table.select(FOLD_COLUMNS).nbytes
    whole_log_bytes = compacted(table).nbytes  # every column: citations, notes, record-only kinds' fields too
    table = compacted(table.select(FOLD_COLUMNS))
    fast_time, columns_time, ratio, world, result = _alternated(
        lambda: fold_fast(events), lambda: fold_table(table, index=False), repeats
    )
    assert result.world == world, "the fold from columns differs from the fold over objects"
    objects_index_time, columns_index_time, index_ratio, index, indexed = _alternated(
        lambda: ColumnarIndex(events), lambda: fold_table(table), repeats
    )
    assert indexed.index.world_at(ASOF_DATE) == index.world_at(ASOF_DATE), "the two indexes differ"
    del index, indexed
    count = len(events)
    objects_bytes, fresh = _traced(lambda: list(synthetic_events(count, validate=False)))
    objects_index_bytes, _ = _traced(partial(ColumnarIndex, fresh))
    del fresh
    # Everything the fold leaves alive: the index, the final states and the interned values, with the dates
    # the fold interns process-wide (emptied first: the folds above filled them outside the trace); the
    # fold's columns are counted by their Arrow buffers.
    _forget_interned_dates()
    columns_index_bytes, folded = _traced(lambda: fold_table(table))
    return {
        "fold_objects_s": fast_time,
        "fold_columns_s": columns_time,
        "ratio_fold_objects_over_columns": ratio,
        "index_objects_s": objects_index_time,
        "index_columns_s": columns_index_time,
        "ratio_index_objects_over_columns": index_ratio,
        "pairs": len(folded.world.pairs),
        "bytes_per_event_objects_with_index": (objects_bytes + objects_index_bytes) / count,
        "bytes_per_event_objects_events_only": objects_bytes / count,
        "bytes_per_event_fold_columns_as_schema": schema_bytes / count,
        "bytes_per_event_every_column_compacted": whole_log_bytes / count,
        "bytes_per_event_fold_columns": table.nbytes / count,
        "bytes_per_event_index_arrays": folded.index.nbytes / count,
        "bytes_per_event_columns_with_index": (table.nbytes + columns_index_bytes) / count,
    }


def dask_runs(events: list, directory: Path, workers: tuple[int, ...]) -> dict:
    """Fold the dataset's buckets on LocalClusters of 1 and 2 worker processes; all pairs at a date."""
    from distributed import Client, LocalCluster, wait

    from engine.dataset._distributed import DistributedHistory

    write_s, dataset = _timed(
        lambda: write_dataset(events, directory / "history", actors=synthetic_actors(), buckets=16)
    )
    expected = ColumnarIndex(events).world_at(ASOF_DATE)
    found = {"write_dataset_s": write_s, "write_dataset_us_per_event": write_s / len(events) * 1e6}
    for count in workers:
        cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=":0")
        with cluster, Client(cluster) as client:
            client.run(gc.collect)
            before = sum(info["metrics"]["memory"] for info in client.scheduler_info()["workers"].values())
            start = time.perf_counter()
            history = DistributedHistory(dataset, client)
            wait(history.folds)
            folded = time.perf_counter() - start
            table = history.states_at(ASOF_DATE)
            answered = time.perf_counter() - start - folded
            time.sleep(0.5)  # let the workers report their memory after the fold
            after = sum(info["metrics"]["memory"] for info in client.scheduler_info()["workers"].values())
            from engine.dataset._state_columns import states_of_table

            assert states_of_table(table) == expected, "the cluster's answer differs from the single process"
        found[f"dask_{count}_workers_fold_s"] = folded
        found[f"dask_{count}_workers_all_pairs_s"] = answered
        found[f"dask_{count}_workers_resident_bytes_per_event"] = max(after - before, 0) / len(events)
    return found


def eventsourcing_peer(count: int, repeats: int) -> dict:
    """The fold from columns and the fast fold against the eventsourcing library's replay (as `benchmarks/run.py`).

    The same pair events (those with a target); CPU time of this process for all three, as run.py measures
    the peer. The replay runs once (it is the slow side); the folds, in turn, `repeats` times (medians).
    """
    try:
        from benchmarks.peers import eventsourcing_replay
    except ImportError as error:
        return {"eventsourcing_note": f"eventsourcing not installed ({error}): pip install -e '.[bench]'"}
    events = [event for event in synthetic_events(count, validate=False) if event.target is not None]
    table = compacted(events_to_table(events).select(FOLD_COLUMNS))
    fast, columns = [], []
    for _ in range(repeats):
        for times, fold in ((fast, lambda: fold_fast(events)), (columns, lambda: fold_table(table, index=False))):
            gc.collect()
            start = time.process_time()
            fold()
            times.append(time.process_time() - start)
    peer_s, equal = eventsourcing_replay(events)
    assert equal, "the eventsourcing replay differs from the fold"
    return {
        "eventsourcing_events": len(events),
        "eventsourcing_replay_s": peer_s,
        "ratio_fold_objects_over_eventsourcing": peer_s / statistics.median(fast),
        "ratio_fold_columns_over_eventsourcing": peer_s / statistics.median(columns),
    }


def asof_peers(sizes: list[int], repeats: int) -> dict:
    """All pairs at a date: PairIndex against pandas merge_asof and polars join_asof, on the same columns."""
    import numpy as np
    import pandas as pd

    try:
        import polars as pl
    except ImportError:  # polars is in the bench extra; without it the pandas comparison still runs
        pl = None
    from engine.dataset._fold import _ordinal

    day = _ordinal(ASOF_DATE)
    found = {}
    for size in sizes:
        table = events_to_table(synthetic_events(size, validate=False))
        index = fold_table(table).index
        pair_of_row, day_of_row, dense = index.change_rows()
        states = pd.DataFrame({"pair": pair_of_row, "day": day_of_row, "row": np.arange(len(pair_of_row))})
        states = states.sort_values("day", kind="stable")
        for column, codes in dense.items():
            states[column] = codes[states["row"].to_numpy()]
        queries = pd.DataFrame({"pair": np.arange(len(index.pairs)), "day": np.full(len(index.pairs), day)})

        def ours(index=index):
            pairs = index.present_at(day)
            return pairs, index.codes_at(day, pairs)

        def pandas(states=states, queries=queries):
            return pd.merge_asof(queries, states, on="day", by="pair", direction="backward").dropna(subset=["row"])

        ours_time, pandas_time, pandas_ratio, (pairs, columns), merged = _alternated(ours, pandas, repeats)
        assert merged["pair"].tolist() == pairs.tolist(), "merge_asof found other pairs"
        for column, codes in columns.items():
            assert merged[column].astype(np.int64).tolist() == codes.astype(np.int64).tolist(), column
        found[f"asof_{size}_columns_s"] = ours_time
        found[f"asof_{size}_merge_asof_s"] = pandas_time
        found[f"asof_{size}_ratio_merge_asof_over_columns"] = 1 / pandas_ratio
        if pl is not None:
            frame = pl.from_pandas(states.drop(columns=["row"])).sort("day")
            asked = pl.from_pandas(queries).sort("day")

            def polars(frame=frame, asked=asked):
                joined = asked.join_asof(frame, on="day", by="pair", strategy="backward", check_sortedness=False)
                return joined.drop_nulls("relations")

            polars_time, joined = _best(polars, repeats)
            assert sorted(joined["pair"].to_list()) == pairs.tolist(), "join_asof found other pairs"
            found[f"asof_{size}_join_asof_s"] = polars_time
            found[f"asof_{size}_ratio_join_asof_over_columns"] = polars_time / ours_time
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=DEFAULT_EVENTS, help="synthetic events (default 10^6)")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_EVENTS} events, one repeat (CI)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each timing; the best is kept")
    parser.add_argument("--asof-sizes", type=int, nargs="*", default=None, help="sizes for the as-of peers")
    parser.add_argument("--no-dask", action="store_true", help="skip the LocalCluster runs")
    parser.add_argument("--peer-events", type=int, default=None, help="events of the eventsourcing replay (10^5)")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = parser.parse_args(argv)
    count = QUICK_EVENTS if args.quick else args.events
    repeats = 1 if args.quick else args.repeats
    sizes = (
        args.asof_sizes
        if args.asof_sizes is not None
        else ([QUICK_EVENTS] if args.quick else [100_000, 200_000, 1_000_000])
    )
    events = list(synthetic_events(count, validate=False))
    table = events_to_table(events)
    result: dict = {"events": count, "repeats": repeats}
    result.update(folds(events, table, repeats))
    print(json.dumps(result), flush=True)  # each section as it finishes, in case a later one fails
    if not args.no_dask:
        with tempfile.TemporaryDirectory() as directory:
            result.update(dask_runs(events, Path(directory), (1, 2)))
        print(json.dumps(result), flush=True)
    result.update(asof_peers(sizes, repeats))
    peer_events = args.peer_events if args.peer_events is not None else (2_000 if args.quick else 100_000)
    result.update(eventsourcing_peer(peer_events, repeats))
    text = json.dumps(result, indent=2)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
