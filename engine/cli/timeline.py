"""`legation timeline`: the events of a pair in history order and what each changed."""

from __future__ import annotations

import argparse

from engine.cli._common import (
    EXIT_OK,
    actor_names,
    add_common_options,
    check_range,
    date_arg,
    emit,
    kind_arg,
    load,
    note_anomalies,
    pick_pair,
)
from engine.cli._render import timeline_json, timeline_text

DESCRIPTION = (
    "The events of a pair, and its two actors' own events (changes of government), in history order: date "
    "with its precision, kind, id, what happened, the fields it changed and what caused it. Events marked "
    "· belong to the record but change no state."
)
EXAMPLE = "legation timeline --from 2006 --to 2009 --kind envoy_expelled --kind agency_expelled"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=date_arg, metavar="DATE", help="only events from this date on")
    parser.add_argument("--to", dest="end", type=date_arg, metavar="DATE", help="only events up to this date")
    parser.add_argument(
        "--kind",
        action="append",
        type=kind_arg,
        metavar="KIND",
        help="only events of this kind (repeatable), e.g. envoy_expelled",
    )
    parser.add_argument("--changes-only", action="store_true", help="only events that changed the state")
    add_common_options(parser)


def run(args: argparse.Namespace) -> int:
    from engine import timeline

    check_range("timeline", args.start, args.end)
    scenario, history = load(args)
    a, b = pick_pair(args, scenario)
    entries = timeline(history, a, b, start=args.start, end=args.end, kinds=args.kind, changes_only=args.changes_only)
    emit(
        args,
        lambda: timeline_json(entries, (a, b)),
        lambda: timeline_text(entries, (a, b), actor_names(scenario, (a, b))),
    )
    note_anomalies(args, history)
    return EXIT_OK
