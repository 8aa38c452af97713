"""Benchmark: appending a synthetic history to the event store in batches and folding it back, per backend.

Run as a script: `python benchmarks/bench_store.py` (1,000,000 events in batches of 1,000) or `--quick`
(3,000 events, for CI). In the same process, on the same events: a fold from memory (the floor a store
adds to), our SQLite and PostgreSQL stores (appends checked by the reducer and hash-chained; reading back
decodes, orders and folds), and the eventsourcing library's SQLite and PostgreSQL application recorders
storing the same JSON payloads in one stream (no validation, no hash chain) and reading them back through
the same decoding and fold. The PostgreSQL server is a temporary one started here (fsync on), on a Unix
socket; without PostgreSQL binaries only SQLite is measured. Figures are events per second; ratios are
against the fold from memory and against eventsourcing's recorder on the same backend.
"""

from __future__ import annotations

import argparse
import gc
import json
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path

from engine import fold_fast
from engine.store import EventStore, Meta, verify
from engine.store._local_server import TemporaryPostgres, postgres_bin
from engine.store._records import event_payload
from engine.synthetic import synthetic_actors, synthetic_events
from events import Log, event_from_dict

FULL_EVENTS, FULL_BATCH = 1_000_000, 1_000
# Batches of 1,000: eventsourcing's PostgreSQL recorder (9.5, psycopg 3.3) stalled on a 10,000-row insert over
# a Unix socket in our runs (client and server each waiting for the other), so both sides use 1,000.
QUICK_EVENTS, QUICK_BATCH = 3_000, 500


def _timed(run) -> tuple[float, object]:
    gc.collect()
    started = time.perf_counter()
    value = run()
    return time.perf_counter() - started, value


def _ours(url: str, log: Log, batch: int, world) -> dict:
    events = log.events
    actors = tuple(log.actors[code] for code in log.actors if code.startswith("S"))
    with EventStore.open(url, create=True) as store:
        store.record([Meta("synthetic", actors=actors).record()])

        def append() -> None:
            for start in range(0, len(events), batch):
                store.append(events[start : start + batch], expected=1 + start)

        append_seconds, _ = _timed(append)
    with EventStore.open(url) as store:  # a new connection: nothing cached, everything read back
        load_seconds, view = _timed(store.view)
        equal = view.log.events == log.events and view.world.pairs == world.pairs and view.world.actors == world.actors
        verify_seconds, verdicts = _timed(lambda: verify(store.recorder))
    return {
        "append_per_s": len(events) / append_seconds,
        "fold_back_per_s": len(events) / load_seconds,
        "verify_per_s": len(events) / verify_seconds,
        "append_s": append_seconds,
        "fold_back_s": load_seconds,
        "verify_s": verify_seconds,
        "equal": equal and all(verdict.ok for verdict in verdicts),
    }


def _peer(recorder, log: Log, batch: int, world) -> dict:
    """eventsourcing's application recorder: the same payloads in one stream, then read, decoded and folded."""
    from eventsourcing.persistence import StoredEvent

    events = log.events
    stream = uuid.uuid4()

    def append() -> None:
        for start in range(0, len(events), batch):
            recorder.insert_events(
                [
                    StoredEvent(stream, start + offset + 1, "legation.event", event_payload(event).encode())
                    for offset, event in enumerate(events[start : start + batch])
                ]
            )

    def fold_back():
        stored = recorder.select_events(stream)
        back = Log.of([event_from_dict(json.loads(item.state)) for item in stored], log.actors)
        return back, fold_fast(back, strict=False)

    append_seconds, _ = _timed(append)
    load_seconds, (back, folded) = _timed(fold_back)
    return {
        "append_per_s": len(events) / append_seconds,
        "fold_back_per_s": len(events) / load_seconds,
        "append_s": append_seconds,
        "fold_back_s": load_seconds,
        "equal": back == log and folded.pairs == world.pairs,
    }


