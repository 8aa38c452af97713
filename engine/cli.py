"""The `legation` command: the one place that wires files, the reducer and the terminal together."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

import scenarios
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


def _cmd_at(args: argparse.Namespace) -> int:
    scenario, history = _load(args)
    a, b = _pair(args, scenario)
    answer = history.state_at(a, b, args.date)
    if args.format == "json":
        _print_json(as_of_json(answer, history))
    else:
        names = {code: scenario.log.actors[code].name for code in (a, b)}
        print(as_of_text(answer, history, names))
        if history.anomalies:
            print(f"\n{len(history.anomalies)} anomalies recorded (lenient mode); see `legation validate`.")
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


# --- whatif: counterfactual replay and comparison (kept in one block) ----------------------


def _add_whatif(commands: argparse._SubParsersAction) -> None:
    whatif = commands.add_parser(
        "whatif",
        help="replay a counterfactual and compare it with its base history",
        description=(
            "Apply a counterfactual file's edits to its base history, replay it from the last checkpoint "
            "before the first edit, and compare: edits, events dropped by cascade, the first divergence, "
            "the timeline of differences, and the state difference on a date (default: the end)."
        ),
        epilog=(
            "Example: legation whatif scenarios/bolivia_usa/whatif/no_goldberg_expulsion.toml --at 2010-06-01\n"
            "         legation whatif bolivia_usa/no_goldberg_expulsion --format json"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    whatif.add_argument("file", help="counterfactual file, or built-in SCENARIO/NAME")
    whatif.add_argument(
        "--at", type=_date_arg, metavar="DATE", help="compare the states on this date (answered at its end)"
    )
    whatif.add_argument("--format", choices=("text", "json"), default="text", help="output format (default text)")
    whatif.add_argument(
        "--cascade",
        choices=("drop", "keep", "ask"),
        help="what removing or moving an event does to what it caused (default: the file's, else drop)",
    )
    whatif.add_argument(
        "--lenient", action="store_true", help="record events the edits make impossible as anomalies, and go on"
    )
    whatif.set_defaults(handler=_cmd_whatif)


def _cmd_whatif(args: argparse.Namespace) -> int:
    from engine._counterfactual import Counterfactual
    from engine._whatif_render import comparison_json, comparison_text

    spec, base = scenarios.load_counterfactual(args.file)
    counterfactual = Counterfactual.from_spec(spec, base.log, cascade=args.cascade)
    comparison = counterfactual.compare(at=args.at, strict=not args.lenient)
    if args.format == "json":
        _print_json(comparison_json(comparison))
    else:
        print(comparison_text(comparison))
    return EXIT_OK


# --- end of whatif -------------------------------------------------------------------------


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
    _add_whatif(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 ok, 1 failed check, 2 bad input)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
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
