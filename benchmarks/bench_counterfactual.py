"""Benchmark: replaying a counterfactual edit at 90% of a long synthetic log, against a full refold.

Run as a script: `python benchmarks/bench_counterfactual.py` (1,000,000 events) or `--quick` (seconds).
Both measurements run in the same process, side by side; the ratio is printed and written to JSON.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import random
import sys
import time
from itertools import combinations
from pathlib import Path

import events as ev
from engine import Counterfactual, History, fold
from events import ImpreciseDate, Log

FULL_EVENTS = 1_000_000
QUICK_EVENTS = 20_000
ACTORS = ("USA", "BOL", "PER", "CHL", "ARG", "BRA", "COL", "VEN", "ECU", "PRY", "URY", "MEX", "CUB", "CAN", "GBR")
CITIES = ("Alpha", "Beta", "Gamma")


def _opening(a: str, b: str, key: str) -> list[tuple]:
    """The events that set a pair up so that its cycle is always possible."""
    return [
        (ev.StateRecognized, {"actor": a, "target": b}),
        (ev.RelationsEstablished, {"actor": a, "target": b}),
        (ev.EnvoyAccredited, {"actor": a, "target": b, "rank": "ambassador", "envoy": f"envoy {key}"}),
        (ev.AidStarted, {"actor": a, "target": b}),
    ]


def _cycle(a: str, b: str, key: str, turn: int, rng: random.Random) -> list[tuple]:
    """One round of a pair's life; every event is possible in the state the previous round leaves."""
    city = CITIES[turn % len(CITIES)]
    return [
        (ev.CertificationDecided, {"actor": a, "target": b, "decision": rng.choice(ev.CERTIFICATION_DECISIONS)}),
        (ev.EnvoyRecalled, {"actor": a, "target": b}),
        (ev.EnvoyAccredited, {"actor": a, "target": b, "rank": "ambassador", "envoy": f"envoy {key}.{turn}"}),
        (ev.AidSuspended, {"actor": a, "target": b}),
        (ev.AidResumed, {"actor": a, "target": b}),
        (ev.PostOpened, {"actor": a, "target": b, "post": "consulate", "city": city}),
        (ev.PostClosed, {"actor": a, "target": b, "post": "consulate", "city": city}),
        (ev.VisaPolicyChanged, {"actor": b, "target": a, "required": bool(turn % 2)}),
        (ev.StatementMade, {"actor": a, "target": b}),
    ]


def synthetic_log(size: int, seed: int = 1848) -> Log:
    """A seeded log of `size` events over every pair of 15 actors, in date order, strictly possible."""
    rng = random.Random(seed)
    pairs = list(combinations(ACTORS, 2))
    queues: dict[tuple[str, str], list[tuple]] = {}
    turns = dict.fromkeys(pairs, 0)
    first = datetime.date(1900, 1, 1).toordinal()
    span = datetime.date(2020, 12, 31).toordinal() - first
    dates: dict[int, ImpreciseDate] = {}
    sources = ("synthetic benchmark log",)
    made = []
    for position in range(size):
        pair = pairs[rng.randrange(len(pairs))]
        key = f"{pair[0]}-{pair[1]}"
        queue = queues.get(pair)
        if queue is None:
            queue = queues[pair] = _opening(*pair, key)
        if not queue:
            turns[pair] += 1
            queue.extend(_cycle(*pair, key, turns[pair], rng))
        cls, fields = queue.pop(0)
        day = first + position * span // size
        date = dates.get(day)
        if date is None:
            date = dates[day] = ImpreciseDate.from_date(datetime.date.fromordinal(day))
        made.append(cls(id=f"e{position}", date=date, sources=sources, **fields))
    return Log.of(made)


def _best_of(repeats: int, run) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        gc.collect()
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def measure(size: int, repeats: int, seed: int = 1848) -> dict[str, object]:
    """Build the log and its history, then time an edit at 90% replayed from a checkpoint and a full refold."""
    started = time.perf_counter()
    log = synthetic_log(size, seed)
    built = time.perf_counter() - started
    started = time.perf_counter()
    history = History(log)
    indexed = time.perf_counter() - started
    target = next(event.id for event in log.events[int(size * 0.9) :] if isinstance(event, ev.CertificationDecided))
    position = log.position(target)

    def replayed():
        return Counterfactual(log).remove(target, "benchmark").replay(history)

    edited_events = Counterfactual(log).remove(target).edited.events

    def refolded():
        return fold(edited_events)

    replay_seconds, replay = _best_of(repeats, replayed)
    refold_seconds, full = _best_of(repeats, refolded)
    return {
        "events": size,
        "pairs": len(log.pairs()),
        "edit": f"remove {target} at position {position} ({position / size:.1%} of the log)",
        "checkpoint_every": history.checkpoint_every,
        "resumed_from": replay.resumed_from,
        "events_folded_by_replay": replay.folded,
        "replay_seconds": round(replay_seconds, 4),
        "full_refold_seconds": round(refold_seconds, 4),
        "ratio_full_over_replay": round(refold_seconds / replay_seconds, 2),
        "replay_equals_refold": replay.final == full,
        "repeats": repeats,
        "setup_seconds": {"generate_and_validate": round(built, 2), "history_index": round(indexed, 2)},
        "python": sys.version.split()[0],
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; print the result and write it as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_EVENTS:,} events instead of {FULL_EVENTS:,}")
    parser.add_argument("--events", type=int, help="log length (overrides --quick)")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs of each (default 3)")
    parser.add_argument("--seed", type=int, default=1848)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).with_name("results") / "counterfactual.json", help="JSON result"
    )
    args = parser.parse_args(argv)
    size = args.events or (QUICK_EVENTS if args.quick else FULL_EVENTS)
    result = measure(size, args.repeats, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0 if result["replay_equals_refold"] else 1


if __name__ == "__main__":
    sys.exit(main())
