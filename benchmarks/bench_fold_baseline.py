"""Benchmark: the fast fold of this tree against the fast fold of an earlier revision, on the same events.

Run `python benchmarks/bench_fold_baseline.py [--baseline REV] [--against REV]` in a git clone. REV
defaults to 706c7be, the last revision before the one rule book, when each fold had its own copy of the
rules; `--against` compares with another revision instead of this working tree. Each revision's `engine`,
`events` and `scenarios` are taken out of git into a temporary directory. The baseline's own synthetic
generator writes the history (so the events are ones both revisions know) as JSON lines, one
`event_to_dict` an event. Then worker processes of the two trees, taken turn about, read that file (each
tree's first worker pickles what it read, for the next ones) and time a lenient `fold_fast` on it: the
rule book refuses a few events the old rules allowed, where a strict fold would stop. Each worker reports
the median CPU time of `--repeats` folds. Turn about, because the machine's load moves: read the ratio of
the medians of alternated runs, not the absolute times.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import textwrap
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASELINE = "706c7be"
"""The last revision before the rule book: `engine/_reducer.py` and `engine/_fast.py` each wrote every rule."""

WRITE = textwrap.dedent(
    """
    import json, sys
    from engine.synthetic import synthetic_events
    from events import event_to_dict
    with open(sys.argv[3], "w", encoding="utf-8") as out:
        for event in synthetic_events(int(sys.argv[1]), seed=int(sys.argv[2])):
            out.write(json.dumps(event_to_dict(event)) + "\\n")
    """
)

TIME = textwrap.dedent(
    """
    import gc, json, pickle, statistics, sys, time
    from pathlib import Path
    from engine import fold_fast
    from events import event_from_dict
    cache = Path(sys.argv[3])  # this tree's own events, pickled by its first worker: building them is slow
    if cache.exists():
        events = pickle.loads(cache.read_bytes())
    else:
        with open(sys.argv[1], encoding="utf-8") as lines:
            events = [event_from_dict(json.loads(line)) for line in lines]
        cache.write_bytes(pickle.dumps(events, protocol=pickle.HIGHEST_PROTOCOL))
    fold_fast(events, strict=False)  # warm: first-call costs are not the fold's
    times = []
    for _ in range(int(sys.argv[2])):
        gc.collect()
        start = time.process_time()
        world = fold_fast(events, strict=False)
        times.append(time.process_time() - start)
    print(json.dumps({"median_s": statistics.median(times), "pairs": len(world.pairs), "events": len(events)}))
    """
)


def extract(revision: str, into: Path) -> Path:
    """The baseline's packages, out of git (no checkout of the working tree is touched)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", revision, "engine", "events", "scenarios"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def run_in(tree: Path, code: str, *arguments: str) -> str:
    """Run `code` with `tree` first on the import path (and nothing of the other tree)."""
    environment = {**os.environ, "PYTHONPATH": str(tree), "LEGATION_CACHE_DIR": ""}
    done = subprocess.run(
        [sys.executable, "-c", code, *arguments], capture_output=True, text=True, env=environment, cwd=tree
    )
    if done.returncode:
        last = done.stderr.strip().splitlines()[-1:] or ["no message"]
        raise SystemExit(f"the worker in {tree} failed: {last[0]}")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, help="the git revision to compare with")
    parser.add_argument("--against", help="a git revision to use instead of this working tree as the current side")
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--turns", type=int, default=5, help="worker processes of each tree, taken turn about")
    parser.add_argument("--repeats", type=int, default=5, help="folds timed in each worker process")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="a few seconds: 5,000 events, 2 turns of 3")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    if args.quick:
        args.events, args.turns, args.repeats = 5_000, 2, 3
    with tempfile.TemporaryDirectory(prefix="legation-baseline-") as temporary:
        baseline = extract(args.baseline, Path(temporary) / "baseline")
        current = extract(args.against, Path(temporary) / "current") if args.against else ROOT
        history = Path(temporary) / "history.jsonl"
        run_in(baseline, WRITE, str(args.events), str(args.seed), str(history))
        runs: dict[str, list[float]] = {"baseline": [], "current": []}
        shapes = set()
        for _ in range(args.turns):
            for name, tree in (("baseline", baseline), ("current", current)):
                cache = Path(temporary) / f"{name}.pickle"
                answer = json.loads(run_in(tree, TIME, str(history), str(args.repeats), str(cache)))
                runs[name].append(answer["median_s"])
                shapes.add((answer["events"], answer["pairs"]))
    if len(shapes) != 1:
        print(f"the two trees folded different histories: {sorted(shapes)}", file=sys.stderr)
        return 1
    baseline_s, current_s = (statistics.median(runs[name]) for name in ("baseline", "current"))
    result = {
        "baseline": args.baseline,
        "current": args.against or "working tree",
        "events": args.events,
        "turns": args.turns,
        "repeats": args.repeats,
        "baseline_s": runs["baseline"],
        "current_s": runs["current"],
        "rate_ratio_current_to_baseline": baseline_s / current_s,
        "load_average": os.getloadavg(),
    }
    print(
        f"fast fold of {args.events:,} events, medians of {args.turns} alternated processes x {args.repeats} folds:\n"
        f"  baseline {args.baseline}: {baseline_s:.3f} s   current ({args.against or 'this tree'}): {current_s:.3f} s\n"
        f"  current rate / baseline rate: {baseline_s / current_s:.3f}x  (per-turn ratios: "
        + ", ".join(f"{b / c:.3f}" for b, c in zip(runs["baseline"], runs["current"], strict=True))
        + ")"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
