"""Benchmark: the alignment graph at dates in order, incremental (`graph_at`) against a fold from scratch.

Run `python benchmarks/bench_alignment.py` for the measured size (200 actors, 100,000 alignment events,
1,000 dates) or `--quick` for a few-second run. Both sides run in the same process, one after the other,
on the same seeded synthetic log, and must give equal graphs at every date; the output is the time of
each side, their ratio, and a JSON result file.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import random
import sys
import time
from bisect import bisect_right
from itertools import islice
from pathlib import Path

import networkx as nx

from engine.analysis.alignment import AlignmentIndex, graph_from_scratch
from events import Actor, ActorTable, AlignmentChanged, BlocJoined, BlocLeft, ImpreciseDate, Log

FULL = {"actors": 200, "events": 100_000, "dates": 1_000}
QUICK = {"actors": 30, "events": 3_000, "dates": 50}
FIRST_DAY = datetime.date(1900, 1, 1)
SPAN_DAYS = 100 * 365
BLOCS = ("BLOC_A", "BLOC_B", "BLOC_C", "BLOC_D", "BLOC_E")
STANCES, STANCE_WEIGHTS = ("aligned", "hostile", "neutral"), (45, 35, 20)
BLOC_SHARE = 0.04
"""Share of the events that join or leave a bloc; the rest are stances between two actors."""
RESULTS = Path(__file__).parent / "results"
"""Where results go by default: bench_alignment.json (full) or bench_alignment_quick.json."""


def synthetic_log(actors: int, events: int, seed: int) -> Log:
    """A seeded log of alignment events among `actors` synthetic actors over a century, with a few bloc events."""
    rng = random.Random(seed)
    codes = [f"X{number:03d}" for number in range(actors)]
    table = ActorTable({code: Actor(code, f"Synthetic {code}") for code in codes})
    made = []
    for number in range(events):
        day = ImpreciseDate.from_date(FIRST_DAY + datetime.timedelta(days=rng.randrange(SPAN_DAYS)))
        common = {"id": f"e{number}", "date": day, "sources": ("synthetic",)}
        if rng.random() < BLOC_SHARE:
            kind = BlocJoined if rng.random() < 0.75 else BlocLeft
            made.append(kind(actor=rng.choice(codes), bloc=rng.choice(BLOCS), **common))
        else:
            actor, target = rng.sample(codes, 2)
            stance = rng.choices(STANCES, STANCE_WEIGHTS)[0]
            made.append(AlignmentChanged(actor=actor, target=target, stance=stance, **common))
    return Log.of(made, table)


def query_days(count: int) -> list[datetime.date]:
    """`count` days spread evenly over the log's century, in order."""
    return [FIRST_DAY + datetime.timedelta(days=SPAN_DAYS * (step + 1) // count) for step in range(count)]


def run(actors: int, events: int, dates: int, seed: int = 20080910, check_every: int = 10) -> dict:
    """Time both ways of answering `graph_at` at `dates` days in order; return the figures.

    Args:
        check_every: compare the two graphs at every this-many-th date (all dates with 1).

    Raises:
        AssertionError: the two ways disagree at a checked date.
    """
    started = time.perf_counter()
    log = synthetic_log(actors, events, seed)
    made_log = time.perf_counter() - started
    days = query_days(dates)
    starts = [event.date.earliest.toordinal() for event in log]

    started = time.perf_counter()
    index = AlignmentIndex(log)
    built = time.perf_counter() - started
    incremental_graphs = []
    started = time.perf_counter()
    for number, day in enumerate(days):
        graph = index.graph_at(day)
        if number % check_every == 0:
            incremental_graphs.append(graph)
    incremental = time.perf_counter() - started

    rebuild_graphs = []
    started = time.perf_counter()
    for number, day in enumerate(days):
        prefix = islice(log.events, bisect_right(starts, day.toordinal()))
        graph = graph_from_scratch(prefix, log.actors, at=day)
        if number % check_every == 0:
            rebuild_graphs.append(graph)
    rebuild = time.perf_counter() - started
    for got, expected in zip(incremental_graphs, rebuild_graphs, strict=True):
        assert nx.utils.graphs_equal(got, expected), f"graphs differ at {got.graph['at']}"

    first, second = list(log.actors)[:2]
    started = time.perf_counter()
    index.agreement_series(first, second, days)
    series = time.perf_counter() - started

    final = index.graph_at(days[-1])
    return {
        "benchmark": "alignment graph_at at dates in order: incremental vs fold from scratch at each date",
        "actors": actors,
        "events": events,
        "dates": dates,
        "seed": seed,
        "graph_changes": len(index),
        "final_nodes": final.number_of_nodes(),
        "final_edges": final.number_of_edges(),
        "log_build_s": round(made_log, 4),
        "index_build_s": round(built, 4),
        "incremental_s": round(incremental, 4),
        "rebuild_s": round(rebuild, 4),
        "ratio_rebuild_to_incremental": round(rebuild / incremental, 2),
        "ratio_including_index_build": round(rebuild / (incremental + built), 2),
        "agreement_series_s": round(series, 4),
        "ratio_rebuild_to_agreement_series": round(rebuild / series, 1),
        "checked_dates": len(incremental_graphs),
        "python": platform.python_version(),
        "networkx": nx.__version__,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the figures and write them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds (what CI runs)")
    parser.add_argument("--seed", type=int, default=20080910)
    parser.add_argument("--json", type=Path, default=None, help=f"where to write the result (default: in {RESULTS})")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    result = run(**sizes, seed=args.seed)
    result["mode"] = "quick" if args.quick else "full"
    print(
        f"{result['actors']} actors, {result['events']:,} events ({result['graph_changes']:,} graph changes), "
        f"{result['dates']:,} dates in order; final graph {result['final_nodes']} nodes, {result['final_edges']} edges"
    )
    print(f"  index build (once)          {result['index_build_s']:9.3f} s")
    print(f"  graph_at, incremental       {result['incremental_s']:9.3f} s")
    print(f"  graph from scratch per date {result['rebuild_s']:9.3f} s")
    print(f"  ratio rebuild / incremental {result['ratio_rebuild_to_incremental']:9.2f}x"
          f"  (with the index build: {result['ratio_including_index_build']:.2f}x)")  # fmt: skip
    print(f"  agreement_series, same dates {result['agreement_series_s']:8.3f} s"
          f"  (rebuild / series: {result['ratio_rebuild_to_agreement_series']}x)")  # fmt: skip
    target = args.json or RESULTS / ("bench_alignment_quick.json" if args.quick else "bench_alignment.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"  result written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
