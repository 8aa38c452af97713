"""`legation timeline`: the events of a pair in history order and what each changed."""

from __future__ import annotations

import argparse

from engine.cli._common import (
    EXIT_OK,
    UsageError,
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
    parser.add_argument(
        "--tone",
        action="store_true",
        help="instead, the pair's Goldstein tone month by month: events, sum of weights, decaying index",
    )
    parser.add_argument("--half-life", type=float, default=6.0, metavar="MONTHS", help="of the tone index (6)")
    add_common_options(parser)


def run(args: argparse.Namespace) -> int:
    from engine import timeline

    check_range("timeline", args.start, args.end)
    scenario, history = load(args)
    a, b = pick_pair(args, scenario)
    if args.tone:
        return _tone(args, history, a, b)
    entries = timeline(history, a, b, start=args.start, end=args.end, kinds=args.kind, changes_only=args.changes_only)
    emit(
        args,
        lambda: timeline_json(entries, (a, b)),
        lambda: timeline_text(entries, (a, b), actor_names(scenario, (a, b))),
    )
    note_anomalies(args, history)
    return EXIT_OK


def _tone(args: argparse.Namespace, history, a: str, b: str) -> int:
    import attrs

    from engine.analysis._tone import tone

    if not args.half_life > 0:
        raise UsageError(f"--half-life: expected a number of months above 0, found {args.half_life}")
    start = args.start.earliest.strftime("%Y-%m") if args.start is not None else None
    end = args.end.latest.strftime("%Y-%m") if args.end is not None else None
    months = tone(history, a, b, half_life=args.half_life, start=start, end=end)
    emit(
        args,
        lambda: {"pair": [a, b], "half_life": args.half_life, "months": [attrs.asdict(row) for row in months]},
        lambda: "\n".join(
            [
                f"Tone of {a}-{b} (Goldstein weights; index half-life {args.half_life:g} months)",
                "month    events    weight     index",
            ]
            + [f"{row.month}  {row.events:6d}  {row.weight:8.1f}  {row.index:8.2f}" for row in months]
        ),
    )
    return EXIT_OK
