"""`legation at`: the state of a pair on a date, each value citing the event behind it."""

from __future__ import annotations

import argparse
import json

import scenarios
from engine import History
from engine.cli import _answer_cache
from engine.cli._common import (
    EXIT_OK,
    ImpossibleHistoryError,
    actor_names,
    add_common_options,
    date_arg,
    load_sound_part,
    pick_pair,
)
from engine.cli._render import as_of_json, as_of_text
from events import Scenario

DESCRIPTION = (
    "The state of a relationship on a date: relations, envoys, posts, agencies, aid, certification, visas, "
    "each value citing the event behind it and marked ? where an imprecise date leaves it uncertain."
)
EXAMPLE = "legation at 2008-10-01 --pair BOL USA --format json"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("date", type=date_arg, help="EDTF date: 2010-06-01, 2010-06 or 2010 (answered at its end)")
    add_common_options(parser)


def at_output(args: argparse.Namespace, scenario: Scenario, history: History, pair: tuple[str, str], when) -> str:
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


def _history_file(name: str | None):
    return scenarios.history_path(name or scenarios.DEFAULT)


def _remember_answers(args: argparse.Namespace, scenario: Scenario, history: History, pair: tuple[str, str]) -> None:
    """Keep this question's answers for every day (see engine.cli._answer_cache), for the next `legation at`."""
    codes = set(pair)
    breaks = [
        day.toordinal()
        for event in scenario.log
        if event.actor in codes or event.target in codes
        for day in (event.date.earliest, event.date.latest)
    ]
    _answer_cache.store(args.argv, _history_file, breaks, lambda day: at_output(args, scenario, history, pair, day))


def run(args: argparse.Namespace) -> int:
    scenario, history, sound_until = load_sound_part(args)
    pair = pick_pair(args, scenario)
    if sound_until is not None and args.date.latest >= sound_until.first_unsound_day:
        raise ImpossibleHistoryError(scenario, sound_until)
    print(at_output(args, scenario, history, pair, args.date))
    if args.argv is not None and sound_until is None:  # a broken history's later days have no answer to keep
        _remember_answers(args, scenario, history, pair)
    return EXIT_OK
