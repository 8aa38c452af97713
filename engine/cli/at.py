"""`legation at`: the state of a pair on a date, each value citing the event behind it.

This module imports only the standard library at first (the event model is loaded by `run`), because the
answer cache builds this very parser to read a command line before deciding whether the full path is needed.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from engine.cli._options import DATE, add_common_options

if TYPE_CHECKING:
    from engine import History
    from events import Scenario

DESCRIPTION = (
    "The state of a relationship on a date: relations, envoys, posts, agencies, aid, certification, visas, "
    "each value citing the event behind it and marked ? where an imprecise date leaves it uncertain."
)
EXAMPLE = "legation at 2008-10-01 --pair BOL USA --format json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("date", type=DATE, help="EDTF date: 2010-06-01, 2010-06 or 2010 (answered at its end)")
    add_common_options(parser)
    # Every pair at once, from a Parquet dataset on Dask (engine.cli.dataset answers it).
    parser.add_argument("--all-pairs", action="store_true", help="every changed pair's state, from --dataset")
    parser.add_argument("-o", "--out", metavar="FILE", help="with --all-pairs: the Parquet file to write")
    from engine.cli.dataset import add_cluster_arguments

    add_cluster_arguments(parser)


def at_output(args: argparse.Namespace, scenario: Scenario, history: History, pair: tuple[str, str], when) -> str:
    import json

    from engine.cli._common import actor_names
    from engine.cli._render import as_of_json, as_of_text

    a, b = pair
    answer = history.state_at(a, b, when)
    record = getattr(args, "record", None)  # what a history read from a store cites (see engine.cli._store)
    if args.format == "json":
        data = as_of_json(answer, history)
        if record is not None:
            data["record"] = record
        return json.dumps(data, indent=2, ensure_ascii=False)
    text = as_of_text(answer, history, actor_names(scenario, (a, b)))
    if history.anomalies:
        text += f"\n\n{len(history.anomalies)} anomalies recorded (lenient mode); see `legation validate`."
    if record is not None:
        from engine.cli._store import citation

        text += f"\n\n{citation(record)}"
    return text


def run(args: argparse.Namespace) -> int:
    if args.all_pairs or args.dataset is not None:
        from engine.cli.dataset import run_all_pairs

        return run_all_pairs(args)
    from engine.cli import _answer_cache
    from engine.cli._common import EXIT_OK, ImpossibleHistoryError, load_sound_part, pick_pair

    # The files are hashed before they are read, and again after: an answer of a file edited meanwhile is not kept.
    before = _answer_cache.snapshot(args.argv) if args.argv is not None else None
    scenario, history, sound_until = load_sound_part(args)
    pair = pick_pair(args, scenario)
    if sound_until is not None and args.date.latest >= sound_until.first_unsound_day:
        raise ImpossibleHistoryError(scenario, sound_until)
    output = at_output(args, scenario, history, pair, args.date) + "\n"
    # Written as one string, so that what the cache keeps is exactly what was printed.
    sys.stdout.write(output)
    if args.argv is not None and sound_until is None:  # only answers of a sound history are kept
        _answer_cache.store(args.argv, output, before)
    return EXIT_OK
