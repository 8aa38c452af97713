"""`legation diff`: every field of a pair's state that differs between two dates."""

from __future__ import annotations

import argparse

from engine.cli._common import EXIT_OK, actor_names, add_common_options, date_arg, emit, load, note_anomalies, pick_pair
from engine.cli._render import diff_json, diff_text

DESCRIPTION = (
    "Every field of a pair's state that differs between two dates, with its value on each and the events "
    "that changed it in between."
)
EXAMPLE = "legation diff 2008-01-01 2009-12-31"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("date1", type=date_arg, metavar="DATE1", help="the earlier date (EDTF)")
    parser.add_argument("date2", type=date_arg, metavar="DATE2", help="the later date (EDTF)")
    add_common_options(parser)


def run(args: argparse.Namespace) -> int:
    scenario, history = load(args)
    a, b = pick_pair(args, scenario)
    first, second = sorted((args.date1, args.date2), key=lambda date: date.latest)
    changes = history.changes_between(a, b, first, second)
    possibly = (history.state_at(a, b, first).possibly, history.state_at(a, b, second).possibly)
    emit(
        args,
        lambda: diff_json(changes, (a, b), first, second, possibly),
        lambda: diff_text(changes, (a, b), first, second, actor_names(scenario, (a, b)), possibly),
    )
    note_anomalies(args, history)
    return EXIT_OK
