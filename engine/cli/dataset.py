"""`legation dataset`: write a history as a Parquet dataset; and the --all-pairs / --panel answers over one, on Dask.

`legation at DATE --all-pairs --dataset DIR` and `legation export --panel --dataset DIR` are answered
here (their modules add these options and hand over); both fold the dataset's buckets on a Dask cluster:
a new `LocalCluster` (--workers N, default one a core) or the scheduler at --scheduler tcp://host:port.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from engine.cli._options import DATE

if TYPE_CHECKING:  # only named in annotations: the event model loads where it is used (see below)
    from events import Event

# The rest of the CLI's shared names load the event model: imported where used, so that `at` and `export`,
# which add this module's options to their parsers, start as fast as before.

DESCRIPTION = (
    "Write a history as a Parquet dataset (Arrow columns, one file per bucket of pairs, a manifest with the "
    "schema version and the actor table), for `legation at DATE --all-pairs --dataset DIR` and `legation "
    "export --panel --dataset DIR`, which fold it on a Dask cluster. Needs the dask extra: pip install "
    "'legation[dask]'."
)
EXAMPLE = """
  legation dataset write --scenario bolivia_usa -o bolivia.dataset
  legation dataset write --synthetic 1000000 --buckets 64 -o synthetic.dataset
  legation at 2000 --all-pairs --dataset synthetic.dataset --workers 2 -o states-2000.parquet
  legation export --panel --dataset synthetic.dataset --dates 1990 2000 2010 -o panel.parquet"""


def _needs_extra() -> None:
    from engine.cli._common import MissingExtraError

    try:
        import distributed  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        raise MissingExtraError(
            "this needs the dask extra (pyarrow, dask.distributed): pip install 'legation[dask]'"
        ) from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(parser))
    write = actions.add_parser("write", help="write a history as a Parquet dataset")
    source = write.add_mutually_exclusive_group(required=True)
    source.add_argument("--scenario", metavar="NAME|PATH", help="built-in scenario name or scenario file/folder")
    source.add_argument("--synthetic", type=int, metavar="N", help="a seeded synthetic history of N events")
    write.add_argument("--seed", type=int, default=0, help="the synthetic history's seed (default 0)")
    write.add_argument("--buckets", type=int, default=None, metavar="N", help="files the pairs are spread over")
    write.add_argument("-o", "--out", required=True, metavar="DIR", help="the dataset's directory (must not exist)")


def run(args: argparse.Namespace) -> int:
    from engine.cli._common import EXIT_OK, UsageError, track

    _needs_extra()
    from engine.dataset import DEFAULT_BUCKETS, write_dataset

    events: Iterable[Event]  # a stream of synthetic events, or a scenario's log
    if args.synthetic is not None:
        from engine.synthetic import synthetic_actors, synthetic_events

        if args.synthetic < 0:
            raise UsageError(f"--synthetic: expected a number of events from 0, found {args.synthetic}")
        events = synthetic_events(args.synthetic, seed=args.seed, validate=False)
        events = track(events, "writing events", total=args.synthetic)
        actors = synthetic_actors()
    else:
        import scenarios

        log = scenarios.load(args.scenario).log
        events, actors = log, log.actors
    buckets = args.buckets if args.buckets is not None else DEFAULT_BUCKETS
    if buckets < 1:
        raise UsageError(f"--buckets: expected at least 1, found {buckets}")
    dataset = write_dataset(events, args.out, actors=actors, buckets=buckets)
    print(f"{dataset.events} events in {dataset.buckets} buckets: {dataset.directory}")
    return EXIT_OK


# --- the options `at` and `export` add, and what they run ------------------------------------------


def add_cluster_arguments(parser: argparse.ArgumentParser) -> None:
    """--dataset, --workers, --scheduler (the dataset answers' options)."""
    parser.add_argument("--dataset", metavar="DIR", help="a Parquet dataset (see `legation dataset write`)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, metavar="N", help="workers of a new local Dask cluster (default: cores)")
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="a running Dask scheduler's address")


def _history(args: argparse.Namespace):
    from engine.cli._common import UsageError, track

    _needs_extra()
    from distributed import as_completed

    from engine.dataset import Dataset
    from engine.dataset._distributed import DistributedHistory, connect

    if args.dataset is None:
        raise UsageError("--dataset DIR is needed (a dataset written by `legation dataset write`)")
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers: expected at least 1, found {args.workers}")
    dataset = Dataset.open(args.dataset)
    client = connect(workers=args.workers, scheduler=args.scheduler)
    history = DistributedHistory(dataset, client, strict=not args.lenient)
    for _ in track(as_completed(history.folds), "folding buckets", total=len(history.folds)):
        pass
    return client, history


def _write_table(table, out: str | None, option: str) -> None:
    import pyarrow.parquet as pq

    from engine.cli._common import UsageError

    if out is None:
        raise UsageError(f"{option} writes Parquet: give -o FILE.parquet")
    target = Path(out).resolve()
    temporary = target.with_name(target.name + ".tmp")
    try:
        pq.write_table(table, temporary, compression="zstd")
        os.replace(temporary, target)
    except OSError as error:
        raise UsageError(f"-o {out!r}: cannot write ({error.strerror})") from None
    print(f"{table.num_rows} rows: {target}")


def run_all_pairs(args: argparse.Namespace) -> int:
    """`legation at DATE --all-pairs --dataset DIR -o FILE.parquet`."""
    return _answer(args, lambda history: history.states_at(args.date), "--all-pairs")


def add_panel_arguments(parser: argparse.ArgumentParser) -> None:
    """--dates and the cluster options (for `legation export --panel --dataset DIR`; --panel is export's own)."""
    parser.add_argument("--dates", nargs="+", type=DATE, metavar="DATE", help="the panel's dates (EDTF)")
    add_cluster_arguments(parser)


def run_panel(args: argparse.Namespace) -> int:
    """`legation export --panel --dataset DIR --dates D1 D2 ... -o FILE.parquet`."""
    from engine.cli._common import UsageError

    if not args.dates:
        raise UsageError("--panel needs --dates D1 D2 ...")
    return _answer(args, lambda history: history.panel(args.dates), "--panel")


def _answer(args: argparse.Namespace, question, option: str) -> int:
    """Fold the dataset on the cluster, write `question(history)`'s table to -o, and close the cluster."""
    from engine.cli._common import EXIT_OK

    client, history = _history(args)
    try:
        _write_table(question(history), args.out, option)
    finally:
        _close(client)
    return EXIT_OK


def _close(client) -> None:
    cluster = client.cluster
    client.close()
    if cluster is not None:
        cluster.close()
