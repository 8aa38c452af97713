"""What every subcommand shares: exit statuses, the error types, the parser class, common options and output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TextIO, TypeVar

import scenarios
from engine import History, SoundUntil

# Re-exported: the subcommands import them from here; they live in _options so that the cache can parse cheaply.
from engine.cli._options import Parser as Parser
from engine.cli._options import add_common_options as add_common_options
from engine.cli._options import date_arg as date_arg
from engine.cli._options import kind_arg as kind_arg
from events import LegationError, Scenario

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70
"""0 done; 1 a check (`validate`) found problems; 2 bad input (date, actor, file, option); 70 a bug."""

T = TypeVar("T")


class UsageError(LegationError, ValueError):
    """A bad command line: unknown option, missing argument, bad value."""


class MissingExtraError(LegationError, ImportError):
    """A subcommand needs an optional dependency that is not installed."""


def load_scenario(args: argparse.Namespace) -> Scenario:
    """The history --scenario names, or the one --store holds (as recorded at --as-recorded)."""
    if getattr(args, "store", None) is not None:
        from engine.cli._store import scenario_from_store

        return scenario_from_store(args)
    for option in ("stream", "as_recorded"):
        if getattr(args, option, None) is not None:
            raise UsageError(f"--{option.replace('_', '-')} reads from a store: give --store URL too")
    return scenarios.load(args.scenario)


def load(args: argparse.Namespace) -> tuple[Scenario, History]:
    """The history --scenario (or --store) names, folded strictly (or leniently with --lenient).

    Raises:
        ImpossibleHistoryError: (strict) an event is impossible; the message names its file and line.
    """
    scenario, history, sound_until = load_sound_part(args)
    if sound_until is not None:
        raise ImpossibleHistoryError(scenario, sound_until)
    return scenario, history


def load_sound_part(args: argparse.Namespace) -> tuple[Scenario, History, SoundUntil | None]:
    """Like `load`, but a strict history with an impossible event gives the history of its sound part.

    The third value says where the sound part ends (None when the whole history is possible); a command
    that answers about one day can answer a day before it (see `History.sound_part`).
    """
    scenario = load_scenario(args)
    if args.lenient:
        return scenario, History(scenario.log, strict=False), None
    history, sound_until = History.sound_part(scenario.log)
    return scenario, history, sound_until


class ImpossibleHistoryError(LegationError, ValueError):
    """A strict history meets an impossible event: named with its file and line, with what to do."""

    def __init__(self, scenario: Scenario, sound_until: SoundUntil) -> None:
        error = sound_until.error
        where = scenario.path or scenario.name
        # A history read from a store has no file (its path is the store's URL and stream).
        line = event_line(scenario.path, error.event_id) if scenario.path and os.path.isfile(scenario.path) else None
        self.sound_until = sound_until
        super().__init__(
            f"{where}{f':{line}' if line else ''}: {error}; answers from "
            f"{sound_until.first_unsound_day.isoformat()} on depend on this event: correct it, or use --lenient "
            "to record it as an anomaly and go on"
        )


def event_line(path: str, event_id: str) -> int | None:
    """The line of a file where the event with this id is written, if it can be found."""
    from engine.cli.validate import _id_lines

    return _id_lines(path).get(event_id)


def pick_pair(args: argparse.Namespace, scenario: Scenario, named: Sequence[str] = ()) -> tuple[str, str]:
    """The pair asked about: --pair, else the two actors a condition names, else the scenario's main pair."""
    if args.pair:
        pair = (args.pair[0].upper(), args.pair[1].upper())
    elif len(named) == 2 and set(named) != set(scenario.pair or ()):
        pair = (named[0], named[1])
    elif scenario.pair is not None:
        pair = scenario.pair
    else:
        raise UsageError(f"scenario {scenario.name!r} names no main pair: give --pair A B")
    for code in pair:
        if code not in scenario.log.actors:
            raise UsageError(f"unknown actor {code!r}: expected an actor code of this scenario, such as BOL or USA")
    if pair[0] == pair[1]:
        raise UsageError(f"--pair needs two different actors, found {pair[0]!r} twice")
    return pair


def check_range(command: str, start, end) -> None:
    """Refuse a --from that comes after --to (ImpreciseDates; either may be None), rather than answer nothing."""
    if start is not None and end is not None and start.earliest > end.latest:
        raise UsageError(f"legation {command}: --from {start} comes after --to {end}")


def actor_names(scenario: Scenario, pair: Sequence[str]) -> dict[str, str]:
    """The display names of the pair's actors."""
    return {code: scenario.log.actors[code].name for code in pair}


def print_json(data: object) -> None:
    """Print data as indented JSON, keeping non-ASCII names readable."""
    print(json.dumps(data, indent=2, ensure_ascii=False))


def emit(args: argparse.Namespace, data: Callable[[], Any], text: Callable[[], str]) -> None:
    """Print the JSON or the text of an answer, whichever --format asks for."""
    if args.format == "json":
        print_json(data())
    else:
        print(text())


def note_anomalies(args: argparse.Namespace, history: History) -> None:
    """After a text answer, say how many anomalies a lenient fold recorded."""
    if args.format == "text" and history.anomalies:
        print(f"\n{len(history.anomalies)} anomalies recorded (lenient mode); see `legation validate`.")


def track(items: Iterable[T], description: str, total: int | None = None, stream: TextIO | None = None) -> Iterator[T]:
    """Iterate, showing a progress bar on a terminal (stderr) and nothing when output is piped.

    For long operations (imports, benchmarks, deep property runs); rich is imported only when a bar is shown.
    """
    stream = sys.stderr if stream is None else stream
    if not (hasattr(stream, "isatty") and stream.isatty()):
        yield from items
        return
    from rich.console import Console
    from rich.progress import track as rich_track

    yield from rich_track(items, description=description, total=total, console=Console(file=stream), transient=True)
