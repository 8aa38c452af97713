"""`legation whatif`: replay a counterfactual file against its base history and compare the two."""

from __future__ import annotations

import argparse

import scenarios
from engine.cli._common import EXIT_OK, add_common_options, date_arg, emit, load_scenario, pick_pair

DESCRIPTION = (
    "Apply a counterfactual file's edits to its base history, replay it from the last checkpoint before the "
    "first edit, and compare: edits, events dropped by cascade, the first divergence, the timeline of "
    "differences, and the state difference on a date (default: the end)."
)
EXAMPLE = "legation whatif bolivia_usa/no_goldberg_expulsion --at 2010-06-01 --format json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="counterfactual file, or built-in SCENARIO/NAME")
    parser.add_argument(
        "--at", type=date_arg, metavar="DATE", help="compare the states on this date (answered at its end)"
    )
    parser.add_argument(
        "--cascade",
        choices=("drop", "keep", "ask"),
        help="what removing or moving an event does to what it caused (default: the file's, else drop)",
    )
    add_common_options(
        parser,
        scenario_default=None,
        scenario_help="the base history to edit (default: the one the file names)",
        pair_help="show only the differences of this pair and of its two actors (default: all)",
    )


def run(args: argparse.Namespace) -> int:
    import attrs

    from engine.cli._whatif_render import comparison_json, comparison_text
    from engine.core._counterfactual import Counterfactual

    spec, base = scenarios.load_counterfactual(args.file)
    if args.scenario is not None or args.store is not None:
        base = load_scenario(args)
    counterfactual = Counterfactual.from_spec(spec, base.log, cascade=args.cascade)
    comparison = counterfactual.compare(at=args.at, strict=not args.lenient)
    if args.pair:
        a, b = pick_pair(args, base)
        subjects = {"-".join(sorted((a, b))), a, b}
        comparison = attrs.evolve(
            comparison,
            timeline=tuple(d for d in comparison.timeline if d.subject in subjects),
            state=tuple(d for d in comparison.state if d.subject in subjects),
        )
    emit(args, lambda: comparison_json(comparison), lambda: comparison_text(comparison))
    return EXIT_OK
