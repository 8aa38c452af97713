"""`legation when`: the first date and every period a condition over a pair's state held."""

from __future__ import annotations

import argparse

from engine.cli._common import (
    EXIT_OK,
    UsageError,
    actor_names,
    add_common_options,
    emit,
    load,
    note_anomalies,
    pick_pair,
)
from engine.cli._render import periods_json, periods_text
from events import AgencyStarted

EXAMPLE = 'legation when "no ambassador of USA in BOL and relations established"'


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("condition", metavar="CONDITION", help="a condition over the pair's state (see above)")
    add_common_options(parser)


def description() -> str:
    from engine import CONDITION_GRAMMAR  # the condition parser is loaded only for `when`

    return (
        f"The first date and every period a condition held for the pair. Conditions: {CONDITION_GRAMMAR}. The pair "
        "is --pair, else the two actors the condition names, else the scenario's main pair."
    )


def run(args: argparse.Namespace) -> int:
    from engine import parse_condition

    scenario, history = load(args)
    agencies = {event.agency for event in scenario.log if isinstance(event, AgencyStarted)}
    condition = parse_condition(args.condition, actors=scenario.log.actors, agencies=agencies)
    a, b = pick_pair(args, scenario, condition.actors)
    strangers = [code for code in condition.actors if code not in (a, b)]
    if strangers:
        raise UsageError(
            f"condition {args.condition!r} names {', '.join(strangers)}, but the pair is {a}-{b}: "
            "give --pair with the actors the condition names"
        )
    periods = history.periods(a, b, condition)
    emit(
        args,
        lambda: periods_json(args.condition, (a, b), periods),
        lambda: periods_text(args.condition, (a, b), periods, actor_names(scenario, (a, b))),
    )
    note_anomalies(args, history)
    return EXIT_OK
