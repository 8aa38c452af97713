"""The `legation` command: the one place that wires files, the reducer and the terminal together."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

import scenarios
from engine import _answer_cache
from engine._history import History
from engine._render import as_of_json, as_of_text
from events import LegationError, Scenario, check_scenario, parse_date

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(LegationError, ValueError):
    """A bad command line: unknown option, missing argument, bad value."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of printing usage and exiting, so every error is one line."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def _date_arg(text: str):
    try:
        return parse_date(text)
    except LegationError as error:
        raise argparse.ArgumentTypeError(f"bad date {text!r}: expected {error.expected}") from None


def _common(parser: argparse.ArgumentParser, pair: bool = True) -> None:
    parser.add_argument(
        "--scenario",
        default=scenarios.DEFAULT,
        metavar="NAME|PATH",
        help=f"built-in scenario name or scenario file/folder (default: {scenarios.DEFAULT})",
    )
    if pair:
        parser.add_argument(
            "--pair", nargs=2, metavar=("A", "B"), help="the two actors (default: the scenario's main pair)"
        )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    parser.add_argument(
        "--lenient", action="store_true", help="record impossible transitions as anomalies instead of failing"
    )


def _load(args: argparse.Namespace) -> tuple[Scenario, History]:
    scenario = scenarios.load(args.scenario)
    return scenario, History(scenario.log, strict=not args.lenient)


def _pair(args: argparse.Namespace, scenario: Scenario) -> tuple[str, str]:
    if args.pair:
        return args.pair[0].upper(), args.pair[1].upper()
    if scenario.pair is None:
        raise UsageError(f"scenario {scenario.name!r} names no main pair: give --pair A B")
    return scenario.pair


def _print_json(data: object) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _at_output(args: argparse.Namespace, scenario: Scenario, history: History, pair: tuple[str, str], when) -> str:
    a, b = pair
    answer = history.state_at(a, b, when)
    if args.format == "json":
        return json.dumps(as_of_json(answer, history), indent=2, ensure_ascii=False)
    names = {code: scenario.log.actors[code].name for code in (a, b)}
    text = as_of_text(answer, history, names)
    if history.anomalies:
        text += f"\n\n{len(history.anomalies)} anomalies recorded (lenient mode); see `legation validate`."
    return text


def _history_file(name: str | None):
    return scenarios.history_path(name or scenarios.DEFAULT)


def _remember_answers(args: argparse.Namespace, scenario: Scenario, history: History, pair: tuple[str, str]) -> None:
    """Keep this question's answers for every day (see engine._answer_cache), for the next `legation at`."""
    codes = set(pair)
    breaks = [
        day.toordinal()
        for event in scenario.log
        if event.actor in codes or event.target in codes
        for day in (event.date.earliest, event.date.latest)
    ]
    _answer_cache.store(args.argv, _history_file, breaks, lambda day: _at_output(args, scenario, history, pair, day))


def _cmd_at(args: argparse.Namespace) -> int:
    scenario, history = _load(args)
    pair = _pair(args, scenario)
    print(_at_output(args, scenario, history, pair, args.date))
    if args.argv is not None:
        _remember_answers(args, scenario, history, pair)
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    path = scenarios.history_path(args.file)
    problems = check_scenario(path)
    transitions = []
    if not problems:
        scenario = scenarios.load(path)
        transitions = list(History(scenario.log, strict=False).anomalies)
    if args.format == "json":
        _print_json(
            {
                "file": str(path),
                "ok": not problems and not transitions,
                "errors": [str(problem) for problem in problems],
                "anomalies": [{"event_id": a.event_id, "date": str(a.date), "rule": a.rule} for a in transitions],
            }
        )
    else:
        for problem in problems:
            print(problem)
        for anomaly in transitions:
            print(f"{path}: {anomaly}")
        if not problems and not transitions:
            print(f"{path}: ok")
    return EXIT_CHECK_FAILED if problems or transitions else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The command-line parser with every subcommand."""
    parser = _Parser(
        prog="legation",
        description="Diplomatic history as an event log: ask the state of a relationship on any date.",
        epilog="Example: legation at 2010-06-01 --pair BOL USA",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    at = commands.add_parser(
        "at",
        help="the state of a pair on a date",
        description="The state of a relationship on a date: relations, envoys, posts, agencies, aid, visas.",
        epilog="Example: legation at 2008-10-01 --pair BOL USA --format json",
    )
    at.add_argument("date", type=_date_arg, help="EDTF date: 2010-06-01, 2010-06 or 2010 (answered at its end)")
    _common(at)
    at.set_defaults(handler=_cmd_at)
    validate = commands.add_parser(
        "validate",
        help="check a scenario file, listing every problem",
        description="Check a scenario file; lists every error with file, line and event id. Exit 1 if any.",
        epilog="Example: legation validate scenarios/bolivia_usa/history.toml",
    )
    validate.add_argument("file", help="scenario file, folder or built-in name")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.set_defaults(handler=_cmd_validate)
    return parser


def main(argv: Sequence[str] | None = None, *, remember: bool = False) -> int:
    """Run the command; returns the exit status (0 ok, 1 failed check, 2 bad input).

    Args:
        argv: the arguments (default: the process's).
        remember: keep `at` answers in the answer cache (the `legation` program does; see engine._launch).
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        args.argv = (list(argv) if argv is not None else sys.argv[1:]) if remember else None
        handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
        if handler is None:
            parser.print_help()
            return EXIT_USAGE
        return handler(args)
    except LegationError as error:
        print(f"legation: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