def _eventsourcing_sqlite(folder: Path):
    from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

    recorder = SQLiteApplicationRecorder(SQLiteDatastore(str(folder / "eventsourcing.db")))
    recorder.create_table()
    return recorder


def _eventsourcing_postgres(server: TemporaryPostgres):
    from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore

    datastore = PostgresDatastore("postgres", str(server.folder), server.port, "legation", "")
    recorder = PostgresApplicationRecorder(datastore)
    recorder.create_table()
    return recorder


def measure(count: int, batch: int, seed: int) -> dict:
    """Every figure for one history size."""
    actors = synthetic_actors()
    log = Log.of(synthetic_events(count, seed=seed), actors)
    memory_seconds, world = _timed(lambda: fold_fast(log, strict=False))
    result: dict = {"events": count, "batch": batch, "memory_fold_per_s": count / memory_seconds, "backends": {}}
    with tempfile.TemporaryDirectory(prefix="legation-bench-") as folder:
        folder_path = Path(folder)
        backends = {"sqlite": (str(folder_path / "store.db"), lambda: _eventsourcing_sqlite(folder_path))}
        server = None
        binaries = postgres_bin()
        if binaries is not None:
            server = TemporaryPostgres(binaries, durable=True)
            backends["postgresql"] = (server.fresh_url(), lambda: _eventsourcing_postgres(server))
        else:
            result["skipped"] = "postgresql: no PostgreSQL server binaries on this machine"
        try:
            for name, (url, peer) in backends.items():
                ours = _ours(url, log, batch, world)
                theirs = _peer(peer(), log, batch, world)
                ours["append_vs_eventsourcing"] = ours["append_per_s"] / theirs["append_per_s"]
                ours["fold_back_vs_eventsourcing"] = ours["fold_back_per_s"] / theirs["fold_back_per_s"]
                ours["fold_back_vs_memory"] = ours["fold_back_per_s"] / result["memory_fold_per_s"]
                result["backends"][name] = {"legation": ours, "eventsourcing": theirs}
        finally:
            if server is not None:
                server.stop()
    return result


def report(result: dict) -> str:
    """The figures as a table."""
    lines = [
        f"{result['events']:,} events in batches of {result['batch']:,}; "
        f"fold from memory {result['memory_fold_per_s']:,.0f} events/s",
        f"{'backend':<11} {'store':<14} {'append/s':>12} {'fold back/s':>12} {'verify/s':>12}  same history",
    ]
    for name, pair in result["backends"].items():
        for who, figures in pair.items():
            verify_rate = f"{figures['verify_per_s']:>12,.0f}" if "verify_per_s" in figures else f"{'-':>12}"
            lines.append(
                f"{name:<11} {who:<14} {figures['append_per_s']:>12,.0f} {figures['fold_back_per_s']:>12,.0f} "
                f"{verify_rate}  {figures['equal']}"
            )
        ours = pair["legation"]
        lines.append(
            f"{'':<11} ratios: append {ours['append_vs_eventsourcing']:.2f}x eventsourcing; fold back "
            f"{ours['fold_back_vs_eventsourcing']:.2f}x eventsourcing, {ours['fold_back_vs_memory']:.3f}x from memory"
        )
    if "skipped" in result:
        lines.append(f"skipped {result['skipped']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the table and write the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_EVENTS:,} events instead of {FULL_EVENTS:,}")
    parser.add_argument("--events", type=int, help="history length (overrides --quick)")
    parser.add_argument("--batch", type=int, help="events per append")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).with_name("results") / "store.json", help="JSON result"
    )
    args = parser.parse_args(argv)
    # Killed (SIGTERM), still stop the temporary PostgreSQL server: exit through the `finally` blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    count = args.events or (QUICK_EVENTS if args.quick else FULL_EVENTS)
    batch = args.batch or (QUICK_BATCH if args.quick else FULL_BATCH)
    result = measure(count, batch, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(report(result))
    every = [figures["equal"] for pair in result["backends"].values() for figures in pair.values()]
    return 0 if all(every) else 1


if __name__ == "__main__":
    sys.exit(main())
